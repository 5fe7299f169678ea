// A decoded ppc instruction narrowed to some of its table entries, as the execute-* files take them.

import type { PpcInsn, PpcOp } from '../../isa/ppc/table.js';

export type Insn<K extends PpcOp> = Extract<PpcInsn, { readonly op: K }>;
