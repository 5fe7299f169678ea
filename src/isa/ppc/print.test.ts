// objdump's text for words, as powerpc-linux-gnu-objdump and powerpc64le-linux-gnu-objdump print them.

import { describe, expect, it } from 'vitest';
import { decodeWord } from './decode.js';
import { ppc32Isa, ppc64Isa } from './index.js';

const text = (word: number, address: bigint, isa = ppc32Isa) => {
  const insn = decodeWord(word);
  if (!insn) return undefined;
  const p = isa.print(insn, address);
  return p.operands ? `${p.mnemonic} ${p.operands}` : p.mnemonic;
};

// [word, address, objdump's text in both modes]
const BOTH: readonly [number, bigint, string][] = [
  [0x48000008, 0n, 'b 0x8'], [0x480001fe, 0x40n, 'ba 0x1fc'], [0x4bfffffd, 8n, 'bl 0x4'], [0x4a000002, 0n, 'ba 0xfe000000'],
  [0x41820008, 0x10n, 'beq 0x18'], [0x419e0008, 0x24n, 'beq cr7,0x2c'], [0x40c60008, 0x28n, 'bne- cr1,0x30'],
  [0x41e00008, 0x2cn, 'blt+ 0x34'], [0x41a00008, 0x2cn, 'blt 0x34'], [0x40a00008, 0n, 'bge 0x8'],
  [0x429f0005, 0x18n, 'bcl 20,4*cr7+so,0x1c'], [0x40800023, 0n, 'bgela 0x20'], [0x41820003, 0n, 'beqla 0x0'],
  [0x42000000, 0x44n, 'bdnz 0x44'], [0x43200003, 0n, 'bdnzla+ 0x0'],
  [0x41020000, 0x4cn, 'bdnzt eq,0x4c'], [0x41490000, 0x54n, 'bdzt 4*cr2+gt,0x54'], [0x42820001, 0xb4n, 'bcl 20,eq,0xb4'],
  [0x43020010, 0n, 'bc- 24,eq,0x10'], [0x42800003, 0n, 'bcla 20,lt,0x0'], [0x42808002, 0n, 'bca 20,lt,0xffff8000'],
  [0x4e800020, 0n, 'blr'], [0x4e800021, 0n, 'blrl'], [0x4e800420, 0n, 'bctr'], [0x4e800421, 0n, 'bctrl'],
  [0x4d820020, 0n, 'beqlr'], [0x4c8e0020, 0n, 'bnelr cr3'], [0x4da20020, 0n, 'beqlr+'], [0x4c801020, 0n, 'bgelr cr0,2'],
  [0x4e000821, 0n, 'bdnzlrl 1'], [0x4e200020, 0n, 'bdnzlr+'], [0x4c200020, 0n, 'bdnzflr+ lt'], [0x4c000420, 0n, 'bcctr 0,lt'],
  [0x4d820c20, 0n, 'beqctr cr0,1'], [0x4e820421, 0n, 'bcctrl 20,eq'], [0x4e801021, 0n, 'blrl 2'], [0x4c861820, 0n, 'bnelr cr1,3'],
  [0x3860ffff, 0n, 'li r3,-1'], [0x3c60ffff, 0n, 'lis r3,-1'], [0x3863ffff, 0n, 'addi r3,r3,-1'], [0x6083ffff, 0n, 'ori r3,r4,65535'],
  [0x60000000, 0n, 'nop'], [0x60000001, 0n, 'ori r0,r0,1'], [0x60420000, 0n, 'ori r2,r2,0'], [0x68000000, 0n, 'xnop'],
  [0x7c832378, 0n, 'mr r3,r4'], [0x7c832379, 0n, 'mr. r3,r4'], [0x7c832b79, 0n, 'or. r3,r4,r5'], [0x7c652050, 0n, 'subf r3,r5,r4'],
  [0x7c6400d1, 0n, 'neg. r3,r4'], [0x2c030005, 0n, 'cmpwi r3,5'], [0x2f83fffb, 0n, 'cmpwi cr7,r3,-5'], [0x2c230005, 0n, 'cmpdi r3,5'],
  [0x28a3ffff, 0n, 'cmpldi cr1,r3,65535'], [0x7c032040, 0n, 'cmplw r3,r4'], [0x7d232000, 0n, 'cmpd cr2,r3,r4'],
  [0x80600004, 0n, 'lwz r3,4(0)'], [0x8461fffc, 0n, 'lwzu r3,-4(r1)'], [0x84600004, 0n, 'lu r3,4(0)'], [0x84630004, 0n, 'lu r3,4(r3)'],
  [0x94600004, 0n, 'stu r3,4(0)'], [0x94630004, 0n, 'stwu r3,4(r3)'], [0xe8617ffc, 0n, 'ld r3,32764(r1)'], [0xe861000a, 0n, 'lwa r3,8(r1)'],
  [0x7c6903a6, 0n, 'mtctr r3'], [0x7c8902a6, 0n, 'mfctr r4'], [0x7c7ffba6, 0n, 'mtspr 1023,r3'], [0x7c7ffaa6, 0n, 'mfpir r3'],
  [0x7c7043a6, 0n, 'mtsprg 0,r3'], [0x7c7142a6, 0n, 'mfsprg r3,1'], [0x7c6402a6, 0n, 'mfrtcu r3'], [0x7c6403a6, 0n, 'mtspr 4,r3'],
  [0x7c7083a6, 0n, 'mtibatu 0,r3'], [0x7c0004ac, 0n, 'hwsync'], [0x7c2004ac, 0n, 'lwsync'], [0x7c4004ac, 0n, 'ptesync'],
  [0x4c00012c, 0n, 'isync'], [0x7c031fac, 0n, 'icbi r3,r3'], [0x7c0018ac, 0n, 'dcbf 0,r3'], [0x7fe00008, 0n, 'trap'],
  [0x7fe30008, 0n, 'twu r3,r0'], [0x7c000008, 0n, 'tw 0,r0,r0'], [0x7c632008, 0n, 'tw 3,r3,r4'], [0x7ca32008, 0n, 'twlge r3,r4'],
  [0x0fe00000, 0n, 'twui r0,0'], [0x0f030005, 0n, 'twnei r3,5'], [0x0c030005, 0n, 'twi 0,r3,5'], [0x44000002, 0n, 'sc'],
  [0x44000fe2, 0n, 'sc 127'],
  // objdump prints subic as addic, subc as subfc with the registers swapped; rldcr in both modes
  [0x3064fffb, 0n, 'addic r3,r4,-5'], [0x3460ffff, 0n, 'addic. r3,r0,-1'], [0x2064ffff, 0n, 'subfic r3,r4,-1'],
  [0x7c652411, 0n, 'subfco. r3,r5,r4'], [0x7c6405d5, 0n, 'addmeo. r3,r4'], [0x7c640190, 0n, 'subfze r3,r4'],
  [0x7c642d14, 0n, 'addeo r3,r4,r5'], [0x7c6404d0, 0n, 'nego r3,r4'], [0x7c642dd7, 0n, 'mullwo. r3,r4,r5'],
  [0x78832992, 0n, 'rldcr r3,r4,r5,6'], [0x7c642dd2, 0n, 'mulldo r3,r4,r5'],
];

describe('objdump text, both modes', () => {
  it.each(BOTH)('%s at %s: %s', (word, address, want) => {
    expect(text(word, address)).toBe(want);
    expect(text(word, address, ppc64Isa)).toBe(want);
  });
});

describe('relative targets wrap at the address size', () => {
  it.each([
    [0x4a000000, 0x84n, 'b 0xfe000084', 'b 0xfffffffffe000084'],
    [0x4182fff8, 0n, 'beq 0xfffffff8', 'beq 0xfffffffffffffff8'],
    [0x42808000, 0n, 'bc 20,lt,0xffff8000', 'bc 20,lt,0xffffffffffff8000'],
  ])('%s', (word, address, p32, p64) => {
    expect(text(word, address)).toBe(p32);
    expect(text(word, address, ppc64Isa)).toBe(p64);
  });
});
