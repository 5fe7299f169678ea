// The words of arm64 assembly that the table's fields stand for: conditions, barriers, hints, shifts, operand slots.

/**
 * Condition codes by encoding. `name` is objdump's spelling; `also` are the other names GNU as
 * accepts (`b.hs`, the SVE names), which objdump lists in its `// b.hs, b.nlast` comment;
 * `legacy` marks the ones GNU as also accepts glued to the mnemonic (`beq`, `bhs`).
 */
export const CONDITIONS = [
  { name: 'eq', also: ['none'], legacy: ['eq'] },
  { name: 'ne', also: ['any'], legacy: ['ne'] },
  { name: 'cs', also: ['hs', 'nlast'], legacy: ['cs', 'hs'] },
  { name: 'cc', also: ['lo', 'ul', 'last'], legacy: ['cc', 'lo'] },
  { name: 'mi', also: ['first'], legacy: ['mi'] },
  { name: 'pl', also: ['nfrst'], legacy: ['pl'] },
  { name: 'vs', also: [], legacy: ['vs'] },
  { name: 'vc', also: [], legacy: ['vc'] },
  { name: 'hi', also: ['pmore'], legacy: ['hi'] },
  { name: 'ls', also: ['plast'], legacy: ['ls'] },
  { name: 'ge', also: ['tcont'], legacy: ['ge'] },
  { name: 'lt', also: ['tstop'], legacy: ['lt'] },
  { name: 'gt', also: [], legacy: ['gt'] },
  { name: 'le', also: [], legacy: ['le'] },
  { name: 'al', also: [], legacy: [] },
  { name: 'nv', also: [], legacy: [] },
] as const;

/** dsb/dmb options by CRm; the unnamed ones print as `#0x04`. */
export const BARRIER_OPTIONS: readonly (string | undefined)[] = Object.freeze([
  undefined, 'oshld', 'oshst', 'osh', undefined, 'nshld', 'nshst', 'nsh',
  undefined, 'ishld', 'ishst', 'ish', undefined, 'ld', 'st', 'sy',
]);

/** bti's targets field. */
export const BTI_TARGETS = ['', 'c', 'j', 'jc'] as const;

/**
 * `hint #n` that objdump prints by name (and GNU as accepts by that name). A name with a space
 * carries a fixed operand. `gnuOnly` names are accepted by GNU as but printed as `hint`.
 */
export const HINT_NAMES: readonly (readonly [number, string, ('gnuOnly' | undefined)?])[] = Object.freeze([
  [1, 'yield'], [2, 'wfe'], [3, 'wfi'], [4, 'sev'], [5, 'sevl'], [6, 'dgh', 'gnuOnly'], [7, 'xpaclri'],
  [8, 'pacia1716'], [10, 'pacib1716'], [12, 'autia1716'], [14, 'autib1716'],
  [16, 'esb'], [17, 'psb csync'], [18, 'tsb csync'], [20, 'csdb'], [22, 'clearbhb'],
  [24, 'paciaz'], [25, 'paciasp'], [26, 'pacibz'], [27, 'pacibsp'],
  [28, 'autiaz'], [29, 'autiasp'], [30, 'autibz'], [31, 'autibsp'],
]);

/**
 * The system registers patchlab names, by their `sysreg` field (o0:op1:CRn:CRm:op2, op0 = 2 + o0), as
 * objdump prints them and GNU as reads them: those the kernel's entry, patching and cache code, and the
 * herd7 catalogue, move. objdump names many more; any other prints as `s3_3_c15_c15_7`, which GNU as also takes.
 */
