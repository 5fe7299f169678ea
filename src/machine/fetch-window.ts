// Instruction-fetch windows (MODEL.md section 3): per CPU and fetch unit, the values it may still fetch.
//
// Every code unit that has been stored to since some CPU last became certain of it keeps its history of
// values, oldest first, and for each CPU the index of the oldest value that CPU may still fetch. A CPU
// becoming certain moves its index to the newest value; when every CPU is certain the history is
// dropped, so two states that differ only in forgotten history are the same state. Ordered windows
// (riscv64 Ziccid, arm64 DIC under strictFetch) also order a CPU's fetches by the global order of stores;
// binding windows (arm64 under strictFetch) let completed maintenance bind the later fetches of a CPU that
// fetched a value stored after it; anchored windows (riscv64 without Ziccid) let a CPU's own synchronizing
// instruction (FENCE.I) make it certain only of what was stored before its last explicit data access.
// Windows given futures (the litmus runner's riscv64 tests without Ziccid) also let a fetch return a value a
// later store will write, as a promise that store must keep (fetch-promise.ts).

import { assert } from '../base/assert.js';
import type { Hasher } from '../base/hash.js';
import type { WordReader, WordWriter } from '../base/layout.js';
import { addPromises, hashPromises, packPromises, unkeptPromises, unpackPromises, type FetchFutures, type FetchPromise } from './fetch-promise.js';

export interface UnitHistory {
  /** Unit values, oldest first; bytes packed little-endian whatever the arch's byte order. */
  readonly values: readonly number[];
  /** values[i] was produced by one atomic store that covered the whole unit (always true for i = 0). */
  readonly whole: readonly boolean[];
  /** The atomic store that produced values[i], as `storeId` names it; -1 when unknown (and for i = 0). */
  readonly stores: readonly number[];
  /** Per CPU: the index of the oldest value it may still fetch. */
  readonly oldest: readonly number[];
  /**
   * In ordered or binding windows: each value's place in the global order of the stores that made them (-1
   * for the oldest, which no store in the history made). Absent otherwise.
   */
  readonly seqs?: readonly number[];
  /**
   * In binding windows: each completed maintenance of the unit, oldest first, as its place in the same global
   * order and the index of the newest value it completed for. A CPU that fetches a value stored after it
   * may no longer fetch older values here (herd7's IC-ob: its later fetches are ordered after that IC).
   */
  readonly binds?: readonly (readonly [seq: number, index: number])[];
  /**
   * Per CPU, the newest value its own context synchronization may make it certain of here (-1: no limit).
   * Under DIC and IDC a store needs no maintenance, but it is ordered before its own CPU's ISB only by a DSB
   * in between (herd7's DSB-ob): until that DSB the CPU's ISB stops short of its own store. Absent: none.
   */
  readonly ownSync?: readonly number[];
  /**
   * In anchored windows: per CPU, the index of the newest value when it last made an explicit data access (a
   * load or store of its own), which is what its FENCE.I makes it certain of. Absent: 0 for every CPU.
   */
  readonly accessed?: readonly number[];
  /**
   * Index of the newest value the writer's cache maintenance has completed for (under strictFetch a
   * CPU's own context synchronization makes it certain only up to here; 0 when none completed).
   */
  readonly maintained: number;
}

/**
 * Names one atomic store by where it wrote and how wide it was: two bytes share an id exactly when one
 * store wrote both (a later store of the same place and width is again one whole store).
 */
export function storeId(phys: number, size: number): number {
  return phys * 16 + size;
}

export class FetchWindows {
  private shared = true;

