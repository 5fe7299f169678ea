// Exceptions, hints, barriers, PSTATE.DAIF, system registers and cache maintenance: what the kernel's patching helpers run.
//
// brk and udf leave the pc on the instruction (their exceptions' preferred return address); svc, hvc
// and smc move past it (the exception is taken after the call). Hints — nop, yield, wfe, wfi, sev,
// bti, the pointer-authentication hints, csdb … — do nothing: BTI checking is not modelled, and the
// PAC hints behave as on a CPU without FEAT_PAuth (they are NOPs there). `sb`, `ssbb`, `pssbb` only
// limit speculation, which is not modelled either.
//
// Cache maintenance by address (dc cvau/cvac/cvap/civac, ic ivau, dc ivac) is checked against
// translation as a load would be: an unmapped address is a data abort.

import type { DataBus, ExecOutcome } from '../arch.js';
import type { CpuState } from '../cpu.js';
import { SYSREG_BY_NAME } from '../../isa/arm64/table-names.js';
import type { Insn } from './insn.js';
import { faultOutcome, next, NEXT } from './outcomes.js';
import { ELR_EL1, NZCV } from './registers.js';

const ISB: ExecOutcome = Object.freeze({ kind: 'sync', what: 'context-sync' });
const DSB: ExecOutcome = Object.freeze({ kind: 'barrier', what: 'dsb' });
const DMB: ExecOutcome = Object.freeze({ kind: 'barrier', what: 'dmb' });
const IC_IALLUIS: ExecOutcome = Object.freeze({ kind: 'cache', op: 'invalidate-icache-all' });
const ERET: ExecOutcome = Object.freeze({ kind: 'exception-return' });

/** BRK: a breakpoint, code imm16, pc on the instruction. */
export function breakpoint(_cpu: CpuState, insn: Insn<'brk'>): ExecOutcome {
  return { kind: 'trap', trap: 'breakpoint', code: insn.imm16 };
}

/** UDF: permanently undefined, code imm16, pc on the instruction. */
export function permanentlyUndefined(_cpu: CpuState, insn: Insn<'udf'>): ExecOutcome {
  return { kind: 'trap', trap: 'undefined', code: insn.imm16 };
}

/** SVC, HVC, SMC: the call is taken with the pc past the instruction. The trap does not say which of the three. */
export function exceptionCall(cpu: CpuState, insn: Insn<'svc' | 'hvc' | 'smc'>): ExecOutcome {
  next(cpu);
  return { kind: 'trap', trap: 'syscall', code: insn.imm16 };
}

/** ISB: context synchronization of this CPU (MODEL.md section 3: its fetch windows close). */
export function instructionSynchronizationBarrier(cpu: CpuState, _insn: Insn<'isb'>): ExecOutcome {
  next(cpu);
  return ISB;
}

/**
 * DSB (any domain and access type: patchlab does not model them) completes this CPU's cache
 * maintenance. CRm 0 and 4 are not DSBs but SSBB and PSSBB (speculative store bypass barriers).
 */
export function dataSynchronizationBarrier(cpu: CpuState, insn: Insn<'dsb'>): ExecOutcome {
  next(cpu);
  return insn.crm === 0 || insn.crm === 4 ? NEXT : DSB;
}

export function dataMemoryBarrier(cpu: CpuState, _insn: Insn<'dmb'>): ExecOutcome {
  next(cpu);
  return DMB;
}

/** MSR DAIFSet/DAIFClr, #imm: bit 1 of the immediate is PSTATE.I (IRQs). D, A and F are not modelled. */
export function writeDaif(cpu: CpuState, insn: Insn<'msr_daifset' | 'msr_daifclr'>): ExecOutcome {
  if ((insn.crm & 2) !== 0) cpu.irqEnabled = insn.op === 'msr_daifclr';
  return next(cpu);
}

const sysreg = (name: string): number => SYSREG_BY_NAME.get(name)!;
const SYSREG_NZCV = sysreg('nzcv');
const SYSREG_DAIF = sysreg('daif');
const SYSREG_CURRENTEL = sysreg('currentel');
const SYSREG_CTR_EL0 = sysreg('ctr_el0');
const SYSREG_ELR_EL1 = sysreg('elr_el1');
/** PSTATE.I as DAIF holds it. */
const DAIF_I = 0x80n;
/** MODEL.md's CPUs run the kernel: EL1, as CurrentEL holds it (bits 3..2). */
const CURRENT_EL1 = 0x4n;
/**
 * CTR_EL0 without IDC (bit 28) and DIC (bit 29): bit 31 RES1, CWG and ERG 64 bytes (4 words: 0x4), DminLine
 * and IminLine 64 bytes (4), L1Ip PIPT (0b11): a Cortex-A72's value, whose 64-byte lines are the model's.
 */
