// Data processing: add/sub (immediate, shifted and extended register), logical ops, move wide, bitfield moves, adr/adrp.
//
// W forms compute within 32 bits and write the result zero-extended to 64. Register 31 is SP where
// the encoding says `<Rd|SP>`/`<Rn|SP>` (add/sub immediate and extended, logical immediate's Rd) and
// the zero register everywhere else — in particular as the Rd of every flag-setting form (cmp, cmn, tst).
// Each function reads and writes the register file itself and passes no BigInt to a call V8 might not
// inline (word-halves.ts says why).

import type { ExecOutcome } from '../arch.js';
import type { CpuState } from '../cpu.js';
import * as flags from './flags.js';
import type { Insn } from './insn.js';
import * as operands from './operands.js';
import * as outcomes from './outcomes.js';
import * as registers from './registers.js';
import * as halves from './word-halves.js';

// Module-local copies of the imports the hot path uses, read once: an imported binding is re-read on
// every use (through its module natively, through a getter under tsx, which `npm run bench` uses),
// measured up to three times slower.
const { arithmeticFlags, flagsOfLogical, ONES, OPERANDS } = flags;
const { bitmaskImmediate, extendReg, readReg, shiftReg, writeReg } = operands;
const { next } = outcomes;
const { NZCV } = registers;
const { bitAt, POW2, shiftRightLogical } = halves;

/** SP[] or X[n] read as an `<Rn|SP>` operand, within the width. */
function readRegOrSp(regs: BigUint64Array, n: number, sf: number): bigint {
  return sf === 1 ? regs[n] : BigInt.asUintN(32, regs[n]);
}

/** Rd = x + y or x − y (both within the width), with NZCV for the S forms. Rd 31 is SP when `spDest`. */
function addSub(regs: BigUint64Array, sf: number, rd: number, x: bigint, y: bigint, sub: boolean, setFlags: boolean, spDest: boolean): void {
  const r = sf === 1
    ? (sub ? BigInt.asUintN(64, x - y) : BigInt.asUintN(64, x + y))
    : (sub ? BigInt.asUintN(32, x - y) : BigInt.asUintN(32, x + y));
  if (setFlags) {
    OPERANDS[0] = x;
    OPERANDS[1] = y;
    OPERANDS[2] = r;
    regs[NZCV] = arithmeticFlags(sf, sub);
  }
  if (rd !== 31 || spDest) regs[rd] = r;
}

/** ADD/ADDS/SUB/SUBS (immediate): imm12, shifted left by 12 when `sh`. ADD/SUB write SP for Rd = 31. */
export function addSubImmediate(cpu: CpuState, insn: Insn<'add_imm' | 'adds_imm' | 'sub_imm' | 'subs_imm'>): ExecOutcome {
  const { sf, op } = insn;
  const imm = BigInt(insn.sh === 1 ? insn.imm12 * 4096 : insn.imm12);
  const setFlags = op === 'adds_imm' || op === 'subs_imm';
  addSub(cpu.regs, sf, insn.rd, readRegOrSp(cpu.regs, insn.rn, sf), imm, op === 'sub_imm' || op === 'subs_imm', setFlags, !setFlags);
  return next(cpu);
}

/** ADD/ADDS/SUB/SUBS (shifted register): Rm shifted by LSL, LSR or ASR; every register 31 is the zero register. */
export function addSubShifted(cpu: CpuState, insn: Insn<'add_sreg' | 'adds_sreg' | 'sub_sreg' | 'subs_sreg'>): ExecOutcome {
  const { sf, op } = insn;
  const regs = cpu.regs;
  const m = readReg(regs, insn.rm, sf);
  const b = insn.imm6 === 0 ? m : shiftReg(m, insn.shift, insn.imm6, sf);
  const sub = op === 'sub_sreg' || op === 'subs_sreg';
  addSub(regs, sf, insn.rd, readReg(regs, insn.rn, sf), b, sub, op === 'adds_sreg' || op === 'subs_sreg', false);
  return next(cpu);
}

