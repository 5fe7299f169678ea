// Splitting one search into parts a host can run in workers (the core never imports worker threads).
//
// 1. `exploreFrontier` runs BFS from the initial state until a level holds at least `minRoots`
//    states, checking every state above it; a violation or the end of the state space there is the
//    whole answer. Otherwise the level (the frontier) is returned as traces.
// 2. `splitRoots` deals the frontier into contiguous shares, one per worker.
// 3. Each worker runs `bfs(model, { roots: share, … })`: its traces include the prefix, and its depths
//    (`maxDepth` too) count from the initial state, so the same options serve the whole and the parts.
// 4. `mergeParts` combines: unsafe if any part is unsafe, with the shortest trace (ties: the lowest
//    part); else incomplete if any part is; else safe.
// Why the verdict is the one a single search gives: every state at distance ≥ d from the initial state
// is reached from some state at distance exactly d, and the frontier is all of those. Without
// reductions the merged trace is as short as a single BFS's, since a shortest path to the violation
// passes through a frontier state and the part holding it finds the rest shortest.
// Livelocks: a part explores everything its roots reach, so it finds those below the frontier. One above
// it whose states all stay above it is found here, from this search's own graph with the frontier's states
// taken as able to finish (if a livelocked state reaches a frontier state, that one is livelocked too, and
// its part finds it). A part's livelock counts only when no part found another violation.

import type { Finding, Model } from './model.js';
import { EdgeLog, livelockIn } from './livelock.js';
import { stateAfter } from './replay.js';
import { type CheckResult, type Clock, type SearchStats, type StopReason, defaultClock, emptyStats } from './result.js';
import { FULL, VisitedStore } from './visited-store.js';

export type Frontier<V extends Finding = Finding> =
  /** The search ended above the frontier: `result` is the whole answer. */
  | { readonly kind: 'done'; readonly result: CheckResult<V> }
  | { readonly kind: 'frontier'; readonly roots: number[][]; readonly depth: number; readonly stats: SearchStats };

export interface FrontierOptions {
  /** Stop at the first level with at least this many states (e.g. 8 per worker). */
  minRoots: number;
  /** Deepest level to go to for a frontier (default 64). */
  maxDepth?: number;
  symmetry?: boolean;
  /** Store at most this many states here (the parts get what is left: `--max-states` bounds the whole check). */
  maxStates?: number;
  /** Look for livelocks above the frontier when the model can name one (default true). */
  livelock?: boolean;
  memoryBytes?: number;
  clock?: Clock;
}

export function exploreFrontier<S, A, V extends Finding>(model: Model<S, A, V>, options: FrontierOptions): Frontier<V> {
  const clock = options.clock ?? defaultClock;
  const t0 = clock();
  const symmetry = (options.symmetry ?? true) && model.canonicalFingerprint !== undefined;
  const fingerprint = symmetry ? model.canonicalFingerprint!.bind(model) : model.fingerprint.bind(model);
  const store = new VisitedStore({ budgetBytes: options.memoryBytes ?? 2 ** 28 });
  const stats = emptyStats();
  const edges = (options.livelock ?? true) && model.livelock ? new EdgeLog() : undefined;
  const traces: number[][] = [];
  const maxStates = options.maxStates ?? Infinity;
  const end = (verdict: CheckResult['verdict'], trace: number[], violation: V | null, stop?: { stop: StopReason; why: string }): Frontier<V> => {
    stats.states = store.size;
    stats.maxDepth = Math.max(stats.maxDepth, trace.length);
    stats.seconds = (clock() - t0) / 1000;
    stats.bytesPerState = store.bytesPerState;
    stats.memoryBytes = store.bytes;
    const result: CheckResult<V> = { verdict, violation, trace, stats, reductions: { por: false, symmetry, collapse: false }, livelocks: edges !== undefined };
    if (stop) {
      result.stop = stop.stop;
      result.reason = `${stop.why}: ${store.size} states explored to depth ${stats.maxDepth}, no violation found`;
    }
    return { kind: 'done', result };
  };

  const s0 = model.initial();
  store.add(...fingerprint(s0));
  traces.push([]);
  const v0 = model.violation(s0);
  if (v0) return end('unsafe', [], v0);
  let level: { state: S; trace: number[] }[] = [{ state: s0, trace: [] }];
  for (let depth = 0; ; depth++) {
    stats.maxDepth = depth;
    const frontier = level.length >= options.minRoots || depth >= (options.maxDepth ?? 64);
    if (edges && (level.length === 0 || frontier)) {
      // Frontier states (never expanded) and finished ones are the targets; a dead end was a deadlock.
      for (let k = 0; k < level.length; k++) edges.begin(edges.states, true, Infinity);
      const found = livelockIn(model, edges, fingerprint, (id) => store.fingerprintOf(id), (id) => stateAfter(model, traces[id]));
      if (found) {
        const done = end('unsafe', traces[found.id], found.violation);
        if (done.kind === 'done') done.result.loop = found.loop;
        return done;
      }
    }
    if (level.length === 0) return end('safe', [], null);
    if (frontier) {
      stats.states = store.size;
      stats.seconds = (clock() - t0) / 1000;
      return { kind: 'frontier', roots: level.map((e) => e.trace), depth, stats };
    }
    const next: typeof level = [];
    let found: { trace: number[]; violation: V } | undefined;
    for (const { state, trace } of level) {
      const acts = model.actions(state);
      edges?.begin(edges.states, model.finished(state), Infinity);
      if (acts.length === 0 && !model.finished(state)) return end('unsafe', trace, model.deadlock(state));
      if (found) continue; // only a deadlock on this level would be shorter
      for (let i = 0; i < acts.length && !found; i++) {
        const succ = model.next(state, acts[i]);
        stats.transitions++;
        const [lo, hi] = fingerprint(succ);
        // As in bfs: stop only when a new state does not fit, so a space of exactly maxStates completes.
        if (store.size >= maxStates && store.find(lo, hi) < 0) return end('incomplete', [], null, { stop: 'max-states', why: `state limit of ${maxStates} reached` });
        const added = store.add(lo, hi);
        if (added === FULL) return end('incomplete', [], null, { stop: 'memory', why: `memory budget of ${options.memoryBytes ?? 2 ** 28} bytes reached` });
        edges?.add(store.lastId, Infinity);
        if (!added) continue;
        traces.push([...trace, i]);
        const v = model.violation(succ);
        if (v) found = { trace: [...trace, i], violation: v };
        next.push({ state: succ, trace: [...trace, i] });
      }
    }
    if (found) return end('unsafe', found.trace, found.violation);
    level = next;
  }
}

