// Decoded instructions from words: a lookup by primary opcode (then extended opcode), built from the table.

import type { Endian } from '../../base/bits.js';
import { ALIASES, LAYOUTS, holds, type EntryLayout } from './encode.js';
import { branchSpelling } from './table-branch.js';
import { FIELDS, type FieldName, type FieldSpec, type PpcInsn } from './table.js';

/** Bits 1..10: the extended opcode of the X, XL, XFX and XO forms (XO's OE bit included). */
const XO_MASK = 0x7fe;

/** A field to extract, as plain numbers: value = sign-extended ((word >>> lo) & mask), halves swapped, times scale. */
interface Extract {
  readonly name: FieldName;
  readonly lo: number;
  readonly mask: number;
  /** The sign bit of the slice, 0 for an unsigned field. */
  readonly sign: number;
  readonly scale: number;
  readonly swap: boolean;
  /** Where the value's separate top bit lies (MD-form sh, mb), or −1. */
  readonly high: number;
  readonly width: number;
}

interface Candidate {
  readonly layout: EntryLayout;
  readonly fields: readonly Extract[];
  /** Reserved forms to look for after extracting (most entries have none). */
  readonly checked: boolean;
  /** Conditional branches: valid[bo * 2 + (bi ? 1 : 0)], from table-branch.ts. */
  readonly validBranch: Uint8Array | undefined;
}

/** Per primary opcode: the candidates most specific first, or a table by extended opcode when they all fix it. */
type Bucket =
  | { readonly kind: 'list'; readonly candidates: readonly Candidate[] }
  | { readonly kind: 'xo'; readonly byXo: readonly (readonly Candidate[] | undefined)[] };

function branchValidity(form: 'b' | 'lr' | 'ctr' | undefined): Uint8Array | undefined {
  if (!form) return undefined;
  const out = new Uint8Array(64);
  for (let bo = 0; bo < 32; bo++) for (const bi of [0, 1]) out[bo * 2 + bi] = branchSpelling(form, bo, bi) ? 1 : 0;
  return out;
}

function extract(name: FieldName): Extract {
  const f: FieldSpec = FIELDS[name];
  return {
    name, lo: f.lo, mask: (1 << f.width) - 1, sign: f.signed ? 1 << (f.width - 1) : 0, scale: 1 << (f.shift ?? 0),
    swap: !!f.swapHalves, high: f.high ?? -1, width: f.width,
  };
}

const popcount = (x: number): number => {
  let n = 0;
  for (let v = x >>> 0; v; v &= v - 1) n++;
  return n;
};

function bucketOf(layouts: readonly EntryLayout[]): Bucket {
  const candidates = layouts
    .map((layout) => ({
      layout, fields: layout.fields.map(extract), checked: !!(layout.spec.invalid || layout.spec.update || layout.spec.branch),
      validBranch: branchValidity(layout.spec.branch),
    }))
    .sort((a, b) => popcount(b.layout.mask) - popcount(a.layout.mask));
  if (candidates.length < 4 || !candidates.every((c) => (c.layout.mask & XO_MASK) === XO_MASK)) {
    return { kind: 'list', candidates };
  }
  const byXo: Candidate[][] = [];
  for (const c of candidates) (byXo[(c.layout.match & XO_MASK) >>> 1] ??= []).push(c);
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
  for (const f of c.fields) {
    let raw = (word >>> f.lo) & f.mask;
    if (f.swap) raw = ((raw & 0x1f) << 5) | (raw >> 5);
    if (f.high >= 0) raw |= ((word >>> f.high) & 1) << f.width;
    out[f.name] = ((raw ^ f.sign) - f.sign) * f.scale;
  }
  const insn = out as unknown as PpcInsn;
  if (!c.checked) return insn;
  const spec = c.layout.spec;
  if (c.validBranch) return c.validBranch[(out.bo as number) * 2 + (out.bi ? 1 : 0)] ? insn : undefined;
  if (spec.invalid?.some((cond) => holds(cond, insn))) return undefined;
  if (badUpdate(insn, spec.update) && !ALIASES[c.layout.op].some((a) => a.print && holds(a, insn))) return undefined;
  return insn;
}

/** The instruction in `word`, or undefined when no entry claims it (objdump: `.long`). */
export function decodeWord(word: number): PpcInsn | undefined {
  const bucket = BUCKETS[word >>> 26];
  if (!bucket) return undefined;
  const list = bucket.kind === 'list' ? bucket.candidates : bucket.byXo[(word & XO_MASK) >>> 1];
  if (!list) return undefined;
  for (const c of list) if (((word & c.layout.mask) >>> 0) === c.layout.match) return build(c, word);
  return undefined;
}

/** A decoder for one byte order (the word read inline: the simulator decodes on every fetch). */
export function decoderFor(endian: Endian): (bytes: Uint8Array, offset: number) => PpcInsn | undefined {
  return endian === 'big'
    ? (b, o) => (o >= 0 && o + 4 <= b.length ? decodeWord(((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0) : undefined)
    : (b, o) => (o >= 0 && o + 4 <= b.length ? decodeWord(((b[o + 3] << 24) | (b[o + 2] << 16) | (b[o + 1] << 8) | b[o]) >>> 0) : undefined);
}
