// The rotate-and-mask extended mnemonics (slwi, srwi, clrrwi, sldi, srdi, clrrdi…): each is one rotate entry
// with some fields computed from its operands.
//
// Read off GNU as and objdump (both modes agree): GNU as takes each operand over the range its kind says
// and computes every field modulo the field's width (`extlwi 3,4,32,0` is `rlwinm 3,4,0,0,31`); objdump
// prints the first `print` mnemonic, in this order, whose expansion is the word (`rlwinm 3,4,0,0,31` is
// `rotlwi r3,r4,0`, `rldicr 3,4,0,63` is `clrrdi r3,r4,0`). The Power ISA defines the same expansions in
// its appendix of extended mnemonics.

import type { AsmModes, FieldName, PpcOp } from './table.js';

/**
 * A computed field: a constant plus a sum of the written operands (by position among the numbers, after
 * the two registers) times ±1. [31, [0, -1]] is 31 − n for operands (n, b).
 */
export type Linear = readonly [constant: number, coefficients: readonly number[]];

export interface RotateMnemonic {
  readonly mnemonic: string;
  /** The entry without its record form: `slwi.` is derived on `rlwinm.`. */
  readonly op: PpcOp;
  /** The number operands after `ra,rs` (or `ra,rs,rb` when `rb` is set). */
  readonly params: readonly ('u5' | 'u6' | 'n5' | 'n6')[];
  readonly fields: Readonly<Partial<Record<FieldName, Linear>>>;
  /** A register RB after RS (rotlw, rotld). */
  readonly rb?: true;
  readonly print: boolean;
  readonly asm: AsmModes;
}

const w = (mnemonic: string, op: PpcOp, params: RotateMnemonic['params'], fields: RotateMnemonic['fields'], print: boolean): RotateMnemonic =>
  ({ mnemonic, op, params, fields, print, asm: 'both' });
const d = (mnemonic: string, op: PpcOp, params: RotateMnemonic['params'], fields: RotateMnemonic['fields'], print: boolean): RotateMnemonic =>
  ({ mnemonic, op, params, fields, print, asm: '64' });

/** In objdump's order of preference per entry: the printed ones first, in the order it tries them. */
export const ROTATE_MNEMONICS: readonly RotateMnemonic[] = [
  w('rotlwi', 'rlwinm', ['u5'], { sh: [0, [1]], mb: [0, []], me: [31, []] }, true),
  w('slwi', 'rlwinm', ['u5'], { sh: [0, [1]], mb: [0, []], me: [31, [-1]] }, true),
  w('srwi', 'rlwinm', ['u5'], { sh: [32, [-1]], mb: [0, [1]], me: [31, []] }, true),
  w('clrlwi', 'rlwinm', ['u5'], { sh: [0, []], mb: [0, [1]], me: [31, []] }, true),
  w('clrrwi', 'rlwinm', ['u5'], { sh: [0, []], mb: [0, []], me: [31, [-1]] }, true),
  w('rotrwi', 'rlwinm', ['u5'], { sh: [32, [-1]], mb: [0, []], me: [31, []] }, false),
  // extlwi n,b; extrwi n,b; clrlslwi b,n.
  w('extlwi', 'rlwinm', ['n5', 'u5'], { sh: [0, [0, 1]], mb: [0, []], me: [-1, [1, 0]] }, false),
  w('extrwi', 'rlwinm', ['u5', 'u5'], { sh: [0, [1, 1]], mb: [32, [-1, 0]], me: [31, []] }, false),
  w('clrlslwi', 'rlwinm', ['u5', 'u5'], { sh: [0, [0, 1]], mb: [0, [1, -1]], me: [31, [0, -1]] }, false),
  // inslwi n,b; insrwi n,b.
  w('inslwi', 'rlwimi', ['n5', 'u5'], { sh: [32, [0, -1]], mb: [0, [0, 1]], me: [-1, [1, 1]] }, false),
  w('insrwi', 'rlwimi', ['n5', 'u5'], { sh: [32, [-1, -1]], mb: [0, [0, 1]], me: [-1, [1, 1]] }, false),
  { mnemonic: 'rotlw', op: 'rlwnm', params: [], fields: { mb: [0, []], me: [31, []] }, rb: true, print: true, asm: 'both' },
  d('rotldi', 'rldicl', ['u6'], { sh6: [0, [1]], mb6: [0, []] }, true),
  d('clrldi', 'rldicl', ['u6'], { sh6: [0, []], mb6: [0, [1]] }, true),
  d('srdi', 'rldicl', ['u6'], { sh6: [64, [-1]], mb6: [0, [1]] }, true),
  d('rotrdi', 'rldicl', ['u6'], { sh6: [64, [-1]], mb6: [0, []] }, false),
  // extrdi n,b.
  d('extrdi', 'rldicl', ['u6', 'u6'], { sh6: [0, [1, 1]], mb6: [64, [-1, 0]] }, false),
  d('clrrdi', 'rldicr', ['u6'], { sh6: [0, []], me6: [63, [-1]] }, true),
  d('sldi', 'rldicr', ['u6'], { sh6: [0, [1]], me6: [63, [-1]] }, true),
  // extldi n,b.
  d('extldi', 'rldicr', ['n6', 'u6'], { sh6: [0, [0, 1]], me6: [-1, [1, 0]] }, false),
  // clrlsldi b,n; insrdi n,b.
  d('clrlsldi', 'rldic', ['u6', 'u6'], { sh6: [0, [0, 1]], mb6: [0, [1, -1]] }, false),
  d('insrdi', 'rldimi', ['n6', 'u6'], { sh6: [64, [-1, -1]], mb6: [0, [0, 1]] }, false),
  { mnemonic: 'rotld', op: 'rldcl', params: [], fields: { mb6: [0, []] }, rb: true, print: true, asm: '64' },
];

/** The kind each operand kind of a rotate mnemonic parses as, and its range. */
export const PARAM_RANGE: Readonly<Record<RotateMnemonic['params'][number], number>> = { u5: 31, u6: 63, n5: 32, n6: 64 };

/** The fields a rotate mnemonic gives for these operand values, each modulo its width (`bits`: 5 or 6). */
export function rotateFields(m: RotateMnemonic, values: readonly number[], bits: (f: FieldName) => number): Partial<Record<FieldName, number>> {
  const out: Partial<Record<FieldName, number>> = {};
  for (const [f, [c, k]] of Object.entries(m.fields) as [FieldName, Linear][]) {
    const v = k.reduce((sum, coef, i) => sum + coef * values[i], c);
    const size = 1 << bits(f);
    out[f] = ((v % size) + size) % size;
  }
  return out;
}
