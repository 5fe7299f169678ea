// add, or, adc, sbb, and, sub, xor, cmp, test, inc, dec, mov and lea, compiled for one decoded instruction.
//
// Every form has its source first and its destination last (AT&T order). A memory destination is read,
// computed and stored before any register or flag changes, so a faulting store leaves no trace: x86
// faults are restartable. A 32-bit register destination zero-extends to 64 bits; 8 and 16 bits merge.

import { InternalError } from '../../base/assert.js';
import type { X86Insn } from '../../isa/x86-64/index.js';
import type { GprSize } from '../../isa/x86-64/table.js';
import type { CpuState } from '../cpu.js';
import * as flags from './flags.js';
import * as operands from './operands.js';
import type { ImmLoc, Loc, MemLoc, PcMove, RegLoc } from './operands.js';
import * as outcomes from './outcomes.js';
import type { Step } from './outcomes.js';
import * as registers from './registers.js';

// Module-local copies of the imports the hot path uses, read once: an imported binding is re-read on every
// use (through its module natively, through a getter under tsx, which `npm run bench` uses).
const { add, alu, logic, sub } = flags;
const { addressOf, effectiveAddress, loadAt, locate, loIndex, read, readReg, moved, storeAt, val, write, writeReg } = operands;
const { faulted, NEXT } = outcomes;
const { CF, RFLAGS, STATUS_FLAGS } = registers;

export type AluKind = 'add' | 'or' | 'adc' | 'sbb' | 'and' | 'sub' | 'xor' | 'cmp' | 'test';

/** The element of the 32-bit view that holds RFLAGS (its high half is always 0). */
export const FLAGS = loIndex(RFLAGS);

export function advance(cpu: CpuState, next: PcMove): void {
  cpu.pc = moved(cpu.pc, next);
}

/** dst ∘ src into `alu`; `f` the flags before (adc and sbb read CF). */
function operate(kind: AluKind, size: number, aLo: number, aHi: number, bLo: number, bHi: number, f: number): void {
  switch (kind) {
    case 'add': return add(size, aLo, aHi, bLo, bHi, 0);
    case 'adc': return add(size, aLo, aHi, bLo, bHi, f & CF);
    case 'sub': case 'cmp': return sub(size, aLo, aHi, bLo, bHi, 0);
    case 'sbb': return sub(size, aLo, aHi, bLo, bHi, f & CF);
    case 'and': case 'test': return logic(size, aLo & bLo, aHi & bHi);
    case 'or': return logic(size, aLo | bLo, aHi | bHi);
    case 'xor': return logic(size, aLo ^ bLo, aHi ^ bHi);
  }
}

const size = (insn: X86Insn): GprSize => insn.opsize as GprSize;

/** The destination: a register or memory (never an immediate in these forms). */
function destination(insn: X86Insn): RegLoc | MemLoc {
  const loc = locate(insn.operands[insn.operands.length - 1], size(insn), insn.length);
  if (loc.kind === 'imm') throw new InternalError(`${insn.op}: an immediate destination`);
  return loc;
}

/** The eight arithmetic operations and test, in all their forms. */
export function compileAlu(kind: AluKind, insn: X86Insn, next: PcMove): Step {
  const bits = size(insn);
  const src = locate(insn.operands[0], bits, insn.length);
  const dst = destination(insn);
  const writes = kind !== 'cmp' && kind !== 'test';
  if (dst.kind === 'reg' && src.kind !== 'mem') {
    return bits >= 32 ? aluWide(kind, bits, src, dst, writes, next) : aluNarrow(kind, bits, src, dst, writes, next);
  }
  return aluMemory(kind, bits, src, dst, writes, next);
}

/**
 * The common case, a 32- or 64-bit register with a register or an immediate: straight at the halves.
 * Both operands have the destination's size; a 32-bit result has hi 0, which zero-extends.
 */
function aluWide(kind: AluKind, bits: GprSize, src: RegLoc | ImmLoc, dst: RegLoc, writes: boolean, next: PcMove): Step {
  const dl = dst.lo, dh = dst.hi, wide = bits === 64;
  const fromReg = src.kind === 'reg';
  const sl = fromReg ? src.lo : 0, sh = fromReg ? src.hi : 0, il = fromReg ? 0 : src.lo, ih = fromReg ? 0 : src.hi;
  return (cpu, r) => {
    const bLo = fromReg ? r[sl] : il;
    const bHi = fromReg ? (wide ? r[sh] : 0) : ih;
    operate(kind, bits, r[dl], wide ? r[dh] : 0, bLo, bHi, r[FLAGS]);
    if (writes) {
      r[dl] = alu.lo;
      r[dh] = alu.hi;
    }
    r[FLAGS] = (r[FLAGS] & ~STATUS_FLAGS) | alu.flags;
    advance(cpu, next);
    return NEXT;
  };
}

/** An 8- or 16-bit register (ah…bh included) with a register or an immediate: the result merges. */
function aluNarrow(kind: AluKind, bits: GprSize, src: RegLoc | ImmLoc, dst: RegLoc, writes: boolean, next: PcMove): Step {
  return (cpu, r) => {
    readSource(src, r);
    const bLo = val.lo, bHi = val.hi;
    readReg(dst, r);
    operate(kind, bits, val.lo, val.hi, bLo, bHi, r[FLAGS]);
    if (writes) writeReg(dst, r, alu.lo, alu.hi);
    r[FLAGS] = (r[FLAGS] & ~STATUS_FLAGS) | alu.flags;
    advance(cpu, next);
    return NEXT;
  };
}

