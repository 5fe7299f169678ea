// Special-purpose registers, barriers, cache maintenance, traps and system call: what patch_instruction runs.
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
import { CTR, LR, XER, XER_WRITABLE_32, XER_WRITABLE_64 } from './registers.js';

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

/**
 * TO bits, against the low words of the operands (tw/twi compare words in either mode):
 * 16 a < b, 8 a > b, 4 a = b (signed); 2 a < b, 1 a > b (unsigned).
 */
function trapConditionHolds(to: number, a: bigint, b: bigint): boolean {
  const sa = BigInt.asIntN(32, a), sb = BigInt.asIntN(32, b);
  const ua = BigInt.asUintN(32, a), ub = BigInt.asUintN(32, b);
  return ((to & 16) !== 0 && sa < sb) || ((to & 8) !== 0 && sa > sb) || ((to & 4) !== 0 && sa === sb)
    || ((to & 2) !== 0 && ua < ub) || ((to & 1) !== 0 && ua > ub);
}

/** tw, twi (`trap` is `tw 31,0,0`): a breakpoint trap (code TO) on the instruction when it holds. */
export function trapWord(cpu: CpuState, insn: Insn<'tw' | 'twi'>): ExecOutcome {
  const b = insn.op === 'tw' ? cpu.regs[insn.rb] : BigInt(insn.si);
  return trapConditionHolds(insn.to, cpu.regs[insn.ra], b) ? { kind: 'trap', trap: 'breakpoint', code: insn.to } : NEXT;
}

/** sc LEV: the system call interrupt is taken after the instruction (SRR0 = the next one); code LEV. */
export function systemCall(insn: Insn<'sc'>): ExecOutcome {
  return { kind: 'trap', trap: 'syscall', code: insn.lev };
}
