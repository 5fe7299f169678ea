// Relocations applied as the ELF ABIs define them, data relocations and code padding as GNU as makes them.

import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../base/bits.js';
import { ppc32Isa, ppc64Isa } from './index.js';

/** Apply one relocation to a copy of `hex` at `offset`; the bytes after, or the error. */
function apply(isa: typeof ppc32Isa, hex: string, type: string, offset: number, S: bigint, A: bigint, P: bigint, toc = 0n) {
  const image = Uint8Array.from(hex.split(' '), (b) => parseInt(b, 16));
  const err = isa.applyRelocation(type, image, offset, S, A, P, toc);
  return err ?? bytesToHex(image);
}

describe('applyRelocation', () => {
  it('fills branch fields and keeps opcode, AA and LK', () => {
    // bl (48 00 00 01) at P=0x1000 to S=0x2000: displacement 0x1000.
    expect(apply(ppc32Isa, '48 00 00 01', 'R_PPC_REL24', 0, 0x2000n, 0n, 0x1000n)).toBe('48 00 10 01');
    expect(apply(ppc64Isa, '01 00 00 48', 'R_PPC64_REL24', 0, 0x1000n, 0n, 0x1004n)).toBe('fd ff ff 4b');
    // beq (41 82 00 00) backwards 8, and bla to 0x1fc.
    expect(apply(ppc32Isa, '41 82 00 00', 'R_PPC_REL14', 0, 0x100n, -8n, 0x100n)).toBe('41 82 ff f8');
    expect(apply(ppc32Isa, '48 00 00 03', 'R_PPC_ADDR24', 0, 0x1fcn, 0n, 0n)).toBe('48 00 01 ff');
  });

  it('reports what does not fit or is misaligned', () => {
    expect(apply(ppc32Isa, '48 00 00 00', 'R_PPC_REL24', 0, 0x2000000n, 0n, 0n)).toMatch(/does not fit/);
    expect(apply(ppc32Isa, '48 00 00 00', 'R_PPC_REL24', 0, 0x1002n, 0n, 0n)).toMatch(/multiple of 4/);
    expect(apply(ppc32Isa, '41 82 00 00', 'R_PPC_REL14', 0, 0x8000n, 0n, 0n)).toMatch(/does not fit/);
    expect(apply(ppc32Isa, '38 60 00 00', 'R_PPC_ADDR16', 2, 0x8000n, 0n, 0n)).toMatch(/does not fit/);
    expect(apply(ppc32Isa, '00 00 00 00', 'R_PPC64_ADDR64', 0, 0n, 0n, 0n)).toMatch(/unknown/);
    expect(apply(ppc32Isa, '00 00 00 00', 'R_PPC_TOC16', 0, 0n, 0n, 0n)).toMatch(/unknown/);
  });

  it('computes #lo, #hi, #ha into the halfword at r_offset', () => {
    // lis r3 / addi r3,r3 with x = 0x12348888: #ha = 0x1235, #lo = 0x8888.
    expect(apply(ppc32Isa, '3c 60 00 00', 'R_PPC_ADDR16_HA', 2, 0x12348888n, 0n, 0n)).toBe('3c 60 12 35');
    expect(apply(ppc32Isa, '3c 60 00 00', 'R_PPC_ADDR16_HI', 2, 0x12348888n, 0n, 0n)).toBe('3c 60 12 34');
    expect(apply(ppc32Isa, '38 63 00 00', 'R_PPC_ADDR16_LO', 2, 0x12348888n, 0n, 0n)).toBe('38 63 88 88');
    expect(apply(ppc64Isa, '00 00 60 3c', 'R_PPC64_ADDR16_HIGHESTA', 0, 0x1234567800008000n, 0n, 0n)).toBe('34 12 60 3c');
    expect(apply(ppc64Isa, '00 00 60 3c', 'R_PPC64_ADDR16_HIGHER', 0, 0x1234567800008000n, 0n, 0n)).toBe('78 56 60 3c');
  });

  it('ELFv2 global entry: addis 2,12,.TOC.-0b@ha / addi 2,2,.TOC.-0b@l', () => {
    // Function at 0x10000000, .TOC. at 0x10028000; GNU's addends are 0 and 4 (see syntax.test.ts).
    const toc = 0x10028000n, fn = 0x10000000n;
    expect(apply(ppc64Isa, '00 00 4c 3c', 'R_PPC64_REL16_HA', 0, toc, 0n, fn)).toBe('03 00 4c 3c');
    expect(apply(ppc64Isa, '00 00 42 38', 'R_PPC64_REL16_LO', 0, toc, 4n, fn + 4n)).toBe('00 80 42 38');
  });

  it('TOC-relative DS fields keep the extended opcode bits', () => {
    // ld r3,x@toc(r2) with x 0x40 past the TOC base; ldu (xo 1) keeps its 1.
    expect(apply(ppc64Isa, '00 00 62 e8', 'R_PPC64_TOC16_DS', 0, 0x10008040n, 0n, 0n, 0x10008000n)).toBe('40 00 62 e8');
    expect(apply(ppc64Isa, '01 00 62 e8', 'R_PPC64_TOC16_LO_DS', 0, 0x10008040n, 0n, 0n, 0x10000000n)).toBe('41 80 62 e8');
    expect(apply(ppc64Isa, '00 00 62 e8', 'R_PPC64_TOC16_DS', 0, 0x10008042n, 0n, 0n, 0x10008000n)).toMatch(/multiple of 4/);
  });

  it('data words', () => {
    expect(apply(ppc32Isa, '00 00 00 00', 'R_PPC_ADDR32', 0, 0x12345678n, 0n, 0n)).toBe('12 34 56 78');
    expect(apply(ppc32Isa, '00 00 00 00', 'R_PPC_REL32', 0, 0n, 0n, 4n)).toBe('ff ff ff fc');
    expect(apply(ppc64Isa, '00 00 00 00 00 00 00 00', 'R_PPC64_ADDR64', 0, 0x1122334455667788n, 0n, 0n)).toBe('88 77 66 55 44 33 22 11');
  });
});

