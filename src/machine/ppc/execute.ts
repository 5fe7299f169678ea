// What each ppc instruction does, in 32- or 64-bit mode: one switch over every table entry.
//
// Branches set the pc themselves. Everything else moves it to the next word, except where the
// architecture leaves it on the instruction: a data fault, an illegal instruction, a trap that holds
// (SRR0 would point at the instruction). `sc` does advance: the system call interrupt is taken after it.
// The cases run most often come first: a switch over strings compares them in order.

import { assertNever } from '../../base/assert.js';
import type { PpcInsn } from '../../isa/ppc/table.js';
import { type DataBus, type ExecOutcome, type InsnClass, INSN_CLASS } from '../arch.js';
import type { CpuState } from '../cpu.js';
import { addImmediate, compare, logicImmediate, multiply, orRegisters, wrap } from './execute-alu.js';
import { addWithCarry } from './execute-add.js';
import { rotate } from './execute-rotate.js';
import { branchConditional, branchI, branchToCtr, branchToLr } from './execute-branch.js';
import { load, LOADS, store, STORES } from './execute-memory.js';
import {
  cacheBlock, isync, moveFromCr, moveFromCrField, moveFromMsr, moveFromSpr, moveToCrFields, moveToMsr, moveToSpr, sync, systemCall, trapWord,
} from './execute-system.js';
import { NEXT, UNDEFINED } from './outcomes.js';

function advance(cpu: CpuState, is64: boolean): ExecOutcome {
  cpu.pc = wrap(is64, cpu.pc + 4n);
  return NEXT;
}

/** Move past the instruction unless the outcome stops on it. */
function after(cpu: CpuState, out: ExecOutcome, is64: boolean): ExecOutcome {
  if (out.kind === 'fault' || (out.kind === 'trap' && out.trap !== 'syscall')) return out;
  cpu.pc = wrap(is64, cpu.pc + 4n);
  return out;
}