  private constructor(
    readonly unitSize: 1 | 2 | 4,
    readonly cpus: number,
    private units: Map<number, UnitHistory>,
    /**
     * Fetches follow the global order of stores (riscv64's Ziccid): once a CPU fetched a value, it can
     * no longer fetch a value of any unit that a store up to that value's store had replaced.
     */
    readonly ordered = false,
    /**
     * Completed maintenance binds later fetches (arm64 under strictFetch): a CPU that fetched a value stored
     * after a unit's maintenance completed can no longer fetch that unit's values the maintenance replaced.
     */
    readonly binding = false,
    /**
     * A CPU's synchronizing instruction is anchored on its data accesses (riscv64's FENCE.I without Ziccid,
     * the rems-project models' ir3): it orders the CPU's earlier explicit loads and stores before its later
     * fetches, and nothing else, so it makes the CPU certain only of the values stored before its last one.
     */
    readonly anchored = false,
    /** The last store's or maintenance's place in that order (not state: only the order of the places in histories is). */
    private clock = 0,
    /** Late fetches allowed, and of what (fixed for a run: not state); absent: none. */
    readonly futures?: FetchFutures,
    /** The late fetches whose stores have not come yet, in a canonical order. */
    private promised: readonly FetchPromise[] = [],
  ) {}

  static create(unitSize: 1 | 2 | 4, cpus: number, ordered = false, binding = false, anchored = false): FetchWindows {
    return new FetchWindows(unitSize, cpus, new Map(), ordered, binding, anchored);
  }

  clone(): FetchWindows {
    this.shared = true;
    return new FetchWindows(this.unitSize, this.cpus, this.units, this.ordered, this.binding, this.anchored, this.clock, this.futures, this.promised);
  }

  /** These (empty) windows, letting a fetch return one of `futures.words` at one of its sites as a promise. */
  withFutures(futures: FetchFutures): FetchWindows {
    assert(this.units.size === 0 && this.promised.length === 0, 'futures are given before the first store');
    return new FetchWindows(this.unitSize, this.cpus, new Map(), this.ordered, this.binding, this.anchored, this.clock, futures);
  }

  /** The late fetches still waiting for their store. */
  get promises(): readonly FetchPromise[] {
    return this.promised;
  }

  /** A fetch returned values no store has written yet: each is a promise a later store must keep. */
  promise(made: readonly FetchPromise[]): void {
    this.promised = addPromises(this.promised, made);
  }

  /**
   * A store of `length` bytes at `phys` (one atomic store if `whole`) has been made; `read(phys, size)` gives
   * memory's value now. Every promise it keeps (the value is there now, written by it) is kept.
   */
  keepPromises(phys: number, length: number, whole: boolean, read: (phys: number, size: 2 | 4) => number): void {
    this.promised = unkeptPromises(this.promised, phys, length, whole, read);
  }

  /** Units with an open window (values some CPU may still fetch). */
  get openUnitCount(): number {
    return this.units.size;
  }

  private sorted: readonly number[] = [];
  /** The histories of `sorted`'s units, in the same order. */
  private sortedHistories: readonly UnitHistory[] = [];
  private sortedFor: Map<number, UnitHistory> | undefined;

  private writable(): Map<number, UnitHistory> {
    this.sortedFor = undefined;
    if (this.shared) {
      this.units = new Map(this.units);
      this.shared = false;
    }
    return this.units;
  }

  /** Units with an open window for some CPU (for reports and tests). */
  openUnits(): number[] {
    return [...this.sortedUnits()];
  }

  /**
   * Is `cpu` certain of every unit in [phys, phys + size)? Its fetches there then return the newest value
   * and record nothing (`window` has nothing for it), in ordered and binding windows too.
   */
  certainOver(cpu: number, phys: number, size: number): boolean {
    for (const [unit, h] of this.units) if (unit < phys + size && unit + this.unitSize > phys && h.oldest[cpu] < h.values.length - 1) return false;
    return true;
  }

  history(unit: number): UnitHistory | undefined {
    return this.units.get(unit);
  }

