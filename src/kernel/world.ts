// The kernel world as a transition system: initial state, enabled actions, successors, fingerprints and
// footprints — everything the checker needs, with no search policy of its own.

import { EMPTY_SET, equal, singleton, type BitSet } from '../base/bitset.js';
import { packLike, unpackLike, WordReader, type Field, type WordWriter } from '../base/layout.js';
import { newCpu } from '../machine/cpu.js';
import type { MachineState } from '../machine/state.js';
import { fetchWindowsFor, initialSmp } from '../machine/step.js';
import { applyAction, enabledActions, type Transition, type WorldAction } from './actions.js';
import { Draft } from './draft.js';
import { advanceHarness, quietReturn } from './harness.js';
import { patcherCpu, patcherFinished, patcherName, placeReadyTasks, waitsForCall, watchesCalls, type PatcherView } from './patcher.js';
import type { WorldSpec } from './spec.js';
import { WorldHasher } from './world-fingerprint.js';
import { worldField } from './world-layout.js';
import { IDLE, STOPPED, type CallRecord, type Context, type CpuKernel, type PatcherState, type WorldState } from './state.js';
import { buildTables, inRanges, type WorldTables } from './tables.js';
import type { Violation } from './violation.js';
import type { LoopStep, PackedState } from '../checker/model.js';

/** What the patcher is blocked in, for a livelock's message. */
const WAIT_TEXTS = {
  ipi: 'in sync_core, for every CPU to take its IPI',
  rcu: 'in synchronize_rcu',
  'rcu-tasks': 'in synchronize_rcu_tasks',
  stop: 'in stop_machine, for every other CPU to enter the stopper',
  'patch-state': 'for every CPU to ack a PATCH_SYNC state',
  mutex: 'for a mutex',
  calls: 'for a task to complete its calls',
} as const satisfies Record<NonNullable<PatcherState['waiting']>, string>;

export interface WorldFootprint {
  readonly actor: number;
  readonly reads: readonly number[];
  readonly writes: readonly number[];
  readonly global: boolean;
  readonly deferrable?: boolean;
}

/** Room over the hand count in `stateBytes` (see there) for what it misses. */
const STATE_BYTES_CALIBRATION = 1.2;


export class KernelWorld {
  readonly t: WorldTables;

  /**
   * The fingerprint up to the world's symmetries (see `canonical`). Offered only where it can merge
   * something: otherwise the checker uses sleep sets instead.
   */
  readonly canonicalFingerprint?: (s: WorldState) => readonly [number, number];

  constructor(readonly spec: WorldSpec) {
    this.t = buildTables(spec);
    this.hasher = new WorldHasher(this.t);
    // Symmetry can merge something only with twin tasks or two CPUs besides the patchers'.
    if (this.t.taskClass.some((cls, i) => cls !== i) || this.t.cpuCount - this.t.patchers.length > 1) this.canonicalFingerprint = (s) => this.hasher.canonical(s);
  }

  initial(): WorldState {
    const t = this.t;
    const n = t.cpuCount;
    const machine: MachineState = { memory: t.loaded.memory.clone(), windows: fetchWindowsFor(t.arch, n, t.knobs), cpus: Array.from({ length: n }, () => t.idleCpu) };
    const booted = t.bootPatcher < 0;
    const cpus: CpuKernel[] = Array.from({ length: n }, () => ({ task: IDLE, handler: undefined, ipiPending: false, acked: 0 }));
    const s0: WorldState = {
      smp: initialSmp(machine), tasks: [], cpus,
      patchers: t.patchers.map(() => ({ op: 0, waiting: undefined, mutexes: [] })), stopper: -1, patchStates: 0,
      keys: this.spec.keys.map((k) => {
        const current = k.targets.indexOf(k.initial);
        return { valid: singleton(current), current, updater: -1, updatesDone: 0 };
      }),
      breakpoints: [], booted, rcuWaitCpus: t.patchers.map(() => EMPTY_SET), rcuWaitTasks: t.patchers.map(() => EMPTY_SET), used: { interrupts: 0, preemptions: 0, nmis: 0 }, violation: undefined,
    };
    const d = new Draft(t, s0);
    this.spec.tasks.forEach((task, i) => {
      const regs = newCpu(t.arch.registers.names.length, 0n, i);
      const ctx0: Context = { op: 0, call: undefined, preemptCount: 0, rcuDepth: 0, critical: undefined, done: false, bpWait: -1n };
      const ctx = advanceHarness(d, ctx0, regs, { program: task.program, stackTop: t.stackTops[i], name: task.name, cpu: -1 });
      d.tasks.push({ ...ctx, cpu: -1, saved: regs });
    });
    if (booted) placeReadyTasks(d);
    return d.freeze();
  }

