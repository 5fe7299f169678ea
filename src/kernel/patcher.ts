// The patchers, each a kernel thread on its own CPU: one primitive step of a program per transition, and the waiting rules of
// MODEL.md section 4 (sync_core's acks, the two RCU flavours, stop_machine, PATCH_SYNC acks, text_mutex).

import { assertNever } from '../base/assert.js';
import { add, has, isEmpty, members, remove, singleton, type BitSet } from '../base/bitset.js';
import { writeUint } from '../base/bits.js';
import { cloneMachine } from '../machine/state.js';
import { storePiece } from '../machine/step.js';
import { runCacheInsns } from './cache-maintenance.js';
import type { Draft } from './draft.js';
import { widenPasses } from './jump-label.js';
import type { KernelOp, OpGuard } from './spec.js';
import { STOPPED, type ArmedBreakpoint, type PatcherState, type TaskState } from './state.js';

/**
 * Patcher i is a kernel thread on CPU i: the first CPUs are the patchers', tasks run on the others. A
 * patcher's CPU runs no scenario code, so nothing of it is ever fetched; it is a CPU for the maintenance
 * and barriers the patcher executes, and for the lane the trace gives it.
 */
export function patcherCpu(i: number): number {
  return i;
}

/** The first CPU tasks run on (every CPU before it is a patcher's). */
export function firstTaskCpu(d: { readonly t: { readonly patchers: readonly unknown[] } }): number {
  return d.t.patchers.length;
}

/** What the questions below read: a draft, or a state with the run's tables. */
export interface PatcherView {
  readonly t: Draft['t'];
  readonly tasks: readonly TaskState[];
  readonly patchers: readonly PatcherState[];
  readonly rcuWaitTasks: readonly BitSet[];
}

/** The op at index `at` of patcher i's program. */
function opOf(d: Draft, i: number, at: number): KernelOp | undefined {
  return d.t.patchers[i][at];
}

/** Is patcher i's wait over? */
export function waitOver(d: Draft, i: number): boolean {
  const p = d.patchers[i];
  const first = firstTaskCpu(d);
  switch (p.waiting) {
    case undefined:
      return true;
    case 'ipi':
      return d.cpus.every((k) => !k.ipiPending);
    case 'rcu':
      return isEmpty(d.rcuWaitCpus[i]);
    case 'rcu-tasks':
      return isEmpty(d.rcuWaitTasks[i]);
    case 'stop':
      return d.cpus.every((k, c) => c < first || k.task === STOPPED);
    case 'patch-state':
      return d.cpus.every((k, c) => c < first || k.acked >= d.patchStates);
    case 'mutex': {
      const op = opOf(d, i, p.op - 1);
      return op !== undefined && mutexFree(d, i, lockedBy(d, op));
    }
    case 'calls': {
      const op = opOf(d, i, p.op - 1);
      return op?.op !== 'wait-calls' || callsCompleted(d, op.task) >= op.count;
    }
    default:
      assertNever(p.waiting, 'patcher wait');
  }
}

/**
 * The mutex an op takes: `mutex-lock`'s, and for an update's begin the mutex the kernel's API holds over
 * the whole update (KeySpec.updateMutex: static_call_update's `static_call_mutex`, static_branch_enable's
 * `jump_label_mutex`). Undefined for any other op.
 */
function lockedBy(d: Draft, op: KernelOp): string | undefined {
  if (op.op === 'mutex-lock') return op.mutex;
  if (op.op === 'update-begin') return updateMutex(d, op.key);
  return undefined;
}

function updateMutex(d: Draft, key: string): string | undefined {
  const k = keyIndex(d, key);
  return k < 0 ? undefined : d.t.spec.keys[k].updateMutex;
}

function isUpdateMutex(d: Draft, m: string): boolean {
  return d.t.spec.keys.some((k) => k.updateMutex === m);
}

/**
 * May patcher i take `mutex` now? Only if no patcher holds it: a patcher that holds it already waits
 * forever (the kernel's mutexes do not nest). An update mutex is held by whoever is inside an update of a
 * key of its kind (the key's `updater`), and every key of an update switched together
 * (`update K1 -> T1, K2 -> T2`) takes it in turn.
 */
function mutexFree(d: Draft, i: number, mutex: string | undefined): boolean {
  if (mutex === undefined) return true;
  // A module load holds an update mutex by `mutex_lock` (static_call_add_module under static_call_mutex).
  const listed = d.patchers.some((p, j) => p.mutexes.includes(mutex) && (j !== i || !isUpdateMutex(d, mutex)));
  if (isUpdateMutex(d, mutex)) return !listed && !d.keys.some((k, key) => k.updater >= 0 && k.updater !== i && d.t.spec.keys[key].updateMutex === mutex);
  return !listed;
}

