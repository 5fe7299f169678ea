// The harness of a task or handler: the steps between the calls we watch, and the checks when a call returns.

import { assertNever } from '../base/assert.js';
import { readUint } from '../base/bits.js';
import { add, EMPTY_SET, equal, has, intersect, isEmpty, members, minus, union, type BitSet } from '../base/bitset.js';
import { RETURN_SENTINEL } from '../machine/run.js';
import type { CpuState } from '../machine/cpu.js';
import type { Draft } from './draft.js';
import type { CallRecord, Context } from './state.js';
import type { TaskOp } from './spec.js';

export { RETURN_SENTINEL };

/** Where a context's program and stack are. */
export interface Runner {
  readonly program: readonly TaskOp[];
  readonly stackTop: bigint;
  /** For messages: `T1`, `NMI on CPU 2`. */
  readonly name: string;
  readonly cpu: number;
}

/** Ops that begin a section where the task cannot be preempted. */
const SECTION_ENTRY: ReadonlySet<TaskOp['op']> = new Set(['critical-begin', 'preempt-disable', 'irq-disable', 'rcu-read-lock']);

function regIndex(d: Draft, name: string): number {
  return d.t.arch.registers.names.indexOf(name);
}

/**
 * Run harness ops from `ctx.op` until a call has started (its registers prepared on `regs`) or the program
 * ends. Only the kernel's own state changes here; no instruction runs.
 *
 * A `query` reads shared memory, so it is a transition of its own: the harness stops before it, and the
 * context's next `harness` action (`resume`) makes it, as its first op, and goes on.
 */
export function advanceHarness(d: Draft, ctx: Context, regs: CpuState, r: Runner, resume = false): Context {
  let c: Context = { ...ctx, call: undefined };
  const first = ctx.op;
  for (;;) {
    if (c.op >= r.program.length) return { ...c, done: true };
    const op = r.program[c.op];
    // Before a section that turns preemption (or interrupts) off, a task is at a point where it could be
    // preempted or gathered by stop_machine: the harness stops there, and goes on with its next action.
    if (c.op !== first && c.preemptCount === 0 && SECTION_ENTRY.has(op.op)) return c;
    c = { ...c, op: c.op + 1 };
    switch (op.op) {
      case 'set': {
        const v = typeof op.value === 'bigint' ? op.value : (d.t.symbols.get(op.value) ?? 0n);
        const i = regIndex(d, op.reg);
        if (i >= 0) regs.regs[i] = BigInt.asUintN(64, v);
        break;
      }
      case 'preempt-disable':
        c = { ...c, preemptCount: c.preemptCount + 1 };
        break;
      case 'preempt-enable':
        c = { ...c, preemptCount: Math.max(0, c.preemptCount - 1) };
        break;
      case 'irq-disable':
      case 'irq-enable':
        regs.irqEnabled = op.op === 'irq-enable';
        if (d.t.rflags >= 0) regs.regs[d.t.rflags] = regs.irqEnabled ? regs.regs[d.t.rflags] | 0x200n : regs.regs[d.t.rflags] & ~0x200n;
        break;
      case 'rcu-read-lock':
        c = { ...c, rcuDepth: c.rcuDepth + 1 };
        break;
      case 'rcu-read-unlock':
        c = { ...c, rcuDepth: Math.max(0, c.rcuDepth - 1) };
        break;
      case 'critical-begin':
        c = { ...c, critical: { group: d.t.groups.indexOf(op.group), generation: -1 }, preemptCount: c.preemptCount + 1 };
        break;
      case 'critical-end':
        c = { ...c, critical: undefined, preemptCount: Math.max(0, c.preemptCount - 1) };
        break;
      case 'call':
        return { ...c, call: startCall(d, c.op - 1, op, regs, r) };
      case 'wait-update':
        if (!updateReturned(d, op.key, op.count)) return { ...c, op: c.op - 1 };
        break;
      case 'wait-module':
        if (!moduleLive(d, op.module)) return { ...c, op: c.op - 1 };
        break;
      case 'query':
        if (!resume || c.op - 1 !== first) return { ...c, op: c.op - 1 };
        staticCallQuery(d, op, r);
        break;
      default:
        assertNever(op, 'task op');
    }
  }
}

