// GNU as operand syntax through the whole assembler: bytes, relocations and diagnostics as GNU as gives them.

import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../base/bits.js';
import { assemble, textBytes } from '../asm/assembler.js';
import { ppc32Isa, ppc64Isa } from './index.js';

const isaOf = (mode: 32 | 64) => (mode === 32 ? ppc32Isa : ppc64Isa);

function run(src: string, mode: 32 | 64) {
  const r = assemble(src, isaOf(mode), 't.s');
  const text = r.object.sections.find((s) => s.name === '.text')!;
  return {
    hex: bytesToHex(textBytes(r.object)),
    relocs: text.relocations.map((x) => `${x.offset.toString(16)} ${x.type} ${x.symbol}${x.addend ? `+${x.addend}` : ''}`),
    codes: r.diagnostics.map((d) => `${d.code}@${d.span.line}:${d.span.col}`),
  };
}

// Bytes from powerpc-linux-gnu-as -a32 -mbig -mregnames (words written big-endian).
const ACCEPTED_32: readonly [string, string][] = [
  ['beq+ .+8', '41 a2 00 08'], ['beq- .+8', '41 82 00 08'], ['beq+ .-8', '41 82 ff f8'], ['beq- .-8', '41 a2 ff f8'],
  ['bdnz+ .+8', '42 20 00 08'], ['bdnz- .-8', '42 20 ff f8'], ['beqa- 8', '41 82 00 0a'], ['beqla+ 8', '41 a2 00 0b'],
  ['beqlr+', '4d a2 00 20'], ['beqlrl-', '4d 82 00 21'], ['bdnzt+ 2,.+8', '41 22 00 08'], ['bdztlr+ 2', '4d 62 00 20'],
  ['bc+ 12,2,.+8', '41 a2 00 08'], ['bcl+ 16,0,.+8', '42 20 00 09'], ['bc 5,2,.+8', '40 a2 00 08'], ['bc 17,0,.+8', '42 20 00 08'],
  ['bclr 1,0', '4c 20 00 20'], ['blt 4*cr1,.+8', '41 90 00 08'], ['beq cr1+1,.+8', '41 8a 00 08'], ['beqlr 2', '4d 8a 00 20'],
  ['beqlr cr1,2', '4d 86 10 20'], ['bcctr 20,0,0', '4e 80 04 20'], ['b 0x100', '48 00 01 00'], ['bcl 20,31,$+4', '42 9f 00 05'],
  ['li 3,0xffff@l', '38 60 ff ff'], ['li 3,-1@h', '38 60 ff ff'], ['lis 3,0x80000000@h', '3c 60 80 00'], ['lis 3,65535', '3c 60 ff ff'],
  ['cmplwi 3,-32768', '28 03 80 00'], ['cmpi 0,1,3,5', '2c 23 00 05'], ['add 3+1,4,5', '7c 84 2a 14'], ['add sp,rtoc,r0', '7c 22 02 14'],
  ['mr r3,%r4', '7c 83 23 78'], ['mtspr ctr,3', '7c 69 03 a6'], ['lwz 3,4(r0)', '80 60 00 04'], ['sync 1', '7c 20 04 ac'],
  ['sub. 3,4,5', '7c 65 20 51'], ['twlnl 3,4', '7c a3 20 08'], ['twngi 3,5', '0e 83 00 05'], ['xnop', '68 00 00 00'],
  ['subic 3,4,32768', '30 64 80 00'], ['subic. 3,4,-32767', '34 64 7f ff'], ['subc 3,4,5', '7c 65 20 10'], ['subo. 3,4,5', '7c 65 24 51'],
];
// powerpc64le-linux-gnu-as -a64 -mlittle -mregnames (bytes in memory order).
const ACCEPTED_64: readonly [string, string][] = [
  ['beq+ .+8', '08 00 e2 41'], ['beq- .+8', '08 00 c2 41'], ['beq+ .-8', 'f8 ff e2 41'], ['bdnz- .-8', 'f8 ff 00 43'],
  ['bdza+ 8', '0a 00 60 43'], ['beqlrl-', '21 00 c2 4d'], ['bdzlrl-', '21 00 40 4f'], ['bc- 4,2,.+8', '08 00 c2 40'],
  ['bcctr- 12,2', '20 04 c2 4d'], ['bc 14,2,.+8', '08 00 c2 41'], ['bc 25,0,.+8', '08 00 20 43'], ['bt+ 2,.+8', '08 00 e2 41'],
  ['cmpdi 3,-1', 'ff ff 23 2c'], ['cmpldi 3,-1', 'ff ff 23 28'], ['ld 3,x+2@l(3)', '00 00 63 e8'], ['sync 2', 'ac 04 40 7c'],
  ['hwsync', 'ac 04 00 7c'], ['ptesync', 'ac 04 40 7c'], ['li 3,0x123456789@higher', '01 00 60 38'], ['lis 3,0x12345678@high', '34 12 60 3c'],
];

