// The arm64 register file as one typed array: x0…x30, then sp, the condition flags NZCV, the exclusive monitor and ELR_EL1.
//
// Register number 31 means SP or the zero register depending on the operand (the Arm ARM's `X[n]` vs
// `SP[]`): index 31 of the array is SP, so an SP operand reads regs[31] directly and a zero-register
// operand must test for 31. There is no storage for XZR/WZR: it reads 0 and writes are discarded.

import type { RegisterInfo } from '../arch.js';

export const GPR_COUNT = 31;
/** x30, the link register: `bl` and `blr` write the return address here. */
export const LR = 30;
export const SP = 31;
/** PSTATE.{N,Z,C,V} kept as the NZCV system register holds them: N bit 31, Z 30, C 29, V 28, the rest 0. */
export const NZCV = 32;
/**
 * The local exclusive monitor (execute-exclusive.ts): the address and size `ldxr` marked, tagged with bit
 * 63 (0: open), and the value it read. Architectural state, though no instruction names it.
 */
export const MONITOR = 33;
export const MONITOR_VALUE = 34;
/**
 * ELR_EL1, the exception link register: where ERET returns to. `msr`/`mrs` write and read it; whoever takes
 * an exception (the kernel layer, the litmus runner's fault handlers) sets it and moves the pc on ERET.
 */
export const ELR_EL1 = 35;

export const ARM64_REGISTERS: RegisterInfo = Object.freeze({
  names: Object.freeze([...Array.from({ length: GPR_COUNT }, (_, i) => `x${i}`), 'sp', 'nzcv', 'monitor', 'monitor.value', 'elr_el1']),
  pcName: 'pc',
});
