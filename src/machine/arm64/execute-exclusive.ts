// Load-acquire, store-release and the exclusives: ldar/stlr, ldxr/stxr, ldaxr/stlxr (byte, half, word, doubleword).
//
// Data accesses are sequentially consistent in patchlab (MODEL.md section 1), so acquire and release add
// no ordering: ldar is ldr and stlr is str, with [Xn|SP] as their only addressing.
//
// The exclusive monitor is this CPU's local monitor, kept in two registers of the register file
// (registers.ts): MONITOR holds the address and size ldxr marked (0: open), MONITOR_VALUE the value it
// read. stxr stores, and writes 0 to Ws, only when the monitor holds the same address and size and memory
// still holds that value; otherwise it writes 1 and stores nothing. Every stxr opens the monitor. Arm's
// global monitor is cleared by any other observer's store to the marked address; comparing the value is
// QEMU's approximation of it (a store of the same value in between — ABA — does not make stxr fail here).

import type { DataBus, ExecOutcome } from '../arch.js';
import type { CpuState } from '../cpu.js';
import type { Insn } from './insn.js';
import { LDR, LDRB, LDRH, STR, STRB, STRH, transfer, type Transfer } from './execute-memory.js';
import { faultOutcome, next, UNDEFINED } from './outcomes.js';
import { MONITOR, MONITOR_VALUE, SP } from './registers.js';

type AcquireRelease = 'ldar' | 'ldarb' | 'ldarh' | 'stlr' | 'stlrb' | 'stlrh';
type LoadExclusive = 'ldxr' | 'ldxrb' | 'ldxrh' | 'ldaxr' | 'ldaxrb' | 'ldaxrh';
type StoreExclusive = 'stxr' | 'stxrb' | 'stxrh' | 'stlxr' | 'stlxrb' | 'stlxrh';

const TRANSFERS: Readonly<Record<AcquireRelease, Transfer>> = Object.freeze({
  ldar: LDR, ldarb: LDRB, ldarh: LDRH, stlr: STR, stlrb: STRB, stlrh: STRH,
});

/** Bytes an exclusive moves: by the mnemonic's b/h suffix, else 4 or 8 by sf. */
function sizeOf(op: LoadExclusive | StoreExclusive, sf: number | undefined): 1 | 2 | 4 | 8 {
  if (op.endsWith('b')) return 1;
  if (op.endsWith('h')) return 2;
  return sf === 1 ? 8 : 4;
}

/** The monitor's tag for an address and size: bit 63 marks it exclusive, bits 59..56 the size. */
function tag(address: bigint, size: number): bigint {
  return (1n << 63n) | (BigInt(size) << 56n) | (address & 0xffff_ffff_ffffn);
}

/** The base register: SP must be 16-byte aligned (as for every load and store, execute-memory.ts). */
function baseAddress(cpu: CpuState, rn: number, load: boolean): bigint | ExecOutcome {
  const b = cpu.regs[rn];
  if (rn === SP && (b & 15n) !== 0n) return faultOutcome({ kind: 'fault', address: b, access: load ? 'read' : 'write', reason: 'misaligned' });
  return b;
}

/** A single-copy atomic access of an exclusive or acquire/release must be aligned to its size. */
function misaligned(address: bigint, size: number, load: boolean): ExecOutcome | undefined {
  if ((address & BigInt(size - 1)) === 0n) return undefined;
  return faultOutcome({ kind: 'fault', address, access: load ? 'read' : 'write', reason: 'misaligned' });
}

/** LDAR/STLR (and b, h): a load or store at [Xn|SP]; sequential consistency already orders it. */
export function acquireRelease(cpu: CpuState, insn: Insn<AcquireRelease>, bus: DataBus): ExecOutcome {
  const tr = TRANSFERS[insn.op];
  const size = tr.size === 0 ? ('sf' in insn && insn.sf === 1 ? 8 : 4) : tr.size;
  const b = baseAddress(cpu, insn.rn, tr.load);
  if (typeof b !== 'bigint') return b;
  return misaligned(b, size, tr.load) ?? transfer(cpu, bus, tr, 'sf' in insn ? insn.sf : 0, insn.rt, insn.rn, 0, 'offset');
}

/** LDXR/LDAXR (and b, h): load, and mark the address in the local monitor with the value read. */
export function loadExclusive(cpu: CpuState, insn: Insn<LoadExclusive>, bus: DataBus): ExecOutcome {
  const size = sizeOf(insn.op, 'sf' in insn ? insn.sf : undefined);
  const b = baseAddress(cpu, insn.rn, true);
  if (typeof b !== 'bigint') return b;
  const bad = misaligned(b, size, true);
  if (bad) return bad;
  const v = bus.load(b, size);
  if (typeof v !== 'bigint') return faultOutcome(v);
  const regs = cpu.regs;
  regs[MONITOR] = tag(b, size);
  regs[MONITOR_VALUE] = v;
  if (insn.rt !== 31) regs[insn.rt] = v;
  return next(cpu);
}

/**
 * STXR/STLXR (and b, h): store if the monitor still holds this address, size and value; Ws = 0 if it
 * stored, 1 if not. Ws the same as Rt, or as a base other than SP, is CONSTRAINED UNPREDICTABLE:
 * patchlab takes its UNDEFINED option (outcomes.ts), as GNU as warns.
 */
export function storeExclusive(cpu: CpuState, insn: Insn<StoreExclusive>, bus: DataBus): ExecOutcome {
  if (insn.rs === insn.rt || (insn.rs === insn.rn && insn.rn !== SP)) return UNDEFINED;
  const size = sizeOf(insn.op, 'sf' in insn ? insn.sf : undefined);
  const b = baseAddress(cpu, insn.rn, false);
  if (typeof b !== 'bigint') return b;
  const bad = misaligned(b, size, false);
  if (bad) return bad;
  const regs = cpu.regs;
  let status = 1n;
  if (regs[MONITOR] === tag(b, size)) {
    // The value check reads memory as the store's own access would: a fault is the store's fault.
    const now = bus.load(b, size);
    if (typeof now !== 'bigint') return faultOutcome(now);
    if (now === regs[MONITOR_VALUE]) {
      const value = insn.rt === 31 ? 0n : size === 8 ? regs[insn.rt] : regs[insn.rt] & ((1n << BigInt(8 * size)) - 1n);
      const fault = bus.store(b, size, value);
      if (fault) return faultOutcome(fault);
      status = 0n;
    }
  }
  regs[MONITOR] = 0n;
  regs[MONITOR_VALUE] = 0n;
  if (insn.rs !== 31) regs[insn.rs] = status;
  return next(cpu);
}
