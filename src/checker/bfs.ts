// Exhaustive breadth-first search: the first violation in BFS order has the shortest trace.
//
// Bookkeeping per stored state is three Uint32 words in the visited store (parent id, action index,
// sleep set + expanded bit); the trace is rebuilt from parent pointers at the end. Levels are kept as
// two arrays (this level, the next), so the depth of every state is known without storing it.
//
// Reductions (each can be turned off; none changes a verdict, see bfs.test.ts):
// - `por`: sleep sets. With a visited store, a state reached again with a sleep set that is not a
//   superset of the stored one gets the difference explored: if it is still queued its stored set is
//   intersected; if it was already expanded it is queued again to explore only the woken actions.
//   Sleep sets prune transitions, not states. Off when symmetry is in use (sleep bits name an action
//   by its actor and rank, and in a permuted state the same rank can be another task's action).
//   The model offers `canonicalFingerprint` only when some of its parts are interchangeable, so where
//   symmetry could merge nothing, sleep sets are used instead; `result.reductions` says which ran.
// - `collapse`: an invisible step (see reductions.ts `invisibleStep`) is taken alone, without
//   branching — a persistent set of one. Cycle proviso (BFS form): if its successor is stored at this
//   depth or above, the state is expanded fully. Every cycle keeps a fully expanded state: around a
//   cycle the depth cannot rise at every step, and a collapsed step always goes one level down (to a
//   new state, or one first found on the next level). Whether a successor is on the next level does not
//   depend on the order the level is expanded in, so a parallel search takes the same steps.
// - `symmetry`: the visited store keys on `model.canonicalFingerprint` when the model has one.
// What the model must guarantee for `por` and `collapse`: footprints are honest (an actor's enabled
// actions and their effects depend only on its own state and what it reads), and violations are
// sticky (once `violation(s)` holds it holds in every successor: record findings in the state).
// Reductions lose the shortest-trace property; a found trace is then shortened by `minimise`.
//
// Livelocks (livelock.ts): when the model can name one (`model.livelock`), the search logs its graph and,
// once it has explored everything and found nothing else, looks for a state that reaches no finished
// state. Symmetry and collapse keep that question's answer; sleep sets do not, so they are off with it
// (docs/reductions.md).

import type { Finding, Footprint, Model } from './model.js';
import { EdgeLog, analysisBytes, livelockIn } from './livelock.js';
import { minimise } from './minimise.js';
import { ChunkPool, ENTRY_BYTES, Frontier } from './frontier.js';
import type { Progress } from './progress.js';
import { EXPANDED, SLEEP_BITS, SLEEP_MASK, SleepNames, independent, invisibleStep, collapseStep } from './reductions.js';
import { stateAfter } from './replay.js';
import { type CheckResult, type Clock, type StopReason, defaultClock, emptyStats } from './result.js';
import { FULL, VisitedStore } from './visited-store.js';

export interface Reductions {
  /** Partial-order reduction by sleep sets. */
  por?: boolean;
  /** Key the visited store on `canonicalFingerprint`. */
  symmetry?: boolean;
  /** Take invisible steps without branching. */
  collapse?: boolean;
}