describe('accepted as GNU as accepts it', () => {
  it.each(ACCEPTED_32)('ppc32 %s', (src, hex) => expect(run(src, 32)).toMatchObject({ hex, codes: [] }));
  it.each(ACCEPTED_64)('ppc64 %s', (src, hex) => expect(run(src, 64)).toMatchObject({ hex, codes: [] }));
});

// Lines GNU as rejects, with the code patchlab reports and where (line:column).
const REJECTED: readonly [32 | 64, string, string][] = [
  [32, 'li 3,32768', 'PL2005@1:6'], [32, 'li 3,-32769', 'PL2005@1:6'], [32, 'addi 3,3,0xffff', 'PL2005@1:10'],
  [32, 'lis 3,65536', 'PL2005@1:7'], [32, 'ori 3,3,-1', 'PL2005@1:9'], [32, 'cmpwi 3,65535', 'PL2005@1:9'],
  [32, 'cmplwi 3,-32769', 'PL2005@1:10'], [32, 'lwz 3,32768(1)', 'PL2005@1:7'], [32, 'lwz 3,(1)', 'PL2014@1:7'],
  [32, 'lwz 3,4', 'PL2014@1:7'], [32, 'lwzu 3,4(0)', 'PL2016@1:10'], [32, 'lwzu 3,4(3)', 'PL2016@1:10'],
  [32, 'stwu 3,4(0)', 'PL2016@1:10'], [32, 'lbzu 3,4(3)', 'PL2016@1:10'], [32, 'cmpw 8,3,4', 'PL5001@1:6'], [32, 'cmpw cr8,3,4', 'PL5001@1:6'], [32, 'add foo,4,5', 'PL2003@1:5'],
  [32, 'cmpdi 3,-1', 'PL2015@1:1'], [32, 'ld 3,8(1)', 'PL2015@1:1'], [32, 'hwsync', 'PL2015@1:1'], [32, 'sync 2', 'PL2005@1:6'],
  [32, 'mr 3', 'PL2002@1:5'], [32, 'add 3,4', 'PL2002@1:8'], [32, 'add 3,4,5,6', 'PL2002@1:11'], [32, 'add 32,4,5', 'PL2004@1:5'],
  [32, 'add r32,4,5', 'PL2004@1:5'], [32, 'add -1,4,5', 'PL2004@1:5'], [32, 'mtspr 1024,3', 'PL2005@1:7'], [32, 'sc 128', 'PL2005@1:4'],
  [32, 'blr 4', 'PL2005@1:5'], [32, 'bc 12,32,.+8', 'PL2005@1:7'], [32, 'bc 32,0,.+8', 'PL2005@1:4'],
  [32, 'bc 20,0,.+0x8000', 'PL2006@1:9'], [32, 'bc 20,0,.+6', 'PL2007@1:9'], [32, 'b .+0x2000000', 'PL2006@1:3'], [32, 'ba 3', 'PL2007@1:4'],
  [32, 'bc 14,2,.+8', 'PL2013@1:1'], [32, 'bc 21,0,.+8', 'PL2013@1:1'], [32, 'bc- 12,2,.-8', 'PL2013@1:1'], [32, 'bcctr 16,0', 'PL2013@1:1'],
  [32, 'bc+ 20,0,.+8', 'PL2013@1:1'], [64, 'bc 5,2,.+8', 'PL2013@1:1'], [64, 'bc 1,0,.+8', 'PL2013@1:1'], [64, 'bclr 1,0', 'PL2013@1:1'],
  [64, 'bdnzt+ 2,.+8', 'PL2015@1:1'], [64, 'ld 3,6(1)', 'PL2009@1:6'], [64, 'ld 3,x@ha(3)', 'PL1015@1:6'], [64, 'sync 3', 'PL2005@1:6'],
  [32, 'subic 3,4,32769', 'PL2005@1:11'], [32, 'subic 3,4,x', 'PL2003@1:11'], [32, 'mulldo 3,4,5', 'PL2015@1:1'],
  [32, 'rldcr 3,4,5,6', 'PL2015@1:1'], [64, 'addze 3,4,5', 'PL2002@1:11'], [64, 'rldcr 3,4,5,64', 'PL2005@1:13'],
  [32, 'lis 3,x@toc@ha', 'PL1002@1:8'], [64, 'b x@plt', 'PL1002@1:4'], [32, 'frob 3', 'PL2001@1:1'], [32, 'add 3,,4', 'PL1003@1:7'],
];

