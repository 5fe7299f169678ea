// What each arm64 instruction does: a frozen table from every ISA table entry to its semantics.
//
// Branches set the pc themselves; everything else moves it to the next word unless the architecture
// leaves it on the instruction (a data fault, brk, udf, an UNDEFINED choice, eret). The table's type
// requires an entry for every op, so a new ISA entry fails to compile until it is given semantics.
// A short switch takes the entries compiled code runs most; the rest go through one hash lookup (a
// string switch over all 141 would compare them one by one).

import type { Arm64Insn, Arm64Op } from '../../isa/arm64/index.js';
import { type DataBus, type ExecOutcome, type InsnClass, INSN_CLASS } from '../arch.js';
import type { CpuState } from '../cpu.js';
import * as alu from './execute-alu.js';
import * as branch from './execute-branch.js';
import {
  LDR, LDRB, LDRH, LDRSW, loadLiteral, STR, STRB, STRH, transfer, transferPair, transferRegisterOffset,
} from './execute-memory.js';
import {
  breakpoint, dataMemoryBarrier, dataSynchronizationBarrier, exceptionCall, exceptionReturn, instructionSynchronizationBarrier,
  invalidateAllInstructionCaches, maintainByAddress, moveFromSystemRegister, moveToSystemRegister, permanentlyUndefined, writeDaif,
} from './execute-system.js';
import { acquireRelease, loadExclusive, storeExclusive } from './execute-exclusive.js';
import type { Insn } from './insn.js';
import { next } from './outcomes.js';

// Module-local copies of the imports the hot path uses, read once: an imported binding is re-read on
// every use (through its module natively, through a getter under tsx, which `npm run bench` uses),
// measured up to three times slower.
const {
  addSubExtended, addSubImmediate, addSubShifted, bitfieldMove, conditionalSelect, logicalImmediate, logicalShifted, moveWide, pcRelativeAddress,
  shiftByRegister,
} = alu;
const { branchConditional, branchImmediate, branchRegister, compareAndBranch, testAndBranch } = branch;

type Semantics<K extends Arm64Op> = (cpu: CpuState, insn: Insn<K>, bus: DataBus) => ExecOutcome;