export interface BfsOptions extends Reductions {
  /** At most this many stored states: the search ends incomplete when a new state does not fit (a space of exactly this many completes). */
  maxStates?: number;
  /** Deepest level expanded; states at this depth are checked but not expanded. */
  maxDepth?: number;
  maxSeconds?: number;
  /** Budget for the checker's bookkeeping plus queued model states (default 1 GiB). */
  memoryBytes?: number;
  /** Estimated bytes of one queued model state when the model has no `stateBytes` (default 0). */
  modelStateBytes?: number;
  /** Look for livelocks after a complete search when the model has `livelock` (default true; turns `por` off). */
  livelock?: boolean;
  /**
   * Queue states packed into words when the model can (`pack`/`unpack`, default true): the queue then
   * costs what the words take, and the budget counts exactly that.
   */
  pack?: boolean;
  /** Shorten a trace found with reductions on (default true). */
  minimise?: boolean;
  clock?: Clock;
  onProgress?: (p: Progress) => void;
  /**
   * The host's measure of the memory in use (a Node host: the V8 heap), a safety net only: the budget is
   * decided on the store's bytes and the model's estimates, so that a run stops at the same state every time.
   * Read with each progress report; only past `MEASURED_SLACK_FACTOR × memoryBytes + MEASURED_SLACK_BYTES` is it
   * read again with `collect` (the host collects garbage first if it can), and the search stops if it is still
   * past: the estimates are far too low and the run would otherwise die.
   */
  measuredBytes?: (collect: boolean) => number;
  /** Report progress (and check the time limit) every this many new states (default 65536). */
  progressEvery?: number;
}

const NONE = 0xffffffff;
const PARENT = 0, ACTION = 1, FLAGS = 2;
/**
 * The safety net on the host's measure (see `measuredBytes`). Why it cannot fire in a normal run: it counts
 * only live memory (garbage, which took `heapUsed` to 4× the live heap on the bench scenarios and made the
 * old comparison with the budget itself stop 2 runs in 8, is collected first), and the live heap stays
 * within the estimates (measured: 0.8× at the largest queue of x86-ool-text-poke-bp-t2c2p2, 0.6× with 500
 * tasks) plus the model's fixed tables, which the 256 MiB cover. A host keeps 1.5× the budget plus that
 * under its heap limit, so that the net still fires before the heap runs out.
 */
export const MEASURED_SLACK_FACTOR = 1.5;
export const MEASURED_SLACK_BYTES = 256 * 2 ** 20;
/** A full expansion; any other wake value is the set of sleep bits to explore again. */
const FULL_EXPANSION = -1;

class Stop {
  constructor(readonly stop: StopReason, readonly reason: string) {}
}

/**
 * Which reductions a search of `model` uses under `options`, and the fingerprint it stores states by: the one
 * rule for every search strategy (bfs.ts, parallel-bfs.ts) and for the threads that help one.
 */
export function searchPlan<S, A, V extends Finding>(model: Model<S, A, V>, options: Reductions & { livelock?: boolean }): {
  readonly por: boolean; readonly symmetry: boolean; readonly collapse: boolean; readonly livelock: boolean;
  readonly fingerprint: (s: S) => readonly [number, number];
} {
  const hasFootprint = model.footprint !== undefined;
  const symmetry = (options.symmetry ?? true) && model.canonicalFingerprint !== undefined;
  const livelock = (options.livelock ?? true) && model.livelock !== undefined;
  return {
    por: (options.por ?? true) && hasFootprint && !symmetry && !livelock,
    symmetry,
    collapse: (options.collapse ?? true) && hasFootprint,
    livelock,
    fingerprint: symmetry ? model.canonicalFingerprint!.bind(model) : model.fingerprint.bind(model),
  };
}

