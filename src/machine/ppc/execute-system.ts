// Special-purpose registers, CR and MSR moves, barriers, cache maintenance, traps and system call: what patch_instruction runs.
//
// Only LR, CTR and XER are modelled; another SPR is an illegal instruction here (a gap, not the
// architecture: a kernel would reach SPRGs, SRR0/1…). `patch_instruction` ends in
// `dcbst; sync; icbi; sync; isync`: dcbst and dcbf are a data-cache clean, icbi an instruction-cache
// invalidate, each of the address (RA|0)+RB, and each is checked against translation as a load is
// (Power ISA Book II, cache management instructions); sync in its three kinds is a barrier and isync context-synchronizes this CPU.

import type { DataBus, ExecOutcome } from '../arch.js';
import type { CpuState } from '../cpu.js';
import { wrap } from './execute-alu.js';
import type { Insn } from './insn.js';
import { NEXT, UNDEFINED } from './outcomes.js';
import { CR, CTR, LR, XER, XER_WRITABLE_32, XER_WRITABLE_64 } from './registers.js';

const SPR_XER = 1;
const SPR_LR = 8;
const SPR_CTR = 9;

/** The register an SPR number is kept in, or undefined when patchlab does not model it. */
function sprRegister(spr: number): number | undefined {
  return spr === SPR_LR ? LR : spr === SPR_CTR ? CTR : spr === SPR_XER ? XER : undefined;
}

export function moveToSpr(cpu: CpuState, insn: Insn<'mtspr'>, is64: boolean): ExecOutcome {
  const reg = sprRegister(insn.spr);
  if (reg === undefined) return UNDEFINED;
  const v = cpu.regs[insn.rs];
  cpu.regs[reg] = reg === XER ? v & (is64 ? XER_WRITABLE_64 : XER_WRITABLE_32) : v;
  return NEXT;
}

export function moveFromSpr(cpu: CpuState, insn: Insn<'mfspr'>): ExecOutcome {
  const reg = sprRegister(insn.spr);
  if (reg === undefined) return UNDEFINED;
  cpu.regs[insn.rt] = cpu.regs[reg];
  return NEXT;
}

const BARRIERS: readonly ExecOutcome[] = Object.freeze(
  (['hwsync', 'lwsync', 'ptesync'] as const).map((what) => Object.freeze({ kind: 'barrier', what }) satisfies ExecOutcome),
);
const ISYNC: ExecOutcome = Object.freeze({ kind: 'sync', what: 'context-sync' });

/** sync L: 0 hwsync (plain `sync`), 1 lwsync, 2 ptesync (3 does not decode). */
export function sync(insn: Insn<'sync'>): ExecOutcome {
  return BARRIERS[insn.l2];
}

export function isync(): ExecOutcome {
  return ISYNC;
}

/** dcbst, dcbf (clean) and icbi (invalidate the instruction cache) of the block holding (RA|0)+RB. */
export function cacheBlock(cpu: CpuState, insn: Insn<'dcbst' | 'dcbf' | 'icbi'>, bus: DataBus, is64: boolean): ExecOutcome {
  const address = wrap(is64, (insn.ra === 0 ? 0n : cpu.regs[insn.ra]) + cpu.regs[insn.rb]);
  const probe = bus.load(address, 1);
  if (typeof probe !== 'bigint') return { kind: 'fault', fault: probe };
  return { kind: 'cache', op: insn.op === 'icbi' ? 'invalidate-icache' : 'clean', address };
}

/** mfcr: the 32-bit CR, zero-extended. */
export function moveFromCr(cpu: CpuState, insn: Insn<'mfcr'>): void {
  cpu.regs[insn.rt] = cpu.regs[CR];
}

/** mfocrf RT,FXM: the one CR field FXM names, in place; the ISA leaves the other bits undefined, 0 here. */
export function moveFromCrField(cpu: CpuState, insn: Insn<'mfocrf'>): void {
  const i = 7 - Math.log2(insn.fxm);
  cpu.regs[insn.rt] = cpu.regs[CR] & (0xfn << BigInt(28 - 4 * i));
}

/** mtcrf/mtocrf FXM,RS (`mtcr` is FXM 0xff): CR field i takes RS's bits of field i where FXM bit 7−i is set. */
export function moveToCrFields(cpu: CpuState, insn: Insn<'mtcrf' | 'mtocrf'>): void {
  let keep = 0xffffffffn;
  for (let i = 0; i < 8; i++) if (insn.fxm & (0x80 >> i)) keep ^= 0xfn << BigInt(28 - 4 * i);
  cpu.regs[CR] = (cpu.regs[CR] & keep) | (cpu.regs[insn.rs] & 0xffffffffn & ~keep);
}

/** MSR[EE] (external interrupts enabled): ISA bit 48, 1 << 15 counted from the least significant bit. */
export const MSR_EE = 1n << 15n;

/**
 * mfmsr: the only MSR bit the model has is EE, which is the CPU's irqEnabled; every other bit reads 0
 * (SF, HV, PR, IR/DR, RI, LE: the model has no such state). mtmsr/mtmsrd (L = 0 or 1) set irqEnabled from
 * RS's EE bit and drop the rest. Both are privileged; the model runs kernel code, so they never trap.
 */
export function moveFromMsr(cpu: CpuState, insn: Insn<'mfmsr'>): void {
  cpu.regs[insn.rt] = cpu.irqEnabled ? MSR_EE : 0n;
}

export function moveToMsr(cpu: CpuState, insn: Insn<'mtmsr' | 'mtmsrd'>): void {
  cpu.irqEnabled = (cpu.regs[insn.rs] & MSR_EE) !== 0n;
}

/**
 * TO bits, against the low words of the operands (tw/twi compare words in either mode):
 * 16 a < b, 8 a > b, 4 a = b (signed); 2 a < b, 1 a > b (unsigned).
 */
function trapConditionHolds(to: number, a: bigint, b: bigint, bits: 32 | 64): boolean {
  const sa = BigInt.asIntN(bits, a), sb = BigInt.asIntN(bits, b);
  const ua = BigInt.asUintN(bits, a), ub = BigInt.asUintN(bits, b);
  return ((to & 16) !== 0 && sa < sb) || ((to & 8) !== 0 && sa > sb) || ((to & 4) !== 0 && sa === sb)
    || ((to & 2) !== 0 && ua < ub) || ((to & 1) !== 0 && ua > ub);
}

/**
 * tw, twi (`trap` is `tw 31,0,0`) and td, tdi (doublewords, ppc64 only): a breakpoint trap (code TO)
 * on the instruction when it holds.
 */
export function trapWord(cpu: CpuState, insn: Insn<'tw' | 'twi' | 'td' | 'tdi'>, is64: boolean): ExecOutcome {
  const double = insn.op === 'td' || insn.op === 'tdi';
  if (double && !is64) return UNDEFINED;
  const b = insn.op === 'tw' || insn.op === 'td' ? cpu.regs[insn.rb] : BigInt(insn.si);
  return trapConditionHolds(insn.to, cpu.regs[insn.ra], b, double ? 64 : 32) ? { kind: 'trap', trap: 'breakpoint', code: insn.to } : NEXT;
}

/** sc LEV: the system call interrupt is taken after the instruction (SRR0 = the next one); code LEV. */
export function systemCall(insn: Insn<'sc'>): ExecOutcome {
  return { kind: 'trap', trap: 'syscall', code: insn.lev };
}
