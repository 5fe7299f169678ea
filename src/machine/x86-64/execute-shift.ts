// shl/sal, shr and sar by one, by cl and by an immediate; bt, bts and btr: the bit instructions.
//
// Both are rare next to the arithmetic, so they compute on BigInts. Every access that can fault happens
// before any register or flag changes. Flags (Intel SDM vol. 2, SAL/SAR/SHL/SHR and BT/BTS/BTR), with
// what the SDM leaves undefined as this machine's Xeon gives it (checked by tests/oracle/exec-x86-64):
//
//   count (masked to 5 bits, 6 at 64) | CF                    | OF                          | SF ZF PF | AF
//   0                                 | flags unchanged; no store, but a 32-bit register is zero-extended
//   n ≥ 1                             | last bit shifted out  | msb(before last step) ≠ msb(result) | of result | 1
//
// For shl "msb before the last step" is CF itself (OF = msb(result) xor CF, the SDM's rule for n = 1); sar
// keeps the sign, so its OF is 0. A count beyond the width shifts everything out (CF from the wide value).
// bt/bts/btr: CF = the bit, every other flag unchanged; bts sets it, btr clears it.

import { InternalError } from '../../base/assert.js';
import type { X86Insn } from '../../isa/x86-64/index.js';
import type { GprSize } from '../../isa/x86-64/table.js';
import type { CpuState } from '../cpu.js';
import type { DataBus, ExecOutcome } from '../arch.js';
import * as executeAlu from './execute-alu.js';
import * as flags from './flags.js';
import * as operands from './operands.js';
import type { MemLoc, PcMove, RegLoc } from './operands.js';
import * as outcomes from './outcomes.js';
import type { Step } from './outcomes.js';
import * as registers from './registers.js';

const { advance, FLAGS } = executeAlu;
const { szp } = flags;
const { addressOf, loadAt, locate, readReg, regLoc, split, storeAt, toBig, val, writeReg } = operands;
const { faulted, NEXT } = outcomes;
const { AF, CF, OF, STATUS_FLAGS } = registers;

export type ShiftKind = 'shl' | 'shr' | 'sar';
export type BitKind = 'bt' | 'bts' | 'btr';

const CL = regLoc(1, 8);

function destination(insn: X86Insn): RegLoc | MemLoc {
  const loc = locate(insn.operands[insn.operands.length - 1], insn.opsize as GprSize, insn.length);
  if (loc.kind === 'imm') throw new InternalError(`${insn.op}: an immediate destination`);
  return loc;
}

/** The destination's value (into `val`), and its address when it is memory; a fault instead. */
function load(dst: RegLoc | MemLoc, cpu: CpuState, r: Uint32Array, bus: DataBus, va: bigint): ExecOutcome | undefined {
  if (dst.kind === 'reg') {
    readReg(dst, r);
    return undefined;
  }
  const f = loadAt(bus, va, dst.bytes);
  return f ? faulted(f) : undefined;
}

function store(dst: RegLoc | MemLoc, r: Uint32Array, bus: DataBus, va: bigint, v: bigint): ExecOutcome | undefined {
  split(v);
  if (dst.kind === 'reg') {
    writeReg(dst, r, val.lo, val.hi);
    return undefined;
  }
  const f = storeAt(bus, va, dst.bytes, val.lo, val.hi);
  return f ? faulted(f) : undefined;
}

/** The result and flags of `kind` by `count` (1 … 63) of the `bits`-bit value `v`. */
export function shifted(kind: ShiftKind, bits: number, v: bigint, count: number): { result: bigint; flags: number } {
  const n = BigInt(bits);
  const top = (x: bigint) => Number((x >> (n - 1n)) & 1n);
  let before: bigint, result: bigint, cf: number;
  if (kind === 'shl') {
    before = BigInt.asUintN(bits, v << BigInt(count - 1));
    cf = Number((v << BigInt(count - 1) >> (n - 1n)) & 1n);
    result = BigInt.asUintN(bits, before << 1n);
  } else {
    const from = kind === 'sar' ? BigInt.asIntN(bits, v) : v;
    const wide = from >> BigInt(count - 1);
    before = BigInt.asUintN(bits, wide);
    cf = Number(wide & 1n);
    result = BigInt.asUintN(bits, wide >> 1n);
  }
  const of = kind === 'shl' ? top(result) ^ cf : top(before) ^ top(result);
  split(result);
  return { result, flags: (cf ? CF : 0) | (of ? OF : 0) | AF | szp(bits, val.lo, val.hi) };
}

export function compileShift(kind: ShiftKind, insn: X86Insn, next: PcMove): Step {
  const bits = insn.opsize;
  const dst = destination(insn);
  const first = insn.operands[0];
  const byCl = insn.operands.length === 2 && first.kind === 'reg';
  const fixed = insn.operands.length === 2 && first.kind === 'imm' ? Number(first.value) : 1;
  const mask = bits === 64 ? 0x3f : 0x1f;
  return (cpu, r, bus) => {
    const va = dst.kind === 'mem' ? addressOf(dst, cpu, r) : 0n;
    const count = (byCl ? r[CL.lo] & 0xff : fixed) & mask;
    const f = load(dst, cpu, r, bus, va);
    if (f) return f;
    if (count !== 0) {
      const { result, flags } = shifted(kind, bits, toBig(val.lo, val.hi), count);
      const w = store(dst, r, bus, va, result);
      if (w) return w;
      r[FLAGS] = (r[FLAGS] & ~STATUS_FLAGS) | flags;
    } else if (dst.kind === 'reg') writeReg(dst, r, val.lo, val.hi);
    advance(cpu, next);
    return NEXT;
  };
}

/**
 * bt/bts/btr. An immediate offset, or any offset into a register, is taken modulo the width; a register
 * offset into memory is signed and reaches beyond the operand: the access is at the address plus
 * (offset >> log2(width)) operands, an operand of the width there.
 */
export function compileBitTest(kind: BitKind, insn: X86Insn, next: PcMove): Step {
  const bits = insn.opsize;
  const dst = destination(insn);
  const src = insn.operands[0];
  const offsetReg = src.kind === 'reg' ? locate(src, bits as GprSize, insn.length) as RegLoc : undefined;
  const fixed = src.kind === 'imm' ? BigInt(Number(src.value) & (bits - 1)) : 0n;
  const log = BigInt(Math.log2(bits));
  return (cpu, r, bus) => {
    let offset = fixed;
    let va = dst.kind === 'mem' ? addressOf(dst, cpu, r) : 0n;
    if (offsetReg) {
      readReg(offsetReg, r);
      const signed = BigInt.asIntN(bits, toBig(val.lo, val.hi));
      offset = signed & BigInt(bits - 1);
      if (dst.kind === 'mem') va = BigInt.asUintN(64, va + (signed >> log) * BigInt(bits / 8));
    }
    const f = load(dst, cpu, r, bus, va);
    if (f) return f;
    const v = toBig(val.lo, val.hi);
    const bit = (v >> offset) & 1n;
    if (kind !== 'bt') {
      const w = store(dst, r, bus, va, kind === 'bts' ? v | (1n << offset) : v & ~(1n << offset));
      if (w) return w;
    }
    r[FLAGS] = (r[FLAGS] & ~CF) | (bit ? CF : 0);
    advance(cpu, next);
    return NEXT;
  };
}