const SEMANTICS: { readonly [K in Arm64Op]: Semantics<K> } = Object.freeze({
  // --- branches
  b: branchImmediate,
  bl: branchImmediate,
  b_cond: branchConditional,
  cbz: compareAndBranch,
  cbnz: compareAndBranch,
  tbz: testAndBranch,
  tbnz: testAndBranch,
  br: branchRegister,
  blr: branchRegister,
  ret: branchRegister,
  eret: exceptionReturn,
  // --- exceptions and system
  brk: breakpoint,
  svc: exceptionCall,
  hvc: exceptionCall,
  smc: exceptionCall,
  udf: permanentlyUndefined,
  nop: next,
  bti: next,
  hint: next,
  isb: instructionSynchronizationBarrier,
  dsb: dataSynchronizationBarrier,
  dmb: dataMemoryBarrier,
  sb: next,
  msr_daifset: writeDaif,
  msr_daifclr: writeDaif,
  mrs: moveFromSystemRegister,
  msr: moveToSystemRegister,
  dc_cvau: maintainByAddress,
  dc_cvac: maintainByAddress,
  dc_cvap: maintainByAddress,
  dc_civac: maintainByAddress,
  dc_ivac: maintainByAddress,
  ic_ivau: maintainByAddress,
  ic_iallu: invalidateAllInstructionCaches,
  ic_ialluis: invalidateAllInstructionCaches,
  // --- loads and stores: literal, unsigned offset (scaled by the size), pre/post-index and unscaled (imm9)
  ldr_lit: (cpu, i, bus) => loadLiteral(cpu, bus, LDR, i.sf, i.rt, i.imm19),
  ldrsw_lit: (cpu, i, bus) => loadLiteral(cpu, bus, LDRSW, 1, i.rt, i.imm19),
  ldr: (cpu, i, bus) => transfer(cpu, bus, LDR, i.sf, i.rt, i.rn, i.imm12 << (2 + i.sf), 'offset'),
  str: (cpu, i, bus) => transfer(cpu, bus, STR, i.sf, i.rt, i.rn, i.imm12 << (2 + i.sf), 'offset'),
  ldrb: (cpu, i, bus) => transfer(cpu, bus, LDRB, 0, i.rt, i.rn, i.imm12, 'offset'),
  strb: (cpu, i, bus) => transfer(cpu, bus, STRB, 0, i.rt, i.rn, i.imm12, 'offset'),
  ldrh: (cpu, i, bus) => transfer(cpu, bus, LDRH, 0, i.rt, i.rn, i.imm12 << 1, 'offset'),
  strh: (cpu, i, bus) => transfer(cpu, bus, STRH, 0, i.rt, i.rn, i.imm12 << 1, 'offset'),
  ldrsw: (cpu, i, bus) => transfer(cpu, bus, LDRSW, 1, i.rt, i.rn, i.imm12 << 2, 'offset'),
  ldr_pre: (cpu, i, bus) => transfer(cpu, bus, LDR, i.sf, i.rt, i.rn, i.imm9, 'pre'),
  str_pre: (cpu, i, bus) => transfer(cpu, bus, STR, i.sf, i.rt, i.rn, i.imm9, 'pre'),
  ldrb_pre: (cpu, i, bus) => transfer(cpu, bus, LDRB, 0, i.rt, i.rn, i.imm9, 'pre'),
  strb_pre: (cpu, i, bus) => transfer(cpu, bus, STRB, 0, i.rt, i.rn, i.imm9, 'pre'),
  ldrh_pre: (cpu, i, bus) => transfer(cpu, bus, LDRH, 0, i.rt, i.rn, i.imm9, 'pre'),
  strh_pre: (cpu, i, bus) => transfer(cpu, bus, STRH, 0, i.rt, i.rn, i.imm9, 'pre'),
  ldrsw_pre: (cpu, i, bus) => transfer(cpu, bus, LDRSW, 1, i.rt, i.rn, i.imm9, 'pre'),
  ldr_post: (cpu, i, bus) => transfer(cpu, bus, LDR, i.sf, i.rt, i.rn, i.imm9, 'post'),
  str_post: (cpu, i, bus) => transfer(cpu, bus, STR, i.sf, i.rt, i.rn, i.imm9, 'post'),
  ldrb_post: (cpu, i, bus) => transfer(cpu, bus, LDRB, 0, i.rt, i.rn, i.imm9, 'post'),
  strb_post: (cpu, i, bus) => transfer(cpu, bus, STRB, 0, i.rt, i.rn, i.imm9, 'post'),
  ldrh_post: (cpu, i, bus) => transfer(cpu, bus, LDRH, 0, i.rt, i.rn, i.imm9, 'post'),
  strh_post: (cpu, i, bus) => transfer(cpu, bus, STRH, 0, i.rt, i.rn, i.imm9, 'post'),
  ldrsw_post: (cpu, i, bus) => transfer(cpu, bus, LDRSW, 1, i.rt, i.rn, i.imm9, 'post'),
  ldur: (cpu, i, bus) => transfer(cpu, bus, LDR, i.sf, i.rt, i.rn, i.imm9, 'offset'),
  stur: (cpu, i, bus) => transfer(cpu, bus, STR, i.sf, i.rt, i.rn, i.imm9, 'offset'),
  ldurb: (cpu, i, bus) => transfer(cpu, bus, LDRB, 0, i.rt, i.rn, i.imm9, 'offset'),
  sturb: (cpu, i, bus) => transfer(cpu, bus, STRB, 0, i.rt, i.rn, i.imm9, 'offset'),
  ldurh: (cpu, i, bus) => transfer(cpu, bus, LDRH, 0, i.rt, i.rn, i.imm9, 'offset'),
  sturh: (cpu, i, bus) => transfer(cpu, bus, STRH, 0, i.rt, i.rn, i.imm9, 'offset'),
  ldursw: (cpu, i, bus) => transfer(cpu, bus, LDRSW, 1, i.rt, i.rn, i.imm9, 'offset'),
  ldr_reg: (cpu, i, bus) => transferRegisterOffset(cpu, bus, LDR, i.sf, i),
  str_reg: (cpu, i, bus) => transferRegisterOffset(cpu, bus, STR, i.sf, i),
  ldrb_reg: (cpu, i, bus) => transferRegisterOffset(cpu, bus, LDRB, 0, i),
  strb_reg: (cpu, i, bus) => transferRegisterOffset(cpu, bus, STRB, 0, i),
  ldrh_reg: (cpu, i, bus) => transferRegisterOffset(cpu, bus, LDRH, 0, i),
  strh_reg: (cpu, i, bus) => transferRegisterOffset(cpu, bus, STRH, 0, i),
  ldrsw_reg: (cpu, i, bus) => transferRegisterOffset(cpu, bus, LDRSW, 1, i),
  // --- exclusives and acquire/release
  stxr: storeExclusive,
  stxrb: storeExclusive,
  stxrh: storeExclusive,
  stlxr: storeExclusive,
  stlxrb: storeExclusive,
  stlxrh: storeExclusive,
  ldxr: loadExclusive,
  ldxrb: loadExclusive,
  ldxrh: loadExclusive,
  ldaxr: loadExclusive,
  ldaxrb: loadExclusive,
  ldaxrh: loadExclusive,
  stlr: acquireRelease,
  stlrb: acquireRelease,
  stlrh: acquireRelease,
  ldar: acquireRelease,
  ldarb: acquireRelease,
  ldarh: acquireRelease,
  // --- pairs: imm7 scaled by the size; the non-temporal hint of ldnp/stnp changes nothing here
  stp: (cpu, i, bus) => transferPair(cpu, bus, STR, i.sf, i.rt, i.rt2, i.rn, i.imm7, 'offset'),
  ldp: (cpu, i, bus) => transferPair(cpu, bus, LDR, i.sf, i.rt, i.rt2, i.rn, i.imm7, 'offset'),
  stp_pre: (cpu, i, bus) => transferPair(cpu, bus, STR, i.sf, i.rt, i.rt2, i.rn, i.imm7, 'pre'),
  ldp_pre: (cpu, i, bus) => transferPair(cpu, bus, LDR, i.sf, i.rt, i.rt2, i.rn, i.imm7, 'pre'),
  stp_post: (cpu, i, bus) => transferPair(cpu, bus, STR, i.sf, i.rt, i.rt2, i.rn, i.imm7, 'post'),
  ldp_post: (cpu, i, bus) => transferPair(cpu, bus, LDR, i.sf, i.rt, i.rt2, i.rn, i.imm7, 'post'),
  stnp: (cpu, i, bus) => transferPair(cpu, bus, STR, i.sf, i.rt, i.rt2, i.rn, i.imm7, 'offset'),
  ldnp: (cpu, i, bus) => transferPair(cpu, bus, LDR, i.sf, i.rt, i.rt2, i.rn, i.imm7, 'offset'),
  ldpsw: (cpu, i, bus) => transferPair(cpu, bus, LDRSW, 1, i.rt, i.rt2, i.rn, i.imm7, 'offset'),
  ldpsw_pre: (cpu, i, bus) => transferPair(cpu, bus, LDRSW, 1, i.rt, i.rt2, i.rn, i.imm7, 'pre'),
  ldpsw_post: (cpu, i, bus) => transferPair(cpu, bus, LDRSW, 1, i.rt, i.rt2, i.rn, i.imm7, 'post'),
  // --- data processing
  adr: pcRelativeAddress,
  adrp: pcRelativeAddress,
  add_imm: addSubImmediate,
  adds_imm: addSubImmediate,
  sub_imm: addSubImmediate,
  subs_imm: addSubImmediate,
  add_sreg: addSubShifted,
  adds_sreg: addSubShifted,
  sub_sreg: addSubShifted,
  subs_sreg: addSubShifted,
  add_ext: addSubExtended,
  adds_ext: addSubExtended,
  sub_ext: addSubExtended,
  subs_ext: addSubExtended,
  lslv: shiftByRegister,
  lsrv: shiftByRegister,
  asrv: shiftByRegister,
  rorv: shiftByRegister,
  csel: conditionalSelect,
  csinc: conditionalSelect,
  csinv: conditionalSelect,
  csneg: conditionalSelect,
  movz: moveWide,
  movn: moveWide,
  movk: moveWide,
  sbfm: bitfieldMove,
  bfm: bitfieldMove,
  ubfm: bitfieldMove,
  and_imm: logicalImmediate,
  orr_imm: logicalImmediate,
  eor_imm: logicalImmediate,
  ands_imm: logicalImmediate,
  and_sreg: logicalShifted,
  bic_sreg: logicalShifted,
  orr_sreg: logicalShifted,
  orn_sreg: logicalShifted,
  eor_sreg: logicalShifted,
  eon_sreg: logicalShifted,
  ands_sreg: logicalShifted,
  bics_sreg: logicalShifted,
});

