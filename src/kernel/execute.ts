// One instruction of the context running on a CPU, and what the kernel makes of it: the breakpoint
// handler armed for a site, faults, control leaving its code object, a call returning to the harness.

import { assertNever } from '../base/assert.js';
import { bytesToHex } from '../base/bits.js';
import { stepCpu, type StepEvent } from '../machine/step.js';
import type { Draft } from './draft.js';
import { advanceHarness, begun, finishCall, noteReached, RETURN_SENTINEL, type Runner } from './harness.js';
import { notePass, passAtFirstStep } from './jump-label.js';
import type { BreakpointHandler, KernelOp } from './spec.js';
import type { Context, HandlerState, TaskState } from './state.js';
import { inObject, objectAt } from './tables.js';
import { patcherName } from './patcher.js';

const hex = (v: bigint | number) => `0x${v.toString(16)}`;
/** What `fell-through` says of bytes outside every code object (docs/scenario-language.md, Code objects). */
const NO_OBJECT = 'bytes that belong to no function or trampoline';

/** What happened, for the trace: the instruction and the bytes the fetch saw. */
export interface StepInfo {
  readonly event: StepEvent;
  readonly loads: readonly number[];
  readonly stores: readonly number[];
}

/** The program and stack of whatever runs on CPU c. */
export function runnerOf(d: Draft, c: number): Runner {
  const k = d.cpus[c];
  const spec = d.t.spec;
  if (k.handler) {
    const program = k.handler.kind === 'nmi' ? spec.nmiProgram : spec.irqProgram;
    return { program, stackTop: handlerStackTop(d, c), name: `${k.handler.kind.toUpperCase()} on CPU ${c}`, cpu: c };
  }
  return { program: spec.tasks[k.task].program, stackTop: taskStackTop(d, k.task), name: spec.tasks[k.task].name, cpu: c };
}

export function taskStackTop(d: Draft, task: number): bigint {
  return d.t.stackTops[task];
}

export function handlerStackTop(d: Draft, cpu: number): bigint {
  return d.t.stackTops[handlerBank(d, cpu)];
}

/** The stack bank of CPU c's interrupt handlers (task i's stack is bank i). */
export function handlerBank(d: Draft, cpu: number): number {
  return d.t.spec.tasks.length + cpu;
}

/** CPU c executes one instruction, taking fetch option `choice`. */
export function executeStep(d: Draft, c: number, choice: number): StepInfo {
  const r = runnerOf(d, c);
  const pcBefore = d.cpu(c).pc;
  const objBefore = objectAt(d.t, pcBefore);
  const ctxBefore = d.running(c);
  if (ctxBefore?.call?.branch !== undefined) d.setRunning(c, passAtFirstStep(d, ctxBefore, pcBefore));
  const res = stepCpu(d.smp, d.t.arch, c, choice, d.t.knobs);
  d.setSmp(res.state);
  const info = { event: res.event, loads: res.loads, stores: res.stores };
  const ev = res.event;
  if (objBefore < 0 && (ev.kind === 'executed' || ev.kind === 'undefined')) {
    d.fail({ kind: 'fell-through', message: `${r.name} executed ${hex(pcBefore)}, ${NO_OBJECT}`, cpu: c, task: r.name });
    return info;
  }
  switch (ev.kind) {
    case 'fault':
      d.fail({ kind: 'fault', message: `${r.name} fetched at ${hex(pcBefore)}: ${ev.reason}`, cpu: c, task: r.name });
      return info;
    case 'unpredictable':
      d.fail({ kind: 'unpredictable', message: `${r.name} fetched ${hex(pcBefore)} while its window held ${ev.values.map((v) => bytesToHex(v)).join(' / ')}: CONSTRAINED UNPREDICTABLE`, cpu: c, task: r.name });
      return info;
    case 'undefined':
      d.fail({ kind: 'fault', message: `${r.name} fetched undefined bytes ${bytesToHex(ev.bytes)} at ${hex(pcBefore)}`, cpu: c, task: r.name });
      return info;
    case 'executed':
      break;
    default:
      assertNever(ev, 'fetch event');
  }
  const out = ev.outcome;
  if (out.kind === 'fault') {
    d.fail({ kind: 'fault', message: `${r.name}: ${out.fault.access} of ${hex(out.fault.address)} at ${hex(pcBefore)}: ${out.fault.reason}`, cpu: c, task: r.name });
    return info;
  }
  if (out.kind === 'trap') {
    if (out.trap === 'breakpoint') breakpoint(d, c, pcBefore, r);
    else d.fail({ kind: 'fault', message: `${r.name}: ${out.trap} trap at ${hex(pcBefore)} (${bytesToHex(ev.bytes)}) that nobody handles`, cpu: c, task: r.name });
    return info;
  }
  const pc = d.cpu(c).pc;
  if (pc === RETURN_SENTINEL) {
    returned(d, c, r);
    return info;
  }
  // Leaving the object: a return, or a branch to some function's entry, is fine; running off its end is
  // fell-through (even when a branch's target happens to be the next address); a branch anywhere else
  // lands in no function at all.
  if (!inObject(d.t, objBefore, pc)) {
    const branch = d.t.arch.classify(ev.insn).branch;
    const fine = branch === 'return' || (branch !== 'none' && d.t.entries.has(pc));
    if (!fine && pc === pcBefore + BigInt(ev.length)) {
      const into = objectAt(d.t, pc);
      const what = into >= 0 ? `into ${objectName(d, into)}` : `into ${NO_OBJECT}`;
      d.fail({ kind: 'fell-through', message: `${r.name} ran past the end of ${objectName(d, objBefore)} at ${hex(pc)}, ${what}`, cpu: c, task: r.name });
      return info;
    }
    if (!fine) {
      d.fail({ kind: 'wrong-target', message: `${r.name} branched from ${hex(pcBefore)} to ${hex(pc)}, which is not the entry of any function`, cpu: c, task: r.name });
      return info;
    }
  }
  d.setRunning(c, notePass(d, noteReached(d, d.running(c)!, pc), pc, r));
  return info;
}

