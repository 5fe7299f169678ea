// The outcomes x86-64 instructions return, allocated once, and the shape of a compiled instruction.

import type { AccessFault, DataBus, ExecOutcome } from '../arch.js';
import type { CpuState } from '../cpu.js';

/**
 * One decoded instruction made ready to run: `r` is the 32-bit view of `cpu.regs` (operands.ts).
 * It moves the pc itself: past the instruction, to a branch target, or not at all (fault, #UD).
 */
export type Step = (cpu: CpuState, r: Uint32Array, bus: DataBus) => ExecOutcome;

export const NEXT: ExecOutcome = Object.freeze({ kind: 'next' });

/** Trap codes are the exception vectors: #BP is 3, #UD is 6. `hlt` is no exception: 0. */
export const BREAKPOINT: ExecOutcome = Object.freeze({ kind: 'trap', trap: 'breakpoint', code: 3 });
export const UNDEFINED: ExecOutcome = Object.freeze({ kind: 'trap', trap: 'undefined', code: 6 });
export const HALT: ExecOutcome = Object.freeze({ kind: 'trap', trap: 'halt', code: 0 });
/** What the model does not run (swapgs, a control register, iret to another ring): #GP's vector, 13. */
export const UNSUPPORTED: ExecOutcome = Object.freeze({ kind: 'trap', trap: 'unsupported', code: 13 });

export const SERIALIZE: ExecOutcome = Object.freeze({ kind: 'sync', what: 'serialize' });

export const barrier = (what: string): ExecOutcome => Object.freeze({ kind: 'barrier', what });

/** A data access failed: the instruction has no effect and the pc stays on it (faults are restartable). */
export const faulted = (fault: AccessFault): ExecOutcome => ({ kind: 'fault', fault });

/** #UD whatever the state: the pc stays on the instruction. */
export const undefinedStep: Step = () => UNDEFINED;