type AnySemantics = (cpu: CpuState, insn: Arm64Insn, bus: DataBus) => ExecOutcome;

/** The same table as a Map: a keyed load from a frozen object measured twice as slow as Map.get. */
const DISPATCH: ReadonlyMap<string, AnySemantics> = new Map(Object.entries(SEMANTICS) as [string, AnySemantics][]);

/**
 * Execute one instruction at cpu.pc (MODEL.md section 1: one atomic step). Every arm64 instruction is
 * 4 bytes. The entries compiled code runs most are switched on first (measured: a few string compares
 * beat the hash lookup); the switch only shortcuts the table, it decides nothing.
 */
export function executeArm64(cpu: CpuState, insn: Arm64Insn, _length: number, bus: DataBus): ExecOutcome {
  switch (insn.op) {
    case 'add_imm': case 'sub_imm': case 'subs_imm': case 'adds_imm': return addSubImmediate(cpu, insn);
    case 'b_cond': return branchConditional(cpu, insn);
    case 'orr_sreg': return logicalShifted(cpu, insn);
    case 'b': case 'bl': return branchImmediate(cpu, insn);
    case 'ret': case 'br': case 'blr': return branchRegister(cpu, insn);
    case 'cbz': case 'cbnz': return compareAndBranch(cpu, insn);
    default: return DISPATCH.get(insn.op)!(cpu, insn, bus);
  }
}

const { none: NONE, direct: DIRECT, directCall: DIRECT_CALL, indirect: INDIRECT, indirectCall: INDIRECT_CALL, return: RETURN } = INSN_CLASS;

/** For the cost report. `eret` returns from an exception: a return. */
export function classifyArm64(insn: Arm64Insn): InsnClass {
  switch (insn.op) {
    case 'b': case 'b_cond': case 'cbz': case 'cbnz': case 'tbz': case 'tbnz':
      return DIRECT;
    case 'bl':
      return DIRECT_CALL;
    case 'br':
      return INDIRECT;
    case 'blr':
      return INDIRECT_CALL;
    case 'ret': case 'eret':
      return RETURN;
    default:
      return NONE;
  }
}
