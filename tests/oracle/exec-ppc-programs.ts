// Programs for the ppc interpreter's comparison with qemu: hand-written ones, and random straight-line ones.
//
// Every program is a function with a global label, called once per argument list. Results never depend
// on load addresses: they are computed values, loaded values, or pc-relative differences. A program
// whose memory a call changes is called once, so the order qemu runs the calls in does not matter.

import fc from 'fast-check';
import type { QemuCall } from '../support/qemu.js';

export type PpcMode = 32 | 64;

export interface Program {
  readonly source: string;
  readonly calls: readonly QemuCall[];
}

/** Word-size spellings: the load/store of a register, and the frame offsets of each ABI. */
function words(mode: PpcMode) {
  return mode === 32
    ? { l: 'lwz', st: 'stw', stu: 'stwu', size: 4, lrSave: 4, frame: 32 }
    : { l: 'ld', st: 'std', stu: 'stdu', size: 8, lrSave: 16, frame: 48 };
}

/** r3 = (((r3·2 + ra)·2 + rb)·2 + …): every register weighs in, so a wrong one changes the sum. */
export function fold(regs: readonly number[]): string[] {
  return regs.flatMap((r) => ['\tadd 3,3,3', `\tadd 3,3,${r}`]);
}

const EDGE_ARGS = [0n, 1n, -1n, 0x7fffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, -0x8000000000000000n, 0x0123456789abcdefn];

function calls(entry: string, argLists: readonly (readonly bigint[])[]): QemuCall[] {
  return argLists.map((args) => ({ entry, args }));
}

/** Straight-line arithmetic and logic over two arguments, with every immediate form. */
function arithmetic(): Program {
  const source = [
    '\t.globl fx_arith', 'fx_arith:',
    '\tadd 5,3,4', '\tsubf 6,4,3', '\tneg 7,5', '\taddi 8,6,-1234', '\taddis 9,7,0x7fff', '\tori 10,9,0xbeef',
    '\toris 11,10,0x8001', '\txori 12,11,0x5555', '\txoris 0,12,0xaaaa', '\tandi. 5,0,0xf0f0', '\tandis. 6,0,0xff00',
    '\tsub 7,3,4', '\tor 8,5,6', '\tmr 9,8', '\tneg. 10,9', '\tadd. 11,10,3', '\tsubf. 12,11,4', '\tor. 0,12,7',
    '\tli 4,-1', '\tlis 3,0x8000', '\taddi 3,3,1', '\taddi 4,0,7', '\taddis 4,4,-1',
    ...fold([5, 6, 7, 8, 9, 10, 11, 12, 0, 4]), '\tblr',
  ].join('\n');
  const pairs = EDGE_ARGS.flatMap((a, i) => [[a, EDGE_ARGS[(i * 5 + 3) % EDGE_ARGS.length]], [a, a]]);
  return { source, calls: calls('fx_arith', pairs) };
}

