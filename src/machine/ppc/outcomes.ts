// The outcomes executing a ppc instruction returns most often, allocated once.

import type { ExecOutcome } from '../arch.js';

export const NEXT: ExecOutcome = Object.freeze({ kind: 'next' });

/**
 * An illegal or invalid instruction form, or one patchlab does not model (an SPR outside LR, CTR,
 * XER): the program interrupt of an illegal instruction. The pc stays on the instruction, as SRR0 would.
 */
export const UNDEFINED: ExecOutcome = Object.freeze({ kind: 'trap', trap: 'undefined', code: 0 });
