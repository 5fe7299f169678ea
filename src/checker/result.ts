// What every search strategy returns: a verdict, the violation and its trace, and what was covered.

import type { Finding } from './model.js';

/**
 * - `safe`: every state within the bounds was explored and none shows a violation.
 * - `unsafe`: a violation is reachable; `trace` reaches it from the initial state.
 * - `incomplete`: the search stopped (a limit, or random simulation, which never proves safety)
 *   without finding a violation; `reason` and `stats` say what was covered.
 */
export type Verdict = 'safe' | 'unsafe' | 'incomplete';

/** Which limit stopped a search; `random` marks simulation, which covers only the runs it made. */
export type StopReason = 'max-states' | 'max-depth' | 'memory' | 'time' | 'random';

export interface SearchStats {
  /** Distinct states stored (for random simulation: states visited, with repeats). */
  states: number;
  /** Successors computed (`model.next` calls). */
  transitions: number;
  /** Deepest level reached (BFS) or longest run (random). */
  maxDepth: number;
  seconds: number;
  statesPerSecond: number;
  /** Checker bookkeeping (visited store, parent pointers, sleep sets) per stored state; model states not included. */
  bytesPerState: number;
  /** Bytes the checker's bookkeeping holds at the end, plus the estimate for queued model states. */
  memoryBytes: number;
  /** Transitions not taken because they were in the sleep set (partial-order reduction). */
  prunedBySleep: number;
  /** States where one invisible step was taken instead of branching; each saved `actions - 1` transitions. */
  collapsed: number;
  /** Expanded states explored again because they were reached with a smaller sleep set. */
  reexpanded: number;
  /** Steps dropped from the found trace by minimisation. */
  minimisedAway: number;
}

export interface CheckResult<V extends Finding = Finding> {
  verdict: Verdict;
  violation: V | null;
  /** Action indices from the initial state; empty unless `unsafe`. */
  trace: number[];
  stats: SearchStats;
  /**
   * For a livelock: from the state `trace` reaches, `lead` goes to a state on a loop and `cycle` comes back
   * to it (action indices, continuing the trace), staying where no finished state can be reached.
   */
  loop?: { readonly lead: number[]; readonly cycle: number[] };
  /** For `incomplete`: which limit stopped the search. */
  stop?: StopReason;
  /** For `incomplete`: one sentence saying what was covered. */
  reason?: string;
  /** The reductions the search actually used (a reduction asked for may not apply to a model). */
  reductions: Readonly<{ por: boolean; symmetry: boolean; collapse: boolean }>;
  /** The search looked for livelocks (once complete; a `safe` without it is safe up to livelocks). */
  livelocks?: boolean;
}

/** For a search that used none (random runs, a part that produced no search). */
export const NO_REDUCTIONS = Object.freeze({ por: false, symmetry: false, collapse: false });

export function emptyStats(): SearchStats {
  return {
    states: 0, transitions: 0, maxDepth: 0, seconds: 0, statesPerSecond: 0, bytesPerState: 0, memoryBytes: 0,
    prunedBySleep: 0, collapsed: 0, reexpanded: 0, minimisedAway: 0,
  };
}

/** A monotonic clock in milliseconds; injected so that only timing fields depend on the host. */
export type Clock = () => number;

export const defaultClock: Clock = () => Date.now();
