// Branches and jumps to a label, relaxed as GNU as relaxes them: compressed when the target is near, a jump around when it is far.
//
// The sizes a branch grows through (GNU as with the C extension):
//   beqz/bnez of x8..x15   2 (c.beqz)  4 (beqz)  6 (c.bnez over a jal)  8 (bnez over a jal, for an unknown target)
//   other branches         4           8 (the inverted branch over a jal)
//   j                      2 (c.j)     4 (jal x0)
//   jal                    4 (RV64 has no c.jal; `jal zero, target` is not `j` to GNU as)
// A target the assembler cannot resolve (undefined, in another section) takes the largest size and an
// R_RISCV_JAL; GNU as leaves the jump's field holding −P (the target taken as 0), and so does patchlab.

import type { BuildEnv, BuildResult, Fixup, InsnStatement, InsnTemplate } from '../types.js';
import type { RiscvCode } from './encode.js';
import type { Match } from './syntax-spellings.js';
import { makeInsn } from './table-layout.js';
import type { BaseOp, RiscvInsn } from './table.js';

const BRANCHES = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'] as const;
type BranchOp = (typeof BRANCHES)[number];

/** The branch taken when `op` is not. */
const INVERSE: Readonly<Record<BranchOp, BranchOp>> = { beq: 'bne', bne: 'beq', blt: 'bge', bge: 'blt', bltu: 'bgeu', bgeu: 'bltu' };

export function isBranchOp(op: BaseOp): boolean {
  return op === 'jal' || (BRANCHES as readonly string[]).includes(op);
}

const fits = (v: bigint, bits: number) => v >= -(1n << BigInt(bits - 1)) && v < 1n << BigInt(bits - 1);

/** Something of `size` bytes for the passes before the target is known (only the size matters then). */
function filler(size: number): RiscvCode {
  const parts: RiscvInsn[] = [];
  for (let n = size; n > 0; n -= n >= 4 ? 4 : 2) parts.push(makeInsn(n >= 4 ? 'addi' : 'c_addi', {}));
  return parts.length === 1 ? parts[0] : { op: 'sequence', parts };
}

function sizesOf(m: Match): number[] {
  const { op } = m.c, f = m.fields;
  // Only the spelling `j` has a compressed candidate: `jal zero, target` stays a jal.
  if (op === 'jal') return m.c.mnemonic === 'j' ? [2, 4] : [4];
  const compressible = (op === 'beq' || op === 'bne') && f.rs2 === 0 && f.rs1! >= 8 && f.rs1! <= 15;
  return compressible ? [2, 4, 6, 8] : [4, 8];
}

/** The instruction(s) for a target `disp` bytes away, at `size`; undefined when that size cannot reach it. */
function near(op: BaseOp, f: Match['fields'], disp: bigint, size: number): RiscvCode | undefined {
  const d = Number(disp);
  const reg = { rd: f.rd ?? 0, rs1: f.rs1 ?? 0, rs2: f.rs2 ?? 0 };
  if (op === 'jal') {
    if (size === 2) return fits(disp, 12) ? makeInsn('c_j', { imm: d }) : undefined;
    return fits(disp, 21) ? makeInsn('jal', { rd: reg.rd, imm: d }) : undefined;
  }
  const b = op as BranchOp;
  switch (size) {
    case 2: return fits(disp, 9) ? makeInsn(b === 'beq' ? 'c_beqz' : 'c_bnez', { rs1: reg.rs1, imm: d }) : undefined;
    case 4: return fits(disp, 13) ? makeInsn(b, { rs1: reg.rs1, rs2: reg.rs2, imm: d }) : undefined;
    case 6:
      if (!fits(disp - 2n, 21)) return undefined;
      return { op: 'sequence', parts: [makeInsn(b === 'beq' ? 'c_bnez' : 'c_beqz', { rs1: reg.rs1, imm: 6 }), makeInsn('jal', { imm: d - 2 })] };
    default:
      if (!fits(disp - 4n, 21)) return undefined;
      return { op: 'sequence', parts: [makeInsn(INVERSE[b], { rs1: reg.rs1, rs2: reg.rs2, imm: 8 }), makeInsn('jal', { imm: d - 4 })] };
  }
}

/** A jump to a symbol the assembler leaves to the linker: the largest form, its jal relocated. */
function far(op: BaseOp, f: Match['fields'], env: BuildEnv, fixup: Omit<Fixup, 'offset'>, size: number, largest: number): BuildResult<RiscvCode> {
  if (size < largest) return 'grow';
  const jalAt = op === 'jal' ? 0 : 4;
  const minusP = -(env.address + BigInt(jalAt));
  // -P, as GNU as leaves it for the linker, less its bit 0, which a jal does not hold (a jal at an odd place
  // after a `.byte`: GNU as 2.40 writes -2 at offset 1; found by the fuzzer, an internal error before).
  const even = minusP & ~1n;
  const imm = fits(even, 21) ? Number(even) : 0;
  const jal = makeInsn('jal', { rd: op === 'jal' ? (f.rd ?? 0) : 0, imm });
  const insn: RiscvCode = op === 'jal' ? jal
    : { op: 'sequence', parts: [makeInsn(INVERSE[op as BranchOp], { rs1: f.rs1 ?? 0, rs2: f.rs2 ?? 0, imm: 8 }), jal] };
  return { insn, fixups: [{ ...fixup, offset: jalAt }] };
}

export function branchTemplate(m: Match, stmt: InsnStatement, compress = true): InsnTemplate<RiscvCode> {
  const op = m.c.op;
  // Under `.option norvc` only the sizes made of 32-bit instructions.
  const sizes = sizesOf(m).filter((s) => compress || s % 4 === 0);
  const largest = sizes[sizes.length - 1];
  const target = m.pending.find((p) => p.slot === 'target')!.value;
  return {
    sizes,
    build: (env, size) => {
      const v = env.evaluate(target.expr);
      if (!v) return env.final ? 'error' : { insn: filler(size), fixups: [] };
      if (v.kind === 'reloc' || target.reloc) {
        env.report('PL1016', target.span);
        return 'error';
      }
      const disp = env.pcDisplacement(v, env.address);
      if (disp === undefined) {
        if (v.kind !== 'symbol' || v.minus !== undefined) {
          env.report('PL1017', target.span, 'a branch target must be a symbol plus a constant');
          return 'error';
        }
        return far(op, m.fields, env, { type: 'R_RISCV_JAL', target: v, addend: v.addend }, size, largest);
      }
      if ((disp & 1n) !== 0n) {
        env.report('PL2007', target.span, disp, 2);
        return env.final ? 'error' : { insn: filler(size), fixups: [] };
      }
      const insn = near(op, m.fields, disp, size);
      if (insn) return { insn, fixups: [] };
      if (size < largest) return 'grow';
      env.report('PL2006', target.span, disp, op === 'jal' ? '±1 MiB' : '±1 MiB (a branch over a jump)');
      return env.final ? 'error' : { insn: filler(size), fixups: [] };
    },
  };
}
