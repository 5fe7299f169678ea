// The ppc32 (big-endian, -a32) and ppc64 (little-endian ELFv2, -a64) instruction sets: one table, two modes.

import { readU32, u32Bytes, type Endian } from '../../base/bits.js';
import type { AsmSyntax, Isa } from '../types.js';
import { decoderFor } from './decode.js';
import { encodeWord } from './encode.js';
import { printInsn, undecodableText } from './print.js';
import { applyRelocation, dataRelocation } from './relocs.js';
import { parseInstruction } from './syntax.js';
import type { PpcInsn } from './table.js';

export type { PpcInsn, PpcOp } from './table.js';

/** `nop`, and the group-ending `ori 2,2,0` GNU as puts last in ppc64 padding (POWER6 and later). */
const NOP = 0x60000000;
const GROUP_ENDING_NOP = 0x60420000;

/**
 * GNU as pads code with nops only when the gap is a whole number of words; a gap that starts
 * mid-word (after `.byte`) is zeros. In ppc64 mode the last nop is `ori 2,2,0`.
 */
function codeFill(length: number, mode: 32 | 64, endian: Endian): Uint8Array {
  const out = new Uint8Array(length);
  if (length % 4 !== 0) return out;
  // GNU as jumps over padding longer than four words rather than run through it: `b .+length` first.
  const jumpOver = length > 16;
  for (let at = 0; at < length; at += 4) {
    const word = jumpOver && at === 0 ? (0x48000000 | length) >>> 0 : mode === 64 && at === length - 4 ? GROUP_ENDING_NOP : NOP;
    out.set(u32Bytes(word, endian), at);
  }
  return out;
}

function syntax(mode: 32 | 64): AsmSyntax {
  const common = ['l', 'h', 'ha'];
  const only64 = ['high', 'higha', 'higher', 'highera', 'highest', 'highesta', 'toc', 'toc@l', 'toc@h', 'toc@ha'];
  return Object.freeze({
    lineComments: ['#'],
    lineStartComments: [],
    alignIsPowerOfTwo: true,
    wordSize: 2,
    dollarIsDot: true,
    postfixRelocOps: Object.freeze(mode === 64 ? [...common, ...only64] : [...common, 'plt']),
    prefixRelocOps: [],
  });
}

function ppcIsa(mode: 32 | 64): Isa<PpcInsn> {
  const endian: Endian = mode === 32 ? 'big' : 'little';
  return Object.freeze({
    arch: mode === 32 ? 'ppc32' : 'ppc64',
    endian,
    addressBits: mode,
    insnAlign: 4,
    maxInsnLength: 4,
    syntax: syntax(mode),
    resolvesGlobalPcrel: false,
    decode: decoderFor(endian),
    length: () => 4,
    encode: (insn) => u32Bytes(encodeWord(insn), endian),
    print: (insn, address) => printInsn(insn, address, mode),
    undecodable: (bytes, offset) => undecodableText(bytes, offset, offset + 4 <= bytes.length ? readU32(bytes, offset, endian) : undefined),
    parseInstruction: (stmt, ctx) => parseInstruction(stmt, ctx, mode),
    codeFill: (length) => codeFill(length, mode, endian),
    dataRelocation: (size, pcrel) => dataRelocation(size, pcrel, mode),
    applyRelocation: (type, image, offset, S, A, P, tocBase) => applyRelocation(type, image, offset, S, A, P, tocBase, mode, endian),
  } satisfies Isa<PpcInsn>);
}

/** 32-bit PowerPC, big-endian: GNU as `-a32 -mbig`, objdump's default ppc32 dialect. */
export const ppc32Isa: Isa<PpcInsn> = ppcIsa(32);
/** 64-bit Power, little-endian ELFv2: GNU as `-a64 -mlittle`, objdump's default ppc64le dialect. */
export const ppc64Isa: Isa<PpcInsn> = ppcIsa(64);
