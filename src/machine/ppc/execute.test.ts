// Every ppc table entry executed in both modes, against values worked out by hand from Power ISA Book I and II.
import { describe, expect, it } from 'vitest';
import {
  DATA, PC0, STAY, UNDEFINED, breakpoint, cases, fault, instruction, type Case,
} from '../../../tests/support/ppc-exec.js';
import { PPC_TABLE, type PpcOp } from '../../isa/ppc/table.js';
import { ADDER_OPS } from './execute-add.js';
import { classifyPpc } from './execute.js';

const ALU_CASES: readonly Case[] = [
  // addi/addis: RA = 0 is the value 0, whatever r0 holds; addis adds EXTS(SI ‖ 0x0000)
  [32, 'addi 3,0,-1', { r0: 5n }, { r3: 0xffffffffn }],
  [64, 'addi 3,0,-1', { r0: 5n }, { r3: 0xffffffffffffffffn }],
  [32, 'addi 3,4,1', { r4: 0xffffffffn }, { r3: 0n }],
  [64, 'addi 3,4,1', { r4: 0xffffffffn }, { r3: 0x100000000n }],
  [64, 'addi 3,4,-0x8000', { r4: 0n }, { r3: 0xffffffffffff8000n }],
  [32, 'addi 3,3,32767', { r3: 1n }, { r3: 0x8000n }],
  [32, 'lis 3,0x8000', {}, { r3: 0x80000000n }],
  [64, 'lis 3,0x8000', {}, { r3: 0xffffffff80000000n }],
  [64, 'lis 3,0x7fff', {}, { r3: 0x7fff0000n }],
  [64, 'addis 3,4,1', { r4: 0xffffffffffff0000n }, { r3: 0n }],
  // logic immediates: UI zero-extended; RA the target, RS the source
  [64, 'ori 3,4,0xffff', { r4: 0xf000000000000000n }, { r3: 0xf00000000000ffffn }],
  [64, 'oris 3,4,0xffff', { r4: 1n }, { r3: 0xffff0001n }],
  [32, 'xori 3,4,0xffff', { r4: 0xffffffffn }, { r3: 0xffff0000n }],
  [32, 'xoris 3,4,0x8000', { r4: 0xffffffffn }, { r3: 0x7fffffffn }],
  [64, 'andi. 3,4,0x8000', { r4: 0xffffffffffffffffn }, { r3: 0x8000n, cr: 0x40000000n }],
  [32, 'andi. 3,4,0x8000', { r4: 0x7fffn }, { r3: 0n, cr: 0x20000000n }],
  // the same 0x80000000 is negative as a word and positive as a doubleword
  [32, 'andis. 3,4,0x8000', { r4: 0xffffffffn }, { r3: 0x80000000n, cr: 0x80000000n }],
  [64, 'andis. 3,4,0x8000', { r4: 0xffffffffffffffffn }, { r3: 0x80000000n, cr: 0x40000000n }],
  [64, 'or 3,4,5', { r4: 0xf0n, r5: 0x0fn }, { r3: 0xffn }],
  [32, 'mr. 3,4', { r4: 0n, cr: 0xffffffffn }, { r3: 0n, cr: 0x2fffffffn }],
  // add, subf, neg and the rest of the adder: execute-add.test.ts
  ['both', 'nop', { r0: 1n }, {}],
  ['both', 'xnop', {}, {}],
  // compares into the named field
  [32, 'cmpwi 7,3,-1', { r3: 0xffffffffn }, { cr: 0x2n }],
  [64, 'cmpwi 7,3,-1', { r3: 0xffffffffn }, { cr: 0x2n }],
  [64, 'cmpdi 7,3,-1', { r3: 0xffffffffn }, { cr: 0x4n }],
  [64, 'cmpdi 3,-1', { r3: 0xfffffffffffffffen }, { cr: 0x80000000n }],
  [32, 'cmplwi 1,3,0xffff', { r3: 0x10000n }, { cr: 0x04000000n }],
  [32, 'cmplwi 1,3,0xffff', { r3: 0xffffn }, { cr: 0x02000000n }],
  [32, 'cmplw 3,4', { r3: 0x80000000n, r4: 1n }, { cr: 0x40000000n }],
  [32, 'cmpw 3,4', { r3: 0x80000000n, r4: 1n }, { cr: 0x80000000n }],
  [64, 'cmpw 2,3,4', { r3: 0x1_00000005n, r4: 5n }, { cr: 0x00200000n }],
  [64, 'cmplw 3,4', { r3: 0xffffffff_00000000n, r4: 1n }, { cr: 0x80000000n }],
  [64, 'cmpld 3,4', { r3: 0xffffffff_00000000n, r4: 0xffffffffn }, { cr: 0x40000000n }],
  [64, 'cmpd 3,4', { r3: 0xffffffff_00000000n, r4: 0xffffffffn }, { cr: 0x80000000n }],
  [64, 'cmpldi 6,3,0', { r3: 0n }, { cr: 0x20n }],
  [64, 'cmpwi 5,3,0', { r3: 0n, xer: 0x80000000n, cr: 0xffffffffn }, { cr: 0xfffff3ffn }],
  // cmpi with L = 1 on ppc32 (invalid on a 32-bit CPU, GNU as rejects it): a word compare, as qemu makes it
  [32, { op: 'cmpi', bf: 0, l: 1, ra: 3, si: 5 }, { r3: 3n }, { cr: 0x80000000n }],
];

