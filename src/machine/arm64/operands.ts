// Operand values as the Arm ARM's pseudocode forms them: X[n] vs SP, ShiftReg, ExtendReg, DecodeBitMasks.
//
// Every value is an unsigned BigInt within the operation's width; the arithmetic keeps to what V8
// compiles without allocating (word-halves.ts): left shifts multiply by POW2, right shifts go through
// shiftRightLogical.

import { decodeBitmask } from '../../isa/arm64/table-bitmask.js';
import * as flags from './flags.js';
import * as halves from './word-halves.js';

// Module-local copies of the imports the hot path uses, read once: an imported binding is re-read on
// every use (through its module natively, through a getter under tsx, which `npm run bench` uses),
// measured up to three times slower.
const { ONES } = flags;
const { POW2, shiftRightLogical } = halves;

/** X[n] (or W[n]): register 31 is the zero register. */
export function readReg(regs: BigUint64Array, n: number, sf: number): bigint {
  return n === 31 ? 0n : sf === 1 ? regs[n] : BigInt.asUintN(32, regs[n]);
}

/** Write X[d] (a W result is already zero-extended): register 31 is the zero register, the value is dropped. */
export function writeReg(regs: BigUint64Array, d: number, value: bigint): void {
  if (d !== 31) regs[d] = value;
}

/** Ones in bits n..63, for n = 0..64: what an arithmetic right shift fills in above bit n − 1 (masked to the width). */
const HIGH_ONES: readonly bigint[] = POW2.map((p) => BigInt.asUintN(64, -p));

/** ShiftReg: `shift` 0 LSL, 1 LSR, 2 ASR, 3 ROR of a value within the width, by `amount` < width. */
export function shiftReg(value: bigint, shift: number, amount: number, sf: number): bigint {
  if (amount === 0) return value;
  const width = sf === 1 ? 64 : 32;
  switch (shift) {
    case 0: return sf === 1 ? BigInt.asUintN(64, value * POW2[amount]) : BigInt.asUintN(32, value * POW2[amount]);
    case 1: return shiftRightLogical(value, amount);
    case 2: {
      const negative = sf === 1 ? BigInt.asIntN(64, value) < 0n : BigInt.asIntN(32, value) < 0n;
      const shifted = shiftRightLogical(value, amount);
      return negative ? (shifted | HIGH_ONES[width - amount]) & ONES[sf] : shifted;
    }
    default: {
      const low = shiftRightLogical(value, amount);
      return sf === 1 ? BigInt.asUintN(64, low | (value * POW2[width - amount])) : BigInt.asUintN(32, low | (value * POW2[width - amount]));
    }
  }
}

/**
 * ExtendReg: `option` 0..3 UXTB, UXTH, UXTW, UXTX; 4..7 SXTB, SXTH, SXTW, SXTX of the whole X
 * register, then shifted left by `shift` (0..4), within the width.
 */
export function extendReg(value: bigint, option: number, shift: number, sf: number): bigint {
  let v: bigint;
  switch (option) {
    case 0: v = BigInt.asUintN(8, value); break;
    case 1: v = BigInt.asUintN(16, value); break;
    case 2: v = BigInt.asUintN(32, value); break;
    case 4: v = BigInt.asIntN(8, value); break;
    case 5: v = BigInt.asIntN(16, value); break;
    case 6: v = BigInt.asIntN(32, value); break;
    default: v = value;
  }
  return sf === 1 ? BigInt.asUintN(64, v * POW2[shift]) : BigInt.asUintN(32, v * POW2[shift]);
}

/** Logical immediates by sf:N:immr:imms, decoded on first use (DecodeBitMasks loops over BigInts). */
const BITMASKS: (bigint | undefined)[] = new Array<bigint | undefined>(1 << 14);

/** The value of a logical immediate; the decoder has already refused the reserved encodings. */
export function bitmaskImmediate(sf: number, n: number, immr: number, imms: number): bigint {
  const key = (sf << 13) | (n << 12) | (immr << 6) | imms;
  let v = BITMASKS[key];
  if (v === undefined) {
    v = decodeBitmask({ n, immr, imms }, sf === 1 ? 64 : 32) ?? 0n;
    BITMASKS[key] = v;
  }
  return v;
}
