// The Power ISA instructions patchlab knows (ppc32 and ppc64 share them): fields as bit slices, operands, objdump's names.
//
// Everything else in src/isa/ppc/ is derived from this file and its companions: table-arith.ts (the
// add, subtract and multiply entries, spread in here), table-branch.ts (conditional-branch spellings by
// BO), table-rotate.ts (the rotate mnemonics) and table-spr.ts (special-purpose register names).

import { ARITH_TABLE } from './table-arith.js';

/**
 * A bit slice of the 32-bit instruction word, numbered from the least significant bit (the Power ISA
 * numbers from the other end: its bit b is our bit 31 − b).
 */
export interface FieldSpec {
  readonly lo: number;
  readonly width: number;
  /** The slice holds a two's-complement number. */
  readonly signed?: true;
  /** The slice holds value >> shift: the low bits are implied zero (branch and DS displacements). */
  readonly shift?: number;
  /** The two 5-bit halves are stored swapped (SPR numbers). */
  readonly swapHalves?: true;
  /** The value has one more bit than the slice: its top bit lies apart, at this bit (MD-form sh and mb). */
  readonly high?: number;
}

export const FIELDS = {
  opcd: { lo: 26, width: 6 }, // primary opcode
  rt: { lo: 21, width: 5 }, // target GPR
  rs: { lo: 21, width: 5 }, // source GPR
  bo: { lo: 21, width: 5 }, // branch options (table-branch.ts)
  to: { lo: 21, width: 5 }, // trap conditions
  bf: { lo: 23, width: 3 }, // CR field a compare sets
  l: { lo: 21, width: 1 }, // compare length: 0 word, 1 doubleword
  l2: { lo: 21, width: 2 }, // sync kind: 0 hwsync, 1 lwsync, 2 ptesync
  ra: { lo: 16, width: 5 },
  bi: { lo: 16, width: 5 }, // CR bit a branch tests
  rb: { lo: 11, width: 5 },
  bh: { lo: 11, width: 2 }, // branch hint of bclr/bcctr
  spr: { lo: 11, width: 10, swapHalves: true },
  si: { lo: 0, width: 16, signed: true },
  ui: { lo: 0, width: 16 },
  d: { lo: 0, width: 16, signed: true },
  ds: { lo: 2, width: 14, signed: true, shift: 2 },
  bd: { lo: 2, width: 14, signed: true, shift: 2 },
  li: { lo: 2, width: 24, signed: true, shift: 2 },
  lev: { lo: 5, width: 7 }, // sc level
  xo: { lo: 1, width: 10 }, // extended opcode of X, XL and XFX forms
  xo9: { lo: 1, width: 9 }, // extended opcode of the XO form
  oe: { lo: 10, width: 1 },
  dsxo: { lo: 0, width: 2 }, // extended opcode of the DS form
  aa: { lo: 1, width: 1 }, // absolute address
  lk: { lo: 0, width: 1 }, // link
  rc: { lo: 0, width: 1 }, // record (the `.` forms)
  scone: { lo: 1, width: 1 }, // always 1 in sc
  sh: { lo: 11, width: 5 }, // M form: rotate count
  mb: { lo: 6, width: 5 }, // M form: mask begin
  me: { lo: 1, width: 5 }, // M form: mask end
  sh6: { lo: 11, width: 5, high: 1 }, // MD form: rotate count, its top bit at bit 1
  mb6: { lo: 6, width: 5, high: 5 }, // MD form: mask begin, its top bit at bit 5
  me6: { lo: 6, width: 5, high: 5 }, // MD form: mask end (rldicr, rldcr), the same slice
  mdxo: { lo: 2, width: 3 }, // extended opcode of the MD form
  mdsxo: { lo: 1, width: 4 }, // extended opcode of the MDS form
  fxm: { lo: 12, width: 8 }, // CR fields mtcrf writes, cr0 first
  onecrf: { lo: 20, width: 1 }, // mfocrf/mtocrf (1) rather than mfcr/mtcrf (0)
  msrl: { lo: 16, width: 1 }, // mtmsr/mtmsrd L: 1 writes only EE and RI
} as const satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;