const BRANCH_CASES: readonly Case[] = [
  ['both', 'b .+8', {}, { pc: 0x1008n }],
  ['both', 'b .-0x1000', {}, { pc: 0n }],
  [32, 'b .-0x1004', {}, { pc: 0xfffffffcn }],
  [64, 'b .-0x1004', {}, { pc: 0xfffffffffffffffcn }],
  ['both', 'bl .+0x100', { lr: 7n }, { pc: 0x1100n, lr: 0x1004n }],
  ['both', 'ba 0x100', {}, { pc: 0x100n }],
  [32, { op: 'bla', li: -4 }, {}, { pc: 0xfffffffcn, lr: 0x1004n }],
  [64, { op: 'bla', li: -4 }, {}, { pc: 0xfffffffffffffffcn, lr: 0x1004n }],
  // bdnz: decrement, branch while not zero; CTR wraps in the mode's width
  ['both', 'bdnz .+8', { ctr: 2n }, { ctr: 1n, pc: 0x1008n }],
  ['both', 'bdnz .+8', { ctr: 1n }, { ctr: 0n }],
  [32, 'bdnz .+8', { ctr: 0n }, { ctr: 0xffffffffn, pc: 0x1008n }],
  [64, 'bdnz .+8', { ctr: 0x100000000n }, { ctr: 0xffffffffn, pc: 0x1008n }],
  ['both', 'bdz .+8', { ctr: 1n }, { ctr: 0n, pc: 0x1008n }],
  ['both', 'bdz .+8', { ctr: 2n }, { ctr: 1n }],
  ['both', 'beq .+8', { cr: 0x20000000n }, { pc: 0x1008n }],
  ['both', 'beq .+8', { cr: 0xdfffffffn }, {}],
  ['both', 'bne 7,.+8', { cr: 0xfffffffdn }, { pc: 0x1008n }],
  ['both', 'bso 7,.-8', { cr: 1n }, { pc: 0xff8n }],
  ['both', 'bdnzt 2,.+8', { ctr: 2n, cr: 0x20000000n }, { ctr: 1n, pc: 0x1008n }],
  ['both', 'bdnzt 2,.+8', { ctr: 2n }, { ctr: 1n }],
  ['both', 'bdnzf 2,.+8', { ctr: 1n }, { ctr: 0n }],
  ['both', 'bdzf 2,.+8', { ctr: 1n }, { ctr: 0n, pc: 0x1008n }],
  ['both', 'bc 20,0,.+8', { ctr: 5n }, { pc: 0x1008n }],
  // LK sets LR whether or not the branch is taken; bcl 20,31,$+4 reads the pc
  ['both', 'bcl 20,31,$+4', {}, { lr: 0x1004n }],
  ['both', 'beql .+8', {}, { lr: 0x1004n }],
  ['both', { op: 'bca', bo: 20, bi: 0, bd: 0x40 }, {}, { pc: 0x40n }],
  ['both', { op: 'bcla', bo: 12, bi: 2, bd: 0x40 }, { cr: 0x20000000n }, { pc: 0x40n, lr: 0x1004n }],
  // through LR (the low two bits ignored) and CTR
  ['both', 'blr', { lr: 0x2003n }, { pc: 0x2000n }],
  [64, 'blr', { lr: 0x1_0000_2000n }, { pc: 0x1_0000_2000n }],
  ['both', 'blrl', { lr: 0x2000n }, { pc: 0x2000n, lr: 0x1004n }],
  ['both', 'beqlr', { lr: 0x2000n }, {}],
  ['both', 'bdnzlr', { lr: 0x2000n, ctr: 3n }, { ctr: 2n, pc: 0x2000n }],
  ['both', 'bctr', { ctr: 0x3001n }, { pc: 0x3000n }],
  ['both', 'bctrl', { ctr: 0x3000n, lr: 8n }, { pc: 0x3000n, lr: 0x1004n }],
  ['both', 'bnectr 1', { ctr: 0x3000n, cr: 0x02000000n }, {}],
  ['both', 'bgtctr 1', { ctr: 0x3000n, cr: 0x04000000n }, { pc: 0x3000n }],
  // bcctr that would decrement CTR: an invalid form
  ['both', { op: 'bcctr', bo: 16, bi: 0, bh: 0 }, { ctr: 0x3000n }, STAY, { out: UNDEFINED }],
  ['both', { op: 'bcctrl', bo: 0, bi: 0, bh: 0 }, { ctr: 0x3000n }, STAY, { out: UNDEFINED }],
];

