// Decoded instructions from words: a lookup by primary opcode (then extended opcode), built from the table.

import { readU32, type Endian } from '../../base/bits.js';
import { ALIASES, LAYOUTS, fieldValue, holds, type EntryLayout } from './encode.js';
import { branchSpelling } from './table-branch.js';
import { FIELDS, type FieldName, type FieldSpec, type PpcInsn } from './table.js';

/** Bits 1..10: the extended opcode of the X, XL, XFX and XO forms (XO's OE bit included). */
const XO_MASK = 0x7fe;

interface Candidate {
  readonly layout: EntryLayout;
  readonly fields: readonly (readonly [FieldName, FieldSpec])[];
}

/** Per primary opcode: the candidates most specific first, or a map by extended opcode when they all fix it. */
type Bucket =
  | { readonly kind: 'list'; readonly candidates: readonly Candidate[] }
  | { readonly kind: 'xo'; readonly byXo: ReadonlyMap<number, readonly Candidate[]> };

const popcount = (x: number): number => {
  let n = 0;
  for (let v = x >>> 0; v; v &= v - 1) n++;
  return n;
};

function bucketOf(layouts: readonly EntryLayout[]): Bucket {
  const candidates = layouts
    .map((layout) => ({ layout, fields: layout.fields.map((f) => [f, FIELDS[f]] as const) }))
    .sort((a, b) => popcount(b.layout.mask) - popcount(a.layout.mask));
  if (candidates.length < 4 || !candidates.every((c) => (c.layout.mask & XO_MASK) === XO_MASK)) {
    return { kind: 'list', candidates };
  }
  const byXo = new Map<number, Candidate[]>();
  for (const c of candidates) {
    const xo = c.layout.match & XO_MASK;
    byXo.set(xo, [...(byXo.get(xo) ?? []), c]);
  }
  return { kind: 'xo', byXo };
}

const BUCKETS: readonly (Bucket | undefined)[] = (() => {
  const byOpcd: EntryLayout[][] = Array.from({ length: 64 }, () => []);
  for (const l of Object.values(LAYOUTS)) byOpcd[l.match >>> 26].push(l);
  return byOpcd.map((ls) => (ls.length ? bucketOf(ls) : undefined));
})();

/** An update form GNU as would reject: objdump decodes it only under an old POWER name (`lu`). */
function badUpdate(insn: PpcInsn, update: 'load' | 'store' | undefined): boolean {
  if (!update) return false;
  const v = insn as unknown as Readonly<Record<string, number>>;
  return v.ra === 0 || (update === 'load' && v.ra === v.rt);
}

function build(c: Candidate, word: number): PpcInsn | undefined {
  const out: Record<string, number | string> = { op: c.layout.op };
  for (const [name, f] of c.fields) out[name] = fieldValue(f, word);
  const insn = out as unknown as PpcInsn;
  const spec = c.layout.spec;
  if (spec.invalid?.some((cond) => holds(cond, insn))) return undefined;
  if (badUpdate(insn, spec.update) && !ALIASES[c.layout.op].some((a) => a.print && holds(a, insn))) return undefined;
  if (spec.branch && !branchSpelling(spec.branch, out.bo as number, out.bi as number)) return undefined;
  return insn;
}

/** The instruction in `word`, or undefined when no entry claims it (objdump: `.long`). */
export function decodeWord(word: number): PpcInsn | undefined {
  const bucket = BUCKETS[word >>> 26];
  if (!bucket) return undefined;
  const list = bucket.kind === 'list' ? bucket.candidates : bucket.byXo.get(word & XO_MASK);
  if (!list) return undefined;
  for (const c of list) if (((word & c.layout.mask) >>> 0) === c.layout.match) return build(c, word);
  return undefined;
}

export function decodeAt(bytes: Uint8Array, offset: number, endian: Endian): PpcInsn | undefined {
  if (offset < 0 || offset + 4 > bytes.length) return undefined;
  return decodeWord(readU32(bytes, offset, endian));
}