  actions(s: WorldState): readonly WorldAction[] {
    return enabledActions(this.t, s);
  }

  transition(s: WorldState, a: WorldAction): Transition {
    // The successors of the state being expanded (footprints compute them, next reuses them): a few
    // entries compared by identity, dropped when another state is asked about.
    if (s !== this.trState) {
      this.trState = s;
      this.trActions.length = 0;
      this.trValues.length = 0;
    }
    const i = this.trActions.indexOf(a);
    if (i >= 0) return this.trValues[i];
    const tr = applyAction(this.t, s, a);
    this.trActions.push(a);
    this.trValues.push(tr);
    return tr;
  }
  /** Successors of the state last asked about, computed for footprints and reused by `next`. */
  private trState: WorldState | undefined;
  private readonly trActions: WorldAction[] = [];
  private readonly trValues: Transition[] = [];

  next(s: WorldState, a: WorldAction): WorldState {
    return this.transition(s, a).state;
  }

  violation(s: WorldState): Violation | undefined {
    return s.violation;
  }

  /**
   * No step is possible and something has not finished. With several patchers the message says what each
   * waiting patcher waits for, and a mutex's holder (an ABBA order shows as each waiting for the other).
   */
  deadlock(s: WorldState): Violation {
    const base = 'no step is possible and some task or the patcher has not finished';
    if (this.spec.patchers.length === 1) return { kind: 'deadlock', message: base };
    const waits = s.patchers.flatMap((p, i) => {
      if (!p.waiting) return [];
      const who = patcherName(this.spec, i);
      const op = this.t.patchers[i][p.op - 1];
      if (p.waiting === 'mutex' && op?.op === 'mutex-lock') {
        const holder = s.patchers.findIndex((q) => q.mutexes.includes(op.mutex));
        return [`${who} waits for ${op.mutex}${holder >= 0 ? `, held by ${patcherName(this.spec, holder)}` : ''}`];
      }
      return [`${who} waits ${WAIT_TEXTS[p.waiting]}`];
    });
    return { kind: 'deadlock', message: waits.length > 0 ? `no step is possible: ${waits.join('; ')}` : base };
  }

  /**
   * A state from which no execution lets every task and the patcher finish, though steps remain: named by
   * who keeps stepping in the loop the checker found (with interrupts off where they are), and what the
   * patcher waits for.
   */
  livelock(s: WorldState, cycle: readonly LoopStep<WorldState, WorldAction>[]): Violation {
    const names: string[] = [];
    let cpu: number | undefined, task: string | undefined;
    for (const { state, action } of cycle) {
      if (action.kind === 'patcher') {
        const who = patcherName(this.spec, action.patcher);
        if (!names.includes(who)) names.push(who);
        continue;
      }
      const c = action.cpu;
      const k = state.cpus[c];
      const who = k.handler ? `the ${k.handler.kind.toUpperCase()} on CPU ${c}` : k.task >= 0 ? `${this.spec.tasks[k.task].name} on CPU ${c}` : k.task === STOPPED ? `the stopper on CPU ${c}` : `CPU ${c}`;
      const name = state.smp.machine.cpus[c].irqEnabled ? who : `${who} (interrupts off)`;
      if (names.includes(name)) continue;
      names.push(name);
      cpu ??= c;
      if (k.task >= 0 && !k.handler) task ??= this.spec.tasks[k.task].name;
    }
    const waits = (cycle[0]?.state ?? s).patchers.flatMap((p, i) => (p.waiting ? [`${patcherName(this.spec, i)} waits ${WAIT_TEXTS[p.waiting]}`] : []));
    const waiting = waits.map((w) => `; ${w}`).join('');
    const everyone = this.spec.patchers.length === 1 ? 'every task and the patcher' : 'every task and patcher';
    const message = `${names.join(', ')} ${names.length === 1 ? 'loops' : 'loop'} forever${waiting}: no execution from here lets ${everyone} finish`;
    return { kind: 'livelock', message, ...(cpu !== undefined ? { cpu } : {}), ...(task !== undefined ? { task } : {}) };
  }

