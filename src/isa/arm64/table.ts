// The arm64 instruction table: every form patchlab knows, written once; encoder, decoder, parser and printer derive from it.
//
// Legend of an entry (see FormSpec): `layout` gives bits 31..0 as fixed bits and named fields, `syntax`
// gives the operands exactly as objdump prints them, with `<placeholders>` (vocabulary in
// table-names.ts) and `{optional groups}` that objdump leaves out when their fields hold their
// default. `aliases` are the spellings objdump prefers, tried in order, each with its condition.

import { HINT_NAMES } from './table-names.js';

/** Register width of an entry's `<Rd>`-style operands: from the `sf` field, or fixed. */
export type RegisterWidth = 'sf' | 'w' | 'x';

/** Names of the tests an alias condition can use beyond field equalities (implemented in table-layout.ts). */
export type AliasTest =
  /** `mov` to or from SP: Rd or Rn is 31 (add #0). */
  | 'spMove'
  /** objdump's `mov` for movz: not (imm16 = 0 and hw != 0). */
  | 'movzMov'
  /** objdump's `mov` for movn: as movz, and not a 32-bit movn of 0xffff. */
  | 'movnMov'
  /** objdump's `mov` for orr #imm from the zero register: always to SP, else unless movz or movn could write the value. */
  | 'orrMov'
  /** Bitfield moves: `lsl` (imms + 1 = immr, imms not the top bit). */
  | 'lsl'
  /** Bitfield moves: `lsr`/`asr` (imms is the top bit). */
  | 'shiftRight'
  /** Bitfield moves: a field inserted at a left shift (imms < immr): ubfiz, sbfiz, bfi, bfc. */
  | 'insert'
  /** Bitfield moves: a field extracted (imms >= immr): bfxil. */
  | 'extract'
  /** BFXPreferred of the Arm ARM for ubfx/sbfx: an extraction that no shorter alias says. */
  | 'bfxUnsigned'
  | 'bfxSigned'
  /** Conditional selects' cset, cinc …: the condition is not al or nv (its inverse would be the same condition). */
  | 'invertible';

export interface AliasSpec {
  readonly mnemonic: string;
  readonly syntax: string;
  /** Fields that must hold these values (and that the alias sets when it is assembled). */
  readonly when?: Readonly<Record<string, number>>;
  /** Fields that must equal another (cinc: Rm = Rn): copied when the alias is assembled, checked when printing. */
  readonly sameAs?: Readonly<Record<string, string>>;
  /** objdump's further condition for printing the alias; GNU as assembles the alias whatever it says … */
  readonly test?: AliasTest;
  /** … unless this is set: then GNU as too takes the alias only when the test holds (`mov x0, x1` is no add). */
  readonly testBindsGnu?: true;
  /** objdump adds `// #<value>` in decimal after the immediate. */
  readonly valueComment?: true;
  /** GNU as accepts this spelling but objdump never prints it. */
  readonly gnuOnly?: true;
}

export interface FormSpec {
  /** objdump's mnemonic; `b.<cond>` takes the condition from field `cond`. */
  readonly mnemonic: string;
  /**
   * Bits 31 down to 0, space separated: runs of `0`/`1` are fixed bits; `name:width` is a field;
   * `name:width@lo` is bits lo.. of a field split over the word (adr's immlo:immhi).
   */
  readonly layout: string;
  /** Operands as objdump prints them (see the header comment). */
  readonly syntax: string;
  /** Width of `<Rd>` `<Rn>` `<Rm>` `<Rt>` `<Rt2>`; default 'sf'. */
  readonly width?: RegisterWidth;
  /** Bytes a load/store moves: scales its offset and picks its LDSTn relocation ('sf': 4 or 8). */
  readonly access?: 1 | 2 | 4 | 8 | 'sf';
  /** Values of fields whose optional group is left out (others default to 0). */
  readonly defaults?: Readonly<Record<string, number>>;
  /**
   * Unallocated encodings inside the fixed bits (and those objdump refuses): each string is a
   * conjunction of `field=n`, `field!=n`, `field>=n`, `field&mask=n`, `field=otherfield`, or
   * `!bitmask` (N:immr:imms is no logical immediate).
   */
  readonly invalid?: readonly string[];
  readonly aliases?: readonly AliasSpec[];
  /** Fields that must equal another (N = sf in bitfield moves): copied when assembling, checked when decoding. */
  readonly sameAs?: Readonly<Record<string, string>>;
  /** GNU as also assembles this mnemonic to this form (`ldr` to `ldur` for unscaled offsets). */
  readonly gnuAlso?: string;
  /**
   * The relocation GNU as emits for a symbolic operand it does not resolve: a pc-relative target, or
   * a `:lo12:` value. `R_AARCH64_LDST_ABS_LO12_NC` stands for the LDSTn of the access size.
   */
  readonly reloc?: string;
  /** The form with the opposite sign, which GNU as uses for a negative immediate (add #-1 = sub #1). */
  readonly negated?: string;
  /** In Arm's list of instructions that may be concurrently modified and executed (B, BL, NOP, BRK, SVC, HVC, SMC, ISB). */
  readonly cmodx?: true;
}

/** Meaning of every field name a layout may use. Signed fields are sign-extended when decoded. */
export interface FieldLegend {
  readonly signed: boolean;
  readonly doc: string;
}