/** Stores of each width, loads back with sign and zero extension, update forms; the values show the byte order. */
function memory(mode: PpcMode): Program {
  const w = words(mode);
  // With r9 at fx_mem_data+8: the preset words are at 16(r9) on; the last load reads what stdu/stwu wrote.
  const wide = mode === 64
    ? ['\tstd 4,16(9)', '\tld 0,16(9)', '\tlwa 3,20(9)', '\tldu 4,24(9)', '\tstdu 0,8(9)', '\tld 8,-8(9)', '\tlwa 7,4(9)']
    : ['\tlwz 0,16(9)', '\tlwz 3,20(9)', '\tlwzu 4,24(9)', '\tstwu 0,8(9)', '\tlwz 8,-8(9)', '\tlwz 7,4(9)'];
  const source = [
    '\t.globl fx_mem', 'fx_mem:',
    '\tlis 9,fx_mem_data@ha', '\taddi 9,9,fx_mem_data@l',
    '\tstw 3,0(9)', '\tsth 4,4(9)', '\tstb 3,7(9)', '\tstb 4,6(9)',
    '\tlwz 5,0(9)', '\tlha 6,4(9)', '\tlhz 7,4(9)', '\tlbz 8,7(9)', '\tlbz 10,1(9)', '\tlhz 11,2(9)',
    // r12 and r9 hold addresses: only their difference from the start is folded
    '\taddi 12,9,16', '\tlwzu 0,16(12)', '\tsubf 12,9,12', '\tlhau 3,2(9)', '\tlbzu 4,3(9)', '\tstbu 3,-5(9)', '\tsthu 4,2(9)',
    '\tstwu 5,6(9)', '\tlwz 3,-8(9)', '\tadd 5,5,3',
    ...wide, `\t${w.l} 3,-8(9)`,
    ...fold([5, 6, 7, 8, 10, 11, 12, 0, 4]), '\tblr',
    '\t.data', '\t.p2align 3', 'fx_mem_data:', '\t.long 0,0,0,0',
    '\t.long 0x89abcdef,0x01234567,0xfedcba98,0x80000001,0x7ffe8001,0x00ff00ff,0xa5a5a5a5,0x5a5a5a5a',
    '\t.text',
  ].join('\n');
  return { source, calls: calls('fx_mem', [[0x11223344n, 0x8899aabbn]]) };
}

/** Loops: counted with bdnz, and compare-and-branch; a conditional return. */
function loops(): Program {
  const source = [
    '\t.globl fx_sum_to', 'fx_sum_to:', '\tmr. 4,3', '\tli 5,0', '\tbeq 2f', '\tmtctr 3',
    '1:\tadd 5,5,4', '\taddi 4,4,-1', '\tbdnz 1b', '2:\tmr 3,5', '\tblr',
    '\t.globl fx_fib', 'fx_fib:', '\tli 4,0', '\tli 5,1',
    '1:\tcmpwi 7,3,0', '\tble 7,2f', '\tadd 6,4,5', '\tmr 4,5', '\tmr 5,6', '\taddi 3,3,-1', '\tb 1b', '2:\tmr 3,4', '\tblr',
    '\t.globl fx_min', 'fx_min:', '\tcmpw 3,4', '\tbltlr', '\tmr 3,4', '\tblr',
    '\t.globl fx_minu', 'fx_minu:', '\tcmplw 6,3,4', '\tbltlr 6', '\tmr 3,4', '\tblr',
  ].join('\n');
  return {
    source,
    calls: [
      ...calls('fx_sum_to', [[0n], [1n], [10n], [1000n]]),
      ...calls('fx_fib', [[0n], [1n], [2n], [50n], [100n]]),
      ...calls('fx_min', [[3n, 5n], [5n, 3n], [-1n, 1n], [0x80000000n, 1n]]),
      ...calls('fx_minu', [[3n, 5n], [5n, 3n], [-1n, 1n], [0x80000000n, 1n]]),
    ],
  };
}

