// Operands as the interpreter reaches them: register slices, memory through the DataBus, immediates.
//
// Registers are read through a 32-bit view of the register array: a 64-bit value travels as two
// Numbers (lo, hi), so the arithmetic needs no BigInt. Only addresses and values that cross the DataBus
// (whose interface is BigInt) are converted. A read leaves its value in `val`, one scratch pair for the
// whole module: the interpreter runs one instruction at a time, and copies it out before the next read.

import { assertNever, InternalError } from '../../base/assert.js';
import type { X86Mem, X86Operand } from '../../isa/x86-64/index.js';
import type { GprSize } from '../../isa/x86-64/table.js';
import type { AccessFault, DataBus } from '../arch.js';
import type { CpuState } from '../cpu.js';
import { REG_SLOTS } from './registers.js';

const TWO32 = 4294967296;
const TWO64 = 1n << 64n;
const MAX64 = TWO64 - 1n;

/** Which 32-bit element of a register's pair holds its low half: the view uses the host's byte order. */
const LO = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1 ? 0 : 1;
export const loIndex = (slot: number): number => 2 * slot + LO;
export const hiIndex = (slot: number): number => 2 * slot + 1 - LO;

let lastRegs: BigUint64Array | undefined;
let lastView: Uint32Array = new Uint32Array(0);

/**
 * The 32-bit view of a register array, kept for the array last asked about (a forward run steps one CPU
 * many times). The checker steps a fresh copy of the registers each time: a new view over its buffer is
 * cheaper than remembering views per array in a WeakMap (measured).
 */
export function halves(regs: BigUint64Array): Uint32Array {
  if (regs === lastRegs) return lastView;
  lastRegs = regs;
  return (lastView = new Uint32Array(regs.buffer, regs.byteOffset, regs.length * 2));
}

/** The value the last read produced. Computing an address uses it too: copy a value out before that. */
export const val = { lo: 0, hi: 0 };

