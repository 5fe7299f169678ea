// The table's layouts and conditions read once into masks, bit slices and predicates: what encode, decode and print work from.

import { assert } from '../../base/assert.js';
import { FIELD_NAMES, TABLE, type FieldName, type FormSpec, type Op, type RiscvInsn, type Spelling } from './table.js';

/** Bits `lo`..`lo+width-1` of the instruction hold bits `valueLo`.. of `field` (minus 8 for `rd'`-style registers). */
export interface FieldSlice {
  readonly field: FieldName;
  readonly lo: number;
  readonly width: number;
  readonly valueLo: number;
  readonly compressedRegister: boolean;
}

export type Predicate = (insn: RiscvInsn) => boolean;

export interface PrintSpelling extends Spelling {
  readonly holds: Predicate;
}

export interface Form {
  readonly op: Op;
  readonly spec: FormSpec;
  /** 2 for a compressed entry, else 4. */
  readonly length: 2 | 4;
  readonly mask: number;
  readonly value: number;
  readonly slices: readonly FieldSlice[];
  /** The width of `imm` over all its slices (its sign bit is the top one), 0 when the entry has none. */
  readonly immBits: number;
  readonly signed: boolean;
  readonly isInvalid: Predicate;
  readonly print: readonly PrintSpelling[];
  /** Number of fixed bits: decode tries the most specific entry first. */
  readonly specificity: number;
}

/** `rd=0 imm!=0 csr=3072`: every term must hold. */
export function condition(text: string | undefined): Predicate {
  if (!text) return () => true;
  const terms = text.split(' ').map((t) => {
    const m = /^(\w+)(!?=)(-?\d+)$/.exec(t);
    assert(m !== null && (FIELD_NAMES as readonly string[]).includes(m[1]), `bad condition term ${t}`);
    return { field: m[1] as FieldName, equal: m[2] === '=', value: Number(m[3]) };
  });
  return (insn) => terms.every((t) => (insn[t.field] === t.value) === t.equal);
}

function parseLayout(op: string, layout: string): { length: 2 | 4; mask: number; value: number; slices: FieldSlice[] } {
  const pieces = layout.split(' ');
  let bit = pieces.reduce((n, piece) => n + (/^[01]+$/.test(piece) ? piece.length : Number(/:(\d+)/.exec(piece)![1])), 0);
  assert(bit === 16 || bit === 32, `${op}: layout has ${bit} bits`);
  const length = bit === 16 ? 2 : 4;
  let mask = 0, value = 0;
  const slices: FieldSlice[] = [];
  for (const piece of pieces) {
    if (/^[01]+$/.test(piece)) {
      for (const c of piece) {
        bit--;
        mask |= 1 << bit;
        if (c === '1') value |= 1 << bit;
      }
      continue;
    }
    const m = /^(\w+)('?):(\d+)(?:@(\d+))?$/.exec(piece);
    assert(m !== null && (FIELD_NAMES as readonly string[]).includes(m[1]), `${op}: bad layout piece ${piece}`);
    const width = Number(m[3]);
    bit -= width;
    slices.push({ field: m[1] as FieldName, lo: bit, width, valueLo: Number(m[4] ?? 0), compressedRegister: m[2] === "'" });
  }
  return { length, mask: mask >>> 0, value: value >>> 0, slices };
}

function form(op: Op): Form {
  const spec: FormSpec = TABLE[op];
  const { length, mask, value, slices } = parseLayout(op, spec.layout);
  const imm = slices.filter((s) => s.field === 'imm');
  const immBits = imm.reduce((top, s) => Math.max(top, s.valueLo + s.width), 0);
  const invalid = (spec.invalid ?? []).map(condition);
  let specificity = 0;
  for (let m = mask; m !== 0; m &= m - 1) specificity++;
  return {
    op, spec, length, mask, value, slices, immBits,
    signed: immBits > 0 && !spec.unsigned,
    isInvalid: (insn) => invalid.some((c) => c(insn)),
    print: spec.print.map((s) => ({ ...s, holds: condition(s.when) })),
    specificity,
  };
}

export const FORMS: readonly Form[] = Object.freeze((Object.keys(TABLE) as Op[]).map(form));

export const FORM_BY_OP: Readonly<Record<Op, Form>> = Object.freeze(Object.fromEntries(FORMS.map((f) => [f.op, f])) as Record<Op, Form>);

/** The 32-bit entry a compressed one stands for (itself for a 32-bit entry): what the interpreter executes. */
export const BASE_OP: Readonly<Record<Op, Op>> = Object.freeze(
  Object.fromEntries(FORMS.map((f) => [f.op, (f.spec.expands ?? f.op) as Op])) as Record<Op, Op>,
);

/** A decoded instruction with every field present (zero where the entry has none). */
export function makeInsn(op: Op, fields: Partial<Record<FieldName, number>>): RiscvInsn {
  return {
    op, rd: fields.rd ?? 0, rs1: fields.rs1 ?? 0, rs2: fields.rs2 ?? 0, imm: fields.imm ?? 0, csr: fields.csr ?? 0,
    pred: fields.pred ?? 0, succ: fields.succ ?? 0, aq: fields.aq ?? 0, rl: fields.rl ?? 0,
  };
}
