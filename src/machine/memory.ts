// Physical memory as a copy-on-write two-level page table, with named regions and an incremental fingerprint.
//
// A clone shares every page with its parent; the first write to a page after a clone copies it (64-byte
// leaves inside 4-KiB chunks). The fingerprint is a sum over leaves of a mix of (leaf hash, leaf index),
// so a write updates it in O(leaf size) without touching the rest of memory.
//
// Banked regions: several regions may share one virtual range, each with its own `bank` (the task
// stacks: every task's stack is at the same address, as if each task had its own page table for it).
// An access names the bank it sees (the CPU's current one); a banked region is invisible to any other.
// Identical tasks then hold identical stack pointers, and each bank's bytes have a fingerprint of their
// own, independent of where the bank lies: what the symmetry reduction permutes.
//
// Regions are fixed for a run; whether each is *mapped* is state (a module's sections before it is
// loaded, its init sections once freed). An unmapped region is invisible to `regionAt` and `translate`
// (an access there faults) and counts in the fingerprint. Clones share the list until one side changes it.

import { assert } from '../base/assert.js';
import { finish32, hashBytes, mix32 } from '../base/hash.js';
import type { WordReader, WordWriter } from '../base/layout.js';

const LEAF_BITS = 6;
const LEAF = 1 << LEAF_BITS;
const CHUNK_BITS = 6; // leaves per chunk: 64 → 4 KiB chunks
const CHUNK_LEAVES = 1 << CHUNK_BITS;

interface Leaf {
  gen: number;
  readonly bytes: Uint8Array;
  h0: number;
  h1: number;
}
interface Chunk {
  gen: number;
  readonly leaves: Leaf[];
}

export interface Permissions {
  readonly read: boolean;
  readonly write: boolean;
  readonly exec: boolean;
}

export type RegionKind = 'text' | 'rodata' | 'data' | 'stack' | 'alias' | 'percpu';

/** A virtual range mapped onto physical bytes. The patcher's writable alias maps onto text's bytes. */
export interface Region {
  readonly name: string;
  readonly kind: RegionKind;
  readonly base: number;
  readonly size: number;
  readonly phys: number;
  readonly perms: Permissions;
  /** For a banked region: which bank of its virtual range it is. */
  readonly bank?: number;
}

/** Which bank each leaf belongs to, fixed for a run and shared by every clone. */
interface BankMap {
  /** Per leaf: its bank, or -1. */
  readonly bankOf: Int32Array;
  /** Per bank: the index of its first leaf. */
  readonly firstLeaf: readonly number[];
}

let nextGen = 1;

function leafContribution(index: number, h0: number, h1: number): [number, number] {
  return [finish32(mix32(mix32(0x3c6ef372, index), h0)), finish32(mix32(mix32(0x1b873593, index), h1))];
}

function bankMap(regions: readonly Region[], nLeaves: number): BankMap {
  const bankOf = new Int32Array(nLeaves).fill(-1);
  const firstLeaf: number[] = [];
  for (const r of regions) {
    if (r.bank === undefined) continue;
    // Leaves are the unit of fingerprints: a bank must own whole leaves.
    assert(r.phys % LEAF === 0 && r.size % LEAF === 0, `banked region ${r.name} is not leaf-aligned`);
    firstLeaf[r.bank] = r.phys / LEAF;
    bankOf.fill(r.bank, r.phys / LEAF, (r.phys + r.size) / LEAF);
  }
  return { bankOf, firstLeaf };
}

export class Memory {
  private gen = nextGen++;
  /** Fingerprint lanes: sums (mod 2^32) of the contributions of every leaf in no bank. */
  private f0 = 0;
  private f1 = 0;
  /** Per bank, two lanes: sums of its leaves' contributions, indexed from the bank's first leaf. */
  private bankLanes: Int32Array;
  private lastRegion: Region | undefined;
  /** Indices (into `regions`) of the regions not mapped now, ascending; shared by clones, replaced on change. */
  private unmapped: readonly number[] = [];
  /** Chunks and leaves this memory copied since it was made or last cloned: what it holds that no clone shares. */
  private copiedChunks = 0;
  private copiedLeaves = 0;

