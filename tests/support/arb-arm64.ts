// Random arm64 instructions, one arbitrary per table entry over its fields' whole ranges (derived from the table).

import fc from 'fast-check';
import { encodeWord } from '../../src/isa/arm64/encode.js';
import { FORMS, type Arm64Insn, type Form } from '../../src/isa/arm64/table-layout.js';
import { SYSREG_NAMES, sysregField } from '../../src/isa/arm64/table-names.js';

/**
 * mrs/msr: the system registers patchlab names, and some objdump leaves unnamed too (checked against it in the
 * golden vectors). Over the whole field objdump would name hundreds patchlab prints as `s3_…`.
 */
const SYSREGS = [...SYSREG_NAMES.keys(), ...[[3, 3, 15, 15, 7], [2, 0, 0, 0, 0], [3, 7, 11, 9, 3], [2, 7, 15, 0, 0], [3, 4, 15, 2, 6]]
  .map(([op0, op1, crn, crm, op2]) => sysregField(op0, op1, crn, crm, op2))];

/** Forms that claim some of `form`'s words: more fixed bits, compatible with its fixed bits. */
function moreSpecific(form: Form): readonly Form[] {
  return FORMS.filter((g) => g !== form && g.specificity > form.specificity && ((g.value ^ form.value) & g.mask & form.mask) === 0);
}

function fieldArb(width: number, signed: boolean): fc.Arbitrary<number> {
  // Bias to the edges, where encoders break: 0, ±1, the extremes.
  const lo = signed ? -(2 ** (width - 1)) : 0;
  const hi = signed ? 2 ** (width - 1) - 1 : 2 ** width - 1;
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: lo, max: hi }) },
    { weight: 1, arbitrary: fc.constantFrom(...new Set([lo, hi, 0, Math.min(1, hi), Math.max(-1, lo)])) },
  );
}

/** Every valid instruction of one entry: each field over its range, minus reserved and more specific encodings. */
export function arbForm(form: Form): fc.Arbitrary<Arm64Insn> {
  const claimers = moreSpecific(form);
  const record: Record<string, fc.Arbitrary<number>> = {};
  for (const f of form.fields) record[f.name] = f.name === 'sysreg' ? fc.constantFrom(...SYSREGS) : fieldArb(f.width, f.signed);
  return fc.record(record)
    .filter((fields) => !form.isInvalid(fields))
    .map((fields) => ({ op: form.op, ...fields }) as unknown as Arm64Insn)
    .filter((insn) => {
      const word = encodeWord(insn);
      return !claimers.some((g) => ((word & g.mask) >>> 0) === g.value);
    });
}

export const ARB_BY_OP: ReadonlyMap<string, fc.Arbitrary<Arm64Insn>> = new Map(FORMS.map((f) => [f.op, arbForm(f)]));

/** Any instruction of any entry, each entry equally likely. */
export const arbArm64Insn: fc.Arbitrary<Arm64Insn> = fc.oneof(...FORMS.map((f) => arbForm(f)));