export function bfs<S, A, V extends Finding>(model: Model<S, A, V>, options: BfsOptions = {}): CheckResult<V> {
  const clock = options.clock ?? defaultClock;
  const t0 = clock();
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const budget = options.memoryBytes ?? 2 ** 30;
  const defaultStateBytes = options.modelStateBytes ?? 0;
  const packed = (options.pack ?? true) && model.pack !== undefined && model.unpack !== undefined;
  // The size of a state queued as an object (packed, the frontier counts its words instead).
  const sizeOf = packed ? () => 0 : model.stateBytes ? (s: S) => model.stateBytes!(s) : () => defaultStateBytes;
  const progressEvery = options.progressEvery ?? 65536;
  const { por, symmetry, collapse, livelock, fingerprint } = searchPlan(model, options);
  const edges = livelock ? new EdgeLog() : undefined;

  const store = new VisitedStore({ budgetBytes: budget, columns: por ? 3 : 2 });
  const stats = emptyStats();
  const names = new SleepNames();
  let bits = new Int32Array(16);
  const actionOfBit = new Int32Array(SLEEP_BITS).fill(-1);

  const chunks = new ChunkPool();
  let level = new Frontier<S>(model, packed, chunks), nextLevel = new Frontier<S>(model, packed, chunks);
  /** What the two levels hold, and the chunks between them (see frontier.ts). */
  const queuedBytes = () => level.bytes + nextLevel.bytes + chunks.bytes;
  let depth = 0;
  let cursor = 0;
  /** The id of the first state stored while expanding this level: ids from here on are the next level's. */
  let nextLevelFirstId = 0;
  let nextReport = progressEvery;
  /** The first violation found on the next level: returned once this level has no shorter deadlock. */
  let pending: { id: number; violation: V } | undefined;

  const memoryBytes = () => store.bytes + queuedBytes() + (edges?.bytes ?? 0);
  const enqueue = (s: S, id: number, wake: number, bytes: number): void => {
    // Successors are packed against the state being expanded, whose words they mostly share.
    nextLevel.push(s, id, wake, bytes, level.taken);
    // Packed, a state's size is known once it is packed: past the budget, it is taken back and the search stops.
    if (packed && memoryBytes() > budget) {
      nextLevel.dropLast();
      throw new Stop('memory', `memory budget of ${budget} bytes reached`);
    }
  };
  const seconds = () => (clock() - t0) / 1000;

  const traceOf = (id: number): number[] => {
    const path: number[] = [];
    while (store.get(id, PARENT) !== NONE) {
      path.push(store.get(id, ACTION));
      id = store.get(id, PARENT);
    }
    return path.reverse();
  };

  const finish = (verdict: CheckResult['verdict'], found?: { id: number; violation: V; loop?: CheckResult['loop'] }, stop?: Stop): CheckResult<V> => {
    stats.states = store.size;
    let trace = found ? traceOf(found.id) : [];
    // A violation found one level down counts as reached.
    stats.maxDepth = Math.max(depth, trace.length);
    stats.seconds = seconds();
    stats.statesPerSecond = stats.seconds > 0 ? store.size / stats.seconds : 0;
    stats.bytesPerState = store.bytesPerState;
    stats.memoryBytes = memoryBytes();
    if (found && !found.loop && (por || collapse) && (options.minimise ?? true)) {
      const shorter = minimise(model, trace, found.violation.kind).trace;
      stats.minimisedAway = trace.length - shorter.length;
      trace = shorter;
    }
    const result: CheckResult<V> = { verdict, violation: found?.violation ?? null, trace, stats, reductions: { por, symmetry, collapse }, livelocks: edges !== undefined };
    if (found?.loop) result.loop = found.loop;
    if (stop) {
      result.stop = stop.stop;
      result.reason = `${stop.reason}: ${store.size} states explored to depth ${depth}, no violation found`;
    }
    return result;
  };

  /** Store a successor; a new one is checked and queued. Throws Stop at a limit. */
  const visit = (succ: S, lo: number, hi: number, parent: number, action: number, sleep: number): void => {
    const seen = store.find(lo, hi);
    if (seen < 0) {
      // A new state: sized once. The store may grow only into what the queue, with it, leaves of the budget.
      const bytes = sizeOf(succ);
      store.budget = budget - queuedBytes() - bytes - ENTRY_BYTES - (edges?.bytes ?? 0);
      if (store.bytes > store.budget) throw new Stop('memory', `memory budget of ${budget} bytes reached`);
      // Stop only when a new state does not fit: at most maxStates stored, and a space of exactly maxStates completes.
      if (store.size >= maxStates) throw new Stop('max-states', `state limit of ${maxStates} reached`);
      if (store.add(lo, hi) === FULL) throw new Stop('memory', `memory budget of ${budget} bytes reached`);
      const id = store.lastId;
      store.set(id, PARENT, parent);
      store.set(id, ACTION, action);
      if (por) store.set(id, FLAGS, sleep);
      if (edges) logEdge(id);
      const v = model.violation(succ);
      if (v && !pending) pending = { id, violation: v };
      enqueue(succ, id, FULL_EXPANSION, bytes);
      if (store.size >= nextReport) report();
    } else if (edges) logEdge(seen);
    else if (por) {
      const flags = store.get(seen, FLAGS);
      const stored = flags & SLEEP_MASK;
      if ((stored & ~sleep) === 0) return;
      store.set(seen, FLAGS, (flags & EXPANDED) | (stored & sleep));
      if (flags & EXPANDED) {
        // Already expanded without the actions now awake: explore just those.
        stats.reexpanded++;
        enqueue(succ, seen, stored & ~sleep, sizeOf(succ));
      }
    }
  };

  /** The livelock check's log (sleep sets are off with it, so every edge is logged once). */
  const logEdge = (to: number): void => {
    if (!edges!.add(to, budget - memoryBytes())) throw new Stop('memory', `memory budget of ${budget} bytes reached`);
  };
  const safeOrLivelock = (): CheckResult<V> => {
    if (!edges) return finish('safe');
    if (memoryBytes() + analysisBytes(edges.states, edges.edges) > budget) return finish('incomplete', undefined, new Stop('memory', `memory budget of ${budget} bytes reached by the livelock check`));
    const found = livelockIn(model, edges, fingerprint, (id) => store.fingerprintOf(id), (id) => stateAfter(model, traceOf(id)));
    return found ? finish('unsafe', found) : finish('safe');
  };

  const report = (): void => {
    nextReport = store.size + progressEvery;
    const secs = seconds();
    if (options.maxSeconds !== undefined && secs > options.maxSeconds) throw new Stop('time', `time limit of ${options.maxSeconds} s reached`);
    if (options.measuredBytes !== undefined) {
      const net = MEASURED_SLACK_FACTOR * budget + MEASURED_SLACK_BYTES;
      const measured = options.measuredBytes(false) > net ? options.measuredBytes(true) : 0;
      if (measured > net) throw new Stop('memory', `memory budget of ${budget} bytes reached (measured ${measured} bytes in use: the model's state sizes are underestimated)`);
    }
    options.onProgress?.({ states: store.size, statesPerSecond: secs > 0 ? store.size / secs : 0, depth, memoryBytes: memoryBytes(), queue: level.length - cursor + nextLevel.length, seconds: secs });
  };

  /** The successor's sleep set: actions asleep here or ordered before `i`, that commute with action i. */
  const sleepAfter = (fps: readonly Footprint[], i: number, candidates: number): number => {
    let out = 0;
    for (let m = candidates; m !== 0; m &= m - 1) {
      const b = 31 - Math.clz32(m & -m);
      const j = actionOfBit[b];
      if (j >= 0 && independent(fps[j], fps[i])) out |= 1 << b;
    }
    return out;
  };

  const expand = (s: S, id: number, acts: readonly A[], wake: number): void => {
    const n = acts.length;
    let fps: Footprint[] | undefined;
    // Without sleep sets only collapsing needs footprints, and it asks for those it needs.
    if (por) fps = acts.map((a) => model.footprint!(s, a));
    let sleep = 0;
    if (por) {
      if (bits.length < n) bits = new Int32Array(n * 2);
      names.bits(fps!, bits);
      for (let i = 0; i < n; i++) if (bits[i] >= 0) actionOfBit[bits[i]] = i;
      const flags = store.get(id, FLAGS);
      sleep = flags & SLEEP_MASK;
      store.set(id, FLAGS, flags | EXPANDED);
    }
    const c = !collapse || wake !== FULL_EXPANSION ? -1 : fps ? invisibleStep(fps) : collapseStep(model, s, acts);
    // An invisible step that is asleep is not taken alone: exploring nothing here could ignore the
    // other actors around a cycle (found by the spinner toy); the state is expanded minus its sleep set.
    if (c >= 0 && !(por && bits[c] >= 0 && sleep & (1 << bits[c]))) {
      const early = model.next(s, acts[c]);
      stats.transitions++;
      const [lo, hi] = fingerprint(early);
      // Not stored, or first found on the next level (ids are given in BFS order).
      const stored = store.find(lo, hi);
      if (stored < 0 || stored >= nextLevelFirstId) {
        stats.collapsed++;
        visit(early, lo, hi, id, c, por ? sleepAfter(fps!, c, sleep) : 0);
      } else expandAll(s, id, acts, fps, sleep, wake, c, early);
    } else expandAll(s, id, acts, fps, sleep, wake, -1, undefined);
    if (por) for (let i = 0; i < n; i++) if (bits[i] >= 0) actionOfBit[bits[i]] = -1;
  };

  /** Explore every action not asleep (or, re-expanding, every action in `wake`); `early` is action c's successor if computed. */
  const expandAll = (s: S, id: number, acts: readonly A[], fps: Footprint[] | undefined, sleep: number, wake: number, c: number, early: S | undefined): void => {
    let before = 0;
    for (let i = 0; i < acts.length; i++) {
      const bit = por ? bits[i] : -1;
      const mine = bit >= 0 ? 1 << bit : 0;
      const explore = wake === FULL_EXPANSION ? (sleep & mine) === 0 : (wake & mine) !== 0;
      if (explore) {
        let succ: S;
        if (i === c) succ = early!;
        else {
          succ = model.next(s, acts[i]);
          stats.transitions++;
        }
        const [lo, hi] = fingerprint(succ);
        visit(succ, lo, hi, id, i, por ? sleepAfter(fps!, i, sleep | before) : 0);
      } else if (wake === FULL_EXPANSION) stats.prunedBySleep++;
      before |= mine;
      if (pending) return;
    }
  };

  try {
    const s0 = model.initial();
    const [lo0, hi0] = fingerprint(s0);
    if (maxStates < 1) throw new Stop('max-states', `state limit of ${maxStates} reached`);
    if (store.add(lo0, hi0) === FULL) throw new Stop('memory', `memory budget of ${budget} bytes reached`);
    store.set(store.lastId, PARENT, NONE);
    store.set(store.lastId, ACTION, 0);
    const v0 = model.violation(s0);
    if (v0) return finish('unsafe', { id: store.lastId, violation: v0 });
    enqueue(s0, store.lastId, FULL_EXPANSION, sizeOf(s0));
    [level, nextLevel] = [nextLevel, level];
    let unexplored = false;
    while (level.length > 0) {
      nextLevelFirstId = store.size;
      for (cursor = 0; cursor < level.length; cursor++) {
        const s = level.take(cursor), id = level.ids[cursor];
        const acts = model.actions(s);
        if (edges && !edges.begin(id, model.finished(s), budget - memoryBytes())) throw new Stop('memory', `memory budget of ${budget} bytes reached`);
        if (acts.length === 0) {
          if (!model.finished(s)) return finish('unsafe', { id, violation: model.deadlock(s) });
          continue;
        }
        // Past the depth bound, or a violation already waiting one level down: only look for shorter deadlocks.
        if (depth >= maxDepth) unexplored = true;
        else if (!pending) expand(s, id, acts, level.wake[cursor]);
      }
      if (pending) return finish('unsafe', pending);
      if (unexplored) return finish('incomplete', undefined, new Stop('max-depth', `depth limit of ${maxDepth} reached`));
      [level, nextLevel] = [nextLevel, level];
      nextLevel.clear();
      cursor = 0;
      if (level.length > 0) depth++;
    }
    return safeOrLivelock();
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    return pending ? finish('unsafe', pending) : finish('incomplete', undefined, e);
  }
}