  /**
   * A store changed `unit` from `before` to `after`; `whole` if one atomic store covered the unit;
   * `store` names that atomic store (`storeId`), so bytes written together can be told apart from
   * bytes written by separate stores (x86.alignedAtomicFetch needs it: its units are single bytes).
   */
  recordStore(unit: number, before: number, after: number, whole: boolean, store = -1): void {
    if (before === after) return;
    const h = this.units.get(unit);
    const next: UnitHistory = h
      ? { values: [...h.values, after], whole: [...h.whole, whole], stores: [...h.stores, store], oldest: h.oldest, maintained: h.maintained, ...(h.binds ? { binds: h.binds } : {}), ...(h.ownSync ? { ownSync: h.ownSync } : {}), ...(h.accessed ? { accessed: h.accessed } : {}) }
      : { values: [before, after], whole: [true, whole], stores: [-1, store], oldest: new Array<number>(this.cpus).fill(0), maintained: 0 };
    if (!this.ordered && !this.binding) {
      this.writable().set(unit, next);
      return;
    }
    // Each unit's store its own place: the two parcels of one store are then one place apart, which
    // only ever allows more (a CPU that saw the first need not see the second), never fewer behaviours.
    const seq = ++this.clock;
    this.writable().set(unit, { ...next, seqs: h ? [...h.seqs!, seq] : [-1, seq] });
  }

  /** Indices (into history(unit).values) `cpu` may fetch; [] when the unit has no open window. */
  window(cpu: number, unit: number): { values: readonly number[]; whole: readonly boolean[]; stores: readonly number[]; first: number } | undefined {
    const h = this.units.get(unit);
    if (!h) return undefined;
    const first = h.oldest[cpu];
    if (first === h.values.length - 1) return undefined;
    return { values: h.values.slice(first), whole: h.whole.slice(first), stores: h.stores.slice(first), first };
  }

  /** `cpu` fetched value `index`: without strictFetch it may never fetch an older one there again. */
  fetched(cpu: number, unit: number, index: number): void {
    const h = this.units.get(unit);
    if (!h || h.oldest[cpu] >= index) return;
    this.setOldest(unit, h, cpu, index);
  }

  /**
   * Ordered windows: `cpu` fetched a value whose store has place `seq`. Every value some store up to that
   * place had replaced is now out of its reach, in every unit.
   */
  fetchedInOrder(cpu: number, seq: number): void {
    if (seq < 0) return;
    for (const [unit, h] of [...this.units]) {
      const seqs = h.seqs!;
      let j = h.oldest[cpu];
      while (j + 1 < seqs.length && seqs[j + 1] <= seq) j++;
      if (j > h.oldest[cpu]) this.setOldest(unit, h, cpu, j);
    }
  }

  /**
   * Binding windows: `cpu` fetched a value whose store has place `seq`. Every maintenance completed before
   * that store now binds it: in each unit, no value older than the one that maintenance completed for.
   */
  fetchedAfterMaintenance(cpu: number, seq: number): void {
    if (seq < 0) return;
    for (const [unit, h] of [...this.units]) {
      if (!h.binds) continue;
      let j = h.oldest[cpu];
      for (const [at, index] of h.binds) if (at < seq && index > j) j = index;
      if (j > h.oldest[cpu]) this.setOldest(unit, h, cpu, j);
    }
  }

  /** Ordered or binding windows: the place of the store that made value `index` (absolute) of `unit`, or -1. */
  seqOf(unit: number, index: number): number {
    return this.units.get(unit)?.seqs?.[index] ?? -1;
  }

  /**
   * `cpu` took a context-synchronizing or serializing event. By default it becomes certain of every unit
   * (MODEL.md section 3). With `onlyMaintained` (strictFetch on arm64 and Power) it becomes certain only of
   * the values the writer's cache maintenance has completed for, as in herd7's model of hardware without
   * DIC/IDC: an ISB alone does not make a CPU see new code whose cache lines were never cleaned and invalidated.
   */
  synchronize(cpu: number, onlyMaintained = false): void {
    for (const [unit, h] of [...this.units]) {
      const upTo = syncLimit(h, cpu, onlyMaintained);
      if (h.oldest[cpu] < upTo) this.setOldest(unit, h, cpu, upTo);
    }
  }

