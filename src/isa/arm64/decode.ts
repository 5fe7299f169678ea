// Bytes to instruction: a lookup on bits 31..21 gives the few forms to try, most specific first.

import { readU32 } from '../../base/bits.js';
import { FORMS, fieldValue, type Arm64Insn, type FieldInfo, type FieldSlice, type Form } from './table-layout.js';

const KEY_SHIFT = 21;

/** A form with its field extraction planned: per field, the slices that make it up. */
interface Plan {
  readonly form: Form;
  readonly fields: readonly { readonly info: FieldInfo; readonly slices: readonly FieldSlice[] }[];
}

function plan(form: Form): Plan {
  return {
    form,
    fields: form.fields.map((info) => ({ info, slices: form.slices.filter((s) => s.name === info.name) })),
  };
}

/** BUCKETS[word >>> 21]: forms whose fixed bits in 31..21 agree with the key, most specific first. */
const BUCKETS: readonly (readonly Plan[])[] = (() => {
  const plans = [...FORMS].sort((a, b) => b.specificity - a.specificity).map(plan);
  const buckets: Plan[][] = [];
  for (let key = 0; key < 1 << (32 - KEY_SHIFT); key++) {
    const top = (key << KEY_SHIFT) >>> 0;
    const highMask = (~0 << KEY_SHIFT) >>> 0;
    buckets.push(plans.filter((p) => ((top ^ p.form.value) & p.form.mask & highMask) === 0));
  }
  return buckets;
})();

/** The instruction whose word is `word`, or undefined when no entry (or only a reserved encoding) matches. */
export function decodeWord(word: number): Arm64Insn | undefined {
  for (const p of BUCKETS[word >>> KEY_SHIFT]) {
    if (((word & p.form.mask) >>> 0) !== p.form.value) continue;
    const insn: Record<string, string | number> = { op: p.form.op };
    for (const { info, slices } of p.fields) {
      let raw = 0;
      for (const s of slices) raw |= ((word >>> s.lo) & (2 ** s.width - 1)) << s.valueLo;
      insn[info.name] = fieldValue(info, raw);
    }
    if (p.form.isInvalid(insn as Readonly<Record<string, number>>)) continue;
    return insn as unknown as Arm64Insn;
  }
  return undefined;
}

export function decode(bytes: Uint8Array, offset: number): Arm64Insn | undefined {
  if (offset < 0 || offset + 4 > bytes.length) return undefined;
  return decodeWord(readU32(bytes, offset, 'little'));
}
