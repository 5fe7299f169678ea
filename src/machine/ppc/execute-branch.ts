// Branches (Power ISA Book I, chapter 2): b/ba/bl/bla, the bc forms, and bclr/bcctr through LR and CTR.
//
// BO bits, as the ISA numbers them and as values here: BO0 = 16 ignore the CR bit, BO1 = 8 branch if
// it is set, BO2 = 4 leave CTR alone, BO3 = 2 branch when CTR reaches 0; the rest are hints.
//
//   BO2 = 0: CTR ← CTR − 1                  ctr_ok  ← BO2 | ((CTR ≠ 0) ⊕ BO3)
//                                           cond_ok ← BO0 | (CR[BI] ≡ BO1)
//   branch when ctr_ok ∧ cond_ok; with LK, LR ← CIA + 4 whether it branches or not.
//
// The decoded displacement is in bytes (relative forms) or the sign-extended address (the `a`
// forms). In 32-bit mode every address, CTR and LR are 32 bits: CTR wraps and is tested as a word.

import type { ExecOutcome } from '../arch.js';
import type { CpuState } from '../cpu.js';
import { wrap } from './execute-alu.js';
import type { Insn } from './insn.js';
import { NEXT, UNDEFINED } from './outcomes.js';
import { CR, crBit, CTR, LR } from './registers.js';

/** Evaluate BO/BI, decrementing CTR when BO asks: does the branch go? */
function taken(cpu: CpuState, bo: number, bi: number, is64: boolean): boolean {
  if ((bo & 4) === 0) {
    const ctr = wrap(is64, cpu.regs[CTR] - 1n);
    cpu.regs[CTR] = ctr;
    if ((ctr === 0n) !== ((bo & 2) !== 0)) return false;
  }
  return (bo & 16) !== 0 || crBit(cpu.regs[CR], bi) === ((bo & 8) !== 0);
}

/** b, ba, bl, bla: always taken. */
export function branchI(cpu: CpuState, insn: Insn<'b' | 'ba' | 'bl' | 'bla'>, is64: boolean): ExecOutcome {
  const cia = cpu.pc;
  if (insn.op === 'bl' || insn.op === 'bla') cpu.regs[LR] = wrap(is64, cia + 4n);
  cpu.pc = insn.op === 'b' || insn.op === 'bl' ? wrap(is64, cia + BigInt(insn.li)) : wrap(is64, BigInt(insn.li));
  return NEXT;
}

/** bc, bca, bcl, bcla (`bdnz`, `beq`, and `bcl 20,31,$+4` to learn the pc). */
export function branchConditional(cpu: CpuState, insn: Insn<'bc' | 'bca' | 'bcl' | 'bcla'>, is64: boolean): ExecOutcome {
  const cia = cpu.pc;
  const go = taken(cpu, insn.bo, insn.bi, is64);
  if (insn.op === 'bcl' || insn.op === 'bcla') cpu.regs[LR] = wrap(is64, cia + 4n);
  if (!go) cpu.pc = wrap(is64, cia + 4n);
  else cpu.pc = insn.op === 'bc' || insn.op === 'bcl' ? wrap(is64, cia + BigInt(insn.bd)) : wrap(is64, BigInt(insn.bd));
  return NEXT;
}

/** bclr, bclrl (`blr`, `beqlr`, `blrl`): the target is the old LR, read before LK replaces it. */
export function branchToLr(cpu: CpuState, insn: Insn<'bclr' | 'bclrl'>, is64: boolean): ExecOutcome {
  const cia = cpu.pc;
  const target = cpu.regs[LR] & ~3n;
  const go = taken(cpu, insn.bo, insn.bi, is64);
  if (insn.op === 'bclrl') cpu.regs[LR] = wrap(is64, cia + 4n);
  cpu.pc = go ? target : wrap(is64, cia + 4n);
  return NEXT;
}

/**
 * bcctr, bcctrl (`bctr`, `bctrl`). Decrementing the CTR it branches through (BO2 = 0) is an invalid
 * form: an illegal instruction, as qemu also makes it.
 */
export function branchToCtr(cpu: CpuState, insn: Insn<'bcctr' | 'bcctrl'>, is64: boolean): ExecOutcome {
  if ((insn.bo & 4) === 0) return UNDEFINED;
  const cia = cpu.pc;
  const go = taken(cpu, insn.bo, insn.bi, is64);
  if (insn.op === 'bcctrl') cpu.regs[LR] = wrap(is64, cia + 4n);
  cpu.pc = go ? cpu.regs[CTR] & ~3n : wrap(is64, cia + 4n);
  return NEXT;
}
