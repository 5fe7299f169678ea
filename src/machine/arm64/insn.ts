// A decoded arm64 instruction narrowed to some of its table entries, as the execute-* files take them.

import type { Arm64Insn, Arm64Op } from '../../isa/arm64/index.js';

export type Insn<K extends Arm64Op> = Extract<Arm64Insn, { readonly op: K }>;