  private constructor(
    readonly regions: readonly Region[],
    readonly physSize: number,
    private readonly chunks: Chunk[],
    private readonly banks: BankMap,
  ) {
    this.bankLanes = new Int32Array(2 * banks.firstLeaf.length);
  }

  /** How many banks the banked regions have. */
  get bankCount(): number {
    return this.banks.firstLeaf.length;
  }

  /** Zero-filled memory of `physSize` bytes with these (immutable, shared) regions. */
  static create(regions: readonly Region[], physSize: number): Memory {
    const nLeaves = Math.ceil(physSize / LEAF);
    const chunks: Chunk[] = [];
    const zero = hashBytes(new Uint8Array(LEAF), 0, LEAF, 0);
    const m = new Memory(Object.freeze([...regions]), physSize, chunks, bankMap(regions, nLeaves));
    for (let c = 0; c * CHUNK_LEAVES < nLeaves; c++) {
      const leaves: Leaf[] = [];
      for (let l = 0; l < CHUNK_LEAVES && c * CHUNK_LEAVES + l < nLeaves; l++) {
        leaves.push({ gen: m.gen, bytes: new Uint8Array(LEAF), h0: zero[0], h1: zero[1] });
        m.account(c * CHUNK_LEAVES + l, zero[0], zero[1], 1);
      }
      chunks.push({ gen: m.gen, leaves });
    }
    return m;
  }

  /** O(chunks): both this memory and the clone copy pages before their next write. */
  clone(): Memory {
    const m = new Memory(this.regions, this.physSize, this.chunks.slice(), this.banks);
    m.f0 = this.f0;
    m.f1 = this.f1;
    m.bankLanes.set(this.bankLanes);
    m.unmapped = this.unmapped;
    this.gen = nextGen++;
    this.copiedChunks = this.copiedLeaves = 0;
    return m;
  }

  /**
   * Estimated bytes this memory holds that it shares with no other: its page table (a pointer per chunk),
   * its fingerprint lanes, and the chunks and leaves it copied since it was cloned (V8's object headers included).
   */
  get ownBytes(): number {
    return 64 + 8 * this.chunks.length + 64 + 4 * this.bankLanes.length
      + this.copiedChunks * (48 + 8 * CHUNK_LEAVES) + this.copiedLeaves * (48 + 96 + LEAF);
  }

  /** Every byte, banks included (each bank in its place); `banks: false` leaves the banks' bytes out. */
  fingerprint(options: { banks?: boolean } = {}): [number, number] {
    let f0 = this.f0, f1 = this.f1;
    if (options.banks ?? true) {
      for (let b = 0; b < this.bankCount; b++) {
        f0 = (f0 + finish32(mix32(mix32(0x68e31da4, b), this.bankLanes[2 * b]))) | 0;
        f1 = (f1 + finish32(mix32(mix32(0x1b56c4e9, b), this.bankLanes[2 * b + 1]))) | 0;
      }
    }
    if (this.unmapped.length === 0) return [f0 >>> 0, f1 >>> 0];
    for (const i of this.unmapped) {
      f0 = mix32(f0, i + 1);
      f1 = mix32(f1, ~i);
    }
    return [finish32(f0), finish32(f1)];
  }

  /** One of the two hash lanes (0 or 1) of the bytes of bank `b`, wherever it lies: equal contents give equal lanes. */
  bankLane(b: number, lane: number): number {
    return this.bankLanes[2 * b + lane] >>> 0;
  }