  /** Would `synchronize(cpu, onlyMaintained)` change anything? */
  needsSync(cpu: number, onlyMaintained = false): boolean {
    for (const h of this.units.values()) if (h.oldest[cpu] < syncLimit(h, cpu, onlyMaintained)) return true;
    return false;
  }

  /** Anchored windows: `cpu` made an explicit data access; would `accessedNow` change anything? */
  needsAccessMark(cpu: number): boolean {
    for (const h of this.units.values()) if ((h.accessed?.[cpu] ?? 0) < h.values.length - 1) return true;
    return false;
  }

  /** Anchored windows: `cpu` made an explicit data access now: every unit's newest value is before it. */
  accessedNow(cpu: number): void {
    for (const [unit, h] of [...this.units]) {
      const last = h.values.length - 1;
      if ((h.accessed?.[cpu] ?? 0) >= last) continue;
      const accessed = h.accessed?.slice() ?? new Array<number>(this.cpus).fill(0);
      accessed[cpu] = last;
      this.writable().set(unit, { ...h, accessed });
    }
  }

  /**
   * Anchored windows: `cpu` executed its synchronizing instruction (FENCE.I). It becomes certain of what was
   * stored before its last explicit data access, and of nothing stored since (MODEL.md section 3).
   */
  synchronizeToAccess(cpu: number): void {
    for (const [unit, h] of [...this.units]) {
      const upTo = h.accessed?.[cpu] ?? 0;
      if (h.oldest[cpu] < upTo) this.setOldest(unit, h, cpu, upTo);
    }
  }

  /** Would `synchronizeToAccess(cpu)` change anything? */
  needsSyncToAccess(cpu: number): boolean {
    for (const h of this.units.values()) if (h.oldest[cpu] < (h.accessed?.[cpu] ?? 0)) return true;
    return false;
  }

  /** `cpu` just stored the newest value of `unit`: its own synchronization stops short of it until its DSB (`ownSync`). */
  holdOwnSync(unit: number, cpu: number): void {
    const h = this.units.get(unit);
    if (!h || (h.ownSync?.[cpu] ?? -1) >= 0) return; // an earlier store of this CPU already holds it back further
    const ownSync = h.ownSync?.slice() ?? new Array<number>(this.cpus).fill(-1);
    ownSync[cpu] = h.values.length - 2;
    this.writable().set(unit, { ...h, ownSync });
  }

  /** Does some store of `cpu` still wait for its DSB? */
  holdsOwnSync(cpu: number): boolean {
    for (const h of this.units.values()) if ((h.ownSync?.[cpu] ?? -1) >= 0) return true;
    return false;
  }

  /** `cpu`'s DSB: its own stores are ordered before its later context synchronization. */
  releaseOwnSync(cpu: number): void {
    for (const [unit, h] of [...this.units]) {
      if ((h.ownSync?.[cpu] ?? -1) < 0) continue;
      const ownSync = h.ownSync!.slice();
      ownSync[cpu] = -1;
      const { ownSync: _, ...rest } = h;
      this.writable().set(unit, ownSync.some((o) => o >= 0) ? { ...rest, ownSync } : rest);
    }
  }

  /**
   * strictFetch: the writer's maintenance of `unit` completed; no CPU is certain until it synchronizes, or (in
   * binding windows) until it fetches a value stored after this.
   */
  markMaintained(unit: number): void {
    const h = this.units.get(unit);
    if (!h || h.maintained === h.values.length - 1) return;
    const last = h.values.length - 1;
    const binds = this.binding ? { binds: [...(h.binds ?? []), [++this.clock, last] as const] } : {};
    this.writable().set(unit, { ...h, maintained: last, ...binds });
  }

  /** Every CPU became certain of `unit`: the writer's cache maintenance of it completed. */
  closeEverywhere(unit: number): void {
    if (this.units.has(unit)) this.writable().delete(unit);
  }

