import { describe, expect, it } from 'vitest';
import { finish32, mix32 } from '../base/hash.js';
import { FULL, VisitedStore } from './visited-store.js';

const fp = (i: number): [number, number] => [finish32(mix32(1, i)), finish32(mix32(2, i))];

describe('VisitedStore', () => {
  it('says new once, seen after, through many growths, with dense ids', () => {
    const store = new VisitedStore({ budgetBytes: 2 ** 26, columns: 1, initialStates: 16 });
    for (let i = 0; i < 100_000; i++) {
      expect(store.add(...fp(i))).toBe(true);
      expect(store.lastId).toBe(i);
      store.set(i, 0, i ^ 0x5555);
    }
    for (let i = 0; i < 100_000; i += 997) {
      expect(store.add(...fp(i))).toBe(false);
      expect(store.lastId).toBe(i);
      expect(store.find(...fp(i))).toBe(i);
      expect(store.get(i, 0)).toBe(i ^ 0x5555);
    }
    expect(store.find(...fp(-1))).toBe(-1);
    expect(store.size).toBe(100_000);
  });

  it.each([
    { fp: [0, 0] }, { fp: [0xffffffff, 0xffffffff] }, { fp: [-1, -2] }, { fp: [1, 0] }, { fp: [0, 1] },
  ])('stores the edge fingerprint $fp', ({ fp: [lo, hi] }) => {
    const store = new VisitedStore({ budgetBytes: 1 << 20 });
    expect(store.add(lo, hi)).toBe(true);
    expect(store.add(lo, hi)).toBe(false);
    expect(store.find(lo >>> 0, hi >>> 0)).toBe(0);
  });

  it('copes with weak fingerprints (small counters, equal halves)', () => {
    const store = new VisitedStore({ budgetBytes: 1 << 24 });
    const outcomes = { fresh: 0, seen: 0 };
    const tally = (r: boolean | string) => (r === true ? outcomes.fresh++ : r === false ? outcomes.seen++ : 0);
    for (let i = 0; i < 50_000; i++) tally(store.add(i, 0));
    for (let i = 0; i < 50_000; i++) tally(store.add(i, 0));
    for (let i = 1; i < 50_000; i++) tally(store.add(i, i));
    expect(outcomes).toEqual({ fresh: 99_999, seen: 50_000 });
  });

  it('says full at the budget, never exceeds it, and still answers lookups', () => {
    const budget = 256 * 1024;
    const store = new VisitedStore({ budgetBytes: budget, columns: 1 });
    let i = 0;
    while (store.add(...fp(i)) === true) i++;
    expect(store.add(...fp(i))).toBe(FULL);
    expect(store.bytes).toBeLessThanOrEqual(budget);
    expect(store.size).toBeGreaterThan(budget / 40);
    expect(store.add(...fp(0))).toBe(false);
  });

  it('goes past Set\'s 2^24 limit in the real thing: bytes per state stay small', () => {
    const store = new VisitedStore({ budgetBytes: 2 ** 30 });
    for (let i = 0; i < 1 << 20; i++) store.add(...fp(i));
    // 8 bytes of fingerprint + 4 per slot at load 3/8..3/4 + spare rows.
    expect(store.bytesPerState).toBeLessThan(32);
    expect(store.bytesPerState).toBeGreaterThanOrEqual(8);
  });
});