  finished(s: WorldState): boolean {
    for (const t of s.tasks) if (!t.done) return false;
    for (const k of s.cpus) if (k.handler) return false;
    const d = new Draft(this.t, s, true);
    for (let i = 0; i < this.t.patchers.length; i++) if (!patcherFinished(d, i)) return false;
    return true;
  }

  /**
   * A queued state's own bytes, roughly from above: V8 object sizes counted by hand for what a transition
   * copies (the state's records, the arrays of CPUs and tasks, the page table and the pages it wrote, the
   * open fetch windows), times a margin. On bench/scenarios/x86-ool-text-poke-bp-t2c2p2.scn the count
   * matches the heap per queued state measured after a full GC (2.7 KB at the largest queue, within 5%); the
   * margin covers what it misses elsewhere. Sized when queued (the search's rule): `ownBytes` counts the
   * pages copied since the last clone, which expanding the state resets.
   */
  stateBytes(s: WorldState): number {
    const cpus = s.cpus.length, tasks = s.tasks.length;
    const machine = s.smp.machine;
    const records = 600 + 16 * cpus + 8 * tasks + 64 * s.keys.length;
    // A step changes one CPU (or task): its register file and its kernel record.
    const changed = 160 + 8 * this.t.arch.registers.names.length + 120;
    const windows = 64 + machine.windows.openUnitCount * (80 + 4 * (48 + 8 * cpus));
    return Math.ceil(STATE_BYTES_CALIBRATION * (records + changed + machine.memory.ownBytes + windows));
  }

  /** The layout of this run's states (kernel/world-layout.ts), built on first use. */
  private layout: Field<WorldState> | undefined;

  pack(s: WorldState, w: WordWriter, like?: PackedState<WorldState>): void {
    const f = (this.layout ??= worldField(this.t, this.initial()));
    if (like) packLike(f, w, s, new WordReader(like.words, like.at), like.state);
    else f.pack(w, s);
  }

  unpack(r: WordReader, like?: PackedState<WorldState>): WorldState {
    const f = (this.layout ??= worldField(this.t, this.initial()));
    return like ? unpackLike(f, r, new WordReader(like.words, like.at), like.state) : f.unpack(r);
  }

  /** The layout, for tests that vary every field. */
  get stateLayout(): Field<WorldState> {
    return (this.layout ??= worldField(this.t, this.initial()));
  }

  describe(s: WorldState, a: WorldAction): string {
    return this.transition(s, a).text();
  }

  fingerprint(s: WorldState): readonly [number, number] {
    return this.hasher.fingerprint(s);
  }

  /** Fingerprints, plain and canonical (kernel/world-fingerprint.ts). */
  private readonly hasher: WorldHasher;

