import { describe, expect, it } from 'vitest';
import { bfs } from './bfs.js';
import { minimise } from './minimise.js';
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
