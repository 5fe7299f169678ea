// Encoder and decoder against each other over every table entry and whole field ranges, and against GNU's words.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PPC_OPS, anyInsnArb, insnArb } from '../../../tests/support/arb-ppc.js';
import { decodeWord } from './decode.js';
import { encodeWord } from './encode.js';
import { ppc32Isa, ppc64Isa } from './index.js';
import type { PpcInsn } from './table.js';

describe('decode(encode(i)) is i', () => {
  it.each(PPC_OPS)('for every %s over its field ranges', (op) => {
    fc.assert(fc.property(insnArb(op), (insn) => {
      expect(decodeWord(encodeWord(insn))).toEqual(insn);
    }), { seed: 5001, numRuns: 300 });
  });

  it('through the bytes of both byte orders', () => {
    fc.assert(fc.property(anyInsnArb, (insn) => {
      for (const isa of [ppc32Isa, ppc64Isa]) expect(isa.decode(isa.encode(insn), 0)).toEqual(insn);
    }), { seed: 5002, numRuns: 2000 });
  });

  it('prints the same text after the round trip', () => {
    fc.assert(fc.property(anyInsnArb, fc.bigInt({ min: 0n, max: 0xfffffffcn }), (insn, a) => {
      const address = a & ~3n;
      for (const isa of [ppc32Isa, ppc64Isa]) {
        const again = isa.decode(isa.encode(insn), 0)!;
        expect(isa.print(again, address)).toEqual(isa.print(insn, address));
      }
    }), { seed: 5003, numRuns: 2000 });
  });
});

// Words from powerpc-linux-gnu-as -a32 (big-endian order as written here).
const GNU_WORDS: readonly [string, number, PpcInsn][] = [
  ['b .+8', 0x48000008, { op: 'b', li: 8 }],
  ['bl .-4', 0x4bfffffd, { op: 'bl', li: -4 }],
  ['ba 0x1fc', 0x480001fe, { op: 'ba', li: 0x1fc }],
  ['bla -0x2000000', 0x4a000003, { op: 'bla', li: -0x2000000 }],
  ['bcl 20,31,$+4', 0x429f0005, { op: 'bcl', bo: 20, bi: 31, bd: 4 }],
  ['bc 20,0,.-0x8000', 0x42808000, { op: 'bc', bo: 20, bi: 0, bd: -0x8000 }],
  ['bnectrl cr1 (bcctrl 4,6)', 0x4c860421, { op: 'bcctrl', bo: 4, bi: 6, bh: 0 }],
  ['blr 3', 0x4e801820, { op: 'bclr', bo: 20, bi: 0, bh: 3 }],
  ['li 3,-1', 0x3860ffff, { op: 'addi', rt: 3, ra: 0, si: -1 }],
  ['lis 3,0x7fff', 0x3c607fff, { op: 'addis', rt: 3, ra: 0, si: 0x7fff }],
  ['ori 3,4,0xffff', 0x6083ffff, { op: 'ori', ra: 3, rs: 4, ui: 0xffff }],
  ['nop', 0x60000000, { op: 'nop' }],
  ['mr 3,4', 0x7c832378, { op: 'or', ra: 3, rs: 4, rb: 4 }],
  ['add. 3,4,5', 0x7c642a15, { op: 'add.', rt: 3, ra: 4, rb: 5 }],
  ['sub 3,4,5', 0x7c652050, { op: 'subf', rt: 3, ra: 5, rb: 4 }],
  ['addo 3,4,5', 0x7c642e14, { op: 'addo', rt: 3, ra: 4, rb: 5 }],
  ['subco. 3,4,5', 0x7c652411, { op: 'subfco.', rt: 3, ra: 5, rb: 4 }],
  ['addmeo. 3,4', 0x7c6405d5, { op: 'addmeo.', rt: 3, ra: 4 }],
  ['subic 3,4,5', 0x3064fffb, { op: 'addic', rt: 3, ra: 4, si: -5 }],
  ['addic. 3,4,5', 0x34640005, { op: 'addic.', rt: 3, ra: 4, si: 5 }],
  ['subfic 3,4,-1', 0x2064ffff, { op: 'subfic', rt: 3, ra: 4, si: -1 }],
  ['mullwo 3,4,5', 0x7c642dd6, { op: 'mullwo', rt: 3, ra: 4, rb: 5 }],
  ['neg 3,4', 0x7c6400d0, { op: 'neg', rt: 3, ra: 4 }],
  ['cmpwi cr7,3,-5', 0x2f83fffb, { op: 'cmpi', bf: 7, l: 0, ra: 3, si: -5 }],
  ['cmpd cr2,3,4', 0x7d232000, { op: 'cmp', bf: 2, l: 1, ra: 3, rb: 4 }],
  ['stwu 1,-16(1)', 0x9421fff0, { op: 'stwu', rs: 1, ra: 1, d: -16 }],
  ['stdu 1,-32(1)', 0xf821ffe1, { op: 'stdu', rs: 1, ra: 1, ds: -32 }],
  ['ldu 3,8(1)', 0xe8610009, { op: 'ldu', rt: 3, ra: 1, ds: 8 }],
  ['mtctr 3', 0x7c6903a6, { op: 'mtspr', spr: 9, rs: 3 }],
  ['mtspr 1023,3', 0x7c7ffba6, { op: 'mtspr', spr: 1023, rs: 3 }],
  ['mflr 0', 0x7c0802a6, { op: 'mfspr', rt: 0, spr: 8 }],
  ['lwsync', 0x7c2004ac, { op: 'sync', l2: 1 }],
  ['isync', 0x4c00012c, { op: 'isync' }],
  ['icbi 0,3', 0x7c001fac, { op: 'icbi', ra: 0, rb: 3 }],
  ['dcbst 0,3', 0x7c00186c, { op: 'dcbst', ra: 0, rb: 3 }],
  ['tweq 3,4', 0x7c832008, { op: 'tw', to: 4, ra: 3, rb: 4 }],
  ['twnei 3,5', 0x0f030005, { op: 'twi', to: 24, ra: 3, si: 5 }],
  ['sc 127', 0x44000fe2, { op: 'sc', lev: 127 }],
];

