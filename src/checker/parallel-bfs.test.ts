import { describe, expect, it } from 'vitest';
import type { WordReader, WordWriter } from '../base/layout.js';
import { bfs } from './bfs.js';
import type { Model } from './model.js';
import { inProcessPool, parallelBfs } from './parallel-bfs.js';

/**
 * A fan: the initial state 0 has `width` actions to states 1..width, each with one step to `width + 1`,
 * which is finished; with `bad`, state `bad` is a violation.
 */
function fan(width: number, bad = -1): Model<number, number> {
  return {
    initial: () => 0,
    actions: (s) => (s === 0 ? Array.from({ length: width }, (_, i) => i) : s <= width ? [0] : []),
    next: (s, a) => (s === 0 ? a + 1 : width + 1),
    violation: (s) => (s === bad ? { kind: 'bad', message: `state ${s}` } : undefined),
    deadlock: () => ({ kind: 'deadlock', message: 'stuck' }),
    finished: (s) => s === width + 1,
    fingerprint: (s) => [s, 0],
    describe: (_s, a) => `a${a}`,
    pack: (s: number, w: WordWriter) => w.u32(s),
    unpack: (r: WordReader) => r.u32(),
  };
}

const same = (a: ReturnType<typeof bfs>, b: ReturnType<typeof bfs>) => {
  expect({ ...b, stats: { ...b.stats, seconds: 0, statesPerSecond: 0, memoryBytes: 0, bytesPerState: 0 } })
    .toEqual({ ...a, stats: { ...a.stats, seconds: 0, statesPerSecond: 0, memoryBytes: 0, bytesPerState: 0 } });
};

describe('parallelBfs', () => {
  it('gives bfs\'s answer on a model of many successors per state, found by two parts in turn', async () => {
    const m = fan(200);
    const r = await parallelBfs(m, inProcessPool(m, m.fingerprint, 2), {}, { smallLevel: 0 });
    expect(r.stats.states).toBe(202);
    same(bfs(m, {}), r);
  });

  it('searches on one thread when a state has more actions than a key can name', async () => {
    const m = fan(300);
    const r = await parallelBfs(m, inProcessPool(m, m.fingerprint, 2), {}, { smallLevel: 0 });
    expect(r.stats.states).toBe(302);
    same(bfs(m, {}), r);
    // The trace names action 289 of the initial state: a key of 8 bits would make it another.
    const bad = fan(300, 290);
    const found = await parallelBfs(bad, inProcessPool(bad, bad.fingerprint, 2), {}, { smallLevel: 0 });
    expect(found.trace).toEqual([289]);
    same(bfs(bad, {}), found);
  });

  it('stops at --max-states at a level\'s end with exactly that many states', async () => {
    const m = fan(50);
    const r = await parallelBfs(m, inProcessPool(m, m.fingerprint, 2), { maxStates: 20 }, { smallLevel: 0 });
    expect(r).toMatchObject({ verdict: 'incomplete', stop: 'max-states' });
    expect(r.stats.states).toBe(20);
  });
});
