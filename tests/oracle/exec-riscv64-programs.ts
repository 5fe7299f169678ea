// Programs for the riscv64 interpreter's comparison with qemu: hand-written ones, and random straight-line ones.
//
// Every program is a function with a global label, called once per argument list. Results never depend
// on load addresses: they are computed values, loaded values, or pc-relative differences.

import fc from 'fast-check';
import type { QemuCall } from '../support/qemu.js';

export interface Program {
  readonly source: string;
  readonly calls: readonly QemuCall[];
}

/** a0 = (((a0·2 + ra)·2 + rb)·2 + …): every register weighs in, so a wrong one changes the sum. */
function fold(regs: readonly string[]): string[] {
  return regs.flatMap((r) => ['\tadd a0, a0, a0', `\tadd a0, a0, ${r}`]);
}

const EDGE_ARGS = [0n, 1n, -1n, 31n, -32n, 0x7ffn, 0x800n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, -0x8000000000000000n, 0x0123456789abcdefn];
const PAIRS = EDGE_ARGS.flatMap((a, i) => [[a, EDGE_ARGS[(i * 5 + 3) % EDGE_ARGS.length]], [a, a], [a, 0n]]);

const calls = (entry: string, argLists: readonly (readonly bigint[])[]): QemuCall[] => argLists.map((args) => ({ entry, args }));

function program(name: string, body: readonly string[], args: readonly (readonly bigint[])[]): Program {
  return { source: [`\t.globl ${name}`, `${name}:`, ...body].join('\n'), calls: calls(name, args) };
}