  /**
   * What an action touches, for partial-order reduction. A plain instruction step reads the 8-byte granules
   * it fetched and loaded and writes those it stored; a patcher store writes its granules. Everything the
   * kernel does beyond that (interrupts, waits, calls returning, traps, cache maintenance) is `global`.
   */
  footprint(s: WorldState, a: WorldAction): WorldFootprint {
    const tr = this.transition(s, a);
    const n = tr.state;
    if (n.violation || !sameSets(n.rcuWaitCpus, s.rcuWaitCpus) || !sameSets(n.rcuWaitTasks, s.rcuWaitTasks)) return globalFootprint(a);
    // Preempting a task, taking a sync_core IPI or entering the stopper is as good just after an invisible
    // step as just before it: that step touches only the task's own registers and stack and code nobody
    // writes (no fetch window: the CPU's synchronizing changes nothing for it), leaves interrupts, the
    // preempt count and the call as they were (so the action stays enabled), and wherever the task
    // resumes, it would take the same step there. (Not IRQs or NMIs: a handler starts from the
    // interrupted registers.)
    if (a.kind === 'preempt' || a.kind === 'ipi' || a.kind === 'stop') return { ...globalFootprint(a), deferrable: true };
    if (a.kind === 'patcher') {
      const p = s.patchers[a.patcher];
      const op = this.t.patchers[a.patcher][p.op];
      if (p.waiting !== undefined || !op || op.op !== 'store') return globalFootprint(a);
      const t = s.smp.machine.memory.translate(Number(op.address), op.bytes.length);
      if (!t) return globalFootprint(a);
      return { actor: patcherCpu(a.patcher), reads: NONE, writes: pushGranules([], t.phys, op.bytes.length), global: false };
    }
    if (a.kind !== 'step' || !tr.step) return globalFootprint(a);
    const ev = tr.step.event;
    if (ev.kind !== 'executed') return globalFootprint(a);
    const out = ev.outcome.kind;
    if (out !== 'next' && out !== 'sync' && out !== 'exception-return') return globalFootprint(a);
    const before = s.cpus[a.cpu];
    const after = n.cpus[a.cpu];
    const ctxBefore = before.handler ?? s.tasks[before.task];
    const ctxAfter = after.handler ?? (after.task >= 0 ? n.tasks[after.task] : undefined);
    if (!ctxAfter) return globalFootprint(a);
    if (!sameCall(ctxBefore.call, ctxAfter.call)) {
      // A call returned through the harness, which checked it and prepared the next. That touches only the
      // task's own state when the check's answer cannot depend on when it ran and no patcher can tell.
      if (before.handler || !quietReturn(ctxBefore, ctxAfter) || watchesCalls(this.view(s), before.task)) return globalFootprint(a);
    } else {
      // A call's first instruction takes the task out of its voluntary switch point: from then on
      // synchronize_rcu_tasks waits for it, so that step does not commute with a grace period beginning.
      if (ctxBefore.call!.started !== ctxAfter.call!.started) return globalFootprint(a);
      // A pass over a static_branch site begins (reading the key's state) or ends (checked against it).
      if (ctxBefore.call!.pass !== ctxAfter.call!.pass) return globalFootprint(a);
    }
    const pc = s.smp.machine.cpus[a.cpu].pc;
    const t = s.smp.machine.memory.translate(Number(pc), 1);
    if (!t) return globalFootprint(a);
    const regsBefore = s.smp.machine.cpus[a.cpu], regsAfter = n.smp.machine.cpus[a.cpu];
    // A change of the CPU's interrupt state changes what synchronize_rcu would wait for.
    if (regsBefore.irqEnabled !== regsAfter.irqEnabled || regsBefore.irqShadow !== regsAfter.irqShadow) return globalFootprint(a);
    const reads = pushGranules([], t.phys, ev.length);
    for (const l of tr.step.loads) pushGranules(reads, l, 8);
    const writes: number[] = [];
    for (const st of tr.step.stores) pushGranules(writes, st, 8);
    // A step that fetches and loads only what nobody ever writes (code no patcher store touches, read-only
    // data) or its own stack, and stores only to its stack, commutes with everything any other actor can
    // ever do: it is invisible, and the checker may take it without branching. (Stacks are private: a task
    // only touches its own, unless a wild pointer says otherwise.)
    // In anchored windows (riscv64 without Ziccid) a load or store, even of the stack, marks where the CPU's
    // FENCE.I anchors: which stores came before it then depends on the order, so it is not invisible.
    const anchors = (tr.step.loads.length > 0 || tr.step.stores.length > 0) && s.smp.machine.windows.anchored && s.smp.machine.windows.needsAccessMark(a.cpu);
    if (!anchors && this.invisible(s, a.cpu, t.phys, ev.length, reads, writes)) return { actor: a.cpu, reads: NONE, writes: NONE, global: false };
    return { actor: a.cpu, reads, writes, global: false };
  }

  actor(a: WorldAction): number {
    return actorOf(a);
  }

  /** Only an instruction step can be invisible: every other action's footprint is global or writes (see `footprint`). */
  mayBeInvisible(a: WorldAction): boolean {
    return a.kind === 'step';
  }

