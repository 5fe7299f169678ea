// Every transition of the kernel world: which are enabled in a state, and what each does.
//
// The checker picks the order; nothing here is random. MODEL.md section 4's delivery rules live in the
// `enabled` conditions: an IRQ or IPI only at a boundary with interrupts on and no STI shadow, preemption
// only where an interrupt is taken with preempt count zero, NMIs anywhere, stop_machine's stopper only where
// the CPU could schedule.

import { assertNever } from '../base/assert.js';
import type { ArchName } from '../isa/types.js';
import { bytesToHex } from '../base/bits.js';
import { fetchOptions } from '../machine/step.js';
import { Draft } from './draft.js';
import { advanceHarness, harnessReady } from './harness.js';
import { endProgram, executeStep, handlerBank, handlerStackTop, runnerOf, type StepInfo } from './execute.js';
import { ackIpi, firstTaskCpu, noteQuiescence, patcherCpu, patcherEnabled, patcherStep } from './patcher.js';
import { IDLE, STOPPED, type Context, type HandlerState, type WorldState } from './state.js';
import type { WorldTables } from './tables.js';

export type WorldAction =
  | { readonly kind: 'step'; readonly cpu: number; readonly choice: number }
  /** Patcher i takes its next step (patcher i runs on CPU i). */
  | { readonly kind: 'patcher'; readonly patcher: number }
  /** Take the pending sync_core IPI: serialize, ack. */
  | { readonly kind: 'ipi'; readonly cpu: number }
  /** An interrupt whose handler runs the scenario's `irq` program. */
  | { readonly kind: 'irq'; readonly cpu: number }
  /** An interrupt that switches the task out (preemption). */
  | { readonly kind: 'preempt'; readonly cpu: number }
  | { readonly kind: 'nmi'; readonly cpu: number }
  | { readonly kind: 'schedule'; readonly cpu: number; readonly task: number }
  /** The CPU enters stop_machine's stopper. */
  | { readonly kind: 'stop'; readonly cpu: number }
  /**
   * A CPU spinning in the stopper, or waiting in a breakpoint handler armed `wait-and-reexecute`, acks the
   * newest PATCH_SYNC state a patcher published (`patch_sync`; seed 004's protocol is written in these).
   */
  | { readonly kind: 'ack'; readonly cpu: number }
  /** A CPU waiting in a `wait-and-reexecute` breakpoint handler leaves it once the site is disarmed, to re-execute the site. */
  | { readonly kind: 'bp-return'; readonly cpu: number }
  /** A task waiting in its harness (`wait_update`) goes on to its next call. */
  | { readonly kind: 'harness'; readonly cpu: number };

/** Can CPU c take a maskable interrupt now (a task running, interrupts on, no shadow, no handler)? */
function irqTakeable(d: Draft, c: number): boolean {
  const k = d.cpus[c];
  if (k.handler || k.task < 0) return false;
  const regs = d.cpu(c);
  return regs.irqEnabled && !regs.irqShadow && d.tasks[k.task].bpWait < 0n;
}

export function enabledActions(t: WorldTables, s: WorldState): WorldAction[] {
  const out: WorldAction[] = [];
  if (s.violation) return out;
  const d = new Draft(t, s, true);
  const b = t.spec.bounds;
  for (let i = 0; i < t.patchers.length; i++) if (patcherEnabled(d, i)) out.push({ kind: 'patcher', patcher: i });
  for (let c = firstTaskCpu(d); c < d.cpus.length; c++) {
    const k = d.cpus[c];
    const ctx: Context | undefined = d.running(c);
    const canRun = ctx && ctx.call && ctx.bpWait < 0n && (k.handler !== undefined || d.booted);
    if (canRun) {
      const f = fetchOptions(d.smp, t.arch, c, t.knobs);
      const n = f.kind === 'ok' ? f.options.length : 1;
      for (let i = 0; i < n; i++) out.push({ kind: 'step', cpu: c, choice: i });
    }
    if (ctx && !ctx.call && !ctx.done && (k.handler !== undefined || d.booted) && harnessReady(d, ctx, runnerOf(d, c))) out.push({ kind: 'harness', cpu: c });
    // A task waiting in its harness (wait_update) spins with interrupts on: it takes IPIs and may be preempted.
    const waiting = ctx !== undefined && !ctx.call && !ctx.done && (k.handler !== undefined || d.booted);
    const takeable = (canRun || waiting) && irqTakeable(d, c);
    if (k.ipiPending && (takeable || (k.task === IDLE && !k.handler))) out.push({ kind: 'ipi', cpu: c });
    if (takeable && t.spec.irqProgram.length > 0 && s.used.interrupts < b.interrupts) out.push({ kind: 'irq', cpu: c });
    if (takeable && ctx!.preemptCount === 0 && s.used.preemptions < b.preemptions) out.push({ kind: 'preempt', cpu: c });
    if (!k.handler && (k.task >= 0 || k.task === STOPPED) && t.spec.nmiProgram.length > 0 && s.used.nmis < b.nmis && d.booted) out.push({ kind: 'nmi', cpu: c });
    if (k.task === IDLE && !k.handler && d.booted && d.stopper < 0) {
      for (let i = 0; i < d.tasks.length; i++) {
        const task = d.tasks[i];
        if (task.cpu < 0 && !task.done) out.push({ kind: 'schedule', cpu: c, task: i });
      }
    }
    if (d.stopper >= 0 && k.task !== STOPPED && !k.handler && takeable && ctx!.preemptCount === 0) out.push({ kind: 'stop', cpu: c });
    const inBp = ctx !== undefined && ctx.bpWait >= 0n;
    if (d.patchStates > k.acked && ((k.task === STOPPED && !k.handler) || inBp)) out.push({ kind: 'ack', cpu: c });
    if (inBp && !armedAt(d, ctx.bpWait)) out.push({ kind: 'bp-return', cpu: c });
  }
  return out;
}

