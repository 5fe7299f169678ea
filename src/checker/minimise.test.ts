import { describe, expect, it } from 'vitest';
import { bfs } from './bfs.js';
import { MAX_REPLAYED_STEPS, minimise } from './minimise.js';
import type { Model } from './model.js';
import { simulate } from './random.js';
import { replay } from './replay.js';
import { TOYS } from './toy-models.js';

describe('minimise', () => {
  it('keeps a shortest trace as it is', () => {
    expect(minimise(TOYS.needle(3), [0, 0, 0, 1], 'wrong-target').trace).toEqual([0, 0, 0, 1]);
  });

  it.each([
    // Every violating run of the first two needs all its steps; the third's carry a bystander thread.
    { name: 'counter race', model: TOYS.counterRace(), shortens: false },
    { name: 'deadlock', model: TOYS.deadlock(), shortens: false },
    { name: 'broken mutex of 3', model: TOYS.brokenMutex(3), shortens: true },
  ])('shortens random runs of the $name, and each result still replays to the violation', ({ model, shortens }) => {
    const shortest = bfs(model, { por: false, collapse: false, symmetry: false }).trace.length;
    let shortened = 0;
    for (let seed = 0; seed < 40; seed++) {
      const run = simulate(model, seed, 200, { describe: false });
      if (!run.violation) continue;
      const out = minimise(model, run.trace, run.violation.kind).trace;
      expect(replay(model, out)).toMatchObject({ ok: true, violation: { kind: run.violation.kind }, unused: 0 });
      expect(out.length).toBeGreaterThanOrEqual(shortest);
      expect(out.length).toBeLessThanOrEqual(run.trace.length);
      if (out.length < run.trace.length) shortened++;
    }
    expect(shortened > 0).toBe(shortens);
  });
});

describe('minimise on a long trace', () => {
  // One thread counts to n; the violation is at n. No step can be dropped, so every attempt fails and
  // only the bounds end the work: it must stay within MAX_REPLAYED_STEPS, not attempts × length.
  const n = 3000;
  const chain: Model<number, number> = {
    initial: () => 0,
    actions: (s) => (s < n ? [0] : []),
    next: (s) => s + 1,
    violation: (s) => (s === n ? { kind: 'fell-through', message: 'reached the end' } : undefined),
    deadlock: () => ({ kind: 'deadlock', message: 'stuck' }),
    finished: () => true,
    fingerprint: (s) => [s, 0],
    describe: (s) => `step ${s}`,
  };
  it('replays at most MAX_REPLAYED_STEPS steps in all, and keeps the trace', () => {
    const trace = new Array<number>(n).fill(0);
    const out = minimise(chain, trace, 'fell-through');
    expect(out.trace).toEqual(trace);
    // Every candidate drops at most half the trace, so it replays at least n/2 steps.
    expect(out.attempts).toBeLessThanOrEqual((2 * (MAX_REPLAYED_STEPS + n)) / n + 1);
    expect(out.attempts).toBeGreaterThan(1);
  });
});
