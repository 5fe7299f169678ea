// One BFS level of states waiting to be expanded: packed into 32-bit words when the model has a layout
// (base/layout.ts), or kept as the model's own objects when it has none.
//
// Packed, a queued state costs its words (a few hundred bytes for the kernel world) and nothing for the
// garbage collector to trace; as objects, it costs whatever its object graph holds that no other state
// shares (the model's `stateBytes` estimate). The bytes a level reports are what it holds: packed, the
// words of every state still in it; as objects, the estimates of the states not yet taken.

import { WordReader, WordWriter } from '../base/layout.js';
import type { Model } from './model.js';

/** Bookkeeping of one entry besides its state: id, wake mask, offset or size, in JS arrays. */
export const ENTRY_BYTES = 32;

export class Frontier<S> {
  readonly ids: number[] = [];
  /** Per entry: FULL_EXPANSION, or the sleep bits to explore again. */
  readonly wake: number[] = [];
  private readonly objects: (S | undefined)[] = [];
  private readonly sizes: number[] = [];
  private readonly words: WordWriter | undefined;
  private readonly offsets: number[] = [];
  private heldBytes = 0;

  /** `packed`: the model has `pack` and `unpack`, and the search chose to use them. */
  constructor(private readonly model: Pick<Model<S, unknown>, 'pack' | 'unpack'>, readonly packed: boolean) {
    if (packed) this.words = new WordWriter(4096);
  }

  get length(): number {
    return this.ids.length;
  }

  /** Bytes held now (see the file's comment). */
  get bytes(): number {
    return this.words ? 4 * this.words.length + ENTRY_BYTES * this.ids.length : this.heldBytes;
  }

  /** Queue a state; `bytes` is its estimated size as an object (used only when not packed). */
  push(s: S, id: number, wake: number, bytes: number): void {
    this.ids.push(id);
    this.wake.push(wake);
    if (this.words) {
      this.offsets.push(this.words.length);
      this.model.pack!(s, this.words);
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
    if (this.words) this.words.length = this.offsets.pop()!;
    else {
      this.objects.pop();
      this.heldBytes -= this.sizes.pop()! + ENTRY_BYTES;
    }
  }

  /** Entry i's state, for expanding it; an object entry is dropped from the level (it is not asked for twice). */
  take(i: number): S {
    if (this.words) return this.model.unpack!(new WordReader(this.words.words, this.offsets[i]));
    const s = this.objects[i]!;
    this.objects[i] = undefined;
    this.heldBytes -= this.sizes[i] + ENTRY_BYTES;
    return s;
  }

  clear(): void {
    this.ids.length = this.wake.length = this.objects.length = this.sizes.length = this.offsets.length = 0;
    this.words?.clear();
    this.heldBytes = 0;
  }
}