/** Every CR field and condition, the CTR-and-CR forms, record forms' CR0, and a branch through CTR. */
function conditions(mode: PpcMode): Program {
  // r5 collects one bit per test, oldest first: shift left, then add 1 unless the branch skips it.
  const test = (branchIfNot: string) => ['\tadd 5,5,5', `\t${branchIfNot.includes(' ') ? branchIfNot + ',' : branchIfNot + ' '}1f`, '\taddi 5,5,1', '1:'];
  const source = [
    '\t.globl fx_flags', 'fx_flags:', '\tli 5,0',
    '\tcmpw cr1,3,4', ...test('bge cr1'), ...test('ble cr1'), ...test('bne cr1'),
    '\tcmplw cr6,3,4', ...test('bge cr6'), ...test('ble cr6'), ...test('bne cr6'),
    '\tcmpwi cr7,3,-1', ...test('bne cr7'), ...test('bgt cr7'),
    '\tcmplwi cr2,4,0x8000', ...test('ble cr2'), ...test('bge cr2'),
    ...(mode === 64 ? ['\tcmpd cr3,3,4', ...test('bge cr3'), '\tcmpld cr4,3,4', ...test('ble cr4'), '\tcmpdi cr0,3,0', ...test('bne')] : []),
    '\tadd. 6,3,4', ...test('bge'), ...test('ble'), ...test('bne'), ...test('bso'),
    '\tli 6,2', '\tmtctr 6', '\tcmpw 3,4', ...test('bdnzt eq'), ...test('bdzf eq'), ...test('bdz'),
    ...test('bc 12,2'), ...test('bc 4,1'), ...test('bc 20,0'),
    '\tlis 9,2f@ha', '\taddi 9,9,2f@l', '\tmtctr 9', '\tcmpw cr5,3,4', '\tadd 5,5,5', '\tbgtctr cr5', '\taddi 5,5,1', '2:', '\tmr 3,5', '\tblr',
  ].join('\n');
  const pairs = EDGE_ARGS.flatMap((a, i) => [[a, EDGE_ARGS[(i * 7 + 1) % EDGE_ARGS.length]], [a, a], [a, 0n]]);
  return { source, calls: calls('fx_flags', pairs) };
}

/** Calls with a stack frame: bl and bctrl to a leaf, a saved non-volatile register, and recursion. */
function callsAndReturns(mode: PpcMode): Program {
  const w = words(mode);
  const after = mode === 64 ? ['\tnop'] : [];
  const prologue = ['\tmflr 0', `\t${w.st} 0,${w.lrSave}(1)`, `\t${w.stu} 1,-${w.frame}(1)`];
  const epilogue = [`\taddi 1,1,${w.frame}`, `\t${w.l} 0,${w.lrSave}(1)`, '\tmtlr 0', '\tblr'];
  const source = [
    '\t.globl fx_g', 'fx_g:', '\tadd 4,3,3', '\tadd 3,4,3', '\taddi 3,3,7', '\tblr',
    '\t.globl fx_call', 'fx_call:', ...prologue, `\t${w.st} 31,${w.frame - w.size}(1)`, '\tmr 31,3',
    '\tbl fx_g', ...after, `\t${w.st} 3,${w.frame - 2 * w.size}(1)`, '\taddi 3,31,1',
    '\tlis 12,fx_g@ha', '\taddi 12,12,fx_g@l', '\tmtctr 12', '\tbctrl', `\t${w.l} 4,${w.frame - 2 * w.size}(1)`,
    '\tadd 3,3,3', '\tadd 3,3,4', `\t${w.l} 31,${w.frame - w.size}(1)`, ...epilogue,
    '\t.globl fx_rsum', 'fx_rsum:', '\tmr 4,3', '\tli 3,0', '\tcmpwi 4,0', '\tblelr', '\tmr 3,4', ...prologue, `\t${w.st} 3,${w.frame - w.size}(1)`, '\taddi 3,3,-1', '\tbl fx_rsum', ...after,
    `\t${w.l} 4,${w.frame - w.size}(1)`, '\tadd 3,3,4', ...epilogue,
  ].join('\n');
  return { source, calls: [...calls('fx_call', [[5n], [-1n], [0x7fffffffn]]), ...calls('fx_rsum', [[0n], [1n], [30n], [200n]])] };
}

