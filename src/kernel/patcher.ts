// The patcher on CPU 0: one primitive step of its program per transition, and the waiting rules of
// MODEL.md section 4 (sync_core's acks, the two RCU flavours, stop_machine, PATCH_SYNC acks, text_mutex).

import { assertNever } from '../base/assert.js';
import { add, isEmpty, members, remove, singleton } from '../base/bitset.js';
import { writeUint } from '../base/bits.js';
import { cloneMachine } from '../machine/state.js';
import { storePiece } from '../machine/step.js';
import { runCacheInsns } from './cache-maintenance.js';
import type { Draft } from './draft.js';
import { widenPasses } from './jump-label.js';
import { STOPPED, type PatcherState } from './state.js';

export const PATCHER_CPU = 0;

/** Is the patcher's wait over? */
export function waitOver(d: Draft): boolean {
  const p = d.patcher;
  switch (p.waiting) {
    case undefined:
      return true;
    case 'ipi':
      return d.cpus.every((k) => !k.ipiPending);
    case 'rcu':
      return isEmpty(d.rcuWaitCpus);
    case 'rcu-tasks':
      return isEmpty(d.rcuWaitTasks);
    case 'stop':
      return d.cpus.every((k, c) => c === PATCHER_CPU || k.task === STOPPED);
    case 'patch-state':
      return d.cpus.every((k, c) => c === PATCHER_CPU || k.acked >= p.patchStates);
    case 'mutex':
      return false;
    case 'calls': {
      const op = d.t.patcher[p.op - 1];
      return op.op !== 'wait-calls' || callsCompleted(d, op.task) >= op.count;
    }
    default:
      assertNever(p.waiting, 'patcher wait');
  }
}

/** How many calls `task` has completed (all of them once it is done). */
export function callsCompleted(d: Draft, task: string): number {
  const i = d.t.spec.tasks.findIndex((t) => t.name === task);
  if (i < 0) return Infinity;
  const t = d.tasks[i];
  const program = d.t.spec.tasks[i].program;
  const upTo = t.done ? program.length : t.op;
  return program.slice(0, upTo).filter((o) => o.op === 'call').length - (t.call ? 1 : 0);
}

/** Can the patcher take a step now? */
export function patcherEnabled(d: Draft): boolean {
  if (d.violation) return false;
  if (d.patcher.waiting !== undefined) return waitOver(d);
  return d.patcher.op < d.t.patcher.length;
}

export function patcherFinished(d: Draft): boolean {
  return d.patcher.waiting === undefined && d.patcher.op >= d.t.patcher.length;
}

/**
 * A CPU is quiescent for synchronize_rcu() when nothing on it can be inside a read-side section that
 * began earlier: idle, in the stopper, or running a task with preemption and interrupts enabled and no
 * rcu_read_lock held (preemptible RCU: such a task may be preempted at any moment and does not block).
 */
export function cpuQuiescent(d: Draft, c: number): boolean {
  const k = d.cpus[c];
  if (k.handler) return false;
  if (k.task < 0) return true;
  const t = d.tasks[k.task];
  const regs = d.cpu(c);
  return t.preemptCount === 0 && t.rcuDepth === 0 && regs.irqEnabled && !regs.irqShadow && t.bpWait < 0n;
}

/** A task is quiescent for synchronize_rcu_tasks() at a voluntary switch point: done, or between calls. */
export function taskQuiescent(d: Draft, t: number): boolean {
  const task = d.tasks[t];
  return task.done || !task.call || !task.call.started;
}

/** After every transition: CPUs and tasks that are quiescent now no longer hold up a grace period. */
export function noteQuiescence(d: Draft): void {
  if (!isEmpty(d.rcuWaitCpus)) for (const c of members(d.rcuWaitCpus)) if (cpuQuiescent(d, c)) d.rcuWaitCpus = remove(d.rcuWaitCpus, c);
  if (!isEmpty(d.rcuWaitTasks)) for (const t of members(d.rcuWaitTasks)) if (taskQuiescent(d, t)) d.rcuWaitTasks = remove(d.rcuWaitTasks, t);
}

/** The patcher blocks in the op it just took until `waiting`'s condition holds. */
function waitFor(d: Draft, waiting: NonNullable<PatcherState['waiting']>): void {
  d.patcher = { ...d.patcher, waiting };
}

