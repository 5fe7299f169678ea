// Late fetches (MODEL.md section 3, riscv64 without Ziccid): what a fetch returned that no store has written yet.
//
// A fetch ordered before nothing of its CPU's but its own instruction's effects may read a store that comes
// after the CPU's later loads and stores. An interleaving cannot run that store first, so the fetch returns
// the value now, as a promise: some later store must write it there, or the execution is not real. The
// windows keep the promises not yet kept (`FetchWindows.promise`, `keepPromises`); only windows given
// futures (the instruction words later stores may write, and where) make any.

import type { Hasher } from '../base/hash.js';
import type { WordReader, WordWriter } from '../base/layout.js';

/**
 * `cpu` fetched `value` (packed little-endian, `size` bytes at `phys`), and some later store must write it
 * there — `cover`: one atomic store covering all `size` bytes (an instruction Ziccif fetches whole).
 */
export interface FetchPromise {
  readonly cpu: number;
  readonly phys: number;
  readonly size: 2 | 4;
  readonly value: number;
  readonly cover: boolean;
}

/** What later stores may write, for late fetches: the sites they may write to and the instruction words. */
export interface FetchFutures {
  readonly sites: readonly number[];
  readonly words: readonly number[];
}

const key = (p: FetchPromise) => [p.cpu, p.phys, p.size, p.value, p.cover ? 1 : 0];

function byKey(a: FetchPromise, b: FetchPromise): number {
  const x = key(a), y = key(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/**
 * `promised` with `made` added, in the canonical order and each once (two states with the same promises are
 * one). A promise made again is the same obligation: the store that keeps one keeps both. Without this a
 * thread that loops over a late fetch would promise it again on every turn, and its states never repeat
 * (found by the fuzzer: a mutated litmus test ran for ever).
 */
export function addPromises(promised: readonly FetchPromise[], made: readonly FetchPromise[]): readonly FetchPromise[] {
  const all = [...promised, ...made].sort(byKey);
  return all.filter((p, i) => i === 0 || byKey(all[i - 1], p) !== 0);
}

/**
 * The promises a store of `length` bytes at `phys` (one atomic store if `whole`) leaves unkept; `read(phys,
 * size)` gives memory's value after it. It keeps those whose value it wrote (the value is there now, and it
 * wrote some of it: all of it for a `cover` promise).
 */
export function unkeptPromises(promised: readonly FetchPromise[], phys: number, length: number, whole: boolean, read: (phys: number, size: 2 | 4) => number): readonly FetchPromise[] {
  const kept = (p: FetchPromise) => p.phys < phys + length && phys < p.phys + p.size && read(p.phys, p.size) === p.value &&
    (!p.cover || (whole && phys <= p.phys && p.phys + p.size <= phys + length));
  return promised.some(kept) ? promised.filter((p) => !kept(p)) : promised;
}

/** Packed: the count, then per promise its CPU, place, size (and cover, bit 8) and value. */
export function packPromises(w: WordWriter, promised: readonly FetchPromise[]): void {
  w.u32(promised.length);
  for (const p of promised) { w.u32(p.cpu); w.u32(p.phys); w.u32(p.size | (p.cover ? 0x100 : 0)); w.u32(p.value >>> 0); }
}

export function unpackPromises(r: WordReader): FetchPromise[] {
  const out: FetchPromise[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const cpu = r.u32(), phys = r.u32(), size = r.u32(), value = r.u32();
    out.push({ cpu, phys, size: (size & 0xff) as 2 | 4, value, cover: (size & 0x100) !== 0 });
  }
  return out;
}

export function hashPromises(h: Hasher, promised: readonly FetchPromise[]): void {
  h.word(promised.length);
  for (const p of promised) h.word(p.cpu).word(p.phys).word(p.size | (p.cover ? 0x100 : 0)).word(p.value);
}