export const SYSTEM_REGISTERS: readonly (readonly [op0: number, op1: number, crn: number, crm: number, op2: number, name: string])[] = Object.freeze([
  [3, 0, 0, 0, 0, 'midr_el1'], [3, 0, 0, 0, 5, 'mpidr_el1'], [3, 0, 1, 0, 0, 'sctlr_el1'], [3, 0, 2, 0, 0, 'ttbr0_el1'],
  [3, 0, 2, 0, 1, 'ttbr1_el1'], [3, 0, 4, 0, 0, 'spsr_el1'], [3, 0, 4, 0, 1, 'elr_el1'], [3, 0, 4, 1, 0, 'sp_el0'],
  [3, 0, 4, 2, 0, 'spsel'], [3, 0, 4, 2, 2, 'currentel'],
  [3, 0, 5, 2, 0, 'esr_el1'], [3, 0, 6, 0, 0, 'far_el1'], [3, 0, 12, 0, 0, 'vbar_el1'], [3, 0, 13, 0, 1, 'contextidr_el1'],
  [3, 0, 13, 0, 4, 'tpidr_el1'], [3, 3, 0, 0, 1, 'ctr_el0'], [3, 3, 0, 0, 7, 'dczid_el0'], [3, 3, 4, 2, 0, 'nzcv'],
  [3, 3, 4, 2, 1, 'daif'], [3, 3, 4, 4, 0, 'fpcr'], [3, 3, 4, 4, 1, 'fpsr'], [3, 3, 13, 0, 2, 'tpidr_el0'],
  [3, 3, 13, 0, 3, 'tpidrro_el0'], [3, 3, 14, 0, 0, 'cntfrq_el0'], [3, 3, 14, 0, 1, 'cntpct_el0'], [3, 3, 14, 0, 2, 'cntvct_el0'],
  [3, 4, 4, 0, 1, 'elr_el2'], [3, 4, 13, 0, 2, 'tpidr_el2'], [2, 0, 0, 2, 2, 'mdscr_el1'],
]);

