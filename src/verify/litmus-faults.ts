// Faults in litmus tests, as herd7 takes them: an undefined instruction (an encoding that does not decode,
// or UDF), a supervisor call (SVC), or a data access outside every region or against its permissions
// (`MMU:Translation`, `MMU:Permission`) is a fault of the thread. With a fault handler (the test's `Pn.F`
// column) the thread enters it: ELR_EL1 holds the faulting instruction's address (past it for SVC, as
// herd7's convention for the return address says), the pc the handler's first instruction, and the entry
// is context-synchronizing (MODEL.md section 3: exception entry); the handler's ERET returns to ELR_EL1.
// A fault inside the handler, or without one, ends the thread there (herd7's default, `fatal`): the
// execution counts, with the fault recorded for the condition's `fault(P0:L0,UndefinedInstruction)` atoms.
// Other stops (BRK, an unsupported instruction, a misaligned access, a fetch outside code) are not faults
// herd7 names: the runner reports those executions as incomplete.

import { ELR_EL1 } from '../machine/arm64/registers.js';
import type { ArchMachine } from '../machine/arch.js';
import { cloneCpu } from '../machine/cpu.js';
import type { FetchKnobs } from '../machine/fetch.js';
import { maintenanceStep, type SmpState, type StepEvent } from '../machine/step.js';

/** herd7's fault types (the condition may name any of them); patchlab raises the first four. */
export const FAULT_TYPES = ['UndefinedInstruction', 'SupervisorCall', 'MMU:Translation', 'MMU:Permission', 'MMU:AccessFlag', 'TagCheck'] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

/** One fault of one thread: the faulting instruction's address, its type, and the data address an access faulted on. */
export interface FaultRecord {
  readonly thread: number;
  readonly pc: bigint;
  readonly type: FaultType;
  readonly address?: bigint;
}

/** A fault a step raised: its record (without the thread) and the address the handler's ERET would return to. */
export interface RaisedFault {
  readonly pc: bigint;
  readonly type: FaultType;
  readonly address?: bigint;
  readonly returnTo: bigint;
}

/**
 * The fault `ev`, the event of a step from `pcBefore` that left the pc at `pcAfter`, raised; undefined when
 * it raised none herd7 names (the step went on, or stopped otherwise).
 */
export function raisedFault(ev: StepEvent, pcBefore: bigint, pcAfter: bigint): RaisedFault | undefined {
  if (ev.kind === 'undefined') return { pc: pcBefore, type: 'UndefinedInstruction', returnTo: pcBefore };
  if (ev.kind !== 'executed') return undefined;
  const out = ev.outcome;
  if (out.kind === 'trap' && out.trap === 'undefined') return { pc: pcBefore, type: 'UndefinedInstruction', returnTo: pcBefore };
  // The machine moved the pc past SVC: the handler returns there, but the fault names the SVC itself.
  if (out.kind === 'trap' && out.trap === 'syscall') return { pc: pcBefore, type: 'SupervisorCall', returnTo: pcAfter };
  if (out.kind !== 'fault') return undefined;
  const { reason, address } = out.fault;
  if (reason === 'misaligned') return undefined;
  return { pc: pcBefore, type: reason === 'unmapped' ? 'MMU:Translation' : 'MMU:Permission', address, returnTo: pcBefore };
}

/** `s` with CPU `cpu`'s registers changed by `edit` (a copy: states are never mutated). */
function withRegisters(s: SmpState, cpu: number, edit: (regs: BigUint64Array, set: (pc: bigint) => void) => void): SmpState {
  const cpus = s.machine.cpus.slice();
  const c = cloneCpu(cpus[cpu]);
  edit(c.regs, (pc) => { c.pc = pc; });
  cpus[cpu] = c;
  return { ...s, machine: { ...s.machine, cpus } };
}

/**
 * CPU `cpu` takes fault `f`: into its handler at `handler` (ELR_EL1 set, a context-synchronizing entry), or,
 * with none, to `end`, where its thread has ended.
 */
export function takeFault(s: SmpState, arch: ArchMachine, cpu: number, f: RaisedFault, handler: bigint | undefined, end: bigint, knobs: FetchKnobs): SmpState {
  if (handler === undefined) return withRegisters(s, cpu, (_, setPc) => setPc(end));
  const entered = withRegisters(s, cpu, (regs, setPc) => { regs[ELR_EL1] = f.returnTo; setPc(handler); });
  return arch.fetchPolicy.exceptionSync.entry ? maintenanceStep(entered, arch, cpu, { kind: 'sync', what: 'context-sync' }, knobs) : entered;
}

/** ERET (the machine synchronized the CPU and left its pc on the ERET): the pc goes to ELR_EL1. */
export function returnFromFault(s: SmpState, cpu: number): SmpState {
  return withRegisters(s, cpu, (regs, setPc) => setPc(regs[ELR_EL1]));
}

/** The faults of one execution so far, `f` added: a sorted set, so that the same faults are the same state. */
export function withFault(faults: readonly FaultRecord[], f: FaultRecord): readonly FaultRecord[] {
  const key = faultKey(f);
  if (faults.some((g) => faultKey(g) === key)) return faults;
  return [...faults, f].sort((a, b) => (faultKey(a) < faultKey(b) ? -1 : 1));
}

export function faultKey(f: FaultRecord): string {
  return `${f.thread}:${f.pc.toString(16)}:${f.type}:${f.address?.toString(16) ?? ''}`;
}
