// objdump's text for known words (each line copied from aarch64-linux-gnu-objdump 2.40 output).

import { describe, expect, it } from 'vitest';
import { u32Bytes } from '../../base/bits.js';
import { decodeWord } from './decode.js';
import { print, undecodable } from './print.js';

/** [address, word, objdump's mnemonic and operands with the trailing comment removed]. */
const CASES: readonly (readonly [number, number, string])[] = [
  [0x0, 0x14000002, 'b 8'],
  // unused Rs/Rt2 of the exclusives and stlr: objdump ignores them (ldar's must be 31)
  [0x0, 0xc8407c20, 'ldxr x0, [x1]'],
  [0x0, 0x08407c20, 'ldxrb w0, [x1]'],
  [0x0, 0xc8020020, 'stxr w2, x0, [x1]'],
  [0x0, 0xc880fc20, 'stlr x0, [x1]'],
  [0x0, 0x1a9f07e0, 'cset w0, ne'],
  [0x0, 0x1a9fe7e0, 'csinc w0, wzr, wzr, al'],
  [0x0, 0x1a81e420, 'csinc w0, w1, w1, al'],
  [0x0, 0xda9fb7e0, 'cneg x0, xzr, ge'],
  [0x0, 0xd5384240, 'mrs x0, currentel'],
  [0x0, 0xd51b0020, 'msr ctr_el0, x0'],
  [0x0, 0xd53bffe0, 'mrs x0, s3_3_c15_c15_7'],
  [0x0, 0xd5100000, 'msr s2_0_c0_c0_0, x0'],
  [0x4, 0x97fffffe, 'bl fffffffffffffffc'],
  [0x8, 0x540000e0, 'b.eq 24'],
  [0xc, 0x54000022, 'b.cs 10'],
  [0x10, 0x54000023, 'b.cc 14'],
  [0x1c, 0x5400002e, 'b.al 20'],
  [0x20, 0x5400002f, 'b.nv 24'],
  [0x24, 0x34000040, 'cbz w0, 2c'],
  [0x28, 0xb5fffffe, 'cbnz x30, 24'],
  [0x2c, 0x36180041, 'tbz w1, #3, 34'],
  [0x30, 0xb6080041, 'tbz x1, #33, 38'],
  [0x34, 0xb7f80041, 'tbnz x1, #63, 3c'],
  [0x0, 0xd61f0200, 'br x16'],
  [0x0, 0xd63f0020, 'blr x1'],
  [0x0, 0xd65f03c0, 'ret'],
  [0x0, 0xd65f0020, 'ret x1'],
  [0x0, 0xd65f03e0, 'ret xzr'],
  [0x0, 0xd503201f, 'nop'],
  [0x0, 0xd503203f, 'yield'],
  [0x0, 0xd503241f, 'bti'],
  [0x0, 0xd50324df, 'bti jc'],
  [0x0, 0xd50320df, 'hint #0x6'],
  [0x0, 0xd50320ff, 'xpaclri'],
  [0x0, 0xd5032fff, 'hint #0x7f'],
  [0x0, 0xd503233f, 'paciasp'],
  [0x0, 0xd503223f, 'psb csync'],
  [0x0, 0xd4200000, 'brk #0x0'],
  [0x0, 0xd43fffe0, 'brk #0xffff'],
  [0x0, 0xd4000001, 'svc #0x0'],
  [0x0, 0xd4000022, 'hvc #0x1'],
  [0x0, 0xd4000043, 'smc #0x2'],
  [0x0, 0x00000064, 'udf #100'],
  [0x0, 0xd5033fdf, 'isb'],
  [0x0, 0xd50333df, 'isb #0x3'],
  [0x0, 0xd5033f9f, 'dsb sy'],
  [0x0, 0xd503309f, 'ssbb'],
  [0x0, 0xd503349f, 'pssbb'],
  [0x0, 0xd50330bf, 'dmb #0x00'],
  [0x0, 0xd5033bbf, 'dmb ish'],
  [0x0, 0xd50330ff, 'sb'],
  [0x0, 0xd50b7b21, 'dc cvau, x1'],
  [0x0, 0xd50b7522, 'ic ivau, x2'],
  [0x0, 0xd508751f, 'ic iallu'],
  [0x0, 0xd508711f, 'ic ialluis'],
  [0x0, 0xf9400020, 'ldr x0, [x1]'],
  [0x0, 0xf85f8020, 'ldur x0, [x1, #-8]'],
  [0x0, 0xf97ffc20, 'ldr x0, [x1, #32760]'],
  [0x0, 0xf8408fe0, 'ldr x0, [sp, #8]!'],
  [0x0, 0xf8408420, 'ldr x0, [x1], #8'],
  [0x0, 0xf8400c20, 'ldr x0, [x1, #0]!'],
  [0x0, 0xb89fc020, 'ldursw x0, [x1, #-4]'],
  [0x0, 0xf8627820, 'ldr x0, [x1, x2, lsl #3]'],
  [0x0, 0xf8624820, 'ldr x0, [x1, w2, uxtw]'],
  [0x0, 0xf862c820, 'ldr x0, [x1, w2, sxtw]'],
  [0x0, 0x38627820, 'ldrb w0, [x1, x2, lsl #0]'],
  [0x0, 0x38625820, 'ldrb w0, [x1, w2, uxtw #0]'],
  [0x0, 0xa9bf7bfd, 'stp x29, x30, [sp, #-16]!'],
  [0x0, 0xa8c17bfd, 'ldp x29, x30, [sp], #16'],
  [0x0, 0xa94007e0, 'ldp x0, x1, [sp]'],
  [0x0, 0x69408440, 'ldpsw x0, x1, [x2, #4]'],
  [0x0, 0x10000040, 'adr x0, 8'],
  [0x0, 0x70ffffe0, 'adr x0, ffffffffffffffff'],
  [0x1234, 0x90000000, 'adrp x0, 1000'],
  [0x0, 0x91004020, 'add x0, x1, #0x10'],
  [0x0, 0x91400420, 'add x0, x1, #0x1, lsl #12'],
  [0x0, 0x910003e0, 'mov x0, sp'],
  [0x0, 0x9100001f, 'mov sp, x0'],
  [0x0, 0xd1000420, 'sub x0, x1, #0x1'],
  [0x0, 0xf100141f, 'cmp x0, #0x5'],
  [0x0, 0xb100041f, 'cmn x0, #0x1'],
  [0x0, 0x8b42fc20, 'add x0, x1, x2, lsr #63'],
  [0x0, 0x8b820020, 'add x0, x1, x2, asr #0'],
  [0x0, 0x8b2163e0, 'add x0, sp, x1'],
  [0x0, 0x8b226be0, 'add x0, sp, x2, lsl #2'],
  [0x0, 0x8b224820, 'add x0, x1, w2, uxtw #2'],
  [0x0, 0x8b226020, 'add x0, x1, x2, uxtx'],
  [0x0, 0xcb0103e0, 'neg x0, x1'],
  [0x0, 0xeb0103e0, 'negs x0, x1'],
  [0x0, 0xeb0103ff, 'cmp xzr, x1'],
  [0x0, 0xeb2163ff, 'cmp sp, x1'],
  [0x0, 0xd2800200, 'mov x0, #0x10'],
  [0x0, 0x92800000, 'mov x0, #0xffffffffffffffff'],
  [0x0, 0x12800000, 'mov w0, #0xffffffff'],
  [0x0, 0x52bfffe0, 'mov w0, #0xffff0000'],
  [0x0, 0xd2a00000, 'movz x0, #0x0, lsl #16'],
  [0x0, 0x129fffe0, 'movn w0, #0xffff'],
  [0x0, 0xf2e00020, 'movk x0, #0x1, lsl #48'],
  [0x0, 0xb2407fe0, 'mov x0, #0xffffffff'],
  [0x0, 0xb27c03ff, 'mov sp, #0x10'],
  [0x0, 0xb24003e0, 'orr x0, xzr, #0x1'],
  [0x0, 0x320043e0, 'orr w0, wzr, #0x1ffff'],
  [0x0, 0x121f7820, 'and w0, w1, #0xfffffffe'],
  [0x0, 0xd201f020, 'eor x0, x1, #0xaaaaaaaaaaaaaaaa'],
  [0x0, 0xf240001f, 'tst x0, #0x1'],
  [0x0, 0xaa0103e0, 'mov x0, x1'],
  [0x0, 0xaa0207e0, 'orr x0, xzr, x2, lsl #1'],
  [0x0, 0xaac2fc20, 'orr x0, x1, x2, ror #63'],
  [0x0, 0xaa2103e0, 'mvn x0, x1'],
  [0x0, 0xeac10c1f, 'tst x0, x1, ror #3'],
  [0x0, 0x8a220020, 'bic x0, x1, x2'],
  [0x0, 0x00000000, 'udf #0'],
  [0x0, 0xd69f03e0, 'eret'],
  [0x0, 0xd50342df, 'msr daifset, #0x2'],
  [0x0, 0xd5034fff, 'msr daifclr, #0xf'],
  [0x0, 0xd37df020, 'lsl x0, x1, #3'],
  [0x0, 0x53007c20, 'lsr w0, w1, #0'],
  [0x0, 0x9340fc20, 'asr x0, x1, #0'],
  [0x0, 0xd3442c20, 'ubfx x0, x1, #4, #8'],
  [0x0, 0xd3401c20, 'ubfx x0, x1, #0, #8'],
  [0x0, 0xd37c1c20, 'ubfiz x0, x1, #4, #8'],
  [0x0, 0x53010020, 'lsl w0, w1, #31'],
  [0x0, 0x53001c20, 'uxtb w0, w1'],
  [0x0, 0x93401c20, 'sxtb x0, w1'],
  [0x0, 0x93407c20, 'sxtw x0, w1'],
  [0x0, 0x93440c20, 'sbfiz x0, x1, #60, #4'],
  [0x0, 0xb37c1c20, 'bfi x0, x1, #4, #8'],
  [0x0, 0xb37c1fe0, 'bfc x0, #4, #8'],
  [0x0, 0xb3400020, 'bfxil x0, x1, #0, #1'],
];

