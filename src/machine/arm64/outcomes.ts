// The outcomes executing an arm64 instruction returns most often, allocated once.

import type { AccessFault, ExecOutcome } from '../arch.js';
import type { CpuState } from '../cpu.js';

export const NEXT: ExecOutcome = Object.freeze({ kind: 'next' });

/**
 * An unallocated encoding, `udf`, or an encoding the Arm ARM makes CONSTRAINED UNPREDICTABLE where
 * UNDEFINED is one of the permitted behaviours (a load that writes back into its own destination):
 * patchlab always picks UNDEFINED there, so such code shows up as a fault rather than running on.
 * The pc stays on the instruction (the preferred return address of an Undefined Instruction exception).
 */
export const UNDEFINED: ExecOutcome = Object.freeze({ kind: 'trap', trap: 'undefined', code: 0 });

export function faultOutcome(fault: AccessFault): ExecOutcome {
  return { kind: 'fault', fault };
}

/** The pc moves to the next instruction (wrapping at 2^64 as the architecture's pc does). */
export function next(cpu: CpuState): ExecOutcome {
  cpu.pc = BigInt.asUintN(64, cpu.pc + 4n);
  return NEXT;
}
