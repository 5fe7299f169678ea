// What each arch gives the machine: registers, ABI, fetch policy, and the semantics of its decoded instructions.

import type { Isa } from '../isa/types.js';
import type { CpuState } from './cpu.js';
import type { FetchPolicy } from './fetch.js';

/** A data access that failed: outside every region, or against its permissions. */
export interface AccessFault {
  readonly kind: 'fault';
  readonly address: bigint;
  readonly access: 'read' | 'write';
  readonly reason: 'unmapped' | 'not-readable' | 'not-writable' | 'misaligned';
}

/** Loads and stores of one instruction: coherent, sequentially consistent (MODEL.md section 1). */
export interface DataBus {
  load(va: bigint, size: 1 | 2 | 4 | 8): bigint | AccessFault;
  store(va: bigint, size: 1 | 2 | 4 | 8, value: bigint): AccessFault | undefined;
  /** The cache type the CPU reports (arm64 `mrs CTR_EL0`: the `arm64.idc`/`arm64.dic` knobs); absent: neither. */
  readonly cacheType?: { readonly idc: boolean; readonly dic: boolean };
}

export type TrapKind =
  /** x86 int3, arm64 brk, ppc tw/twi that traps */
  | 'breakpoint'
  /** x86 ud2/ud1, arm64 udf, any undefined encoding */
  | 'undefined'
  /** syscall-like: svc, hvc, smc, sc */
  | 'syscall'
  | 'halt'
  /** an instruction the model decodes but does not run (x86 swapgs, control registers, iret to another ring) */
  | 'unsupported';

/**
 * What one executed instruction did besides updating registers and pc. The machine turns these into
 * events: synchronization closes fetch windows, maintenance completes, traps go to the kernel layer.
 */
export type ExecOutcome =
  | { readonly kind: 'next' }
  | { readonly kind: 'trap'; readonly trap: TrapKind; readonly code: number }
  | { readonly kind: 'fault'; readonly fault: AccessFault }
  /** x86 serializing (cpuid, iret to the same ring, serialize), arm64 isb, ppc isync: this CPU becomes certain. */
  | { readonly kind: 'sync'; readonly what: 'serialize' | 'context-sync' }
  /** arm64 dsb/dmb, ppc sync/lwsync/hwsync: completes this CPU's pending cache maintenance. */
  | { readonly kind: 'barrier'; readonly what: string }
  /** arm64 dc cvau / ic ivau, ppc dcbst / icbi on a data address. */
  | { readonly kind: 'cache'; readonly op: 'clean' | 'invalidate-icache'; readonly address: bigint }
  /** arm64 ic ialluis: every instruction cache of the inner shareable domain, for every address. */
  | { readonly kind: 'cache'; readonly op: 'invalidate-icache-all' }
  /** arm64 eret: exception return (context-synchronizing); the kernel layer restores state. */
  | { readonly kind: 'exception-return' };

/** Costs an instruction adds up, for `patchlab cost`. */
export interface InsnClass {
  readonly branch: 'none' | 'direct' | 'indirect' | 'return';
  readonly call: boolean;
}

/** The six classes every arch's `classify` answers with. */
export const INSN_CLASS = Object.freeze({
  none: Object.freeze({ branch: 'none', call: false }),
  direct: Object.freeze({ branch: 'direct', call: false }),
  directCall: Object.freeze({ branch: 'direct', call: true }),
  indirect: Object.freeze({ branch: 'indirect', call: false }),
  indirectCall: Object.freeze({ branch: 'indirect', call: true }),
  return: Object.freeze({ branch: 'return', call: false }),
} as const satisfies Record<string, InsnClass>);

export interface RegisterInfo {
  /** As objdump spells them: rax, x0, r3, … then the special ones (rflags, sp, nzcv, lr, ctr, cr, xer). */
  readonly names: readonly string[];
  readonly pcName: string;
}

export interface Abi {
  readonly argRegs: readonly number[];
  readonly returnReg: number;
  readonly stackPointer: number;
  /** Where a call leaves the return address: a register (arm64 x30, ppc LR, riscv64 ra), or undefined: pushed on the stack (x86-64). */
  readonly linkRegister: number | undefined;
  /** Registers a callee must preserve (including the stack pointer and, on ppc64, r2). */
  readonly calleeSaved: readonly number[];
  /**
   * Set up `cpu` to call `entry` with `args`, returning to `returnAddress` (pushed on x86, in the link
   * register elsewhere) with the stack at `stackTop`. ppc64: r12 = entry (global entry point convention).
   */
  prepareCall(cpu: CpuState, entry: bigint, args: readonly bigint[], returnAddress: bigint, stackTop: bigint, bus: DataBus): AccessFault | undefined;
}

export interface ArchMachine<I = unknown> {
  readonly isa: Isa<I>;
  readonly registers: RegisterInfo;
  readonly abi: Abi;
  readonly fetchPolicy: FetchPolicy;
  /**
   * Execute `insn` (fetched at cpu.pc, `length` bytes): update registers and pc in place and return what
   * else happened. Never throws on guest behaviour: faults and traps are outcomes.
   */
  execute(cpu: CpuState, insn: I, length: number, bus: DataBus): ExecOutcome;
  classify(insn: I): InsnClass;
}
