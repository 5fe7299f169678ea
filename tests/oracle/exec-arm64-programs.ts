// Programs for the arm64 interpreter's comparison with qemu: hand-written ones, and random straight-line ones.
//
// Every program is a function with a global label, called once per argument list. Results never depend
// on load addresses: they are computed values, loaded values, or pc-relative differences. A program that
// reads memory first writes what it reads, so the order qemu runs the calls in does not matter.

import fc from 'fast-check';
import { decodeWord, encodeWord, type Arm64Insn, type Arm64Op } from '../../src/isa/arm64/index.js';
import { FORM_BY_OP, type Piece } from '../../src/isa/arm64/table-layout.js';
import { SLOTS } from '../../src/isa/arm64/table-names.js';
import { ARB_BY_OP } from '../support/arb-arm64.js';
import { arm64Source } from '../support/arm64-source.js';
import type { QemuCall } from '../support/qemu.js';

export interface Program {
  readonly source: string;
  readonly calls: readonly QemuCall[];
}

/** x0 = x_r ^ ror(x0, 51) for each r: every register weighs in, in order. */
export function fold(regs: readonly number[]): string[] {
  return regs.map((r) => `\teor x0, x${r}, x0, ror #51`);
}

/** Fold N, Z, C and V into bits 0..3 of x0 (eor does not touch the flags). */
const FOLD_FLAGS = ['pl', 'ne', 'cc', 'vc'].flatMap((skip, i) => [`\tb.${skip} 1f`, `\teor x0, x0, #${1 << i}`, '1:']);

const EDGE_ARGS = [0n, 1n, -1n, 0xfffn, 0x1000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n,
  0x7fffffffffffffffn, -0x8000000000000000n, 0x0123456789abcdefn, 0xfedcba9876543210n];

function calls(entry: string, argLists: readonly (readonly bigint[])[]): QemuCall[] {
  return argLists.map((args) => ({ entry, args }));
}

const PAIRS = EDGE_ARGS.flatMap((a, i) => [[a, EDGE_ARGS[(i * 5 + 3) % EDGE_ARGS.length]], [a, a], [a, -a]]);

