// The condition flags: AddWithCarry as the Arm ARM defines it, the logical-op flags, and ConditionHolds.
//
// Values are unsigned BigInts within the operation's width (32 or 64 bits). NZCV is stored as the
// register holds it (bits 31..28); a 16-entry table of prebuilt values keeps flag updates allocation-free,
// and the flags are computed on 32-bit halves as numbers (word-halves.ts says why).

import * as registers from './registers.js';
import * as halves from './word-halves.js';

// Module-local copies of the imports the hot path uses, read once: an imported binding is re-read on
// every use (through its module natively, through a getter under tsx, which `npm run bench` uses),
// measured up to three times slower.
const { NZCV } = registers;
const { HIGH_HALF: HI, low32, LOW_HALF: LO } = halves;

/** Flag bits of the 4-bit NZCV nibble (the register's bits 31..28 shifted down). */
export const FLAG_N = 8;
export const FLAG_Z = 4;
export const FLAG_C = 2;
export const FLAG_V = 1;

/** The register value for each nibble, made once so that setting flags allocates nothing. */
const NZCV_VALUES: readonly bigint[] = Array.from({ length: 16 }, (_, i) => BigInt(i) << 28n);

/** By `sf`: the all-ones value of a W (0) or X (1) operation. */
export const ONES: readonly bigint[] = [0xffff_ffffn, 0xffff_ffff_ffff_ffffn];

/**
 * The operands x, y and truncated result r of the last flag-setting add or subtract. Callers store
 * them here instead of passing them: a BigInt argument to a call V8 does not inline is allocated, and
 * the flags need only the top (and, for Z, the bottom) 32 bits of each, which this view reads as numbers.
 */
export const OPERANDS = new BigUint64Array(3);
const OPERAND_WORDS = new Uint32Array(OPERANDS.buffer);

/*
 * AddWithCarry(x, y, carry_in) of the Arm ARM, for add (carry_in 0) or subtract (x + NOT(y) + 1),
 * on OPERANDS: N the sign of r, Z r is 0, C the carry out of the top bit, V the signed overflow. With
 * the carry into the top bit being r ^ x ^ y, per top bit:
 *   add:  C = (x & y) | ((x | y) & ~r)                              V = (x ^ r) & (y ^ r)
 *   sub:  C = NOT borrow, borrow = (~x & y) | (~(x ^ y) & r)       V = (x ^ y) & (x ^ r)
 */

/** The NZCV register value after OPERANDS' add (sub = false) or subtract, of width sf (W 0, X 1). */
export function arithmeticFlags(sf: number, sub: boolean): bigint {
  const top = sf === 1 ? HI : LO;
  const x = OPERAND_WORDS[top], y = OPERAND_WORDS[2 + top], r = OPERAND_WORDS[4 + top];
  const zero = sf === 1 ? (OPERAND_WORDS[4 + LO] | r) === 0 : r === 0;
  const carry = sub ? (~(((~x & y) | (~(x ^ y) & r)) >>> 31)) & 1 : ((x & y) | ((x | y) & ~r)) >>> 31;
  const overflow = (sub ? (x ^ y) & (x ^ r) : (x ^ r) & (y ^ r)) >>> 31;
  return NZCV_VALUES[(r >>> 31) * FLAG_N | (zero ? FLAG_Z : 0) | carry * FLAG_C | overflow * FLAG_V];
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