/** At DATA: the bytes 80 01 02 03 84 05 06 07. */
const M = { mem: [0x80, 0x01, 0x02, 0x03, 0x84, 0x05, 0x06, 0x07] } as const;

const MEMORY_CASES: readonly Case[] = [
  [32, 'lwz 3,0(4)', { r4: DATA }, { r3: 0x80010203n }, M],
  [64, 'lwz 3,0(4)', { r4: DATA }, { r3: 0x03020180n }, M],
  [32, 'lhz 3,0(4)', { r4: DATA }, { r3: 0x8001n }, M],
  [64, 'lhz 3,0(4)', { r4: DATA }, { r3: 0x0180n }, M],
  [32, 'lha 3,0(4)', { r4: DATA }, { r3: 0xffff8001n }, M],
  [64, 'lha 3,3(4)', { r4: DATA }, { r3: 0xffffffffffff8403n }, M],
  ['both', 'lbz 3,4(4)', { r4: DATA }, { r3: 0x84n }, M],
  [32, 'lwz 3,0x2000(0)', { r0: 0x100n }, { r3: 0x80010203n }, M],
  [32, 'lwzu 3,4(4)', { r4: DATA }, { r3: 0x84050607n, r4: DATA + 4n }, M],
  [64, 'lbzu 3,1(4)', { r4: DATA }, { r3: 1n, r4: DATA + 1n }, M],
  [32, 'lhzu 3,-2(4)', { r4: DATA + 6n }, { r3: 0x8405n, r4: DATA + 4n }, M],
  [32, 'lhau 3,4(4)', { r4: DATA }, { r3: 0xffff8405n, r4: DATA + 4n }, M],
  [64, 'ld 3,0(4)', { r4: DATA }, { r3: 0x0706058403020180n }, M],
  [64, 'ldu 3,8(4)', { r4: DATA - 8n }, { r3: 0x0706058403020180n, r4: DATA }, M],
  [64, 'lwa 3,0(4)', { r4: DATA + 1n }, { r3: 0xffffffff84030201n }, M],
  [64, 'lwa 3,0(4)', { r4: DATA }, { r3: 0x03020180n }, M],
  // EA wraps at 32 bits on ppc32; on ppc64 the same sum is far above memory
  [32, 'lwz 3,0x4000(4)', { r4: 0xffffe000n }, { r3: 0x80010203n }, M],
  [64, 'lwz 3,0x4000(4)', { r4: 0xffffe000n }, STAY, fault(0x100002000n, 'read', 'unmapped')],
  [32, 'stw 3,0(4)', { r3: 0x11223344n, r4: DATA }, {}, { memAfter: [0x11, 0x22, 0x33, 0x44] }],
  [64, 'stw 3,0(4)', { r3: 0xaa11223344n, r4: DATA }, {}, { memAfter: [0x44, 0x33, 0x22, 0x11, 0] }],
  [32, 'sth 3,2(4)', { r3: 0x11223344n, r4: DATA }, {}, { memAfter: [0, 0, 0x33, 0x44, 0] }],
  [64, 'stb 3,1(4)', { r3: 0x11223344n, r4: DATA }, {}, { memAfter: [0, 0x44, 0] }],
  [64, 'std 3,0(4)', { r3: 0x0102030405060708n, r4: DATA }, {}, { memAfter: [8, 7, 6, 5, 4, 3, 2, 1] }],
  // an update store writes the old RS, then RA = EA (stwu r1,-16(r1) links the frame)
  [32, 'stwu 1,-16(1)', { r1: DATA + 16n }, { r1: DATA }, { memAfter: [0, 0, 0x20, 0x10] }],
  [64, 'stdu 1,-16(1)', { r1: DATA + 16n }, { r1: DATA }, { memAfter: [0x10, 0x20, 0, 0, 0, 0, 0, 0] }],
  [32, 'stbu 3,1(4)', { r3: 0xabn, r4: DATA }, { r4: DATA + 1n }, { memAfter: [0, 0xab, 0] }],
  [64, 'sthu 3,2(4)', { r3: 0xabcdn, r4: DATA }, { r4: DATA + 2n }, { memAfter: [0, 0, 0xcd, 0xab, 0] }],
  // faults change nothing, not even RA of an update form
  ['both', 'stw 3,0(4)', { r4: PC0 }, STAY, fault(PC0, 'write', 'not-writable')],
  ['both', 'lwzu 3,0(4)', { r4: 0x9000n }, STAY, fault(0x9000n, 'read', 'unmapped')],
  [64, 'stdu 3,-8(4)', { r4: 0x9008n }, STAY, fault(0x9000n, 'write', 'unmapped')],
  // invalid and 64-bit-only forms are illegal instructions
  [32, { op: 'ld', rt: 3, ra: 4, ds: 0 }, { r4: DATA }, STAY, { out: UNDEFINED }],
  [32, { op: 'std', rs: 3, ra: 4, ds: 0 }, { r4: DATA }, STAY, { out: UNDEFINED }],
  [32, { op: 'lwa', rt: 3, ra: 4, ds: 0 }, { r4: DATA }, STAY, { out: UNDEFINED }],
  ['both', { op: 'lwzu', rt: 4, ra: 4, d: 0 }, { r4: DATA }, STAY, { out: UNDEFINED }],
  ['both', { op: 'lwzu', rt: 3, ra: 0, d: 0x2000 }, {}, STAY, { out: UNDEFINED }],
  ['both', { op: 'stwu', rs: 3, ra: 0, d: 0x2000 }, {}, STAY, { out: UNDEFINED }],
];

