// Branches: b, bl, b.cond, cbz/cbnz, tbz/tbnz, br, blr, ret. Each sets the pc itself.
//
// Offsets are in instructions (the decoder sign-extends them); targets wrap at 2^64 as the pc does.
// The register forms read the target before `blr` writes x30, so `blr x30` calls the old x30.

import type { ExecOutcome } from '../arch.js';
import type { CpuState } from '../cpu.js';
import * as flags from './flags.js';
import type { Insn } from './insn.js';
import * as outcomes from './outcomes.js';
import * as registers from './registers.js';
import * as halves from './word-halves.js';

// Module-local copies of the imports the hot path uses, read once: an imported binding is re-read on
// every use (through its module natively, through a getter under tsx, which `npm run bench` uses),
// measured up to three times slower.
const { conditionHolds } = flags;
const { NEXT } = outcomes;
const { LR } = registers;
const { bitAt } = halves;

/** The pc moves by `words` instructions (1 when a branch is not taken). */
function advanceBy(cpu: CpuState, words: number): ExecOutcome {
  cpu.pc = BigInt.asUintN(64, cpu.pc + BigInt(words * 4));
  return NEXT;
}

/** B, BL (x30 = the next instruction). */
export function branchImmediate(cpu: CpuState, insn: Insn<'b' | 'bl'>): ExecOutcome {
  if (insn.op === 'bl') cpu.regs[LR] = cpu.pc + 4n;
  return advanceBy(cpu, insn.imm26);
}

/** B.cond: ConditionHolds on NZCV; AL and NV always branch. */
export function branchConditional(cpu: CpuState, insn: Insn<'b_cond'>): ExecOutcome {
  return advanceBy(cpu, conditionHolds(cpu.regs, insn.cond) ? insn.imm19 : 1);
}

/** CBZ/CBNZ: compare the W or X register (31 is the zero register: cbz wzr always branches). */
export function compareAndBranch(cpu: CpuState, insn: Insn<'cbz' | 'cbnz'>): ExecOutcome {
  const rt = insn.rt;
  const zero = rt === 31 || (insn.sf === 1 ? cpu.regs[rt] === 0n : BigInt.asUintN(32, cpu.regs[rt]) === 0n);
  return advanceBy(cpu, zero === (insn.op === 'cbz') ? insn.imm19 : 1);
}

/** TBZ/TBNZ: test bit `bit` (0..63) of the register. */
export function testAndBranch(cpu: CpuState, insn: Insn<'tbz' | 'tbnz'>): ExecOutcome {
  const zero = insn.rt === 31 || bitAt(cpu.regs[insn.rt], insn.bit) === 0;
  return advanceBy(cpu, zero === (insn.op === 'tbz') ? insn.imm14 : 1);
}

/** BR, BLR, RET: to X[n] (31 is the zero register). BLR writes x30 after reading the target. */
export function branchRegister(cpu: CpuState, insn: Insn<'br' | 'blr' | 'ret'>): ExecOutcome {
  const target = insn.rn === 31 ? 0n : cpu.regs[insn.rn];
  if (insn.op === 'blr') cpu.regs[LR] = cpu.pc + 4n;
  cpu.pc = target;
  return NEXT;
}
