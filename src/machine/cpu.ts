// A CPU's architectural state as plain values: a register file in one typed array, cheap to clone and hash.

import type { Hasher } from '../base/hash.js';

export interface CpuState {
  /** Every register of the arch in one array; the layout is the arch's `registers` table. */
  readonly regs: BigUint64Array;
  pc: bigint;
  /** Maskable interrupts enabled (x86 IF, arm64 !PSTATE.I, ppc MSR[EE]). */
  irqEnabled: boolean;
  /** x86 STI shadow: interrupts stay blocked until after the next instruction. */
  irqShadow: boolean;
}

export function newCpu(registerCount: number, pc = 0n): CpuState {
  return { regs: new BigUint64Array(registerCount), pc, irqEnabled: true, irqShadow: false };
}

export function cloneCpu(c: CpuState): CpuState {
  return { regs: c.regs.slice(), pc: c.pc, irqEnabled: c.irqEnabled, irqShadow: c.irqShadow };
}

export function hashCpu(h: Hasher, c: CpuState): void {
  const r = c.regs;
  for (let i = 0; i < r.length; i++) h.big(r[i]);
  h.big(c.pc).word((c.irqEnabled ? 1 : 0) | (c.irqShadow ? 2 : 0));
}