  /** The mapped region holding virtual address `va` as bank `bank` sees it, or undefined (a fault). */
  regionAt(va: number, bank = -1): Region | undefined {
    const r = this.lastRegion;
    if (r && va >= r.base && va < r.base + r.size && (r.bank === undefined || r.bank === bank)) return r;
    const skip = this.unmapped;
    for (let i = 0; i < this.regions.length; i++) {
      const x = this.regions[i];
      if (va >= x.base && va < x.base + x.size && (x.bank === undefined || x.bank === bank)) {
        if (skip.length > 0 && skip.includes(i)) continue;
        this.lastRegion = x;
        return x;
      }
    }
    return undefined;
  }

  /** The region laid out at `va`, mapped or not: the kernel's own knowledge of its layout. */
  regionLaidOutAt(va: number): Region | undefined {
    return this.regions.find((x) => va >= x.base && va < x.base + x.size);
  }

  isMapped(name: string): boolean {
    const i = this.regions.findIndex((r) => r.name === name);
    return i >= 0 && !this.unmapped.includes(i);
  }

  /**
   * Map or unmap the region called `name` in this memory (a clone the caller owns, as for `writePhys`);
   * its bytes stay as they are. Returns false when there is no such region.
   */
  setMapped(name: string, on: boolean): boolean {
    const i = this.regions.findIndex((r) => r.name === name);
    if (i < 0) return false;
    const has = this.unmapped.includes(i);
    if (on === !has) return true;
    this.unmapped = on ? this.unmapped.filter((x) => x !== i) : [...this.unmapped, i].sort((a, b) => a - b);
    this.lastRegion = undefined;
    return true;
  }

  region(name: string): Region | undefined {
    return this.regions.find((r) => r.name === name);
  }

  readPhys(p: number): number {
    return this.chunks[p >>> (LEAF_BITS + CHUNK_BITS)].leaves[(p >>> LEAF_BITS) & (CHUNK_LEAVES - 1)].bytes[p & (LEAF - 1)];
  }

  readPhysBytes(p: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.readPhys(p + i);
    return out;
  }

