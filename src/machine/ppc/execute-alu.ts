// Fixed-point arithmetic, logic and compares (Power ISA Book I, chapter 3), in 32- or 64-bit mode.
//
// Results are computed in BigInt and cut to the mode's width: ppc32 registers never hold more than 32
// bits. A record form (`add.`, `andi.`) sets CR0 from the result as a signed number of the mode's
// width (LT, GT or EQ) plus XER[SO]. Of XER, only the multiplies' `o` forms set something here (OV, SO);
// the adds and subtracts, which also carry, are execute-add.ts.

import type { CpuState } from '../cpu.js';
import type { Insn } from './insn.js';
import { CR, CR_EQ, CR_GT, CR_LT, CR_SO, setCrField, XER, XER_SO, xerAfterOverflow } from './registers.js';

/** `v` cut to the mode's register width. */
export function wrap(is64: boolean, v: bigint): bigint {
  return is64 ? BigInt.asUintN(64, v) : BigInt.asUintN(32, v);
}

/** The LT/GT/EQ nibble of comparing a with b, plus SO copied from XER. */
function compareNibble(cpu: CpuState, a: bigint, b: bigint): number {
  const so = (cpu.regs[XER] & XER_SO) !== 0n ? CR_SO : 0;
  return (a < b ? CR_LT : a > b ? CR_GT : CR_EQ) | so;
}

/** CR0 of a record form: the result against 0, signed, in the mode's width. */
export function recordCr0(cpu: CpuState, result: bigint, is64: boolean): void {
  const signed = is64 ? BigInt.asIntN(64, result) : BigInt.asIntN(32, result);
  cpu.regs[CR] = setCrField(cpu.regs[CR], 0, compareNibble(cpu, signed, 0n));
}

/** addi, addis (`li`, `lis`): RA = 0 means the value 0, not r0. addis adds EXTS(SI ‖ 0x0000). */
export function addImmediate(cpu: CpuState, insn: Insn<'addi' | 'addis'>, is64: boolean): void {
  const base = insn.ra === 0 ? 0n : cpu.regs[insn.ra];
  cpu.regs[insn.rt] = insn.op === 'addis' ? wrap(is64, base + (BigInt(insn.si) << 16n)) : wrap(is64, base + BigInt(insn.si));
}

/** ori, oris, xori, xoris, andi., andis.: the immediate is zero-extended (shifted 16 for the `s` forms). */
export function logicImmediate(cpu: CpuState, insn: Insn<'ori' | 'oris' | 'xori' | 'xoris' | 'andi.' | 'andis.'>, is64: boolean): void {
  const rs = cpu.regs[insn.rs];
  let result: bigint;
  switch (insn.op) {
    case 'ori': result = rs | BigInt(insn.ui); break;
    case 'oris': result = rs | (BigInt(insn.ui) << 16n); break;
    case 'xori': result = rs ^ BigInt(insn.ui); break;
    case 'xoris': result = rs ^ (BigInt(insn.ui) << 16n); break;
    case 'andi.': result = rs & BigInt(insn.ui); break;
    case 'andis.': result = rs & (BigInt(insn.ui) << 16n); break;
  }
  cpu.regs[insn.ra] = result;
  if (insn.op === 'andi.' || insn.op === 'andis.') recordCr0(cpu, result, is64);
}

/** or and or. (`mr`): the register logic the table has. */
export function orRegisters(cpu: CpuState, insn: Insn<'or' | 'or.'>, is64: boolean): void {
  const result = cpu.regs[insn.rs] | cpu.regs[insn.rb];
  cpu.regs[insn.ra] = result;
  if (insn.op === 'or.') recordCr0(cpu, result, is64);
}

/** A compare operand: the doubleword, or the low word sign- or zero-extended. */
const signedOf = (v: bigint, wide: boolean): bigint => (wide ? BigInt.asIntN(64, v) : BigInt.asIntN(32, v));
const unsignedOf = (v: bigint, wide: boolean): bigint => (wide ? v : BigInt.asUintN(32, v));

/**
 * cmp, cmpi (signed), cmpl, cmpli (unsigned) into CR field BF. L = 0 compares the low words (sign- or
 * zero-extended), L = 1 the doublewords. ppc32 compares words whatever L says: L = 1 is an invalid
 * form on a 32-bit implementation, and qemu (our reference) treats it as L = 0.
 */