/** One patcher step: finish a wait whose condition holds, or carry out the next op. */
export function patcherStep(d: Draft): string {
  const p = d.patcher;
  if (p.waiting !== undefined) {
    d.patcher = { ...p, waiting: undefined };
    return `wait over (${p.waiting})`;
  }
  const op = d.t.patcher[p.op];
  d.patcher = { ...p, op: p.op + 1 };
  switch (op.op) {
    case 'store': {
      // Text is written through its alias, also while the text itself is not mapped yet (a module loading).
      const memory = d.smp.machine.memory;
      const region = memory.regionAt(Number(op.address)) ?? memory.regionLaidOutAt(Number(op.address));
      const text = region?.kind === 'text';
      const address = Number(op.address + (text ? d.t.spec.aliasOffset : 0n));
      const next = storePiece(d.smp, d.t.arch, { address, bytes: op.bytes }, !text, d.t.knobs);
      if ('kind' in next) {
        const why = region && !memory.isMapped(region.name) ? ` (section ${region.name} is not mapped: its module is not loaded, or it was freed)` : '';
        d.fail({ kind: 'fault', message: `the patcher's store to 0x${op.address.toString(16)} faulted: ${next.reason}${why}`, cpu: PATCHER_CPU });
      } else d.setSmp(next);
      break;
    }
    case 'map':
      mapRegions(d, op.regions, op.on);
      break;
    case 'maintain':
      runCacheInsns(d, PATCHER_CPU, op.insns);
      break;
    case 'cache':
      runCacheInsns(d, PATCHER_CPU, [op.insn]);
      break;
    case 'sync-core':
      // An IPI to every other CPU; an idle one takes it at once (interrupts on, nothing to interleave).
      d.cpus = d.cpus.map((k, c) => (c === PATCHER_CPU ? k : { ...k, ipiPending: true }));
      for (let c = 1; c < d.cpus.length; c++) if (d.cpus[c].task === -1 && !d.cpus[c].handler) ackIpi(d, c);
      waitFor(d, 'ipi');
      break;
    case 'synchronize-rcu':
      for (let c = 1; c < d.cpus.length; c++) if (!cpuQuiescent(d, c)) d.rcuWaitCpus = add(d.rcuWaitCpus, c);
      waitFor(d, 'rcu');
      break;
    case 'synchronize-rcu-tasks':
      for (let t = 0; t < d.tasks.length; t++) if (!taskQuiescent(d, t)) d.rcuWaitTasks = add(d.rcuWaitTasks, t);
      waitFor(d, 'rcu-tasks');
      break;
    case 'stop-machine-begin':
      d.patcher = { ...d.patcher, stopping: true };
      for (let c = 1; c < d.cpus.length; c++) if (d.cpus[c].task === -1) d.cpus[c] = { ...d.cpus[c], task: STOPPED, acked: d.patcher.patchStates };
      waitFor(d, 'stop');
      break;
    case 'stop-machine-end':
      d.patcher = { ...d.patcher, stopping: false };
      for (let c = 1; c < d.cpus.length; c++) if (d.cpus[c].task === STOPPED) d.cpus[c] = { ...d.cpus[c], task: -1 };
      break;
    case 'patch-state':
      d.patcher = { ...d.patcher, patchStates: d.patcher.patchStates + 1 };
      waitFor(d, 'patch-state');
      break;
    case 'mutex-lock':
      if (d.patcher.mutexes.includes(op.mutex)) waitFor(d, 'mutex');
      else d.patcher = { ...d.patcher, mutexes: [...d.patcher.mutexes, op.mutex] };
      break;
    case 'mutex-unlock':
      d.patcher = { ...d.patcher, mutexes: d.patcher.mutexes.filter((m) => m !== op.mutex) };
      break;
    case 'bp-arm':
      d.breakpoints = [...d.breakpoints, { address: op.address, op: p.op }];
      break;
    case 'bp-disarm':
      d.breakpoints = d.breakpoints.filter((x) => x.address !== op.address);
      break;
    case 'update-begin':
      updateBegin(d, op.key, op.target);
      break;
    case 'update-end':
      updateEnd(d, op.key);
      break;
    case 'wait-calls':
      waitFor(d, 'calls');
      break;
    case 'boot-done':
      // Nothing ran while boot patched: the CPUs come up (a serializing event) seeing only the patched text.
      for (let c = 1; c < d.cpus.length; c++) d.sync(c);
      d.booted = true;
      placeReadyTasks(d);
      break;
    default:
      assertNever(op, 'patcher op');
  }
  return op.step;
}

