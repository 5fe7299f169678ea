// The LP64 calling convention of the RISC-V psABI: a0…a7 in, a0 out, the return address in ra.
//
// At a call sp is 16-byte aligned and arguments past the eighth are on the stack from 0(sp), one
// doubleword each. sp and s0…s11 are callee-saved; gp (the global pointer) and tp (the thread pointer,
// the kernel's `current`) belong to no function: no callee may leave them changed either.

import type { Abi, AccessFault, DataBus } from '../arch.js';
import type { CpuState } from '../cpu.js';
import { GP, RA, SP, TP } from './registers.js';

const ARG_REGS = Object.freeze([10, 11, 12, 13, 14, 15, 16, 17]);
const CALLEE_SAVED = Object.freeze([SP, GP, TP, 8, 9, ...Array.from({ length: 10 }, (_, i) => 18 + i)]);

function prepareCall(
  cpu: CpuState, entry: bigint, args: readonly bigint[], returnAddress: bigint, stackTop: bigint, bus: DataBus,
): AccessFault | undefined {
  const onStack = Math.max(0, args.length - ARG_REGS.length);
  const sp = BigInt.asUintN(64, (stackTop & ~15n) - ((BigInt(onStack * 8) + 15n) & ~15n));
  for (let i = ARG_REGS.length; i < args.length; i++) {
    const fault = bus.store(sp + 8n * BigInt(i - ARG_REGS.length), 8, BigInt.asUintN(64, args[i]));
    if (fault) return fault;
  }
  args.slice(0, ARG_REGS.length).forEach((a, i) => (cpu.regs[ARG_REGS[i]] = BigInt.asUintN(64, a)));
  cpu.regs[SP] = sp;
  cpu.regs[RA] = BigInt.asUintN(64, returnAddress);
  cpu.pc = BigInt.asUintN(64, entry);
  return undefined;
}

export const riscv64Abi: Abi = Object.freeze({
  argRegs: ARG_REGS,
  returnReg: 10,
  stackPointer: SP,
  linkRegister: RA,
  calleeSaved: CALLEE_SAVED,
  prepareCall,
});