const SYSTEM_CASES: readonly Case[] = [
  ['both', 'mtctr 3', { r3: 5n }, { ctr: 5n }],
  ['both', 'mfctr 3', { ctr: 6n }, { r3: 6n }],
  [64, 'mtlr 3', { r3: 0x1_0000_0004n }, { lr: 0x1_0000_0004n }],
  ['both', 'mflr 3', { lr: 8n }, { r3: 8n }],
  // XER keeps SO, OV, CA and the byte count; OV32 and CA32 only on ppc64 (ISA 3.0); the rest reads 0
  [32, 'mtxer 3', { r3: 0xffffffffn }, { xer: 0xe000007fn }],
  [64, 'mtxer 3', { r3: 0xffffffffffffffffn }, { xer: 0xe00c007fn }],
  ['both', 'mfxer 3', { xer: 0x20000000n }, { r3: 0x20000000n }],
  ['both', 'mtspr 272,3', { r3: 1n }, STAY, { out: UNDEFINED }],
  ['both', 'mfspr 3,287', {}, STAY, { out: UNDEFINED }],
  ['both', 'sync', {}, {}, { out: { kind: 'barrier', what: 'hwsync' } }],
  ['both', 'lwsync', {}, {}, { out: { kind: 'barrier', what: 'lwsync' } }],
  [64, 'ptesync', {}, {}, { out: { kind: 'barrier', what: 'ptesync' } }],
  ['both', 'isync', {}, {}, { out: { kind: 'sync', what: 'context-sync' } }],
  ['both', 'dcbst 0,3', { r3: PC0 }, {}, { out: { kind: 'cache', op: 'clean', address: PC0 } }],
  ['both', 'dcbf 4,3', { r4: DATA, r3: 8n }, {}, { out: { kind: 'cache', op: 'clean', address: DATA + 8n } }],
  ['both', 'icbi 4,3', { r4: 0x1000n, r3: 0x10n }, {}, { out: { kind: 'cache', op: 'invalidate-icache', address: 0x1010n } }],
  [32, 'icbi 4,3', { r4: 0xfffff000n, r3: 0x2000n }, {}, { out: { kind: 'cache', op: 'invalidate-icache', address: 0x1000n } }],
  ['both', 'dcbst 0,3', { r3: 0x9000n }, STAY, fault(0x9000n, 'read', 'unmapped')],
  // traps: TO 16 <, 8 >, 4 =, 2 <u, 1 >u, on the low words; a trap that holds stays on the instruction
  ['both', 'tweq 3,4', { r3: 5n, r4: 5n }, STAY, breakpoint(4)],
  ['both', 'tweq 3,4', { r3: 5n, r4: 6n }, {}],
  ['both', 'trap', {}, STAY, breakpoint(31)],
  ['both', 'twlti 3,0', { r3: 0xffffffffn }, STAY, breakpoint(16)],
  ['both', 'twllt 3,4', { r3: 0xffffffffn, r4: 1n }, {}],
  ['both', 'twlgt 3,4', { r3: 0xffffffffn, r4: 1n }, STAY, breakpoint(1)],
  [64, 'tweq 3,4', { r3: 0x1_00000000n, r4: 0n }, STAY, breakpoint(4)],
  [64, 'twgti 3,-1', { r3: 0n }, STAY, breakpoint(8)],
  ['both', 'twge 3,4', { r3: 1n, r4: 2n }, {}],
  // the system call interrupt is taken after sc
  ['both', 'sc', {}, {}, { out: { kind: 'trap', trap: 'syscall', code: 0 } }],
  [64, 'sc 1', {}, {}, { out: { kind: 'trap', trap: 'syscall', code: 1 } }],
];