/** What a CPU runs to sync its pipeline before it acks a PATCH_SYNC state, per arch. */
const PIPELINE_SYNC = { 'x86-64': 'sync_core', arm64: 'isb', ppc32: 'isync', ppc64: 'isync', riscv64: 'FENCE.I' } as const satisfies Record<ArchName, string>;

/** Is a breakpoint handler armed at `address`? */
function armedAt(d: Draft, address: bigint): boolean {
  for (const p of d.breakpoints) if (p.address === address) return true;
  return false;
}

export interface Transition {
  readonly state: WorldState;
  /** For traces: what happened (computed on demand: most transitions are never shown). */
  readonly text: () => string;
  /** The instruction step's details, when the action was one. */
  readonly step?: StepInfo;
}

/** A transition whose text is made when asked for (a class: no closures per transition). */
class WorldTransition implements Transition {
  constructor(
    readonly state: WorldState,
    private readonly label: string | undefined,
    readonly step: StepInfo | undefined,
    private readonly t: WorldTables,
    private readonly before: WorldState,
    private readonly cpu: number,
  ) {}

  text(): string {
    return this.label ?? describeStep(this.t, this.before, this.cpu, this.step!);
  }
}

export function applyAction(t: WorldTables, s: WorldState, a: WorldAction): Transition {
  const d = new Draft(t, s);
  let text: string | undefined;
  let step: StepInfo | undefined;
  switch (a.kind) {
    case 'step':
      step = executeStep(d, a.cpu, a.choice);
      text = undefined;
      break;
    case 'patcher':
      text = patcherStep(d, a.patcher);
      break;
    case 'ipi':
      ackIpi(d, a.cpu);
      // On riscv64 the IPI's handler is flush_icache_all's ipi_remote_fence_i: trap entry alone would not do.
      text = t.spec.arch === 'riscv64' ? 'takes the IPI: FENCE.I, acks' : 'takes the sync_core IPI: serializes, acks';
      break;
    case 'irq':
    case 'nmi':
      enterHandler(d, a.cpu, a.kind);
      text = a.kind === 'nmi' ? 'NMI' : 'interrupt';
      break;
    case 'preempt': {
      // The interrupt's entry, then a switch: the task keeps its pc wherever it is.
      d.used.preemptions++;
      d.exceptionEntry(a.cpu);
      const task = d.cpus[a.cpu].task;
      d.tasks[task] = { ...d.tasks[task], cpu: -1, saved: d.cpu(a.cpu) };
      d.vacate(a.cpu);
      text = `preempts ${t.spec.tasks[task].name}`;
      break;
    }
    case 'stop': {
      const task = d.cpus[a.cpu].task;
      if (task >= 0) d.tasks[task] = { ...d.tasks[task], cpu: -1, saved: d.cpu(a.cpu) };
      d.vacate(a.cpu);
      d.exceptionReturn(a.cpu);
      text = task >= 0 ? `stopper preempts ${t.spec.tasks[task].name}; spins with interrupts off` : 'enters the stopper';
      break;
    }
    case 'schedule': {
      const task = d.tasks[a.task];
      d.cpus[a.cpu] = { ...d.cpus[a.cpu], task: a.task };
      d.loadCpu(a.cpu, task.saved ?? t.idleCpu);
      d.tasks[a.task] = { ...task, cpu: a.cpu, saved: undefined };
      // Returning to a preempted task goes through IRET / eret / rfi: the CPU synchronizes (not on riscv64).
      d.exceptionReturn(a.cpu);
      text = `runs ${t.spec.tasks[a.task].name}`;
      break;
    }
    case 'ack': {
      const k = d.cpus[a.cpu];
      const nmiNoSync = k.handler?.kind === 'nmi' && !syncInNmi(d, k.handler);
      if (!nmiNoSync) d.sync(a.cpu);
      d.cpus[a.cpu] = { ...d.cpus[a.cpu], acked: d.patchStates };
      text = `acks PATCH_SYNC state ${d.patchStates}${nmiNoSync ? ' without a pipeline sync (NMI path)' : ` after ${PIPELINE_SYNC[t.spec.arch]}`}`;
      break;
    }
    case 'harness': {
      const r = runnerOf(d, a.cpu);
      const ctx = advanceHarness(d, d.running(a.cpu)!, d.cpuMut(a.cpu), r, true);
      d.setRunning(a.cpu, ctx);
      if (ctx.done) endProgram(d, a.cpu);
      text = 'goes on in its harness (after a wait, or to make a query)';
      break;
    }
    case 'bp-return': {
      const k = d.cpus[a.cpu];
      const ctx = d.running(a.cpu)!;
      const nmiNoSync = k.handler?.kind === 'nmi' && !syncInNmi(d, k.handler);
      d.setRunning(a.cpu, { ...ctx, bpWait: -1n });
      if (!nmiNoSync) d.sync(a.cpu);
      text = `leaves the breakpoint handler to re-execute 0x${ctx.bpWait.toString(16)}`;
      break;
    }
    default:
      assertNever(a, 'world action');
  }
  noteQuiescence(d);
  return new WorldTransition(d.freeze(), text, step, t, s, a.kind === 'step' ? a.cpu : a.kind === 'patcher' ? patcherCpu(a.patcher) : a.cpu);
}

