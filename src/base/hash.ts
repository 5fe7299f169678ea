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
    return this.word(Number(v & 0xffffffffn)).word(Number((v >> 32n) & 0xffffffffn));
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