/** The `sysreg` field of op0, op1, CRn, CRm, op2. */
export function sysregField(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return ((op0 - 2) << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

/** Names by `sysreg` field, and back. */
export const SYSREG_NAMES: ReadonlyMap<number, string> = new Map(SYSTEM_REGISTERS.map(([o0, o1, n, m, o2, name]) => [sysregField(o0, o1, n, m, o2), name]));
export const SYSREG_BY_NAME: ReadonlyMap<string, number> = new Map([...SYSREG_NAMES].map(([v, name]) => [name, v]));

/** Field `shift` of shifted-register forms. */
export const SHIFTS = ['lsl', 'lsr', 'asr', 'ror'] as const;

/** Field `option` of extended-register and register-offset forms. */
export const EXTENDS = ['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx'] as const;

/** Other names GNU as accepts for X registers. */
export const REGISTER_ALIASES: Readonly<Record<string, number>> = Object.freeze({ ip0: 16, ip1: 17, fp: 29, lr: 30 });

/**
 * What a register slot accepts and prints. `width`: 'entry' follows the entry's width (sf or
 * fixed); 'x' and 'w' are fixed (sxtb x0, w1); 'bit' is X when the tested bit is 32 or more (tbz); 'ext' and 'ldst'
 * follow the extend option (X for uxtx/sxtx/lsl).
 */
export interface RegisterSlot {
  readonly kind: 'reg';
  readonly field: 'rd' | 'rn' | 'rm' | 'rt' | 'rt2' | 'rs';
  /** 31 means SP (else the zero register). */
  readonly sp: boolean;
  readonly width: 'entry' | 'x' | 'w' | 'bit' | 'ext' | 'ldst';
}

export type SlotSpec =
  | RegisterSlot
  /** An unsigned immediate field, printed in hex (`#0x10`) or decimal (`#3`). */
  | { readonly kind: 'imm'; readonly field: 'imm16' | 'imm12' | 'imm' | 'bit' | 'imm6' | 'crm' | 'immr' | 'imms'; readonly hex: boolean }
  /**
   * Bitfield moves' immr:imms seen as what their aliases say: the `lsl` amount, the `lsr`/`asr`
   * amount, or the lsb and width of a field inserted (bfi, ubfiz) or extracted (ubfx, bfxil).
   */
  | { readonly kind: 'bitfield'; readonly role: 'lsl' | 'lsr' | 'ins-lsb' | 'ins-width' | 'ext-lsb' | 'ext-width' }
  /** A pc-relative target, printed as an absolute address in hex without `0x`. */
  | { readonly kind: 'label' }
  /** adrp's 4 KiB page. */
  | { readonly kind: 'page' }
  /** `lsl #<n>` amount of add/sub immediates (sh * 12) and wide moves (hw * 16). */
  | { readonly kind: 'lsl'; readonly field: 'sh' | 'hw'; readonly unit: 12 | 16 }
  | { readonly kind: 'shift'; readonly ror: boolean }
  /** option and imm3 of extended-register add/sub (`uxtw #2`, or `lsl #2` beside SP). */
  | { readonly kind: 'extend' }
  /** option and s of register-offset loads/stores (`lsl #3`, `sxtw`). */
  | { readonly kind: 'ldst-extend' }
  /** N:immr:imms as the value they stand for. */
  | { readonly kind: 'bitmask' }
  /** `mov`'s value for movz (imm16 << 16*hw) or movn (its complement). */
  | { readonly kind: 'wide'; readonly inverted: boolean }
  /** A memory offset field in bytes: scaled by the access size or not. */
  | { readonly kind: 'offset'; readonly field: 'imm12' | 'imm9' | 'imm7'; readonly scaled: boolean }
  | { readonly kind: 'barrier' }
  /** A condition as an operand (csel); `inverted`: the aliases' condition, whose inverse the field holds (cset). */
  | { readonly kind: 'cond'; readonly inverted: boolean }
  /** mrs/msr: a register of SYSTEM_REGISTERS by name, any other as `s<op0>_<op1>_c<CRn>_c<CRm>_<op2>`. */
  | { readonly kind: 'sysreg' }
  /** The `#0` offset GNU as takes in the exclusives' address (no field: nothing else fits). */
  | { readonly kind: 'zero' }
  | { readonly kind: 'isb-option' }
  | { readonly kind: 'targets' };

export const SLOTS = {
  Rd: { kind: 'reg', field: 'rd', sp: false, width: 'entry' },
  'Rd|SP': { kind: 'reg', field: 'rd', sp: true, width: 'entry' },
  Rn: { kind: 'reg', field: 'rn', sp: false, width: 'entry' },
  'Rn|SP': { kind: 'reg', field: 'rn', sp: true, width: 'entry' },
  Rm: { kind: 'reg', field: 'rm', sp: false, width: 'entry' },
  Rt: { kind: 'reg', field: 'rt', sp: false, width: 'entry' },
  Rt2: { kind: 'reg', field: 'rt2', sp: false, width: 'entry' },
  'Xn|SP': { kind: 'reg', field: 'rn', sp: true, width: 'x' },
  Xn: { kind: 'reg', field: 'rn', sp: false, width: 'x' },
  Xt: { kind: 'reg', field: 'rt', sp: false, width: 'x' },
  Wn: { kind: 'reg', field: 'rn', sp: false, width: 'w' },
  Ws: { kind: 'reg', field: 'rs', sp: false, width: 'w' },
  'Rt|bit': { kind: 'reg', field: 'rt', sp: false, width: 'bit' },
  'Rm|ext': { kind: 'reg', field: 'rm', sp: false, width: 'ext' },
  'Rm|ldst': { kind: 'reg', field: 'rm', sp: false, width: 'ldst' },
  label: { kind: 'label' },
  page: { kind: 'page' },
  imm16: { kind: 'imm', field: 'imm16', hex: true },
  'imm16|dec': { kind: 'imm', field: 'imm16', hex: false },
  imm12: { kind: 'imm', field: 'imm12', hex: true },
  imm: { kind: 'imm', field: 'imm', hex: true },
  bit: { kind: 'imm', field: 'bit', hex: false },
  imm6: { kind: 'imm', field: 'imm6', hex: false },
  crm: { kind: 'imm', field: 'crm', hex: true },
  immr: { kind: 'imm', field: 'immr', hex: false },
  imms: { kind: 'imm', field: 'imms', hex: false },
  'lsl-amount': { kind: 'bitfield', role: 'lsl' },
  'lsr-amount': { kind: 'bitfield', role: 'lsr' },
  'ins-lsb': { kind: 'bitfield', role: 'ins-lsb' },
  'ins-width': { kind: 'bitfield', role: 'ins-width' },
  'ext-lsb': { kind: 'bitfield', role: 'ext-lsb' },
  'ext-width': { kind: 'bitfield', role: 'ext-width' },
  sh12: { kind: 'lsl', field: 'sh', unit: 12 },
  hw16: { kind: 'lsl', field: 'hw', unit: 16 },
  shift: { kind: 'shift', ror: false },
  'shift|ror': { kind: 'shift', ror: true },
  extend: { kind: 'extend' },
  'ldst-extend': { kind: 'ldst-extend' },
  bitmask: { kind: 'bitmask' },
  wide: { kind: 'wide', inverted: false },
  'wide-inverted': { kind: 'wide', inverted: true },
  pimm: { kind: 'offset', field: 'imm12', scaled: true },
  simm9: { kind: 'offset', field: 'imm9', scaled: false },
  simm7: { kind: 'offset', field: 'imm7', scaled: true },
  barrier: { kind: 'barrier' },
  cond: { kind: 'cond', inverted: false },
  'cond-inv': { kind: 'cond', inverted: true },
  sysreg: { kind: 'sysreg' },
  zero: { kind: 'zero' },
  'isb-option': { kind: 'isb-option' },
  targets: { kind: 'targets' },
} as const satisfies Readonly<Record<string, SlotSpec>>;

export type SlotName = keyof typeof SLOTS;
