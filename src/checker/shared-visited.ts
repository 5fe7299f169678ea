// The visited set of a parallel search: an open-addressing hash table over SharedArrayBuffers that every
// worker inserts into at once (Atomics compare-and-swap on a slot's tag), keyed on 64-bit fingerprints.
//
// A slot is four 32-bit words: the fingerprint's two halves, a tag (0 empty, 1 being written, else the
// depth the state was first stored at plus 2) and the key of the state's first discoverer on its level
// (its parent's position in the level, times 256, plus the action's index). The key is lowered with a
// compare-and-swap loop, so once a level is expanded it names the discoverer a one-thread breadth-first
// search would have met first, whatever the order the workers ran in: the search keeps that one.
//
// The table never grows while a level is being expanded. Past MAX_LOAD the workers stop the level; the
// coordinator then rebuilds a larger table from the states of the levels before it and runs the level again.

const WORDS = 4;
const LO = 0, HI = 1, TAG = 2, KEY = 3;
const EMPTY = 0, BUSY = 1;
/** Fraction of slots in use past which the level is given up and the table grown. */
export const MAX_LOAD = 0.6;
/** A key no discoverer has: every real key is below it. */
export const NO_KEY = 0xffffffff;
/** Actions per state and states per level that fit a key. */
export const KEY_ACTIONS = 256;
export const KEY_POSITIONS = 2 ** 24;

export interface SharedVisitedBuffers {
  readonly slots: SharedArrayBuffer;
  /** [0] slots in use; [1] set to 1 when past MAX_LOAD. */
  readonly counters: SharedArrayBuffer;
}

export class SharedVisited {
  private readonly slots: Int32Array;
  private readonly counters: Int32Array;
  readonly capacity: number;
  private readonly mask: number;
  private readonly limit: number;
  /** After `insert`: whether it stored the fingerprint (true) or found it (false). */
  fresh = false;

  constructor(readonly buffers: SharedVisitedBuffers) {
    this.slots = new Int32Array(buffers.slots);
    this.counters = new Int32Array(buffers.counters);
    this.capacity = this.slots.length / WORDS;
    this.mask = this.capacity - 1;
    this.limit = Math.floor(MAX_LOAD * this.capacity);
  }

  /** A table of `capacity` slots (a power of two). */
  static create(capacity: number): SharedVisited {
    return new SharedVisited({ slots: new SharedArrayBuffer(capacity * WORDS * 4), counters: new SharedArrayBuffer(8) });
  }

  static bytesFor(capacity: number): number {
    return capacity * WORDS * 4 + 8;
  }

  get size(): number {
    return Atomics.load(this.counters, 0);
  }

  /** True once the table is past MAX_LOAD: the level in progress must be given up. */
  get full(): boolean {
    return Atomics.load(this.counters, 1) !== 0;
  }

  /**
   * The slot of fingerprint (lo, hi), stored at `depth` if absent (`fresh` says which). -1 when the table
   * is full (the level is given up).
   */
  insert(lo: number, hi: number, depth: number): number {
    const s = this.slots;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const at = i * WORDS;
      let tag = Atomics.load(s, at + TAG);
      if (tag === EMPTY) {
        if (Atomics.compareExchange(s, at + TAG, EMPTY, BUSY) === EMPTY) {
          s[at + LO] = lo;
          s[at + HI] = hi;
          s[at + KEY] = NO_KEY | 0;
          Atomics.store(s, at + TAG, depth + 2);
          if (Atomics.add(this.counters, 0, 1) + 1 > this.limit) Atomics.store(this.counters, 1, 1);
          this.fresh = true;
          return i;
        }
        tag = Atomics.load(s, at + TAG);
      }
      // Another worker is writing this slot's fingerprint: wait for it (a few stores away).
      while (tag === BUSY) tag = Atomics.load(s, at + TAG);
      if (s[at + LO] === (lo | 0) && s[at + HI] === (hi | 0)) {
        this.fresh = false;
        return i;
      }
      i = (i + 1) & this.mask;
    }
  }

  fingerprintOf(slot: number): readonly [number, number] {
    return [this.slots[slot * WORDS + LO] >>> 0, this.slots[slot * WORDS + HI] >>> 0];
  }

  depthOf(slot: number): number {
    return Atomics.load(this.slots, slot * WORDS + TAG) - 2;
  }

  key(slot: number): number {
    return Atomics.load(this.slots, slot * WORDS + KEY) >>> 0;
  }

  /** Lower the slot's key to `key` if that is lower; true when `key` is the slot's key afterwards. */
  offerKey(slot: number, key: number): boolean {
    const s = this.slots, at = slot * WORDS + KEY;
    for (;;) {
      const now = Atomics.load(s, at);
      if ((now >>> 0) < key) return false;
      if ((now >>> 0) === key) return true;
      if (Atomics.compareExchange(s, at, now, key | 0) === now) return true;
    }
  }

  /**
   * A table of `capacity` slots holding this one's states stored at `maxDepth` or above (the states of a
   * level given up are dropped), and the map from each old slot to its new one (-1 if dropped).
   */
  rebuilt(capacity: number, maxDepth: number): { table: SharedVisited; moved: Int32Array } {
    const t = SharedVisited.create(capacity);
    const moved = new Int32Array(this.capacity).fill(-1);
    const s = this.slots;
    for (let i = 0; i < this.capacity; i++) {
      const at = i * WORDS;
      const tag = s[at + TAG];
      if (tag === EMPTY || tag - 2 > maxDepth) continue;
      const j = t.insert(s[at + LO], s[at + HI], tag - 2);
      t.slots[j * WORDS + KEY] = s[at + KEY];
      moved[i] = j;
    }
    return { table: t, moved };
  }

  /** Bytes this table holds. */
  get bytes(): number {
    return SharedVisited.bytesFor(this.capacity);
  }
}