/** The BigInt of a 64-bit value held as halves. */
export function toBig(lo: number, hi: number): bigint {
  return hi < 0x200000 ? BigInt(hi * TWO32 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

/** Split a 64-bit BigInt into `val`. */
export function split(v: bigint): void {
  if (v < 0x20000000000000n) {
    const n = Number(v);
    val.lo = n >>> 0;
    val.hi = (n - val.lo) / TWO32;
  } else {
    val.lo = Number(v & 0xffffffffn);
    val.hi = Number(v >> 32n);
  }
}

/** pc + delta, modulo 2^64. */
export function wrapPc(v: bigint): bigint {
  return v > MAX64 ? v - TWO64 : v < 0n ? v + TWO64 : v;
}

/**
 * pc + delta, remembered: an instruction nearly always runs at the same address, and a BigInt sum costs
 * more than a comparison, so each Step keeps the last pc it moved from and where that led.
 */
export interface PcMove {
  from: bigint;
  to: bigint;
  readonly delta: bigint;
}

export const pcMove = (delta: bigint): PcMove => ({ from: -1n, to: 0n, delta });

export function moved(pc: bigint, m: PcMove): bigint {
  if (pc !== m.from) {
    m.to = wrapPc(pc + m.delta);
    m.from = pc;
  }
  return m.to;
}

/** A register operand: the array elements of its halves, its size, and whether it is ah…bh. */
export interface RegLoc {
  readonly kind: 'reg';
  readonly lo: number;
  readonly hi: number;
  readonly size: GprSize;
  readonly high: boolean;
}

/**
 * A memory operand, ready to compute: `base`/`index` are the elements of the low halves (-1 for
 * none), `pcRelative` adds the address of the next instruction, `address32` truncates (addr32).
 * The fs/gs segment bases are 0: the model's memory is flat.
 */
export interface MemLoc {
  readonly kind: 'mem';
  readonly base: number;
  readonly index: number;
  readonly scale: number;
  readonly disp: number;
  readonly pcRelative: boolean;
  readonly address32: boolean;
  /** Instruction length: a pc-relative address counts from its end. */
  readonly length: number;
  /** A moffs operand's address, which needs no computing. */
  readonly absolute: bigint | undefined;
  readonly bytes: 1 | 2 | 4 | 8;
}

export interface ImmLoc {
  readonly kind: 'imm';
  readonly lo: number;
  readonly hi: number;
}

export type Loc = RegLoc | MemLoc | ImmLoc;

export function regLoc(slot: number, size: GprSize, high = false): RegLoc {
  return Object.freeze({ kind: 'reg', lo: loIndex(slot), hi: hiIndex(slot), size, high });
}

/** Where operand `op` of an instruction `length` bytes long, accessed at `size` bits, lives. */
export function locate(op: X86Operand, size: GprSize, length: number): Loc {
  const bytes = (size / 8) as 1 | 2 | 4 | 8;
  switch (op.kind) {
    case 'reg': {
      const r = REG_SLOTS[op.reg];
      return regLoc(r.slot, r.size, r.high);
    }
    case 'imm':
      return Object.freeze({ kind: 'imm', lo: Number(op.value & 0xffffffffn), hi: Number((op.value >> 32n) & 0xffffffffn) });
    case 'mem':
      return memLoc(op, bytes, length);
    case 'moffs':
      return Object.freeze({
        kind: 'mem', base: -1, index: -1, scale: 1, disp: 0, pcRelative: false, address32: op.addressSize === 32, length, absolute: op.address, bytes,
      });
    case 'rel':
      throw new InternalError('a branch displacement is no data operand');
    case 'cr': case 'sreg':
      throw new InternalError(`${op.kind}: no data operand`);
    default:
      return assertNever(op, 'x86 operand');
  }
}

function memLoc(m: X86Mem, bytes: 1 | 2 | 4 | 8, length: number): MemLoc {
  const slot = (r: X86Mem['index']) => (r === undefined || r === 'riz' || r === 'eiz' ? -1 : loIndex(REG_SLOTS[r].slot));
  return Object.freeze({
    kind: 'mem', base: slot(m.base), index: slot(m.index), scale: m.scale, disp: m.disp, pcRelative: m.ripRelative,
    address32: m.addressSize === 32, length, absolute: undefined, bytes,
  });
}

/** The effective address of `m` into `val` (lea's result before its truncation to the operand size). */
export function effectiveAddress(m: MemLoc, cpu: CpuState, r: Uint32Array): void {
  if (m.absolute !== undefined) return split(m.absolute);
  let lo = m.disp;
  // The sum is kept exact: lo may leave [0, 2^32) either way, and its excess carries into hi.
  let hi = 0;
  if (m.pcRelative) {
    split(cpu.pc);
    lo += val.lo + m.length;
    hi += val.hi;
  }
  if (m.base >= 0) {
    lo += r[m.base];
    hi += r[m.base + 1 - 2 * LO];
  }
  if (m.index >= 0) {
    lo += r[m.index] * m.scale;
    hi += r[m.index + 1 - 2 * LO] * m.scale;
  }
  const low = lo >>> 0;
  val.lo = low;
  val.hi = m.address32 ? 0 : (hi + (lo - low) / TWO32) >>> 0;
}

/** The address `m` refers to, as the DataBus takes it. */
export function addressOf(m: MemLoc, cpu: CpuState, r: Uint32Array): bigint {
  if (m.absolute !== undefined) return m.absolute;
  effectiveAddress(m, cpu, r);
  return toBig(val.lo, val.hi);
}

/** Load `bytes` at `va` into `val`. */
export function loadAt(bus: DataBus, va: bigint, bytes: 1 | 2 | 4 | 8): AccessFault | undefined {
  const v = bus.load(va, bytes);
  if (typeof v !== 'bigint') return v;
  if (bytes === 8) split(v);
  else {
    val.lo = Number(v);
    val.hi = 0;
  }
  return undefined;
}

export function storeAt(bus: DataBus, va: bigint, bytes: 1 | 2 | 4 | 8, lo: number, hi: number): AccessFault | undefined {
  return bus.store(va, bytes, bytes === 8 ? toBig(lo, hi) : BigInt(lo));
}

/** Read a register slice into `val`, zero-extended. */
export function readReg(loc: RegLoc, r: Uint32Array): void {
  switch (loc.size) {
    case 64: val.lo = r[loc.lo]; val.hi = r[loc.hi]; return;
    case 32: val.lo = r[loc.lo]; break;
    case 16: val.lo = r[loc.lo] & 0xffff; break;
    case 8: val.lo = loc.high ? (r[loc.lo] >>> 8) & 0xff : r[loc.lo] & 0xff; break;
  }
  val.hi = 0;
}

/** Write a register slice: a 32-bit write zero-extends to 64, an 8- or 16-bit write merges. */
export function writeReg(loc: RegLoc, r: Uint32Array, lo: number, hi: number): void {
  switch (loc.size) {
    case 64: r[loc.lo] = lo; r[loc.hi] = hi; return;
    case 32: r[loc.lo] = lo; r[loc.hi] = 0; return;
    case 16: r[loc.lo] = (r[loc.lo] & 0xffff0000) | (lo & 0xffff); return;
    case 8:
      r[loc.lo] = loc.high ? (r[loc.lo] & 0xffff00ff) | ((lo & 0xff) << 8) : (r[loc.lo] & 0xffffff00) | (lo & 0xff);
      return;
  }
}

/** Read any operand into `val`. */
export function read(loc: Loc, cpu: CpuState, r: Uint32Array, bus: DataBus): AccessFault | undefined {
  switch (loc.kind) {
    case 'reg': readReg(loc, r); return undefined;
    case 'imm': val.lo = loc.lo; val.hi = loc.hi; return undefined;
    case 'mem': return loadAt(bus, addressOf(loc, cpu, r), loc.bytes);
  }
}

/** Write any writable operand. */
export function write(loc: RegLoc | MemLoc, cpu: CpuState, r: Uint32Array, bus: DataBus, lo: number, hi: number): AccessFault | undefined {
  if (loc.kind === 'reg') {
    writeReg(loc, r, lo, hi);
    return undefined;
  }
  return storeAt(bus, addressOf(loc, cpu, r), loc.bytes, lo, hi);
}