/**
 * How an operand is written and printed. A `?` kind is optional: GNU as lets it be left out (it is
 * then 0) and objdump leaves it out when it is 0, unless a later optional operand is printed.
 */
export type OperandKind =
  | 'gpr' // r0..r31
  | 'gpr0' // RA where 0 means the value 0, not r0: objdump prints `0`
  | 'crf' | 'crf?' // CR field cr0..cr7
  | 'crb' // CR bit 0..31: `4*cr7+eq`, `lt`
  | 'bo' | 'to' | 'l' // small numbers printed in decimal
  | 'bh?' | 'lev?' | 'l2?'
  | 'si' // signed 16-bit immediate
  | 'sihi' // addis/lis: signed 16 bits, but GNU as also takes 0x8000..0xffff
  | 'ui' // unsigned 16-bit immediate
  | 'uicmp' // cmpli: unsigned 16 bits, but GNU as also takes −0x8000..−1
  | 'mem' // d(ra): signed 16-bit displacement and base RA (0 means no base)
  | 'memds' // ds(ra): the same with a displacement that is a multiple of 4
  | 'rel' // branch target, pc-relative
  | 'abs' // branch target, absolute address
  | 'spr' // SPR number 0..1023
  | 'u5' | 'u6' // rotate counts and mask bounds 0..31, 0..63
  | 'n5' | 'n6' // field lengths of the rotate mnemonics, 0..32, 0..64 (GNU as takes the full width)
  | 'fxm' // mtcrf's field mask 0..255
  | 'l1?' // mtmsr/mtmsrd L
  | 'sineg'; // subi/subis: a constant −0x7fff..0x8000 stored negated

/** [kind, field] or, for a memory operand, [kind, displacement field, base field]. */
export type OperandSpec = readonly [OperandKind, FieldName] | readonly ['mem' | 'memds', FieldName, FieldName];

/** A condition on a decoded instruction: these fields have these values, and `same[0]` equals `same[1]`. */
export interface Condition {
  readonly when?: Partial<Readonly<Record<FieldName, number>>>;
  readonly same?: readonly [FieldName, FieldName];
}

/** Which assembler modes accept a mnemonic: both, only `-a64`, or none (objdump prints it, GNU as does not take it). */
export type AsmModes = 'both' | '64' | 'none';

/**
 * Another name for an entry. Where its condition holds, objdump prints it instead of the entry's own
 * name if `print` is set (the first such alias wins, in this order). The assembler accepts it per `asm`:
 * it sets the `when` fields, copies `same[1]` into `same[0]`, and reads `operands` in its own order.
 */
export interface AliasSpec extends Condition {
  readonly mnemonic: string;
  readonly operands: readonly OperandSpec[];
  readonly print: boolean;
  readonly asm: AsmModes;
  /** Text objdump prints as operand number `at` (the index of `mtsprg 0,r3`). */
  readonly literal?: { readonly at: number; readonly text: string };
}

export interface EntrySpec {
  /** Values of fixed slices. Every bit outside the operand fields is fixed: to 0 where not listed here. */
  readonly fixed: Partial<Readonly<Record<FieldName, number>>>;
  /** The operands in the order GNU as and objdump write them. */
  readonly operands: readonly OperandSpec[];
  readonly aliases?: readonly AliasSpec[];
  /** GNU as takes the mnemonic only with -a64 (objdump decodes it in both modes). */
  readonly only64?: true;
  /** Power ISA's patch class (MODEL.md §3): b, ba, bl, bla, and the preferred no-op. */
  readonly patchClass?: true;
  /** Conditional branches: spelled by BO through table-branch.ts, as a B-form, or via LR, or via CTR. */
  readonly branch?: 'b' | 'lr' | 'ctr';
  /**
   * Update forms: RA must not be 0, nor (for a load) RT. GNU as rejects those; objdump shows them as
   * `.long` unless an alias names them (POWER's `lu`, `stu`).
   */
  readonly update?: 'load' | 'store';
  /** Field values that are reserved: objdump shows the word as `.long`. */
  readonly invalid?: readonly Condition[];
  /**
   * Reserved bits that objdump decodes whatever they hold ([lo, width] slices). The encoder writes
   * them 0; the decoder ignores them, so such a word decodes to what it would be with them clear.
   */
  readonly ignored?: readonly (readonly [lo: number, width: number])[];
}