function objectName(d: Draft, o: number): string {
  const start = d.t.objectStarts[o];
  return d.t.spec.objects.find((x) => x.start === start)?.name ?? hex(start);
}

/** The call returned to the harness: check it, then start the next call or end the program. */
export function returned(d: Draft, c: number, r: Runner): void {
  const regs = d.cpuMut(c);
  const running = d.running(c)!;
  // A call whose first step returned (a bare return in the trampoline) began at that step too.
  let ctx: Context = finishCall(d, running.call ? { ...running, call: begun(d, running.call) } : running, regs, r);
  ctx = advanceHarness(d, ctx, regs, r);
  d.setRunning(c, ctx);
  if (ctx.done) endProgram(d, c);
}

/** The program on CPU c is over: a handler returns to what it interrupted, a task leaves its CPU. */
export function endProgram(d: Draft, c: number): void {
  const ctx = d.running(c)!;
  const k = d.cpus[c];
  if (k.handler) {
    // The handler's program is over: return from the interrupt to what it interrupted.
    d.cpus[c] = { ...k, handler: undefined };
    d.loadCpu(c, k.handler.interrupted);
    d.exceptionReturn(c);
  } else {
    d.tasks[k.task] = { ...(ctx as TaskState), cpu: -1, saved: undefined };
    d.vacate(c);
  }
}

/** What the breakpoint handler armed for `address` does, if one is armed. */
function armedHandler(d: Draft, address: bigint): { handler: BreakpointHandler; insn: Uint8Array } | undefined {
  const armed = d.breakpoints.find((b) => b.address === address);
  if (!armed) return undefined;
  const op = d.t.patchers[armed.patcher][armed.op];
  return op.op === 'bp-arm' ? { handler: op.handler, insn: op.insn } : undefined;
}

/**
 * Why a site is not armed though a patcher armed it and has not disarmed it: another patcher replaced or
 * ended the shared descriptor it was armed in (two text_poke_bp's without text_mutex), or the arm was a
 * module site's, skipped while the module was not live (a load racing an update without its mutex).
 */
