// The outcomes executing a riscv64 instruction returns most often, allocated once.

import type { AccessFault, ExecOutcome } from '../arch.js';

export const NEXT: ExecOutcome = Object.freeze({ kind: 'next' });

/** An illegal instruction (a reserved encoding, `unimp`): the pc stays on it, as sepc would. */
export const ILLEGAL: ExecOutcome = Object.freeze({ kind: 'trap', trap: 'undefined', code: 2 });

/** What patchlab decodes but does not run (a CSR other than sstatus, sret, wfi …): the pc stays on it. */
export const UNSUPPORTED: ExecOutcome = Object.freeze({ kind: 'trap', trap: 'unsupported', code: 0 });

/** FENCE.I: this CPU's instruction fetch becomes certain of every store before it (MODEL.md section 3). */
export const FENCE_I: ExecOutcome = Object.freeze({ kind: 'sync', what: 'context-sync' });

export function faultOutcome(fault: AccessFault): ExecOutcome {
  return { kind: 'fault', fault };
}
