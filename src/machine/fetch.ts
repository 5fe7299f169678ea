// One instruction fetch by one CPU: every value it may see, given the open fetch windows (MODEL.md section 3).

import type { FetchWindows } from './fetch-window.js';
import type { Memory } from './memory.js';

export interface FetchKnobs {
  /** Fetches are not monotonic (Simner et al.): a CPU may fetch new, then old. */
  readonly strictFetch: boolean;
  /** ppc: any aligned word written by one store is fetched old-or-new as a whole. */
  readonly powerWordAtomicFetch: boolean;
  /** x86: an instruction inside one aligned 8-byte unit changed by whole stores is fetched old-or-new as a whole. */
  readonly x86AlignedAtomicFetch: boolean;
}

export const DEFAULT_KNOBS: FetchKnobs = Object.freeze({ strictFetch: false, powerWordAtomicFetch: false, x86AlignedAtomicFetch: false });

/** What an arch tells the fetcher. */
export interface FetchPolicy {
  readonly unit: 1 | 4;
  readonly maxLength: number;
  readonly endian: 'little' | 'big';
  /** Length of the instruction at bytes[0], or undefined if the bytes do not decode. */
  length(bytes: Uint8Array): number | undefined;
  /**
   * May a word whose window holds `values` (oldest first) be fetched as one of them? arm64: all in the
   * CMODX set; ppc: all in the patch class, each new value written whole (or the knob). Unit-4 arches.
   */
  concurrentFetchDefined(values: readonly Uint8Array[], wholeAfterFirst: boolean, knobs: FetchKnobs): boolean;
}

/** One possible result of a fetch, and which window value of which unit it used. */
export interface FetchOption {
  readonly bytes: Uint8Array;
  readonly picks: readonly (readonly [unit: number, index: number])[];
}

export type FetchResult =
  | { readonly kind: 'ok'; readonly options: readonly FetchOption[] }
  | { readonly kind: 'fault'; readonly address: number; readonly reason: 'unmapped' | 'not-executable' | 'misaligned' }
  | { readonly kind: 'unpredictable'; readonly address: number; readonly values: readonly Uint8Array[] };

/** The most combinations of byte values one x86 fetch may branch into. */
const MAX_COMBINATIONS = 1 << 14;

export function unitBytes(value: number, size: 1 | 4): Uint8Array {
  return size === 1 ? Uint8Array.of(value) : Uint8Array.of(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24);
}

export function packUnit(bytes: Uint8Array, at: number, size: 1 | 4): number {
  return size === 1 ? bytes[at] : (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

export function fetchInstruction(
  mem: Memory, windows: FetchWindows, cpu: number, va: number, policy: FetchPolicy, knobs: FetchKnobs,
): FetchResult {
  if (policy.unit === 4 && va % 4 !== 0) return { kind: 'fault', address: va, reason: 'misaligned' };
  const region = mem.regionAt(va);
  if (!region) return { kind: 'fault', address: va, reason: 'unmapped' };
  if (!region.perms.exec) return { kind: 'fault', address: va, reason: 'not-executable' };
  const avail = Math.min(policy.maxLength, region.base + region.size - va);
  const phys = region.phys + (va - region.base);
  return policy.unit === 4 ? fetchWord(mem, windows, cpu, phys, policy, knobs) : fetchBytes(mem, windows, cpu, va, phys, avail, policy, knobs);
}

function fetchWord(mem: Memory, windows: FetchWindows, cpu: number, phys: number, policy: FetchPolicy, knobs: FetchKnobs): FetchResult {
  const w = windows.window(cpu, phys);
  if (!w) return { kind: 'ok', options: [{ bytes: mem.readPhysBytes(phys, 4), picks: [] }] };
  const values = w.values.map((v) => unitBytes(v, 4));
  if (!policy.concurrentFetchDefined(values, w.whole.slice(1).every(Boolean), knobs)) {
    return { kind: 'unpredictable', address: phys, values };
  }
  return { kind: 'ok', options: values.map((bytes, i) => ({ bytes, picks: [[phys, w.first + i] as const] })) };
}

/** x86: each byte on its own; an instruction may be decoded from a mix of old and new bytes. */
function fetchBytes(
  mem: Memory, windows: FetchWindows, cpu: number, va: number, phys: number, avail: number, policy: FetchPolicy, knobs: FetchKnobs,
): FetchResult {
  const base = mem.readPhysBytes(phys, avail);
  const open: { pos: number; values: readonly number[]; first: number; whole: readonly boolean[] }[] = [];
  let combos = 1;
  for (let i = 0; i < avail; i++) {
    const w = windows.window(cpu, phys + i);
    if (!w) continue;
    open.push({ pos: i, values: w.values, first: w.first, whole: w.whole });
    combos *= w.values.length;
  }
  if (open.length === 0) return { kind: 'ok', options: [{ bytes: base, picks: [] }] };
  if (combos > MAX_COMBINATIONS) throw new RangeError(`x86 fetch at ${va.toString(16)} has ${combos} byte combinations`);
  const seen = new Set<string>();
  const options: FetchOption[] = [];
  const choice = new Array<number>(open.length).fill(0);
  for (let n = 0; n < combos; n++) {
    let k = n;
    const bytes = base.slice();
    for (let j = 0; j < open.length; j++) {
      choice[j] = k % open[j].values.length;
      k = Math.floor(k / open[j].values.length);
      bytes[open[j].pos] = open[j].values[choice[j]];
    }
    const len = policy.length(bytes) ?? 1;
    const used = open.map((o, j) => [o, choice[j]] as const).filter(([o]) => o.pos < len);
    if (knobs.x86AlignedAtomicFetch && !lockstepAllowed(va, len, used)) continue;
    const key = Array.from(bytes.subarray(0, len)).join(',') + '|' + used.map(([o, c]) => `${o.pos}:${c}`).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    options.push({ bytes: bytes.slice(0, Math.max(len, 1)), picks: used.map(([o, c]) => [phys + o.pos, o.first + c] as const) });
  }
  return { kind: 'ok', options };
}

/**
 * Under x86.alignedAtomicFetch: an instruction inside one aligned 8-byte unit whose open bytes changed
 * together (same number of whole-store versions) is seen old-or-new as a whole: all bytes pick one version.
 */
function lockstepAllowed(va: number, len: number, used: readonly (readonly [{ values: readonly number[]; whole: readonly boolean[] }, number])[]): boolean {
  if (used.length === 0 || Math.floor(va / 8) !== Math.floor((va + len - 1) / 8)) return true;
  const n = used[0][0].values.length;
  const together = used.every(([o]) => o.values.length === n && o.whole.every(Boolean));
  return !together || used.every(([, c]) => c === used[0][1]);
}
