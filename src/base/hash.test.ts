import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bigHiOfLast, bigLo, Hasher } from './hash.js';

/** The masking form `big` and the pc lanes used before the typed-array split. */
function byMasking(v: bigint): [number, number] {
  return [Number(v & 0xffffffffn), Number((v >> 32n) & 0xffffffffn)];
}

const anyBig = fc.oneof(
  fc.bigInt({ min: -(1n << 64n), max: 1n << 64n }),
  fc.bigInt({ min: -(1n << 100n), max: 1n << 100n }),
  fc.constantFrom(0n, -1n, 1n << 63n, -(1n << 63n), (1n << 64n) - 1n, 1n << 64n, 0xffffffffn, 1n << 32n, -(1n << 32n)),
);

describe('bigint to 32-bit words', () => {
  it('bigLo/bigHiOfLast equal masking and shifting, for every bigint (negative and wider than 64 bits too)', () => {
    fc.assert(fc.property(anyBig, (v) => {
      const lo = bigLo(v);
      expect([lo, bigHiOfLast()]).toEqual(byMasking(v));
      expect(lo).toBe(Number(BigInt.asUintN(32, v)));
    }), { numRuns: 5000 });
  });

  it('Hasher.big hashes the same words as word(lo).word(hi)', () => {
    fc.assert(fc.property(fc.array(anyBig, { maxLength: 8 }), fc.integer(), (vs, seed) => {
      const a = new Hasher(seed), b = new Hasher(seed);
      for (const v of vs) {
        a.big(v);
        const [lo, hi] = byMasking(v);
        b.word(lo).word(hi);
      }
      expect([a.lo(), a.hi()]).toEqual([b.lo(), b.hi()]);
    }), { numRuns: 2000 });
  });
});
