// 64-bit fingerprints as two 32-bit halves: cheap to combine, to update incrementally, and to store in typed arrays.

/** Mix one 32-bit word into a running 32-bit hash (murmur3's body and finaliser constants). */
export function mix32(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

export function finish32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash a byte range into two independent 32-bit lanes (seeds differ), returned as [lo, hi]. */
export function hashBytes(bytes: Uint8Array, start: number, end: number, seed: number): [number, number] {
  let a = seed | 0, b = (seed ^ 0x9e3779b9) | 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const w = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    a = mix32(a, w);
    b = mix32(b, w ^ 0x5bd1e995);
  }
  let tail = 0;
  for (let s = 0; i < end; i++, s += 8) tail |= bytes[i] << s;
  a = mix32(a, tail ^ (end - start));
  b = mix32(b, tail + (end - start));
  return [finish32(a), finish32(b)];
}

/**
 * A bigint's low 64 bits as two 32-bit words, through one shared 64-bit slot and its 32-bit view: storing
 * into a BigUint64Array wraps modulo 2^64, exactly as masking does, without allocating a BigInt per half.
 */
const BIG_SLOT = new BigUint64Array(1);
const BIG_WORDS = new Uint32Array(BIG_SLOT.buffer);
/** Which element of BIG_WORDS holds the low half (the host's byte order). */
const BIG_LO = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1 ? 0 : 1;

/** Bits 0..31 of `v` (two's complement for negative values), as `Number(v & 0xffffffffn)`. */
export function bigLo(v: bigint): number {
  BIG_SLOT[0] = v;
  return BIG_WORDS[BIG_LO];
}

/** Bits 32..63 of the bigint last passed to `bigLo`, as `Number((v >> 32n) & 0xffffffffn)`. */
export function bigHiOfLast(): number {
  return BIG_WORDS[1 - BIG_LO];
}

/** A running hash of many 32-bit words, for small structured values (registers, flags). */
export class Hasher {
  private a: number;
  private b: number;
  constructor(seed = 0) {
    this.a = seed | 0;
    this.b = (seed ^ 0x7f4a7c15) | 0;
  }
  reset(seed = 0): this {
    this.a = seed | 0;
    this.b = (seed ^ 0x7f4a7c15) | 0;
    return this;
  }
  word(w: number): this {
    this.a = mix32(this.a, w | 0);
    this.b = mix32(this.b, (w ^ 0x2545f491) | 0);
    return this;
  }
  big(v: bigint): this {
    BIG_SLOT[0] = v;
    return this.word(BIG_WORDS[BIG_LO]).word(BIG_WORDS[1 - BIG_LO]);
  }
  /** The fingerprint as a bigint (64 bits). */
  digest(): bigint {
    return (BigInt(finish32(this.b)) << 32n) | BigInt(finish32(this.a));
  }
  lo(): number {
    return finish32(this.a);
  }
  hi(): number {
    return finish32(this.b);
  }
}
