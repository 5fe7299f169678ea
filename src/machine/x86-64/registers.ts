// The x86-64 register file as one typed array: rax…r15 by their hardware numbers, then rflags.
//
// The interpreter reads and writes the array through a 32-bit view of the same buffer (see operands.ts):
// every register is a pair of 32-bit halves, so arithmetic runs on Numbers, without a BigInt per step.

import { REGISTERS, type X86Reg } from '../../isa/x86-64/table.js';
import type { RegisterInfo } from '../arch.js';

export const GPR_COUNT = 16;
export const RSP = 4;
export const RFLAGS = 16;

export const X86_REGISTERS: RegisterInfo = Object.freeze({
  names: Object.freeze([
    'rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi',
    'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rflags',
  ]),
  pcName: 'rip',
});

/**
 * RFLAGS bits (Intel SDM vol. 1, 3.4.3). Bit 1 always reads 1; bits 3, 5, 15 and 22–63 always read 0.
 * IF mirrors `CpuState.irqEnabled`: every instruction that changes one changes the other.
 */
export const CF = 0x1;
export const FIXED1 = 0x2;
export const PF = 0x4;
export const AF = 0x10;
export const ZF = 0x40;
export const SF = 0x80;
export const TF = 0x100;
export const IF = 0x200;
export const DF = 0x400;
export const OF = 0x800;
export const RF = 0x10000;
export const VM = 0x20000;
/** The six status flags the arithmetic instructions write. */
export const STATUS_FLAGS = CF | PF | AF | ZF | SF | OF;
/**
 * The bits an IRET to ring 0 of 64-bit mode may load: status flags, TF, IF, DF, IOPL (12–13), NT (14),
 * RF (16), AC (18), VIF (19), VIP (20), ID (21). VM (17) cannot be set in IA-32e mode; reserved bits stay.
 */
export const IRET_WRITABLE = STATUS_FLAGS | TF | IF | DF | 0x3000 | 0x4000 | 0x10000 | 0x40000 | 0x80000 | 0x100000 | 0x200000;

/** The bits popf at ring 0 may load: status flags, TF, IF, DF, IOPL, NT, AC, ID (not RF, VM, VIF, VIP). */
export const POPF_WRITABLE = STATUS_FLAGS | TF | IF | DF | 0x3000 | 0x4000 | 0x40000 | 0x200000;

/**
 * What `mov %sreg` reads, by segment register number (es cs ss ds fs gs): the CPU runs Linux's kernel
 * code at ring 0, cs = __KERNEL_CS (0x10), ss = __KERNEL_DS (0x18); the others null (flat memory).
 */
export const SEGMENT_SELECTORS: readonly number[] = Object.freeze([0, 0x10, 0x18, 0, 0, 0]);

/** Where a register operand lives: `slot` in the array; `high` for ah/ch/dh/bh (bits 8–15 of slot). */
export interface RegSlot {
  readonly slot: number;
  readonly size: 8 | 16 | 32 | 64;
  readonly high: boolean;
}

/** Every register name the decoder produces, with its slot: ah…bh are numbered 4–7 but live in rax…rbx. */
export const REG_SLOTS: Readonly<Record<X86Reg, RegSlot>> = Object.freeze(
  Object.fromEntries((Object.keys(REGISTERS) as X86Reg[]).map((name) => {
    const r = REGISTERS[name];
    const high = r.rex === 'forbids';
    return [name, Object.freeze({ slot: high ? r.num - 4 : r.num, size: r.size, high })];
  })) as Record<X86Reg, RegSlot>,
);
