import { describe, expect, it } from 'vitest';
import { replay, stateAfter } from './replay.js';
import { TOYS } from './toy-models.js';

describe('replay', () => {
  const m = TOYS.needle(2);
  it.each([
    { trace: [], violation: null, steps: [] },
    { trace: [0, 0, 1], violation: 'wrong-target', steps: ['T0: write v0', 'T0: write v0', 'T1: read v0'] },
    // T1 reads before any write: no violation, the run goes on to the end.
    { trace: [1, 0, 0, 0], violation: null, steps: ['T1: read v0', 'T0: write v0', 'T0: write v0', 'T0: write v0'] },
  ])('$trace → $violation', ({ trace, violation, steps }) => {
    const r = replay(m, trace);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.violation?.kind ?? null).toBe(violation);
    expect(r.steps.map((s) => s.description)).toEqual(steps);
    expect(r.steps.map((s) => s.index)).toEqual(steps.map((_, i) => i));
  });

  it('stops at the first violation and counts what it did not use', () => {
    expect(replay(m, [0, 0, 1, 0])).toMatchObject({ ok: true, unused: 1, violation: { kind: 'wrong-target' } });
  });

  it('reports a deadlock at the end of a trace', () => {
    expect(replay(TOYS.deadlock(), [0, 1])).toMatchObject({ ok: true, violation: { kind: 'deadlock' } });
  });

  it.each([
    { trace: [5], error: 'step 1: action 5 is out of range (2 actions enabled)', at: 0 },
    { trace: [1, 1], error: 'step 2: action 1 is out of range (1 action enabled)', at: 1 },
    { trace: [-1], error: 'step 1: action -1 is out of range (2 actions enabled)', at: 0 },
    { trace: [0.5], error: 'step 1: action 0.5 is out of range (2 actions enabled)', at: 0 },
  ])('$trace is an error value: $error', ({ trace, error, at }) => {
    expect(replay(m, trace)).toMatchObject({ ok: false, error, at });
  });

  it('stateAfter throws on our own bad trace', () => {
    expect(() => stateAfter(m, [9])).toThrow(/out of range/);
    expect(Array.from(stateAfter(m, [0]))).toEqual(Array.from(replay(m, [0]).ok ? (replay(m, [0]) as { final: Int32Array }).final : []));
  });
});