/** ADD/ADDS/SUB/SUBS (extended register): Rn may be SP, Rm (zero register for 31) extended and shifted. */
export function addSubExtended(cpu: CpuState, insn: Insn<'add_ext' | 'adds_ext' | 'sub_ext' | 'subs_ext'>): ExecOutcome {
  const { sf, op } = insn;
  const regs = cpu.regs;
  const b = extendReg(insn.rm === 31 ? 0n : regs[insn.rm], insn.option, insn.imm3, sf);
  const setFlags = op === 'adds_ext' || op === 'subs_ext';
  addSub(regs, sf, insn.rd, readRegOrSp(regs, insn.rn, sf), b, op === 'sub_ext' || op === 'subs_ext', setFlags, !setFlags);
  return next(cpu);
}

/** AND/ORR/EOR/ANDS (immediate): the bitmask immediate; AND/ORR/EOR write SP for Rd = 31, ANDS the zero register. */
export function logicalImmediate(cpu: CpuState, insn: Insn<'and_imm' | 'orr_imm' | 'eor_imm' | 'ands_imm'>): ExecOutcome {
  const { sf, rd } = insn;
  const regs = cpu.regs;
  const a = readReg(regs, insn.rn, sf);
  const imm = bitmaskImmediate(sf, insn.n, insn.immr, insn.imms);
  switch (insn.op) {
    case 'and_imm': regs[rd] = a & imm; break;
    case 'orr_imm': regs[rd] = a | imm; break;
    case 'eor_imm': regs[rd] = a ^ imm; break;
    case 'ands_imm': {
      const r = a & imm;
      regs[NZCV] = flagsOfLogical(r, sf);
      writeReg(regs, rd, r);
      break;
    }
  }
  return next(cpu);
}

type LogicalShiftedOp = 'and_sreg' | 'bic_sreg' | 'orr_sreg' | 'orn_sreg' | 'eor_sreg' | 'eon_sreg' | 'ands_sreg' | 'bics_sreg';

/** AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register, ROR allowed): the N forms invert the shifted Rm. */
export function logicalShifted(cpu: CpuState, insn: Insn<LogicalShiftedOp>): ExecOutcome {
  const { sf, op } = insn;
  const regs = cpu.regs;
  const a = readReg(regs, insn.rn, sf);
  const m = readReg(regs, insn.rm, sf);
  const shifted = insn.imm6 === 0 ? m : shiftReg(m, insn.shift, insn.imm6, sf);
  const b = op === 'bic_sreg' || op === 'orn_sreg' || op === 'eon_sreg' || op === 'bics_sreg' ? shifted ^ ONES[sf] : shifted;
  let r: bigint;
  switch (op) {
    case 'and_sreg': case 'bic_sreg': case 'ands_sreg': case 'bics_sreg': r = a & b; break;
    case 'orr_sreg': case 'orn_sreg': r = a | b; break;
    case 'eor_sreg': case 'eon_sreg': r = a ^ b; break;
  }
  if (op === 'ands_sreg' || op === 'bics_sreg') regs[NZCV] = flagsOfLogical(r, sf);
  writeReg(regs, insn.rd, r);
  return next(cpu);
}

/** By hw: every bit but those of the 16-bit chunk hw. */
const CHUNK_CLEARED: readonly bigint[] = [0, 1, 2, 3].map((hw) => BigInt.asUintN(64, ~(0xffffn << BigInt(16 * hw))));

/** MOVZ, MOVN (the inverted chunk), MOVK (one 16-bit chunk replaced; a W result clears the upper half). */
export function moveWide(cpu: CpuState, insn: Insn<'movz' | 'movn' | 'movk'>): ExecOutcome {
  const { sf, rd } = insn;
  const regs = cpu.regs;
  const chunk = BigInt(insn.imm16) * POW2[16 * insn.hw];
  switch (insn.op) {
    case 'movz': writeReg(regs, rd, chunk); break;
    case 'movn': writeReg(regs, rd, chunk ^ ONES[sf]); break;
    case 'movk': writeReg(regs, rd, (readReg(regs, rd, sf) & CHUNK_CLEARED[insn.hw]) | chunk); break;
  }
  return next(cpu);
}

const FIELD_ONES: readonly bigint[] = Array.from({ length: 65 }, (_, i) => (1n << BigInt(i)) - 1n);

