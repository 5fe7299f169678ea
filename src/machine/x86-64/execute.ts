// What each x86-64 instruction does: every table-forms.ts entry compiled once into a Step, then run.
//
// A decoded instruction is plain data; turning its operands into register slots and immediates into
// 32-bit halves each time it runs would cost more than running it. So the first execution compiles it
// into a closure, kept by the instruction object (the run loop's decode cache reuses it), and every later
// one only calls that: found through the previous instruction's links to what ran after it, or else a
// WeakMap. A decoder that made a new object per fetch would compile every time: correct, only slower.
// A lock prefix is checked at compile time: it is #UD unless the form is lockable and its destination is
// memory (Intel SDM vol. 2, LOCK).

import { assertNever } from '../../base/assert.js';
import type { X86Insn } from '../../isa/x86-64/index.js';
import { X86_FORMS } from '../../isa/x86-64/table-forms.js';
import { type DataBus, type ExecOutcome, type InsnClass, INSN_CLASS } from '../arch.js';
import type { CpuState } from '../cpu.js';
import { compileAlu, compileIncDec, compileLea, compileMov } from './execute-alu.js';
import {
  compileCall, compileCallIndirect, compileIret, compileJcc, compileJmp, compileJmpIndirect, compilePop, compilePopf, compilePush,
  compilePushf, compileRet,
} from './execute-branch.js';
import { compileCmpxchg, compileXadd, compileXchg } from './execute-atomic.js';
import { compileBitTest, compileShift } from './execute-shift.js';
import {
  compileBarrier, compileCli, compileCpuid, compileDirection, compileHlt, compileInt3, compileMovSreg, compileNop, compileSerialize,
  compileSti,
} from './execute-system.js';
import * as operands from './operands.js';
import { pcMove } from './operands.js';
import { undefinedStep, UNSUPPORTED, type Step } from './outcomes.js';

// A module-local copy of the import the hot path uses, read once: an imported binding is re-read on every
// use (through its module natively, through a getter under tsx, which `npm run bench` uses).
const { halves } = operands;

const LOCK = 0xf0;

function lockAllowed(insn: X86Insn): boolean {
  if (!insn.prefixes.includes(LOCK)) return true;
  const last = insn.operands[insn.operands.length - 1];
  return X86_FORMS[insn.op].lockable === true && last?.kind === 'mem';
}

