// Instruction to bytes: each field's slices put into the entry's fixed bits (table-layout.ts).

import { assert } from '../../base/assert.js';
import { u32Bytes } from '../../base/bits.js';
import { FORM_BY_OP, type Arm64Insn, type Fields } from './table-layout.js';

/** The 32-bit instruction word. A field out of its range is a bug of ours (parsers check ranges first). */
export function encodeWord(insn: Arm64Insn): number {
  const form = FORM_BY_OP[insn.op];
  const f = insn as unknown as Fields;
  for (const info of form.fields) {
    const v = f[info.name];
    const fits = info.signed
      ? v >= -(2 ** (info.width - 1)) && v < 2 ** (info.width - 1)
      : v >= 0 && v < 2 ** info.width;
    assert(Number.isInteger(v) && fits, `${insn.op}.${info.name} = ${v} does not fit ${info.width} bits`);
  }
  let word = form.value;
  for (const s of form.slices) {
    const bits = (f[s.name] >>> s.valueLo) & (2 ** s.width - 1);
    word |= bits << s.lo;
  }
  return word >>> 0;
}

export function encode(insn: Arm64Insn): Uint8Array {
  return u32Bytes(encodeWord(insn), 'little');
}
