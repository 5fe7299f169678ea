import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Footprint } from './model.js';
import { invisibleStep, invisibleStepOf } from './reductions.js';

/** A footprint of actor 0-3: invisible, reading or writing a location, global, maybe deferrable. */
const footprint = fc.record({
  actor: fc.integer({ min: 0, max: 3 }),
  reads: fc.constantFrom([], [1]),
  writes: fc.constantFrom([], [2]),
  global: fc.boolean(),
  deferrable: fc.boolean(),
}) as fc.Arbitrary<Footprint>;

/**
 * The rule as docs/reductions.md states it, from every footprint at once: the first action that reads and
 * writes nothing, is not global, and whose actor has no other action but deferrable ones.
 */
function reference(fps: readonly Footprint[]): number {
  for (let i = 0; i < fps.length; i++) {
    const f = fps[i];
    if (f.global || f.reads.length !== 0 || f.writes.length !== 0) continue;
    if (fps.every((g, j) => j === i || g.actor !== f.actor || g.deferrable)) return i;
  }
  return -1;
}

describe('invisibleStepOf', () => {
  it('chooses the step the rule chooses from every footprint', () => {
    fc.assert(fc.property(fc.array(footprint, { maxLength: 8 }), (fps) => {
      const want = reference(fps);
      expect(invisibleStep(fps)).toBe(want);
      expect(invisibleStepOf(fps.length, (i) => fps[i], (i) => fps[i].actor)).toBe(want);
      expect(invisibleStepOf(fps.length, (i) => fps[i])).toBe(want);
    }), { numRuns: 2000 });
  });

  it('chooses the same step when a filter rules out some actions that are not invisible', () => {
    const visible = (f: Footprint) => f.global || f.reads.length !== 0 || f.writes.length !== 0;
    fc.assert(fc.property(fc.array(fc.tuple(footprint, fc.boolean()), { maxLength: 8 }), (pairs) => {
      const fps = pairs.map(([f]) => f);
      // The filter may say "not invisible" only of an action that is not.
      const filter = (i: number) => !(pairs[i][1] && visible(fps[i]));
      const asked: number[] = [];
      const got = invisibleStepOf(fps.length, (i) => (asked.push(i), fps[i]), (i) => fps[i].actor, filter);
      expect(got).toBe(reference(fps));
      // A filtered-out action's footprint is asked for only to see whether an invisible action of its actor is alone.
      for (const i of asked) if (!filter(i)) expect(fps.some((f) => !visible(f) && f.actor === fps[i].actor)).toBe(true);
    }), { numRuns: 2000 });
  });

  it('asks for no footprint of another actor once its step is found', () => {
    const invisible = (actor: number): Footprint => ({ actor, reads: [], writes: [], global: false });
    const other: Footprint = { actor: 1, reads: [3], writes: [], global: false };
    const fps = [invisible(0), { ...invisible(0), global: true, deferrable: true }, other, other];
    const asked: number[] = [];
    expect(invisibleStepOf(fps.length, (i) => (asked.push(i), fps[i]), (i) => fps[i].actor)).toBe(0);
    expect(asked).toEqual([0, 1]);
  });
});
