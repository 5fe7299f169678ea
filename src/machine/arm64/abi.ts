// AAPCS64, the procedure call standard Linux uses on arm64: x0…x7 in, x0 out, return address in x30.
//
// The callee preserves x19…x28, the frame pointer x29 and SP. x18 is the platform register: the
// kernel keeps its shadow call stack pointer there when built with CONFIG_SHADOW_CALL_STACK, and
// otherwise the compiler may use it as a temporary; it is not listed. Arguments past the eighth go on
// the stack, each in an 8-byte slot from [sp] up, and SP is 16-byte aligned at the call.

import type { Abi, AccessFault, DataBus } from '../arch.js';
import type { CpuState } from '../cpu.js';
import { LR, SP } from './registers.js';

const ARG_REGS = Object.freeze([0, 1, 2, 3, 4, 5, 6, 7]);
const CALLEE_SAVED = Object.freeze([19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, SP]);

function prepareCall(
  cpu: CpuState, entry: bigint, args: readonly bigint[], returnAddress: bigint, stackTop: bigint, bus: DataBus,
): AccessFault | undefined {
  const onStack = args.slice(ARG_REGS.length);
  const sp = (stackTop & ~15n) - ((BigInt(onStack.length * 8) + 15n) & ~15n);
  for (let i = 0; i < onStack.length; i++) {
    const fault = bus.store(sp + BigInt(8 * i), 8, BigInt.asUintN(64, onStack[i]));
    if (fault) return fault;
  }
  args.slice(0, ARG_REGS.length).forEach((a, i) => (cpu.regs[ARG_REGS[i]] = BigInt.asUintN(64, a)));
  cpu.regs[SP] = sp;
  cpu.regs[LR] = returnAddress;
  cpu.pc = entry;
  return undefined;
}

export const arm64Abi: Abi = Object.freeze({
  argRegs: ARG_REGS,
  returnReg: 0,
  stackPointer: SP,
  linkRegister: LR,
  calleeSaved: CALLEE_SAVED,
  prepareCall,
});