/** The Step of one instruction (its table entry, its operands, its length). */
export function compile(insn: X86Insn): Step {
  if (!lockAllowed(insn)) return undefinedStep;
  const len = pcMove(BigInt(insn.length));
  const op = insn.op;
  switch (op) {
    case 'add_rm8_r8': case 'add_rm_r': case 'add_r8_rm8': case 'add_r_rm': case 'add_rm_simm8': case 'add_al_imm8': case 'add_ax_immz': case 'add_rm8_imm8': case 'add_rm_immz':
      return compileAlu('add', insn, len);
    case 'or_rm8_r8': case 'or_rm_r': case 'or_r8_rm8': case 'or_r_rm': case 'or_rm_simm8': case 'or_al_imm8': case 'or_ax_immz': case 'or_rm8_imm8': case 'or_rm_immz':
      return compileAlu('or', insn, len);
    case 'adc_rm8_r8': case 'adc_rm_r': case 'adc_r8_rm8': case 'adc_r_rm': case 'adc_rm_simm8': case 'adc_al_imm8': case 'adc_ax_immz': case 'adc_rm8_imm8': case 'adc_rm_immz':
      return compileAlu('adc', insn, len);
    case 'sbb_rm8_r8': case 'sbb_rm_r': case 'sbb_r8_rm8': case 'sbb_r_rm': case 'sbb_rm_simm8': case 'sbb_al_imm8': case 'sbb_ax_immz': case 'sbb_rm8_imm8': case 'sbb_rm_immz':
      return compileAlu('sbb', insn, len);
    case 'and_rm8_r8': case 'and_rm_r': case 'and_r8_rm8': case 'and_r_rm': case 'and_rm_simm8': case 'and_al_imm8': case 'and_ax_immz': case 'and_rm8_imm8': case 'and_rm_immz':
      return compileAlu('and', insn, len);
    case 'sub_rm8_r8': case 'sub_rm_r': case 'sub_r8_rm8': case 'sub_r_rm': case 'sub_rm_simm8': case 'sub_al_imm8': case 'sub_ax_immz': case 'sub_rm8_imm8': case 'sub_rm_immz':
      return compileAlu('sub', insn, len);
    case 'xor_rm8_r8': case 'xor_rm_r': case 'xor_r8_rm8': case 'xor_r_rm': case 'xor_rm_simm8': case 'xor_al_imm8': case 'xor_ax_immz': case 'xor_rm8_imm8': case 'xor_rm_immz':
      return compileAlu('xor', insn, len);
    case 'cmp_rm8_r8': case 'cmp_rm_r': case 'cmp_r8_rm8': case 'cmp_r_rm': case 'cmp_rm_simm8': case 'cmp_al_imm8': case 'cmp_ax_immz': case 'cmp_rm8_imm8': case 'cmp_rm_immz':
      return compileAlu('cmp', insn, len);
    case 'test_al_imm8': case 'test_ax_immz': case 'test_rm8_imm8': case 'test_rm_immz': case 'test_rm8_r8': case 'test_rm_r':
      return compileAlu('test', insn, len);
    case 'inc_rm8': case 'inc_rm':
      return compileIncDec(true, insn, len);
    case 'dec_rm8': case 'dec_rm':
      return compileIncDec(false, insn, len);
    case 'mov_r8_imm8': case 'mov_r_immv': case 'mov_rm8_imm8': case 'mov_rm_immz': case 'mov_al_moffs': case 'mov_ax_moffs':
    case 'mov_moffs_al': case 'mov_moffs_ax': case 'mov_rm8_r8': case 'mov_rm_r': case 'mov_r8_rm8': case 'mov_r_rm':
      return compileMov(insn, len);
    case 'lea':
      return compileLea(insn, len);
    case 'jmp_rel8': case 'jmp_rel32':
      return compileJmp(insn);
    case 'jcc_rel8': case 'jcc_rel32':
      return compileJcc(insn, len);
    case 'call_rel32':
      return compileCall(insn, len);
    case 'call_rm':
      return compileCallIndirect(insn, len);
    case 'jmp_rm':
      return compileJmpIndirect(insn);
    case 'ret': case 'ret_imm16':
      return compileRet(insn);
    case 'push_r': case 'push_simm8': case 'push_immz': case 'push_m':
      return compilePush(insn, len);
    case 'pushf':
      return compilePushf(insn, len);
    case 'popf':
      return compilePopf(insn, len);
    case 'shl_rm8_1': case 'shl_rm_1': case 'shl_rm8_cl': case 'shl_rm_cl': case 'shl_rm8_imm8': case 'shl_rm_imm8':
      return compileShift('shl', insn, len);
    case 'shr_rm8_1': case 'shr_rm_1': case 'shr_rm8_cl': case 'shr_rm_cl': case 'shr_rm8_imm8': case 'shr_rm_imm8':
      return compileShift('shr', insn, len);
    case 'sar_rm8_1': case 'sar_rm_1': case 'sar_rm8_cl': case 'sar_rm_cl': case 'sar_rm8_imm8': case 'sar_rm_imm8':
      return compileShift('sar', insn, len);
    case 'bt_rm_r': case 'bt_rm_imm8':
      return compileBitTest('bt', insn, len);
    case 'bts_rm_r': case 'bts_rm_imm8':
      return compileBitTest('bts', insn, len);
    case 'btr_rm_r': case 'btr_rm_imm8':
      return compileBitTest('btr', insn, len);
    case 'xchg_acc_r': case 'xchg_rm8_r8': case 'xchg_rm_r':
      return compileXchg(insn, len);
    case 'xadd_rm8_r8': case 'xadd_rm_r':
      return compileXadd(insn, len);
    case 'cmpxchg_rm8_r8': case 'cmpxchg_rm_r':
      return compileCmpxchg(insn, len);
    case 'pop_r':
      return compilePop(insn, len);
    case 'iret':
      return compileIret(insn);
    case 'int3':
      return compileInt3(len);
    case 'ud2': case 'ud1':
      return undefinedStep;
    case 'hlt':
      return compileHlt(len);
    case 'cli':
      return compileCli(len);
    case 'sti':
      return compileSti(len);
    case 'cld': case 'std':
      return compileDirection(op === 'std', len);
    case 'mov_rreg_sreg':
      return compileMovSreg(insn, len);
    case 'swapgs': case 'mov_r64_cr': case 'mov_cr_r64':
      // The model has no gs base to swap (its memory is flat) and no control registers: decoded and printed, not run.
      return () => UNSUPPORTED;
    case 'cpuid':
      return compileCpuid(len);
    case 'serialize':
      return compileSerialize(len);
    case 'lfence': case 'mfence': case 'sfence': case 'pause':
      return compileBarrier(op, len);
    case 'nop': case 'nop_rm': case 'xchg_ax_ax': case 'endbr64':
      return compileNop(len);
    case 'prefix':
      // A prefix the bytes end after: the CPU would join it to bytes nobody can fetch. No instruction.
      return undefinedStep;
    default:
      return assertNever(op, 'x86-64 instruction');
  }
}