/** Is module `name` live: loaded, every one of its (non-init) sections mapped? */
export function moduleLive(d: Draft, name: string): boolean {
  const m = d.t.spec.modules?.find((x) => x.name === name);
  return m !== undefined && m.sections.every((s) => d.smp.machine.memory.isMapped(s));
}

/**
 * static_call_query(key): load the key's `func` word. Its value must name a target valid now (a raw store
 * could break that); with `expect`, it must be that target. The word is written when an update begins, so
 * a query after the update returned cannot see the old target in this model unless a store put it back;
 * were it to, that is `stale-after-update` (`wrong-target` against `expect` for a key visible eventually).
 */
function staticCallQuery(d: Draft, op: TaskOp & { op: 'query' }, r: Runner): void {
  const k = d.t.spec.keys.findIndex((x) => x.name === op.key);
  const spec = d.t.spec.keys[k];
  if (k < 0 || spec.funcAddress === undefined) return;
  const at = d.smp.machine.memory.translate(Number(spec.funcAddress), d.t.pointerBytes);
  if (!at) {
    d.fail({ kind: 'fault', message: `${r.name}: static_call_query(${op.key}) faulted: its func word is not mapped`, cpu: r.cpu, task: r.name });
    return;
  }
  const value = readUint(d.smp.machine.memory.readPhysBytes(at.phys, d.t.pointerBytes), 0, d.t.pointerBytes, d.t.arch.isa.endian);
  const i = d.t.funcValues[k].indexOf(value);
  const ks = d.keys[k];
  const what = `${r.name}: static_call_query(${op.key}) returned ${i >= 0 ? spec.targets[i] : `0x${value.toString(16)}`}`;
  if (i < 0 || !has(ks.valid, i)) {
    d.fail({ kind: 'wrong-target', message: `${what}, not its target (${targetName(d, k, ks.valid)})`, cpu: r.cpu, task: r.name });
  } else if (op.expect !== undefined && spec.targets[i] !== op.expect) {
    const stale = ks.updater < 0 && ks.updatesDone > 0 && i !== ks.current && spec.visibility !== 'eventually';
    d.fail({ kind: stale ? 'stale-after-update' : 'wrong-target', message: `${what}, expected ${op.expect}${stale ? ' (after the update returned)' : ''}`, cpu: r.cpu, task: r.name });
  }
}

/** Has `key` had `count` updates return? */
export function updateReturned(d: Draft, key: string, count: number): boolean {
  const k = d.t.spec.keys.findIndex((x) => x.name === key);
  return k < 0 || d.keys[k].updatesDone >= count;
}

/** A context waiting in its harness (not in a call, not done) whose wait is over. */
export function harnessReady(d: Draft, ctx: Context, r: Runner): boolean {
  if (ctx.call || ctx.done) return false;
  const op = r.program[ctx.op];
  if (op?.op === 'wait-module') return moduleLive(d, op.module);
  return op?.op !== 'wait-update' || updateReturned(d, op.key, op.count);
}