describe('rejected as GNU as rejects it', () => {
  it.each(REJECTED)('ppc%s %s', (mode, src, code) => {
    const r = run(src, mode);
    expect(r.codes).toContain(code);
  });
});

// Relocations from powerpc(64le)-linux-gnu-readelf -r: offset of the field, type, symbol, addend.
describe('relocations as GNU as leaves them', () => {
  it('ppc32: the halfword of the field, and pc-relative differences', () => {
    const r = run('.globl g\ng:\n0: addis 2,12,.TOC.-0b@ha\naddi 2,2,.TOC.-0b@l\nb g\nbl x\nba x\nbeq x\nlis 3,x@ha\naddi 3,3,x@l+4\nli 3,x\nbl x@plt\nli 3,x-.\nlwz 3,x@l(3)', 32);
    expect(r.codes).toEqual([]);
    expect(r.hex).toBe('3c 4c 00 00 38 42 00 00 48 00 00 00 48 00 00 01 48 00 00 02 41 82 00 00 3c 60 00 00 38 63 00 00 38 60 00 00 48 00 00 01 38 60 00 00 80 63 00 00');
    expect(r.relocs).toEqual([
      '2 R_PPC_REL16_HA .TOC.+2', '6 R_PPC_REL16_LO .TOC.+6', '8 R_PPC_REL24 g', 'c R_PPC_REL24 x', '10 R_PPC_ADDR24 x',
      '14 R_PPC_REL14 x', '1a R_PPC_ADDR16_HA x', '1e R_PPC_ADDR16_LO x+4', '22 R_PPC_ADDR16 x', '24 R_PPC_PLTREL24 x',
      '2a R_PPC_REL16 x+2', '2e R_PPC_ADDR16_LO x',
    ]);
  });

  it('ppc64: the ELFv2 global entry, TOC and DS relocations', () => {
    const r = run('0: addis 2,12,.TOC.-0b@ha\naddi 2,2,.TOC.-0b@l\naddis 3,2,x@toc@ha\naddi 3,3,x@toc@l\nld 3,x@toc@l(3)\nld 3,x@toc(2)\nlwz 3,x@toc(2)\nstd 3,x@l(3)\nld 3,x(3)\nlis 3,x@highesta\nli 3,x@toc@h\nbca 12,2,x', 64);
    expect(r.codes).toEqual([]);
    expect(r.relocs).toEqual([
      '0 R_PPC64_REL16_HA .TOC.', '4 R_PPC64_REL16_LO .TOC.+4', '8 R_PPC64_TOC16_HA x', 'c R_PPC64_TOC16_LO x',
      '10 R_PPC64_TOC16_LO_DS x', '14 R_PPC64_TOC16_DS x', '18 R_PPC64_TOC16 x', '1c R_PPC64_ADDR16_LO_DS x',
      '20 R_PPC64_ADDR16_DS x', '24 R_PPC64_ADDR16_HIGHESTA x', '28 R_PPC64_TOC16_HI x', '2c R_PPC64_ADDR14 x',
    ]);
  });

  it('reads `x-.@ha` as `(x-.)@ha`, as GNU as does', () => {
    expect(run('nop\naddis 3,3,x-.@ha\naddi 3,3,x-.@l', 32).relocs).toEqual(['6 R_PPC_REL16_HA x+2', 'a R_PPC_REL16_LO x+2']);
    expect(run('addis 3,3,x-.@ha', 64).relocs).toEqual(['0 R_PPC64_REL16_HA x']);
  });

  it('resolves branches to local labels itself', () => {
    expect(run('bl 1f\n1: nop\nbeq 1b\n', 32)).toMatchObject({ hex: '48 00 00 05 60 00 00 00 41 82 ff fc', relocs: [] });
  });
});
