// The riscv64 Isa: GNU as syntax, encodings and objdump's text, all derived from table.ts.

import type { AsmSyntax, Isa } from '../types.js';
import { decode } from './decode.js';
import { codeLength, encodeCode, type RiscvCode } from './encode.js';
import { print, undecodable } from './print.js';
import { applyRelocation, dataRelocation } from './relocs.js';
import { parseInstruction } from './syntax.js';
import type { RiscvInsn } from './table.js';

export type { RiscvInsn, Op as RiscvOp } from './table.js';
export type { RiscvCode } from './encode.js';
export { decodeWord, parcelLength } from './decode.js';
export { encodeWord } from './encode.js';
export { BASE_OP } from './table-layout.js';

export const riscv64Syntax: AsmSyntax = Object.freeze({
  lineComments: ['#'],
  lineStartComments: [],
  alignIsPowerOfTwo: true,
  wordSize: 4,
  dollarIsDot: false,
  postfixRelocOps: [],
  prefixRelocOps: [],
});

/** GNU as pads code with zero bytes to a parcel, a `c.nop` to a word, then `nop` words (GNU with the C extension). */
function codeFill(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = length % 2;
  if ((length - at) % 4 === 2) {
    out.set([0x01, 0x00], at);
    at += 2;
  }
  for (; at < length; at += 4) out.set([0x13, 0x00, 0x00, 0x00], at);
  return out;
}

export const riscv64Isa: Isa<RiscvCode> = Object.freeze<Isa<RiscvCode>>({
  arch: 'riscv64',
  endian: 'little',
  addressBits: 64,
  insnAlign: 2,
  maxInsnLength: 4,
  syntax: riscv64Syntax,
  resolvesGlobalPcrel: true,
  decode: (bytes: Uint8Array, offset: number): RiscvInsn | undefined => decode(bytes, offset),
  length: codeLength,
  encode: encodeCode,
  print: (insn, address) => print(insn as RiscvInsn, address),
  undecodable,
  parseInstruction,
  codeFill,
  dataRelocation,
  applyRelocation,
});