export const FIELDS = {
  sf: { signed: false, doc: '1: X (64-bit) registers, 0: W (32-bit); for loads/stores the low bit of `size`' },
  rd: { signed: false, doc: 'destination register number; 31 is SP or XZR as the syntax says' },
  rn: { signed: false, doc: 'first source or base register number' },
  rm: { signed: false, doc: 'second source or offset register number' },
  rt: { signed: false, doc: 'transferred (or tested) register number' },
  rt2: { signed: false, doc: 'second register of a pair; in exclusives and acquire/release an unused field, 31 as GNU as writes it' },
  rs: { signed: false, doc: 'store exclusive: the status register (0 stored, 1 failed); unused (31) in the other exclusives' },
  sysreg: { signed: false, doc: 'mrs/msr: the system register as o0:op1:CRn:CRm:op2 (op0 = 2 + o0)' },
  imm26: { signed: true, doc: 'b/bl: offset in instructions (bytes / 4)' },
  imm19: { signed: true, doc: 'b.cond, cbz, ldr literal: offset in instructions' },
  imm14: { signed: true, doc: 'tbz/tbnz: offset in instructions' },
  imm21: { signed: true, doc: 'adr: offset in bytes; adrp: offset in 4 KiB pages (immhi:immlo)' },
  cond: { signed: false, doc: 'condition code, CONDITIONS index' },
  bit: { signed: false, doc: 'tbz/tbnz: number of the tested bit (b5:b40)' },
  imm16: { signed: false, doc: 'brk/svc/hvc/smc/udf number; movz/movn/movk 16-bit chunk' },
  hw: { signed: false, doc: 'movz/movn/movk: the chunk is shifted left by 16 * hw' },
  imm: { signed: false, doc: 'hint number (CRm:op2)' },
  crm: { signed: false, doc: 'barrier option (dsb/dmb) or isb option; 15 is SY' },
  targets: { signed: false, doc: 'bti: 0 none, 1 c, 2 j, 3 jc' },
  imm12: { signed: false, doc: 'add/sub: unsigned immediate; loads/stores: offset / access size' },
  sh: { signed: false, doc: 'add/sub: 1 shifts imm12 left by 12' },
  shift: { signed: false, doc: 'shifted register: 0 lsl, 1 lsr, 2 asr, 3 ror' },
  imm6: { signed: false, doc: 'shifted register: shift amount' },
  option: { signed: false, doc: 'extend: 0 uxtb, 1 uxth, 2 uxtw, 3 uxtx/lsl, 4 sxtb, 5 sxth, 6 sxtw, 7 sxtx' },
  imm3: { signed: false, doc: 'extended register: left shift 0..4 after the extension' },
  s: { signed: false, doc: 'register offset: 1 scales the offset register by the access size' },
  n: { signed: false, doc: 'logical immediate: N (1 for a 64-bit element)' },
  immr: { signed: false, doc: 'logical immediate: rotation' },
  imms: { signed: false, doc: 'logical immediate: element size and number of ones' },
  imm9: { signed: true, doc: 'pre/post-index and unscaled loads/stores: offset in bytes' },
  imm7: { signed: true, doc: 'pairs: offset / access size' },
} as const satisfies Readonly<Record<string, FieldLegend>>;

export type FieldName = keyof typeof FIELDS;

/** The named hints objdump prints for `hint #n`: aliases of the `hint` entry. */
const HINT_ALIASES: readonly AliasSpec[] = HINT_NAMES.map(([imm, name, gnuOnly]) => {
  const [mnemonic, operand] = name.split(' ');
  return { mnemonic, syntax: operand ?? '', when: { imm }, ...(gnuOnly ? { gnuOnly: true as const } : {}) };
});

const ADD_SUB_IMM = '#<imm12>{, lsl #<sh12>}';
const SHIFTED = '{, <shift> #<imm6>}';
const LOGICAL_SHIFTED = '{, <shift|ror> #<imm6>}';
const WIDE = '#<imm16>{, lsl #<hw16>}';
const NARROW_SHIFT = ['sf=0 imm6>=32'];
const BITFIELD = '<Rd>, <Rn>, #<immr>, #<imms>';
const INSERT = '<Rd>, <Rn>, #<ins-lsb>, #<ins-width>';
const EXTRACT = '<Rd>, <Rn>, #<ext-lsb>, #<ext-width>';
const BITFIELD_INVALID = ['sf=0 immr>=32', 'sf=0 imms>=32'];
const LDST_LO12 = 'R_AARCH64_LDST_ABS_LO12_NC';
const MEM_UOFF = '<Rt>, [<Xn|SP>{, #<pimm>}]';
const MEM_PRE = '<Rt>, [<Xn|SP>, #<simm9>]!';
const MEM_POST = '<Rt>, [<Xn|SP>], #<simm9>';
const MEM_UNSCALED = '<Rt>, [<Xn|SP>{, #<simm9>}]';
const MEM_REG = '<Rt>, [<Xn|SP>, <Rm|ldst>{, <ldst-extend>}]';
const REG_INVALID = ['option&2=0'];
const PAIR_OFF = '<Rt>, <Rt2>, [<Xn|SP>{, #<simm7>}]';
const PAIR_PRE = '<Rt>, <Rt2>, [<Xn|SP>, #<simm7>]!';
const PAIR_POST = '<Rt>, <Rt2>, [<Xn|SP>], #<simm7>';
/** objdump leaves ldpsw undecoded when it loads one register twice or writes back into a loaded one. */
const LDPSW_INVALID = ['rt=rt2'];
const EXCL = '<Rt>, [<Xn|SP>{, #<zero>}]';
const EXCL_STORE = '<Ws>, <Rt>, [<Xn|SP>{, #<zero>}]';
const UNUSED_RT2 = { rt2: 31 };
const UNUSED_RS_RT2 = { rs: 31, rt2: 31 };
const COND_SELECT = '<Rd>, <Rn>, <Rm>, <cond>';
const SHIFT_BY_REGISTER = '<Rd>, <Rn>, <Rm>';
const LDPSW_WRITEBACK_INVALID = ['rt=rt2', 'rn=rt rn!=31', 'rn=rt2 rn!=31'];