const LOGIC3 = [['gpr', 'ra'], ['gpr', 'rs'], ['gpr', 'rb']] as const;
const LOGIC_IMM = [['gpr', 'ra'], ['gpr', 'rs'], ['ui', 'ui']] as const;
const LOAD = [['gpr', 'rt'], ['mem', 'd', 'ra']] as const;
const STORE = [['gpr', 'rs'], ['mem', 'd', 'ra']] as const;
const BC = [['bo', 'bo'], ['crb', 'bi'], ['rel', 'bd']] as const;
const BCA = [['bo', 'bo'], ['crb', 'bi'], ['abs', 'bd']] as const;
const BCREG = [['bo', 'bo'], ['crb', 'bi'], ['bh?', 'bh']] as const;
/** FXM values that name other than exactly one CR field: invalid for mfocrf/mtocrf (objdump: `.long`). */
const NOT_ONE_FIELD: readonly Condition[] = Array.from({ length: 256 }, (_, fxm) => fxm)
  .filter((fxm) => (fxm & (fxm - 1)) !== 0 || fxm === 0).map((fxm) => ({ when: { fxm } }));
const ROTW = [['gpr', 'ra'], ['gpr', 'rs'], ['u5', 'sh'], ['u5', 'mb'], ['u5', 'me']] as const;
const ROTD = <M extends 'mb6' | 'me6'>(mask: M) => [['gpr', 'ra'], ['gpr', 'rs'], ['u6', 'sh6'], ['u6', mask]] as const;

/** `mr ra,rs` is `or ra,rs,rs`. */
const mr = (mnemonic: string) =>
  ({ mnemonic, same: ['rb', 'rs'], operands: [['gpr', 'ra'], ['gpr', 'rs']], print: true, asm: 'both' }) as const;
/**
 * `or N,N,N` hints objdump names in both modes (GNU as takes the names with -a64 only): thread priority
 * (`mdoom` is 30, the "medium" of the issue), and `yield`. Other `or N,N,N` print as `mr`.
 */
const orHint = (mnemonic: string, r: number) =>
  ({ mnemonic, when: { ra: r, rs: r, rb: r }, operands: [], print: true, asm: '64' }) as const;
/** cmpwi/cmpdi and friends: `cmp` with L fixed and the CR field optional. */
const compare = (mnemonic: string, l: number, last: OperandSpec) =>
  ({ mnemonic, when: { l }, operands: [['crf?', 'bf'], ['gpr', 'ra'], last], print: true, asm: l ? '64' : 'both' }) as const;

