import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../base/bits.js';
import type { ArchName } from '../isa/types.js';
import { assembleInsn } from './assemble-insn.js';

const syms = new Map<string, bigint>([
  ['func_b', 0x10100n],
  ['far', 0x0400_0000n],
  ['lit', 0x12345678n],
  ['.TOC.', 0x38000n],
]);

describe('assembleInsn', () => {
  const rows: { arch: ArchName; text: string; at: bigint; hex: string }[] = [
    // x86: call/jmp rel32 from the site's end
    { arch: 'x86-64', text: 'call func_b', at: 0x10000n, hex: 'e8fb000000' },
    { arch: 'x86-64', text: 'jmp func_b', at: 0x10080n, hex: 'e97b000000' },
    { arch: 'x86-64', text: 'ret\nint3\nint3\nint3\nint3', at: 0x10000n, hex: 'c3cccccccc' },
    { arch: 'x86-64', text: 'jmp .+0x20', at: 0x10000n, hex: 'eb1e' },
    // arm64: branches, adrp page and :lo12:
    { arch: 'arm64', text: 'b func_b', at: 0x10000n, hex: '40000014' },
    { arch: 'arm64', text: 'bl func_b', at: 0x10200n, hex: 'c0ffff97' },
    { arch: 'arm64', text: 'b .+8', at: 0x10000n, hex: '02000014' },
    // adrp x16, 0x12345000 from page 0x10000: immlo 1, immhi 0x48cd; ldr x16, [x16, #0x678]
    { arch: 'arm64', text: 'adrp x16, lit\nldr x16, [x16, :lo12:lit]', at: 0x10000n, hex: 'b01909b0103e43f9' },
    // ppc32 big-endian: b/bl relative, @ha/@l absolute
    { arch: 'ppc32', text: 'b func_b', at: 0x10000n, hex: '48000100' },
    { arch: 'ppc32', text: 'bl func_b', at: 0x10000n, hex: '48000101' },
    { arch: 'ppc32', text: 'b .+20', at: 0x10000n, hex: '48000014' },
    { arch: 'ppc32', text: 'lis r12, lit@ha\nlwz r12, lit@l(r12)', at: 0x10000n, hex: '3d801234818c5678' },
    { arch: 'ppc32', text: 'lis r12, lit@h', at: 0x10000n, hex: '3d801234' },
    // ppc64 little-endian: @toc@ha from the .TOC. given: ha(0x10100 - 0x38000) = -2
    { arch: 'ppc64', text: 'b func_b', at: 0x10000n, hex: '00010048' },
    { arch: 'ppc64', text: 'addis r12, r2, func_b@toc@ha', at: 0x10000n, hex: 'feff823d' },
  ];
  it.each(rows)('$arch `$text` at $at', ({ arch, text, at, hex }) => {
    const r = assembleInsn(arch, text, at, syms);
    expect(r).toHaveProperty('bytes');
    if ('bytes' in r) expect(bytesToHex(r.bytes).replace(/ /g, '')).toBe(hex);
  });

  const bad: { arch: ArchName; text: string; at: bigint; error: RegExp }[] = [
    { arch: 'ppc32', text: 'b far', at: 0x10000n, error: /R_PPC_REL24.*far/ },
    { arch: 'arm64', text: 'b nowhere', at: 0x10000n, error: /undefined symbol `nowhere`/ },
    { arch: 'x86-64', text: 'frobnicate', at: 0x10000n, error: /line 1: unknown mnemonic/ },
    { arch: 'arm64', text: '.data\n.quad 1', at: 0x10000n, error: /section `.data`/ },
  ];
  it.each(bad)('$arch `$text` is an error', ({ arch, text, at, error }) => {
    const r = assembleInsn(arch, text, at, syms);
    expect(r).toHaveProperty('error');
    if ('error' in r) expect(r.error).toMatch(error);
  });
});