describe('dataRelocation, as GNU as picks them for .short/.long/.quad', () => {
  it.each([
    [ppc32Isa, 4, false, 'R_PPC_ADDR32'], [ppc32Isa, 4, true, 'R_PPC_REL32'], [ppc32Isa, 2, false, 'R_PPC_ADDR16'],
    [ppc32Isa, 8, false, undefined], [ppc32Isa, 1, false, undefined], [ppc64Isa, 8, false, 'R_PPC64_ADDR64'],
    [ppc64Isa, 8, true, 'R_PPC64_REL64'], [ppc64Isa, 4, true, 'R_PPC64_REL32'], [ppc64Isa, 2, true, 'R_PPC64_REL16'],
    [ppc64Isa, 1, false, undefined],
  ] as const)('%#', (isa, size, pcrel, want) => expect(isa.dataRelocation(size, pcrel)).toBe(want));
});

describe('codeFill, as GNU as pads .p2align in .text', () => {
  it('ppc32: nops', () => expect(bytesToHex(ppc32Isa.codeFill(8))).toBe('60 00 00 00 60 00 00 00'));
  it('ppc64: nops, the last one the group-ending ori 2,2,0', () => {
    expect(bytesToHex(ppc64Isa.codeFill(4))).toBe('00 00 42 60');
    expect(bytesToHex(ppc64Isa.codeFill(12))).toBe('00 00 00 60 00 00 00 60 00 00 42 60');
  });
  it('zeros when the gap starts inside a word', () => {
    expect(bytesToHex(ppc32Isa.codeFill(11))).toBe('00 00 00 00 00 00 00 00 00 00 00');
    expect(ppc64Isa.codeFill(0).length).toBe(0);
  });
  it('jumps over padding of more than four words, as GNU as 2.40 does', () => {
    expect(bytesToHex(ppc32Isa.codeFill(16))).toBe('60 00 00 00 60 00 00 00 60 00 00 00 60 00 00 00');
    expect(bytesToHex(ppc32Isa.codeFill(20))).toBe('48 00 00 14 60 00 00 00 60 00 00 00 60 00 00 00 60 00 00 00');
    expect(bytesToHex(ppc64Isa.codeFill(24))).toBe('18 00 00 48 00 00 00 60 00 00 00 60 00 00 00 60 00 00 00 60 00 00 42 60');
  });
});
