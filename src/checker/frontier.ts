// One BFS level of states waiting to be expanded: packed into 32-bit words when the model has a layout
// (base/layout.ts), or kept as the model's own objects when it has none.
//
// Packed, a queued state costs its words (a few hundred bytes for the kernel world) and nothing for the
// garbage collector to trace; as objects, it costs whatever its object graph holds that no other state
// shares (the model's `stateBytes` estimate). The bytes a level reports are what it holds: packed, the
// capacity of its chunks of words (whether written or not); as objects, the estimates of the states not yet
// taken.
//
// Packed words live in fixed-size chunks from a pool the search's two levels share (`ChunkPool`). A chunk
// is never copied to grow (a doubling buffer would leave its old copy as garbage and up to half of the new
// one unused), and once the level being expanded has taken every state of a chunk (states are taken in
// order), the chunk goes back to the pool, where the level being filled takes it next: the two levels
// together hold about the wider one, not both. What the pool holds is counted too, so the bytes reported
// are every byte of capacity there is.

import { WordReader, WordWriter } from '../base/layout.js';
import type { Model, PackedState } from './model.js';

/** Bookkeeping of one entry besides its state: id, wake mask, offset or size, in JS arrays. */
export const ENTRY_BYTES = 32;

/**
 * Words in a new chunk: an eighth of what the pool has made so far, from 4 KiB up to 256 KiB (a few hundred
 * states of the kernel world), so that the last chunk of a small budget overshoots it by little.
 */
const MIN_CHUNK_WORDS = 1 << 10, MAX_CHUNK_WORDS = 1 << 16;
/** An entry's place is `chunk × SPAN + word offset in the chunk` (exact in a double up to 2^21 chunks). */
const SPAN = 2 ** 32;

/** Chunks of words that no level holds now, for the next level that needs one. */
export class ChunkPool {
  private readonly free: WordWriter[] = [];
  /** The capacity of the chunks waiting here. */
  bytes = 0;
  /** The most words one state has packed into: a chunk with less room left is not started on. */
  largest = 0;
  /** Bytes of every chunk made (held by a level or waiting here). */
  private made = 0;

  take(): WordWriter {
    const w = this.free.pop();
    if (!w) {
      const words = Math.max(2 * this.largest, Math.min(MAX_CHUNK_WORDS, Math.max(MIN_CHUNK_WORDS, Math.floor(this.made / 32))));
      this.made += 4 * words;
      return new WordWriter(words);
    }
    this.bytes -= w.words.byteLength;
    w.clear();
    return w;
  }

  give(w: WordWriter): void {
    this.free.push(w);
    this.bytes += w.words.byteLength;
  }
}

export class Frontier<S> {
  readonly ids: number[] = [];
  /** Per entry: FULL_EXPANSION, or the sleep bits to explore again. */
  readonly wake: number[] = [];
  private readonly objects: (S | undefined)[] = [];
  private readonly sizes: number[] = [];
  /** Packed: the chunks written, in order; those before `firstHeld` are back in the pool. */
  private readonly chunks: (WordWriter | undefined)[] = [];
  private firstHeld = 0;
  private chunkBytes = 0;
  private readonly offsets: number[] = [];
  private heldBytes = 0;

  /**
   * `packed`: the model has `pack` and `unpack`, and the search chose to use them. `pool`: where chunks come
   * from and go back to (the search's two levels share one; its `bytes` are then the search's to count).
   */
  constructor(private readonly model: Pick<Model<S, unknown>, 'pack' | 'unpack'>, readonly packed: boolean, private readonly pool = new ChunkPool()) {}

  get length(): number {
    return this.ids.length;
  }

  /** Bytes held now (see the file's comment); not the pool's. */
  get bytes(): number {
    return this.packed ? this.chunkBytes + ENTRY_BYTES * this.ids.length : this.heldBytes;
  }

  /**
   * The state taken last, with its words (packed only): the reference the next entry is unpacked against,
   * and the one the search packs its successors against. Its chunk is held until the next entry is taken.
   */
  taken: PackedState<S> | undefined;

  /**
   * Queue a state; `bytes` is its estimated size as an object (used only when not packed). `like`: a state
   * it was made from (the one being expanded), whose words packing may copy for the parts they share.
   */
  push(s: S, id: number, wake: number, bytes: number, like?: PackedState<S>): void {
    this.ids.push(id);
    this.wake.push(wake);
    if (this.packed) {
      let c = this.chunks.length - 1;
      let w = this.chunks[c];
      if (w === undefined || c < this.firstHeld || w.words.length - w.length < this.pool.largest) {
        w = this.pool.take();
        c = this.chunks.push(w) - 1;
        this.chunkBytes += w.words.byteLength;
      }
      const at = w.length, capacity = w.words.byteLength;
      this.offsets.push(c * SPAN + at);
      this.model.pack!(s, w, like);
      // A state larger than any before that did not fit the room left: the chunk grew (rare), and counts so.
      this.chunkBytes += w.words.byteLength - capacity;
      this.pool.largest = Math.max(this.pool.largest, w.length - at);
    } else {
      this.objects.push(s);
      this.sizes.push(bytes);
      this.heldBytes += bytes + ENTRY_BYTES;
    }
  }

  /** Take back the entry pushed last (it did not fit the budget). */
  dropLast(): void {
    this.ids.pop();
    this.wake.pop();
    if (this.packed) {
      const at = this.offsets.pop()!;
      const c = Math.floor(at / SPAN);
      const w = this.chunks[c]!;
      w.length = at - c * SPAN;
      // A chunk taken for this state alone is let go (the search stops here): it is not memory the search holds.
      if (w.length === 0 && c === this.chunks.length - 1) {
        this.chunks.pop();
        this.chunkBytes -= w.words.byteLength;
      }
    } else {
      this.objects.pop();
      this.heldBytes -= this.sizes.pop()! + ENTRY_BYTES;
    }
  }

  /**
   * Entry i's state, for expanding it. Entries are taken in order, once each: an object entry is dropped from
   * the level, and a chunk every state of which has been taken goes back to the pool.
   */
  take(i: number): S {
    if (this.packed) {
      const at = this.offsets[i];
      const c = Math.floor(at / SPAN);
      const words = this.chunks[c]!.words, offset = at - c * SPAN;
      // Unpacked against the entry before (a sibling, most often): then chunks before this one are let go.
      const s = this.model.unpack!(new WordReader(words, offset), this.taken);
      this.taken = { state: s, words, at: offset };
      while (this.firstHeld < c) this.release(this.firstHeld++);
      return s;
    }
    const s = this.objects[i]!;
    this.objects[i] = undefined;
    this.heldBytes -= this.sizes[i] + ENTRY_BYTES;
    return s;
  }

  clear(): void {
    this.taken = undefined;
    for (let c = this.firstHeld; c < this.chunks.length; c++) this.release(c);
    this.ids.length = this.wake.length = this.objects.length = this.sizes.length = this.offsets.length = this.chunks.length = 0;
    this.firstHeld = 0;
    this.heldBytes = 0;
  }

  private release(c: number): void {
    const w = this.chunks[c]!;
    this.chunks[c] = undefined;
    this.chunkBytes -= w.words.byteLength;
    this.pool.give(w);
  }
}