/** A memory source or destination: every access that can fault happens before anything changes. */
function aluMemory(kind: AluKind, bits: GprSize, src: Loc, dst: RegLoc | MemLoc, writes: boolean, next: PcMove): Step {
  return (cpu, r, bus) => {
    const fs = read(src, cpu, r, bus);
    if (fs) return faulted(fs);
    const bLo = val.lo, bHi = val.hi;
    let va = 0n;
    if (dst.kind === 'mem') {
      va = addressOf(dst, cpu, r);
      const fd = loadAt(bus, va, dst.bytes);
      if (fd) return faulted(fd);
    } else readReg(dst, r);
    operate(kind, bits, val.lo, val.hi, bLo, bHi, r[FLAGS]);
    if (writes) {
      if (dst.kind === 'mem') {
        const fw = storeAt(bus, va, dst.bytes, alu.lo, alu.hi);
        if (fw) return faulted(fw);
      } else writeReg(dst, r, alu.lo, alu.hi);
    }
    r[FLAGS] = (r[FLAGS] & ~STATUS_FLAGS) | alu.flags;
    advance(cpu, next);
    return NEXT;
  };
}

/** A register or immediate source into `val`. */
function readSource(src: RegLoc | ImmLoc, r: Uint32Array): void {
  if (src.kind === 'reg') readReg(src, r);
  else if (src.kind === 'imm') {
    val.lo = src.lo;
    val.hi = src.hi;
  }
}

/** inc and dec: add or subtract 1, every status flag but CF. */
export function compileIncDec(increment: boolean, insn: X86Insn, next: PcMove): Step {
  const bits = size(insn);
  const dst = destination(insn);
  const KEPT = ~(STATUS_FLAGS & ~CF);
  if (dst.kind === 'reg' && bits >= 32) {
    const dl = dst.lo, dh = dst.hi, wide = bits === 64;
    return (cpu, r) => {
      if (increment) add(bits, r[dl], wide ? r[dh] : 0, 1, 0, 0);
      else sub(bits, r[dl], wide ? r[dh] : 0, 1, 0, 0);
      r[dl] = alu.lo;
      r[dh] = alu.hi;
      r[FLAGS] = (r[FLAGS] & KEPT) | (alu.flags & ~CF);
      advance(cpu, next);
      return NEXT;
    };
  }
  return (cpu, r, bus) => {
    let va = 0n;
    if (dst.kind === 'mem') {
      va = addressOf(dst, cpu, r);
      const f = loadAt(bus, va, dst.bytes);
      if (f) return faulted(f);
    } else readReg(dst, r);
    if (increment) add(bits, val.lo, val.hi, 1, 0, 0);
    else sub(bits, val.lo, val.hi, 1, 0, 0);
    if (dst.kind === 'mem') {
      const f = storeAt(bus, va, dst.bytes, alu.lo, alu.hi);
      if (f) return faulted(f);
    } else writeReg(dst, r, alu.lo, alu.hi);
    r[FLAGS] = (r[FLAGS] & KEPT) | (alu.flags & ~CF);
    advance(cpu, next);
    return NEXT;
  };
}

/** Every mov form, moffs included: no flags. */
export function compileMov(insn: X86Insn, next: PcMove): Step {
  const bits = size(insn);
  const src = locate(insn.operands[0], bits, insn.length);
  const dst = destination(insn);
  if (dst.kind === 'reg' && bits >= 32 && src.kind !== 'mem') {
    // As aluWide: straight at the halves, a 32-bit move clearing the high one.
    const dl = dst.lo, dh = dst.hi, wide = bits === 64;
    const fromReg = src.kind === 'reg';
    const sl = fromReg ? src.lo : 0, sh = fromReg ? src.hi : 0, il = fromReg ? 0 : src.lo, ih = fromReg ? 0 : src.hi;
    return (cpu, r) => {
      r[dl] = fromReg ? r[sl] : il;
      r[dh] = wide ? (fromReg ? r[sh] : ih) : 0;
      advance(cpu, next);
      return NEXT;
    };
  }
  if (dst.kind === 'reg' && src.kind !== 'mem') {
    return (cpu, r) => {
      readSource(src, r);
      writeReg(dst, r, val.lo, val.hi);
      advance(cpu, next);
      return NEXT;
    };
  }
  return (cpu, r, bus) => {
    const fs = read(src, cpu, r, bus);
    if (fs) return faulted(fs);
    const lo = val.lo, hi = val.hi;
    const fw = write(dst, cpu, r, bus, lo, hi);
    if (fw) return faulted(fw);
    advance(cpu, next);
    return NEXT;
  };
}

/** lea: the effective address, truncated to the operand size; no memory access. */
export function compileLea(insn: X86Insn, next: PcMove): Step {
  const bits = size(insn);
  const src = locate(insn.operands[0], bits, insn.length) as MemLoc;
  const dst = destination(insn) as RegLoc;
  return (cpu, r) => {
    effectiveAddress(src, cpu, r);
    writeReg(dst, r, val.lo, val.hi);
    advance(cpu, next);
    return NEXT;
  };
}
