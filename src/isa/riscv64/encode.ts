// Instruction to bytes: each field's slices put into the entry's fixed bits (table-layout.ts).

import { assert } from '../../base/assert.js';
import { u32Bytes } from '../../base/bits.js';
import { FORM_BY_OP, type Form } from './table-layout.js';
import { FIELD_NAMES, type RiscvInsn } from './table.js';

/** Can `insn` be encoded by `form` as it is: fields in range, the implied ones as the entry implies them? */
export function encodable(form: Form, insn: RiscvInsn): boolean {
  for (const field of FIELD_NAMES) {
    if (form.slices.some((s) => s.field === field)) continue;
    const same = form.spec.same?.[field];
    if (insn[field] !== (same !== undefined ? insn[same] : form.spec.fixed?.[field] ?? 0)) return false;
  }
  for (const s of form.slices) {
    if (s.field === 'imm') continue;
    const v = s.compressedRegister ? insn[s.field] - 8 : insn[s.field];
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** s.width) return false;
  }
  if (form.immBits > 0) {
    // The lowest slice says which low bits are implied zero (branch offsets, scaled load offsets).
    const lowest = Math.min(...form.slices.filter((s) => s.field === 'imm').map((s) => s.valueLo));
    const v = insn.imm;
    const fits = form.signed ? v >= -(2 ** (form.immBits - 1)) && v < 2 ** (form.immBits - 1) : v >= 0 && v < 2 ** form.immBits;
    if (!Number.isInteger(v) || !fits || v % 2 ** lowest !== 0) return false;
  }
  return !form.isInvalid(insn);
}

/** The instruction's bits (16 or 32 of them). A field out of range is a bug of ours: parsers check first. */
export function encodeWord(insn: RiscvInsn): number {
  const form = FORM_BY_OP[insn.op];
  assert(encodable(form, insn), `${insn.op} cannot encode ${JSON.stringify(insn)}`);
  let word = form.value;
  for (const s of form.slices) {
    const v = s.compressedRegister ? insn[s.field] - 8 : insn[s.field];
    // Bits of a negative immediate: two's complement, as far up as the slice reaches.
    const bits = Math.floor(v / 2 ** s.valueLo) & (2 ** s.width - 1);
    word |= bits << s.lo;
  }
  return word >>> 0;
}

export function encode(insn: RiscvInsn): Uint8Array {
  const word = encodeWord(insn);
  return FORM_BY_OP[insn.op].length === 2 ? Uint8Array.of(word & 0xff, word >>> 8) : u32Bytes(word, 'little');
}

/**
 * What the assembler emits for one statement: one instruction, or the several of a macro (`li`,
 * `call`) or of a relaxed branch (`bnez a0,1f; j target`). Decoding only ever gives single instructions.
 */
export interface RiscvSequence {
  readonly op: 'sequence';
  readonly parts: readonly RiscvInsn[];
}

export type RiscvCode = RiscvInsn | RiscvSequence;

export function codeLength(code: RiscvCode): number {
  return code.op === 'sequence' ? code.parts.reduce((n, i) => n + FORM_BY_OP[i.op].length, 0) : FORM_BY_OP[code.op].length;
}

export function encodeCode(code: RiscvCode): Uint8Array {
  if (code.op !== 'sequence') return encode(code);
  const out = new Uint8Array(codeLength(code));
  let at = 0;
  for (const part of code.parts) {
    const bytes = encode(part);
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}
