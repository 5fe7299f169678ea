// Logical (bitmask) immediates as the architecture defines N:immr:imms, and when objdump prefers movz/movn.

/** The fields of a logical immediate. */
export interface BitmaskFields {
  readonly n: number;
  readonly immr: number;
  readonly imms: number;
}

function ones(count: number): bigint {
  return (1n << BigInt(count)) - 1n;
}

/**
 * DecodeBitMasks of the Arm ARM, for the immediate operand only: an element of 2^len bits whose low
 * S+1 bits are set, rotated right by R, replicated to `width`. Undefined for the reserved encodings
 * (no element size, all ones in an element, or N=1 in a 32-bit instruction).
 */
export function decodeBitmask(f: BitmaskFields, width: 32 | 64): bigint | undefined {
  if (width === 32 && f.n !== 0) return undefined;
  const combined = (f.n << 6) | (~f.imms & 0x3f);
  if (combined === 0) return undefined;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return undefined;
  const levels = (1 << len) - 1;
  if ((f.imms & levels) === levels) return undefined;
  const esize = 1 << len;
  const s = f.imms & levels;
  const r = f.immr & levels;
  const element = ones(s + 1);
  const rotated = ((element >> BigInt(r)) | (element << BigInt(esize - r))) & ones(esize);
  let value = 0n;
  for (let at = 0; at < width; at += esize) value |= rotated << BigInt(at);
  return value;
}

/**
 * The encoding GNU as picks for a value: the smallest element that replicates to it, and in it the
 * rotation of a single run of ones. Undefined when no logical immediate has this value (0, all ones,
 * or no such run). `value` is taken modulo 2^width.
 */
export function encodeBitmask(value: bigint, width: 32 | 64): BitmaskFields | undefined {
  const v = BigInt.asUintN(width, value);
  if (v === 0n || v === ones(width)) return undefined;
  let esize: number = width;
  while (esize > 2) {
    const half = esize / 2;
    const low = v & ones(half);
    if (((v >> BigInt(half)) & ones(half)) !== low) break;
    esize = half;
  }
  const element = v & ones(esize);
  // Rotate the element until its run of ones starts at bit 0: rotating right by r gives `element`.
  for (let r = 0; r < esize; r++) {
    const run = ((element << BigInt(r)) | (element >> BigInt(esize - r))) & ones(esize);
    const count = popcount(run);
    if (run !== ones(count)) continue;
    const imms = ((~(esize - 1) << 1) | (count - 1)) & 0x3f;
    return { n: esize === 64 ? 1 : 0, immr: r, imms };
  }
  return undefined;
}

function popcount(v: bigint): number {
  let count = 0;
  for (let x = v; x !== 0n; x &= x - 1n) count++;
  return count;
}

/**
 * Can one movz write this value to a register of `width` bits (one 16-bit chunk set, the rest zero)?
 * As GNU as, a 32-bit value may come with its upper half all ones (`~0x80000000`).
 */
export function isWideConstant(value: bigint, width: 32 | 64): boolean {
  let v = BigInt.asUintN(64, value);
  if (width === 32) {
    const upper = v >> 32n;
    if (upper !== 0n && upper !== 0xffffffffn) return false;
    v &= 0xffffffffn;
  }
  for (let shift = 0n; shift < BigInt(width); shift += 16n) if ((v & (0xffffn << shift)) === v) return true;
  return false;
}
