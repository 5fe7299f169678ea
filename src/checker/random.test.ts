import { describe, expect, it } from 'vitest';
import { randomSearch, runSeed, simulate, splitmix32 } from './random.js';
import { replay } from './replay.js';
import { TOYS } from './toy-models.js';

describe('splitmix32', () => {
  it('is deterministic and spreads', () => {
    const a = splitmix32(42), b = splitmix32(42);
    const xs = Array.from({ length: 1000 }, a);
    expect(xs).toEqual(Array.from({ length: 1000 }, b));
    expect(new Set(xs).size).toBe(1000);
    const mean = xs.reduce((s, x) => s + x / 2 ** 32, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});

describe('simulate', () => {
  it('repeats the same schedule for the same seed, and the trace replays to the same end', () => {
    const m = TOYS.brokenMutex(3);
    for (let seed = 0; seed < 20; seed++) {
      const one = simulate(m, seed, 100), two = simulate(m, seed, 100);
      expect(two.trace).toEqual(one.trace);
      expect(one.steps.map((s) => s.action)).toEqual(one.trace);
      const again = replay(m, one.trace);
      expect(again.ok ? again.violation?.kind ?? null : 'not ok').toBe(one.violation?.kind ?? null);
      expect(again.ok && again.steps.map((s) => s.description)).toEqual(one.steps.map((s) => s.description));
    }
  });

  it.each([
    { name: 'mutex finishes', model: TOYS.mutex(2), end: 'finished' },
    { name: 'spinner runs out of steps', model: TOYS.spinner(), end: 'max-steps', seed: 3, maxSteps: 2 },
  ] as const)('$name', ({ model, end, seed, maxSteps }) => {
    expect(simulate(model, seed ?? 1, maxSteps ?? 100).end).toBe(end);
  });

  it('reports a deadlock as a violation', () => {
    const ends = Array.from({ length: 30 }, (_, seed) => simulate(TOYS.deadlock(), seed, 100).violation?.kind ?? 'none');
    expect(ends).toContain('deadlock');
    expect(ends).toContain('none');
  });
});

describe('randomSearch', () => {
  it('finds the counter race and minimises its trace', () => {
    const r = randomSearch(TOYS.counterRace(), { seed: 7, runs: 200, maxSteps: 50, clock: () => 0 });
    expect(r).toMatchObject({ verdict: 'unsafe', violation: { kind: 'clobbered' } });
    expect(r.trace).toHaveLength(6);
    expect(replay(TOYS.counterRace(), r.trace)).toMatchObject({ ok: true, violation: { kind: 'clobbered' } });
  });

  it('says incomplete, never safe, on a safe model', () => {
    const r = randomSearch(TOYS.mutex(3), { seed: 1, runs: 10, maxSteps: 100, clock: () => 0 });
    expect(r).toMatchObject({ verdict: 'incomplete', stop: 'random', violation: null });
    expect(r.reason).toBe('no violation found in 10 random runs of up to 100 steps (seed 1); random runs never prove safety');
    expect(r.stats.maxDepth).toBe(15);
  });

  it('run i of a search can be repeated alone', () => {
    const r = randomSearch(TOYS.needle(2), { seed: 5, runs: 500, maxSteps: 20, minimise: false, clock: () => 0 });
    const i = Array.from({ length: 500 }, (_, k) => k).find((k) => simulate(TOYS.needle(2), runSeed(5, k), 20).violation);
    expect(i).toBeDefined();
    expect(r.trace).toEqual(simulate(TOYS.needle(2), runSeed(5, i!), 20).trace);
  });
});
