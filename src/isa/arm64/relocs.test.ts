// Relocations as a linker applies them, with the ELF spec's overflow checks; code padding.

import { describe, expect, it } from 'vitest';
import { readU32, readUint, u32Bytes } from '../../base/bits.js';
import { decodeWord } from './decode.js';
import { arm64Isa } from './index.js';

function patch(type: string, word: number, S: bigint, A: bigint, P: bigint): { error?: string; word: number } {
  const image = new Uint8Array(8);
  image.set(u32Bytes(word, 'little'), 4);
  const error = arm64Isa.applyRelocation(type, image, 4, S, A, P, 0n);
  return { error, word: readU32(image, 4, 'little') };
}

describe('applyRelocation', () => {
  it.each([
    // type, placeholder word, S, A, P, expected word (the same instruction as GNU as encodes it resolved)
    ['R_AARCH64_CALL26', 0x94000000, 0x2000n, 0n, 0x1000n, 0x94000400],
    ['R_AARCH64_JUMP26', 0x14000000, 0x0n, 0n, 0x4n, 0x17ffffff],
    ['R_AARCH64_CONDBR19', 0x54000001, 0x100n, 8n, 0x100n, 0x54000041],
    ['R_AARCH64_CONDBR19', 0xb4000000, 0n, 0n, 0x100000n, 0xb4800000],
    ['R_AARCH64_TSTBR14', 0x36180000, 0x7ffcn, 0n, 0n, 0x361bffe0],
    ['R_AARCH64_LD_PREL_LO19', 0x58000000, 0x1000n, 0n, 0xff8n, 0x58000040],
    ['R_AARCH64_ADR_PREL_LO21', 0x10000000, 0n, -1n, 0n, 0x70ffffe0],
    ['R_AARCH64_ADR_PREL_PG_HI21', 0x90000000, 0x12345n, 0x1000n, 0x1ffcn, 0xd0000080],
    ['R_AARCH64_ADD_ABS_LO12_NC', 0x91000000, 0x12345n, 0n, 0n, 0x910d1400],
    ['R_AARCH64_LDST64_ABS_LO12_NC', 0xf9400001, 0x1008n, 0n, 0n, 0xf9400401],
    ['R_AARCH64_LDST32_ABS_LO12_NC', 0xb9400001, 0xffcn, 0n, 0n, 0xb94ffc01],
    ['R_AARCH64_LDST8_ABS_LO12_NC', 0x39400001, 0x1fffn, 0n, 0n, 0x397ffc01],
    ['R_AARCH64_LDST16_ABS_LO12_NC', 0x79400001, 0x2n, 0n, 0n, 0x79400401],
  ] as const)('%s', (type, word, S, A, P, want) => {
    const r = patch(type, word, S, A, P);
    expect(r.error).toBeUndefined();
    expect(r.word.toString(16)).toBe(want.toString(16));
    expect(decodeWord(r.word)).toBeDefined();
  });

  it.each([
    ['R_AARCH64_CALL26', 0x94000000, 0x8000000n, 0n, 0n, /out of range/],
    ['R_AARCH64_JUMP26', 0x14000000, 0n, 0n, 0x8000004n, /out of range/],
    ['R_AARCH64_JUMP26', 0x14000000, 2n, 0n, 0n, /multiple of 4/],
    ['R_AARCH64_CONDBR19', 0x54000000, 0x100000n, 0n, 0n, /out of range/],
    ['R_AARCH64_TSTBR14', 0x36000000, 0x8000n, 0n, 0n, /out of range/],
    ['R_AARCH64_ADR_PREL_LO21', 0x10000000, 0x100000n, 0n, 0n, /out of range/],
    ['R_AARCH64_ADR_PREL_PG_HI21', 0x90000000, 0x100000000n, 0n, 0n, /out of range/],
    ['R_AARCH64_LDST64_ABS_LO12_NC', 0xf9400000, 0x1004n, 0n, 0n, /multiple of 8/],
    ['R_AARCH64_NONSENSE', 0, 0n, 0n, 0n, /unknown relocation/],
  ] as const)('%s reports %s', (type, word, S, A, P, message) => {
    expect(patch(type, word, S, A, P).error).toMatch(message);
  });

  it('writes data relocations little-endian, checking the 16- and 32-bit ones', () => {
    const image = new Uint8Array(16);
    expect(arm64Isa.applyRelocation('R_AARCH64_ABS64', image, 0, 0x1122334455667788n, 1n, 0n, 0n)).toBeUndefined();
    expect(readUint(image, 0, 8, 'little')).toBe(0x1122334455667789n);
    expect(arm64Isa.applyRelocation('R_AARCH64_PREL32', image, 8, 0x100n, 0n, 0x108n, 0n)).toBeUndefined();
    expect(readUint(image, 8, 4, 'little')).toBe(0xfffffff8n);
    expect(arm64Isa.applyRelocation('R_AARCH64_ABS32', image, 8, 0x100000000n, 0n, 0n, 0n)).toMatch(/out of range/);
    expect(arm64Isa.applyRelocation('R_AARCH64_ABS16', image, 12, 0xffffn, 0n, 0n, 0n)).toBeUndefined();
    expect(arm64Isa.applyRelocation('R_AARCH64_PREL16', image, 12, 0n, 0n, 0x8001n, 0n)).toMatch(/out of range/);
    expect(arm64Isa.applyRelocation('R_AARCH64_ABS64', image, 12, 0n, 0n, 0n, 0n)).toMatch(/outside/);
  });

  it('names the data relocations', () => {
    expect(arm64Isa.dataRelocation(8, false)).toBe('R_AARCH64_ABS64');
    expect(arm64Isa.dataRelocation(4, true)).toBe('R_AARCH64_PREL32');
    expect(arm64Isa.dataRelocation(2, false)).toBe('R_AARCH64_ABS16');
    expect(arm64Isa.dataRelocation(1, false)).toBeUndefined();
  });
});

describe('codeFill', () => {
  it('pads with zero bytes to a word, then nop words, as GNU as does in .text', () => {
    expect(Array.from(arm64Isa.codeFill(7))).toEqual([0, 0, 0, 0x1f, 0x20, 0x03, 0xd5]);
    expect(Array.from(arm64Isa.codeFill(8))).toEqual([0x1f, 0x20, 0x03, 0xd5, 0x1f, 0x20, 0x03, 0xd5]);
    expect(Array.from(arm64Isa.codeFill(2))).toEqual([0, 0]);
  });
});
