import { describe, expect, it } from 'vitest';
import { aarch64InsnPatchTextNosync, aarch64InsnWriteLiteralU64 } from './text-patching.js';

describe('arm64 text patching', () => {
  it('aarch64_insn_patch_text_nosync: one aligned word store, then the maintenance of that word', () => {
    const ops = aarch64InsnPatchTextNosync(0x10004n, Uint8Array.of(0x1f, 0x20, 0x03, 0xd5));
    expect(ops.map((o) => o.op)).toEqual(['store', 'maintain']);
    expect(ops[1]).toMatchObject({ address: 0x10004n, size: 4 });
  });
  it('the literal write is one aligned little-endian 8-byte store', () => {
    const ops = aarch64InsnWriteLiteralU64(0x20008n, 0x1122334455n);
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ op: 'store', address: 0x20008n });
    expect(ops[0].op === 'store' && Array.from(ops[0].bytes)).toEqual([0x55, 0x44, 0x33, 0x22, 0x11, 0, 0, 0]);
  });
  it('an unaligned literal is our bug, not a protocol', () => {
    expect(() => aarch64InsnWriteLiteralU64(0x20004n, 1n)).toThrow(/aligned/);
  });
});