export const TABLE = {
  // --- branches
  b: { mnemonic: 'b', layout: '000101 imm26:26', syntax: '<label>', reloc: 'R_AARCH64_JUMP26', cmodx: true },
  bl: { mnemonic: 'bl', layout: '100101 imm26:26', syntax: '<label>', reloc: 'R_AARCH64_CALL26', cmodx: true },
  b_cond: { mnemonic: 'b.<cond>', layout: '01010100 imm19:19 0 cond:4', syntax: '<label>', reloc: 'R_AARCH64_CONDBR19' },
  cbz: { mnemonic: 'cbz', layout: 'sf:1 0110100 imm19:19 rt:5', syntax: '<Rt>, <label>', reloc: 'R_AARCH64_CONDBR19' },
  cbnz: { mnemonic: 'cbnz', layout: 'sf:1 0110101 imm19:19 rt:5', syntax: '<Rt>, <label>', reloc: 'R_AARCH64_CONDBR19' },
  tbz: { mnemonic: 'tbz', layout: 'bit:1@5 0110110 bit:5@0 imm14:14 rt:5', syntax: '<Rt|bit>, #<bit>, <label>', reloc: 'R_AARCH64_TSTBR14' },
  tbnz: { mnemonic: 'tbnz', layout: 'bit:1@5 0110111 bit:5@0 imm14:14 rt:5', syntax: '<Rt|bit>, #<bit>, <label>', reloc: 'R_AARCH64_TSTBR14' },
  br: { mnemonic: 'br', layout: '1101011000011111000000 rn:5 00000', syntax: '<Xn>' },
  blr: { mnemonic: 'blr', layout: '1101011000111111000000 rn:5 00000', syntax: '<Xn>' },
  ret: { mnemonic: 'ret', layout: '1101011001011111000000 rn:5 00000', syntax: '{<Xn>}', defaults: { rn: 30 } },
  eret: { mnemonic: 'eret', layout: '11010110100111110000001111100000', syntax: '' },

  // --- exceptions and system
  brk: { mnemonic: 'brk', layout: '11010100001 imm16:16 00000', syntax: '#<imm16>', cmodx: true },
  svc: { mnemonic: 'svc', layout: '11010100000 imm16:16 00001', syntax: '#<imm16>', cmodx: true },
  hvc: { mnemonic: 'hvc', layout: '11010100000 imm16:16 00010', syntax: '#<imm16>', cmodx: true },
  smc: { mnemonic: 'smc', layout: '11010100000 imm16:16 00011', syntax: '#<imm16>', cmodx: true },
  udf: { mnemonic: 'udf', layout: '0000000000000000 imm16:16', syntax: '#<imm16|dec>' },
  nop: { mnemonic: 'nop', layout: '11010101000000110010000000011111', syntax: '', cmodx: true },
  bti: { mnemonic: 'bti', layout: '110101010000001100100100 targets:2 011111', syntax: '{<targets>}' },
  hint: { mnemonic: 'hint', layout: '11010101000000110010 imm:7 11111', syntax: '#<imm>', aliases: HINT_ALIASES },
  isb: { mnemonic: 'isb', layout: '11010101000000110011 crm:4 11011111', syntax: '{<isb-option>}', defaults: { crm: 15 }, cmodx: true },
  dsb: {
    mnemonic: 'dsb', layout: '11010101000000110011 crm:4 10011111', syntax: '<barrier>',
    aliases: [{ mnemonic: 'ssbb', syntax: '', when: { crm: 0 } }, { mnemonic: 'pssbb', syntax: '', when: { crm: 4 } }],
  },
  dmb: { mnemonic: 'dmb', layout: '11010101000000110011 crm:4 10111111', syntax: '<barrier>' },
  sb: { mnemonic: 'sb', layout: '11010101000000110011000011111111', syntax: '' },
  msr_daifset: { mnemonic: 'msr', layout: '11010101000000110100 crm:4 11011111', syntax: 'daifset, #<crm>' },
  msr_daifclr: { mnemonic: 'msr', layout: '11010101000000110100 crm:4 11111111', syntax: 'daifclr, #<crm>' },
  mrs: { mnemonic: 'mrs', layout: '110101010011 sysreg:15 rt:5', syntax: '<Xt>, <sysreg>' },
  msr: { mnemonic: 'msr', layout: '110101010001 sysreg:15 rt:5', syntax: '<sysreg>, <Xt>' },
  dc_cvau: { mnemonic: 'dc', layout: '1101010100001011 0111 1011 001 rt:5', syntax: 'cvau, <Xt>' },
  dc_cvac: { mnemonic: 'dc', layout: '1101010100001011 0111 1010 001 rt:5', syntax: 'cvac, <Xt>' },
  dc_cvap: { mnemonic: 'dc', layout: '1101010100001011 0111 1100 001 rt:5', syntax: 'cvap, <Xt>' },
  dc_civac: { mnemonic: 'dc', layout: '1101010100001011 0111 1110 001 rt:5', syntax: 'civac, <Xt>' },
  dc_ivac: { mnemonic: 'dc', layout: '1101010100001000 0111 0110 001 rt:5', syntax: 'ivac, <Xt>' },
  ic_ivau: { mnemonic: 'ic', layout: '1101010100001011 0111 0101 001 rt:5', syntax: 'ivau, <Xt>' },
  ic_iallu: { mnemonic: 'ic', layout: '1101010100001000 0111 0101 000 11111', syntax: 'iallu' },
  ic_ialluis: { mnemonic: 'ic', layout: '1101010100001000 0111 0001 000 11111', syntax: 'ialluis' },

  // --- loads and stores: literal, unsigned offset, pre-index, post-index, unscaled, register offset
  ldr_lit: { mnemonic: 'ldr', layout: '0 sf:1 011000 imm19:19 rt:5', syntax: '<Rt>, <label>', reloc: 'R_AARCH64_LD_PREL_LO19' },
  ldrsw_lit: { mnemonic: 'ldrsw', layout: '10011000 imm19:19 rt:5', syntax: '<Rt>, <label>', width: 'x', reloc: 'R_AARCH64_LD_PREL_LO19' },
  ldr: { mnemonic: 'ldr', layout: '1 sf:1 11100101 imm12:12 rn:5 rt:5', syntax: MEM_UOFF, access: 'sf', reloc: LDST_LO12 },
  str: { mnemonic: 'str', layout: '1 sf:1 11100100 imm12:12 rn:5 rt:5', syntax: MEM_UOFF, access: 'sf', reloc: LDST_LO12 },
  ldrb: { mnemonic: 'ldrb', layout: '0011100101 imm12:12 rn:5 rt:5', syntax: MEM_UOFF, width: 'w', access: 1, reloc: LDST_LO12 },
  strb: { mnemonic: 'strb', layout: '0011100100 imm12:12 rn:5 rt:5', syntax: MEM_UOFF, width: 'w', access: 1, reloc: LDST_LO12 },
  ldrh: { mnemonic: 'ldrh', layout: '0111100101 imm12:12 rn:5 rt:5', syntax: MEM_UOFF, width: 'w', access: 2, reloc: LDST_LO12 },
  strh: { mnemonic: 'strh', layout: '0111100100 imm12:12 rn:5 rt:5', syntax: MEM_UOFF, width: 'w', access: 2, reloc: LDST_LO12 },
  ldrsw: { mnemonic: 'ldrsw', layout: '1011100110 imm12:12 rn:5 rt:5', syntax: MEM_UOFF, width: 'x', access: 4, reloc: LDST_LO12 },
  ldr_pre: { mnemonic: 'ldr', layout: '1 sf:1 111000010 imm9:9 11 rn:5 rt:5', syntax: MEM_PRE },
  str_pre: { mnemonic: 'str', layout: '1 sf:1 111000000 imm9:9 11 rn:5 rt:5', syntax: MEM_PRE },
  ldrb_pre: { mnemonic: 'ldrb', layout: '00111000010 imm9:9 11 rn:5 rt:5', syntax: MEM_PRE, width: 'w' },
  strb_pre: { mnemonic: 'strb', layout: '00111000000 imm9:9 11 rn:5 rt:5', syntax: MEM_PRE, width: 'w' },
  ldrh_pre: { mnemonic: 'ldrh', layout: '01111000010 imm9:9 11 rn:5 rt:5', syntax: MEM_PRE, width: 'w' },
  strh_pre: { mnemonic: 'strh', layout: '01111000000 imm9:9 11 rn:5 rt:5', syntax: MEM_PRE, width: 'w' },
  ldrsw_pre: { mnemonic: 'ldrsw', layout: '10111000100 imm9:9 11 rn:5 rt:5', syntax: MEM_PRE, width: 'x' },
  ldr_post: { mnemonic: 'ldr', layout: '1 sf:1 111000010 imm9:9 01 rn:5 rt:5', syntax: MEM_POST },
  str_post: { mnemonic: 'str', layout: '1 sf:1 111000000 imm9:9 01 rn:5 rt:5', syntax: MEM_POST },
  ldrb_post: { mnemonic: 'ldrb', layout: '00111000010 imm9:9 01 rn:5 rt:5', syntax: MEM_POST, width: 'w' },
  strb_post: { mnemonic: 'strb', layout: '00111000000 imm9:9 01 rn:5 rt:5', syntax: MEM_POST, width: 'w' },
  ldrh_post: { mnemonic: 'ldrh', layout: '01111000010 imm9:9 01 rn:5 rt:5', syntax: MEM_POST, width: 'w' },
  strh_post: { mnemonic: 'strh', layout: '01111000000 imm9:9 01 rn:5 rt:5', syntax: MEM_POST, width: 'w' },
  ldrsw_post: { mnemonic: 'ldrsw', layout: '10111000100 imm9:9 01 rn:5 rt:5', syntax: MEM_POST, width: 'x' },
  ldur: { mnemonic: 'ldur', layout: '1 sf:1 111000010 imm9:9 00 rn:5 rt:5', syntax: MEM_UNSCALED, gnuAlso: 'ldr' },
  stur: { mnemonic: 'stur', layout: '1 sf:1 111000000 imm9:9 00 rn:5 rt:5', syntax: MEM_UNSCALED, gnuAlso: 'str' },
  ldurb: { mnemonic: 'ldurb', layout: '00111000010 imm9:9 00 rn:5 rt:5', syntax: MEM_UNSCALED, width: 'w', gnuAlso: 'ldrb' },
  sturb: { mnemonic: 'sturb', layout: '00111000000 imm9:9 00 rn:5 rt:5', syntax: MEM_UNSCALED, width: 'w', gnuAlso: 'strb' },
  ldurh: { mnemonic: 'ldurh', layout: '01111000010 imm9:9 00 rn:5 rt:5', syntax: MEM_UNSCALED, width: 'w', gnuAlso: 'ldrh' },
  sturh: { mnemonic: 'sturh', layout: '01111000000 imm9:9 00 rn:5 rt:5', syntax: MEM_UNSCALED, width: 'w', gnuAlso: 'strh' },
  ldursw: { mnemonic: 'ldursw', layout: '10111000100 imm9:9 00 rn:5 rt:5', syntax: MEM_UNSCALED, width: 'x', gnuAlso: 'ldrsw' },
  ldr_reg: { mnemonic: 'ldr', layout: '1 sf:1 111000011 rm:5 option:3 s:1 10 rn:5 rt:5', syntax: MEM_REG, access: 'sf', invalid: REG_INVALID },
  str_reg: { mnemonic: 'str', layout: '1 sf:1 111000001 rm:5 option:3 s:1 10 rn:5 rt:5', syntax: MEM_REG, access: 'sf', invalid: REG_INVALID },
  ldrb_reg: { mnemonic: 'ldrb', layout: '00111000011 rm:5 option:3 s:1 10 rn:5 rt:5', syntax: MEM_REG, width: 'w', access: 1, invalid: REG_INVALID },
  strb_reg: { mnemonic: 'strb', layout: '00111000001 rm:5 option:3 s:1 10 rn:5 rt:5', syntax: MEM_REG, width: 'w', access: 1, invalid: REG_INVALID },
  ldrh_reg: { mnemonic: 'ldrh', layout: '01111000011 rm:5 option:3 s:1 10 rn:5 rt:5', syntax: MEM_REG, width: 'w', access: 2, invalid: REG_INVALID },
  strh_reg: { mnemonic: 'strh', layout: '01111000001 rm:5 option:3 s:1 10 rn:5 rt:5', syntax: MEM_REG, width: 'w', access: 2, invalid: REG_INVALID },
  ldrsw_reg: { mnemonic: 'ldrsw', layout: '10111000101 rm:5 option:3 s:1 10 rn:5 rt:5', syntax: MEM_REG, width: 'x', access: 4, invalid: REG_INVALID },

  // --- exclusives and acquire/release: [Xn|SP], or [Xn|SP, #0] as GNU as also takes it; objdump ignores the unused Rs and Rt2 of all but ldar*, GNU as writes them as 31
  stxr: { mnemonic: 'stxr', layout: '1 sf:1 001000000 rs:5 0 rt2:5 rn:5 rt:5', syntax: EXCL_STORE, defaults: UNUSED_RT2 },
  stxrb: { mnemonic: 'stxrb', layout: '00 001000000 rs:5 0 rt2:5 rn:5 rt:5', syntax: EXCL_STORE, width: 'w', defaults: UNUSED_RT2 },
  stxrh: { mnemonic: 'stxrh', layout: '01 001000000 rs:5 0 rt2:5 rn:5 rt:5', syntax: EXCL_STORE, width: 'w', defaults: UNUSED_RT2 },
  stlxr: { mnemonic: 'stlxr', layout: '1 sf:1 001000000 rs:5 1 rt2:5 rn:5 rt:5', syntax: EXCL_STORE, defaults: UNUSED_RT2 },
  stlxrb: { mnemonic: 'stlxrb', layout: '00 001000000 rs:5 1 rt2:5 rn:5 rt:5', syntax: EXCL_STORE, width: 'w', defaults: UNUSED_RT2 },
  stlxrh: { mnemonic: 'stlxrh', layout: '01 001000000 rs:5 1 rt2:5 rn:5 rt:5', syntax: EXCL_STORE, width: 'w', defaults: UNUSED_RT2 },
  ldxr: { mnemonic: 'ldxr', layout: '1 sf:1 001000010 rs:5 0 rt2:5 rn:5 rt:5', syntax: EXCL, defaults: UNUSED_RS_RT2 },
  ldxrb: { mnemonic: 'ldxrb', layout: '00 001000010 rs:5 0 rt2:5 rn:5 rt:5', syntax: EXCL, width: 'w', defaults: UNUSED_RS_RT2 },
  ldxrh: { mnemonic: 'ldxrh', layout: '01 001000010 rs:5 0 rt2:5 rn:5 rt:5', syntax: EXCL, width: 'w', defaults: UNUSED_RS_RT2 },
  ldaxr: { mnemonic: 'ldaxr', layout: '1 sf:1 001000010 rs:5 1 rt2:5 rn:5 rt:5', syntax: EXCL, defaults: UNUSED_RS_RT2 },
  ldaxrb: { mnemonic: 'ldaxrb', layout: '00 001000010 rs:5 1 rt2:5 rn:5 rt:5', syntax: EXCL, width: 'w', defaults: UNUSED_RS_RT2 },
  ldaxrh: { mnemonic: 'ldaxrh', layout: '01 001000010 rs:5 1 rt2:5 rn:5 rt:5', syntax: EXCL, width: 'w', defaults: UNUSED_RS_RT2 },
  stlr: { mnemonic: 'stlr', layout: '1 sf:1 001000100 rs:5 1 rt2:5 rn:5 rt:5', syntax: EXCL, defaults: UNUSED_RS_RT2 },
  stlrb: { mnemonic: 'stlrb', layout: '00 001000100 rs:5 1 rt2:5 rn:5 rt:5', syntax: EXCL, width: 'w', defaults: UNUSED_RS_RT2 },
  stlrh: { mnemonic: 'stlrh', layout: '01 001000100 rs:5 1 rt2:5 rn:5 rt:5', syntax: EXCL, width: 'w', defaults: UNUSED_RS_RT2 },
  ldar: { mnemonic: 'ldar', layout: '1 sf:1 001000110 11111 1 11111 rn:5 rt:5', syntax: EXCL },
  ldarb: { mnemonic: 'ldarb', layout: '00 001000110 11111 1 11111 rn:5 rt:5', syntax: EXCL, width: 'w' },
  ldarh: { mnemonic: 'ldarh', layout: '01 001000110 11111 1 11111 rn:5 rt:5', syntax: EXCL, width: 'w' },

  // --- pairs: signed offset, pre-index, post-index, no-allocate
  stp: { mnemonic: 'stp', layout: 'sf:1 010100100 imm7:7 rt2:5 rn:5 rt:5', syntax: PAIR_OFF, access: 'sf' },
  ldp: { mnemonic: 'ldp', layout: 'sf:1 010100101 imm7:7 rt2:5 rn:5 rt:5', syntax: PAIR_OFF, access: 'sf' },
  stp_pre: { mnemonic: 'stp', layout: 'sf:1 010100110 imm7:7 rt2:5 rn:5 rt:5', syntax: PAIR_PRE, access: 'sf' },
  ldp_pre: { mnemonic: 'ldp', layout: 'sf:1 010100111 imm7:7 rt2:5 rn:5 rt:5', syntax: PAIR_PRE, access: 'sf' },
  stp_post: { mnemonic: 'stp', layout: 'sf:1 010100010 imm7:7 rt2:5 rn:5 rt:5', syntax: PAIR_POST, access: 'sf' },
  ldp_post: { mnemonic: 'ldp', layout: 'sf:1 010100011 imm7:7 rt2:5 rn:5 rt:5', syntax: PAIR_POST, access: 'sf' },
  stnp: { mnemonic: 'stnp', layout: 'sf:1 010100000 imm7:7 rt2:5 rn:5 rt:5', syntax: PAIR_OFF, access: 'sf' },
  ldnp: { mnemonic: 'ldnp', layout: 'sf:1 010100001 imm7:7 rt2:5 rn:5 rt:5', syntax: PAIR_OFF, access: 'sf' },
  ldpsw: { mnemonic: 'ldpsw', layout: '0110100101 imm7:7 rt2:5 rn:5 rt:5', syntax: PAIR_OFF, width: 'x', access: 4, invalid: LDPSW_INVALID },
  ldpsw_pre: { mnemonic: 'ldpsw', layout: '0110100111 imm7:7 rt2:5 rn:5 rt:5', syntax: PAIR_PRE, width: 'x', access: 4, invalid: LDPSW_WRITEBACK_INVALID },
  ldpsw_post: { mnemonic: 'ldpsw', layout: '0110100011 imm7:7 rt2:5 rn:5 rt:5', syntax: PAIR_POST, width: 'x', access: 4, invalid: LDPSW_WRITEBACK_INVALID },

  // --- pc-relative addresses
  adr: { mnemonic: 'adr', layout: '0 imm21:2@0 10000 imm21:19@2 rd:5', syntax: '<Rd>, <label>', width: 'x', reloc: 'R_AARCH64_ADR_PREL_LO21' },
  adrp: { mnemonic: 'adrp', layout: '1 imm21:2@0 10000 imm21:19@2 rd:5', syntax: '<Rd>, <page>', width: 'x', reloc: 'R_AARCH64_ADR_PREL_PG_HI21' },

  // --- add/sub: immediate, shifted register, extended register
  add_imm: {
    mnemonic: 'add', layout: 'sf:1 00100010 sh:1 imm12:12 rn:5 rd:5', syntax: `<Rd|SP>, <Rn|SP>, ${ADD_SUB_IMM}`, negated: 'sub_imm',
    reloc: 'R_AARCH64_ADD_ABS_LO12_NC',
    aliases: [{ mnemonic: 'mov', syntax: '<Rd|SP>, <Rn|SP>', when: { sh: 0, imm12: 0 }, test: 'spMove', testBindsGnu: true }],
  },
  adds_imm: {
    mnemonic: 'adds', layout: 'sf:1 01100010 sh:1 imm12:12 rn:5 rd:5', syntax: `<Rd>, <Rn|SP>, ${ADD_SUB_IMM}`, negated: 'subs_imm',
    aliases: [{ mnemonic: 'cmn', syntax: `<Rn|SP>, ${ADD_SUB_IMM}`, when: { rd: 31 } }],
  },
  sub_imm: { mnemonic: 'sub', layout: 'sf:1 10100010 sh:1 imm12:12 rn:5 rd:5', syntax: `<Rd|SP>, <Rn|SP>, ${ADD_SUB_IMM}`, negated: 'add_imm' },
  subs_imm: {
    mnemonic: 'subs', layout: 'sf:1 11100010 sh:1 imm12:12 rn:5 rd:5', syntax: `<Rd>, <Rn|SP>, ${ADD_SUB_IMM}`, negated: 'adds_imm',
    aliases: [{ mnemonic: 'cmp', syntax: `<Rn|SP>, ${ADD_SUB_IMM}`, when: { rd: 31 } }],
  },
  add_sreg: { mnemonic: 'add', layout: 'sf:1 0001011 shift:2 0 rm:5 imm6:6 rn:5 rd:5', syntax: `<Rd>, <Rn>, <Rm>${SHIFTED}`, invalid: ['shift=3', ...NARROW_SHIFT] },
  adds_sreg: {
    mnemonic: 'adds', layout: 'sf:1 0101011 shift:2 0 rm:5 imm6:6 rn:5 rd:5', syntax: `<Rd>, <Rn>, <Rm>${SHIFTED}`, invalid: ['shift=3', ...NARROW_SHIFT],
    aliases: [{ mnemonic: 'cmn', syntax: `<Rn>, <Rm>${SHIFTED}`, when: { rd: 31 } }],
  },
  sub_sreg: {
    mnemonic: 'sub', layout: 'sf:1 1001011 shift:2 0 rm:5 imm6:6 rn:5 rd:5', syntax: `<Rd>, <Rn>, <Rm>${SHIFTED}`, invalid: ['shift=3', ...NARROW_SHIFT],
    aliases: [{ mnemonic: 'neg', syntax: `<Rd>, <Rm>${SHIFTED}`, when: { rn: 31 } }],
  },
  subs_sreg: {
    mnemonic: 'subs', layout: 'sf:1 1101011 shift:2 0 rm:5 imm6:6 rn:5 rd:5', syntax: `<Rd>, <Rn>, <Rm>${SHIFTED}`, invalid: ['shift=3', ...NARROW_SHIFT],
    aliases: [
      { mnemonic: 'cmp', syntax: `<Rn>, <Rm>${SHIFTED}`, when: { rd: 31 } },
      { mnemonic: 'negs', syntax: `<Rd>, <Rm>${SHIFTED}`, when: { rn: 31 } },
    ],
  },
  add_ext: { mnemonic: 'add', layout: 'sf:1 0001011001 rm:5 option:3 imm3:3 rn:5 rd:5', syntax: '<Rd|SP>, <Rn|SP>, <Rm|ext>{, <extend>}', invalid: ['imm3>=5'] },
  adds_ext: {
    mnemonic: 'adds', layout: 'sf:1 0101011001 rm:5 option:3 imm3:3 rn:5 rd:5', syntax: '<Rd>, <Rn|SP>, <Rm|ext>{, <extend>}', invalid: ['imm3>=5'],
    aliases: [{ mnemonic: 'cmn', syntax: '<Rn|SP>, <Rm|ext>{, <extend>}', when: { rd: 31 } }],
  },
  sub_ext: { mnemonic: 'sub', layout: 'sf:1 1001011001 rm:5 option:3 imm3:3 rn:5 rd:5', syntax: '<Rd|SP>, <Rn|SP>, <Rm|ext>{, <extend>}', invalid: ['imm3>=5'] },
  subs_ext: {
    mnemonic: 'subs', layout: 'sf:1 1101011001 rm:5 option:3 imm3:3 rn:5 rd:5', syntax: '<Rd>, <Rn|SP>, <Rm|ext>{, <extend>}', invalid: ['imm3>=5'],
    aliases: [{ mnemonic: 'cmp', syntax: '<Rn|SP>, <Rm|ext>{, <extend>}', when: { rd: 31 } }],
  },

  // --- conditional select; the aliases write the inverse condition (cset w0, eq is csinc w0, wzr, wzr, ne)
  csel: { mnemonic: 'csel', layout: 'sf:1 0011010100 rm:5 cond:4 00 rn:5 rd:5', syntax: COND_SELECT },
  csinc: {
    mnemonic: 'csinc', layout: 'sf:1 0011010100 rm:5 cond:4 01 rn:5 rd:5', syntax: COND_SELECT,
    aliases: [
      { mnemonic: 'cset', syntax: '<Rd>, <cond-inv>', when: { rn: 31, rm: 31 }, test: 'invertible', testBindsGnu: true },
      { mnemonic: 'cinc', syntax: '<Rd>, <Rn>, <cond-inv>', sameAs: { rm: 'rn' }, test: 'invertible', testBindsGnu: true },
    ],
  },
  csinv: {
    mnemonic: 'csinv', layout: 'sf:1 1011010100 rm:5 cond:4 00 rn:5 rd:5', syntax: COND_SELECT,
    aliases: [
      { mnemonic: 'csetm', syntax: '<Rd>, <cond-inv>', when: { rn: 31, rm: 31 }, test: 'invertible', testBindsGnu: true },
      { mnemonic: 'cinv', syntax: '<Rd>, <Rn>, <cond-inv>', sameAs: { rm: 'rn' }, test: 'invertible', testBindsGnu: true },
    ],
  },
  csneg: {
    mnemonic: 'csneg', layout: 'sf:1 1011010100 rm:5 cond:4 01 rn:5 rd:5', syntax: COND_SELECT,
    aliases: [{ mnemonic: 'cneg', syntax: '<Rd>, <Rn>, <cond-inv>', sameAs: { rm: 'rn' }, test: 'invertible', testBindsGnu: true }],
  },

  // --- shifts by a register (the amount is Rm modulo the width); objdump always prints the alias
  lslv: { mnemonic: 'lslv', layout: 'sf:1 0011010110 rm:5 001000 rn:5 rd:5', syntax: SHIFT_BY_REGISTER, aliases: [{ mnemonic: 'lsl', syntax: SHIFT_BY_REGISTER }] },
  lsrv: { mnemonic: 'lsrv', layout: 'sf:1 0011010110 rm:5 001001 rn:5 rd:5', syntax: SHIFT_BY_REGISTER, aliases: [{ mnemonic: 'lsr', syntax: SHIFT_BY_REGISTER }] },
  asrv: { mnemonic: 'asrv', layout: 'sf:1 0011010110 rm:5 001010 rn:5 rd:5', syntax: SHIFT_BY_REGISTER, aliases: [{ mnemonic: 'asr', syntax: SHIFT_BY_REGISTER }] },
  rorv: { mnemonic: 'rorv', layout: 'sf:1 0011010110 rm:5 001011 rn:5 rd:5', syntax: SHIFT_BY_REGISTER, aliases: [{ mnemonic: 'ror', syntax: SHIFT_BY_REGISTER }] },

  // --- move wide immediate
  // (movz before movn before orr: the order in which GNU as tries them for `mov #imm`)
  movz: {
    mnemonic: 'movz', layout: 'sf:1 10100101 hw:2 imm16:16 rd:5', syntax: `<Rd>, ${WIDE}`, invalid: ['sf=0 hw>=2'],
    aliases: [{ mnemonic: 'mov', syntax: '<Rd>, #<wide>', test: 'movzMov', valueComment: true }],
  },
  movn: {
    mnemonic: 'movn', layout: 'sf:1 00100101 hw:2 imm16:16 rd:5', syntax: `<Rd>, ${WIDE}`, invalid: ['sf=0 hw>=2'],
    aliases: [{ mnemonic: 'mov', syntax: '<Rd>, #<wide-inverted>', test: 'movnMov', valueComment: true }],
  },
  movk: { mnemonic: 'movk', layout: 'sf:1 11100101 hw:2 imm16:16 rd:5', syntax: `<Rd>, ${WIDE}`, invalid: ['sf=0 hw>=2'] },

  // --- bitfield moves
  sbfm: {
    mnemonic: 'sbfm', layout: 'sf:1 00100110 n:1 immr:6 imms:6 rn:5 rd:5', syntax: BITFIELD, invalid: BITFIELD_INVALID, sameAs: { n: 'sf' },
    aliases: [
      { mnemonic: 'asr', syntax: '<Rd>, <Rn>, #<lsr-amount>', test: 'shiftRight' },
      { mnemonic: 'sbfiz', syntax: INSERT, test: 'insert' },
      { mnemonic: 'sxtb', syntax: '<Rd>, <Wn>', when: { immr: 0, imms: 7 } },
      { mnemonic: 'sxth', syntax: '<Rd>, <Wn>', when: { immr: 0, imms: 15 } },
      { mnemonic: 'sxtw', syntax: '<Rd>, <Wn>', when: { sf: 1, immr: 0, imms: 31 } },
      { mnemonic: 'sbfx', syntax: EXTRACT, test: 'bfxSigned' },
    ],
  },
  bfm: {
    mnemonic: 'bfm', layout: 'sf:1 01100110 n:1 immr:6 imms:6 rn:5 rd:5', syntax: BITFIELD, invalid: BITFIELD_INVALID, sameAs: { n: 'sf' },
    aliases: [
      { mnemonic: 'bfc', syntax: '<Rd>, #<ins-lsb>, #<ins-width>', when: { rn: 31 }, test: 'insert' },
      { mnemonic: 'bfi', syntax: INSERT, test: 'insert' },
      { mnemonic: 'bfxil', syntax: EXTRACT, test: 'extract' },
    ],
  },
  ubfm: {
    mnemonic: 'ubfm', layout: 'sf:1 10100110 n:1 immr:6 imms:6 rn:5 rd:5', syntax: BITFIELD, invalid: BITFIELD_INVALID, sameAs: { n: 'sf' },
    aliases: [
      { mnemonic: 'lsl', syntax: '<Rd>, <Rn>, #<lsl-amount>', test: 'lsl' },
      { mnemonic: 'lsr', syntax: '<Rd>, <Rn>, #<lsr-amount>', test: 'shiftRight' },
      { mnemonic: 'ubfiz', syntax: INSERT, test: 'insert' },
      { mnemonic: 'uxtb', syntax: '<Rd>, <Wn>', when: { sf: 0, immr: 0, imms: 7 } },
      { mnemonic: 'uxth', syntax: '<Rd>, <Wn>', when: { sf: 0, immr: 0, imms: 15 } },
      { mnemonic: 'ubfx', syntax: EXTRACT, test: 'bfxUnsigned' },
    ],
  },

  // --- logical: bitmask immediate, shifted register
  and_imm: { mnemonic: 'and', layout: 'sf:1 00100100 n:1 immr:6 imms:6 rn:5 rd:5', syntax: '<Rd|SP>, <Rn>, #<bitmask>', invalid: ['!bitmask'] },
  orr_imm: {
    mnemonic: 'orr', layout: 'sf:1 01100100 n:1 immr:6 imms:6 rn:5 rd:5', syntax: '<Rd|SP>, <Rn>, #<bitmask>', invalid: ['!bitmask'],
    aliases: [{ mnemonic: 'mov', syntax: '<Rd|SP>, #<bitmask>', when: { rn: 31 }, test: 'orrMov', valueComment: true }],
  },
  eor_imm: { mnemonic: 'eor', layout: 'sf:1 10100100 n:1 immr:6 imms:6 rn:5 rd:5', syntax: '<Rd|SP>, <Rn>, #<bitmask>', invalid: ['!bitmask'] },
  ands_imm: {
    mnemonic: 'ands', layout: 'sf:1 11100100 n:1 immr:6 imms:6 rn:5 rd:5', syntax: '<Rd>, <Rn>, #<bitmask>', invalid: ['!bitmask'],
    aliases: [{ mnemonic: 'tst', syntax: '<Rn>, #<bitmask>', when: { rd: 31 } }],
  },
  and_sreg: { mnemonic: 'and', layout: 'sf:1 0001010 shift:2 0 rm:5 imm6:6 rn:5 rd:5', syntax: `<Rd>, <Rn>, <Rm>${LOGICAL_SHIFTED}`, invalid: NARROW_SHIFT },
  bic_sreg: { mnemonic: 'bic', layout: 'sf:1 0001010 shift:2 1 rm:5 imm6:6 rn:5 rd:5', syntax: `<Rd>, <Rn>, <Rm>${LOGICAL_SHIFTED}`, invalid: NARROW_SHIFT },
  orr_sreg: {
    mnemonic: 'orr', layout: 'sf:1 0101010 shift:2 0 rm:5 imm6:6 rn:5 rd:5', syntax: `<Rd>, <Rn>, <Rm>${LOGICAL_SHIFTED}`, invalid: NARROW_SHIFT,
    aliases: [
      { mnemonic: 'mov', syntax: '<Rd>, <Rm>', when: { rn: 31, shift: 0, imm6: 0 } },
      { mnemonic: 'mov', syntax: `<Rd>, <Rm>, <shift|ror> #<imm6>`, when: { rn: 31 }, gnuOnly: true },
    ],
  },
  orn_sreg: {
    mnemonic: 'orn', layout: 'sf:1 0101010 shift:2 1 rm:5 imm6:6 rn:5 rd:5', syntax: `<Rd>, <Rn>, <Rm>${LOGICAL_SHIFTED}`, invalid: NARROW_SHIFT,
    aliases: [{ mnemonic: 'mvn', syntax: `<Rd>, <Rm>${LOGICAL_SHIFTED}`, when: { rn: 31 } }],
  },
  eor_sreg: { mnemonic: 'eor', layout: 'sf:1 1001010 shift:2 0 rm:5 imm6:6 rn:5 rd:5', syntax: `<Rd>, <Rn>, <Rm>${LOGICAL_SHIFTED}`, invalid: NARROW_SHIFT },
  eon_sreg: { mnemonic: 'eon', layout: 'sf:1 1001010 shift:2 1 rm:5 imm6:6 rn:5 rd:5', syntax: `<Rd>, <Rn>, <Rm>${LOGICAL_SHIFTED}`, invalid: NARROW_SHIFT },
  ands_sreg: {
    mnemonic: 'ands', layout: 'sf:1 1101010 shift:2 0 rm:5 imm6:6 rn:5 rd:5', syntax: `<Rd>, <Rn>, <Rm>${LOGICAL_SHIFTED}`, invalid: NARROW_SHIFT,
    aliases: [{ mnemonic: 'tst', syntax: `<Rn>, <Rm>${LOGICAL_SHIFTED}`, when: { rd: 31 } }],
  },
  bics_sreg: { mnemonic: 'bics', layout: 'sf:1 1101010 shift:2 1 rm:5 imm6:6 rn:5 rd:5', syntax: `<Rd>, <Rn>, <Rm>${LOGICAL_SHIFTED}`, invalid: NARROW_SHIFT },
} as const satisfies Readonly<Record<string, FormSpec>>;

export type Op = keyof typeof TABLE;