const CTR_EL0_BASE = 0x8444_c004n;
const UNSUPPORTED: ExecOutcome = Object.freeze({ kind: 'trap', trap: 'unsupported', code: 0 });

/**
 * MRS Xt, <sysreg>: the registers the model has. NZCV; DAIF's I bit (!irqEnabled; D, A and F are not
 * modelled and read 0); CurrentEL (EL1); CTR_EL0 with IDC and DIC as the `arm64.idc`/`arm64.dic` knobs set
 * them; ELR_EL1. Any other system register is the `unsupported` trap (pc on the instruction, nothing changes).
 */
export function moveFromSystemRegister(cpu: CpuState, insn: Insn<'mrs'>, bus: DataBus): ExecOutcome {
  const regs = cpu.regs;
  let v: bigint;
  switch (insn.sysreg) {
    case SYSREG_NZCV: v = regs[NZCV]; break;
    case SYSREG_DAIF: v = cpu.irqEnabled ? 0n : DAIF_I; break;
    case SYSREG_CURRENTEL: v = CURRENT_EL1; break;
    case SYSREG_ELR_EL1: v = regs[ELR_EL1]; break;
    case SYSREG_CTR_EL0: v = CTR_EL0_BASE | (bus.cacheType?.idc ? 1n << 28n : 0n) | (bus.cacheType?.dic ? 1n << 29n : 0n); break;
    default: return UNSUPPORTED;
  }
  if (insn.rt !== 31) regs[insn.rt] = v;
  return next(cpu);
}

/** MSR <sysreg>, Xt: NZCV (bits 31..28), DAIF's I bit and ELR_EL1; any other is `unsupported`, as are the read-only ones. */
export function moveToSystemRegister(cpu: CpuState, insn: Insn<'msr'>): ExecOutcome {
  const v = insn.rt === 31 ? 0n : cpu.regs[insn.rt];
  switch (insn.sysreg) {
    case SYSREG_NZCV: cpu.regs[NZCV] = v & 0xf000_0000n; break;
    case SYSREG_DAIF: cpu.irqEnabled = (v & DAIF_I) === 0n; break;
    case SYSREG_ELR_EL1: cpu.regs[ELR_EL1] = v; break;
    default: return UNSUPPORTED;
  }
  return next(cpu);
}

type ByAddress = 'dc_cvau' | 'dc_cvac' | 'dc_cvap' | 'dc_civac' | 'dc_ivac' | 'ic_ivau';

/**
 * DC by VA to the point of unification or beyond (cvau, cvac, cvap, civac) cleans the line, as far as
 * instruction fetch is concerned; IC IVAU invalidates it in every instruction cache. DC IVAC discards
 * without cleaning: data memory is coherent here, so it changes nothing the model sees.
 */
export function maintainByAddress(cpu: CpuState, insn: Insn<ByAddress>, bus: DataBus): ExecOutcome {
  const address = insn.rt === 31 ? 0n : cpu.regs[insn.rt];
  const probe = bus.load(address, 1);
  if (typeof probe !== 'bigint') return faultOutcome(probe);
  next(cpu);
  switch (insn.op) {
    case 'ic_ivau': return { kind: 'cache', op: 'invalidate-icache', address };
    case 'dc_ivac': return NEXT;
    default: return { kind: 'cache', op: 'clean', address };
  }
}

/**
 * IC IALLUIS invalidates every instruction cache of the inner shareable domain, for every address.
 * IC IALLU does so for this CPU only, which gives it nothing its own ISB would not: in the model it
 * changes nothing.
 */
export function invalidateAllInstructionCaches(cpu: CpuState, insn: Insn<'ic_iallu' | 'ic_ialluis'>): ExecOutcome {
  next(cpu);
  return insn.op === 'ic_ialluis' ? IC_IALLUIS : NEXT;
}

/** ERET: the kernel layer restores pc and PSTATE from ELR/SPSR; the pc stays on the instruction here. */
export function exceptionReturn(_cpu: CpuState, _insn: Insn<'eret'>): ExecOutcome {
  return ERET;
}
