// 64-bit values seen as two 32-bit numbers: shifts by a variable amount and flag reads without BigInt allocation.
//
// V8 compiles BigInt +, −, ×, &, |, ^, shifts by a constant and comparisons with 0n to plain 64-bit
// machine operations when the result is truncated (BigInt.asUintN(64, …) or a store into a
// BigUint64Array); a shift by a variable amount and Number(bigint) allocate (measured: 30–80 ns against
// 2). So left shifts multiply by a power of two, and right shifts and reads of single bits go through
// this scratch word.
//
// The lookup tables of the hot path are `readonly` arrays but not frozen: indexing a frozen array
// measured more than twice as slow (15 ns against 6.5) in this V8.

const SCRATCH = new BigUint64Array(1);
const HALVES = new Uint32Array(SCRATCH.buffer);
/** In a Uint32Array view of 64-bit elements, the index (0 or 1) of each element's bits 0..31: the host's byte order decides. */
export const LOW_HALF = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 0 : 1;
export const HIGH_HALF = 1 - LOW_HALF;
const LO = LOW_HALF;
const HI = HIGH_HALF;

/** 2^n for n = 0..64: `x * POW2[n]` is x << n. */
export const POW2: readonly bigint[] = Array.from({ length: 65 }, (_, i) => 1n << BigInt(i));

/** Bits 0..31 of a 64-bit value, as a number. */
export function low32(x: bigint): number {
  SCRATCH[0] = x;
  return HALVES[LO];
}

/** Bits 32..63 of a 64-bit value, as a number. */
export function high32(x: bigint): number {
  SCRATCH[0] = x;
  return HALVES[HI];
}

/** Bit n (0..63) of a 64-bit value. */
export function bitAt(x: bigint, n: number): number {
  SCRATCH[0] = x;
  return n < 32 ? (HALVES[LO] >>> n) & 1 : (HALVES[HI] >>> (n - 32)) & 1;
}

/** x >> n for an unsigned 64-bit x and 0 <= n < 64. */
export function shiftRightLogical(x: bigint, n: number): bigint {
  if (n === 0) return x;
  SCRATCH[0] = x;
  const lo = HALVES[LO], hi = HALVES[HI];
  if (n < 32) {
    HALVES[LO] = (lo >>> n) | (hi << (32 - n));
    HALVES[HI] = hi >>> n;
  } else {
    HALVES[LO] = hi >>> (n - 32);
    HALVES[HI] = 0;
  }
  return SCRATCH[0];
}
