// Bytes to instruction: a lookup on bits 31..21 gives the few forms to try, most specific first.

import { readU32 } from '../../base/bits.js';
import { FORMS, type Arm64Insn, type Form } from './table-layout.js';

const KEY_SHIFT = 21;

/** One field's extraction: its slices as [lowest bit in the word, mask, lowest bit in the value]; `shift` sign-extends. */
interface Extractor {
  readonly name: string;
  readonly slices: readonly (readonly [number, number, number])[];
  readonly shift: number;
}

/** A form with its field extraction planned once, so that decoding is shifts and masks. */
interface Plan {
  readonly op: string;
  readonly mask: number;
  readonly value: number;
  readonly extractors: readonly Extractor[];
  readonly isInvalid: Form['isInvalid'] | undefined;
}

function plan(form: Form): Plan {
  return {
    op: form.op,
    mask: form.mask,
    value: form.value,
    extractors: form.fields.map((info) => ({
      name: info.name,
      slices: form.slices.filter((s) => s.name === info.name).map((s) => [s.lo, 2 ** s.width - 1, s.valueLo] as const),
      shift: info.signed ? 32 - info.width : 0,
    })),
    isInvalid: form.spec.invalid ? form.isInvalid : undefined,
  };
}

/** BUCKETS[word >>> 21]: forms whose fixed bits in 31..21 agree with the key, most specific first. */
const BUCKETS: readonly (readonly Plan[])[] = (() => {
  const plans = [...FORMS].sort((a, b) => b.specificity - a.specificity).map((f) => ({ form: f, plan: plan(f) }));
  const highMask = (~0 << KEY_SHIFT) >>> 0;
  const buckets: Plan[][] = [];
  for (let key = 0; key < 1 << (32 - KEY_SHIFT); key++) {
    const top = (key << KEY_SHIFT) >>> 0;
    buckets.push(plans.filter((p) => ((top ^ p.form.value) & p.form.mask & highMask) === 0).map((p) => p.plan));
  }
  return buckets;
})();

/** The instruction whose word is `word`, or undefined when no entry (or only a reserved encoding) matches. */
export function decodeWord(word: number): Arm64Insn | undefined {
  for (const p of BUCKETS[word >>> KEY_SHIFT]) {
    if (((word & p.mask) >>> 0) !== p.value) continue;
    const insn: Record<string, string | number> = { op: p.op };
    for (const e of p.extractors) {
      let raw = 0;
      for (const s of e.slices) raw |= ((word >>> s[0]) & s[1]) << s[2];
      insn[e.name] = e.shift === 0 ? raw : (raw << e.shift) >> e.shift;
    }
    if (p.isInvalid?.(insn as Readonly<Record<string, number>>)) continue;
    return insn as unknown as Arm64Insn;
  }
  return undefined;
}

export function decode(bytes: Uint8Array, offset: number): Arm64Insn | undefined {
  if (offset < 0 || offset + 4 > bytes.length) return undefined;
  return decodeWord(readU32(bytes, offset, 'little'));
}
