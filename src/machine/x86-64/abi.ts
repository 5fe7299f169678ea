// The System V AMD64 calling convention (psABI 3.2): arguments, return value, callee-saved registers, a call's frame.
//
// Integer arguments go in rdi, rsi, rdx, rcx, r8, r9, the rest on the stack, and the result comes back
// in rax. At the call instruction rsp is 16-byte aligned; the call pushes the return address, so the
// callee starts with rsp ≡ 8 (mod 16), the return address at 0(%rsp) and argument 7 at 8(%rsp).
// rbx, rsp, rbp and r12–r15 belong to the caller. DF is clear at every call.

import type { Abi, AccessFault, DataBus } from '../arch.js';
import type { CpuState } from '../cpu.js';
import { FIXED1, IF, RFLAGS, RSP } from './registers.js';

const ARG_REGS = Object.freeze([7, 6, 2, 1, 8, 9]);
const CALLEE_SAVED = Object.freeze([3, RSP, 5, 12, 13, 14, 15]);

function prepareCall(
  cpu: CpuState, entry: bigint, args: readonly bigint[], returnAddress: bigint, stackTop: bigint, bus: DataBus,
): AccessFault | undefined {
  const wrap = (v: bigint) => BigInt.asUintN(64, v);
  const onStack = Math.max(0, args.length - ARG_REGS.length);
  // The aligned rsp of the caller's call instruction, below the stack arguments, then the pushed return address.
  const callSite = (stackTop & ~15n) - BigInt(((onStack * 8 + 15) >> 4) << 4);
  const sp = callSite - 8n;
  const pushed = bus.store(sp, 8, wrap(returnAddress));
  if (pushed) return pushed;
  for (let i = ARG_REGS.length; i < args.length; i++) {
    const fault = bus.store(callSite + BigInt(8 * (i - ARG_REGS.length)), 8, wrap(args[i]));
    if (fault) return fault;
  }
  args.slice(0, ARG_REGS.length).forEach((a, i) => (cpu.regs[ARG_REGS[i]] = wrap(a)));
  cpu.regs[RSP] = sp;
  cpu.regs[RFLAGS] = BigInt(FIXED1 | (cpu.irqEnabled ? IF : 0));
  cpu.pc = wrap(entry);
  return undefined;
}

export const x86_64Abi: Abi = Object.freeze({
  argRegs: ARG_REGS,
  returnReg: 0,
  stackPointer: RSP,
  linkRegister: undefined,
  calleeSaved: CALLEE_SAVED,
  prepareCall,
});
