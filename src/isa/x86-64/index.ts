// The x86-64 Isa: GNU as AT&T syntax, objdump -d spelling, little-endian, variable length.

import type { Isa } from '../types.js';
import { decode } from './decode.js';
import { codeFill, encode } from './encode.js';
import { print, undecodable } from './print.js';
import { applyRelocation, dataRelocation } from './relocs.js';
import { parseInstruction } from './syntax.js';
import type { X86Op } from './table-forms.js';
import type { X86Insn as X86InsnOf } from './table.js';

/** A decoded x86-64 instruction: `op` names its entry in table-forms.ts. */
export type X86Insn = X86InsnOf<X86Op>;
export type { X86Op } from './table-forms.js';
export type { X86Mem, X86Operand, X86Reg, X86Segment } from './table.js';

export const x86_64Isa: Isa<X86Insn> = Object.freeze({
  arch: 'x86-64',
  endian: 'little',
  addressBits: 64,
  insnAlign: 1,
  maxInsnLength: 15,
  syntax: Object.freeze({
    lineComments: ['#'],
    lineStartComments: [],
    alignIsPowerOfTwo: false,
    wordSize: 2,
    dollarIsDot: false,
    postfixRelocOps: ['plt', 'gotpcrel'],
    prefixRelocOps: [],
    pseudoPrefixes: { disp8: '.d8', disp32: '.d32' },
  }),
  resolvesGlobalPcrel: true,
  decode,
  length: (insn: X86Insn) => insn.length,
  encode,
  print,
  undecodable,
  parseInstruction,
  codeFill,
  dataRelocation,
  applyRelocation,
});
