// Sets of small non-negative integers (CPUs, tasks, a key's targets) of any size, as immutable values.
//
// A set is a frozen array of 32-bit words, bit i of word w standing for 32*w + i, with no trailing zero
// word: every set has exactly one form, so two sets are equal when their words are, and hashing the words
// covers the whole set. A 32-bit mask would do for the seeds, but bounds allow 64 CPUs and a key may have
// any number of targets; a mask silently aliases member 32 with member 0 (a wrong "safe").

import type { Hasher } from './hash.js';

export type BitSet = readonly number[];

export const EMPTY_SET: BitSet = Object.freeze([]);

function trimmed(words: number[]): BitSet {
  let n = words.length;
  while (n > 0 && words[n - 1] === 0) n--;
  if (n === 0) return EMPTY_SET;
  words.length = n;
  return Object.freeze(words);
}

export function singleton(i: number): BitSet {
  const words = new Array<number>((i >>> 5) + 1).fill(0);
  words[i >>> 5] = (1 << (i & 31)) >>> 0;
  return Object.freeze(words);
}

export function has(s: BitSet, i: number): boolean {
  const w = i >>> 5;
  return w < s.length && (s[w] & (1 << (i & 31))) !== 0;
}

export function isEmpty(s: BitSet): boolean {
  return s.length === 0;
}

export function add(s: BitSet, i: number): BitSet {
  if (has(s, i)) return s;
  const words = s.slice();
  while (words.length <= i >>> 5) words.push(0);
  words[i >>> 5] = (words[i >>> 5] | (1 << (i & 31))) >>> 0;
  return Object.freeze(words);
}

export function remove(s: BitSet, i: number): BitSet {
  if (!has(s, i)) return s;
  const words = s.slice();
  words[i >>> 5] = (words[i >>> 5] & ~(1 << (i & 31))) >>> 0;
  return trimmed(words);
}

export function union(a: BitSet, b: BitSet): BitSet {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const words = new Array<number>(Math.max(a.length, b.length));
  for (let w = 0; w < words.length; w++) words[w] = ((a[w] ?? 0) | (b[w] ?? 0)) >>> 0;
  return trimmed(words);
}

export function intersect(a: BitSet, b: BitSet): BitSet {
  const words = new Array<number>(Math.min(a.length, b.length));
  for (let w = 0; w < words.length; w++) words[w] = (a[w] & b[w]) >>> 0;
  return trimmed(words);
}

/** a \ b */
export function minus(a: BitSet, b: BitSet): BitSet {
  if (b.length === 0 || a.length === 0) return a;
  const words = a.slice();
  for (let w = 0; w < Math.min(a.length, b.length); w++) words[w] = (words[w] & ~b[w]) >>> 0;
  return trimmed(words);
}

export function equal(a: BitSet, b: BitSet): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let w = 0; w < a.length; w++) if (a[w] !== b[w]) return false;
  return true;
}

/** The members in increasing order. */
export function members(s: BitSet): number[] {
  const out: number[] = [];
  for (let w = 0; w < s.length; w++) for (let m = s[w]; m !== 0; m &= m - 1) out.push(w * 32 + (31 - Math.clz32(m & -m)));
  return out;
}

/** The set of the indices of `list` where `pick` holds. */
export function setOf<T>(list: readonly T[], pick: (x: T, i: number) => boolean): BitSet {
  let s = EMPTY_SET;
  list.forEach((x, i) => {
    if (pick(x, i)) s = add(s, i);
  });
  return s;
}

/** Feed the set to a hasher: its length first, so sets of different sizes never share a word stream. */
export function hashBits(h: Hasher, s: BitSet): Hasher {
  h.word(s.length);
  for (let w = 0; w < s.length; w++) h.word(s[w]);
  return h;
}