  private setOldest(unit: number, h: UnitHistory, cpu: number, index: number): void {
    const oldest = h.oldest.slice();
    oldest[cpu] = index;
    const last = h.values.length - 1;
    const min = Math.min(...oldest);
    const units = this.writable();
    if (min === last) {
      units.delete(unit);
      return;
    }
    // Forget values no CPU can fetch any more, and maintenance that can no longer bind any CPU.
    const seqs = h.seqs ? { seqs: min === 0 ? h.seqs : h.seqs.slice(min) } : {};
    const kept = h.binds?.filter(([, i]) => i > min).map(([at, i]) => [at, i - min] as const);
    const binds = kept && kept.length > 0 ? { binds: kept } : {};
    // A limit below what every CPU may fetch limits nothing: at most the oldest value left.
    const ownSync = h.ownSync ? { ownSync: h.ownSync.map((o) => (o < 0 ? -1 : Math.max(0, o - min))) } : {};
    // An access before the oldest value every CPU may fetch anchors nothing: the oldest value left.
    const shifted = h.accessed?.map((a) => Math.max(0, a - min));
    const accessed = shifted && shifted.some((a) => a > 0) ? { accessed: shifted } : {};
    units.set(unit, min === 0
      ? { values: h.values, whole: h.whole, stores: h.stores, oldest, maintained: h.maintained, ...seqs, ...binds, ...ownSync, ...accessed }
      : {
          values: h.values.slice(min), whole: h.whole.slice(min), stores: h.stores.slice(min),
          oldest: oldest.map((o) => o - min), maintained: Math.max(0, h.maintained - min), ...seqs, ...binds, ...ownSync, ...accessed,
        });
  }

  /**
   * Pack the histories in the map's own order (so an unpacked copy iterates them alike), then the clock.
   * Each history: unit, length, then per value its value, whole and store; per CPU its oldest; maintained;
   * in ordered or binding windows, the places; in binding windows, the completed maintenance (count, then
   * place and index each) and the own-store limits (a flag, then one per CPU); in anchored windows, each CPU's
   * last access.
   */
  pack(w: WordWriter): void {
    w.u32(this.units.size);
    for (const [unit, h] of this.units) {
      w.u32(unit);
      w.u32(h.values.length);
      for (let i = 0; i < h.values.length; i++) {
        w.u32(h.values[i]);
        w.u32(h.whole[i] ? 1 : 0);
        assert(h.stores[i] < 2 ** 31, 'store id past 31 bits');
        w.u32(h.stores[i] >>> 0);
      }
      for (const o of h.oldest) w.u32(o);
      w.u32(h.maintained);
      if (this.ordered || this.binding) for (const q of h.seqs!) w.u32(q >>> 0);
      assert(this.binding || (!h.binds && !h.ownSync), 'binds or own-store limits in windows that do not bind');
      if (this.binding) {
        w.u32(h.binds?.length ?? 0);
        for (const [at, i] of h.binds ?? []) { w.u32(at); w.u32(i); }
        w.u32(h.ownSync ? 1 : 0);
        for (const o of h.ownSync ?? []) w.u32(o >>> 0);
      }
      assert(this.anchored || !h.accessed, 'access marks in windows that are not anchored');
      if (this.anchored) for (let c = 0; c < this.cpus; c++) w.u32(h.accessed?.[c] ?? 0);
    }
    if (this.futures) packPromises(w, this.promised);
    // The clock only counts up (the histories' places are hashed as ranks): not state.
    if (!w.essential) w.u32(this.clock);
  }

