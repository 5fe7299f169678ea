// The condition flags: AddWithCarry as the Arm ARM defines it, the logical-op flags, and ConditionHolds.
//
// Values are unsigned BigInts within the operation's width (32 or 64 bits). NZCV is stored as the
// register holds it (bits 31..28); a 16-entry table of prebuilt values keeps flag updates allocation-free,
// and the flags are computed with the BigInt operations V8 compiles to machine code (word-halves.ts).

import { FLAG_C, FLAG_N, FLAG_V, FLAG_Z, NZCV, NZCV_VALUES } from './registers.js';
import { low32 } from './word-halves.js';

/** By `sf`: the all-ones value of a W (0) or X (1) operation. */
export const ONES: readonly bigint[] = Object.freeze([0xffff_ffffn, 0xffff_ffff_ffff_ffffn]);

/*
 * AddWithCarry(x, y, carry_in) of the Arm ARM, split by width and by add (carry_in 0) or subtract
 * (x + NOT(y) + 1), each small enough for V8 to inline (a BigInt passed to a call that is not inlined
 * is allocated). Each returns the NZCV register value for operands x, y (within the width) and the
 * truncated result r: N the sign of r, Z r is 0, C the carry out of the top bit, V the signed overflow.
 * Per top bit, with the carry into it being r ^ x ^ y:
 *   add:  C = (x & y) | ((x | y) & ~r)          V = (x ^ r) & (y ^ r)
 *   sub:  C = NOT borrow, borrow = (~x & y) | (~(x ^ y) & r)          V = (x ^ y) & (x ^ r)
 */

export function flagsOfAdd64(x: bigint, y: bigint, r: bigint): bigint {
  return NZCV_VALUES[(BigInt.asIntN(64, r) < 0n ? FLAG_N : 0) | (r === 0n ? FLAG_Z : 0)
    | (BigInt.asIntN(64, (x & y) | ((x | y) & (r ^ -1n))) < 0n ? FLAG_C : 0)
    | (BigInt.asIntN(64, (x ^ r) & (y ^ r)) < 0n ? FLAG_V : 0)];
}

export function flagsOfAdd32(x: bigint, y: bigint, r: bigint): bigint {
  return NZCV_VALUES[(BigInt.asIntN(32, r) < 0n ? FLAG_N : 0) | (r === 0n ? FLAG_Z : 0)
    | (BigInt.asIntN(32, (x & y) | ((x | y) & (r ^ -1n))) < 0n ? FLAG_C : 0)
    | (BigInt.asIntN(32, (x ^ r) & (y ^ r)) < 0n ? FLAG_V : 0)];
}

export function flagsOfSub64(x: bigint, y: bigint, r: bigint): bigint {
  return NZCV_VALUES[(BigInt.asIntN(64, r) < 0n ? FLAG_N : 0) | (r === 0n ? FLAG_Z : 0)
    | (BigInt.asIntN(64, ((x ^ -1n) & y) | ((x ^ y ^ -1n) & r)) < 0n ? 0 : FLAG_C)
    | (BigInt.asIntN(64, (x ^ y) & (x ^ r)) < 0n ? FLAG_V : 0)];
}

export function flagsOfSub32(x: bigint, y: bigint, r: bigint): bigint {
  return NZCV_VALUES[(BigInt.asIntN(32, r) < 0n ? FLAG_N : 0) | (r === 0n ? FLAG_Z : 0)
    | (BigInt.asIntN(32, ((x ^ -1n) & y) | ((x ^ y ^ -1n) & r)) < 0n ? 0 : FLAG_C)
    | (BigInt.asIntN(32, (x ^ y) & (x ^ r)) < 0n ? FLAG_V : 0)];
}

/** ANDS/BICS/TST: N and Z from the result, C and V cleared. */
export function flagsOfLogical(r: bigint, sf: number): bigint {
  const negative = sf === 1 ? BigInt.asIntN(64, r) < 0n : BigInt.asIntN(32, r) < 0n;
  return NZCV_VALUES[(negative ? FLAG_N : 0) | (r === 0n ? FLAG_Z : 0)];
}

/**
 * ConditionHolds(cond) for every (cond, NZCV nibble): index cond * 16 + nibble. Conditions come in
 * pairs, the odd one the inverse of the even one below it, except 0b1111 (NV), which holds like AL.
 */
export const CONDITION_HOLDS: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let nibble = 0; nibble < 16; nibble++) {
    const n = (nibble & FLAG_N) !== 0, z = (nibble & FLAG_Z) !== 0, c = (nibble & FLAG_C) !== 0, v = (nibble & FLAG_V) !== 0;
    const base = [z, c, n, v, c && !z, n === v, n === v && !z, true];
    for (let cond = 0; cond < 16; cond++) {
      const holds = base[cond >> 1];
      table[cond * 16 + nibble] = (cond & 1) === 1 && cond !== 15 ? Number(!holds) : Number(holds);
    }
  }
  return table;
})();

/** ConditionHolds(cond) on the current flags. */
export function conditionHolds(regs: BigUint64Array, cond: number): boolean {
  return CONDITION_HOLDS[cond * 16 + (low32(regs[NZCV]) >>> 28)] === 1;
}
