import { describe, expect, it } from 'vitest';
import { bfs, type BfsOptions } from './bfs.js';
import { replay, replayLoop } from './replay.js';
import type { CheckResult } from './result.js';
import { exploreFrontier, mergeParts, splitRoots } from './split.js';
import { TOYS } from './toy-models.js';

const MODELS = {
  counterRace: TOYS.counterRace(), needle6: TOYS.needle(6), mutex3: TOYS.mutex(3), brokenMutex3: TOYS.brokenMutex(3),
  deadlock: TOYS.deadlock(), independent: TOYS.independent(3, 3), symmetric: TOYS.symmetric(3, 2), spinner: TOYS.spinner(), fenced: TOYS.fenced(),
};
const OFF: BfsOptions = { por: false, collapse: false, symmetry: false };

/** What a host does with N workers, run here in sequence. */
function splitCheck(model: (typeof MODELS)[keyof typeof MODELS], workers: number, minRoots: number, options: BfsOptions): CheckResult {
  const f = exploreFrontier(model, { minRoots, symmetry: options.symmetry });
  if (f.kind === 'done') return f.result;
  return mergeParts(f, splitRoots(f.roots, workers).map((roots) => bfs(model, { ...options, roots })));
}

describe('split search', () => {
  for (const [name, model] of Object.entries(MODELS)) {
    it(`${name}: every split gives the single search's verdict (and, unreduced, its trace length and kind)`, () => {
      const single = bfs(model, OFF);
      const reduced = bfs(model);
      for (const workers of [1, 2, 3, 5]) {
        for (const minRoots of [1, 2, 4, 16]) {
          const plain = splitCheck(model, workers, minRoots, OFF);
          expect({ workers, minRoots, verdict: plain.verdict, kind: plain.violation?.kind, length: plain.trace.length })
            .toEqual({ workers, minRoots, verdict: single.verdict, kind: single.violation?.kind, length: single.trace.length });
          const r = splitCheck(model, workers, minRoots, {});
          expect({ workers, minRoots, verdict: r.verdict }).toEqual({ workers, minRoots, verdict: reduced.verdict });
          for (const t of [plain, r]) if (t.verdict === 'unsafe') expect(replay(model, t.trace)).toMatchObject({ ok: true, violation: { kind: t.violation!.kind } });
        }
      }
    });
  }

  it.each([3, 4, 5, 6])('a depth limit of %i means the same split or not', (maxDepth) => {
    for (const model of [TOYS.needle(5), TOYS.independent(3, 3), TOYS.brokenMutex(3)]) {
      const single = bfs(model, { ...OFF, maxDepth });
      const split = splitCheck(model, 2, 4, { ...OFF, maxDepth });
      expect({ verdict: split.verdict, stop: split.stop, length: split.trace.length }).toEqual({ verdict: single.verdict, stop: single.stop, length: single.trace.length });
      expect(split.stats.maxDepth).toBe(single.stats.maxDepth);
    }
  });

  it('deals roots into contiguous shares, none empty', () => {
    expect(splitRoots([[0], [1], [2], [3], [4]], 2)).toEqual([[[0], [1]], [[2], [3], [4]]]);
    expect(splitRoots([[0]], 4)).toEqual([[[0]]]);
  });

  it('an incomplete part makes the whole incomplete, naming the part', () => {
    const f = exploreFrontier(TOYS.independent(4, 4), { minRoots: 4 });
    expect(f.kind).toBe('frontier');
    if (f.kind !== 'frontier') return;
    const parts = splitRoots(f.roots, 2).map((roots, i) => bfs(TOYS.independent(4, 4), { ...OFF, roots, maxStates: i === 1 ? 10 : undefined }));
    expect(mergeParts(f, parts)).toMatchObject({ verdict: 'incomplete', stop: 'max-states', reason: expect.stringMatching(/^part 2 of 2: state limit/) });
  });
});

describe('livelocks in a split search', () => {
  it('are found above the frontier and below it, as one search finds them, with a loop that replays', () => {
    const models = { stopMachine: TOYS.stopMachine(), stopMachineLocal: TOYS.stopMachineLocal(), racyBarrier: TOYS.racyBarrier(3), fixed: TOYS.stopMachineFixed(), barrier: TOYS.barrier(3) };
    for (const [name, m] of Object.entries(models)) {
      const single = bfs(m);
      for (const minRoots of [1, 2, 4, 100]) {
        const f = exploreFrontier(m, { minRoots });
        const r = f.kind === 'done' ? f.result : mergeParts(f, splitRoots(f.roots, 2).map((roots) => bfs(m, { roots })));
        expect({ name, minRoots, verdict: r.verdict, kind: r.violation?.kind }).toEqual({ name, minRoots, verdict: single.verdict, kind: single.violation?.kind });
        if (r.violation?.kind === 'livelock') expect(replayLoop(m, r.trace, r.loop!)).toEqual({ ok: true });
      }
    }
  });
});