/** lis/addi address building, bcl 20,31,$+4 pc discovery, and (ppc64) a TOC computed from r12 at the global entry. */
function addressing(mode: PpcMode): Program {
  const toc = mode === 64 ? [
    '\t.globl fx_toc', 'fx_toc:', '0:\taddis 2,12,.TOC.-0b@ha', '\taddi 2,2,.TOC.-0b@l',
    '\taddis 9,2,fx_toc_var@toc@ha', '\tld 3,fx_toc_var@toc@l(9)', '\tblr',
  ] : [];
  const source = [
    '\t.globl fx_addr', 'fx_addr:', '\tlis 9,fx_table@ha', '\taddi 9,9,fx_table@l', '\tadd 9,9,3', '\tlwz 3,0(9)', '\tlha 4,2(9)', '\tadd 3,3,4', '\tblr',
    '\t.globl fx_pc', 'fx_pc:', '\tmflr 0', '\tbcl 20,31,$+4', '1:\tmflr 9', '\tnop', '\tbcl 20,31,2f', '2:\tmflr 10', '\tmtlr 0',
    '\tsubf 3,9,10', '\tlwz 4,(fx_pc_word-1b)(9)', '\tadd 3,3,3', '\tadd 3,3,4', '\tblr', 'fx_pc_word:', '\t.long 0x12345678',
    ...toc,
    '\t.section .rodata', '\t.p2align 2', 'fx_table:', '\t.long 0x01020304,0x8badf00d,0xdeadbeef,0x7fff8000',
    '\t.data', '\t.p2align 3', 'fx_toc_var:', '\t.quad 0x0123456789abcdef', '\t.text',
  ].join('\n');
  return { source, calls: [...calls('fx_addr', [[0n], [4n], [8n], [12n]]), ...calls('fx_pc', [[]]), ...(mode === 64 ? calls('fx_toc', [[]]) : [])] };
}

/** What patch_instruction runs, traps that do not hold, and SPR moves: none may change a register it does not name. */
function system(): Program {
  const source = [
    '\t.globl fx_sys', 'fx_sys:', '\tlis 9,fx_sys_data@ha', '\taddi 9,9,fx_sys_data@l', '\tstw 3,0(9)',
    '\tdcbst 0,9', '\tsync', '\ticbi 0,9', '\tsync', '\tisync', '\tlwsync', '\tdcbf 0,9',
    '\ttwi 0,3,0', '\ttweqi 9,0', '\ttw 24,3,3', '\tlwz 3,0(9)',
    '\tmtctr 4', '\tmfctr 5', '\tmflr 11', '\tmtlr 4', '\tmflr 6', '\tmtlr 11',
    '\tlis 7,0x8000', '\tmtxer 7', '\tadd. 8,3,3', '\tmfxer 7', '\tbns 1f', '\taddi 8,8,100', '1:',
    '\tlis 10,0x2000', '\tori 10,10,0x7f', '\tmtxer 10', '\tmfxer 10', '\tli 0,0', '\tmtxer 0', '\tmfxer 0',
    ...fold([4, 5, 6, 7, 8, 10, 0]), '\tblr',
    '\t.data', '\t.p2align 2', 'fx_sys_data:', '\t.long 0', '\t.text',
  ].join('\n');
  return { source, calls: calls('fx_sys', [[0x5a5a1234n, 0xabcdn]]) };
}

/**
 * Carries and overflow as the kernel's checksum and multiword code uses them: a two-word add and subtract
 * (addc/adde/addze, subfc/subfe/subfze), addic/subfic/subic, addme/subfme, and the `o` forms with SO
 * observed through a record form's CR0 (only CR0: the callers' other fields differ between the two
 * harnesses) and through XER itself. qemu runs every call in one process, so XER is cleared first.
 */