describe('words GNU as gives', () => {
  it.each(GNU_WORDS)('%s', (_src, word, insn) => {
    expect(encodeWord(insn)).toBe(word);
    expect(decodeWord(word)).toEqual(insn);
    expect(Array.from(ppc32Isa.encode(insn))).toEqual([word >>> 24, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff]);
    expect(Array.from(ppc64Isa.encode(insn))).toEqual([word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24]);
  });
});

// Reserved bits objdump ignores: the word decodes as if they were clear.
describe('ignored reserved bits', () => {
  it.each([
    ['cmpwi r3,5 with bit 22', 0x2c430005, 0x2c030005], ['cmplwi r3,5 with bit 22', 0x28430005, 0x28030005],
    ['sc with bits 2-4', 0x4400001e, 0x44000002], ['sc 1 with bits 12-15', 0x4400f022, 0x44000022],
  ])('%s', (_what, word, clean) => {
    expect(decodeWord(word)).toEqual(decodeWord(clean));
    expect(encodeWord(decodeWord(word)!)).toBe(clean);
  });
});

// Words objdump shows as `.long` (reserved BO, reserved bits, invalid update forms).
describe('words no entry claims', () => {
  it.each([
    ['bc with BO 21', 0x42a00010], ['bc 17 with BI 2', 0x42220010], ['bcctr with BO 1', 0x4c200420],
    ['bclr with bits 13-15 set', 0x4e80e020], ['sync L=3', 0x7c6004ac], ['cmp with bit 22', 0x7c602000],
    ['neg with RB', 0x7c6428d0], ['isync with Rc', 0x4c00012d], ['lbzu ra=0', 0x8c600004], ['lhau ra=rt', 0xac630004],
    ['stbu ra=0', 0x9c600004], ['ldu ra=rt', 0xe8630009], ['DS xo 3', 0xe861000b], ['mulhw with OE', 0x7c642c96],
    ['addze with RB', 0x7c642994], ['subfme with RB', 0x7c6429d0],
  ])('%s', (_what, word) => {
    expect(decodeWord(word)).toBeUndefined();
    expect(ppc32Isa.undecodable(ppc32Isa.encode({ op: 'nop' }).map((_, i) => (word >>> (24 - 8 * i)) & 0xff), 0).text)
      .toEqual({ mnemonic: '.long', operands: `0x${word.toString(16)}` });
  });
});
