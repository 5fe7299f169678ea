// The arm64 Isa: GNU as syntax, encodings and objdump's text, all derived from table.ts.

import type { AsmSyntax, Isa } from '../types.js';
import { decode } from './decode.js';
import { encode } from './encode.js';
import { print, undecodable } from './print.js';
import { applyRelocation, dataRelocation } from './relocs.js';
import { parseInstruction } from './syntax.js';
import type { Arm64Insn } from './table-layout.js';
import { TABLE, type FormSpec, type Op } from './table.js';

export type { Arm64Insn } from './table-layout.js';
export type { FormSpec as Arm64FormSpec, Op as Arm64Op } from './table.js';
export { decodeWord } from './decode.js';
export { encodeWord } from './encode.js';

/** The table, each entry seen through the FormSpec legend (so that optional columns such as `cmodx` can be read). */
export const ARM64_TABLE: Readonly<Record<Op, FormSpec>> = TABLE;

/** In Arm's concurrent-modification-and-execution list (B, BL, NOP, BRK, SVC, HVC, SMC, ISB)? */
export function isCmodx(insn: Arm64Insn): boolean {
  return ARM64_TABLE[insn.op].cmodx === true;
}

const NOP = Uint8Array.of(0x1f, 0x20, 0x03, 0xd5);

export const arm64Syntax: AsmSyntax = Object.freeze({
  lineComments: ['//'],
  lineStartComments: ['#'],
  alignIsPowerOfTwo: true,
  wordSize: 4,
  dollarIsDot: false,
  postfixRelocOps: [],
  prefixRelocOps: ['lo12', 'pg_hi21'],
  instDirective: true,
});

/** GNU as pads code with zero bytes up to a word boundary, then `nop` words. */
function codeFill(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let at = length % 4; at < length; at += 4) out.set(NOP, at);
  return out;
}

export const arm64Isa: Isa<Arm64Insn> = Object.freeze<Isa<Arm64Insn>>({
  arch: 'arm64',
  endian: 'little',
  addressBits: 64,
  insnAlign: 4,
  maxInsnLength: 4,
  syntax: arm64Syntax,
  resolvesGlobalPcrel: false,
  decode,
  length: () => 4,
  encode,
  print,
  undecodable,
  parseInstruction,
  codeFill,
  dataRelocation,
  applyRelocation,
});
