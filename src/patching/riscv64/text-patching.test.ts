// riscv64's text patching primitives: their steps, and that the last FENCE.I round is what each relies on.

import { describe, expect, it } from 'vitest';
import { flushIcacheAll, patchInsnWrite, patchText, patchTextNosync } from './text-patching.js';

const word = Uint8Array.of(0x6f, 0x00, 0x00, 0x01);

describe('riscv64 text patching', () => {
  it('patch_insn_write is one aligned 4-byte store, and nothing else', () => {
    expect(patchInsnWrite(0x1000n, word).map((o) => o.op)).toEqual(['store']);
    // A misaligned word is copied as the hardware can: two 2-byte pieces.
    expect(patchInsnWrite(0x1002n, word).map((o) => (o.op === 'store' ? o.bytes.length : o.op))).toEqual([2, 2]);
  });

  it('flush_icache_all is one IPI round (FENCE.I on every other hart), waited for', () => {
    expect(flushIcacheAll().map((o) => o.op)).toEqual(['sync-core']);
  });

  it('patch_text_nosync: the write, then flush_icache_all', () => {
    expect(patchTextNosync(0x1000n, word).map((o) => o.op)).toEqual(['store', 'sync-core']);
  });

  it('patch_text: stop_machine, every word, FENCE.I on every parked hart, release', () => {
    const pair = Uint8Array.of(...word, ...word);
    // An 8-aligned pair is one 8-byte store; a 4-aligned one two 4-byte stores (the copy's pieces).
    expect(patchText(0x1000n, pair).map((o) => o.op)).toEqual(['stop-machine-begin', 'store', 'stopper-sync', 'stop-machine-end']);
    expect(patchText(0x1004n, pair).map((o) => o.op)).toEqual(['stop-machine-begin', 'store', 'store', 'stopper-sync', 'stop-machine-end']);
    expect(patchText(0x1000n, pair).every((o) => o.step.startsWith('patch_text '))).toBe(true);
  });
});
