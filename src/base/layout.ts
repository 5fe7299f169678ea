// A state's layout as frozen data: fields declared once, from which packing to 32-bit words, unpacking
// and the variants that the fingerprint-coverage test flips are all derived.
//
// The checker keeps its queue of states to expand as packed words (a few hundred bytes a state, no
// object graph for the garbage collector to trace); a model unpacks a state when the search takes it.
// The words are a plain value: equal states under one layout pack to equal words, whatever objects
// they share, so a test can also check that unpack(pack(s)) packs back to the same words.

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

  /** The words written so far, as their own copy. */
  /**
   * The words written so far, without a copy, and a fresh buffer of the same size for what comes next (a
   * worker hands each level's words over this way and keeps writing).
   */
  detach(): Uint32Array {
    const out = this.words.subarray(0, this.length);
    this.words = this.alloc(this.words.length);
    this.length = 0;
    return out;
  }

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
}

export const u32: Field<number> = Object.freeze({
  pack: (w: WordWriter, v: number) => w.u32(v >>> 0),
  unpack: (r: WordReader) => r.u32(),
  variants: (v: number) => [(v + 1) >>> 0],
});

/** A signed number (indices that may be -1 and the like). */
export const i32: Field<number> = Object.freeze({
  pack: (w: WordWriter, v: number) => w.u32(v >>> 0),
  unpack: (r: WordReader) => r.i32(),
  variants: (v: number) => [v + 1],
});

export const bool: Field<boolean> = Object.freeze({
  pack: (w: WordWriter, v: boolean) => w.u32(v ? 1 : 0),
  unpack: (r: WordReader) => r.u32() !== 0,
  variants: (v: boolean) => [!v],
});

/** A 64-bit value (an address, a register), two words. */
export const u64: Field<bigint> = Object.freeze({
  pack: (w: WordWriter, v: bigint) => w.u64(BigInt.asUintN(64, v)),
  unpack: (r: WordReader) => r.u64(),
  variants: (v: bigint) => [BigInt.asUintN(64, v + 4n)],
});

/** A 64-bit value that may be negative (-1n as "none"): kept as the same signed bigint. */
export const i64: Field<bigint> = Object.freeze({
  pack: (w: WordWriter, v: bigint) => w.u64(BigInt.asUintN(64, v)),
  unpack: (r: WordReader) => BigInt.asIntN(64, r.u64()),
  variants: (v: bigint) => [v === -1n ? 0x1000n : -1n],
});

/** Any integer of magnitude below 2^64, as written (a user's expected value may be negative or not): a sign word and the magnitude. */
export const int: Field<bigint> = Object.freeze({
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
export const bits: Field<BitSet> = Object.freeze({
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
  return Object.freeze({
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
export const text: Field<string> = Object.freeze({
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
  variants: (v: string) => [`${v}.`],
});

/**
 * A list. `fixed`: its length is decided by the run (one entry per CPU, task, key), so no variant changes
 * it; otherwise the list without its last element is a variant too.
 */
export function list<T>(item: Field<T>, fixed = false): Field<readonly T[]> {
  return Object.freeze({
    pack: (w: WordWriter, v: readonly T[]) => {
      w.u32(v.length);
      for (const x of v) item.pack(w, x);
    },
    unpack: (r: WordReader) => {
      const out: T[] = [];
      for (let n = r.u32(); n > 0; n--) out.push(item.unpack(r));
      return out;
    },
    variants: (v: readonly T[]) => {
      const out: T[][] = [];
      v.forEach((x, i) => {
        for (const y of item.variants(x)) out.push(v.map((z, j) => (j === i ? y : z)));
      });
      if (!fixed && v.length > 0) out.push(v.slice(0, -1));
      return out;
    },
  });
}

/** A value or undefined: one word says which. */
export function optional<T>(inner: Field<T>): Field<T | undefined> {
  return Object.freeze({
    pack: (w: WordWriter, v: T | undefined) => {
      if (v === undefined) w.u32(0);
      else {
        w.u32(1);
        inner.pack(w, v);
      }
    },
    unpack: (r: WordReader) => (r.u32() === 0 ? undefined : inner.unpack(r)),
    variants: (v: T | undefined) => (v === undefined ? [] : [undefined, ...inner.variants(v)]),
  });
}

/** Packed and unpacked, but never varied: a value the fingerprint leaves out because other fields decide it. */
export function derived<T>(inner: Field<T>): Field<T> {
  return Object.freeze({
    pack: (w: WordWriter, v: T) => {
      if (!w.essential) inner.pack(w, v);
    },
    unpack: inner.unpack,
    variants: () => [],
  });
}

type Shape<T> = { readonly [K in keyof T]-?: Field<T[K]> };

/**
 * A record of named fields, packed in the shape's order; unpacked objects get their keys in that order
 * (declare them in the order the code builds the objects, so both share one hidden class in V8). A key
 * listed in `omitWhenUndefined` is left out of an unpacked object when its value is undefined, as the
 * code that builds such objects leaves it out.
 */
export function record<T extends object>(shape: Shape<T>, omitWhenUndefined: readonly (keyof T)[] = []): Field<T> {
  const keys = Object.keys(shape) as (keyof T & string)[];
  const fields = keys.map((k) => shape[k] as Field<unknown>);
  const omit = keys.map((k) => omitWhenUndefined.includes(k));
  const { pack, unpack } = compiled<T>(keys, fields, omit);
  return Object.freeze({
    pack,
    unpack,
    variants: (v: T) => {
      const out: T[] = [];
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        for (const y of fields[i].variants((v as Record<string, unknown>)[k])) {
          const copy = { ...v } as Record<string, unknown>;
          if (omit[i] && y === undefined) delete copy[k];
          else copy[k] = y;
          out.push(copy as T);
        }
      }
      return out;
    },
  });
}

/**
 * A record's pack and unpack as straight-line code over its keys: an object literal with the keys in
 * order gets one hidden class in V8 from the start, and property reads by name stay monomorphic, where a
 * loop over key names costs a keyed access each (the packed queue's main cost, measured). The keys are
 * the layout's own identifiers, checked before they are written into code.
 */
function compiled<T>(keys: readonly string[], fields: readonly Field<unknown>[], omit: readonly boolean[]): Pick<Field<T>, 'pack' | 'unpack'> {
  for (const k of keys) assert(/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k), `layout key ${k} is not an identifier`);
  const packBody = keys.map((k, i) => `f[${i}].pack(w, v.${k});`).join('\n');
  // Keys up to the first omitted one go in the literal; the rest are added in order, each only when defined.
  const first = omit.indexOf(true) < 0 ? keys.length : omit.indexOf(true);
  const literal = keys.slice(0, first).map((k, i) => `${k}: f[${i}].unpack(r)`).join(', ');
  const tail = keys.slice(first).map((k, j) => {
    const i = first + j;
    return omit[i] ? `{ const x = f[${i}].unpack(r); if (x !== undefined) o.${k} = x; }` : `o.${k} = f[${i}].unpack(r);`;
  }).join('\n');
  const pack = new Function('f', `return (w, v) => { ${packBody} };`)(fields) as Field<T>['pack'];
  const unpack = new Function('f', `return (r) => { const o = { ${literal} };\n${tail}\nreturn o; };`)(fields) as Field<T>['unpack'];
  return { pack, unpack };
}

/** Unpack words that hold exactly one value of `field`. */
export function unpacked<T>(field: Field<T>, words: Uint32Array): T {
  const r = new WordReader(words);
  const v = field.unpack(r);
  assert(r.at === words.length, 'packed state longer than its layout');
  return v;
}
