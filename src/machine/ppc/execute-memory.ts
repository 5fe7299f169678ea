// Loads and stores (Power ISA Book I 3.3): D and DS forms, with update, through the data bus.
//
// EA = (RA|0) + displacement, cut to the mode's width. An update form then writes EA to RA; its invalid
// forms (RA = 0, or for a load RA = RT, which objdump still names `lu`/`stu`) are illegal instructions,
// as qemu makes them. The 64-bit forms (ld, ldu, lwa, std, stdu) are illegal on ppc32. A faulting
// access changes nothing: the pc stays on the instruction and RA keeps its value.

import type { DataBus, ExecOutcome } from '../arch.js';
import type { CpuState } from '../cpu.js';
import { wrap } from './execute-alu.js';
import { NEXT, UNDEFINED } from './outcomes.js';

export type LoadOp = 'lbz' | 'lbzu' | 'lhz' | 'lhzu' | 'lha' | 'lhau' | 'lwz' | 'lwzu' | 'lwa' | 'ld' | 'ldu';
export type StoreOp = 'stb' | 'stbu' | 'sth' | 'sthu' | 'stw' | 'stwu' | 'std' | 'stdu';

export interface Access {
  readonly size: 1 | 2 | 4 | 8;
  /** Loads: sign-extend the value (lha, lwa); otherwise it is zero-extended. */
  readonly signed: boolean;
  readonly update: boolean;
  readonly only64: boolean;
}

const acc = (size: 1 | 2 | 4 | 8, update: boolean, signed = false, only64 = false): Access => Object.freeze({ size, signed, update, only64 });

export const LOADS = Object.freeze({
  lbz: acc(1, false), lbzu: acc(1, true),
  lhz: acc(2, false), lhzu: acc(2, true),
  lha: acc(2, false, true), lhau: acc(2, true, true),
  lwz: acc(4, false), lwzu: acc(4, true),
  lwa: acc(4, false, true, true),
  ld: acc(8, false, false, true), ldu: acc(8, true, false, true),
} satisfies Record<LoadOp, Access>);

export const STORES = Object.freeze({
  stb: acc(1, false), stbu: acc(1, true),
  sth: acc(2, false), sthu: acc(2, true),
  stw: acc(4, false), stwu: acc(4, true),
  std: acc(8, false, false, true), stdu: acc(8, true, false, true),
} satisfies Record<StoreOp, Access>);

function effectiveAddress(cpu: CpuState, ra: number, disp: number, is64: boolean): bigint {
  return wrap(is64, (ra === 0 ? 0n : cpu.regs[ra]) + BigInt(disp));
}

export function load(cpu: CpuState, bus: DataBus, is64: boolean, a: Access, rt: number, ra: number, disp: number): ExecOutcome {
  if ((a.only64 && !is64) || (a.update && (ra === 0 || ra === rt))) return UNDEFINED;
  const ea = effectiveAddress(cpu, ra, disp, is64);
  const v = bus.load(ea, a.size);
  if (typeof v !== 'bigint') return { kind: 'fault', fault: v };
  cpu.regs[rt] = a.signed ? wrap(is64, BigInt.asIntN(a.size * 8, v)) : v;
  if (a.update) cpu.regs[ra] = ea;
  return NEXT;
}

export function store(cpu: CpuState, bus: DataBus, is64: boolean, a: Access, rs: number, ra: number, disp: number): ExecOutcome {
  if ((a.only64 && !is64) || (a.update && ra === 0)) return UNDEFINED;
  const ea = effectiveAddress(cpu, ra, disp, is64);
  // The bus keeps the low `size` bytes; RS is read before RA is updated (stwu r1,-16(r1) stores the old r1).
  const fault = bus.store(ea, a.size, cpu.regs[rs]);
  if (fault) return { kind: 'fault', fault };
  if (a.update) cpu.regs[ra] = ea;
  return NEXT;
}
