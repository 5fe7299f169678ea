// The table compiled once at load: masks and field slices from `layout`, templates from `syntax`, conditions from `invalid`.

import { assert } from '../../base/assert.js';
import { decodeBitmask, isWideConstant } from './table-bitmask.js';
import { SLOTS, type SlotName } from './table-names.js';
import { FIELDS, TABLE, type AliasSpec, type AliasTest, type FieldName, type FormSpec, type Op } from './table.js';

type Words<S extends string> = S extends `${infer H} ${infer T}` ? H | Words<T> : S;
type FieldOfWord<W> = W extends `${infer N}:${string}` ? N : never;
type Flatten<T> = { readonly [K in keyof T]: T[K] };

/** One decoded instruction: `op` names its table entry, the other keys are its layout's fields. */
export type Arm64Insn = {
  [K in Op]: Flatten<{ readonly op: K } & { readonly [F in FieldOfWord<Words<(typeof TABLE)[K]['layout']>>]: number }>;
}[Op];

/** Field values by name, as encode and decode see an instruction. */
export type Fields = Readonly<Record<string, number>>;

/** Bits [lo, lo+width) of the word hold bits [valueLo, valueLo+width) of field `name`. */
export interface FieldSlice {
  readonly name: FieldName;
  readonly lo: number;
  readonly width: number;
  readonly valueLo: number;
}

export interface FieldInfo {
  readonly name: FieldName;
  readonly width: number;
  readonly signed: boolean;
}

/** A template: literal text as objdump prints it, operand slots, and optional groups. */
export type Piece =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'slot'; readonly slot: SlotName }
  | { readonly kind: 'optional'; readonly pieces: readonly Piece[] };

/** One way to write an entry: its own spelling (`isAlias` false) or one of its aliases. */
export interface Spelling {
  readonly mnemonic: string;
  readonly pieces: readonly Piece[];
  readonly when: Fields;
  /** Fields that equal another (cinc: rm = rn). */
  readonly sameAs: Readonly<Record<string, string>>;
  readonly test: AliasTest | undefined;
  /** GNU as, too, takes this alias only when the test holds. */
  readonly testBindsGnu: boolean;
  readonly valueComment: boolean;
  readonly gnuOnly: boolean;
  readonly isAlias: boolean;
}

export interface Form {
  readonly op: Op;
  readonly spec: FormSpec;
  /** Fixed bits: `word & mask` equals `value` for this form. */
  readonly mask: number;
  readonly value: number;
  readonly slices: readonly FieldSlice[];
  readonly fields: readonly FieldInfo[];
  readonly own: Spelling;
  readonly aliases: readonly Spelling[];
  readonly isInvalid: (f: Fields) => boolean;
  /** Number of fixed bits: of two forms that match a word, the one with more wins. */
  readonly specificity: number;
}

function compileLayout(op: string, layout: string): { mask: number; value: number; slices: FieldSlice[]; fields: FieldInfo[] } {
  let bit = 32;
  let mask = 0;
  let value = 0;
  const slices: FieldSlice[] = [];
  const widths = new Map<FieldName, number>();
  for (const word of layout.split(' ')) {
    const m = /^(\w+):(\d+)(?:@(\d+))?$/.exec(word);
    if (!m) {
      assert(/^[01]+$/.test(word), `${op}: layout word ${word}`);
      for (const c of word) {
        bit--;
        mask |= 1 << bit;
        if (c === '1') value |= 1 << bit;
      }
      continue;
    }
    const name = m[1] as FieldName;
    assert(name in FIELDS, `${op}: unknown field ${name}`);
    const width = Number(m[2]);
    const valueLo = m[3] === undefined ? 0 : Number(m[3]);
    bit -= width;
    slices.push({ name, lo: bit, width, valueLo });
    widths.set(name, Math.max(widths.get(name) ?? 0, valueLo + width));
  }
  assert(bit === 0, `${op}: layout has ${32 - bit} bits`);
  const fields = [...widths].map(([name, width]) => ({ name, width, signed: FIELDS[name].signed }));
  return { mask: mask >>> 0, value: value >>> 0, slices, fields };
}

/** Split a syntax string into text, `<slot>` and `{optional}` pieces. */
export function compileTemplate(syntax: string): Piece[] {
  const out: Piece[][] = [[]];
  let text = '';
  const flush = (): void => {
    if (text) out[out.length - 1].push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < syntax.length; i++) {
    const c = syntax[i];
    if (c === '<') {
      const end = syntax.indexOf('>', i);
      const slot = syntax.slice(i + 1, end);
      assert(slot in SLOTS, `unknown slot <${slot}>`);
      flush();
      out[out.length - 1].push({ kind: 'slot', slot: slot as SlotName });
      i = end;
    } else if (c === '{') {
      flush();
      out.push([]);
    } else if (c === '}') {
      flush();
      const pieces = out.pop();
      assert(pieces !== undefined && out.length > 0, `unbalanced } in ${syntax}`);
      out[out.length - 1].push({ kind: 'optional', pieces });
    } else {
      text += c;
    }
  }
  flush();
  assert(out.length === 1, `unbalanced { in ${syntax}`);
  return out[0];
}

const CONDITION = /^(\w+?)(&\d+)?(=|!=|>=)(\w+)$/;

