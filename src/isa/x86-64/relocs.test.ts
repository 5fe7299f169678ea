// Applying each x86-64 relocation, with the overflow checks a linker makes.

import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../base/bits.js';
import { applyRelocation, dataRelocation, X86_RELOCATIONS } from './relocs.js';

function apply(type: string, S: bigint, A: bigint, P: bigint, size = 8): { hex: string; error: string | undefined } {
  const image = new Uint8Array(size).fill(0xee);
  const error = applyRelocation(type, image, 0, S, A, P, 0n);
  return { hex: bytesToHex(image), error };
}

describe('applyRelocation', () => {
  it.each([
    ['R_X86_64_64', 0x1122334455667788n, 0n, 0n, '88 77 66 55 44 33 22 11'],
    ['R_X86_64_PC64', 0x1000n, 0n, 0x1008n, 'f8 ff ff ff ff ff ff ff'],
    ['R_X86_64_32', 0xffffffffn, 0n, 0n, 'ff ff ff ff ee ee ee ee'],
    ['R_X86_64_32S', -0x80000000n, 0n, 0n, '00 00 00 80 ee ee ee ee'],
    ['R_X86_64_PC32', 0x2000n, -4n, 0x1001n, 'fb 0f 00 00 ee ee ee ee'],
    ['R_X86_64_PLT32', 0x1000n, -4n, 0x2001n, 'fb ef ff ff ee ee ee ee'],
    ['R_X86_64_16', 0xffffn, 0n, 0n, 'ff ff ee ee ee ee ee ee'],
    ['R_X86_64_16', -0x8000n, 0n, 0n, '00 80 ee ee ee ee ee ee'],
    ['R_X86_64_PC16', 0x100n, 0n, 0x180n, '80 ff ee ee ee ee ee ee'],
    ['R_X86_64_8', 0xffn, 0n, 0n, 'ff ee ee ee ee ee ee ee'],
    ['R_X86_64_PC8', 0x100n, -1n, 0x80n, '7f ee ee ee ee ee ee ee'],
  ])('%s S=%s A=%s P=%s', (type, S, A, P, hex) => {
    expect(apply(type, S, A, P)).toEqual({ hex, error: undefined });
  });

  it.each([
    ['R_X86_64_32', 0x100000000n, 0n, 0n],
    ['R_X86_64_32', -1n, 0n, 0n],
    ['R_X86_64_32S', 0x80000000n, 0n, 0n],
    ['R_X86_64_PC32', 0x80001000n, -4n, 0xffcn],
    ['R_X86_64_PLT32', 0n, 0n, 0x80000001n],
    ['R_X86_64_16', 0x10000n, 0n, 0n],
    ['R_X86_64_PC8', 0x100n, 0n, 0x80n],
    ['R_X86_64_8', -0x81n, 0n, 0n],
  ])('%s overflows at S=%s A=%s P=%s', (type, S, A, P) => {
    const r = apply(type, S, A, P);
    expect(r.error).toMatch(/overflow/);
    expect(r.hex).toBe('ee ee ee ee ee ee ee ee');
  });

  it('refuses what it cannot do', () => {
    expect(apply('R_X86_64_GOTPCRELX', 0n, 0n, 0n).error).toMatch(/GOT/);
    expect(apply('R_AARCH64_CALL26', 0n, 0n, 0n).error).toMatch(/unknown/);
    expect(apply('constructor', 0n, 0n, 0n).error).toMatch(/unknown/);
    expect(apply('R_X86_64_64', 0n, 0n, 0n, 4).error).toMatch(/outside/);
  });

  it('marks data as GNU as does', () => {
    expect([1, 2, 4, 8].map((n) => dataRelocation(n as 1 | 2 | 4 | 8, false))).toEqual(['R_X86_64_8', 'R_X86_64_16', 'R_X86_64_32', 'R_X86_64_64']);
    expect([1, 2, 4, 8].map((n) => dataRelocation(n as 1 | 2 | 4 | 8, true))).toEqual(['R_X86_64_PC8', 'R_X86_64_PC16', 'R_X86_64_PC32', 'R_X86_64_PC64']);
    for (const n of [1, 2, 4, 8] as const) expect(X86_RELOCATIONS[dataRelocation(n, false) as keyof typeof X86_RELOCATIONS].size).toBe(n);
  });
});