describe('print', () => {
  it.each(CASES)('at %i, %i is objdump\'s text', (address, word, text) => {
    const insn = decodeWord(word);
    expect(insn).toBeDefined();
    const p = print(insn!, BigInt(address));
    expect(`${p.mnemonic} ${p.operands.replace(/\s*\/\/.*$/, '')}`.trim()).toBe(text);
  });

  it('adds the comments objdump adds', () => {
    expect(print(decodeWord(0xd2800200)!, 0n).operands).toBe('x0, #0x10\t// #16');
    expect(print(decodeWord(0x52bfffe0)!, 0n).operands).toBe('w0, #0xffff0000\t// #-65536');
    expect(print(decodeWord(0x54000023)!, 0n).operands).toBe('4  // b.lo, b.ul, b.last');
    expect(print(decodeWord(0x9a822020)!, 0n).operands).toBe('x0, x1, x2, cs\t// cs = hs, nlast');
    expect(print(decodeWord(0x1a82d441)!, 0n).operands).toBe('w1, w2, gt');
  });

  it('leaves ldar with an Rs or Rt2 other than 31 undecoded, as objdump does', () => {
    expect(decodeWord(0xc8c0fc20)).toBeUndefined();
    expect(decodeWord(0xc8df8020)).toBeUndefined();
  });

  it('writes undecodable words as objdump does, and a short tail as bytes', () => {
    expect(undecodable(u32Bytes(0xffffffff, 'little'), 0)).toEqual({ length: 4, text: { mnemonic: '.inst', operands: '0xffffffff ; undefined' } });
    expect(undecodable(Uint8Array.of(1, 2, 3, 4, 5, 6), 4)).toEqual({ length: 2, text: { mnemonic: '.byte', operands: '0x05, 0x06' } });
  });
});