export function compare(cpu: CpuState, insn: Insn<'cmp' | 'cmpi' | 'cmpl' | 'cmpli'>, is64: boolean): void {
  const wide = is64 && insn.l === 1;
  const a = cpu.regs[insn.ra];
  let nibble: number;
  switch (insn.op) {
    case 'cmp': nibble = compareNibble(cpu, signedOf(a, wide), signedOf(cpu.regs[insn.rb], wide)); break;
    case 'cmpi': nibble = compareNibble(cpu, signedOf(a, wide), BigInt(insn.si)); break;
    case 'cmpl': nibble = compareNibble(cpu, unsignedOf(a, wide), unsignedOf(cpu.regs[insn.rb], wide)); break;
    case 'cmpli': nibble = compareNibble(cpu, unsignedOf(a, wide), BigInt(insn.ui)); break;
  }
  cpu.regs[CR] = setCrField(cpu.regs[CR], insn.bf, nibble);
}

export type MultiplyOp = 'mulli' | 'mullw' | 'mullw.' | 'mullwo' | 'mullwo.' | 'mulhw' | 'mulhw.' | 'mulhwu' | 'mulhwu.'
  | 'mulld' | 'mulld.' | 'mulldo' | 'mulldo.' | 'mulhd' | 'mulhd.' | 'mulhdu' | 'mulhdu.';

/**
 * Multiplies. mullw multiplies the signed low words into a 64-bit product (ppc32 keeps its low word);
 * mulhw/mulhwu give the high word of the 32×32 product, the high word of RT undefined by the ISA and
 * zero here, as qemu leaves it; mulld/mulhd/mulhdu the low and high doublewords of the 64×64 product.
 * mullwo/mulldo set OV when the signed product does not fit 32 (64) bits, and on ppc64 OV32 to the same
 * (ISA 3.0, and qemu's POWER9), SO with OV.
 */
export function multiply(cpu: CpuState, insn: Insn<MultiplyOp>, is64: boolean): void {
  const a = cpu.regs[insn.ra];
  const b = insn.op === 'mulli' ? BigInt(insn.si) : cpu.regs[insn.rb];
  let result: bigint;
  /** Whether the product overflowed, for the `o` forms only. */
  let overflow: boolean | undefined;
  switch (insn.op) {
    case 'mulli': result = wrap(is64, signedOf(a, is64) * b); break;
    case 'mullw': case 'mullw.': result = wrap(is64, BigInt.asIntN(32, a) * BigInt.asIntN(32, b)); break;
    case 'mullwo': case 'mullwo.': {
      const product = BigInt.asIntN(32, a) * BigInt.asIntN(32, b);
      result = wrap(is64, product);
      overflow = product !== BigInt.asIntN(32, product);
      break;
    }
    case 'mulhw': case 'mulhw.': result = BigInt.asUintN(32, (BigInt.asIntN(32, a) * BigInt.asIntN(32, b)) >> 32n); break;
    case 'mulhwu': case 'mulhwu.': result = BigInt.asUintN(32, (BigInt.asUintN(32, a) * BigInt.asUintN(32, b)) >> 32n); break;
    case 'mulld': case 'mulld.': result = BigInt.asUintN(64, a * b); break;
    case 'mulldo': case 'mulldo.': {
      const product = BigInt.asIntN(64, a) * BigInt.asIntN(64, b);
      result = BigInt.asUintN(64, product);
      overflow = product !== BigInt.asIntN(64, product);
      break;
    }
    case 'mulhd': case 'mulhd.': result = BigInt.asUintN(64, (BigInt.asIntN(64, a) * BigInt.asIntN(64, b)) >> 64n); break;
    case 'mulhdu': case 'mulhdu.': result = BigInt.asUintN(64, (a * b) >> 64n); break;
  }
  cpu.regs[insn.rt] = result;
  if (overflow !== undefined) cpu.regs[XER] = xerAfterOverflow(cpu.regs[XER], overflow, overflow, is64);
  if (insn.op.endsWith('.')) recordCr0(cpu, result, is64);
}