/**
 * Map or unmap regions. A text region that becomes mapped holds fresh code no CPU could fetch before, so
 * no CPU can hold an older value of it: every window over it closes (the stores that prepared it, such as
 * a module's call sites patched at load, are simply what is there).
 */
function mapRegions(d: Draft, regions: readonly string[], on: boolean): void {
  const machine = cloneMachine(d.smp.machine);
  const unit = d.t.arch.fetchPolicy.unit;
  for (const name of regions) {
    machine.memory.setMapped(name, on);
    const r = machine.memory.region(name);
    if (on && r?.kind === 'text') for (let u = r.phys; u < r.phys + r.size; u += unit) machine.windows.closeEverywhere(u);
  }
  d.setSmp({ ...d.smp, machine });
}

/** Write a key's `func` word (static_call_key.func), when the scenario watches it, as update begins. */
function writeFuncWord(d: Draft, key: number, target: number): void {
  const at = d.t.spec.keys[key].funcAddress;
  if (at === undefined) return;
  const bytes = new Uint8Array(d.t.pointerBytes);
  writeUint(bytes, 0, bytes.length, d.t.funcValues[key][target], d.t.arch.isa.endian);
  const next = storePiece(d.smp, d.t.arch, { address: Number(at), bytes }, true, d.t.knobs);
  if ('kind' in next) d.fail({ kind: 'fault', message: `writing ${d.t.spec.keys[key].name}'s func word at 0x${at.toString(16)} faulted: ${next.reason}`, cpu: PATCHER_CPU });
  else d.setSmp(next);
}

export function ackIpi(d: Draft, c: number): void {
  d.cpus[c] = { ...d.cpus[c], ipiPending: false };
  d.sync(c);
}

function keyIndex(d: Draft, name: string): number {
  return d.t.spec.keys.findIndex((k) => k.name === name);
}

/** From now until update-end, a call through the key may reach the old or the new target. */
function updateBegin(d: Draft, name: string, target: string): void {
  const key = keyIndex(d, name);
  if (key < 0) return;
  const next = d.t.spec.keys[key].targets.indexOf(target);
  writeFuncWord(d, key, next);
  const ks = d.keys[key];
  d.keys[key] = { ...ks, valid: add(ks.valid, next), current: next, updating: true };
  // Calls in flight through this key may now legitimately reach the new target too. A call that has not
  // begun takes its valid targets when it does (noteReached), so its set stays empty until then.
  d.tasks = d.tasks.map((t) => (t.call?.started && t.call.key === key ? { ...t, call: { ...t.call, allowed: add(t.call.allowed, next) } } : t));
  d.cpus = d.cpus.map((k) => (k.handler?.call?.started && k.handler.call.key === key ? { ...k, handler: { ...k.handler, call: { ...k.handler.call, allowed: add(k.handler.call.allowed, next) } } } : k));
  // So may passes in flight over a static key's sites (static_branch_enable/disable).
  if (d.t.spec.keys[key].jumpEntries) widenPasses(d, key, next);
}

function updateEnd(d: Draft, name: string): void {
  const key = keyIndex(d, name);
  if (key < 0) return;
  const ks = d.keys[key];
  // A key visible only eventually keeps every target it has had: a CPU may go on reaching an old one.
  const valid = d.t.spec.keys[key].visibility === 'eventually' ? ks.valid : singleton(ks.current);
  // Boot's updates (static_call_init) happen while nothing runs: no call can tell, and none counts.
  d.keys[key] = { ...ks, valid, updating: false, updatesDone: ks.updatesDone + (d.booted ? 1 : 0) };
}

/** Boot is over: ready tasks go to idle CPUs in order (task i to the i-th free CPU), deterministically. */
export function placeReadyTasks(d: Draft): void {
  let c = 1;
  for (let i = 0; i < d.tasks.length; i++) {
    const task = d.tasks[i];
    if (task.cpu >= 0 || task.done) continue;
    while (c < d.cpus.length && (d.cpus[c].task !== -1 || d.cpus[c].handler)) c++;
    if (c >= d.cpus.length) return;
    d.cpus[c] = { ...d.cpus[c], task: i };
    d.loadCpu(c, task.saved ?? d.t.idleCpu);
    d.tasks[i] = { ...task, cpu: c, saved: undefined };
  }
}