  /** Write bytes at physical address p (permissions are the caller's business). */
  writePhys(p: number, bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      const at = p + i;
      const leaf = this.ownLeaf(at >>> LEAF_BITS);
      const off = at & (LEAF - 1);
      const n = Math.min(LEAF - off, bytes.length - i);
      let changed = false;
      for (let k = 0; k < n; k++) {
        if (leaf.bytes[off + k] !== bytes[i + k]) {
          leaf.bytes[off + k] = bytes[i + k];
          changed = true;
        }
      }
      if (changed) this.rehash(at >>> LEAF_BITS, leaf);
      i += n;
    }
  }

  private ownLeaf(index: number): Leaf {
    const ci = index >>> CHUNK_BITS;
    let chunk = this.chunks[ci];
    if (chunk.gen !== this.gen) {
      chunk = { gen: this.gen, leaves: chunk.leaves.slice() };
      this.chunks[ci] = chunk;
      this.copiedChunks++;
    }
    const li = index & (CHUNK_LEAVES - 1);
    let leaf = chunk.leaves[li];
    if (leaf.gen !== this.gen) {
      leaf = { gen: this.gen, bytes: leaf.bytes.slice(), h0: leaf.h0, h1: leaf.h1 };
      chunk.leaves[li] = leaf;
      this.copiedLeaves++;
    }
    return leaf;
  }

  private rehash(index: number, leaf: Leaf): void {
    this.account(index, leaf.h0, leaf.h1, -1);
    const [h0, h1] = hashBytes(leaf.bytes, 0, LEAF, 0);
    leaf.h0 = h0;
    leaf.h1 = h1;
    this.account(index, h0, h1, 1);
  }

  /** Add (sign 1) or take away (-1) leaf `index`'s contribution: to its bank's lanes, or to the rest's. */
  private account(index: number, h0: number, h1: number, sign: 1 | -1): void {
    const bank = this.banks.bankOf[index];
    if (bank < 0) {
      const [a, b] = leafContribution(index, h0, h1);
      this.f0 = (this.f0 + sign * a) | 0;
      this.f1 = (this.f1 + sign * b) | 0;
    } else {
      const [a, b] = leafContribution(index - this.banks.firstLeaf[bank], h0, h1);
      this.bankLanes[2 * bank] = (this.bankLanes[2 * bank] + sign * a) | 0;
      this.bankLanes[2 * bank + 1] = (this.bankLanes[2 * bank + 1] + sign * b) | 0;
    }
  }

  /**
   * Pack what this memory holds that `base` (the memory it was cloned from, at any distance) does not:
   * the unmapped regions, then each leaf whose bytes differ, as its index, a mask of the 32-bit words
   * that differ and those words. Leaves still shared with `base` are skipped without reading them.
   */
  packDelta(w: WordWriter, base: Memory): void {
    w.u32(this.unmapped.length);
    for (const i of this.unmapped) w.u32(i);
    const countAt = w.length;
    w.u32(0);
    let count = 0;
    for (let c = 0; c < this.chunks.length; c++) {
      const mine = this.chunks[c], theirs = base.chunks[c];
      if (mine === theirs) continue;
      for (let l = 0; l < mine.leaves.length; l++) {
        const a = mine.leaves[l].bytes, b = theirs.leaves[l].bytes;
        if (a === b) continue;
        let mask = 0;
        for (let k = 0; k < LEAF; k++) if (a[k] !== b[k]) mask |= 1 << (k >>> 2);
        if (mask === 0) continue;
        w.u32(c * CHUNK_LEAVES + l);
        w.u32(mask);
        for (let m = mask; m !== 0; m &= m - 1) {
          const k = 4 * (31 - Math.clz32(m & -m));
          w.u32((a[k] | (a[k + 1] << 8) | (a[k + 2] << 16) | (a[k + 3] << 24)) >>> 0);
        }
        count++;
      }
    }
    w.words[countAt] = count;
  }

  /** The memory `packDelta` packed against `base`. */
  static unpackDelta(r: WordReader, base: Memory): Memory {
    const m = base.clone();
    const unmapped: number[] = [];
    for (let n = r.u32(); n > 0; n--) unmapped.push(r.u32());
    // Always replaced: the base may have regions unmapped that this state has mapped (a loaded module).
    m.unmapped = unmapped;
    for (let n = r.u32(); n > 0; n--) {
      const index = r.u32(), mask = r.u32();
      const bytes = base.chunks[index >>> CHUNK_BITS].leaves[index & (CHUNK_LEAVES - 1)].bytes.slice();
      for (let b = mask; b !== 0; b &= b - 1) {
        const k = 4 * (31 - Math.clz32(b & -b));
        const word = r.u32();
        bytes[k] = word & 0xff;
        bytes[k + 1] = (word >>> 8) & 0xff;
        bytes[k + 2] = (word >>> 16) & 0xff;
        bytes[k + 3] = word >>> 24;
      }
      m.writePhys(index * LEAF, bytes);
    }
    return m;
  }

  /** For the fingerprint-coverage test: this memory with one byte of each region flipped, and with each region's mapping toggled. */
  variants(): Memory[] {
    const out: Memory[] = [];
    this.regions.forEach((region, i) => {
      const flipped = this.clone();
      flipped.writePhys(region.phys, Uint8Array.of(this.readPhys(region.phys) ^ 0x5a));
      out.push(flipped);
      const toggled = this.clone();
      toggled.setMapped(region.name, this.unmapped.includes(i));
      out.push(toggled);
    });
    return out;
  }

  /** Translate a virtual range as bank `bank` sees it; undefined if it leaves its region. */
  translate(va: number, n: number, bank = -1): { region: Region; phys: number } | undefined {
    const r = this.regionAt(va, bank);
    if (!r || va + n > r.base + r.size) return undefined;
    return { region: r, phys: r.phys + (va - r.base) };
  }
}
