// Instruction words from decoded instructions, and the per-entry bit layout decode and syntax share.

import { assert } from '../../base/assert.js';
import { setField, signExtend } from '../../base/bits.js';
import { SPR_MNEMONICS_FOR_ASM, SPR_NAMES } from './table-spr.js';
import {
  FIELDS, PPC_TABLE, trapAliases,
  type AliasSpec, type Condition, type EntrySpec, type FieldName, type FieldSpec, type PpcInsn, type PpcOp,
} from './table.js';

/** Where an entry's operand fields lie, and the bits that identify it: (word & mask) === match. */
export interface EntryLayout {
  readonly op: PpcOp;
  readonly spec: EntrySpec;
  readonly match: number;
  readonly mask: number;
  /** Operand fields, in operand order (a memory operand gives two). */
  readonly fields: readonly FieldName[];
}

function sliceMask(f: FieldSpec): number {
  const slice = f.width === 32 ? 0xffffffff : (((1 << f.width) - 1) << f.lo) >>> 0;
  return f.high === undefined ? slice : (slice | (1 << f.high)) >>> 0;
}

/** How many bits the field's value has: its slice, and the separate top bit of an MD-form field. */
export const valueBits = (f: FieldSpec): number => f.width + (f.high === undefined ? 0 : 1);

/** The bits of the word that hold `value` in field `f`. */
export function fieldBits(f: FieldSpec, value: number): number {
  let raw = value >> (f.shift ?? 0);
  if (f.swapHalves) raw = ((raw & 0x1f) << 5) | ((raw >> 5) & 0x1f);
  const low = setField(0, f.lo, f.width, raw & ((1 << f.width) - 1));
  return f.high === undefined ? low : (low | (((raw >> f.width) & 1) << f.high)) >>> 0;
}

/** The value field `f` holds in `word`. */
export function fieldValue(f: FieldSpec, word: number): number {
  let raw = (word >>> f.lo) & ((1 << f.width) - 1);
  if (f.swapHalves) raw = ((raw & 0x1f) << 5) | ((raw >> 5) & 0x1f);
  if (f.high !== undefined) raw |= ((word >>> f.high) & 1) << f.width;
  if (f.signed) raw = signExtend(raw, f.width);
  return raw * (1 << (f.shift ?? 0));
}

/** The values field `f` can hold, smallest and largest, and their step. */
export function fieldRange(f: FieldSpec): { min: number; max: number; step: number } {
  const step = 1 << (f.shift ?? 0);
  if (!f.signed) return { min: 0, max: ((1 << valueBits(f)) - 1) * step, step };
  return { min: -(1 << (f.width - 1)) * step, max: ((1 << (f.width - 1)) - 1) * step, step };
}

function layout(op: PpcOp, spec: EntrySpec): EntryLayout {
  const fields = spec.operands.flatMap((o) => o.slice(1) as FieldName[]);
  let operandBits = 0;
  for (const name of fields) {
    const m = sliceMask(FIELDS[name]);
    assert((operandBits & m) === 0, `ppc ${op}: operand fields overlap at ${name}`);
    operandBits |= m;
  }
  let match = 0;
  for (const [name, value] of Object.entries(spec.fixed) as [FieldName, number][]) {
    assert((sliceMask(FIELDS[name]) & operandBits) === 0, `ppc ${op}: fixed ${name} overlaps an operand`);
    match |= fieldBits(FIELDS[name], value);
  }
  let ignored = 0;
  for (const [lo, width] of spec.ignored ?? []) ignored |= sliceMask({ lo, width });
  assert((ignored & (operandBits | match)) === 0, `ppc ${op}: ignored bits overlap`);
  return Object.freeze({ op, spec, match: match >>> 0, mask: ~(operandBits | ignored) >>> 0, fields: Object.freeze(fields) });
}

export const LAYOUTS: Readonly<Record<PpcOp, EntryLayout>> = Object.freeze(
  Object.fromEntries(Object.entries(PPC_TABLE).map(([op, spec]) => [op, layout(op as PpcOp, spec)])) as Record<PpcOp, EntryLayout>,
);

/** SPR aliases (`mtctr`, `mfsprg r3,0`) from table-spr.ts. */
function sprAliases(op: 'mtspr' | 'mfspr'): AliasSpec[] {
  const dir = op === 'mtspr' ? 'mt' : 'mf';
  return SPR_NAMES.filter(([, , d]) => d === 'both' || d === dir).map(([spr, name, , index]) => {
    const mnemonic = `${dir}${name}`;
    const reg = op === 'mtspr' ? (['gpr', 'rs'] as const) : (['gpr', 'rt'] as const);
    const literal = index === undefined ? undefined : { at: op === 'mtspr' ? 0 : 1, text: String(index) };
    return { mnemonic, when: { spr }, operands: [reg], print: true, asm: index === undefined ? SPR_MNEMONICS_FOR_ASM[mnemonic] ?? 'none' : 'none', literal };
  });
}

/** Every entry's aliases: the table's own, then those derived from the trap-condition and SPR tables. */
export const ALIASES: Readonly<Record<PpcOp, readonly AliasSpec[]>> = (() => {
  const out = {} as Record<PpcOp, readonly AliasSpec[]>;
  for (const op of Object.keys(PPC_TABLE) as PpcOp[]) {
    const own: readonly AliasSpec[] = (PPC_TABLE[op] as EntrySpec).aliases ?? [];
    const derived = op === 'tw' || op === 'twi' || op === 'td' || op === 'tdi' ? trapAliases(op)
      : op === 'mtspr' || op === 'mfspr' ? sprAliases(op) : [];
    out[op] = Object.freeze([...own, ...derived]);
  }
  return Object.freeze(out);
})();

/** Does the instruction meet the condition? */
export function holds(c: Condition, insn: PpcInsn): boolean {
  const v = insn as unknown as Readonly<Record<string, number>>;
  const when = c.when as Readonly<Record<string, number>> | undefined;
  for (const k in when) if (v[k] !== when[k]) return false;
  return !c.same || v[c.same[0]] === v[c.same[1]];
}

/** The instruction word. The insn must be well formed (its fields in range): that is checked. */
export function encodeWord(insn: PpcInsn): number {
  const l = LAYOUTS[insn.op];
  const v = insn as unknown as Readonly<Record<string, number>>;
  let word = l.match;
  for (const name of l.fields) {
    const f = FIELDS[name];
    const value = v[name];
    const r = fieldRange(f);
    assert(Number.isInteger(value) && value >= r.min && value <= r.max && value % r.step === 0, `ppc ${insn.op}: ${name} = ${value}`);
    word |= fieldBits(f, value);
  }
  return word >>> 0;
}