/**
 * Does seed 004's handler sync before acking in NMI context? The rule belongs to the handler armed at the
 * site the CPU waits at; it is looked up by address, since at `bp-return` that site is already disarmed.
 */
function syncInNmi(d: Draft, h: HandlerState): boolean {
  for (const program of d.t.patchers) {
    for (const op of program) if (op.op === 'bp-arm' && op.address === h.bpWait && op.handler.kind === 'wait-and-reexecute') return op.handler.syncInNmi;
  }
  return true;
}

/** An NMI or interrupt arrives: its handler's program runs on this CPU's handler stack. */
function enterHandler(d: Draft, c: number, kind: 'nmi' | 'irq'): void {
  if (kind === 'nmi') d.used.nmis++;
  else d.used.interrupts++;
  d.exceptionEntry(c);
  const interrupted = d.cpu(c);
  const base: HandlerState = { kind, interrupted, op: 0, call: undefined, preemptCount: 1, rcuDepth: 0, critical: undefined, done: false, bpWait: -1n };
  d.cpus[c] = { ...d.cpus[c], handler: base };
  d.loadCpu(c, interrupted);
  const regs = d.cpuMut(c);
  // Handlers run with interrupts off (an NMI's are off by nature), on the CPU's own handler stack.
  regs.irqEnabled = false;
  regs.stackBank = handlerBank(d, c);
  const r = { ...runnerOf(d, c), stackTop: handlerStackTop(d, c) };
  const ctx = advanceHarness(d, base, regs, r);
  d.cpus[c] = { ...d.cpus[c], handler: { ...base, ...ctx } };
  if (ctx.done) {
    // A program with no call: the handler returns at once.
    d.cpus[c] = { ...d.cpus[c], handler: undefined };
    d.loadCpu(c, interrupted);
    d.exceptionReturn(c);
  }
}

/** One line describing an instruction step: CPU, pc, bytes, disassembly. */
function describeStep(t: WorldTables, before: WorldState, c: number, info: StepInfo): string {
  const pc = before.smp.machine.cpus[c].pc;
  const ev = info.event;
  if (ev.kind === 'executed') {
    const p = t.arch.isa.print(ev.insn, pc);
    return `0x${pc.toString(16)}: ${bytesToHex(ev.bytes)}  ${p.mnemonic}${p.operands ? ' ' + p.operands : ''}`;
  }
  if (ev.kind === 'undefined') return `0x${pc.toString(16)}: ${bytesToHex(ev.bytes)}  (undefined)`;
  return `0x${pc.toString(16)}: ${ev.kind}`;
}
