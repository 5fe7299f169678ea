// xchg, xadd and cmpxchg: the read-modify-writes the kernel's atomics are made of.
//
// One step is one atomic event in the model (MODEL.md section 1), so a locked (or, for xchg with memory,
// implicitly locked) read-modify-write needs nothing more. Sources first, destination last, as the forms
// list them. A memory destination is read and written before any register changes (x86 faults are
// restartable); a 32-bit register written zero-extends, 8 and 16 bits merge.

import { InternalError } from '../../base/assert.js';
import type { X86Insn } from '../../isa/x86-64/index.js';
import type { GprSize } from '../../isa/x86-64/table.js';
import * as executeAlu from './execute-alu.js';
import * as flags from './flags.js';
import * as operands from './operands.js';
import type { MemLoc, PcMove, RegLoc } from './operands.js';
import * as outcomes from './outcomes.js';
import type { Step } from './outcomes.js';
import * as registers from './registers.js';

const { advance, FLAGS } = executeAlu;
const { add, alu, sub } = flags;
const { addressOf, loadAt, locate, readReg, regLoc, storeAt, val, writeReg } = operands;
const { faulted, NEXT } = outcomes;
const { STATUS_FLAGS, ZF } = registers;

/** The register source and the register-or-memory destination of an `r, rm` form (or xchg's acc, +r). */
function operandsOf(insn: X86Insn): { src: RegLoc; dst: RegLoc | MemLoc } {
  const bits = insn.opsize as GprSize;
  const src = locate(insn.operands[0], bits, insn.length);
  const dst = locate(insn.operands[1], bits, insn.length);
  if (src.kind !== 'reg' || dst.kind === 'imm') throw new InternalError(`${insn.op}: not a register and a destination`);
  return { src, dst };
}

/** xchg: both operands swap; with memory the load and the store are one atomic event. */
export function compileXchg(insn: X86Insn, next: PcMove): Step {
  const { src, dst } = operandsOf(insn);
  return (cpu, r, bus) => {
    readReg(src, r);
    const sLo = val.lo, sHi = val.hi;
    if (dst.kind === 'mem') {
      const va = addressOf(dst, cpu, r);
      const f = loadAt(bus, va, dst.bytes);
      if (f) return faulted(f);
      const dLo = val.lo, dHi = val.hi;
      const w = storeAt(bus, va, dst.bytes, sLo, sHi);
      if (w) return faulted(w);
      writeReg(src, r, dLo, dHi);
    } else {
      readReg(dst, r);
      const dLo = val.lo, dHi = val.hi;
      writeReg(dst, r, sLo, sHi);
      writeReg(src, r, dLo, dHi);
    }
    advance(cpu, next);
    return NEXT;
  };
}

/** xadd: the destination gets the sum, the source the destination's old value (the destination last). */
export function compileXadd(insn: X86Insn, next: PcMove): Step {
  const { src, dst } = operandsOf(insn);
  const bits = insn.opsize;
  return (cpu, r, bus) => {
    const va = dst.kind === 'mem' ? addressOf(dst, cpu, r) : 0n;
    if (dst.kind === 'mem') {
      const f = loadAt(bus, va, dst.bytes);
      if (f) return faulted(f);
    } else readReg(dst, r);
    const dLo = val.lo, dHi = val.hi;
    readReg(src, r);
    add(bits, dLo, dHi, val.lo, val.hi, 0);
    if (dst.kind === 'mem') {
      const w = storeAt(bus, va, dst.bytes, alu.lo, alu.hi);
      if (w) return faulted(w);
      writeReg(src, r, dLo, dHi);
    } else {
      const sumLo = alu.lo, sumHi = alu.hi;
      writeReg(src, r, dLo, dHi);
      writeReg(dst, r, sumLo, sumHi);
    }
    r[FLAGS] = (r[FLAGS] & ~STATUS_FLAGS) | alu.flags;
    advance(cpu, next);
    return NEXT;
  };
}

/**
 * cmpxchg: flags of accumulator − destination; equal, the destination gets the source; else the
 * accumulator gets the destination. Only the one register named is written: a 32-bit cmpxchg that fails
 * leaves a register destination's high half alone and zero-extends eax, one that succeeds the reverse
 * (as this machine's Xeon does). A failed one to memory stores nothing: the SDM's write-back of the
 * same value changes nothing the model can see.
 */
export function compileCmpxchg(insn: X86Insn, next: PcMove): Step {
  const { src, dst } = operandsOf(insn);
  const bits = insn.opsize as GprSize;
  const acc = regLoc(0, bits);
  return (cpu, r, bus) => {
    const va = dst.kind === 'mem' ? addressOf(dst, cpu, r) : 0n;
    if (dst.kind === 'mem') {
      const f = loadAt(bus, va, dst.bytes);
      if (f) return faulted(f);
    } else readReg(dst, r);
    const dLo = val.lo, dHi = val.hi;
    readReg(acc, r);
    sub(bits, val.lo, val.hi, dLo, dHi, 0);
    const flagsNow = alu.flags;
    if (flagsNow & ZF) {
      readReg(src, r);
      if (dst.kind === 'mem') {
        const w = storeAt(bus, va, dst.bytes, val.lo, val.hi);
        if (w) return faulted(w);
      } else writeReg(dst, r, val.lo, val.hi);
    } else writeReg(acc, r, dLo, dHi);
    r[FLAGS] = (r[FLAGS] & ~STATUS_FLAGS) | flagsNow;
    advance(cpu, next);
    return NEXT;
  };
}