/** How many calls `task` has completed (all of them once it is done). */
export function callsCompleted(d: Pick<PatcherView, 't' | 'tasks'>, task: string): number {
  const i = d.t.spec.tasks.findIndex((t) => t.name === task);
  if (i < 0) return Infinity;
  const t = d.tasks[i];
  const program = d.t.spec.tasks[i].program;
  const upTo = t.done ? program.length : t.op;
  return program.slice(0, upTo).filter((o) => o.op === 'call').length - (t.call ? 1 : 0);
}

/**
 * Can patcher i take a step now? Not while another patcher's stop_machine runs (its thread is stopped
 * with every other CPU: its steps commute with the gathering, which synchronizes each CPU it stops, and
 * it takes none until the stop ends), and not before boot is over unless it is the patcher that boots.
 */
export function patcherEnabled(d: Draft, i: number): boolean {
  if (d.violation) return false;
  if (d.stopper >= 0 && d.stopper !== i) return false;
  if (!d.booted && i !== d.t.bootPatcher) return false;
  const p = d.patchers[i];
  if (p.waiting !== undefined) return waitOver(d, i);
  return p.op < d.t.patchers[i].length;
}

export function patcherFinished(d: Draft, i: number): boolean {
  const p = d.patchers[i];
  return p.waiting === undefined && p.op >= d.t.patchers[i].length;
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

/**
 * Can patcher i run its op `at` only after task `task`, inside a call it has begun, has left that call? So
 * when a wait the patcher is in, or one of its unguarded ops before `at`, waits for it: synchronize_rcu_tasks
 * (a begun call is no voluntary switch point, so the grace period counts the task in when it begins and
 * lets it go when the call returns), or wait_calls for a count of the task's calls that this one completes.
 * Ops are taken in order, so until the task's call returns, op `at` does not run (collapse, world.ts).
 */
export function waitsForCall(d: PatcherView, i: number, at: number, task: number): boolean {
  const p = d.patchers[i];
  const name = d.t.spec.tasks[task].name;
  const program = d.t.patchers[i];
  // A wait_calls holds the patcher until this call returns while the task has completed fewer calls than it counts.
  const holds = (op: KernelOp) => watchesCallsOf(op, name) && (op.op !== 'wait-calls' || callsCompleted(d, name) < op.count);
  if (p.waiting === 'rcu-tasks' && has(d.rcuWaitTasks[i], task)) return true;
  if (p.waiting === 'calls' && holds(program[p.op - 1])) return true;
  for (let j = p.op; j < at; j++) if (!program[j].guard && holds(program[j])) return true;
  return false;
}

/**
 * Can some patcher still tell when task `task` leaves a call? A synchronize_rcu_tasks it is in or has still
 * to begin counts the task in while it is inside a call, and a wait_calls for the task counts its returns.
 * Nothing else a patcher does reads where a task is between its calls (collapse, world.ts).
 */
export function watchesCalls(d: PatcherView, task: number): boolean {
  const name = d.t.spec.tasks[task].name;
  for (let i = 0; i < d.patchers.length; i++) {
    const p = d.patchers[i];
    if (p.waiting === 'rcu-tasks' || p.waiting === 'calls') return true;
    const program = d.t.patchers[i];
    for (let j = p.op; j < program.length; j++) if (watchesCallsOf(program[j], name)) return true;
  }
  return false;
}

/** The ops that read where task `name` is between its calls: a grace period of RCU tasks, a wait for its calls. */
function watchesCallsOf(op: KernelOp, name: string): boolean {
  return op.op === 'synchronize-rcu-tasks' || (op.op === 'wait-calls' && op.task === name);
}

/**
 * After every transition: CPUs and tasks that are quiescent now no longer hold up a grace period. Each
 * patcher's grace period is its own: one that began later may wait for readers that began after an
 * earlier one's, which the earlier one must not wait for.
 */
export function noteQuiescence(d: Draft): void {
  d.rcuWaitCpus = passQuiescent(d.rcuWaitCpus, (c) => cpuQuiescent(d, c));
  d.rcuWaitTasks = passQuiescent(d.rcuWaitTasks, (t) => taskQuiescent(d, t));
}

/** The sets without their quiescent members (the same array when nothing changes). */
function passQuiescent(sets: readonly BitSet[], quiescent: (x: number) => boolean): readonly BitSet[] {
  let out: BitSet[] | undefined;
  sets.forEach((set, i) => {
    if (isEmpty(set)) return;
    let next = set;
    for (const x of members(set)) if (quiescent(x)) next = remove(next, x);
    if (next !== set) (out ??= sets.slice())[i] = next;
  });
  return out ?? sets;
}

/** Set patcher i's entry of a per-patcher list. */
function withEntry(sets: readonly BitSet[], i: number, set: BitSet): readonly BitSet[] {
  const out = sets.slice();
  out[i] = set;
  return out;
}

function setPatcher(d: Draft, i: number, p: PatcherState): void {
  const all = d.patchers.slice();
  all[i] = p;
  d.patchers = all;
}

/** Patcher i blocks in the op it just took until `waiting`'s condition holds. */
function waitFor(d: Draft, i: number, waiting: NonNullable<PatcherState['waiting']>): void {
  setPatcher(d, i, { ...d.patchers[i], waiting });
}

/** Patcher i takes `mutex` (an update mutex is not listed: the key's `updater` says who holds it). */
function take(d: Draft, i: number, mutex: string | undefined, byUpdate: boolean): void {
  if (mutex !== undefined && !(byUpdate && isUpdateMutex(d, mutex))) setPatcher(d, i, { ...d.patchers[i], mutexes: [...d.patchers[i].mutexes, mutex] });
}

/** One step of patcher i: finish a wait whose condition holds, or carry out its next op. */
export function patcherStep(d: Draft, i: number): string {
  const p = d.patchers[i];
  const cpu = patcherCpu(i);
  if (p.waiting !== undefined) {
    setPatcher(d, i, { ...p, waiting: undefined });
    // A sleeper on a mutex is woken holding it; an update that slept on its mutex begins.
    const blocked = opOf(d, i, p.op - 1);
    if (p.waiting === 'mutex' && blocked) {
      take(d, i, lockedBy(d, blocked), blocked.op === 'update-begin');
      if (blocked.op === 'update-begin') updateBegin(d, i, blocked.key, blocked.target);
    }
    return `wait over (${p.waiting})`;
  }
  const op = d.t.patchers[i][p.op];
  setPatcher(d, i, { ...p, op: p.op + 1 });
  if (op.guard && !guardHolds(d, op.guard)) return `${op.step} (skipped: ${op.guard.kind === 'mapped' ? `module ${op.guard.module} is not loaded` : `${op.guard.key} is not ${op.guard.target}`})`;
  const first = firstTaskCpu(d);
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
        d.fail({ kind: 'fault', message: `${patcherName(d.t.spec, i)}'s store to 0x${op.address.toString(16)} faulted: ${next.reason}${why}`, cpu });
      } else d.setSmp(next);
      break;
    }
    case 'map':
      mapRegions(d, op.regions, op.on);
      break;
    case 'maintain':
      runCacheInsns(d, cpu, op.insns);
      break;
    case 'cache':
      runCacheInsns(d, cpu, [op.insn]);
      break;
    case 'sync-core':
      // An IPI to every CPU tasks run on; an idle one takes it at once (interrupts on, nothing to
      // interleave). Another patcher's CPU runs no code that could be stale: it needs none.
      d.cpus = d.cpus.map((k, c) => (c < first ? k : { ...k, ipiPending: true }));
      for (let c = first; c < d.cpus.length; c++) if (d.cpus[c].task === -1 && !d.cpus[c].handler) ackIpi(d, c);
      waitFor(d, i, 'ipi');
      break;
    case 'synchronize-rcu': {
      let wait = d.rcuWaitCpus[i];
      for (let c = first; c < d.cpus.length; c++) if (!cpuQuiescent(d, c)) wait = add(wait, c);
      d.rcuWaitCpus = withEntry(d.rcuWaitCpus, i, wait);
      waitFor(d, i, 'rcu');
      break;
    }
    case 'synchronize-rcu-tasks': {
      let wait = d.rcuWaitTasks[i];
      for (let t = 0; t < d.tasks.length; t++) if (!taskQuiescent(d, t)) wait = add(wait, t);
      d.rcuWaitTasks = withEntry(d.rcuWaitTasks, i, wait);
      waitFor(d, i, 'rcu-tasks');
      break;
    }
    case 'stop-machine-begin':
      d.stopper = i;
      for (let c = first; c < d.cpus.length; c++) if (d.cpus[c].task === -1) d.cpus[c] = { ...d.cpus[c], task: STOPPED, acked: d.patchStates };
      waitFor(d, i, 'stop');
      break;
    case 'stop-machine-end':
      d.stopper = -1;
      for (let c = first; c < d.cpus.length; c++) if (d.cpus[c].task === STOPPED) d.cpus[c] = { ...d.cpus[c], task: -1 };
      break;
    case 'stopper-sync':
      for (let c = first; c < d.cpus.length; c++) if (d.cpus[c].task === STOPPED) d.sync(c);
      break;
    case 'patch-state':
      d.patchStates++;
      waitFor(d, i, 'patch-state');
      break;
    case 'mutex-lock':
      if (mutexFree(d, i, op.mutex)) take(d, i, op.mutex, false);
      else waitFor(d, i, 'mutex');
      break;
    case 'mutex-unlock':
      setPatcher(d, i, { ...d.patchers[i], mutexes: d.patchers[i].mutexes.filter((m) => m !== op.mutex) });
      break;
    case 'bp-arm':
      armBreakpoint(d, i, p.op, op);
      break;
    case 'bp-disarm':
      // A disarm in a shared descriptor drops its reference: the descriptor ends for every site in it.
      d.breakpoints = d.breakpoints.filter((x) => x.address !== op.address && (op.descriptor === undefined || descriptorOf(d, x) !== op.descriptor));
      break;
    case 'update-begin':
      if (mutexFree(d, i, updateMutex(d, op.key))) updateBegin(d, i, op.key, op.target);
      else waitFor(d, i, 'mutex');
      break;
    case 'update-end':
      updateEnd(d, op.key);
      break;
    case 'wait-calls':
      waitFor(d, i, 'calls');
      break;
    case 'boot-done':
      // Nothing ran while boot patched: the CPUs come up (a serializing event) seeing only the patched text.
      for (let c = first; c < d.cpus.length; c++) d.sync(c);
      d.booted = true;
      placeReadyTasks(d);
      break;
    default:
      assertNever(op, 'patcher op');
  }
  return op.step;
}