/** `invalid` strings to one predicate: true when the fields are an unallocated encoding. */
function compileInvalid(op: string, invalid: readonly string[] | undefined): (f: Fields) => boolean {
  const tests = (invalid ?? []).map((conjunction) =>
    conjunction.split(' ').map((atom): ((f: Fields) => boolean) => {
      if (atom === '!bitmask') return (f) => decodeBitmask({ n: f.n, immr: f.immr, imms: f.imms }, f.sf === 1 ? 64 : 32) === undefined;
      const m = CONDITION.exec(atom);
      assert(m !== null, `${op}: invalid condition ${atom}`);
      const [, name, andMask, rel, rhs] = m;
      const bits = andMask ? Number(andMask.slice(1)) : -1;
      const get = (f: Fields): number => f[name] & bits;
      // The right side is a number or another field (`rt=rt2`).
      const other = /^\d+$/.test(rhs) ? (): number => Number(rhs) : (f: Fields): number => f[rhs];
      if (rel === '=') return (f) => get(f) === other(f);
      if (rel === '!=') return (f) => get(f) !== other(f);
      return (f) => get(f) >= other(f);
    }),
  );
  // Loops rather than some/every: the decoder runs this on every word of a checked form.
  const all = tests.map((atoms) => (atoms.length === 1 ? atoms[0] : (f: Fields): boolean => {
    for (const t of atoms) if (!t(f)) return false;
    return true;
  }));
  if (all.length === 1) return all[0];
  return (f) => {
    for (const t of all) if (t(f)) return true;
    return false;
  };
}

const topBit = (f: Fields): number => (f.sf === 1 ? 63 : 31);

/** BFXPreferred of the Arm ARM: ubfx/sbfx unless lsr/asr, ubfiz/sbfiz or an extend (uxtb, sxtw …) says it. */
function bfxPreferred(f: Fields, unsigned: boolean): boolean {
  if (f.imms < f.immr || f.imms === topBit(f)) return false;
  if (f.immr === 0) {
    if (f.sf === 0 && (f.imms === 7 || f.imms === 15)) return false;
    if (f.sf === 1 && !unsigned && (f.imms === 7 || f.imms === 15 || f.imms === 31)) return false;
  }
  return true;
}

/** The alias tests of table.ts's AliasTest: beyond field equalities. */
export const ALIAS_TESTS: Readonly<Record<AliasTest, (f: Fields) => boolean>> = Object.freeze({
  spMove: (f: Fields) => f.rd === 31 || f.rn === 31,
  movzMov: (f: Fields) => !(f.imm16 === 0 && f.hw !== 0),
  movnMov: (f: Fields) => !(f.imm16 === 0 && f.hw !== 0) && (f.sf === 1 || f.imm16 !== 0xffff),
  lsl: (f: Fields) => f.imms !== topBit(f) && f.imms + 1 === f.immr,
  shiftRight: (f: Fields) => f.imms === topBit(f),
  insert: (f: Fields) => f.imms < f.immr,
  extract: (f: Fields) => f.imms >= f.immr,
  bfxUnsigned: (f: Fields) => bfxPreferred(f, true),
  bfxSigned: (f: Fields) => bfxPreferred(f, false),
  invertible: (f: Fields) => (f.cond & 14) !== 14,
  orrMov: (f: Fields) => {
    const width = f.sf === 1 ? 64 : 32;
    const value = decodeBitmask({ n: f.n, immr: f.immr, imms: f.imms }, width);
    return f.rd === 31 || (value !== undefined && !isWideConstant(value, width) && !isWideConstant(~value, width));
  },
});

function spelling(alias: AliasSpec | undefined, spec: FormSpec): Spelling {
  return {
    mnemonic: alias?.mnemonic ?? spec.mnemonic,
    pieces: compileTemplate(alias?.syntax ?? spec.syntax),
    when: alias?.when ?? {},
    sameAs: alias?.sameAs ?? {},
    test: alias?.test,
    testBindsGnu: alias?.testBindsGnu ?? false,
    valueComment: alias?.valueComment ?? false,
    gnuOnly: alias?.gnuOnly ?? false,
    isAlias: alias !== undefined,
  };
}

function compileForm(op: Op, spec: FormSpec): Form {
  const { mask, value, slices, fields } = compileLayout(op, spec.layout);
  let specificity = 0;
  for (let m = mask; m !== 0; m &= m - 1) specificity++;
  return {
    op, spec, mask, value, slices, fields, specificity,
    own: spelling(undefined, spec),
    aliases: (spec.aliases ?? []).map((a) => spelling(a, spec)),
    isInvalid: compileInvalid(op, [...(spec.invalid ?? []), ...Object.entries(spec.sameAs ?? {}).map(([k, v]) => `${k}!=${v}`)]),
  };
}

/** Every form, in table order (the order in which the assembler tries them). */
export const FORMS: readonly Form[] = Object.freeze(
  (Object.entries(TABLE) as [Op, FormSpec][]).map(([op, spec]) => compileForm(op, spec)),
);

export const FORM_BY_OP: Readonly<Record<Op, Form>> = Object.freeze(
  Object.fromEntries(FORMS.map((f) => [f.op, f])) as Record<Op, Form>,
);

/** The value of a field as decoded: sign-extended when the legend says so. */
export function fieldValue(info: FieldInfo, raw: number): number {
  if (!info.signed) return raw;
  const shift = 32 - info.width;
  return (raw << shift) >> shift;
}

/** Does an alias's condition hold for these fields? */
export function aliasApplies(s: Spelling, f: Fields): boolean {
  for (const name in s.when) if (f[name] !== s.when[name]) return false;
  for (const name in s.sameAs) if (f[name] !== f[s.sameAs[name]]) return false;
  return s.test === undefined || ALIAS_TESTS[s.test](f);
}

/** Register width of an entry's `<Rd>`-style slots for these fields. */
export function entryIsX(form: Form, f: Fields): boolean {
  const width = form.spec.width ?? 'sf';
  return width === 'x' || (width === 'sf' && f.sf === 1);
}

/** Access size in bytes of a load/store entry. */
export function accessSize(form: Form, f: Fields): number {
  const access = form.spec.access ?? 1;
  return access === 'sf' ? (f.sf === 1 ? 8 : 4) : access;
}