/** Contiguous shares in frontier order (so ties between parts resolve as a single BFS would, by order). */
export function splitRoots(roots: readonly (readonly number[])[], parts: number): number[][][] {
  const n = Math.max(1, Math.min(parts, roots.length));
  return Array.from({ length: n }, (_, p) => roots.slice(Math.floor((p * roots.length) / n), Math.floor(((p + 1) * roots.length) / n)).map((t) => [...t]));
}

/** Combine the parts' results (in part order) with the frontier's own statistics. */
export function mergeParts<V extends Finding>(frontier: { depth: number; stats: SearchStats }, parts: readonly CheckResult<V>[]): CheckResult<V> {
  const stats: SearchStats = { ...frontier.stats };
  let partDepth = 0, partSeconds = 0, bookkeeping = 0;
  for (const r of parts) {
    stats.states += r.stats.states;
    stats.transitions += r.stats.transitions;
    stats.prunedBySleep += r.stats.prunedBySleep;
    stats.collapsed += r.stats.collapsed;
    stats.reexpanded += r.stats.reexpanded;
    stats.minimisedAway += r.stats.minimisedAway;
    bookkeeping += r.stats.memoryBytes;
    partDepth = Math.max(partDepth, r.stats.maxDepth);
    partSeconds = Math.max(partSeconds, r.stats.seconds);
  }
  // Parts run side by side: wall time is the slowest part's; memory is what they hold together.
  stats.maxDepth = Math.max(frontier.depth, partDepth);
  stats.seconds = frontier.stats.seconds + partSeconds;
  stats.statesPerSecond = stats.seconds > 0 ? stats.states / stats.seconds : 0;
  stats.memoryBytes = frontier.stats.memoryBytes + bookkeeping;
  stats.bytesPerState = stats.states > 0 ? stats.memoryBytes / stats.states : 0;
  // In effect if any part used it (a part that ran out of heap used none).
  const reductions = {
    por: parts.some((r) => r.reductions.por), symmetry: parts.some((r) => r.reductions.symmetry), collapse: parts.some((r) => r.reductions.collapse),
  };
  // Livelocks were looked for only if every part (and the frontier search, asked alike) looked for them.
  const livelocks = parts.every((r) => r.livelocks === true);
  let best: CheckResult<V> | undefined;
  // A livelock is a finding only when nothing else is (a single search looks for one last).
  const better = (r: CheckResult<V>, b: CheckResult<V>) => (!r.loop !== !b.loop ? !r.loop : r.trace.length < b.trace.length);
  for (const r of parts) if (r.verdict === 'unsafe' && (!best || better(r, best))) best = r;
  if (best) return { verdict: 'unsafe', violation: best.violation, trace: best.trace, stats, reductions, livelocks, ...(best.loop ? { loop: best.loop } : {}) };
  const stopped = parts.map((r, i) => ({ r, i })).filter(({ r }) => r.verdict === 'incomplete');
  if (stopped.length > 0) {
    return {
      verdict: 'incomplete', violation: null, trace: [], stats, reductions, livelocks, stop: stopped[0].r.stop,
      reason: stopped.map(({ r, i }) => `part ${i + 1} of ${parts.length}: ${r.reason}`).join('; '),
    };
  }
  return { verdict: 'safe', violation: null, trace: [], stats, reductions, livelocks };
}