export const PPC_TABLE = {
  // --- I-form branches: the patch class
  b: { fixed: { opcd: 18, aa: 0, lk: 0 }, operands: [['rel', 'li']], patchClass: true },
  ba: { fixed: { opcd: 18, aa: 1, lk: 0 }, operands: [['abs', 'li']], patchClass: true },
  bl: { fixed: { opcd: 18, aa: 0, lk: 1 }, operands: [['rel', 'li']], patchClass: true },
  bla: { fixed: { opcd: 18, aa: 1, lk: 1 }, operands: [['abs', 'li']], patchClass: true },
  // --- conditional branches (extended mnemonics: table-branch.ts)
  bc: { fixed: { opcd: 16, aa: 0, lk: 0 }, operands: BC, branch: 'b' },
  bca: { fixed: { opcd: 16, aa: 1, lk: 0 }, operands: BCA, branch: 'b' },
  bcl: { fixed: { opcd: 16, aa: 0, lk: 1 }, operands: BC, branch: 'b' },
  bcla: { fixed: { opcd: 16, aa: 1, lk: 1 }, operands: BCA, branch: 'b' },
  bclr: { fixed: { opcd: 19, xo: 16, lk: 0 }, operands: BCREG, branch: 'lr' },
  bclrl: { fixed: { opcd: 19, xo: 16, lk: 1 }, operands: BCREG, branch: 'lr' },
  bcctr: { fixed: { opcd: 19, xo: 528, lk: 0 }, operands: BCREG, branch: 'ctr' },
  bcctrl: { fixed: { opcd: 19, xo: 528, lk: 1 }, operands: BCREG, branch: 'ctr' },
  // --- immediates
  addi: {
    fixed: { opcd: 14 }, operands: [['gpr', 'rt'], ['gpr0', 'ra'], ['si', 'si']],
    aliases: [
      { mnemonic: 'li', when: { ra: 0 }, operands: [['gpr', 'rt'], ['si', 'si']], print: true, asm: 'both' },
      // objdump prints `addi r3,r4,-5` for `subi 3,4,5`.
      { mnemonic: 'subi', operands: [['gpr', 'rt'], ['gpr0', 'ra'], ['sineg', 'si']], print: false, asm: 'both' },
    ],
  },
  addis: {
    fixed: { opcd: 15 }, operands: [['gpr', 'rt'], ['gpr0', 'ra'], ['sihi', 'si']],
    aliases: [
      { mnemonic: 'lis', when: { ra: 0 }, operands: [['gpr', 'rt'], ['sihi', 'si']], print: true, asm: 'both' },
      { mnemonic: 'subis', operands: [['gpr', 'rt'], ['gpr0', 'ra'], ['sineg', 'si']], print: false, asm: 'both' },
    ],
  },
  // The preferred no-op is `ori 0,0,0` and only that word: it decodes as `nop`, never as `ori`.
  nop: { fixed: { opcd: 24 }, operands: [], patchClass: true },
  ori: {
    fixed: { opcd: 24 }, operands: LOGIC_IMM,
    // objdump's name for `ori 31,31,0` (a POWER server hint); GNU as does not take it by default.
    aliases: [{ mnemonic: 'exser', when: { ra: 31, rs: 31, ui: 0 }, operands: [], print: true, asm: 'none' }],
  },
  oris: { fixed: { opcd: 25 }, operands: LOGIC_IMM },
  xori: {
    fixed: { opcd: 26 }, operands: LOGIC_IMM,
    aliases: [{ mnemonic: 'xnop', when: { ra: 0, rs: 0, ui: 0 }, operands: [], print: true, asm: 'both' }],
  },
  xoris: { fixed: { opcd: 27 }, operands: LOGIC_IMM },
  'andi.': { fixed: { opcd: 28 }, operands: LOGIC_IMM },
  'andis.': { fixed: { opcd: 29 }, operands: LOGIC_IMM },
  // --- register arithmetic and logic
  or: {
    fixed: { opcd: 31, xo: 444, rc: 0 }, operands: LOGIC3,
    aliases: [orHint('miso', 26), orHint('yield', 27), orHint('mdoio', 29), orHint('mdoom', 30), mr('mr')],
  },
  'or.': { fixed: { opcd: 31, xo: 444, rc: 1 }, operands: LOGIC3, aliases: [mr('mr.')] },
  // --- rotate and mask (the extended mnemonics, slwi, srdi…: table-rotate.ts)
  rlwinm: { fixed: { opcd: 21, rc: 0 }, operands: ROTW },
  'rlwinm.': { fixed: { opcd: 21, rc: 1 }, operands: ROTW },
  rlwimi: { fixed: { opcd: 20, rc: 0 }, operands: ROTW },
  'rlwimi.': { fixed: { opcd: 20, rc: 1 }, operands: ROTW },
  rlwnm: { fixed: { opcd: 23, rc: 0 }, operands: [['gpr', 'ra'], ['gpr', 'rs'], ['gpr', 'rb'], ['u5', 'mb'], ['u5', 'me']] },
  'rlwnm.': { fixed: { opcd: 23, rc: 1 }, operands: [['gpr', 'ra'], ['gpr', 'rs'], ['gpr', 'rb'], ['u5', 'mb'], ['u5', 'me']] },
  rldicl: { fixed: { opcd: 30, mdxo: 0, rc: 0 }, operands: ROTD('mb6'), only64: true },
  'rldicl.': { fixed: { opcd: 30, mdxo: 0, rc: 1 }, operands: ROTD('mb6'), only64: true },
  rldicr: { fixed: { opcd: 30, mdxo: 1, rc: 0 }, operands: ROTD('me6'), only64: true },
  'rldicr.': { fixed: { opcd: 30, mdxo: 1, rc: 1 }, operands: ROTD('me6'), only64: true },
  rldic: { fixed: { opcd: 30, mdxo: 2, rc: 0 }, operands: ROTD('mb6'), only64: true },
  'rldic.': { fixed: { opcd: 30, mdxo: 2, rc: 1 }, operands: ROTD('mb6'), only64: true },
  rldimi: { fixed: { opcd: 30, mdxo: 3, rc: 0 }, operands: ROTD('mb6'), only64: true },
  'rldimi.': { fixed: { opcd: 30, mdxo: 3, rc: 1 }, operands: ROTD('mb6'), only64: true },
  rldcl: { fixed: { opcd: 30, mdsxo: 8, rc: 0 }, operands: [['gpr', 'ra'], ['gpr', 'rs'], ['gpr', 'rb'], ['u6', 'mb6']], only64: true },
  'rldcl.': { fixed: { opcd: 30, mdsxo: 8, rc: 1 }, operands: [['gpr', 'ra'], ['gpr', 'rs'], ['gpr', 'rb'], ['u6', 'mb6']], only64: true },
  rldcr: { fixed: { opcd: 30, mdsxo: 9, rc: 0 }, operands: [['gpr', 'ra'], ['gpr', 'rs'], ['gpr', 'rb'], ['u6', 'me6']], only64: true },
  'rldcr.': { fixed: { opcd: 30, mdsxo: 9, rc: 1 }, operands: [['gpr', 'ra'], ['gpr', 'rs'], ['gpr', 'rb'], ['u6', 'me6']], only64: true },
  // --- add, subtract, negate, multiply and their carrying, extended and overflow forms: table-arith.ts
  ...ARITH_TABLE,
  // --- compares
  cmpi: {
    fixed: { opcd: 11 }, ignored: [[22, 1]], operands: [['crf', 'bf'], ['l', 'l'], ['gpr', 'ra'], ['si', 'si']],
    aliases: [compare('cmpwi', 0, ['si', 'si']), compare('cmpdi', 1, ['si', 'si'])],
  },
  cmpli: {
    fixed: { opcd: 10 }, ignored: [[22, 1]], operands: [['crf', 'bf'], ['l', 'l'], ['gpr', 'ra'], ['uicmp', 'ui']],
    aliases: [compare('cmplwi', 0, ['uicmp', 'ui']), compare('cmpldi', 1, ['uicmp', 'ui'])],
  },
  cmp: {
    fixed: { opcd: 31, xo: 0 }, operands: [['crf', 'bf'], ['l', 'l'], ['gpr', 'ra'], ['gpr', 'rb']],
    aliases: [compare('cmpw', 0, ['gpr', 'rb']), compare('cmpd', 1, ['gpr', 'rb'])],
  },
  cmpl: {
    fixed: { opcd: 31, xo: 32 }, operands: [['crf', 'bf'], ['l', 'l'], ['gpr', 'ra'], ['gpr', 'rb']],
    aliases: [compare('cmplw', 0, ['gpr', 'rb']), compare('cmpld', 1, ['gpr', 'rb'])],
  },
  // --- loads and stores (D form)
  lwz: { fixed: { opcd: 32 }, operands: LOAD },
  lwzu: {
    fixed: { opcd: 33 }, operands: LOAD, update: 'load',
    aliases: [
      { mnemonic: 'lu', when: { ra: 0 }, operands: LOAD, print: true, asm: 'none' },
      { mnemonic: 'lu', same: ['ra', 'rt'], operands: LOAD, print: true, asm: 'none' },
    ],
  },
  lbz: { fixed: { opcd: 34 }, operands: LOAD },
  lbzu: { fixed: { opcd: 35 }, operands: LOAD, update: 'load' },
  stw: { fixed: { opcd: 36 }, operands: STORE },
  stwu: {
    fixed: { opcd: 37 }, operands: STORE, update: 'store',
    aliases: [{ mnemonic: 'stu', when: { ra: 0 }, operands: STORE, print: true, asm: 'none' }],
  },
  stb: { fixed: { opcd: 38 }, operands: STORE },
  stbu: { fixed: { opcd: 39 }, operands: STORE, update: 'store' },
  lhz: { fixed: { opcd: 40 }, operands: LOAD },
  lhzu: { fixed: { opcd: 41 }, operands: LOAD, update: 'load' },
  lha: { fixed: { opcd: 42 }, operands: LOAD },
  lhau: { fixed: { opcd: 43 }, operands: LOAD, update: 'load' },
  sth: { fixed: { opcd: 44 }, operands: STORE },
  sthu: { fixed: { opcd: 45 }, operands: STORE, update: 'store' },
  // --- 64-bit loads and stores (DS form)
  ld: { fixed: { opcd: 58, dsxo: 0 }, operands: [['gpr', 'rt'], ['memds', 'ds', 'ra']], only64: true },
  ldu: { fixed: { opcd: 58, dsxo: 1 }, operands: [['gpr', 'rt'], ['memds', 'ds', 'ra']], only64: true, update: 'load' },
  lwa: { fixed: { opcd: 58, dsxo: 2 }, operands: [['gpr', 'rt'], ['memds', 'ds', 'ra']], only64: true },
  std: { fixed: { opcd: 62, dsxo: 0 }, operands: [['gpr', 'rs'], ['memds', 'ds', 'ra']], only64: true },
  stdu: { fixed: { opcd: 62, dsxo: 1 }, operands: [['gpr', 'rs'], ['memds', 'ds', 'ra']], only64: true, update: 'store' },
  // --- special-purpose registers (names: table-spr.ts)
  mtspr: { fixed: { opcd: 31, xo: 467 }, operands: [['spr', 'spr'], ['gpr', 'rs']] },
  mfspr: { fixed: { opcd: 31, xo: 339 }, operands: [['gpr', 'rt'], ['spr', 'spr']] },
  // --- the condition register and the machine state register
  mfcr: { fixed: { opcd: 31, xo: 19, onecrf: 0 }, operands: [['gpr', 'rt']] },
  mtcrf: {
    fixed: { opcd: 31, xo: 144, onecrf: 0 }, operands: [['fxm', 'fxm'], ['gpr', 'rs']],
    aliases: [{ mnemonic: 'mtcr', when: { fxm: 0xff }, operands: [['gpr', 'rs']], print: true, asm: 'both' }],
  },
  // One field only (FXM one-hot). GNU as -a64 writes `mtcrf` of one field as mtocrf.
  mfocrf: { fixed: { opcd: 31, xo: 19, onecrf: 1 }, operands: [['gpr', 'rt'], ['fxm', 'fxm']], invalid: NOT_ONE_FIELD },
  mtocrf: { fixed: { opcd: 31, xo: 144, onecrf: 1 }, operands: [['fxm', 'fxm'], ['gpr', 'rs']], invalid: NOT_ONE_FIELD },
  mfmsr: { fixed: { opcd: 31, xo: 83 }, operands: [['gpr', 'rt']] },
  mtmsr: { fixed: { opcd: 31, xo: 146 }, operands: [['gpr', 'rs'], ['l1?', 'msrl']] },
  mtmsrd: { fixed: { opcd: 31, xo: 178 }, operands: [['gpr', 'rs'], ['l1?', 'msrl']], only64: true },
  // --- barriers and cache maintenance: what patch_instruction runs
  sync: {
    fixed: { opcd: 31, xo: 598 }, operands: [['l2?', 'l2']], invalid: [{ when: { l2: 3 } }],
    aliases: [
      { mnemonic: 'hwsync', when: { l2: 0 }, operands: [], print: true, asm: '64' },
      { mnemonic: 'lwsync', when: { l2: 1 }, operands: [], print: true, asm: 'both' },
      { mnemonic: 'ptesync', when: { l2: 2 }, operands: [], print: true, asm: '64' },
    ],
  },
  isync: { fixed: { opcd: 19, xo: 150 }, operands: [] },
  icbi: { fixed: { opcd: 31, xo: 982 }, operands: [['gpr0', 'ra'], ['gpr', 'rb']] },
  dcbst: { fixed: { opcd: 31, xo: 54 }, operands: [['gpr0', 'ra'], ['gpr', 'rb']] },
  dcbf: { fixed: { opcd: 31, xo: 86 }, operands: [['gpr0', 'ra'], ['gpr', 'rb']] },
  // --- traps (condition names: TRAP_CONDITIONS below) and system call
  tw: {
    fixed: { opcd: 31, xo: 4 }, operands: [['to', 'to'], ['gpr', 'ra'], ['gpr', 'rb']],
    aliases: [{ mnemonic: 'trap', when: { to: 31, ra: 0, rb: 0 }, operands: [], print: true, asm: 'both' }],
  },
  twi: { fixed: { opcd: 3 }, operands: [['to', 'to'], ['gpr', 'ra'], ['si', 'si']] },
  td: { fixed: { opcd: 31, xo: 68 }, operands: [['to', 'to'], ['gpr', 'ra'], ['gpr', 'rb']], only64: true },
  tdi: { fixed: { opcd: 2 }, operands: [['to', 'to'], ['gpr', 'ra'], ['si', 'si']], only64: true },
  sc: { fixed: { opcd: 17, scone: 1 }, operands: [['lev?', 'lev']], ignored: [[2, 3], [12, 4]] },
} as const satisfies Record<string, EntrySpec>;

