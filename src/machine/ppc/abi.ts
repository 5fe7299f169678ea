// The calling conventions: ppc32 SysV (Power Architecture 32-bit ABI supplement) and ppc64 ELFv2.
//
// Both pass arguments in r3…r10 and return in r3, with r1 the stack pointer and the return address in
// LR. At a call r1 points at the caller's frame, whose first words the callee may write: the back chain
// at 0(r1), and the LR save word (ppc32 4(r1); ELFv2 16(r1), with the CR save word at 8 and the TOC
// save doubleword at 24). prepareCall builds that minimal caller frame, 16-byte aligned.

import type { Abi, AccessFault, DataBus } from '../arch.js';
import type { CpuState } from '../cpu.js';
import { LR } from './registers.js';

const ARG_REGS = Object.freeze([3, 4, 5, 6, 7, 8, 9, 10]);

/**
 * Non-volatile registers: r1, r14…r31 in both ABIs, and r13 (ppc32 small-data anchor, ppc64 thread
 * pointer; the kernel's `current` / paca). r2 is the ppc64 TOC pointer, and on ppc32 reserved to the
 * system (the kernel keeps `current` there): no callee may leave it changed. CR fields 2–4 are
 * non-volatile too, but CR is one register here and its other fields are not, so it is not listed.
 */
const CALLEE_SAVED = Object.freeze([1, 2, 13, ...Array.from({ length: 18 }, (_, i) => 14 + i)]);

interface FrameLayout {
  readonly bits: 32 | 64;
  /** The fixed part of the caller's frame the callee may write (back chain, LR save…). */
  readonly header: bigint;
  /** Where stack-passed argument i (counted from 0 over all arguments) lives, from r1. */
  readonly argSlot: (i: number) => bigint;
  /** Whether the frame needs a slot for the register arguments too (ELFv2 parameter save area). */
  readonly slotsForAll: boolean;
}

/** ppc32 SysV: back chain, LR save word, then the parameter list area at 8(r1) for arguments past r10. */
const SYSV32: FrameLayout = { bits: 32, header: 8n, argSlot: (i) => 8n + 4n * BigInt(i - ARG_REGS.length), slotsForAll: false };

/**
 * ELFv2: back chain, CR save, LR save, TOC save (32 bytes), then the parameter save area at 32(r1) —
 * needed only when some argument goes on the stack, and then it has a doubleword for every argument.
 */
const ELFV2: FrameLayout = { bits: 64, header: 32n, argSlot: (i) => 32n + 8n * BigInt(i), slotsForAll: true };

function frameSize(f: FrameLayout, args: number): bigint {
  const onStack = Math.max(0, args - ARG_REGS.length);
  const slots = onStack === 0 ? 0 : f.slotsForAll ? args : onStack;
  const size = f.header + BigInt(slots * (f.bits / 8));
  return (size + 15n) & ~15n;
}

function prepare(
  f: FrameLayout, cpu: CpuState, entry: bigint, args: readonly bigint[], returnAddress: bigint, stackTop: bigint, bus: DataBus,
): AccessFault | undefined {
  const bytes = (f.bits / 8) as 4 | 8;
  const wrap = (v: bigint) => BigInt.asUintN(f.bits, v);
  const sp = wrap((stackTop & ~15n) - frameSize(f, args.length));
  const backChain = bus.store(sp, bytes, 0n);
  if (backChain) return backChain;
  for (let i = ARG_REGS.length; i < args.length; i++) {
    const fault = bus.store(wrap(sp + f.argSlot(i)), bytes, wrap(args[i]));
    if (fault) return fault;
  }
  args.slice(0, ARG_REGS.length).forEach((a, i) => (cpu.regs[ARG_REGS[i]] = wrap(a)));
  cpu.regs[1] = sp;
  cpu.regs[LR] = wrap(returnAddress);
  // ELFv2 global entry point: r12 holds the entry address, from which the callee computes its TOC.
  if (f.bits === 64) cpu.regs[12] = entry;
  cpu.pc = wrap(entry);
  return undefined;
}

function abi(f: FrameLayout): Abi {
  return Object.freeze({
    argRegs: ARG_REGS,
    returnReg: 3,
    stackPointer: 1,
    linkRegister: LR,
    calleeSaved: CALLEE_SAVED,
    prepareCall: (cpu: CpuState, entry: bigint, args: readonly bigint[], returnAddress: bigint, stackTop: bigint, bus: DataBus) =>
      prepare(f, cpu, entry, args, returnAddress, stackTop, bus),
  });
}

export const ppc32Abi: Abi = abi(SYSV32);
export const ppc64Abi: Abi = abi(ELFV2);