/**
 * SBFM, BFM, UBFM with N = sf (so the element is the whole register; R = immr, S = imms). The Arm ARM
 * builds wmask and tmask with DecodeBitMasks; they come down to two cases:
 *   S >= R: bits R..S of the source move to bits 0..S−R (ubfx, sbfx, bfxil, lsr, asr, the extends);
 *   S <  R: bits 0..S of the source move to bits W−R..W−R+S (ubfiz, sbfiz, bfi, lsl).
 * UBFM zeroes the rest, SBFM fills above the field with its top bit, BFM keeps the destination's bits.
 */
export function bitfieldMove(cpu: CpuState, insn: Insn<'sbfm' | 'bfm' | 'ubfm'>): ExecOutcome {
  const { sf, immr: r, imms: s } = insn;
  const regs = cpu.regs;
  const src = readReg(regs, insn.rn, sf);
  const extract = s >= r;
  const fieldWidth = extract ? s - r + 1 : s + 1;
  const pos = extract ? 0 : (sf === 1 ? 64 : 32) - r;
  const field = ((extract ? shiftRightLogical(src, r) : src) & FIELD_ONES[fieldWidth]) * POW2[pos];
  let result: bigint;
  switch (insn.op) {
    case 'ubfm': result = field; break;
    case 'bfm': result = (readReg(regs, insn.rd, sf) & ((FIELD_ONES[fieldWidth] * POW2[pos]) ^ ONES[sf])) | field; break;
    case 'sbfm':
      // Bits above the field copy its top bit (source bit S); below it (the insert case) they are 0.
      result = bitAt(src, s) === 0 ? field : field | (ONES[sf] ^ FIELD_ONES[pos + fieldWidth]);
      break;
  }
  writeReg(regs, insn.rd, result);
  return next(cpu);
}

const PAGE = 0xffff_ffff_ffff_f000n;

/** ADR: pc + imm21 bytes; ADRP: the pc's 4-KiB page + imm21 pages. Rd 31 is the zero register. */
export function pcRelativeAddress(cpu: CpuState, insn: Insn<'adr' | 'adrp'>): ExecOutcome {
  const pc = cpu.pc;
  const offset = BigInt(insn.op === 'adr' ? insn.imm21 : insn.imm21 * 4096);
  writeReg(cpu.regs, insn.rd, BigInt.asUintN(64, (insn.op === 'adr' ? pc : pc & PAGE) + offset));
  return next(cpu);
}

/** LSLV, LSRV, ASRV, RORV (lsl, lsr, asr, ror by a register): the amount is Rm modulo the width. */
export function shiftByRegister(cpu: CpuState, insn: Insn<'lslv' | 'lsrv' | 'asrv' | 'rorv'>): ExecOutcome {
  const regs = cpu.regs;
  const sf = insn.sf;
  const amount = Number(readReg(regs, insn.rm, 1) & (sf === 1 ? 63n : 31n));
  const kind = insn.op === 'lslv' ? 0 : insn.op === 'lsrv' ? 1 : insn.op === 'asrv' ? 2 : 3;
  writeReg(regs, insn.rd, shiftReg(readReg(regs, insn.rn, sf), kind, amount, sf));
  return next(cpu);
}

/**
 * CSEL, CSINC, CSINV, CSNEG (and their aliases cset, csetm, cinc, cinv, cneg): Rd = Rn if the condition
 * holds, else Rm, Rm + 1, NOT Rm or −Rm within the width. Flags are read, never written.
 */
export function conditionalSelect(cpu: CpuState, insn: Insn<'csel' | 'csinc' | 'csinv' | 'csneg'>): ExecOutcome {
  const regs = cpu.regs;
  const sf = insn.sf;
  let r: bigint;
  if (flags.conditionHolds(regs, insn.cond)) r = readReg(regs, insn.rn, sf);
  else {
    const m = readReg(regs, insn.rm, sf);
    switch (insn.op) {
      case 'csel': r = m; break;
      case 'csinc': r = (m + 1n) & ONES[sf]; break;
      case 'csinv': r = ~m & ONES[sf]; break;
      default: r = (ONES[sf] + 1n - m) & ONES[sf];
    }
  }
  writeReg(regs, insn.rd, r);
  return next(cpu);
}