export type PpcOp = keyof typeof PPC_TABLE;

type OperandsOf<K extends PpcOp> = (typeof PPC_TABLE)[K]['operands'][number];
type FieldsOf<K extends PpcOp> = OperandsOf<K> extends infer O
  ? O extends readonly [OperandKind, infer F, ...infer Rest] ? F | Rest[number] : never
  : never;

/**
 * A decoded instruction: the table entry and the value of each operand field, in the units the
 * field means (signed immediates signed, displacements in bytes, SPR numbers unswapped). A branch
 * displacement is relative to the instruction for `b`/`bc`/`bcl`/`bl`, an address for the `a` forms.
 */
export type PpcInsn = { [K in PpcOp]: { readonly op: K } & { readonly [F in FieldsOf<K> & FieldName]: number } }[PpcOp];

/**
 * The trap conditions by TO value, as objdump names them (`tweq`, `twnei`…), then the extra
 * spellings GNU as accepts. TO bits: 16 lt, 8 gt, 4 eq, 2 unsigned lt, 1 unsigned gt.
 */
export const TRAP_CONDITIONS: readonly (readonly [to: number, name: string, print: boolean])[] = [
  [16, 'lt', true], [20, 'le', true], [4, 'eq', true], [12, 'ge', true], [8, 'gt', true], [24, 'ne', true],
  [2, 'llt', true], [6, 'lle', true], [5, 'lge', true], [1, 'lgt', true], [31, 'u', true],
  [12, 'nl', false], [20, 'ng', false], [5, 'lnl', false], [6, 'lng', false],
];

/** Aliases the assembler and printer also know, derived from TRAP_CONDITIONS: `tweq ra,rb`, `twnei ra,si`, `tdnei`. */
export function trapAliases(op: 'tw' | 'twi' | 'td' | 'tdi'): AliasSpec[] {
  const last: OperandSpec = op === 'tw' || op === 'td' ? ['gpr', 'rb'] : ['si', 'si'];
  const [stem, imm] = [op.slice(0, 2), op.endsWith('i') ? 'i' : ''];
  return TRAP_CONDITIONS.map(([to, name, print]) => ({
    mnemonic: `${stem}${name}${imm}`, when: { to }, operands: [['gpr', 'ra'], last], print, asm: stem === 'td' ? '64' : 'both',
  }));
}