  /** What `pack` wrote, for windows made like `like` (unit size, CPUs, ordering, binding, anchoring: fixed for a run). */
  static unpack(r: WordReader, like: FetchWindows): FetchWindows {
    const { cpus, ordered, binding, anchored } = like;
    const units = new Map<number, UnitHistory>();
    const accessMarks = (): { accessed?: number[] } => {
      if (!anchored) return {};
      const accessed: number[] = [];
      for (let c = 0; c < cpus; c++) accessed.push(r.u32());
      return accessed.some((a) => a > 0) ? { accessed } : {};
    };
    for (let n = r.u32(); n > 0; n--) {
      const unit = r.u32(), len = r.u32();
      const values: number[] = [], whole: boolean[] = [], stores: number[] = [], oldest: number[] = [];
      for (let i = 0; i < len; i++) {
        values.push(r.u32());
        whole.push(r.u32() !== 0);
        stores.push(r.i32());
      }
      for (let c = 0; c < cpus; c++) oldest.push(r.u32());
      const maintained = r.u32();
      if (!ordered && !binding) {
        units.set(unit, { values, whole, stores, oldest, maintained, ...accessMarks() });
        continue;
      }
      const seqs: number[] = [];
      for (let i = 0; i < len; i++) seqs.push(r.i32());
      if (!binding) {
        units.set(unit, { values, whole, stores, oldest, maintained, seqs, ...accessMarks() });
        continue;
      }
      const binds: (readonly [number, number])[] = [];
      for (let n = r.u32(); n > 0; n--) binds.push([r.u32(), r.u32()]);
      const ownSync: number[] = [];
      if (r.u32() !== 0) for (let c = 0; c < cpus; c++) ownSync.push(r.i32());
      units.set(unit, { values, whole, stores, oldest, maintained, seqs, ...(binds.length > 0 ? { binds } : {}), ...(ownSync.length > 0 ? { ownSync } : {}), ...accessMarks() });
    }
    const promised = like.futures ? unpackPromises(r) : [];
    const fw = new FetchWindows(like.unitSize, cpus, units, ordered, binding, anchored, r.u32(), like.futures, promised);
    fw.shared = false;
    return fw;
  }

  /**
   * For the fingerprint-coverage test: these windows changed in one place each (a unit's newest value, a
   * value's wholeness or store, a CPU's oldest value, the maintained index, a completed maintenance's index,
   * a CPU's own-store limit, a CPU's last access, a unit dropped; a promise dropped).
   */
  variants(): FetchWindows[] {
    const out: FetchWindows[] = [];
    const vary = (unit: number, h: UnitHistory | undefined): void => {
      const fw = this.clone();
      if (h) fw.writable().set(unit, h);
      else fw.writable().delete(unit);
      out.push(fw);
    };
    for (const [unit, h] of this.units) {
      const last = h.values.length - 1;
      vary(unit, { ...h, values: h.values.map((v, i) => (i === last ? (v ^ 1) >>> 0 : v)) });
      vary(unit, { ...h, whole: h.whole.map((x, i) => (i === last ? !x : x)) });
      vary(unit, { ...h, stores: h.stores.map((x, i) => (i === last ? x + 16 : x)) });
      for (let c = 0; c < this.cpus; c++) vary(unit, { ...h, oldest: h.oldest.map((o, j) => (j === c ? (o === 0 ? 1 : 0) : o)) });
      vary(unit, { ...h, maintained: h.maintained === last ? 0 : last });
      if (h.binds) vary(unit, { ...h, binds: h.binds.map(([at, i], j) => [at, j === 0 ? i + 1 : i] as const) });
      if (h.ownSync) for (let c = 0; c < this.cpus; c++) vary(unit, { ...h, ownSync: h.ownSync.map((o, j) => (j === c ? (o < 0 ? 0 : -1) : o)) });
      if (this.anchored) for (let c = 0; c < this.cpus; c++) vary(unit, { ...h, accessed: Array.from({ length: this.cpus }, (_, j) => { const a = h.accessed?.[j] ?? 0; return j === c ? (a === 0 ? 1 : 0) : a; }) });
      vary(unit, undefined);
    }
    if (this.promised.length > 0) {
      const fw = this.clone();
      fw.promised = this.promised.slice(1);
      out.push(fw);
    }
    return out;
  }

