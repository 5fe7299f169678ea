// Decoding and encoding: known words, and round trips over every table entry's whole field ranges.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble, textBytes } from '../asm/assembler.js';
import { arbForm } from '../../../tests/support/arb-arm64.js';
import { decode, decodeWord } from './decode.js';
import { encode, encodeWord } from './encode.js';
import { arm64Isa } from './index.js';
import { print, pcrelField } from './print.js';
import { FORMS, type Arm64Insn } from './table-layout.js';

describe('decode', () => {
  it.each([
    [0x14000002, { op: 'b', imm26: 2 }],
    [0x97fffffe, { op: 'bl', imm26: -2 }],
    [0x540000e0, { op: 'b_cond', imm19: 7, cond: 0 }],
    [0xb6080041, { op: 'tbz', bit: 33, imm14: 2, rt: 1 }],
    [0xd503201f, { op: 'nop' }],
    [0xd503245f, { op: 'bti', targets: 1 }],
    [0xd503233f, { op: 'hint', imm: 25 }],
    [0xd50333df, { op: 'isb', crm: 3 }],
    [0xd50b7b21, { op: 'dc_cvau', rt: 1 }],
    [0xf85f8020, { op: 'ldur', sf: 1, imm9: -8, rn: 1, rt: 0 }],
    [0xa9bf7bfd, { op: 'stp_pre', sf: 1, imm7: -2, rt2: 30, rn: 31, rt: 29 }],
    [0x70ffffe0, { op: 'adr', imm21: -1, rd: 0 }],
    [0x8b226be0, { op: 'add_ext', sf: 1, rm: 2, option: 3, imm3: 2, rn: 31, rd: 0 }],
    [0xb200f3e0, { op: 'orr_imm', sf: 1, n: 0, immr: 0, imms: 0x3c, rn: 31, rd: 0 }],
    [0x52bfffe0, { op: 'movz', sf: 0, hw: 1, imm16: 0xffff, rd: 0 }],
  ] as const)('%i', (word, insn) => {
    expect(decodeWord(word)).toEqual(insn);
    expect(encodeWord(insn as Arm64Insn)).toBe(word);
  });

  it('leaves unallocated and reserved encodings undecoded', () => {
    expect(decodeWord(0xffffffff)).toBeUndefined();
    expect(decodeWord(0x8bc20020)).toBeUndefined(); // add shifted register with shift 3
    expect(decodeWord(0x0b02fc20)).toBeUndefined(); // add w0 with a shift of 63
    expect(decodeWord(0x52c00000)).toBeUndefined(); // movz w0, hw=2
    expect(decodeWord(0x12400000 | (1 << 22))).toBeUndefined(); // and w0 with N=1
    expect(decodeWord(0x9240fc00)).toBeUndefined(); // and x0, x0 with imms=63, N=1: all ones
    expect(decodeWord(0x8b20b420)).toBeUndefined(); // add extended with imm3=5
    expect(decodeWord(0xf8620820)).toBeUndefined(); // ldr register offset with option 000
    expect(decodeWord(0x69400000)).toBeUndefined(); // ldpsw x0, x0 (objdump: undefined)
  });

  it('reads little-endian words and refuses a short tail', () => {
    expect(decode(Uint8Array.of(0x1f, 0x20, 0x03, 0xd5), 0)).toEqual({ op: 'nop' });
    expect(decode(Uint8Array.of(0x1f, 0x20, 0x03), 0)).toBeUndefined();
    expect(decode(Uint8Array.of(0, 0x1f, 0x20, 0x03, 0xd5), 1)).toEqual({ op: 'nop' });
  });
});

describe('round trips over every table entry', () => {
  it.each(FORMS.map((f) => [f.op, f] as const))('decode(encode(i)) is i for %s', (_op, form) => {
    fc.assert(fc.property(arbForm(form), (insn) => {
      expect(decode(encode(insn), 0)).toEqual(insn);
    }), { seed: 4242, numRuns: 300 });
  });

  it('encode(decode(w)) is w for every word that decodes', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (w) => {
      const insn = decodeWord(w);
      if (insn !== undefined) expect(encodeWord(insn)).toBe(w);
    }), { seed: 4242, numRuns: 50_000 });
  });

  it('print∘decode is stable: objdump text assembles back to an instruction with the same text', () => {
    const plain = FORMS.filter((f) => pcrelField(f) === undefined && f.op !== 'adrp');
    fc.assert(fc.property(fc.oneof(...plain.map((f) => arbForm(f))), (insn) => {
      const p = print(insn, 0n);
      const text = `${p.mnemonic} ${p.operands.replace(/\s*\/\/.*$/, '')}`;
      const r = assemble(text, arm64Isa, 'print.s');
      expect(r.diagnostics).toEqual([]);
      const again = decode(textBytes(r.object), 0);
      expect(again).toBeDefined();
      const q = print(again!, 0n);
      expect(`${q.mnemonic} ${q.operands}`).toBe(`${p.mnemonic} ${p.operands}`);
    }), { seed: 4242, numRuns: 5000 });
  });

  it('print∘decode is stable for branches: the printed target is where the offset points', () => {
    const branches = FORMS.filter((f) => pcrelField(f) !== undefined && f.op !== 'adrp');
    fc.assert(fc.property(fc.oneof(...branches.map((f) => arbForm(f))), fc.integer({ min: 0, max: 2 ** 40 }), (insn, at) => {
      const address = BigInt(at) * 4n;
      const pc = pcrelField(FORMS.find((f) => f.op === insn.op)!)!;
      const target = BigInt.asUintN(64, address + BigInt((insn as unknown as Record<string, number>)[pc.name] * pc.scale));
      expect(print(insn, address).operands).toContain(target.toString(16));
    }), { seed: 4242, numRuns: 3000 });
  });

  it('adrp prints the page of its address plus its offset in pages', () => {
    expect(print({ op: 'adrp', imm21: -1, rd: 3 }, 0x12345n).operands).toBe('x3, 11000');
    expect(print({ op: 'adrp', imm21: 0xfffff, rd: 3 }, 0n).operands).toBe('x3, fffff000');
  });
});
