// Conditional branches: how objdump spells each BO value, and the extended mnemonics GNU as accepts.
//
// BO bits (ISA numbering 0..4, here 16 8 4 2 1): 16 ignore the CR bit, 8 branch if it is set,
// 4 leave CTR alone, 2 branch if CTR reaches 0, 1 (and sometimes 8 or 2) the prediction hint.

/**
 * objdump's spelling per BO, for bc (B form), bclr (LR) and bcctr (CTR), read off both default
 * dialects (they agree) over every BO, some BI and BH values, both displacement signs.
 *
 * A cell is a stem and a hint: `dnzf` → bdnzf/bdnzflr; `f`/`t` → the condition BI names, branch
 * if false/true (bne, beqlr…); `dnz`/`dz` → bdnz/bdzlr; `always` → blr/bctr; `raw` → bc BO,BI,….
 * `X|Y` is X when BI is 0, else Y. `bad` is an invalid word (`.long`).
 */
const SPELLINGS = `
   0  dnzf      dnzf       raw
   1  dnzf      dnzf+      bad
   2  dzf       dzf        raw
   3  dzf       dzf+       bad
   4  f         f          f
   5  f         f+         f+
   6  f-        f-         f-
   7  f+        f+         f+
   8  dnzt      dnzt       raw
   9  dnzt      dnzt+      bad
  10  dzt       dzt        raw
  11  dzt       dzt+       bad
  12  t         t          t
  13  t         t+         t+
  14  t-        t-         t-
  15  t+        t+         t+
  16  dnz|raw   dnz|raw    raw
  17  dnz|bad   dnz+|bad   bad
  18  dz|raw    dz|raw     raw
  19  dz|bad    dz+|bad    bad
  20  raw       always|raw always|raw
  24  dnz-|raw- dnz-|raw-  raw-
  25  dnz+|raw+ dnz+|raw+  raw+
  26  dz-|raw-  dz-|raw-   raw-
  27  dz+|raw+  dz+|raw+   raw+
`;

export type BranchStem = 'dnzf' | 'dzf' | 'dnzt' | 'dzt' | 'f' | 't' | 'dnz' | 'dz' | 'always' | 'raw';
export type Hint = '' | '+' | '-';
export type BranchForm = 'b' | 'lr' | 'ctr';

/** One cell of SPELLINGS: the spelling when BI = 0, and when BI ≠ 0 (undefined: invalid). */
export interface BranchSpelling {
  readonly zero: { readonly stem: BranchStem; readonly hint: Hint } | undefined;
  readonly other: { readonly stem: BranchStem; readonly hint: Hint } | undefined;
}

function cell(text: string): BranchSpelling {
  const one = (t: string) => {
    if (t === 'bad') return undefined;
    const hint = (t.endsWith('+') || t.endsWith('-') ? t.slice(-1) : '') as Hint;
    return { stem: t.slice(0, t.length - hint.length) as BranchStem, hint };
  };
  const [zero, other = zero] = text.split('|');
  return { zero: one(zero), other: one(other) };
}

/** BRANCH_SPELLINGS[form][bo]: undefined for the reserved BO values (objdump: `.long`). */
export const BRANCH_SPELLINGS: Readonly<Record<BranchForm, readonly (BranchSpelling | undefined)[]>> = (() => {
  const out: Record<BranchForm, (BranchSpelling | undefined)[]> = { b: [], lr: [], ctr: [] };
  for (const row of SPELLINGS.trim().split('\n')) {
    const [bo, b, lr, ctr] = row.trim().split(/\s+/);
    out.b[Number(bo)] = cell(b);
    out.lr[Number(bo)] = cell(lr);
    out.ctr[Number(bo)] = cell(ctr);
  }
  for (const form of ['b', 'lr', 'ctr'] as const) out[form].length = 32;
  return Object.freeze(out);
})();

/** The four bits of a CR field, as objdump names them in a CR-bit operand (`4*cr7+eq`). */
export const CR_BIT_NAMES = ['lt', 'gt', 'eq', 'so'] as const;