/**
 * A compiled instruction, with the last two instructions that ran after it. Looking the next one up
 * there is a pointer comparison; the WeakMap (by instruction object) is the fallback.
 */
interface Compiled {
  readonly step: Step;
  firstInsn: X86Insn | undefined;
  first: Compiled | undefined;
  secondInsn: X86Insn | undefined;
  second: Compiled | undefined;
}

const compiled = new WeakMap<X86Insn, Compiled>();
let last: Compiled = { step: undefinedStep, firstInsn: undefined, first: undefined, secondInsn: undefined, second: undefined };

function lookup(insn: X86Insn): Compiled {
  let c = compiled.get(insn);
  if (c === undefined) {
    c = { step: compile(insn), firstInsn: undefined, first: undefined, secondInsn: undefined, second: undefined };
    compiled.set(insn, c);
  }
  return c;
}

export function executeX86(cpu: CpuState, insn: X86Insn, _length: number, bus: DataBus): ExecOutcome {
  const prev = last;
  let c: Compiled;
  if (prev.firstInsn === insn) c = prev.first!;
  else if (prev.secondInsn === insn) c = prev.second!;
  else {
    c = lookup(insn);
    prev.secondInsn = prev.firstInsn;
    prev.second = prev.first;
    prev.firstInsn = insn;
    prev.first = c;
  }
  last = c;
  // The sti shadow covers exactly one instruction: whatever runs now ends it (sti may start a new one).
  cpu.irqShadow = false;
  return c.step(cpu, halves(cpu.regs), bus);
}

const { none: NONE, direct: DIRECT, directCall: DIRECT_CALL, indirect: INDIRECT, indirectCall: INDIRECT_CALL, return: RETURN } = INSN_CLASS;

/** For the cost report. iret goes where the exception frame says, as a return does. */
export function classifyX86(insn: X86Insn): InsnClass {
  switch (insn.op) {
    case 'jmp_rel8': case 'jmp_rel32': case 'jcc_rel8': case 'jcc_rel32':
      return DIRECT;
    case 'call_rel32':
      return DIRECT_CALL;
    case 'jmp_rm':
      return INDIRECT;
    case 'call_rm':
      return INDIRECT_CALL;
    case 'ret': case 'ret_imm16': case 'iret':
      return RETURN;
    default:
      return NONE;
  }
}