function carries(mode: PpcMode): Program {
  const xer = (r: number) => [`\tmfxer ${r}`, '\tli 9,0', '\tmtxer 9'];
  const source = [
    '\t.globl fx_carry', 'fx_carry:', '\tli 9,0', '\tmtxer 9',
    '\taddc 7,3,5', '\tadde 8,4,6', '\taddze 10,8', ...xer(11),
    '\tsubfc 12,5,3', '\tsubfe 0,6,4', '\tsubfze 5,0', '\tsubfme 6,12', ...xer(4),
    '\taddic 3,3,-1', '\taddme 3,3', '\tsubfic 9,3,7', '\tsubic. 9,9,1', '\taddze 9,9', '\tmfxer 3',
    ...fold([7, 8, 10, 11, 12, 0, 5, 6, 4, 9]), '\tblr',
    '\t.globl fx_overflow', 'fx_overflow:', '\tli 9,0', '\tmtxer 9', '\tli 10,0',
    '\taddo 5,3,4', ...xer(6), '\tsubfo. 7,3,4', '\tmfcr 8', '\tsrwi 8,8,28', ...xer(11), '\tnego 12,3', '\tmullwo. 0,3,4', '\tmfcr 4', '\tsrwi 4,4,28',
    ...(mode === 64 ? ['\tmulldo 10,3,5', '\tmulldo. 10,10,3'] : []), '\tbns 1f', '\taddi 10,10,1', '1:',
    '\taddco 3,3,3', '\taddeo 3,3,12', '\taddmeo. 3,3', '\tmfxer 9',
    ...fold([5, 6, 7, 8, 11, 12, 0, 4, 10, 9]), '\tblr',
  ].join('\n');
  const quads = EDGE_ARGS.flatMap((a, i) => [
    [a, EDGE_ARGS[(i * 5 + 3) % EDGE_ARGS.length], EDGE_ARGS[(i * 7 + 1) % EDGE_ARGS.length], EDGE_ARGS[(i + 4) % EDGE_ARGS.length]],
    [a, a, a, a], [a, -1n, 1n, a],
  ]);
  return { source, calls: [...calls('fx_carry', quads), ...calls('fx_overflow', quads)] };
}

export function fixedPrograms(mode: PpcMode): Program[] {
  return [arithmetic(), memory(mode), loops(), conditions(mode), callsAndReturns(mode), addressing(mode), system(), carries(mode)];
}

// --- random straight-line programs -------------------------------------------------------------

/** Registers the random programs compute in; r10 points into the program's data area, r9 is scratch, r11 keeps LR. */
const DATA_REGS = [3, 4, 5, 6, 7, 8] as const;
/** The data area is 128 bytes; r10 points at its middle, and offsets stay in [−64, 64). */
const AREA = 128;

const reg = fc.constantFrom(...DATA_REGS);
const si = fc.oneof(fc.constantFrom(0, 1, -1, 2, 0x7fff, -0x8000, 0x4000), fc.integer({ min: -0x8000, max: 0x7fff }));
const ui = fc.oneof(fc.constantFrom(0, 1, 0xffff, 0x8000, 0x7fff, 0xff00), fc.integer({ min: 0, max: 0xffff }));
const word64 = fc.oneof(fc.constantFrom(...EDGE_ARGS), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }));
const CONDITIONS = ['lt', 'gt', 'eq', 'ge', 'le', 'ne', 'so', 'ns'] as const;

const line = (...parts: (string | number)[]) => '\t' + parts.join('');

/** A displacement for an access of `size` bytes, naturally aligned, inside the area. */
const offset = (size: number) => fc.integer({ min: -64 / size, max: 64 / size - 1 }).map((k) => k * size);