function startCall(d: Draft, opIndex: number, op: TaskOp & { op: 'call' }, regs: CpuState, r: Runner): CallRecord {
  const entry = d.t.symbols.get(op.entry) ?? 0n;
  const abi = d.t.arch.abi;
  const fault = abi.prepareCall(regs, entry, op.args, RETURN_SENTINEL, r.stackTop, d.bus(regs.stackBank));
  if (fault) d.fail({ kind: 'fault', message: `${r.name}: cannot set up the call to ${op.entry}: ${fault.reason} at 0x${fault.address.toString(16)}`, cpu: r.cpu, task: r.name });
  // After the return the stack pointer is back where the caller had it: above the pushed return address on x86.
  const sp = regs.regs[abi.stackPointer] + (d.t.arch.isa.arch === 'x86-64' ? 8n : 0n);
  const saved = abi.calleeSaved.map((i) => (i === abi.stackPointer ? sp : regs.regs[i]));
  const key = op.key === undefined ? -1 : d.t.spec.keys.findIndex((k) => k.name === op.key);
  // `allowed` and `afterUpdate` are taken at the call's first step (noteReached); until then they are
  // dead, and kept empty so that they do not tell apart states that differ only in them.
  const call: CallRecord = {
    key, allowed: EMPTY_SET, reached: EMPTY_SET, reachedOther: false, afterUpdate: false, cond: op.cond === true,
    saved, expect: op.expect, op: opIndex, started: false,
  };
  // A static_branch call watches the sites of its static key (kernel/jump-label.ts).
  return op.branch === undefined ? call : { ...call, branch: d.t.spec.keys.findIndex((k) => k.name === op.branch) };
}

function targetName(d: Draft, key: number, bits: BitSet): string {
  const names = d.t.spec.keys[key].targets.filter((_, i) => has(bits, i));
  return names.length ? names.join(' or ') : 'nothing';
}

/**
 * A return to the harness (`before` the step, `after` it) that touches only the task's own state, whenever
 * it comes relative to what other actors do: finishCall's checks pass whatever target an update begun
 * meanwhile adds to the call's allowed ones (the call reached something, and only what it was allowed), no
 * static_branch pass or critical section is checked, and the harness went straight on to prepare the next
 * call without changing the preempt count, the RCU depth or a breakpoint wait. The caller asks the patchers
 * whether any can tell that the call ended (patcher.ts `watchesCalls`).
 */
export function quietReturn(before: Context, after: Context): boolean {
  const done = before.call, next = after.call;
  if (!done?.started || !next || next.started || after.done) return false;
  if (done.branch !== undefined || done.pass !== undefined || next.branch !== undefined) return false;
  if (done.key >= 0 && (done.reachedOther || isEmpty(done.reached) || !isEmpty(minus(done.reached, done.allowed)))) return false;
  return before.preemptCount === after.preemptCount && before.rcuDepth === after.rcuDepth && before.critical === after.critical && before.bpWait === after.bpWait;
}

