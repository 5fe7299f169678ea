// One instruction fetch by one CPU: every value it may see, given the open fetch windows (MODEL.md section 3).

import type { FetchPromise } from './fetch-promise.js';
import type { FetchWindows } from './fetch-window.js';
import type { Memory } from './memory.js';

export interface FetchKnobs {
  /** Fetches are not monotonic (Simner et al.): a CPU may fetch new, then old. */
  readonly strictFetch: boolean;
  /** ppc: any aligned word written by one store is fetched old-or-new as a whole. */
  readonly powerWordAtomicFetch: boolean;
  /** x86: an instruction whose changed bytes the same atomic stores wrote is fetched old-or-new as a whole. */
  readonly x86AlignedAtomicFetch: boolean;
  /** arm64 CTR_EL0.IDC: a store reaches the point of unification by itself (no `DC CVAU` needed). */
  readonly arm64Idc: boolean;
  /** arm64 CTR_EL0.DIC: instruction fetch sees the point of unification (no `IC IVAU` needed). */
  readonly arm64Dic: boolean;
  /** riscv64 Ziccif: a naturally aligned instruction is fetched old-or-new as a whole (its parcels do not mix). */
  readonly riscvZiccif: boolean;
  /**
   * riscv64 Ziccid: a hart's instruction fetches follow the global order of stores (never older after
   * newer, in one unit or across units) — still without FENCE.I, only "eventually" up to date.
   */
  readonly riscvZiccid: boolean;
}

export const DEFAULT_KNOBS: FetchKnobs = Object.freeze({ strictFetch: false, powerWordAtomicFetch: false, x86AlignedAtomicFetch: false, arm64Idc: false, arm64Dic: false, riscvZiccif: false, riscvZiccid: false });

/** What an arch tells the fetcher. */
export interface FetchPolicy {
  /** 1: each byte on its own (x86); 2: naturally aligned 16-bit parcels (riscv64); 4: aligned words. */
  readonly unit: 1 | 2 | 4;
  readonly maxLength: number;
  readonly endian: 'little' | 'big';
  /** Length of the instruction at bytes[0], or undefined if the bytes do not decode. */
  length(bytes: Uint8Array): number | undefined;
  /**
   * May a word whose window holds `values` (oldest first) be fetched as one of them? arm64: all in the
   * CMODX set; ppc: all in the patch class, each new value written whole (or the knob). Unit-4 arches.
   */
  concurrentFetchDefined(values: readonly Uint8Array[], wholeAfterFirst: boolean, knobs: FetchKnobs): boolean;
  /**
   * Does taking an exception, or returning from one (or switching to another context), make the CPU
   * certain of every unit? arm64 and Power: both (context synchronization); x86: the return (IRET
   * serializes); riscv64: neither (only FENCE.I does).
   */
  readonly exceptionSync: { readonly entry: boolean; readonly return: boolean };
  /** Are a CPU's fetches monotonic (never an older value after a newer one)? Absent: unless strictFetch, or with DIC. */
  fetchesMonotonic?(knobs: FetchKnobs): boolean;
  /** Do fetches also follow the global order of stores across units (ordered windows)? Absent: no. */
  orderedFetch?(knobs: FetchKnobs): boolean;
  /**
   * Does completed cache maintenance bind a CPU's later fetches once it fetched a value stored after it
   * (binding windows)? Absent: no.
   */
  maintenanceBindsFetch?(knobs: FetchKnobs): boolean;
  /**
   * Is the CPU's own synchronizing instruction anchored on its explicit data accesses (anchored windows): does
   * it make the CPU certain only of the stores before its last load or store, not of every store before it?
   * riscv64 without Ziccid (FENCE.I orders earlier explicit accesses before later fetches, and nothing else).
   * Absent: no. (The kernel's synchronization of a CPU, an IPI taken, is not an instruction: not anchored.)
   */
  syncAnchoredOnAccess?(knobs: FetchKnobs): boolean;
  /**
   * May the fetch of an instruction that makes no data access of its own (`orderedBeforeNothing`) be late:
   * return a value a later store will write, as a promise (windows given futures)? Its fetch is then ordered
   * before nothing of its CPU's but that instruction's own effects. riscv64 without Ziccid. Absent: no.
   */
  lateFetch?(knobs: FetchKnobs): boolean;
  /** Does the instruction in `bytes` decode to one with no data access, trap or CSR of its own (its fetch may be late)? */
  orderedBeforeNothing?(bytes: Uint8Array): boolean;
}

/** One possible result of a fetch, and which window value of which unit it used. */
export interface FetchOption {
  readonly bytes: Uint8Array;
  readonly picks: readonly (readonly [unit: number, index: number])[];
  /** A late fetch: the values no store has written yet, which a later store must write (`FetchPromise`). */
  readonly promises?: readonly Omit<FetchPromise, 'cpu'>[];
}

export type FetchResult =
  | { readonly kind: 'ok'; readonly options: readonly FetchOption[] }
  | { readonly kind: 'fault'; readonly address: number; readonly reason: 'unmapped' | 'not-executable' | 'misaligned' }
  | { readonly kind: 'unpredictable'; readonly address: number; readonly values: readonly Uint8Array[] };