function aluOps(mode: PpcMode): fc.Arbitrary<string[]>[] {
  const reg0 = fc.oneof(reg, fc.constant(0));
  const three = ['or', 'or.', 'add', 'add.', 'subf', 'subf.', 'sub'] as const;
  const compares = mode === 64 ? ['cmpw', 'cmplw', 'cmpd', 'cmpld'] : ['cmpw', 'cmplw'];
  const skip = (rt: number, imm: number) => [line('addi ', rt, ',', rt, ',', imm), '1:'];
  return [
    fc.tuple(fc.constantFrom('addi', 'addis'), reg, reg0, si).map(([op, rt, ra, v]) => [line(op, ' ', rt, ',', ra, ',', v)]),
    fc.tuple(fc.constantFrom('li', 'lis'), reg, si).map(([op, rt, v]) => [line(op, ' ', rt, ',', v)]),
    fc.tuple(fc.constantFrom('ori', 'oris', 'xori', 'xoris', 'andi.', 'andis.'), reg, reg, ui).map(([op, ra, rs, v]) => [line(op, ' ', ra, ',', rs, ',', v)]),
    fc.tuple(fc.constantFrom(...three), reg, reg, reg).map(([op, a, b, c]) => [line(op, ' ', a, ',', b, ',', c)]),
    fc.tuple(fc.constantFrom('neg', 'neg.', 'mr', 'mr.'), reg, reg).map(([op, a, b]) => [line(op, ' ', a, ',', b)]),
    fc.constant(['\tnop']),
    // a compare into a random CR field, observed by a branch that skips an addi
    fc.tuple(fc.constantFrom(...compares), fc.integer({ min: 0, max: 7 }), reg, reg, fc.constantFrom(...CONDITIONS), reg, si)
      .map(([op, f, a, b, cond, rt, v]) => [line(op, ' cr', f, ',', a, ',', b), line('b', cond, ' cr', f, ',1f'), ...skip(rt, v)]),
    fc.tuple(fc.constantFrom(...(mode === 64 ? ['cmpwi', 'cmpdi'] : ['cmpwi'])), fc.integer({ min: 0, max: 7 }), reg, si, fc.constantFrom(...CONDITIONS), reg, si)
      .map(([op, f, a, v, cond, rt, w]) => [line(op, ' cr', f, ',', a, ',', v), line('b', cond, ' cr', f, ',1f'), ...skip(rt, w)]),
    fc.tuple(fc.constantFrom(...(mode === 64 ? ['cmplwi', 'cmpldi'] : ['cmplwi'])), fc.integer({ min: 0, max: 7 }), reg, ui, fc.constantFrom(...CONDITIONS), reg, si)
      .map(([op, f, a, v, cond, rt, w]) => [line(op, ' cr', f, ',', a, ',', v), line('b', cond, ' cr', f, ',1f'), ...skip(rt, w)]),
    // a record form's CR0, observed the same way
    fc.tuple(fc.constantFrom('add.', 'subf.', 'or.', 'neg.'), reg, reg, reg, fc.constantFrom(...CONDITIONS), reg, si)
      .map(([op, a, b, c, cond, rt, v]) => [line(op, ' ', a, ',', b, op === 'neg.' ? '' : ',' + c), line('b', cond, ' 1f'), ...skip(rt, v)]),
    // moves through CTR and LR (LR is restored from r11 at the end), and a short counted loop
    fc.tuple(fc.constantFrom('ctr', 'lr'), reg, reg).map(([spr, a, b]) => [line('mt', spr, ' ', a), line('mf', spr, ' ', b)]),
    fc.tuple(fc.integer({ min: 1, max: 4 }), reg, reg).map(([n, rt, ra]) => [line('li 9,', n), '\tmtctr 9', `1:\tadd ${rt},${rt},${ra}`, '\tbdnz 1b']),
    // the rotate-and-mask family and its extended mnemonics (issue 11: the kernel's instructions)
    fc.tuple(fc.constantFrom('rlwinm', 'rlwinm.', 'rlwimi', 'rlwimi.'), reg, reg, fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 31 }))
      .map(([op, a, s, sh, mb, me]) => [line(op, ' ', a, ',', s, ',', sh, ',', mb, ',', me)]),
    fc.tuple(fc.constantFrom('rlwnm', 'rlwnm.'), reg, reg, reg, fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 31 }))
      .map(([op, a, s, b, mb, me]) => [line(op, ' ', a, ',', s, ',', b, ',', mb, ',', me)]),
    fc.tuple(fc.constantFrom('slwi', 'srwi', 'clrlwi', 'clrrwi', 'rotlwi', 'rotrwi'), reg, reg, fc.integer({ min: 0, max: 31 }))
      .map(([op, a, s, n]) => [line(op, ' ', a, ',', s, ',', n)]),
    ...(mode === 64 ? [
      fc.tuple(fc.constantFrom('rldicl', 'rldicr', 'rldic', 'rldimi', 'rldicl.'), reg, reg, fc.integer({ min: 0, max: 63 }), fc.integer({ min: 0, max: 63 }))
        .map(([op, a, s, sh, m]) => [line(op, ' ', a, ',', s, ',', sh, ',', m)]),
      fc.tuple(fc.constantFrom('rldcl', 'rldcl.', 'rldcr', 'rldcr.'), reg, reg, reg, fc.integer({ min: 0, max: 63 }))
        .map(([op, a, s, b, m]) => [line(op, ' ', a, ',', s, ',', b, ',', m)]),
      fc.tuple(fc.constantFrom('sldi', 'srdi', 'clrldi', 'clrrdi', 'rotldi'), reg, reg, fc.integer({ min: 0, max: 63 }))
        .map(([op, a, s, n]) => [line(op, ' ', a, ',', s, ',', n)]),
    ] : []),
    // multiplies
    fc.tuple(reg, reg, si).map(([t, a, v]) => [line('mulli ', t, ',', a, ',', v)]),
    fc.tuple(fc.constantFrom('mullw', 'mullw.', 'mullwo', 'mullwo.', 'mulhw', 'mulhwu',
      ...(mode === 64 ? ['mulld', 'mulld.', 'mulldo', 'mulldo.', 'mulhd', 'mulhdu'] : [])), reg, reg, reg)
      .map(([op, t, a, b]) => [line(op, ' ', t, ',', a, ',', b)]),
    ...carryOps(mode),
    // the condition register as a whole: cleared (the callers' CR differs between the two harnesses),
    // some fields set from a register, read back
    fc.tuple(fc.integer({ min: 1, max: 255 }), reg, reg).map(([mask, s, t]) => ['\tli 9,0', '\tmtcrf 0xff,9', line('mtcrf ', mask, ',', s), line('mfcr ', t)]),
  ];
}