/** The checks of MODEL.md section 5 when a call returns to the harness. */
export function finishCall(d: Draft, ctx: Context, regs: CpuState, r: Runner): Context {
  const call = ctx.call!;
  const abi = d.t.arch.abi;
  const names = d.t.arch.registers.names;
  const nth = r.program.slice(0, call.op + 1).filter((o) => o.op === 'call').length;
  const what = `${r.name}'s call #${nth}`;
  const changed = abi.calleeSaved.filter((reg, i) => regs.regs[reg] !== call.saved[i]);
  if (changed.length > 0) {
    const shown = changed.map((reg) => `${names[reg]} = 0x${regs.regs[reg].toString(16)}, was 0x${call.saved[abi.calleeSaved.indexOf(reg)].toString(16)}`);
    d.fail({ kind: 'clobbered', message: `${what} returned with ${shown.join(', ')}`, cpu: r.cpu, task: r.name });
  }
  const ret = regs.regs[abi.returnReg];
  // The return register at its full width (32 bits on ppc32, 64 elsewhere): `expect=` and RET0 see all of it.
  const width = 8 * d.t.pointerBytes;
  if (call.key >= 0) {
    const key = d.t.spec.keys[call.key];
    const allowedFns = minus(call.allowed, union(d.t.nullBits[call.key], d.t.ret0Bits[call.key]));
    const bad = minus(call.reached, call.allowed);
    if (call.reachedOther || !isEmpty(bad)) {
      // A key visible only eventually allows every target it has had (patcher.ts), so what is left is wrong.
      const stale = call.afterUpdate && !isEmpty(bad) && !call.reachedOther && key.visibility !== 'eventually';
      d.fail({
        kind: stale ? 'stale-after-update' : 'wrong-target',
        message: `${what} through ${key.name} reached ${call.reachedOther ? "another key's target" : targetName(d, call.key, bad)}; its target was ${targetName(d, call.key, call.allowed)}${stale ? ' (the call began after the update returned)' : ''}`,
        cpu: r.cpu, task: r.name,
      });
    } else if (isEmpty(call.reached) && equal(allowedFns, call.allowed)) {
      d.fail({ kind: 'wrong-target', message: `${what} through ${key.name} returned without running ${targetName(d, call.key, call.allowed)}`, cpu: r.cpu, task: r.name });
    } else if (isEmpty(call.reached)) {
      // It ran no function: fine for NULL at a static_call_cond() site, and for RET0 if it returned 0.
      //   cond  NULL allowed  RET0 allowed  returned 0  →
      //   yes   yes           -             -              no-op: fine
      //   no    yes           yes           yes            RET0: fine
      //   no    yes           otherwise                    static_call() of NULL: wrong-target
      //   -     no            yes           no             RET0 broken: wrong-target
      const nullOk = !isEmpty(intersect(call.allowed, d.t.nullBits[call.key]));
      const ret0 = !isEmpty(intersect(call.allowed, d.t.ret0Bits[call.key])) && BigInt.asUintN(width, ret) === 0n;
      if (nullOk && !call.cond && !ret0) {
        d.fail({ kind: 'wrong-target', message: `${what} through ${key.name} ran no function: static_call() of a NULL target is not allowed (use static_call_cond, \`call_cond\`, for a function returning nothing)`, cpu: r.cpu, task: r.name });
      } else if (!nullOk && !ret0) {
        d.fail({ kind: 'wrong-target', message: `${what} through ${key.name} ran no function and returned ${ret}, not 0 (RET0)`, cpu: r.cpu, task: r.name });
      }
    }
    const g = d.t.keyGroup[call.key];
    if (ctx.critical && g === ctx.critical.group && !isEmpty(call.reached)) {
      const reached = key.targets[members(call.reached)[0]];
      const gen = key.generation?.get(reached) ?? 0;
      if (ctx.critical.generation >= 0 && gen !== ctx.critical.generation) {
        d.fail({ kind: 'torn-group', message: `${r.name}'s critical section over ${d.t.groups[g]} saw generation ${ctx.critical.generation}, then ${key.name} reached ${reached} of generation ${gen}`, cpu: r.cpu, task: r.name });
      }
      ctx = { ...ctx, critical: { ...ctx.critical, generation: gen } };
    }
  }
  if (call.expect !== undefined && BigInt.asUintN(width, ret) !== BigInt.asUintN(width, call.expect) && !d.violation) {
    d.fail({ kind: 'wrong-target', message: `${what} returned ${ret}, expected ${call.expect}`, cpu: r.cpu, task: r.name });
  }
  return ctx;
}

/** After an instruction: note which key targets the call entered. */
export function noteReached(d: Draft, ctx: Context, pc: bigint): Context {
  const call = ctx.call;
  if (!call) return ctx;
  let reached = call.reached, reachedOther = call.reachedOther;
  const hits = d.t.targetsAt.get(pc);
  if (hits) {
    const own = hits.filter((h) => h.key === call.key);
    if (own.length > 0) for (const h of own) reached = add(reached, h.target);
    else if (call.key >= 0) reachedOther = true;
  }
  if (reached === call.reached && reachedOther === call.reachedOther && call.started) return ctx;
  return { ...ctx, call: { ...begun(d, call), reached, reachedOther } };
}

/**
 * The call as it is once it has taken a step. MODEL.md §2: a call begins at its first step, not when
 * the previous one returned; the targets valid from then on, and whether an update had already
 * returned, are those of this moment (until then they are dead, and empty: see startCall).
 */
export function begun(d: Draft, call: CallRecord): CallRecord {
  if (call.started) return call;
  if (call.key < 0) return { ...call, started: true };
  const ks = d.keys[call.key];
  return { ...call, started: true, allowed: ks.valid, afterUpdate: ks.updater < 0 && ks.updatesDone > 0 };
}