function lostFromDescriptor(d: Draft, address: bigint): string {
  for (let i = 0; i < d.t.patchers.length; i++) {
    const done = d.t.patchers[i].slice(0, d.patchers[i].op);
    const isArm = (o: KernelOp) => o.op === 'bp-arm' && o.address === address;
    let arm = done.length - 1;
    while (arm >= 0 && !isArm(done[arm])) arm--;
    const op = done[arm];
    if (op?.op !== 'bp-arm' || (op.descriptor === undefined && op.guard === undefined)) continue;
    if (done.slice(arm).some((o) => o.op === 'bp-disarm' && o.address === address)) continue;
    // A module site's arm, skipped because the module was not live then, though it is now.
    if (op.guard?.kind === 'mapped') return ` (${patcherName(d.t.spec, i)}'s update found module ${op.guard.module} not live when it armed the site's handler, and live when it wrote the breakpoint: the module's load does not hold the update's mutex)`;
    return ` (${patcherName(d.t.spec, i)} armed it in ${op.descriptor}, which another patcher has since re-armed or ended: one descriptor for all, so its users must hold text_mutex)`;
  }
  return '';
}

/**
 * A CPU trapped on a breakpoint instruction at `address` (INT3, BRK, trap). The kernel's handler looks
 * the site up among the armed ones (MODEL.md section 4); where none is armed, nobody handles the trap.
 */
function breakpoint(d: Draft, c: number, address: bigint, r: Runner): void {
  const poke = armedHandler(d, address);
  if (!poke) {
    d.fail({ kind: 'fault', message: `${r.name} hit a breakpoint at ${hex(address)} where no breakpoint handler is armed: a trap nobody handles${lostFromDescriptor(d, address)}`, cpu: c, task: r.name });
    return;
  }
  const h = poke.handler;
  const regs = d.cpuMut(c);
  switch (h.kind) {
    case 'emulate': {
      // Emulate the new instruction where it will be: jmp, call (pushing the return address), ret, nop.
      regs.pc = address;
      const insn = d.t.arch.isa.decode(poke.insn, 0);
      if (insn === undefined) {
        d.fail({ kind: 'fault', message: `the breakpoint handler cannot decode ${bytesToHex(poke.insn)}`, cpu: c, task: r.name });
        return;
      }
      const out = d.t.arch.execute(regs, insn, d.t.arch.isa.length(insn), d.bus(regs.stackBank));
      if (out.kind === 'fault' || out.kind === 'trap') {
        d.fail({ kind: 'fault', message: `${r.name}: emulating ${bytesToHex(poke.insn)} at ${hex(address)} failed (${out.kind})`, cpu: c, task: r.name });
        return;
      }
      break;
    }
    case 'detour': {
      // A call of the trampoline for the site: the return address where the arch's calls put it, or in
      // the named register (seed 001's hybrid: %rax, pushed by the shared trampoline).
      const back = BigInt.asUintN(64, address + BigInt(poke.insn.length));
      const abi = d.t.arch.abi;
      if (h.link !== undefined) regs.regs[d.t.registerIndex(h.link)] = back;
      else if (abi.linkRegister !== undefined) regs.regs[abi.linkRegister] = back;
      else {
        const sp = BigInt.asUintN(64, regs.regs[abi.stackPointer] - 8n);
        const fault = d.bus(regs.stackBank).store(sp, 8, back);
        if (fault) {
          d.fail({ kind: 'fault', message: `${r.name}: the breakpoint handler cannot push the return address at ${hex(fault.address)}`, cpu: c, task: r.name });
          return;
        }
        regs.regs[abi.stackPointer] = sp;
      }
      regs.pc = d.t.symbols.get(h.trampoline) ?? 0n;
      if (h.irqsOff) d.setIrqEnabled(c, false);
      break;
    }
    case 'wait-and-reexecute':
      // Seed 004: the CPU stays in the handler, taking part in the PATCH_SYNC states, then re-executes the site.
      regs.pc = address;
      d.setRunning(c, { ...d.running(c)!, bpWait: address });
      return;
    default:
      assertNever(h, 'breakpoint handler');
  }
  // Return from the exception: IRET serializes (and eret, rfi; riscv64's sret does not).
  d.exceptionReturn(c);
  const pc = d.cpu(c).pc;
  if (pc === RETURN_SENTINEL) returned(d, c, r);
  else d.setRunning(c, notePass(d, noteReached(d, d.running(c)!, pc), pc, r));
}
