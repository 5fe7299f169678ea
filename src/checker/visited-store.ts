// The visited-state store: 64-bit fingerprints in an open-addressing hash table over typed arrays, within a memory budget.
//
// Each stored state gets a dense id (0, 1, 2, … in insertion order). Per id the store keeps a row of
// Uint32 words: the fingerprint's two halves, then `columns` words the search owns (parent id, action
// index, sleep set). The hash table itself holds only `id + 1` per slot (0 = empty), so growing it
// rehashes from the dense rows and never reads the old table. Nothing is allocated per state.
//
// Why not a Set of bigints: a JS Set stops at 2^24 entries and costs ~50 bytes per entry; this costs
// `4 * (2 + columns)` bytes per state plus 4 bytes per slot at a load factor of 3/8 to 3/4.

/** `add` returns `true` for a new state, `false` for one seen before, `FULL` when the budget would be exceeded. */
export const FULL = 'full';
export type AddOutcome = boolean | typeof FULL;

export interface VisitedStoreOptions {
  /** Bytes the store may hold (rows plus table), counted after a growth step completes. */
  budgetBytes: number;
  /** Extra Uint32 words per state for the search's own bookkeeping. */
  columns?: number;
  /** Rows to allocate up front (grows by half again when full). */
  initialStates?: number;
}

const MAX_LOAD = 0.75;
/** When the table cannot double within the budget, it may fill up to this load before reporting full. */
const LAST_RESORT_LOAD = 0.9;

export class VisitedStore {
  /** Words per row: lo, hi, then the columns. */
  readonly stride: number;
  /** Number of states stored. */
  size = 0;
  /** The id of the state the last `add` found or inserted. */
  lastId = -1;
  private rows: Uint32Array;
  private slots: Uint32Array;
  private shift: number;
  /** May be lowered or raised between adds (the search gives the store what its queue leaves over). */
  budget: number;

  constructor(options: VisitedStoreOptions) {
    this.stride = 2 + (options.columns ?? 0);
    this.budget = options.budgetBytes;
    const initial = Math.max(16, options.initialStates ?? 1024);
    let bits = 4;
    while ((1 << bits) * MAX_LOAD < initial && bits < 30) bits++;
    this.rows = new Uint32Array(initial * this.stride);
    this.slots = new Uint32Array(1 << bits);
    this.shift = 32 - bits;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.rows.byteLength + this.slots.byteLength;
  }

  /** Bytes held per stored state (rows and table together, including spare capacity). */
  get bytesPerState(): number {
    return this.size === 0 ? 0 : this.bytes / this.size;
  }

  /** Insert a fingerprint; `lastId` is its id afterwards (unless full). */
  add(lo: number, hi: number): AddOutcome {
    lo >>>= 0;
    hi >>>= 0;
    const slots = this.slots;
    const rows = this.rows;
    const stride = this.stride;
    const mask = slots.length - 1;
    let i = slotOf(lo, hi, this.shift);
    for (;;) {
      const entry = slots[i];
      if (entry === 0) break;
      const at = (entry - 1) * stride;
      if (rows[at] === lo && rows[at + 1] === hi) {
        this.lastId = entry - 1;
        return false;
      }
      i = (i + 1) & mask;
    }
    // New: make room first (which may move rows and rehash), then insert.
    if (!this.reserve()) return FULL;
    if (this.slots !== slots) {
      i = slotOf(lo, hi, this.shift);
      const m = this.slots.length - 1;
      while (this.slots[i] !== 0) i = (i + 1) & m;
    }
    const id = this.size++;
    const at = id * stride;
    this.rows[at] = lo;
    this.rows[at + 1] = hi;
    for (let c = 2; c < stride; c++) this.rows[at + c] = 0;
    this.slots[i] = id + 1;
    this.lastId = id;
    return true;
  }

  /** The id of a stored fingerprint, or -1. */
  find(lo: number, hi: number): number {
    lo >>>= 0;
    hi >>>= 0;
    const mask = this.slots.length - 1;
    for (let i = slotOf(lo, hi, this.shift); ; i = (i + 1) & mask) {
      const entry = this.slots[i];
      if (entry === 0) return -1;
      const at = (entry - 1) * this.stride;
      if (this.rows[at] === lo && this.rows[at + 1] === hi) return entry - 1;
    }
  }

  /** The fingerprint stored for state `id` (both halves unsigned). */
  fingerprintOf(id: number): readonly [number, number] {
    const at = id * this.stride;
    return [this.rows[at], this.rows[at + 1]];
  }

  /** Column `c` of state `id` (a Uint32). */
  get(id: number, c: number): number {
    return this.rows[id * this.stride + 2 + c];
  }

  set(id: number, c: number, value: number): void {
    this.rows[id * this.stride + 2 + c] = value;
  }

  /** Room for one more state: grow rows and table within the budget, or say no. */
  private reserve(): boolean {
    const needRows = (this.size + 1) * this.stride;
    if (needRows > this.rows.length) {
      const rowBytes = this.stride * 4;
      const spare = Math.floor((this.budget - this.bytes) / rowBytes);
      const more = Math.min(Math.max(1024, this.size >> 1), spare);
      if (more < 1) return false;
      const grown = new Uint32Array(this.rows.length + more * this.stride);
      grown.set(this.rows);
      this.rows = grown;
    }
    if (this.size + 1 > this.slots.length * MAX_LOAD) {
      const doubled = this.slots.length * 2;
      if (this.rows.byteLength + doubled * 4 <= this.budget && doubled <= 2 ** 32) this.rehash(doubled);
      else if (this.size + 1 > this.slots.length * LAST_RESORT_LOAD) return false;
    }
    return true;
  }

  private rehash(length: number): void {
    const slots = new Uint32Array(length);
    const shift = 32 - Math.log2(length);
    const mask = length - 1;
    const rows = this.rows;
    for (let id = 0; id < this.size; id++) {
      const at = id * this.stride;
      let i = slotOf(rows[at], rows[at + 1], shift);
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = id + 1;
    }
    this.slots = slots;
    this.shift = shift;
  }
}

/**
 * Fibonacci hashing of both halves: the top bits of the product spread even weak fingerprints
 * (small counters from toy models) over the table.
 */
function slotOf(lo: number, hi: number, shift: number): number {
  return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> shift;
}