/** The kernel's instructions (issue 11 item 3): rotate-and-mask, multiplies, CR and MSR moves, td. */
const KERNEL_CASES: readonly Case[] = [
  ['both', 'slwi 3,4,4', { r4: 0x8000_0001n }, { r3: 0x10n }],
  ['both', 'srwi 3,4,4', { r4: 0x8000_0001n }, { r3: 0x0800_0000n }],
  [64, 'clrrwi. 3,4,12', { r4: 0x8000_1234n }, { r3: 0x8000_1000n, cr: 0x4000_0000n }],
  [32, 'clrrwi. 3,4,12', { r4: 0x8000_1234n }, { r3: 0x8000_1000n, cr: 0x8000_0000n }],
  // mb > me: the mask wraps, and in ppc64 keeps the high word of the doubled rotation
  [64, 'rlwinm 3,4,8,28,3', { r4: 0x1234_5678n }, { r3: 0x3456_7812_3000_0002n }],
  [32, 'rlwinm 3,4,8,28,3', { r4: 0x1234_5678n }, { r3: 0x3000_0002n }],
  ['both', 'rlwimi 3,4,4,24,27', { r3: 0xffff_ffffn, r4: 0x5n }, { r3: 0xffff_ff5fn }],
  ['both', 'rotlw 3,4,5', { r4: 0x8000_0000n, r5: 33n }, { r3: 1n }],
  ['both', 'rlwnm. 3,4,5,31,31', { r4: 2n, r5: 31n }, { r3: 1n, cr: 0x4000_0000n }],
  [64, 'sldi 3,4,8', { r4: 0x0123_4567_89ab_cdefn }, { r3: 0x2345_6789_abcd_ef00n }],
  [64, 'srdi 3,4,8', { r4: 0x0123_4567_89ab_cdefn }, { r3: 0x0001_2345_6789_abcdn }],
  [64, 'clrrdi 3,4,12', { r4: 0xffffn }, { r3: 0xf000n }],
  [64, 'clrldi. 3,4,32', { r4: 0xffff_ffff_0000_0000n }, { r3: 0n, cr: 0x2000_0000n }],
  [64, 'rldic 3,4,4,56', { r4: 0xffn }, { r3: 0xf0n }],
  [64, 'rldimi 3,4,32,0', { r3: 0x1111_1111_2222_2222n, r4: 0x3333_3333n }, { r3: 0x3333_3333_2222_2222n }],
  [64, 'rotld 3,4,5', { r4: 0x8000_0000_0000_0000n, r5: 65n }, { r3: 1n }],
  [64, 'mulli 3,4,-3', { r4: 5n }, { r3: 0xffff_ffff_ffff_fff1n }],
  [32, 'mulli 3,4,-3', { r4: 5n }, { r3: 0xffff_fff1n }],
  [32, 'mullw 3,4,5', { r4: 0x1_0000n, r5: 0x1_0000n }, { r3: 0n }],
  [64, 'mullw 3,4,5', { r4: 0x1_0000n, r5: 0x1_0000n }, { r3: 0x1_0000_0000n }],
  ['both', 'rlwimi. 3,4,0,0,31', { r3: 1n, r4: 0n }, { r3: 0n, cr: 0x2000_0000n }],
  [64, 'rldicr. 3,4,0,0', { r4: 0x8000_0000_0000_0001n }, { r3: 0x8000_0000_0000_0000n, cr: 0x8000_0000n }],
  [64, 'rldic. 3,4,0,63', { r4: 3n }, { r3: 1n, cr: 0x4000_0000n }],
  [64, 'rldimi. 3,4,0,0', { r3: 1n, r4: 2n }, { r3: 2n, cr: 0x4000_0000n }],
  [64, 'rldcl. 3,4,5,63', { r4: 2n, r5: 63n }, { r3: 1n, cr: 0x4000_0000n }],
  // rldcr: rotate by RB's low 6 bits, keep bits 0..me
  [64, 'rldcr 3,4,5,7', { r4: 0x0123_4567_89ab_cdefn, r5: 0xffff_ff08n }, { r3: 0x2300_0000_0000_0000n }],
  [64, 'rldcr. 3,4,5,63', { r4: 0x8000_0000_0000_0001n, r5: 1n }, { r3: 3n, cr: 0x4000_0000n }],
  // in ppc32 a 64-bit-only instruction is illegal (GNU -a32 does not assemble it: given decoded)
  [32, { op: 'rldcr', ra: 3, rs: 4, rb: 5, me6: 7 }, { r4: 1n }, STAY, { out: UNDEFINED }],
  ['both', 'mulhw. 3,4,5', { r4: 0x4000_0000n, r5: 4n }, { r3: 1n, cr: 0x4000_0000n }],
  ['both', 'mulhwu 3,4,5', { r4: 0xffff_ffffn, r5: 0xffff_ffffn }, { r3: 0xffff_fffen }],
  [64, 'mulld. 3,4,5', { r4: 3n, r5: 0n }, { r3: 0n, cr: 0x2000_0000n }],
  [64, 'mulhd. 3,4,5', { r4: 1n, r5: 1n }, { r3: 0n, cr: 0x2000_0000n }],
  [64, 'mulhdu 3,4,5', { r4: 0x8000_0000_0000_0000n, r5: 4n }, { r3: 2n }],
  [64, 'mullw. 3,4,5', { r4: 0xffff_ffffn, r5: 2n }, { r3: 0xffff_ffff_ffff_fffen, cr: 0x8000_0000n }],
  [32, 'mullw. 3,4,5', { r4: 0xffff_ffffn, r5: 2n }, { r3: 0xffff_fffen, cr: 0x8000_0000n }],
  ['both', 'mulhw 3,4,5', { r4: 0xffff_ffffn, r5: 2n }, { r3: 0xffff_ffffn }],
  ['both', 'mulhwu. 3,4,5', { r4: 0xffff_ffffn, r5: 2n }, { r3: 1n, cr: 0x4000_0000n }],
  [64, 'mulld 3,4,5', { r4: 0x1_0000_0000n, r5: 0x1_0000_0001n }, { r3: 0x1_0000_0000n }],
  [64, 'mulhd 3,4,5', { r4: 0xffff_ffff_ffff_ffffn, r5: 5n }, { r3: 0xffff_ffff_ffff_ffffn }],
  [64, 'mulhdu. 3,4,5', { r4: 0xffff_ffff_ffff_ffffn, r5: 5n }, { r3: 4n, cr: 0x4000_0000n }],
  // mullwo/mulldo: OV when the signed product does not fit, SO sticky; ppc64 (ISA 3.0) sets OV32 with OV
  [32, 'mullwo 3,4,5', { r4: 0x1_0000n, r5: 0x1_0000n }, { r3: 0n, xer: 0xc000_0000n }],
  [64, 'mullwo 3,4,5', { r4: 0x1_0000n, r5: 0x1_0000n }, { r3: 0x1_0000_0000n, xer: 0xc008_0000n }],
  [32, 'mullwo. 3,4,5', { r4: 0x8000_0000n, r5: 0xffff_ffffn, xer: 0x4000_0000n }, { r3: 0x8000_0000n, xer: 0xc000_0000n, cr: 0x9000_0000n }],
  [64, 'mullwo. 3,4,5', { r4: 0x8000_0000n, r5: 0xffff_ffffn, xer: 0x4000_0000n }, { r3: 0x8000_0000n, xer: 0xc008_0000n, cr: 0x5000_0000n }],
  ['both', 'mullwo 3,4,5', { r4: 0xffff_ffffn, r5: 0xffff_ffffn, xer: 0xc000_0000n }, { r3: 1n, xer: 0x8000_0000n }],
  [64, 'mulldo. 3,4,5', { r4: 0x1_0000_0000n, r5: 0x1_0000_0000n }, { r3: 0n, xer: 0xc008_0000n, cr: 0x3000_0000n }],
  [64, 'mulldo 3,4,5', { r4: 0x8000_0000n, r5: 0x8000_0000n, xer: 0x4008_0000n }, { r3: 0x4000_0000_0000_0000n, xer: 0n }],
  [32, { op: 'mulldo', rt: 3, ra: 4, rb: 5 }, {}, STAY, { out: UNDEFINED }],
  ['both', 'mfcr 3', { cr: 0x1234_5678n }, { r3: 0x1234_5678n }],
  ['both', 'mtcrf 0x81,3', { cr: 0x1234_5678n, r3: 0xabcd_ef09n }, { cr: 0xa234_5679n }],
  ['both', 'mtcr 3', { r3: 0xabcd_ef09n }, { cr: 0xabcd_ef09n }],
  ['both', 'mtocrf 0x40,3', { cr: 0x1234_5678n, r3: 0xabcd_ef09n }, { cr: 0x1b34_5678n }],
  ['both', 'mfocrf 3,0x40', { cr: 0x1234_5678n }, { r3: 0x0200_0000n }],
  ['both', 'mfmsr 3', {}, { r3: 0x8000n }],
  ['both', 'mtmsr 3', { r3: 0n }, {}, { irq: false }],
  [64, 'mtmsrd 3,1', { r3: 0x8000n }, {}, { irq: true }],
  [64, 'tdne 3,4', { r3: 0x1_0000_0000n, r4: 0n }, STAY, breakpoint(24)],
  [64, 'tdlgti 3,-1', { r3: 1n }, {}],
  [64, 'tdi 16,3,0', { r3: 0xffff_ffff_ffff_ffffn }, STAY, breakpoint(16)],
];

