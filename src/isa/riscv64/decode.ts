// Bytes to instruction: a 16-bit parcel through a table of every parcel, a 32-bit word through buckets by opcode and funct3.

import { readU32 } from '../../base/bits.js';
import { FIELD_NAMES, type FieldName, type RiscvInsn } from './table.js';
import { FORMS, makeInsn, type Form } from './table-layout.js';

/** The low two bits of a parcel: 11 starts a 32-bit instruction, anything else is a compressed one. */
export function parcelLength(lowParcel: number): 2 | 4 {
  return (lowParcel & 3) === 3 ? 4 : 2;
}

function extract(form: Form, word: number): RiscvInsn | undefined {
  const fields: Partial<Record<FieldName, number>> = {};
  for (const s of form.slices) {
    const v = (word >>> s.lo) & (2 ** s.width - 1);
    fields[s.field] = (fields[s.field] ?? 0) + (s.compressedRegister ? v + 8 : v * 2 ** s.valueLo);
  }
  if (form.signed) {
    const top = 2 ** (form.immBits - 1);
    const v = fields.imm!;
    if (v >= top) fields.imm = v - 2 * top;
  }
  for (const f of FIELD_NAMES) {
    const same = form.spec.same?.[f];
    if (same !== undefined) fields[f] = fields[same];
    const fixed = form.spec.fixed?.[f];
    if (fixed !== undefined) fields[f] = fixed;
  }
  const insn = Object.freeze(makeInsn(form.op, fields));
  return form.isInvalid(insn) ? undefined : insn;
}

const bySpecificity = (forms: readonly Form[]) => [...forms].sort((a, b) => b.specificity - a.specificity);

/** Every 16-bit parcel decoded once, on first use: 64 K frozen instructions shared by every decode. */
let parcels: (RiscvInsn | undefined)[] | undefined;

function compressedTable(): (RiscvInsn | undefined)[] {
  const forms = bySpecificity(FORMS.filter((f) => f.length === 2));
  const out: (RiscvInsn | undefined)[] = new Array(65536);
  for (let v = 0; v < 65536; v++) {
    if ((v & 3) === 3) continue;
    for (const f of forms) {
      if (((v & f.mask) >>> 0) !== f.value) continue;
      const insn = extract(f, v);
      if (insn) {
        out[v] = insn;
        break;
      }
    }
  }
  return out;
}

/** BUCKETS[opcode | funct3 << 7]: the 32-bit forms whose fixed bits agree there, most specific first. */
const BUCKETS: readonly (readonly Form[])[] = (() => {
  const forms = bySpecificity(FORMS.filter((f) => f.length === 4));
  const keyBits = 0x707f;
  const out: Form[][] = [];
  for (let key = 0; key < 1024; key++) {
    const bits = (key & 0x7f) | ((key >> 7) << 12);
    out.push(forms.filter((f) => ((bits ^ f.value) & f.mask & keyBits) === 0));
  }
  return out;
})();

/** The instruction whose bits are `word` (a parcel's 16 bits when compressed), or undefined when no entry takes it. */
export function decodeWord(word: number): RiscvInsn | undefined {
  if (parcelLength(word) === 2) return (parcels ??= compressedTable())[word & 0xffff];
  for (const f of BUCKETS[(word & 0x7f) | (((word >>> 12) & 7) << 7)]) {
    if (((word & f.mask) >>> 0) !== f.value) continue;
    const insn = extract(f, word >>> 0);
    if (insn) return insn;
  }
  return undefined;
}

export function decode(bytes: Uint8Array, offset: number): RiscvInsn | undefined {
  if (offset < 0 || offset + 2 > bytes.length) return undefined;
  const low = bytes[offset] | (bytes[offset + 1] << 8);
  if (parcelLength(low) === 2) return decodeWord(low);
  if (offset + 4 > bytes.length) return undefined;
  return decodeWord(readU32(bytes, offset, 'little'));
}