/** Every register-register and register-immediate operation, compressed where GNU as compresses them. */
function arithmetic(): Program {
  return program('rv_arith', [
    'add t0, a0, a1', 'sub t1, a0, a1', 'sll t2, a0, a1', 'slt t3, a0, a1', 'sltu t4, a0, a1', 'xor t5, a0, a1', 'srl t6, a0, a1',
    'sra a2, a0, a1', 'or a3, a0, a1', 'and a4, a0, a1', 'addw a5, a0, a1', 'subw a6, a0, a1', 'sllw a7, a0, a1', 'srlw s2, a0, a1',
    'sraw s3, a0, a1', 'addi s4, a0, -2048', 'slti s5, a0, 5', 'sltiu s6, a0, -1', 'xori s7, a0, 0x555', 'ori s8, a0, -0x100',
    'andi s9, a0, 0x7f', 'slli s10, a0, 63', 'srli s11, a0, 33', ...fold(['t0', 't1', 't2', 't3', 't4', 't5', 't6', 'a2', 'a3', 'a4', 'a5',
      'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11']),
    'srai t0, a1, 7', 'addiw t1, a1, 2047', 'slliw t2, a1, 31', 'srliw t3, a1, 1', 'sraiw t4, a1, 31', 'lui t5, 0xfffff', 'auipc t6, 0',
    'auipc a2, 0', 'sub t6, t6, a2', 'mv a3, a1', 'not a4, a1', 'neg a5, a1', 'negw a6, a1', 'seqz a7, a1', 'snez s2, a1', 'sltz s3, a1',
    'sgtz s4, a1', 'sext.w s5, a1', 'zext.b s6, a1', 'c.addi s7, 1', 'li s7, 1', 'add s7, s7, a1', 'and a1, a1, a0', 'or a1, a1, a0',
    ...fold(['t0', 't1', 't2', 't3', 't4', 't5', 't6', 'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 'a1']),
    'ret',
  ].filter((l) => !l.startsWith('c.')).map((l) => (l.endsWith(':') ? l : `\t${l}`)), PAIRS);
}

/** M: products and quotients, with division by zero and the one overflow. */
function multiply(): Program {
  return program('rv_mul', [
    'mul t0, a0, a1', 'mulh t1, a0, a1', 'mulhsu t2, a0, a1', 'mulhu t3, a0, a1', 'div t4, a0, a1', 'divu t5, a0, a1', 'rem t6, a0, a1',
    'remu a2, a0, a1', 'mulw a3, a0, a1', 'divw a4, a0, a1', 'divuw a5, a0, a1', 'remw a6, a0, a1', 'remuw a7, a0, a1',
    ...fold(['t0', 't1', 't2', 't3', 't4', 't5', 't6', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']), 'ret',
  ].map((l) => `\t${l}`), [...PAIRS, [-0x8000000000000000n, -1n], [-0x80000000n, -1n], [5n, 0n]]);
}

/** Stores of each width to a stack buffer, loads back with sign and zero extension; compressed sp forms. */
function memory(): Program {
  return program('rv_mem', [
    'addi sp, sp, -64', 'sd a0, 0(sp)', 'sw a1, 8(sp)', 'sh a1, 12(sp)', 'sb a1, 14(sp)', 'sd a1, 16(sp)',
    'lb t0, 7(sp)', 'lbu t1, 7(sp)', 'lh t2, 6(sp)', 'lhu t3, 6(sp)', 'lw t4, 4(sp)', 'lwu t5, 4(sp)', 'ld t6, 8(sp)', 'ld a2, 16(sp)',
    'mv s0, sp', 'lw a3, 8(s0)', 'ld a4, 0(s0)', 'sw a3, 24(s0)', 'lwu a5, 24(sp)',
    ...fold(['t0', 't1', 't2', 't3', 't4', 't5', 't6', 'a2', 'a3', 'a4', 'a5']), 'addi sp, sp, 64', 'ret',
  ].map((l) => `\t${l}`), PAIRS.slice(0, 12));
}

/** LR/SC and every AMO on a stack doubleword and word. */
function atomics(): Program {
  const amos = ['amoswap', 'amoadd', 'amoxor', 'amoand', 'amoor', 'amomin', 'amomax', 'amominu', 'amomaxu'];
  return program('rv_amo', [
    'addi sp, sp, -32', 'sd a0, 0(sp)', 'sd a0, 8(sp)', 'mv t0, sp', 'addi t1, sp, 8',
    ...amos.flatMap((o, i) => [`${o}.d${i % 2 ? '.aqrl' : ''} t2, a1, (t0)`, `${o}.w t3, a1, (t1)`, 'add a0, a0, t2', 'add a0, a0, a0', 'add a0, a0, t3']),
    'lr.d t2, (t0)', 'addi t2, t2, 1', 'sc.d t3, t2, (t0)', 'add a0, a0, t3', 'ld t4, 0(sp)', 'add a0, a0, t4',
    'lr.w.aq t2, (t1)', 'sc.w.rl t3, a1, (t1)', 'add a0, a0, t3', 'lw t4, 8(sp)', 'add a0, a0, t4',
    'sc.d t3, a1, (t0)', 'add a0, a0, t3', 'addi sp, sp, 32', 'ret',
  ].map((l) => `\t${l}`), PAIRS.slice(0, 15));
}

/** Branches both ways, a counted loop, calls through jal/jalr/call with ra saved, li of edge values. */
function control(): Program {
  return {
    source: [
      '\t.globl rv_ctrl', 'rv_ctrl:', '\taddi sp, sp, -16', '\tsd ra, 8(sp)', '\tli t0, 0', '\tmv t1, a1', '\tandi t1, t1, 15',
      '1:\tbeqz t1, 2f', '\tadd t0, t0, a0', '\taddi t1, t1, -1', '\tj 1b',
      '2:\tblt a0, a1, 3f', '\txori t0, t0, 0x111', '3:\tbgeu a0, a1, 4f', '\txori t0, t0, 0x222', '4:\tbge a1, a0, 5f', '\txori t0, t0, 0x444',
      '5:\tbltu a1, a0, 6f', '\txori t0, t0, 0x88', '6:\tbne a0, a1, 7f', '\taddi t0, t0, 3', '7:\tbgtz a0, 8f', '\taddi t0, t0, 5',
      '8:\tcall rv_leaf', '\tadd t0, t0, a2', '\tlla t2, rv_leaf', '\tjalr t2', '\tadd t0, t0, a2', '\tjal rv_leaf', '\tadd t0, t0, a2',
      '\tli a3, 0x123456789abcdef0', '\tli a4, -0x80001000', '\tli a5, 0xffffffff', '\tli a6, 0x7ffff800',
      '\tmv a0, t0', '\tadd a0, a0, a3', '\tadd a0, a0, a4', '\tadd a0, a0, a5', '\tadd a0, a0, a6',
      '\tld ra, 8(sp)', '\taddi sp, sp, 16', '\tret',
      'rv_leaf:', '\tslli a2, a1, 3', '\tret',
    ].join('\n'),
    calls: calls('rv_ctrl', PAIRS.slice(0, 20)),
  };
}

export function fixedPrograms(): Program[] {
  return [arithmetic(), multiply(), memory(), atomics(), control()];
}

const REGS = ['t0', 't1', 't2', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 's0', 's1', 's2', 't6'];
const R3 = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'addw', 'subw', 'sllw', 'srlw', 'sraw',
  'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'mulw', 'divw', 'divuw', 'remw', 'remuw'];
const RI = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'addiw'];
const SH = ['slli', 'srli', 'srai'];
const SHW = ['slliw', 'srliw', 'sraiw'];

const lineArb = fc.oneof(
  fc.tuple(fc.constantFrom(...R3), fc.constantFrom(...REGS), fc.constantFrom(...REGS), fc.constantFrom(...REGS)).map(([o, d, a, b]) => `${o} ${d}, ${a}, ${b}`),
  fc.tuple(fc.constantFrom(...RI), fc.constantFrom(...REGS), fc.constantFrom(...REGS), fc.integer({ min: -2048, max: 2047 })).map(([o, d, a, v]) => `${o} ${d}, ${a}, ${v}`),
  fc.tuple(fc.constantFrom(...SH), fc.constantFrom(...REGS), fc.constantFrom(...REGS), fc.integer({ min: 0, max: 63 })).map(([o, d, a, v]) => `${o} ${d}, ${a}, ${v}`),
  fc.tuple(fc.constantFrom(...SHW), fc.constantFrom(...REGS), fc.constantFrom(...REGS), fc.integer({ min: 0, max: 31 })).map(([o, d, a, v]) => `${o} ${d}, ${a}, ${v}`),
  fc.tuple(fc.constantFrom(...REGS), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n })).map(([d, v]) => `li ${d}, ${v}`),
  fc.tuple(fc.constantFrom(...REGS), fc.integer({ min: 0, max: 0xfffff })).map(([d, v]) => `lui ${d}, ${v}`),
  fc.tuple(fc.constantFrom('sd', 'sw', 'sh', 'sb'), fc.constantFrom(...REGS), fc.integer({ min: 0, max: 7 })).map(([o, r, k]) => `${o} ${r}, ${k * 8}(sp)`),
  fc.tuple(fc.constantFrom('ld', 'lw', 'lwu', 'lh', 'lhu', 'lb', 'lbu'), fc.constantFrom(...REGS), fc.integer({ min: 0, max: 7 })).map(([o, r, k]) => `${o} ${r}, ${k * 8}(sp)`),
);

/** Straight-line programs over a zeroed 64-byte stack buffer; every register folded into a0 at the end. */
export function randomPrograms(seed: number, count: number): Program[] {
  const bodies = fc.sample(fc.array(lineArb, { minLength: 4, maxLength: 24 }), { seed, numRuns: count });
  return bodies.map((lines, i) => {
    const name = `rv_rand_${i}`;
    const init = ['addi sp, sp, -80', 'sd s0, 64(sp)', 'sd s1, 72(sp)', ...Array.from({ length: 8 }, (_, k) => `sd zero, ${k * 8}(sp)`),
      ...REGS.filter((r) => !['a0', 'a1'].includes(r)).map((r, k) => `li ${r}, ${k * 0x1111 + 1}`)];
    const body = [...init, ...lines, ...fold(REGS.filter((r) => r !== 'a0')), 'ld s0, 64(sp)', 'ld s1, 72(sp)', 'addi sp, sp, 80', 'ret'];
    return program(name, body.map((l) => `\t${l}`), [[0x0123456789abcdefn, -5n], [7n, 0x80000000n]]);
  });
}