describe('ppc arithmetic, logic and compares', () => cases(ALU_CASES));
describe('ppc branches', () => cases(BRANCH_CASES));
describe('ppc loads and stores', () => cases(MEMORY_CASES));
describe('ppc SPRs, barriers, cache maintenance, traps', () => cases(SYSTEM_CASES));
describe('ppc kernel instructions: rotate and mask, multiplies, CR and MSR, td', () => cases(KERNEL_CASES));

describe('ppc coverage', () => {
  it('runs every table entry in some case (the adder\'s in execute-add.test.ts, which checks it runs each)', () => {
    const ran = new Set<PpcOp>(ADDER_OPS);
    for (const c of [...ALU_CASES, ...BRANCH_CASES, ...MEMORY_CASES, ...SYSTEM_CASES, ...KERNEL_CASES]) {
      for (const bits of c[0] === 'both' ? ([32, 64] as const) : [c[0]]) ran.add(instruction(bits, c[1]).op);
    }
    expect(Object.keys(PPC_TABLE).filter((op) => !ran.has(op as PpcOp))).toEqual([]);
  });
});

describe('ppc classify', () => {
  it.each([
    ['b .+8', 'direct', false], ['bl .+8', 'direct', true], ['bla 0x100', 'direct', true], ['beq .+8', 'direct', false],
    ['bdnzl .+8', 'direct', true], ['bcl 20,31,$+4', 'direct', false], ['blr', 'return', false], ['beqlr', 'return', false],
    ['blrl', 'indirect', true], ['bctr', 'indirect', false], ['bctrl', 'indirect', true], ['addi 3,3,1', 'none', false],
    ['sc', 'none', false],
  ] as const)('%s is %s, call %s', (src, branch, call) => {
    expect(classifyPpc(instruction(64, src))).toEqual({ branch, call });
  });
});