/** Add/sub in every operand form, logic, move wide and the bitfield aliases, over two arguments. */
function arithmetic(): Program {
  const source = [
    '\t.globl fx_arith', 'fx_arith:',
    '\tadd x2, x0, x1', '\tsub x3, x0, x1', '\tadds x4, x0, #0xfff', '\tsub x5, x1, #1, lsl #12', '\tneg x6, x0',
    '\tadd w7, w0, w1', '\tsub w8, w0, w1, lsl #3', '\tadd x9, x0, w1, sxtw #2', '\tsub x10, x0, w1, uxtb',
    '\tadd x11, x1, x0, asr #7', '\tsub w12, w1, w0, lsr #5', '\tand x13, x0, #0xff00ff00ff00ff00', '\torr w14, w1, #0x0ffff000',
    '\teor x15, x0, x1, ror #17', '\tbic x16, x0, x1', '\torn w17, w0, w1, lsl #2',
    ...fold([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]),
    '\teon x2, x0, x1, lsr #9', '\tmvn w3, w1', '\tmovz x4, #0xbeef, lsl #32', '\tmovk x4, #0x1234', '\tmovk x4, #0x8000, lsl #48',
    '\tmovn w5, #0x1234, lsl #16', '\tmovn x6, #0x5678, lsl #32', '\tmovk w6, #0xffff, lsl #16', '\tlsl x7, x0, #13', '\tlsr w8, w1, #3',
    '\tasr x9, x1, #60', '\tasr w10, w0, #31', '\tubfx x11, x0, #5, #17', '\tsbfx x12, x1, #40, #20', '\tubfiz w13, w0, #7, #9',
    '\tsbfiz x14, x1, #50, #10', '\tmov x15, x0', '\tbfi x15, x1, #20, #16', '\tmov x16, x1', '\tbfxil w16, w0, #3, #12',
    '\tmov x17, x0', '\tbfc x17, #4, #8',
    ...fold([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]),
    '\tsxtb x2, w0', '\tsxth w3, w1', '\tsxtw x4, w0', '\tuxtb w5, w1', '\tuxth w6, w0', '\tadd x7, x0, x1, sxtx #4',
    '\tsub w8, w1, w0, sxth #1', '\tand x9, x0, x1, asr #63', '\tmov w10, w0', '\teor w11, w0, #0x55555555',
    ...fold([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), '\tret',
  ].join('\n');
  return { source, calls: calls('fx_arith', PAIRS) };
}

const CONDITIONS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'];
const INVERSE = (c: string) => CONDITIONS[CONDITIONS.indexOf(c) ^ 1];

/** Every flag-setting form, each followed by a record of which of the 14 conditions hold. */
function flags(): Program {
  const setters = [
    'cmp x0, x1', 'cmn x0, x1', 'cmp w0, w1', 'cmn w0, w1', 'adds x3, x0, #1', 'subs w3, w1, #4095', 'tst x0, x1',
    'ands w3, w0, #0x80000000', 'negs x3, x0', 'cmp x0, #0', 'cmp x1, x0, lsl #1', 'subs x3, x0, w1, sxtw', 'bics x3, x0, x1',
    'adds x3, x0, x0', 'adds w3, w0, w0', 'cmn x1, w0, uxth #2', 'tst w1, #0xff', 'negs w3, w1', 'subs x3, x1, x0, asr #3',
  ];
  const record = CONDITIONS.flatMap((c, i) => [`\tb.${INVERSE(c)} 1f`, `\torr x2, x2, #${1 << i}`, '1:']);
  const source = [
    '\t.globl fx_flags', 'fx_flags:', '\tstp x29, x30, [sp, #-16]!', '\tmov x29, sp', '\tmov x2, #0',
    ...setters.flatMap((s) => [`\t${s}`, '\tbl fx_record']),
    '\tmov x0, x2', '\tldp x29, x30, [sp], #16', '\tret',
    // x2 = ror(x2, 13) ^ the conditions that hold now; neither eor nor orr touches the flags.
    'fx_record:', '\teor x2, xzr, x2, ror #13', ...record, '\tret',
  ].join('\n');
  return { source, calls: calls('fx_flags', PAIRS) };
}

/** Stores of each width and addressing mode into fx_buf, read back with zero and sign extension. */
function memory(): Program {
  const source = [
    '\t.globl fx_memory', 'fx_memory:',
    '\tadrp x9, fx_buf', '\tadd x9, x9, :lo12:fx_buf',
    '\tstr x0, [x9]', '\tstr w1, [x9, #8]', '\tstrh w0, [x9, #12]', '\tstrb w1, [x9, #14]', '\tstrb w0, [x9, #15]',
    '\tldrsw x2, [x9, #8]', '\tldrh w3, [x9, #12]', '\tldrb w4, [x9, #15]', '\tldr w5, [x9, #4]', '\tldur x6, [x9, #3]',
    '\tadd x10, x9, #32', '\tstp x0, x1, [x10, #-16]!', '\tldp w11, w12, [x10, #4]', '\tldp x13, x14, [x10], #16', '\tsub x10, x10, x9',
    '\tstr x0, [x9, #32]', '\tstur w1, [x9, #33]', '\tldur x7, [x9, #29]', '\tldursw x8, [x9, #33]',
    ...fold([2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14]),
    '\tmov x15, x9', '\tstr x1, [x15, #40]!', '\tldr x16, [x15], #-40', '\tsub x15, x15, x9',
    '\tmov x17, #3', '\tldr w2, [x9, x17, lsl #2]', '\tstrh w1, [x9, w17, uxtw #1]', '\tldrh w3, [x9, #6]',
    '\tldrsw x4, [x9, x17, lsl #2]', '\tldr x5, [x9, x17, lsl #3]', '\tadd x6, x9, #16', '\tmovn x17, #0',
    '\tldr x7, [x6, w17, sxtw #3]', '\tldrb w8, [x6, x17]', '\tldpsw x10, x11, [x9, #8]', '\tstnp x1, x0, [x9, #48]',
    '\tldnp w12, w13, [x9, #52]', '\tstrb w0, [x9, #1]!', '\tldrb w14, [x9], #-1', '\tstrh w1, [x9, #64]', '\tstrb w0, [x9, #66]', '\tldurh w17, [x9, #65]',
    '\tstp w0, w1, [x9, #56]', '\tldpsw x0, x1, [x9, #56]', '\tstr xzr, [x9, #24]', '\tldr x9, [x9, #24]',
    ...fold([1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]), '\tret',
  ].join('\n');
  return { source, calls: calls('fx_memory', PAIRS) };
}

/** Loops on cbz/cbnz, tbz/tbnz and b.cond. */
function loops(): Program {
  const source = [
    '\t.globl fx_sum', 'fx_sum:', '\tmov x1, #0', '1:', '\tcbz x0, 2f', '\tadd x1, x1, x0', '\tsub x0, x0, #1', '\tb 1b', '2:', '\tmov x0, x1', '\tret',
    '\t.globl fx_popcount', 'fx_popcount:', '\tmov x1, #0', '1:', '\tcbz x0, 2f', '\ttbz x0, #0, 3f', '\tadd x1, x1, #1', '3:', '\tlsr x0, x0, #1', '\tb 1b',
    '2:', '\tmov x0, x1', '\tret',
    '\t.globl fx_bits', 'fx_bits:', '\tmov x2, #0', '\ttbnz x0, #63, 1f', '\torr x2, x2, #1', '1:', '\ttbz w0, #31, 1f', '\torr x2, x2, #2', '1:',
    '\tcbnz w0, 1f', '\torr x2, x2, #4', '1:', '\tcbz x0, 1f', '\torr x2, x2, #8', '1:', '\ttbnz x0, #32, 1f', '\torr x2, x2, #16', '1:',
    '\tmov x0, x2', '\tret',
    // max (signed) and min (unsigned) of two, then count down by the difference's low bits with subs/b.ne
    '\t.globl fx_minmax', 'fx_minmax:', '\tmov x2, x0', '\tcmp x0, x1', '\tb.gt 1f', '\tmov x2, x1', '1:', '\tmov x3, x0', '\tcmp x0, x1',
    '\tb.lo 1f', '\tmov x3, x1', '1:', '\tsub x4, x2, x3', '\tand x4, x4, #0xff', '\tadd x4, x4, #1', '\tmov x5, #0', '1:', '\tadd x5, x5, #3',
    '\tsubs x4, x4, #1', '\tb.ne 1b', '\teor x0, x5, x2, ror #51', '\teor x0, x3, x0, ror #51', '\tret',
  ].join('\n');
  return {
    source,
    calls: [
      ...calls('fx_sum', [[0n], [1n], [10n], [1000n], [65535n]]),
      ...calls('fx_popcount', EDGE_ARGS.map((a) => [a])),
      ...calls('fx_bits', EDGE_ARGS.map((a) => [a])),
      ...calls('fx_minmax', PAIRS),
    ],
  };
}

/** Calls: bl, blr, a tail call with b and one with br, x30 and a callee-saved register kept on the stack. */
function callsProgram(): Program {
  const source = [
    '\t.globl fx_call', 'fx_call:', '\tstp x29, x30, [sp, #-32]!', '\tmov x29, sp', '\tstr x19, [sp, #16]', '\tmov x19, x0',
    '\tbl fx_helper', '\tadd x19, x19, x0', '\tadr x16, fx_helper', '\tmov x0, x19', '\tblr x16', '\tadd x0, x0, x19',
    '\tbl fx_tail', '\tbl fx_tail_br', '\tldr x19, [sp, #16]', '\tldp x29, x30, [sp], #32', '\tret',
    'fx_helper:', '\tadd x0, x0, x0, lsl #1', '\tadd x0, x0, #1', '\tret',
    'fx_tail:', '\teor x0, x0, #0xf0', '\tb fx_helper',
    'fx_tail_br:', '\tadr x17, fx_helper', '\tsub x0, x0, #5', '\tbr x17',
  ].join('\n');
  return { source, calls: calls('fx_call', EDGE_ARGS.map((a) => [a])) };
}

/** adr/adrp and ldr (literal) of values in .rodata and .text: loaded values and pc-relative differences. */
function pcRelative(): Program {
  const source = [
    '\t.globl fx_pcrel', 'fx_pcrel:', '\tadr x1, fx_pcrel', '\tadr x2, 1f', '\tsub x2, x2, x1',
    '\tadrp x3, fx_ro', '\tadd x3, x3, :lo12:fx_ro', '\tldr x4, [x3]', '\tldr x5, [x3, #8]', '\tadrp x6, fx_ro', '\tldr x6, [x6, :lo12:fx_ro+16]',
    '\tldrsw x7, fx_lit', '\tldr w8, fx_lit', '\tldr x9, fx_lit', '\tldr x10, fx_ro_lit', '\tadr x11, fx_lit', '\tsub x11, x11, x1',
    '\tadrp x12, fx_ro', '\tadd x12, x12, :lo12:fx_ro', '\tsub x12, x12, x3', '1:', '\tadd x0, x0, x4',
    ...fold([2, 4, 5, 6, 7, 8, 9, 10, 11, 12]), '\tret',
    '\t.p2align 3', 'fx_lit:', '\t.quad 0x80000001fedcba98',
    '\t.section .rodata', '\t.p2align 4', 'fx_ro:', '\t.quad 0x8000000000000001, 0x7fffffffffffffff, 0x0123456789abcdef',
    'fx_ro_lit:', '\t.quad 0xcafef00dd00dfeed',
    '\t.text',
  ].join('\n');
  return { source, calls: calls('fx_pcrel', [[0n], [1n], [-1n]]) };
}

/**
 * Conditional selects and their aliases under the flags of a cmp and a cmn; shifts by a register; mrs/msr NZCV; load-acquire and
 * store-release of each size; an LL/SC increment loop and a store-exclusive with nothing marked (fails: 1).
 */
function selectsAndAtomics(): Program {
  const selects = ['csel x2, x12, x13', 'csinc w3, w12, w13', 'csinv x4, x13, x12', 'csneg w5, w13, w12', 'csneg x6, x12, xzr'];
  const record = CONDITIONS.flatMap((c) => [...selects.map((s) => `\t${s}, ${c}`), `\tcset w7, ${c}`, `\tcsetm x8, ${c}`,
    `\tcinc x9, x12, ${c}`, `\tcinv w10, w13, ${c}`, `\tcneg x11, x13, ${c}`, ...fold([2, 3, 4, 5, 6, 7, 8, 9, 10, 11])]);
  const source = [
    '\t.globl fx_select', 'fx_select:', '\tmov x12, x0', '\tmov x13, x1', '\tmov x0, #0', '\tcmp x12, x13',
    ...record, '\tcmn x13, x12, asr #1', ...record, '\tcsel x2, x12, x13, al', '\tcsinc x3, x12, x13, nv', ...fold([2, 3]),
    '\tlsl x2, x12, x13', '\tlsr w3, w12, w13', '\tasr x4, x13, x12', '\tror w5, w13, w12', '\tasrv w6, w12, w13', '\trorv x7, x12, x13',
    ...fold([2, 3, 4, 5, 6, 7]),
    '\tmrs x2, nzcv', '\tmsr nzcv, x13', '\tmrs x3, nzcv', '\tcset w4, vs', '\tmsr nzcv, xzr', '\tmrs x5, nzcv', ...fold([2, 3, 4, 5]),
    '\tret',
    '\t.globl fx_atomic', 'fx_atomic:', '\tadrp x9, fx_buf', '\tadd x9, x9, :lo12:fx_buf', '\tadd x9, x9, #64',
    '\tstlr x0, [x9]', '\tstlrb w1, [x9, #0]', '\tadd x10, x9, #10', '\tstlrh w1, [x10]', '\tadd x10, x9, #12', '\tstlr w0, [x10]',
    '\tldar x2, [x9]', '\tldarb w3, [x10]', '\tldarh w4, [x10]', '\tldar w5, [x9]',
    // LL/SC: add x1 to the doubleword three times, and a byte and a halfword once
    '\tmov x11, #3', '1:', '\tldaxr x6, [x9]', '\tadd x6, x6, x1', '\tstlxr w7, x6, [x9]', '\tcbnz w7, 1b', '\tsubs x11, x11, #1', '\tb.ne 1b',
    '1:', '\tldxrb w12, [x10]', '\tadd w12, w12, w1', '\tstxrb w13, w12, [x10]', '\tcbnz w13, 1b',
    '1:', '\tldaxrh w14, [x10]', '\teor w14, w14, w0', '\tstlxrh w15, w14, [x10]', '\tcbnz w15, 1b',
    '\tldr x6, [x9]', '\tldr x12, [x9, #8]', '\tldxr w14, [x9]', '\tstxr w15, w0, [x9]', '\tldxr x16, [x9]', '\tstxr w17, xzr, [x9]',
    '\tstxr w13, x1, [x9]', '\tldr x11, [x9]',
    ...fold([2, 3, 4, 5, 6, 7, 11, 12, 13, 14, 15, 16, 17]), '\tret',
  ].join('\n');
  return { source, calls: [...calls('fx_select', PAIRS), ...calls('fx_atomic', PAIRS)] };
}

/** The hand-written programs, their data areas last. */
export function fixedPrograms(): Program[] {
  const data: Program = { source: '\t.data\n\t.p2align 4\nfx_buf: .skip 128\n\t.text', calls: [] };
  return [arithmetic(), flags(), memory(), loops(), callsProgram(), pcRelative(), selectsAndAtomics(), data];
}

// --- random straight-line programs

/** Data registers the random instructions use; x8 holds the buffer's middle, x9 the base, x10 an index. */
const DATA_REGS = [0, 1, 2, 3, 4, 5, 6, 7, 31];
const BUFFER = 528;

const ALU_OPS: readonly Arm64Op[] = [
  'add_imm', 'adds_imm', 'sub_imm', 'subs_imm', 'add_sreg', 'adds_sreg', 'sub_sreg', 'subs_sreg', 'add_ext', 'adds_ext', 'sub_ext',
  'subs_ext', 'movz', 'movn', 'movk', 'sbfm', 'bfm', 'ubfm', 'and_imm', 'orr_imm', 'eor_imm', 'ands_imm', 'and_sreg', 'bic_sreg',
  'orr_sreg', 'orn_sreg', 'eor_sreg', 'eon_sreg', 'ands_sreg', 'bics_sreg', 'csel', 'csinc', 'csinv', 'csneg',
  'lslv', 'lsrv', 'asrv', 'rorv',
];

/** Register fields of an entry, and whether 31 names SP there (never used: its value depends on the stack). */
function registerFields(op: Arm64Op): ReadonlyMap<string, boolean> {
  const out = new Map<string, boolean>();
  const walk = (pieces: readonly Piece[]): void => pieces.forEach((p) => {
    if (p.kind === 'optional') walk(p.pieces);
    else if (p.kind === 'slot') {
      const slot = SLOTS[p.slot];
      if (slot.kind === 'reg') out.set(slot.field, (out.get(slot.field) ?? false) || slot.sp);
    }
  });
  walk(FORM_BY_OP[op].own.pieces);
  return out;
}

/** The instruction survives encoding and decoding unchanged (register changes may make a reserved or other form). */
function roundTrips(insn: Arm64Insn): boolean {
  return JSON.stringify(decodeWord(encodeWord(insn))) === JSON.stringify(insn);
}

const arbAlu: fc.Arbitrary<string> = fc.oneof(...ALU_OPS.map((op) => {
  const fields = registerFields(op);
  return fc.tuple(ARB_BY_OP.get(op)!, fc.array(fc.constantFrom(...DATA_REGS), { minLength: 5, maxLength: 5 }))
    .map(([insn, regs]) => {
      const out: Record<string, number | string> = { ...insn };
      [...fields].forEach(([field, sp], i) => (out[field] = sp && regs[i] === 31 ? i : regs[i]));
      return out as unknown as Arm64Insn;
    })
    .filter(roundTrips)
    .map((insn) => `\t${arm64Source(insn)}`);
}));

type Mode = 'offset' | 'pre' | 'post';
/** Single-register transfers: mnemonic (unsigned-offset form), bytes, X register. */
const SINGLE: readonly (readonly [op: string, size: number, x: boolean])[] = [
  ['ldr', 8, true], ['ldr', 4, false], ['ldrb', 1, false], ['ldrh', 2, false], ['ldrsw', 4, true],
  ['str', 8, true], ['str', 4, false], ['strb', 1, false], ['strh', 2, false],
];
const reg = (n: number, x: boolean) => (n === 31 ? (x ? 'xzr' : 'wzr') : `${x ? 'x' : 'w'}${n}`);

/** One load or store at x9 = x8 (the buffer's middle): every offset stays inside the buffer. */
const arbMemory: fc.Arbitrary<string> = fc.oneof(
  // unsigned offset, pre/post-index, unscaled
  fc.record({
    form: fc.constantFrom(...SINGLE), rt: fc.constantFrom(...DATA_REGS),
    mode: fc.constantFrom<Mode | 'unscaled'>('offset', 'pre', 'post', 'unscaled'), scaled: fc.integer({ min: 0, max: 31 }),
    imm9: fc.integer({ min: -256, max: 255 }),
  }).map(({ form: [m, size, x], rt, mode, scaled, imm9 }) => {
    const op = mode === 'unscaled' ? m.replace(/^(ld|st)r/, '$1ur') : m;
    const addr = mode === 'offset' ? `[x9, #${scaled * size}]` : mode === 'pre' ? `[x9, #${imm9}]!` : mode === 'post' ? `[x9], #${imm9}` : `[x9, #${imm9}]`;
    return `\tmov x9, x8\n\t${op} ${reg(rt, x)}, ${addr}`;
  }),
  // register offset: x10 or w10 extended, scaled or not
  fc.record({
    form: fc.constantFrom(...SINGLE), rt: fc.constantFrom(...DATA_REGS),
    extend: fc.constantFrom('lsl', 'uxtw', 'sxtw', 'sxtx'), scaled: fc.boolean(), index: fc.integer({ min: -31, max: 31 }),
  }).map(({ form: [m, size, x], rt, extend, scaled, index }) => {
    const k = extend === 'lsl' || extend === 'uxtw' ? Math.abs(index) : index;
    const set = k < 0 ? `movn x10, #${-k - 1}` : `movz x10, #${k}`;
    const shift = scaled ? ` #${Math.log2(size)}` : '';
    const ext = extend === 'lsl' ? (scaled ? `, lsl${shift}` : '') : `, ${extend}${shift}`;
    const index10 = extend === 'uxtw' || extend === 'sxtw' ? 'w10' : 'x10';
    return `\t${set}\n\t${m} ${reg(rt, x)}, [x8, ${index10}${ext}]`;
  }),
  // pairs
  fc.record({
    kind: fc.constantFrom('p', 'np', 'psw'), load: fc.boolean(), x: fc.boolean(), rt: fc.constantFrom(...DATA_REGS),
    rt2: fc.constantFrom(...DATA_REGS), mode: fc.constantFrom<Mode>('offset', 'pre', 'post'), imm7: fc.integer({ min: -32, max: 31 }),
  }).filter(({ kind, load, rt, rt2 }) => !(load || kind === 'psw') || rt !== rt2).map(({ kind, load, x, rt, rt2, mode, imm7 }) => {
    const signed = kind === 'psw';
    const wide = signed || x;
    const size = signed ? 4 : x ? 8 : 4;
    const op = signed ? 'ldpsw' : `${load ? 'ld' : 'st'}${kind === 'np' ? 'np' : 'p'}`;
    const m = kind === 'np' ? 'offset' : mode;
    const off = imm7 * size;
    const addr = m === 'offset' ? `[x9, #${off}]` : m === 'pre' ? `[x9, #${off}]!` : `[x9], #${off}`;
    return `\tmov x9, x8\n\t${op} ${reg(rt, wide)}, ${reg(rt2, wide)}, ${addr}`;
  }),
);

/** Exclusives, acquire/release and NZCV moves at x9 = x8 + a multiple of 8 (aligned for every size). */
const EXCLUSIVE_SIZES: readonly (readonly [suffix: string, x: boolean])[] = [['', true], ['', false], ['b', false], ['h', false]];
const arbAtomic: fc.Arbitrary<string> = fc.oneof(
  // ldar/stlr of each size
  fc.record({ size: fc.constantFrom(...EXCLUSIVE_SIZES), load: fc.boolean(), rt: fc.constantFrom(...DATA_REGS), slot: fc.integer({ min: -32, max: 31 }) })
    .map(({ size: [suffix, x], load, rt, slot }) => `\tadd x9, x8, #${slot * 8 + 256}\n\tsub x9, x9, #256\n\t${load ? 'ldar' : 'stlr'}${suffix} ${reg(rt, x)}, [x9]`),
  // ldxr, a few ALU instructions (which may change what stxr stores, or store to the address), stxr of the same size
  fc.record({
    size: fc.constantFrom(...EXCLUSIVE_SIZES), acquire: fc.boolean(), release: fc.boolean(), rt: fc.constantFrom(...DATA_REGS),
    rs: fc.constantFrom(...DATA_REGS), rt2: fc.constantFrom(...DATA_REGS), between: fc.array(arbAlu, { maxLength: 2 }),
    meddle: fc.constantFrom('', 'same', 'other'), slot: fc.integer({ min: -32, max: 31 }),
  }).filter(({ rs, rt2 }) => rs !== rt2).map(({ size: [suffix, x], acquire, release, rt, rs, rt2, between, meddle, slot }) => {
    // a plain store in between: of the value read (stxr still succeeds here and in QEMU) or of another
    const store = meddle === '' ? [] : meddle === 'same' ? [`\tstr${suffix} ${reg(rt, x)}, [x9]`] : [`\tmvn x10, x${rt === 31 ? 10 : rt}`, `\tstr${suffix} ${reg(10, x)}, [x9]`];
    return [`\tadd x9, x8, #${slot * 8 + 256}`, '\tsub x9, x9, #256', `\tld${acquire ? 'a' : ''}xr${suffix} ${reg(rt, x)}, [x9]`, ...between,
      ...store, `\tst${release ? 'l' : ''}xr${suffix} ${reg(rs, false)}, ${reg(rt2, x)}, [x9]`].join('\n');
  }),
  fc.record({ rt: fc.constantFrom(...DATA_REGS), write: fc.boolean() })
    .map(({ rt, write }) => (write ? `\tmsr nzcv, ${reg(rt, true)}` : `\tmrs ${reg(rt, true)}, nzcv`)),
);

const arbBody = fc.array(fc.oneof({ weight: 3, arbitrary: arbAlu }, { weight: 2, arbitrary: arbMemory }, { weight: 1, arbitrary: arbAtomic }), { minLength: 6, maxLength: 24 });

/** Fills rp_buf with a fixed pattern, so that every program's loads see the same bytes under both runs. */
const FILL = [
  'rp_fill:', '\tadrp x9, rp_buf', '\tadd x9, x9, :lo12:rp_buf', '\tmovz x10, #0x1357, lsl #48', '\tmovk x10, #0x9bdf, lsl #16',
  `\tmov x11, #${BUFFER / 8}`, '1:', '\tstr x10, [x9], #8', '\teor x10, x10, x10, ror #11', '\tadd x10, x10, #0x123', '\tsubs x11, x11, #1',
  '\tb.ne 1b', '\tret',
].join('\n');

/** `count` random programs from `seed`, each called with two argument lists, and the shared fill and buffer. */
export function randomPrograms(seed: number, count: number): Program[] {
  const bodies = fc.sample(arbBody, { seed, numRuns: count });
  const args = fc.sample(fc.array(fc.oneof(fc.constantFrom(...EDGE_ARGS), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })), { minLength: 4, maxLength: 4 }), { seed: seed + 1, numRuns: count * 2 });
  const programs = bodies.map((body, i): Program => {
    const name = `rp_${i}`;
    const source = [
      `\t.globl ${name}`, `${name}:`, '\tstp x29, x30, [sp, #-16]!', '\tbl rp_fill', '\tldp x29, x30, [sp], #16',
      '\tadrp x8, rp_buf', '\tadd x8, x8, :lo12:rp_buf', `\tadd x8, x8, #${BUFFER / 2}`,
      '\teor x4, x0, x1, ror #7', '\tadd x5, x2, x3, lsl #3', '\tsub x6, x0, x3', '\torn x7, x1, x2', '\tadds xzr, x0, x1',
      ...body, ...fold([1, 2, 3, 4, 5, 6, 7]), ...FOLD_FLAGS, '\tret',
    ].join('\n');
    return { source, calls: calls(name, [args[2 * i], args[2 * i + 1]]) };
  });
  const shared: Program = { source: `${FILL}\n\t.data\n\t.p2align 4\nrp_buf: .skip ${BUFFER}\n\t.text`, calls: [] };
  return [...programs, shared];
}