  /**
   * Every unit's history and, unless `columns` is false, every CPU's place in it. Without the columns a
   * caller hashes each CPU's with `hashColumn`, beside the rest of that CPU (symmetry).
   */
  hashInto(h: Hasher, columns = true): void {
    // Late fetches waiting for their store (only where futures are given: the litmus runner, no symmetry).
    if (this.futures) hashPromises(h, this.promised);
    h.word(this.units.size);
    const keys = this.sortedUnits(), histories = this.sortedHistories;
    const rank = this.ordered ? this.seqRanks() : undefined;
    // Binding windows: only where each store lies among the completed maintenance matters (which binds a
    // fetch of its value triggers), so two histories that differ in nothing else are one state.
    const bindPlaces = !rank && this.binding ? [...this.units.values()].flatMap((u) => (u.binds ?? []).map(([at]) => at)).sort((a, b) => a - b) : NO_PLACES;
    for (let j = 0; j < keys.length; j++) {
      const unit = keys[j];
      const u = histories[j];
      h.word(unit).word(u.values.length);
      for (let i = 0; i < u.values.length; i++) h.word(u.values[i]).word(u.whole[i] ? 1 : 0).word(u.stores[i]);
      // The order of the stores (and completed maintenance) across units, as ranks: the places themselves only count up.
      if (rank) {
        for (const q of u.seqs!) h.word(rank.get(q)!);
        for (const [at, i] of u.binds ?? []) h.word(rank.get(at)!).word(i);
      } else if (bindPlaces.length > 0) {
        for (const q of u.seqs!) h.word(placesBelow(bindPlaces, q));
        for (const [at, i] of u.binds ?? []) h.word(placesBelow(bindPlaces, at)).word(i);
      }
      if (columns) for (let c = 0; c < this.cpus; c++) { h.word(u.oldest[c]); if (this.anchored) h.word(u.accessed?.[c] ?? 0); }
      h.word(u.maintained);
      if (u.ownSync) for (const o of u.ownSync) h.word(o);
    }
  }

  /** Each place in the histories (stores and completed maintenance), by its rank among them all. */
  private seqRanks(): Map<number, number> {
    const all = [...new Set([...this.units.values()].flatMap((u) => [...u.seqs!, ...(u.binds ?? []).map(([at]) => at)]))].sort((a, b) => a - b);
    return new Map(all.map((q, i) => [q, i]));
  }

  /** CPU `cpu`'s column: the oldest value it may still fetch of each unit (and its last access), in ascending unit order. */
  hashColumn(h: Hasher, cpu: number): void {
    const n = this.sortedUnits().length, histories = this.sortedHistories;
    for (let j = 0; j < n; j++) {
      const u = histories[j];
      h.word(u.oldest[cpu]);
      if (this.anchored) h.word(u.accessed?.[cpu] ?? 0);
    }
  }

  /**
   * The units in ascending order, kept for the map they were read from: clones share both until one
   * writes, and every write goes through `writable`, which drops them. (Insertion sort: a handful of
   * units, and Array.prototype.sort allocates ~0.7 KB per call.)
   */
  private sortedUnits(): readonly number[] {
    if (this.sortedFor === this.units) return this.sorted;
    const keys: number[] = [];
    for (const k of this.units.keys()) {
      let i = keys.length;
      while (i > 0 && keys[i - 1] > k) {
        keys[i] = keys[i - 1];
        i--;
      }
      keys[i] = k;
    }
    this.sorted = keys;
    this.sortedHistories = keys.map((k) => this.units.get(k)!);
    this.sortedFor = this.units;
    return keys;
  }

}

const NO_PLACES: readonly number[] = Object.freeze([]);

/** How many of the sorted `places` come before `q`. */
function placesBelow(places: readonly number[], q: number): number {
  let n = 0;
  while (n < places.length && places[n] < q) n++;
  return n;
}

/** The newest value `cpu`'s context synchronization may make it certain of in `h` (MODEL.md section 3). */
function syncLimit(h: UnitHistory, cpu: number, onlyMaintained: boolean): number {
  if (!onlyMaintained) return h.values.length - 1;
  const own = h.ownSync?.[cpu] ?? -1;
  return own >= 0 ? Math.min(h.maintained, own) : h.maintained;
}
