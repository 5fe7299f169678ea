// Seeded random simulation: one schedule (`simulate`, for the forward `run` command) or many (`randomSearch`).
//
// Random runs can find a violation but never prove its absence: without one the verdict is
// `incomplete` with stop `random`, and the reason says how many runs of how many steps were made.

import { minimise } from './minimise.js';
import type { Finding, Model } from './model.js';
import { type CheckResult, type Clock, defaultClock, emptyStats, NO_REDUCTIONS } from './result.js';

/** splitmix32: a small, fast, well-mixed PRNG; the same seed gives the same schedule on every host. */
export function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export interface SimulatedStep<A> {
  /** Position in the run, from 0. */
  readonly index: number;
  /** Index into `actions(state)`: the run's trace is the list of these. */
  readonly action: number;
  readonly value: A;
  readonly description: string;
}

export interface Simulation<S, A, V extends Finding = Finding> {
  readonly steps: readonly SimulatedStep<A>[];
  readonly trace: number[];
  readonly final: S;
  readonly violation: V | null;
  /** Why the run ended: a violation (a deadlock included), every task finished, or the step limit. */
  readonly end: 'violation' | 'finished' | 'max-steps';
}

/** Run one schedule: at each step an enabled action chosen uniformly by the seeded PRNG. */
export function simulate<S, A, V extends Finding>(model: Model<S, A, V>, seed: number, maxSteps: number, options: { describe?: boolean } = {}): Simulation<S, A, V> {
  const describe = options.describe ?? true;
  const random = splitmix32(seed);
  const steps: SimulatedStep<A>[] = [];
  const trace: number[] = [];
  let s = model.initial();
  let violation = model.violation(s) ?? null;
  while (!violation) {
    const acts = model.actions(s);
    if (acts.length === 0) {
      if (model.finished(s)) return { steps, trace, final: s, violation: null, end: 'finished' };
      violation = model.deadlock(s);
      break;
    }
    if (trace.length >= maxSteps) return { steps, trace, final: s, violation: null, end: 'max-steps' };
    // Multiply-shift instead of `%`: unbiased enough for small counts and no division.
    const k = Math.floor((random() / 2 ** 32) * acts.length);
    if (describe) steps.push({ index: trace.length, action: k, value: acts[k], description: model.describe(s, acts[k]) });
    trace.push(k);
    s = model.next(s, acts[k]);
    violation = model.violation(s) ?? null;
  }
  return { steps, trace, final: s, violation, end: 'violation' };
}

export interface RandomSearchOptions {
  seed: number;
  runs: number;
  maxSteps: number;
  /** Shorten a found trace (default true). */
  minimise?: boolean;
  clock?: Clock;
}

/** Seed of run i: the runs differ, and run i can be repeated alone with `simulate(model, runSeed(seed, i), …)`. */
export function runSeed(seed: number, run: number): number {
  return splitmix32((seed ^ Math.imul(run, 0x632be5ab)) >>> 0)();
}

/** N random runs; the first violation found ends the search. */
export function randomSearch<S, A, V extends Finding>(model: Model<S, A, V>, options: RandomSearchOptions): CheckResult<V> {
  const clock = options.clock ?? defaultClock;
  const t0 = clock();
  const stats = emptyStats();
  const done = (): void => {
    stats.seconds = (clock() - t0) / 1000;
    stats.statesPerSecond = stats.seconds > 0 ? stats.states / stats.seconds : 0;
  };
  for (let run = 0; run < options.runs; run++) {
    const sim = simulate(model, runSeed(options.seed, run), options.maxSteps, { describe: false });
    stats.states += sim.trace.length + 1;
    stats.transitions += sim.trace.length;
    stats.maxDepth = Math.max(stats.maxDepth, sim.trace.length);
    if (sim.violation) {
      let trace = sim.trace;
      if (options.minimise ?? true) {
        trace = minimise(model, trace, sim.violation.kind).trace;
        stats.minimisedAway = sim.trace.length - trace.length;
      }
      done();
      return { verdict: 'unsafe', violation: sim.violation, trace, stats, reductions: NO_REDUCTIONS };
    }
  }
  done();
  return {
    verdict: 'incomplete', violation: null, trace: [], stats, reductions: NO_REDUCTIONS, stop: 'random',
    reason: `no violation found in ${options.runs} random run${options.runs === 1 ? '' : 's'} of up to ${options.maxSteps} steps (seed ${options.seed}); random runs never prove safety`,
  };
}
