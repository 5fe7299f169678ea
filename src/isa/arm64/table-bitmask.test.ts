// Logical immediates: every N:immr:imms the architecture allows, and the encoding GNU as picks.

import { describe, expect, it } from 'vitest';
import { decodeBitmask, encodeBitmask, isWideConstant } from './table-bitmask.js';

function all(width: 32 | 64): { n: number; immr: number; imms: number; value: bigint }[] {
  const out = [];
  for (let n = 0; n < 2; n++) for (let immr = 0; immr < 64; immr++) for (let imms = 0; imms < 64; imms++) {
    const value = decodeBitmask({ n, immr, imms }, width);
    if (value !== undefined) out.push({ n, immr, imms, value });
  }
  return out;
}

describe('bitmask immediates', () => {
  it('has the number of distinct values the architecture defines (5334 for X, 1302 for W)', () => {
    expect(new Set(all(64).map((e) => e.value)).size).toBe(5334);
    expect(new Set(all(32).map((e) => e.value)).size).toBe(1302);
  });

  it('encodes every value back to an encoding of the same value', () => {
    for (const width of [32, 64] as const) {
      for (const e of all(width)) {
        const enc = encodeBitmask(e.value, width);
        expect(enc).toBeDefined();
        expect(decodeBitmask(enc!, width)).toBe(e.value);
      }
    }
  });

  it.each([
    [0x5555555555555555n, 64, { n: 0, immr: 0, imms: 0x3c }],
    [0xffffffffn, 64, { n: 1, immr: 0, imms: 31 }],
    [0xfffffffen, 32, { n: 0, immr: 31, imms: 30 }],
    [0x10n, 64, { n: 1, immr: 60, imms: 0 }],
    [0xffff0000ffff0000n, 64, { n: 0, immr: 16, imms: 15 }],
    [-2n, 32, { n: 0, immr: 31, imms: 30 }],
  ] as const)('encodes %s as GNU as does', (value, width, fields) => {
    expect(encodeBitmask(value, width)).toEqual(fields);
  });

  it('has no encoding for 0, all ones, or more than one run of ones', () => {
    expect(encodeBitmask(0n, 64)).toBeUndefined();
    expect(encodeBitmask(-1n, 64)).toBeUndefined();
    expect(encodeBitmask(0xffffffffn, 32)).toBeUndefined();
    expect(encodeBitmask(0x10001n, 64)).toBeUndefined();
    expect(encodeBitmask(0x5n, 64)).toBeUndefined();
  });

  it('knows which values one movz can write', () => {
    expect(isWideConstant(0xffff0000n, 32)).toBe(true);
    expect(isWideConstant(0xffffffffffff0000n, 32)).toBe(true); // upper half all ones: GNU as takes it
    expect(isWideConstant(0x1ffffn, 32)).toBe(false);
    expect(isWideConstant(0xffff000000000000n, 64)).toBe(true);
    expect(isWideConstant(0x100000000n, 32)).toBe(false);
    expect(isWideConstant(0n, 64)).toBe(true);
  });
});
