// A CPU's architectural state as plain values: a register file in one typed array, cheap to clone and hash.

import { Hasher } from '../base/hash.js';

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

/**
 * Feed a CPU into a fingerprint. Machine states share the CpuState objects of CPUs that did not step
 * (see `withCpu`), and a shared CpuState is never mutated, so its two hash lanes are computed once.
 */
export function hashCpu(h: Hasher, c: CpuState): void {
  let lanes = laneCache.get(c);
  if (!lanes) {
    const words = new Uint32Array(c.regs.buffer, c.regs.byteOffset, c.regs.length * 2);
    const own = new Hasher(0x0c9);
    for (let i = 0; i < words.length; i++) own.word(words[i]);
    own.big(c.pc).word((c.irqEnabled ? 1 : 0) | (c.irqShadow ? 2 : 0));
    lanes = [own.lo(), own.hi()];
    laneCache.set(c, lanes);
  }
  h.word(lanes[0]).word(lanes[1]);
}

const laneCache = new WeakMap<CpuState, readonly [number, number]>();