/** Each name with its record, `o` and `o.` forms. */
const withForms = (names: readonly string[]) => names.flatMap((n) => [n, `${n}.`, `${n}o`, `${n}o.`]);
const ADDS3 = [...withForms(['add', 'subf', 'addc', 'subfc', 'adde', 'subfe']), 'sub', 'subc.', 'subo', 'subco.'];
const ADDS2 = withForms(['neg', 'addme', 'addze', 'subfme', 'subfze']);

/**
 * The adder's carrying, extended and overflow forms (issue 11 item 3, the rest). XER is cleared at the
 * start of each program and folded into its result at the end; here it is also set to random flags, so
 * carries in and a sticky SO start from either value, and record forms' CR0 (with SO) is observed.
 */
function carryOps(mode: PpcMode): fc.Arbitrary<string[]>[] {
  const imm = fc.tuple(fc.constantFrom('addic', 'addic.', 'subfic'), reg, reg, si).map(([op, t, a, v]) => [line(op, ' ', t, ',', a, ',', v)]);
  const subic = fc.tuple(fc.constantFrom('subic', 'subic.'), reg, reg, fc.integer({ min: -0x7fff, max: 0x8000 }))
    .map(([op, t, a, v]) => [line(op, ' ', t, ',', a, ',', v)]);
  // SO 0x8000, OV 0x4000, CA 0x2000 of XER's high half; on ppc64 (ISA 3.0) also OV32 0x8 and CA32 0x4
  const flags = fc.subarray(mode === 64 ? [0x8000, 0x4000, 0x2000, 0x8, 0x4] : [0x8000, 0x4000, 0x2000]).map((bits) => bits.reduce((a, b) => a | b, 0));
  const records = [...ADDS3, ...ADDS2, 'addic.', 'subic.'].filter((op) => op.endsWith('.'));
  return [
    fc.tuple(fc.constantFrom(...ADDS3), reg, reg, reg).map(([op, t, a, b]) => [line(op, ' ', t, ',', a, ',', b)]),
    fc.tuple(fc.constantFrom(...ADDS2), reg, reg).map(([op, t, a]) => [line(op, ' ', t, ',', a)]),
    imm, subic,
    flags.map((hi) => ['\tli 9,0', line('oris 9,9,', hi), '\tmtxer 9']),
    fc.tuple(fc.constantFrom(...records), reg, reg, reg, si, fc.constantFrom(...CONDITIONS), reg, si).map(([op, t, a, b, v, cond, rt, w]) => {
      // subic takes −0x7fff..0x8000 (it is stored negated)
      const operands = op === 'addic.' ? [t, a, v] : op === 'subic.' ? [t, a, v === -0x8000 ? 0x8000 : v] : ADDS2.includes(op) ? [t, a] : [t, a, b];
      return [line(op, ' ', operands.join(',')), line('b', cond, ' 1f'), line('addi ', rt, ',', rt, ',', w), '1:'];
    }),
  ];
}

