// Loads and stores: literal, unsigned offset, pre/post-index, unscaled, register offset, and pairs.
//
// Addressing follows the Arm ARM: the base is SP for Rn = 31 (with the SP alignment check Linux enables,
// SCTLR_EL1.SA: a base SP not 16-byte aligned is an SP alignment fault), the transferred register 31 is
// the zero register. A fault leaves every register and the pc as they were; for a pair, both loads are
// done before either register is written. A pair store that faults on its second half has written the
// first (the Arm ARM leaves such memory UNKNOWN; this is one of its permitted results). Writeback into a
// transferred register is CONSTRAINED UNPREDICTABLE: patchlab takes its UNDEFINED option (outcomes.ts).

import type { DataBus, ExecOutcome } from '../arch.js';
import type { CpuState } from '../cpu.js';
import * as operands from './operands.js';
import * as outcomes from './outcomes.js';
import * as registers from './registers.js';

// Module-local copies of the imports the hot path uses, read once: an imported binding is re-read on
// every use (through its module natively, through a getter under tsx, which `npm run bench` uses),
// measured up to three times slower.
const { extendReg } = operands;
const { faultOutcome, NEXT, UNDEFINED } = outcomes;
const { SP } = registers;

/** How the address is formed: base + offset, base + offset written back first, or base then written back. */
export type IndexMode = 'offset' | 'pre' | 'post';

export interface Transfer {
  readonly load: boolean;
  /** Bytes moved per register; 0 means by `sf` (4 for W, 8 for X). */
  readonly size: 0 | 1 | 2 | 4 | 8;
  /** ldrsw, ldpsw: the word is sign-extended to 64 bits. */
  readonly signed: boolean;
}

const t = (load: boolean, size: Transfer['size'], signed = false): Transfer => Object.freeze({ load, size, signed });
export const LDR = t(true, 0);
export const STR = t(false, 0);
export const LDRB = t(true, 1);
export const STRB = t(false, 1);
export const LDRH = t(true, 2);
export const STRH = t(false, 2);
export const LDRSW = t(true, 4, true);

function sizeOf(tr: Transfer, sf: number): 1 | 2 | 4 | 8 {
  return tr.size === 0 ? (sf === 1 ? 8 : 4) : tr.size;
}

/** By size in bytes: the bits a store of that size takes from its register. */
const STORE_MASK: readonly bigint[] = [0n, 0xffn, 0xffffn, 0n, 0xffff_ffffn, 0n, 0n, 0n, 0xffff_ffff_ffff_ffffn];

function storedValue(regs: BigUint64Array, rt: number, size: number): bigint {
  return rt === 31 ? 0n : regs[rt] & STORE_MASK[size];
}

function extendLoaded(value: bigint, tr: Transfer): bigint {
  return tr.signed ? BigInt.asUintN(64, BigInt.asIntN(32, value)) : value;
}

/** The base address, or a fault when it is a misaligned SP. */
function base(cpu: CpuState, rn: number, load: boolean): bigint | ExecOutcome {
  const b = cpu.regs[rn];
  if (rn === SP && (b & 15n) !== 0n) {
    return faultOutcome({ kind: 'fault', address: b, access: load ? 'read' : 'write', reason: 'misaligned' });
  }
  return b;
}

/** One register to or from `address`, then the pc moves on. */
function access(cpu: CpuState, bus: DataBus, tr: Transfer, size: 1 | 2 | 4 | 8, rt: number, address: bigint): ExecOutcome {
  if (tr.load) {
    const v = bus.load(address, size);
    if (typeof v !== 'bigint') return faultOutcome(v);
    if (rt !== 31) cpu.regs[rt] = extendLoaded(v, tr);
  } else {
    const fault = bus.store(address, size, storedValue(cpu.regs, rt, size));
    if (fault) return faultOutcome(fault);
  }
  cpu.pc = BigInt.asUintN(64, cpu.pc + 4n);
  return NEXT;
}

/** One register to or from [Rn + offset], with the index mode's writeback. */
export function transfer(
  cpu: CpuState, bus: DataBus, tr: Transfer, sf: number, rt: number, rn: number, offset: number, mode: IndexMode,
): ExecOutcome {
  if (mode !== 'offset' && rn === rt && rn !== 31) return UNDEFINED;
  const b = base(cpu, rn, tr.load);
  if (typeof b !== 'bigint') return b;
  const updated = BigInt.asUintN(64, b + BigInt(offset));
  const out = access(cpu, bus, tr, sizeOf(tr, sf), rt, mode === 'post' ? b : updated);
  if (mode !== 'offset' && out === NEXT) cpu.regs[rn] = updated;
  return out;
}

/** Register offset: [Rn + Rm extended by `option` (UXTW, LSL, SXTW, SXTX) and scaled by the size when `s`]. */
export function transferRegisterOffset(
  cpu: CpuState, bus: DataBus, tr: Transfer, sf: number, insn: { rt: number; rn: number; rm: number; option: number; s: number },
): ExecOutcome {
  const size = sizeOf(tr, sf);
  const shift = insn.s === 1 ? 31 - Math.clz32(size) : 0;
  const offset = extendReg(insn.rm === 31 ? 0n : cpu.regs[insn.rm], insn.option, shift, 1);
  const b = base(cpu, insn.rn, tr.load);
  if (typeof b !== 'bigint') return b;
  return access(cpu, bus, tr, size, insn.rt, BigInt.asUintN(64, b + offset));
}

/** LDR/LDRSW (literal): a coherent data load at pc + offset (no fetch window: MODEL.md section 3). */
export function loadLiteral(cpu: CpuState, bus: DataBus, tr: Transfer, sf: number, rt: number, words: number): ExecOutcome {
  return access(cpu, bus, tr, sizeOf(tr, sf), rt, BigInt.asUintN(64, cpu.pc + BigInt(words * 4)));
}

/** LDP/STP/LDNP/STNP/LDPSW: two registers at [address] and [address + size]; offset = imm7 × size. */
export function transferPair(
  cpu: CpuState, bus: DataBus, tr: Transfer, sf: number, rt: number, rt2: number, rn: number, imm7: number, mode: IndexMode,
): ExecOutcome {
  if (tr.load && rt === rt2) return UNDEFINED;
  if (mode !== 'offset' && (rn === rt || rn === rt2) && rn !== 31) return UNDEFINED;
  const b = base(cpu, rn, tr.load);
  if (typeof b !== 'bigint') return b;
  const size = sizeOf(tr, sf);
  const updated = BigInt.asUintN(64, b + BigInt(imm7 * size));
  const address = mode === 'post' ? b : updated;
  const second = BigInt.asUintN(64, address + BigInt(size));
  const regs = cpu.regs;
  if (tr.load) {
    const v1 = bus.load(address, size);
    if (typeof v1 !== 'bigint') return faultOutcome(v1);
    const v2 = bus.load(second, size);
    if (typeof v2 !== 'bigint') return faultOutcome(v2);
    if (rt !== 31) regs[rt] = extendLoaded(v1, tr);
    if (rt2 !== 31) regs[rt2] = extendLoaded(v2, tr);
  } else {
    const f1 = bus.store(address, size, storedValue(regs, rt, size));
    if (f1) return faultOutcome(f1);
    const f2 = bus.store(second, size, storedValue(regs, rt2, size));
    if (f2) return faultOutcome(f2);
  }
  if (mode !== 'offset') regs[rn] = updated;
  cpu.pc = BigInt.asUintN(64, cpu.pc + 4n);
  return NEXT;
}