  /**
   * Fetches [fetched, fetched + length) and reads the other granules of `reads` (its loads') only where
   * nobody writes or in stacks, and writes only to stacks (see `footprint`). The fetch is judged by its own
   * bytes; a load, whose width the step does not record, by the 8-byte granules it may touch.
   */
  private invisible(s: WorldState, cpu: number, fetched: number, length: number, reads: readonly number[], writes: readonly number[]): boolean {
    const t = this.t;
    const fetchGranules = ((fetched + length - 1) >>> 3) - (fetched >>> 3) + 1;
    let inStack = true;
    for (let i = 0; i < fetchGranules; i++) inStack &&= inRanges(t.stackRanges, reads[i]);
    if (!inStack && !this.settled(s, cpu, fetched, length)) return false;
    for (let i = fetchGranules; i < reads.length; i++) if (!inRanges(t.stackRanges, reads[i]) && !this.settled(s, cpu, reads[i] * 8, 8)) return false;
    for (const g of writes) if (!inRanges(t.stackRanges, g)) return false;
    return true;
  }

  /**
   * Will bytes [at, at + size) read the same for CPU `cpu`'s context until it takes its next step, whatever
   * any other actor does first? Read-only (no CPU stores there), not a module's (mapped and unmapped) nor a
   * key's func word, and for code a patcher writes:
   * - no store of it left that the patcher can run before then: none left in its program, or every one
   *   behind a wait for this task's call to return (`waitsForCall`);
   * - the CPU already certain of its newest bytes: no value older than them left in its fetch window, so no
   *   synchronization or maintenance can change what it fetches there;
   * - where returning to a preempted task does not make its CPU certain of everything (`resumeSyncs`), every
   *   CPU tasks run on certain of them: the task may be preempted first and resumed on another CPU.
   */
  private settled(s: WorldState, cpu: number, at: number, size: number): boolean {
    const t = this.t;
    for (let g = at >>> 3; g <= (at + size - 1) >>> 3; g++) if (!inRanges(t.readOnlyRanges, g) || t.changingGranules.has(g)) return false;
    let patched = false;
    for (let i = 0; i < t.lastStoreOp.length; i++) {
      const stores = t.lastStoreOp[i];
      if (stores.size === 0) continue;
      let last = -1;
      for (let b = at; b < at + size; b++) last = Math.max(last, stores.get(b) ?? -1);
      if (last < 0) continue;
      patched = true;
      if (last >= s.patchers[i].op && !this.waitsForCall(s, cpu, i, last)) return false;
    }
    if (!patched) return true;
    const windows = s.smp.machine.windows;
    if (t.resumeSyncs) return windows.certainOver(cpu, at, size);
    for (let c = t.patchers.length; c < t.cpuCount; c++) if (!windows.certainOver(c, at, size)) return false;
    return true;
  }

  /** A state as the patchers' questions read it (patcher.ts). */
  private view(s: WorldState): PatcherView {
    return { t: this.t, tasks: s.tasks, patchers: s.patchers, rcuWaitTasks: s.rcuWaitTasks };
  }

  /** Does patcher i's op `at` wait for the call CPU `cpu` runs a step of to return (a task's, begun)? */
  private waitsForCall(s: WorldState, cpu: number, i: number, at: number): boolean {
    const k = s.cpus[cpu];
    if (k.handler || k.task < 0) return false;
    const call = s.tasks[k.task].call;
    if (!call?.started) return false;
    return waitsForCall(this.view(s), i, at, k.task);
  }
}

const NONE: readonly number[] = Object.freeze([]);

/** Who performs an action: its CPU (a patcher's is its own). */
function actorOf(a: WorldAction): number {
  return a.kind === 'patcher' ? patcherCpu(a.patcher) : a.cpu;
}

/** The footprint of an action that touches everything. */
function globalFootprint(a: WorldAction): WorldFootprint {
  return { actor: actorOf(a), reads: NONE, writes: NONE, global: true };
}

/** Are two per-patcher lists of sets equal? */
function sameSets(a: readonly BitSet[], b: readonly BitSet[]): boolean {
  if (a === b) return true;
  for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
  return true;
}

/** Append the 8-byte physical granules [phys, phys+size) touches (the unit of footprints) to `out`. */
function pushGranules(out: number[], phys: number, size: number): number[] {
  for (let g = phys >>> 3; g <= (phys + size - 1) >>> 3; g++) out.push(g);
  return out;
}

/** Is `b` the same call as `a` (maybe with more targets reached)? */
function sameCall(a: CallRecord | undefined, b: CallRecord | undefined): boolean {
  return a !== undefined && b !== undefined && a.op === b.op && a.saved === b.saved;
}

