// A state's layout as frozen data: fields declared once, from which packing to 32-bit words, unpacking
// and the variants that the fingerprint-coverage test flips are all derived.
//
// The checker keeps its queue of states to expand as packed words (a few hundred bytes a state, no
// object graph for the garbage collector to trace); a model unpacks a state when the search takes it.
// The words are a plain value: equal states under one layout pack to equal words, whatever objects
// they share, so a test can also check that unpack(pack(s)) packs back to the same words.
//
// Here: the word writer and reader, the Field interface, packing against a reference, and the leaf fields.
// The composite fields (lists, optional values, records, sized and derived fields) are in layout-shapes.ts.

import { assert } from './assert.js';
import type { BitSet } from './bitset.js';

/** One 64-bit slot seen as two 32-bit words: bigints cross to words without bigint arithmetic. */
const scratch64 = new BigUint64Array(1);
const scratch32 = new Uint32Array(scratch64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1, HI = 1 - LO;

/** Appends 32-bit words to a buffer that grows by doubling; one writer is reused for many states. */
export class WordWriter {
  words: Uint32Array;
  length = 0;
  /**
   * Leave out derived fields and caches: what is written is then exactly what the fingerprint must see
   * (the coverage test compares states this way). Such words cannot be unpacked.
   */
  essential = false;
  /** Write cached values (hash lanes) along with the fields they were computed from; a test turns this off. */
  caches = true;

  /** `shared`: the words live in SharedArrayBuffers, which other threads can read without a copy. */
  constructor(capacity = 1024, readonly shared = false) {
    this.words = this.alloc(capacity);
  }

  private alloc(n: number): Uint32Array {
    return new Uint32Array(this.shared ? new SharedArrayBuffer(4 * n) : new ArrayBuffer(4 * n));
  }

  private grow(need: number): void {
    let n = this.words.length * 2;
    while (n < this.length + need) n *= 2;
    const words = this.alloc(n);
    words.set(this.words.subarray(0, this.length));
    this.words = words;
  }

  u32(v: number): void {
    if (this.length === this.words.length) this.grow(1);
    this.words[this.length++] = v;
  }

  /** A 64-bit unsigned value as two words, low first. */
  u64(v: bigint): void {
    scratch64[0] = v;
    this.u32(scratch32[LO]);
    this.u32(scratch32[HI]);
  }

  /** Append words [from, to) of `src` (a span of another packed state). */
  copy(src: Uint32Array, from: number, to: number): void {
    const n = to - from;
    if (this.length + n > this.words.length) this.grow(n);
    const words = this.words;
    let at = this.length;
    for (let i = from; i < to; i++) words[at++] = src[i];
    this.length = at;
  }

  /**
   * The words written so far, without a copy, and a fresh buffer of the same size for what comes next (a
   * worker hands each level's words over this way and keeps writing).
   */
  detach(): Uint32Array {
    const out = this.words.subarray(0, this.length);
    this.words = this.spares.pop() ?? this.alloc(this.words.length);
    this.length = 0;
    return out;
  }

  /** Buffers handed over by `detach` that nobody reads any more, for `detach` to write into next. */
  private readonly spares: Uint32Array[] = [];

  /** Give back the whole buffer under words `detach` returned, once nothing reads them. */
  recycle(words: Uint32Array): void {
    this.spares.push(new Uint32Array(words.buffer));
  }

  /** The words written so far, as their own copy. */
  take(): Uint32Array {
    return this.words.slice(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }
}

/** Reads what a WordWriter wrote, in the same order. */
export class WordReader {
  constructor(readonly words: Uint32Array, public at = 0) {}

  u32(): number {
    assert(this.at < this.words.length, 'read past the end of a packed state');
    return this.words[this.at++];
  }

  i32(): number {
    return this.u32() | 0;
  }

  u64(): bigint {
    scratch32[LO] = this.u32();
    scratch32[HI] = this.u32();
    return scratch64[0];
  }
}

/**
 * One field of a layout. `variants(v)` are values of the same field that differ from `v` in one place
 * each (a leaf field changed, an optional part dropped): the coverage test packs a state with each and
 * asserts that the fingerprint sees the change. A field whose value the fingerprint must not see
 * (derived from other fields) says so with `derived`.
 */
export interface Field<T> {
  pack(w: WordWriter, v: T): void;
  unpack(r: WordReader): T;
  variants(v: T): T[];
  /** The words every value takes, when that is fixed: skipping one is then free. */
  readonly size?: number;
  /** Step past one value without building it (without `size` or `skip`, a value is unpacked to skip it). */
  skip?(r: WordReader): void;
  /** `unpack`, reusing the parts of `like` whose words are the same (see `unpackLike`); composite fields. */
  unpackLike?(r: WordReader, ref: WordReader, like: T): T;
  /** `pack`, copying the words of the parts `v` shares with `like` (see `packLike`); composite fields. */
  packLike?(w: WordWriter, v: T, ref: WordReader, like: T): void;
}

/**
 * A field as one object shape: every field has the same properties in the same order (absent ones
 * undefined), so the generic code below reads them through monomorphic property loads.
 */
export function field<T>(f: Field<T>): Field<T> {
  return Object.freeze({
    pack: f.pack, unpack: f.unpack, variants: f.variants, size: f.size, skip: f.skip, unpackLike: f.unpackLike, packLike: f.packLike,
  });
}

// Packing against a reference. A BFS level holds siblings side by side and their successors share most of
// their objects with them, so a state is unpacked against the one taken before it, and a successor packed
// against the state it came from: `ref` reads the reference's words at the same field as `r` or `w`, and
// `like` is the reference's value of that field. A part whose words equal the reference's unpacks to the
// reference's own object (unpacking is a function of the words read, and values are never mutated), and a
// part that *is* the reference's object packs to a copy of its words (pack(unpack(words)) = words). Both
// readers always end past the field, so the next field lines up again. Leaves are simply read: reusing a
// number saves nothing.

export function skipValue<T>(f: Field<T>, r: WordReader): void {
  if (f.size !== undefined) r.at += f.size;
  else if (f.skip) f.skip(r);
  else f.unpack(r);
}

function sameWords(a: Uint32Array, from: number, b: Uint32Array, refFrom: number, n: number): boolean {
  if (from + n > a.length) return false;
  for (let i = 0; i < n; i++) if (a[from + i] !== b[refFrom + i]) return false;
  return true;
}

/** Step past a span of words that begins with its length. */
export function skipSpan(r: WordReader): void {
  r.at += r.words[r.at] + 1;
}

/** Are the length-prefixed spans at `r` and `ref` the same words? Then both readers step past them. */
export function sameSpan(r: WordReader, ref: WordReader): boolean {
  const n = r.words[r.at];
  if (n !== ref.words[ref.at] || !sameWords(r.words, r.at + 1, ref.words, ref.at + 1, n)) return false;
  r.at += n + 1;
  ref.at += n + 1;
  return true;
}

/** Unpack one value of `f` from `r`, reusing `like` (and its parts) where the words are `ref`'s. */
export function unpackLike<T>(f: Field<T>, r: WordReader, ref: WordReader, like: T): T {
  if (!f.unpackLike) {
    skipValue(f, ref);
    return f.unpack(r);
  }
  return f.unpackLike(r, ref, like);
}

/** Pack `v` into `w` as `f` does, copying `ref`'s words for the parts of `v` that are `like`'s own objects. */
export function packLike<T>(f: Field<T>, w: WordWriter, v: T, ref: WordReader, like: T): void {
  if (v === like && typeof v === 'object' && v !== null) {
    const from = ref.at;
    skipValue(f, ref);
    w.copy(ref.words, from, ref.at);
  } else if (f.packLike) f.packLike(w, v, ref, like);
  else {
    skipValue(f, ref);
    f.pack(w, v);
  }
}

export const u32: Field<number> = field({
  size: 1,
  pack: (w: WordWriter, v: number) => w.u32(v >>> 0),
  unpack: (r: WordReader) => r.u32(),
  variants: (v: number) => [(v + 1) >>> 0],
});

/** A signed number (indices that may be -1 and the like). */
export const i32: Field<number> = field({
  size: 1,
  pack: (w: WordWriter, v: number) => w.u32(v >>> 0),
  unpack: (r: WordReader) => r.i32(),
  variants: (v: number) => [v + 1],
});

export const bool: Field<boolean> = field({
  size: 1,
  pack: (w: WordWriter, v: boolean) => w.u32(v ? 1 : 0),
  unpack: (r: WordReader) => r.u32() !== 0,
  variants: (v: boolean) => [!v],
});

/** A 64-bit value (an address, a register), two words. */
export const u64: Field<bigint> = field({
  size: 2,
  pack: (w: WordWriter, v: bigint) => w.u64(BigInt.asUintN(64, v)),
  unpack: (r: WordReader) => r.u64(),
  variants: (v: bigint) => [BigInt.asUintN(64, v + 4n)],
});

/** A 64-bit value that may be negative (-1n as "none"): kept as the same signed bigint. */
export const i64: Field<bigint> = field({
  size: 2,
  pack: (w: WordWriter, v: bigint) => w.u64(BigInt.asUintN(64, v)),
  unpack: (r: WordReader) => BigInt.asIntN(64, r.u64()),
  variants: (v: bigint) => [v === -1n ? 0x1000n : -1n],
});

/** Any integer of magnitude below 2^64, as written (a user's expected value may be negative or not): a sign word and the magnitude. */
export const int: Field<bigint> = field({
  size: 3,
  pack: (w: WordWriter, v: bigint) => {
    w.u32(v < 0n ? 1 : 0);
    w.u64(BigInt.asUintN(64, v < 0n ? -v : v));
  },
  unpack: (r: WordReader) => {
    const negative = r.u32() !== 0;
    const m = r.u64();
    return negative ? -m : m;
  },
  variants: (v: bigint) => [v + 1n],
});

/** A set of small integers (base/bitset.ts's canonical form: no trailing zero word). */
export const bits: Field<BitSet> = field<BitSet>({
  pack: (w: WordWriter, v: BitSet) => {
    w.u32(v.length);
    for (const x of v) w.u32(x);
  },
  unpack: (r: WordReader) => {
    // Pushed, not preallocated: `new Array(n)` makes a holey array, which every reader then handles apart.
    const out: number[] = [];
    for (let n = r.u32(); n > 0; n--) out.push(r.u32());
    return Object.freeze(out);
  },
  skip: skipSpan,
  // Sets are frozen arrays: an equal one read back is the reference's own.
  unpackLike: (r: WordReader, ref: WordReader, like: BitSet) => {
    if (sameSpan(r, ref)) return like;
    skipSpan(ref);
    return bits.unpack(r);
  },
  // Member 0 toggled, and member 32 * length added (a set longer by a word).
  variants: (v: BitSet) => {
    const toggled = v.length === 0 ? [1] : [(v[0] ^ 1) >>> 0, ...v.slice(1)];
    while (toggled.length > 0 && toggled[toggled.length - 1] === 0) toggled.pop();
    return [Object.freeze(toggled), Object.freeze([...v, 1])];
  },
});

/** One of a fixed list of values (strings, undefined), packed as its index. */
export function oneOf<T>(values: readonly T[]): Field<T> {
  const table = Object.freeze([...values]);
  return field({
    size: 1,
    pack: (w: WordWriter, v: T) => {
      const i = table.indexOf(v);
      assert(i >= 0, `value ${String(v)} is not in its layout's list`);
      w.u32(i);
    },
    unpack: (r: WordReader) => {
      const i = r.u32();
      assert(i < table.length, 'packed index past its layout list');
      return table[i];
    },
    variants: (v: T) => (table.length > 1 ? [table[(table.indexOf(v) + 1) % table.length]] : []),
  });
}

/**
 * A string not known in advance (a violation's message), packed in its own words: its length, then two
 * UTF-16 code units a word. Self-contained, so that words packed by one thread read back in another.
 */
export const text: Field<string> = field({
  pack: (w: WordWriter, v: string) => {
    w.u32(v.length);
    for (let i = 0; i < v.length; i += 2) w.u32(v.charCodeAt(i) | ((i + 1 < v.length ? v.charCodeAt(i + 1) : 0) << 16));
  },
  unpack: (r: WordReader) => {
    const n = r.u32();
    const units: number[] = [];
    for (let i = 0; i < n; i += 2) {
      const word = r.u32();
      units.push(word & 0xffff);
      if (i + 1 < n) units.push(word >>> 16);
    }
    let out = '';
    for (let i = 0; i < units.length; i += 4096) out += String.fromCharCode(...units.slice(i, i + 4096));
    return out;
  },
  skip: (r: WordReader) => {
    r.at += ((r.words[r.at] + 1) >>> 1) + 1;
  },
  variants: (v: string) => [`${v}.`],
});

/** Unpack words that hold exactly one value of `field`. */
export function unpacked<T>(field: Field<T>, words: Uint32Array): T {
  const r = new WordReader(words);
  const v = field.unpack(r);
  assert(r.at === words.length, 'packed state longer than its layout');
  return v;
}