/**
 * Condition mnemonics (`beq`, `bnl`…): name, the bit of the CR field, whether it branches when the bit
 * is set. objdump prints the first name of each (bit, sense); GNU as accepts all.
 */
export const BRANCH_CONDITIONS: readonly (readonly [name: string, bit: number, ifSet: boolean])[] = [
  ['lt', 0, true], ['gt', 1, true], ['eq', 2, true], ['so', 3, true], ['un', 3, true],
  ['ge', 0, false], ['le', 1, false], ['ne', 2, false], ['ns', 3, false],
  ['nl', 0, false], ['ng', 1, false], ['nu', 3, false],
];

/**
 * Stems GNU as accepts besides the conditions: their BO, how the CR bit is written (`crb`: a BI
 * operand; `none`: BI is 0), which forms exist, and whether the +/- hint is accepted in ppc64
 * mode (ISA 2.x drops it for the CTR-and-CR stems; ppc32's older dialect keeps it).
 */
export const BRANCH_STEMS: Readonly<Record<'dnzf' | 'dzf' | 'dnzt' | 'dzt' | 'f' | 't' | 'dnz' | 'dz', {
  readonly bo: number; readonly bi: 'crb' | 'none'; readonly ctr: boolean; readonly hint64: boolean;
}>> = {
  dnzf: { bo: 0, bi: 'crb', ctr: false, hint64: false },
  dzf: { bo: 2, bi: 'crb', ctr: false, hint64: false },
  f: { bo: 4, bi: 'crb', ctr: true, hint64: true },
  dnzt: { bo: 8, bi: 'crb', ctr: false, hint64: false },
  dzt: { bo: 10, bi: 'crb', ctr: false, hint64: false },
  t: { bo: 12, bi: 'crb', ctr: true, hint64: true },
  dnz: { bo: 16, bi: 'none', ctr: false, hint64: true },
  dz: { bo: 18, bi: 'none', ctr: false, hint64: true },
};

/** BO for "always": `blr`, `bctr` (and `bc 20,…`). */
export const BO_ALWAYS = 20;

/**
 * Whether a BO value is valid, as the assembler checks it. ppc32 (`-a32`, pre-ISA-2 dialect) has a
 * `y` hint bit and requires the `z` bits clear; ppc64 (ISA 2.x) has `at` hint bits, `at` = 01 reserved.
 *   pre-2.0: 0000y 0001y 001zy 0100y 0101y 011zy 1z00y 1z01y 1z1zz
 *   2.x:     0000z 0001z 001at 0100z 0101z 011at 1a00t 1a01t 1z1zz
 */
export function validBo(bo: number, mode: 32 | 64): boolean {
  if (bo < 0 || bo > 31) return false;
  const cls = bo & 0x14;
  if (cls === 0x14) return bo === BO_ALWAYS;
  if (mode === 32) return cls === 0x04 ? (bo & 2) === 0 : cls === 0x10 ? (bo & 8) === 0 : true;
  return cls === 0x04 ? (bo & 3) !== 1 : cls === 0x10 ? (bo & 9) !== 1 : (bo & 1) === 0;
}

/** The BO bits a +/- hint sets in ppc64 mode: `at` = 11 (+) or 10 (−) of the CR or CTR test; 0 if none. */
export function hintBits64(bo: number, hint: '+' | '-'): number {
  const cls = bo & 0x14;
  const mask = cls === 0x04 ? 0x3 : cls === 0x10 ? 0x9 : 0;
  return hint === '+' ? mask : mask & ~1;
}

/** objdump's spelling of a conditional branch, or undefined when BO (with this BI) is reserved. */
export function branchSpelling(form: BranchForm, bo: number, bi: number): { readonly stem: BranchStem; readonly hint: Hint } | undefined {
  const cell = BRANCH_SPELLINGS[form][bo];
  return cell && (bi === 0 ? cell.zero : cell.other);
}
