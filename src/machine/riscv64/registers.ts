// The riscv64 register file as one typed array: x0…x31 by their ABI names, then the LR/SC reservation.
//
// x0 reads as zero: writes to it are dropped (setX). The reservation is not an architectural register
// but state LR leaves for SC: the reserved address with bit 0 set, or 0 when there is none.

import type { RegisterInfo } from '../arch.js';
import type { CpuState } from '../cpu.js';
import { REGISTER_NAMES } from '../../isa/riscv64/table.js';

export const GPR_COUNT = 32;
export const RA = 1;
export const SP = 2;
export const GP = 3;
export const TP = 4;
export const RESERVATION = 32;

export const RISCV64_REGISTERS: RegisterInfo = Object.freeze({
  names: Object.freeze([...REGISTER_NAMES, 'reservation']),
  pcName: 'pc',
});

/** Write register `r`, as a 64-bit pattern; x0 stays zero. */
export function setX(cpu: CpuState, r: number, value: bigint): void {
  if (r !== 0) cpu.regs[r] = BigInt.asUintN(64, value);
}

/** Register `r` as a signed 64-bit number. */
export function signedX(cpu: CpuState, r: number): bigint {
  return BigInt.asIntN(64, cpu.regs[r]);
}