function memoryOps(mode: PpcMode): fc.Arbitrary<string[]>[] {
  const loads: [string, number][] = [['lwz', 4], ['lhz', 2], ['lha', 2], ['lbz', 1], ...(mode === 64 ? [['ld', 8], ['lwa', 4]] as [string, number][] : [])];
  const stores: [string, number][] = [['stw', 4], ['sth', 2], ['stb', 1], ...(mode === 64 ? [['std', 8]] as [string, number][] : [])];
  const updates = (list: [string, number][]) => list.filter(([op]) => op !== 'lwa').map(([op, size]) => [op + 'u', size] as [string, number]);
  const plain = (list: [string, number][]) => fc.constantFrom(...list).chain(([op, size]) =>
    fc.tuple(reg, offset(size)).map(([r, d]) => [line(op, ' ', r, ',', d, '(10)')]));
  // an update form moves r10 by d; the next line puts it back, so every offset stays inside the area
  const update = (list: [string, number][]) => fc.constantFrom(...updates(list)).chain(([op, size]) =>
    fc.tuple(reg, offset(size)).map(([r, d]) => [line(op, ' ', r, ',', d, '(10)'), line('addi 10,10,', -d)]));
  return [plain(loads), plain(stores), update(loads), update(stores)];
}

function randomProgram(mode: PpcMode, name: string): fc.Arbitrary<Program> {
  const op = fc.oneof(...aluOps(mode), ...memoryOps(mode));
  const w = words(mode);
  return fc.record({
    ops: fc.array(op, { minLength: 4, maxLength: 28 }),
    r7: fc.integer({ min: 0, max: 0xffffffff }),
    r8: fc.integer({ min: 0, max: 0xffffffff }),
    data: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: AREA / 4, maxLength: AREA / 4 }),
    args: fc.array(word64, { minLength: 4, maxLength: 4 }),
  }).map(({ ops, r7, r8, data, args }) => {
    const areaFold = Array.from({ length: AREA / w.size }, (_, k) => [line(w.l, ' 9,', k * w.size - AREA / 2, '(10)'), '\tadd 3,3,3', '\tadd 3,3,9']).flat();
    const source = [
      `\t.globl ${name}`, `${name}:`, '\tmflr 11',
      line('lis 7,', r7 >>> 16), line('ori 7,7,', r7 & 0xffff), line('lis 8,', r8 >>> 16), line('ori 8,8,', r8 & 0xffff),
      `\tlis 10,${name}_data@ha`, `\taddi 10,10,${name}_data@l`, line('addi 10,10,', AREA / 2), '\tli 9,0', '\tmtxer 9',
      ...ops.flat(), ...areaFold, ...fold([4, 5, 6, 7, 8]), '\tmfxer 9', ...fold([9]), '\tmtlr 11', '\tblr',
      '\t.data', '\t.p2align 3', `${name}_data:`, '\t.long ' + data.map((v) => '0x' + v.toString(16)).join(','), '\t.text',
    ].join('\n');
    return { source, calls: [{ entry: name, args }] };
  });
}

/** `count` random programs rp_0 … for `mode`, the same ones for the same seed. */
export function randomPrograms(mode: PpcMode, seed: number, count: number): Program[] {
  return Array.from({ length: count }, (_, i) => fc.sample(randomProgram(mode, `rp_${i}`), { seed: seed + i, numRuns: 1 })[0]);
}