/** Does an op's guard (several patchers: a module site's, a module load's per target) hold now? */
function guardHolds(d: Draft, g: OpGuard): boolean {
  switch (g.kind) {
    case 'mapped':
      return d.smp.machine.memory.isMapped(g.region);
    case 'target':
    {
      const k = keyIndex(d, g.key);
      return d.t.spec.keys[k].targets[d.keys[k].current] === g.target;
    }
    default:
      return assertNever(g, 'op guard');
  }
}

/** A patcher's name in messages: `the patcher` when there is one, else `patcher NAME`. */
export function patcherName(spec: { readonly patchers: readonly { readonly name: string }[] }, i: number): string {
  return spec.patchers.length === 1 ? 'the patcher' : `patcher ${spec.patchers[i].name}`;
}

/** The shared descriptor an armed site belongs to, if any. */
function descriptorOf(d: Draft, x: ArmedBreakpoint): string | undefined {
  const op = d.t.patchers[x.patcher][x.op];
  return op.op === 'bp-arm' ? op.descriptor : undefined;
}

/**
 * Arm a site. In a shared descriptor (text_poke_bp's bp_desc) this is the kernel's assignment of the
 * descriptor's vector: the sites another patcher armed there are gone from it.
 */
function armBreakpoint(d: Draft, i: number, at: number, op: Extract<KernelOp, { op: 'bp-arm' }>): void {
  const kept = op.descriptor === undefined ? d.breakpoints : d.breakpoints.filter((x) => x.patcher === i || descriptorOf(d, x) !== op.descriptor);
  d.breakpoints = [...kept, { address: op.address, patcher: i, op: at }];
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
function writeFuncWord(d: Draft, i: number, key: number, target: number): void {
  const at = d.t.spec.keys[key].funcAddress;
  if (at === undefined) return;
  const bytes = new Uint8Array(d.t.pointerBytes);
  writeUint(bytes, 0, bytes.length, d.t.funcValues[key][target], d.t.arch.isa.endian);
  const next = storePiece(d.smp, d.t.arch, { address: Number(at), bytes }, true, d.t.knobs);
  if ('kind' in next) d.fail({ kind: 'fault', message: `writing ${d.t.spec.keys[key].name}'s func word at 0x${at.toString(16)} faulted: ${next.reason}`, cpu: patcherCpu(i) });
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
function updateBegin(d: Draft, i: number, name: string, target: string): void {
  const key = keyIndex(d, name);
  if (key < 0) return;
  const next = d.t.spec.keys[key].targets.indexOf(target);
  writeFuncWord(d, i, key, next);
  const ks = d.keys[key];
  d.keys[key] = { ...ks, valid: add(ks.valid, next), current: next, updater: i };
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
  d.keys[key] = { ...ks, valid, updater: -1, updatesDone: ks.updatesDone + (d.booted ? 1 : 0) };
}

/** Boot is over: ready tasks go to idle CPUs in order (task i to the i-th free CPU), deterministically. */
export function placeReadyTasks(d: Draft): void {
  let c = firstTaskCpu(d);
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