export function executePpc(cpu: CpuState, insn: PpcInsn, bus: DataBus, is64: boolean): ExecOutcome {
  switch (insn.op) {
    case 'addi': case 'addis':
      addImmediate(cpu, insn, is64);
      return advance(cpu, is64);
    case 'bc': case 'bca': case 'bcl': case 'bcla':
      return branchConditional(cpu, insn, is64);
    case 'bclr': case 'bclrl':
      return branchToLr(cpu, insn, is64);
    case 'b': case 'ba': case 'bl': case 'bla':
      return branchI(cpu, insn, is64);
    case 'bcctr': case 'bcctrl':
      return branchToCtr(cpu, insn, is64);
    case 'lwz': case 'lwzu': case 'lbz': case 'lbzu': case 'lhz': case 'lhzu': case 'lha': case 'lhau':
      return after(cpu, load(cpu, bus, is64, LOADS[insn.op], insn.rt, insn.ra, insn.d), is64);
    case 'ld': case 'ldu': case 'lwa':
      return after(cpu, load(cpu, bus, is64, LOADS[insn.op], insn.rt, insn.ra, insn.ds), is64);
    case 'stw': case 'stwu': case 'stb': case 'stbu': case 'sth': case 'sthu':
      return after(cpu, store(cpu, bus, is64, STORES[insn.op], insn.rs, insn.ra, insn.d), is64);
    case 'std': case 'stdu':
      return after(cpu, store(cpu, bus, is64, STORES[insn.op], insn.rs, insn.ra, insn.ds), is64);
    case 'or': case 'or.':
      orRegisters(cpu, insn, is64);
      return advance(cpu, is64);
    case 'add': case 'add.': case 'addo': case 'addo.': case 'subf': case 'subf.': case 'subfo': case 'subfo.':
    case 'neg': case 'neg.': case 'nego': case 'nego.': case 'addc': case 'addc.': case 'addco': case 'addco.':
    case 'subfc': case 'subfc.': case 'subfco': case 'subfco.': case 'adde': case 'adde.': case 'addeo': case 'addeo.':
    case 'subfe': case 'subfe.': case 'subfeo': case 'subfeo.': case 'addze': case 'addze.': case 'addzeo': case 'addzeo.':
    case 'addme': case 'addme.': case 'addmeo': case 'addmeo.': case 'subfze': case 'subfze.': case 'subfzeo': case 'subfzeo.':
    case 'subfme': case 'subfme.': case 'subfmeo': case 'subfmeo.':
    case 'addic': case 'addic.': case 'subfic':
      addWithCarry(cpu, insn, is64);
      return advance(cpu, is64);
    case 'ori': case 'oris': case 'xori': case 'xoris': case 'andi.': case 'andis.':
      logicImmediate(cpu, insn, is64);
      return advance(cpu, is64);
    case 'rlwinm': case 'rlwinm.': case 'rlwimi': case 'rlwimi.': case 'rlwnm': case 'rlwnm.':
      rotate(cpu, insn, is64);
      return advance(cpu, is64);
    case 'rldicl': case 'rldicl.': case 'rldicr': case 'rldicr.': case 'rldic': case 'rldic.': case 'rldimi': case 'rldimi.':
    case 'rldcl': case 'rldcl.': case 'rldcr': case 'rldcr.':
      if (!is64) return UNDEFINED;
      rotate(cpu, insn, is64);
      return advance(cpu, is64);
    case 'mulli': case 'mullw': case 'mullw.': case 'mullwo': case 'mullwo.': case 'mulhw': case 'mulhw.': case 'mulhwu': case 'mulhwu.':
      multiply(cpu, insn, is64);
      return advance(cpu, is64);
    case 'mulld': case 'mulld.': case 'mulldo': case 'mulldo.': case 'mulhd': case 'mulhd.': case 'mulhdu': case 'mulhdu.':
      if (!is64) return UNDEFINED;
      multiply(cpu, insn, is64);
      return advance(cpu, is64);
    case 'cmpi': case 'cmpli': case 'cmp': case 'cmpl':
      compare(cpu, insn, is64);
      return advance(cpu, is64);
    case 'nop':
      return advance(cpu, is64);
    case 'mtspr':
      return after(cpu, moveToSpr(cpu, insn, is64), is64);
    case 'mfspr':
      return after(cpu, moveFromSpr(cpu, insn), is64);
    case 'sync':
      return after(cpu, sync(insn), is64);
    case 'isync':
      return after(cpu, isync(), is64);
    case 'icbi': case 'dcbst': case 'dcbf':
      return after(cpu, cacheBlock(cpu, insn, bus, is64), is64);
    case 'tw': case 'twi': case 'td': case 'tdi':
      return after(cpu, trapWord(cpu, insn, is64), is64);
    case 'mfcr':
      moveFromCr(cpu, insn);
      return advance(cpu, is64);
    case 'mfocrf':
      moveFromCrField(cpu, insn);
      return advance(cpu, is64);
    case 'mtcrf': case 'mtocrf':
      moveToCrFields(cpu, insn);
      return advance(cpu, is64);
    case 'mfmsr':
      moveFromMsr(cpu, insn);
      return advance(cpu, is64);
    case 'mtmsr':
      moveToMsr(cpu, insn);
      return advance(cpu, is64);
    case 'mtmsrd':
      if (!is64) return UNDEFINED;
      moveToMsr(cpu, insn);
      return advance(cpu, is64);
    case 'sc':
      return after(cpu, systemCall(insn), is64);
    default:
      return assertNever(insn, 'ppc instruction');
  }
}

const { none: NONE, direct: DIRECT, directCall: DIRECT_CALL, indirect: INDIRECT, indirectCall: INDIRECT_CALL, return: RETURN } = INSN_CLASS;

/**
 * For the cost report. `bcl 20,31,$+4` only reads the pc (the ISA singles it out so that it does not
 * disturb return prediction): a direct branch, not a call. A conditional `beqlr` is still a return.
 */
export function classifyPpc(insn: PpcInsn): InsnClass {
  switch (insn.op) {
    case 'b': case 'ba': case 'bc': case 'bca':
      return DIRECT;
    case 'bl': case 'bla': case 'bcla':
      return DIRECT_CALL;
    case 'bcl':
      return insn.bo === 20 && insn.bi === 31 && insn.bd === 4 ? DIRECT : DIRECT_CALL;
    case 'bclr':
      return RETURN;
    case 'bcctr':
      return INDIRECT;
    case 'bclrl': case 'bcctrl':
      return INDIRECT_CALL;
    default:
      return NONE;
  }
}