export function unitBytes(value: number, size: 1 | 2 | 4): Uint8Array {
  if (size === 1) return Uint8Array.of(value);
  if (size === 2) return Uint8Array.of(value & 0xff, value >>> 8);
  return Uint8Array.of(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24);
}

export function packUnit(bytes: Uint8Array, at: number, size: 1 | 2 | 4): number {
  if (size === 1) return bytes[at];
  if (size === 2) return bytes[at] | (bytes[at + 1] << 8);
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

export function fetchInstruction(
  mem: Memory, windows: FetchWindows, cpu: number, va: number, policy: FetchPolicy, knobs: FetchKnobs,
): FetchResult {
  if (policy.unit > 1 && va % policy.unit !== 0) return { kind: 'fault', address: va, reason: 'misaligned' };
  const region = mem.regionAt(va);
  if (!region) return { kind: 'fault', address: va, reason: 'unmapped' };
  if (!region.perms.exec) return { kind: 'fault', address: va, reason: 'not-executable' };
  const avail = Math.min(policy.maxLength, region.base + region.size - va);
  const phys = region.phys + (va - region.base);
  if (policy.unit === 2) return fetchParcels(mem, windows, cpu, phys, avail, policy, knobs);
  return policy.unit === 4 ? fetchWord(mem, windows, cpu, phys, policy, knobs) : fetchBytes(mem, windows, cpu, va, phys, avail, policy, knobs);
}

/**
 * riscv64: each naturally aligned 16-bit parcel on its own (MODEL.md section 3, Zifencei only). The
 * first parcel's value says the instruction's length; a 4-byte instruction then takes its second parcel
 * from that parcel's own window, so its halves may come from different moments (a straddling store's
 * old half and new half). Under `riscv.ziccif` a naturally aligned 4-byte instruction is fetched
 * old-or-new as a whole: when both parcels changed, and by the same atomic stores (each covering both),
 * the two halves come from one moment (the same index in their histories, which then agree). Parcels
 * written by separate stores may still be seen mixed: the knob is not asked to order stores, so it
 * promises nothing for them (an over-approximation: more behaviours, never fewer). `riscv.ziccid`
 * orders fetches across units instead (ordered windows, step.ts).
 */
function fetchParcels(mem: Memory, windows: FetchWindows, cpu: number, phys: number, avail: number, policy: FetchPolicy, knobs: FetchKnobs): FetchResult {
  const choices = (at: number): { value: number; pick?: readonly [number, number] }[] => {
    const w = windows.window(cpu, at);
    if (!w) return [{ value: packUnit(mem.readPhysBytes(at, 2), 0, 2) }];
    return w.values.map((value, i) => ({ value, pick: [at, w.first + i] as const }));
  };
  const whole = knobs.riscvZiccif && phys % 4 === 0 && lockstepParcels(windows, cpu, phys);
  const options: FetchOption[] = [];
  for (const low of choices(phys)) {
    const first = unitBytes(low.value, 2);
    const length = policy.length(first) ?? 2;
    const lowPicks = low.pick ? [low.pick] : [];
    if (length === 2 || avail < 4) {
      options.push({ bytes: first, picks: lowPicks });
      continue;
    }
    for (const high of choices(phys + 2)) {
      if (whole && low.pick && high.pick && low.pick[1] !== high.pick[1]) continue;
      options.push({ bytes: Uint8Array.of(first[0], first[1], high.value & 0xff, high.value >>> 8), picks: high.pick ? [...lowPicks, high.pick] : lowPicks });
    }
  }
  if (windows.futures && avail >= 4 && policy.lateFetch?.(knobs) && windows.futures.sites.includes(phys)) {
    options.push(...lateOptions(mem, windows, cpu, phys, policy, knobs, options));
  }
  return { kind: 'ok', options };
}

/**
 * riscv64 without Ziccid: the fetch of an instruction with no data access of its own is ordered before nothing
 * of its hart's but that instruction's effects (the rems-project Ziccif-only model: its `ir1` only), so it may
 * read a store that comes after the hart's later loads and stores (CoFR, LB.FF). Each instruction word a later
 * store may write here (the windows' futures) that is such an instruction is offered as a promise: under
 * `riscv.ziccif`, of one store writing the aligned word; otherwise of each parcel not fetchable now.
 */
function lateOptions(mem: Memory, windows: FetchWindows, cpu: number, phys: number, policy: FetchPolicy, knobs: FetchKnobs, now: readonly FetchOption[]): FetchOption[] {
  const out: FetchOption[] = [];
  for (const word of windows.futures!.words) {
    const bytes = unitBytes(word, 4);
    if (policy.length(bytes) !== 4 || !policy.orderedBeforeNothing?.(bytes)) continue;
    if (now.some((o) => o.bytes.length === 4 && packUnit(o.bytes, 0, 4) === word)) continue;
    if (knobs.riscvZiccif && phys % 4 === 0) {
      out.push({ bytes, picks: [], promises: [{ phys, size: 4, value: word, cover: true }] });
      continue;
    }
    const picks: (readonly [number, number])[] = [];
    const promises: Omit<FetchPromise, 'cpu'>[] = [];
    for (const k of [0, 2]) {
      const value = k === 0 ? word & 0xffff : word >>> 16;
      const w = windows.window(cpu, phys + k);
      const i = w ? w.values.indexOf(value) : packUnit(mem.readPhysBytes(phys + k, 2), 0, 2) === value ? 0 : -1;
      if (i < 0) promises.push({ phys: phys + k, size: 2, value, cover: false });
      else if (w) picks.push([phys + k, w.first + i]);
    }
    if (promises.length > 0) out.push({ bytes, picks, promises });
  }
  return out;
}

/**
 * Were both parcels of the aligned word at `phys` written together, for this CPU's window: the same
 * oldest index, and every store since then one atomic store covering all four bytes?
 */
function lockstepParcels(windows: FetchWindows, cpu: number, phys: number): boolean {
  const lo = windows.window(cpu, phys), hi = windows.window(cpu, phys + 2);
  const a = windows.history(phys), b = windows.history(phys + 2);
  if (!lo || !hi || !a || !b || lo.first !== hi.first || a.stores.length !== b.stores.length) return false;
  for (let i = lo.first + 1; i < a.stores.length; i++) {
    const id = a.stores[i];
    if (id < 0 || id !== b.stores[i]) return false;
    const size = id % 16, start = (id - size) / 16;
    if (!(start <= phys && phys + 4 <= start + size)) return false;
  }
  return true;
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

/**
 * x86: each byte on its own; an instruction may be decoded from a mix of old and new bytes. Open bytes
 * are chosen in address order, and a choice stops as soon as the bytes chosen so far decode to an
 * instruction that ends before the next open byte: bytes past the instruction never multiply the options.
 */
function fetchBytes(
  mem: Memory, windows: FetchWindows, cpu: number, va: number, phys: number, avail: number, policy: FetchPolicy, knobs: FetchKnobs,
): FetchResult {
  const base = mem.readPhysBytes(phys, avail);
  const open: OpenByte[] = [];
  for (let i = 0; i < avail; i++) {
    const w = windows.window(cpu, phys + i);
    if (w) open.push({ pos: i, phys: phys + i, values: w.values, first: w.first, whole: w.whole, stores: w.stores });
  }
  if (open.length === 0) return { kind: 'ok', options: [{ bytes: base, picks: [] }] };
  const options: FetchOption[] = [];
  const seen = new Set<string>();
  const choice: number[] = [];
  const bytes = base.slice();
  const visit = (j: number): void => {
    const len = Math.max(1, policy.length(bytes) ?? 1);
    if (j === open.length || open[j].pos >= len) {
      const used = open.slice(0, j).map((o, k) => [o, choice[k]] as const);
      if (knobs.x86AlignedAtomicFetch && !lockstepAllowed(used)) return;
      const key = Array.from(bytes.subarray(0, len)).join(',') + '|' + choice.slice(0, j).join(',');
      if (seen.has(key)) return;
      seen.add(key);
      options.push({ bytes: bytes.slice(0, len), picks: used.map(([o, c]) => [phys + o.pos, o.first + c] as const) });
      return;
    }
    const o = open[j];
    for (let c = 0; c < o.values.length; c++) {
      choice[j] = c;
      bytes[o.pos] = o.values[c];
      visit(j + 1);
    }
    bytes[o.pos] = base[o.pos];
  };
  visit(0);
  return { kind: 'ok', options };
}

interface OpenByte {
  readonly pos: number;
  readonly phys: number;
  readonly values: readonly number[];
  readonly first: number;
  readonly whole: readonly boolean[];
  readonly stores: readonly number[];
}

/**
 * Under x86.alignedAtomicFetch (MODEL.md section 3): when every byte in which the instruction's versions
 * differ was written by the same atomic stores, the instruction is fetched old-or-new as a whole: every
 * such byte shows the value of one moment. The bytes that stayed the same have no window and do not count,
 * so HotSpot's rewrite of only a call's 4-byte displacement, by one aligned store, qualifies; where the
 * instruction lies does not matter, only how its changed bytes were written (an atomic store is one that
 * MODEL.md section 2 makes one event). Bytes written by separate stores (a 5-byte memcpy done as 4 + 1), or
 * whose histories differ, may still be seen mixed: the knob promises nothing for them.
 */
function lockstepAllowed(used: readonly (readonly [OpenByte, number])[]): boolean {
  if (used.length <= 1) return true;
  const [o0] = used[0];
  const sameHistory = used.every(([o]) => o.first === o0.first && o.stores.length === o0.stores.length && o.stores.every((id, i) => id === o0.stores[i]));
  // Each store after the oldest value this CPU may see wrote every changed byte at once (-1: not one atomic store).
  const together = o0.stores.slice(1).every((id) => {
    if (id < 0) return false;
    const size = id % 16, start = (id - size) / 16;
    return used.every(([o]) => start <= o.phys && o.phys < start + size);
  });
  if (!sameHistory || !together) return true;
  return used.every(([, c]) => c === used[0][1]);
}
