// The riscv64 instruction table (RV64IMAC, Zicsr, Zifencei): every form patchlab knows, written once; encoder, decoder and printer derive from it.
//
// Legend of an entry (see FormSpec). `layout` gives the instruction's bits from the highest down: runs
// of `0`/`1` are fixed bits, `name:width@lo` puts bits lo.. of field `name` there (`@lo` may be left
// out when it is 0). A compressed entry's layout is 16 bits; its register fields `rd'`, `rs1'`, `rs2'`
// hold x8..x15 as 0..7. `print` lists objdump's spellings, the first whose `when` holds wins, the
// last is the default. Operands in a spelling are `<field>` slots (print.ts says how each prints).
//
// Every entry decodes to the same fields (rd, rs1, rs2, imm, csr, pred, succ, aq, rl): a compressed
// entry's fields are those of the 32-bit instruction it `expands` to (c.addi a0,1 is addi a0,a0,1), so
// the interpreter executes both with one code path. `imm` is the operand's value in bytes, sign
// extended unless the entry says `unsigned`; for lui and auipc it is the value added (hi20 << 12).

/** A field of the decoded instruction. */
export type FieldName = 'rd' | 'rs1' | 'rs2' | 'imm' | 'csr' | 'pred' | 'succ' | 'aq' | 'rl';

export const FIELD_NAMES: readonly FieldName[] = Object.freeze(['rd', 'rs1', 'rs2', 'imm', 'csr', 'pred', 'succ', 'aq', 'rl']);

export interface Spelling {
  readonly mnemonic: string;
  /** Operands, comma separated, as objdump prints them (`<rd>,<imm>(<rs1>)`). */
  readonly syntax: string;
  /** Conditions (`rd=0 imm!=0`, `rs1=rd`) under which objdump prints this spelling. */
  readonly when?: string;
}

export interface FormSpec {
  readonly layout: string;
  readonly print: readonly Spelling[];
  /** `imm` is zero-extended (offsets of the compressed loads and stores, shift amounts, csr immediates). */
  readonly unsigned?: true;
  /** Fields that are not in the layout but equal another (c.addi: rs1 is rd). */
  readonly same?: Partial<Readonly<Record<FieldName, FieldName>>>;
  /** Fields that are not in the layout and have this value (c.li: rs1 is x0). */
  readonly fixed?: Partial<Readonly<Record<FieldName, number>>>;
  /** Reserved encodings inside the fixed bits (conditions as in `when`): objdump prints `.2byte`/`.4byte`. */
  readonly invalid?: readonly string[];
  /** A compressed entry: the 32-bit instruction it stands for. */
  readonly expands?: string;
}

const p = (mnemonic: string, syntax: string, when?: string): Spelling => (when ? { mnemonic, syntax, when } : { mnemonic, syntax });

const R3 = '<rd>,<rs1>,<rs2>';
const RI = '<rd>,<rs1>,<imm>';
const RSH = '<rd>,<rs1>,<shamt>';
const LOAD = '<rd>,<imm>(<rs1>)';
const STORE = '<rs2>,<imm>(<rs1>)';
const BRANCH = '<rs1>,<rs2>,<target>';

/** R-type: funct7, rs2, rs1, funct3, rd, opcode. */
const r = (funct7: string, funct3: string, opcode: string) => `${funct7} rs2:5 rs1:5 ${funct3} rd:5 ${opcode}`;
const i = (funct3: string, opcode: string) => `imm:12 rs1:5 ${funct3} rd:5 ${opcode}`;
const s = (funct3: string) => `imm:7@5 rs2:5 rs1:5 ${funct3} imm:5 0100011`;
const b = (funct3: string) => `imm:1@12 imm:6@5 rs2:5 rs1:5 ${funct3} imm:4@1 imm:1@11 1100011`;
const shift64 = (funct6: string, funct3: string, opcode: string) => `${funct6} imm:6 rs1:5 ${funct3} rd:5 ${opcode}`;
const shift32 = (funct7: string, funct3: string) => `${funct7} imm:5 rs1:5 ${funct3} rd:5 0011011`;
const amo = (funct5: string, width: '010' | '011', rs2 = 'rs2:5') => `${funct5} aq:1 rl:1 ${rs2} rs1:5 ${width} rd:5 0101111`;
const csr = (funct3: string) => `csr:12 rs1:5 ${funct3} rd:5 1110011`;
const csri = (funct3: string) => `csr:12 imm:5 ${funct3} rd:5 1110011`;

/** The AMO suffix objdump prints for aq/rl, and that GNU as reads back. */
export const ORDERING_SUFFIXES = ['', '.rl', '.aq', '.aqrl'] as const;

/** The 32-bit entries. Mnemonics with `<ord>` take the aq/rl suffix. */
const BASE = {
  // --- upper immediates and jumps
  lui: { layout: 'imm:20@12 rd:5 0110111', print: [p('lui', '<rd>,<hi20>')] },
  auipc: { layout: 'imm:20@12 rd:5 0010111', print: [p('auipc', '<rd>,<hi20>')] },
  jal: {
    layout: 'imm:1@20 imm:10@1 imm:1@11 imm:8@12 rd:5 1101111',
    print: [p('j', '<target>', 'rd=0'), p('jal', '<target>', 'rd=1'), p('jal', '<rd>,<target>')],
  },
  jalr: {
    layout: i('000', '1100111'),
    print: [
      p('ret', '', 'rd=0 rs1=1 imm=0'), p('jr', '<rs1>', 'rd=0 imm=0'), p('jr', '<imm>(<rs1>)', 'rd=0'),
      p('jalr', '<rs1>', 'rd=1 imm=0'), p('jalr', '<imm>(<rs1>)', 'rd=1'), p('jalr', '<rd>,<rs1>', 'imm=0'),
      p('jalr', '<rd>,<imm>(<rs1>)'),
    ],
  },
  beq: { layout: b('000'), print: [p('beqz', '<rs1>,<target>', 'rs2=0'), p('beq', BRANCH)] },
  bne: { layout: b('001'), print: [p('bnez', '<rs1>,<target>', 'rs2=0'), p('bne', BRANCH)] },
  blt: { layout: b('100'), print: [p('bltz', '<rs1>,<target>', 'rs2=0'), p('bgtz', '<rs2>,<target>', 'rs1=0'), p('blt', BRANCH)] },
  bge: { layout: b('101'), print: [p('blez', '<rs2>,<target>', 'rs1=0'), p('bgez', '<rs1>,<target>', 'rs2=0'), p('bge', BRANCH)] },
  bltu: { layout: b('110'), print: [p('bltu', BRANCH)] },
  bgeu: { layout: b('111'), print: [p('bgeu', BRANCH)] },

  // --- loads and stores
  lb: { layout: i('000', '0000011'), print: [p('lb', LOAD)] },
  lh: { layout: i('001', '0000011'), print: [p('lh', LOAD)] },
  lw: { layout: i('010', '0000011'), print: [p('lw', LOAD)] },
  ld: { layout: i('011', '0000011'), print: [p('ld', LOAD)] },
  lbu: { layout: i('100', '0000011'), print: [p('lbu', LOAD)] },
  lhu: { layout: i('101', '0000011'), print: [p('lhu', LOAD)] },
  lwu: { layout: i('110', '0000011'), print: [p('lwu', LOAD)] },
  sb: { layout: s('000'), print: [p('sb', STORE)] },
  sh: { layout: s('001'), print: [p('sh', STORE)] },
  sw: { layout: s('010'), print: [p('sw', STORE)] },
  sd: { layout: s('011'), print: [p('sd', STORE)] },

  // --- integer register-immediate
  addi: {
    layout: i('000', '0010011'),
    print: [p('nop', '', 'rd=0 rs1=0 imm=0'), p('li', '<rd>,<imm>', 'rs1=0'), p('mv', '<rd>,<rs1>', 'imm=0'), p('add', RI)],
  },
  slti: { layout: i('010', '0010011'), print: [p('slti', RI)] },
  sltiu: { layout: i('011', '0010011'), print: [p('seqz', '<rd>,<rs1>', 'imm=1'), p('sltiu', RI)] },
  xori: { layout: i('100', '0010011'), print: [p('not', '<rd>,<rs1>', 'imm=-1'), p('xor', RI)] },
  ori: { layout: i('110', '0010011'), print: [p('or', RI)] },
  andi: { layout: i('111', '0010011'), print: [p('zext.b', '<rd>,<rs1>', 'imm=255'), p('and', RI)] },
  slli: { layout: shift64('000000', '001', '0010011'), print: [p('sll', RSH)], unsigned: true },
  srli: { layout: shift64('000000', '101', '0010011'), print: [p('srl', RSH)], unsigned: true },
  srai: { layout: shift64('010000', '101', '0010011'), print: [p('sra', RSH)], unsigned: true },
  addiw: { layout: i('000', '0011011'), print: [p('sext.w', '<rd>,<rs1>', 'imm=0'), p('addw', RI)] },
  slliw: { layout: shift32('0000000', '001'), print: [p('sllw', RSH)], unsigned: true },
  srliw: { layout: shift32('0000000', '101'), print: [p('srlw', RSH)], unsigned: true },
  sraiw: { layout: shift32('0100000', '101'), print: [p('sraw', RSH)], unsigned: true },

  // --- integer register-register
  add: { layout: r('0000000', '000', '0110011'), print: [p('add', R3)] },
  sub: { layout: r('0100000', '000', '0110011'), print: [p('neg', '<rd>,<rs2>', 'rs1=0'), p('sub', R3)] },
  sll: { layout: r('0000000', '001', '0110011'), print: [p('sll', R3)] },
  slt: { layout: r('0000000', '010', '0110011'), print: [p('sltz', '<rd>,<rs1>', 'rs2=0'), p('sgtz', '<rd>,<rs2>', 'rs1=0'), p('slt', R3)] },
  sltu: { layout: r('0000000', '011', '0110011'), print: [p('snez', '<rd>,<rs2>', 'rs1=0'), p('sltu', R3)] },
  xor: { layout: r('0000000', '100', '0110011'), print: [p('xor', R3)] },
  srl: { layout: r('0000000', '101', '0110011'), print: [p('srl', R3)] },
  sra: { layout: r('0100000', '101', '0110011'), print: [p('sra', R3)] },
  or: { layout: r('0000000', '110', '0110011'), print: [p('or', R3)] },
  and: { layout: r('0000000', '111', '0110011'), print: [p('and', R3)] },
  addw: { layout: r('0000000', '000', '0111011'), print: [p('addw', R3)] },
  subw: { layout: r('0100000', '000', '0111011'), print: [p('negw', '<rd>,<rs2>', 'rs1=0'), p('subw', R3)] },
  sllw: { layout: r('0000000', '001', '0111011'), print: [p('sllw', R3)] },
  srlw: { layout: r('0000000', '101', '0111011'), print: [p('srlw', R3)] },
  sraw: { layout: r('0100000', '101', '0111011'), print: [p('sraw', R3)] },

  // --- M
  mul: { layout: r('0000001', '000', '0110011'), print: [p('mul', R3)] },
  mulh: { layout: r('0000001', '001', '0110011'), print: [p('mulh', R3)] },
  mulhsu: { layout: r('0000001', '010', '0110011'), print: [p('mulhsu', R3)] },
  mulhu: { layout: r('0000001', '011', '0110011'), print: [p('mulhu', R3)] },
  div: { layout: r('0000001', '100', '0110011'), print: [p('div', R3)] },
  divu: { layout: r('0000001', '101', '0110011'), print: [p('divu', R3)] },
  rem: { layout: r('0000001', '110', '0110011'), print: [p('rem', R3)] },
  remu: { layout: r('0000001', '111', '0110011'), print: [p('remu', R3)] },
  mulw: { layout: r('0000001', '000', '0111011'), print: [p('mulw', R3)] },
  divw: { layout: r('0000001', '100', '0111011'), print: [p('divw', R3)] },
  divuw: { layout: r('0000001', '101', '0111011'), print: [p('divuw', R3)] },
  remw: { layout: r('0000001', '110', '0111011'), print: [p('remw', R3)] },
  remuw: { layout: r('0000001', '111', '0111011'), print: [p('remuw', R3)] },

  // --- A: the ordering bits print as a suffix of the mnemonic
  lr_w: { layout: amo('00010', '010', '00000'), print: [p('lr.w<ord>', '<rd>,(<rs1>)')] },
  sc_w: { layout: amo('00011', '010'), print: [p('sc.w<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amoswap_w: { layout: amo('00001', '010'), print: [p('amoswap.w<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amoadd_w: { layout: amo('00000', '010'), print: [p('amoadd.w<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amoxor_w: { layout: amo('00100', '010'), print: [p('amoxor.w<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amoand_w: { layout: amo('01100', '010'), print: [p('amoand.w<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amoor_w: { layout: amo('01000', '010'), print: [p('amoor.w<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amomin_w: { layout: amo('10000', '010'), print: [p('amomin.w<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amomax_w: { layout: amo('10100', '010'), print: [p('amomax.w<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amominu_w: { layout: amo('11000', '010'), print: [p('amominu.w<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amomaxu_w: { layout: amo('11100', '010'), print: [p('amomaxu.w<ord>', '<rd>,<rs2>,(<rs1>)')] },
  lr_d: { layout: amo('00010', '011', '00000'), print: [p('lr.d<ord>', '<rd>,(<rs1>)')] },
  sc_d: { layout: amo('00011', '011'), print: [p('sc.d<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amoswap_d: { layout: amo('00001', '011'), print: [p('amoswap.d<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amoadd_d: { layout: amo('00000', '011'), print: [p('amoadd.d<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amoxor_d: { layout: amo('00100', '011'), print: [p('amoxor.d<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amoand_d: { layout: amo('01100', '011'), print: [p('amoand.d<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amoor_d: { layout: amo('01000', '011'), print: [p('amoor.d<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amomin_d: { layout: amo('10000', '011'), print: [p('amomin.d<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amomax_d: { layout: amo('10100', '011'), print: [p('amomax.d<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amominu_d: { layout: amo('11000', '011'), print: [p('amominu.d<ord>', '<rd>,<rs2>,(<rs1>)')] },
  amomaxu_d: { layout: amo('11100', '011'), print: [p('amomaxu.d<ord>', '<rd>,<rs2>,(<rs1>)')] },

  // --- fences, system, Zicsr (objdump prints the immediate forms under the register forms' names)
  fence: { layout: '0000 pred:4 succ:4 00000 000 00000 0001111', print: [p('fence', '', 'pred=15 succ=15'), p('fence', '<pred>,<succ>')] },
  fence_tso: { layout: '1000 0011 0011 00000 000 00000 0001111', print: [p('fence.tso', '')] },
  fence_i: { layout: '000000000000 00000 001 00000 0001111', print: [p('fence.i', '')] },
  ecall: { layout: '00000000000000000000000001110011', print: [p('ecall', '')] },
  ebreak: { layout: '00000000000100000000000001110011', print: [p('ebreak', '')] },
  sret: { layout: '00010000001000000000000001110011', print: [p('sret', '')] },
  mret: { layout: '00110000001000000000000001110011', print: [p('mret', '')] },
  wfi: { layout: '00010000010100000000000001110011', print: [p('wfi', '')] },
  sfence_vma: {
    layout: '0001001 rs2:5 rs1:5 000 00000 1110011',
    print: [p('sfence.vma', '', 'rs1=0 rs2=0'), p('sfence.vma', '<rs1>', 'rs2=0'), p('sfence.vma', '<rs1>,<rs2>')],
  },
  csrrw: {
    layout: csr('001'),
    print: [p('unimp', '', 'csr=3072 rd=0 rs1=0'), p('csrw', '<csr>,<rs1>', 'rd=0'), p('csrrw', '<rd>,<csr>,<rs1>')],
  },
  csrrs: {
    layout: csr('010'),
    print: [
      p('rdcycle', '<rd>', 'csr=3072 rs1=0'), p('rdtime', '<rd>', 'csr=3073 rs1=0'), p('rdinstret', '<rd>', 'csr=3074 rs1=0'),
      p('csrr', '<rd>,<csr>', 'rs1=0'), p('csrs', '<csr>,<rs1>', 'rd=0'), p('csrrs', '<rd>,<csr>,<rs1>'),
    ],
  },
  csrrc: { layout: csr('011'), print: [p('csrc', '<csr>,<rs1>', 'rd=0'), p('csrrc', '<rd>,<csr>,<rs1>')] },
  csrrwi: { layout: csri('101'), print: [p('csrw', '<csr>,<imm>', 'rd=0'), p('csrrw', '<rd>,<csr>,<imm>')], unsigned: true },
  csrrsi: { layout: csri('110'), print: [p('csrs', '<csr>,<imm>', 'rd=0'), p('csrrs', '<rd>,<csr>,<imm>')], unsigned: true },
  csrrci: { layout: csri('111'), print: [p('csrc', '<csr>,<imm>', 'rd=0'), p('csrrc', '<rd>,<csr>,<imm>')], unsigned: true },
} as const satisfies Readonly<Record<string, FormSpec>>;

/** The 16-bit entries of the C extension (RV64, without the floating-point ones). */
const COMPRESSED = {
  // --- quadrant 0
  c_unimp: { layout: '0000000000000000', print: [p('unimp', '')] },
  c_addi4spn: {
    layout: "000 imm:2@4 imm:4@6 imm:1@2 imm:1@3 rd':3 00", unsigned: true, fixed: { rs1: 2 }, invalid: ['imm=0'],
    expands: 'addi', print: [p('add', RI)],
  },
  c_lw: { layout: "010 imm:3@3 rs1':3 imm:1@2 imm:1@6 rd':3 00", unsigned: true, expands: 'lw', print: [p('lw', LOAD)] },
  c_ld: { layout: "011 imm:3@3 rs1':3 imm:2@6 rd':3 00", unsigned: true, expands: 'ld', print: [p('ld', LOAD)] },
  c_sw: { layout: "110 imm:3@3 rs1':3 imm:1@2 imm:1@6 rs2':3 00", unsigned: true, expands: 'sw', print: [p('sw', STORE)] },
  c_sd: { layout: "111 imm:3@3 rs1':3 imm:2@6 rs2':3 00", unsigned: true, expands: 'sd', print: [p('sd', STORE)] },

  // --- quadrant 1
  c_addi: {
    layout: '000 imm:1@5 rd:5 imm:5 01', same: { rs1: 'rd' }, expands: 'addi',
    print: [p('nop', '', 'rd=0 imm=0'), p('c.nop', '<imm>', 'rd=0'), p('add', RI)],
  },
  c_addiw: {
    layout: '001 imm:1@5 rd:5 imm:5 01', same: { rs1: 'rd' }, invalid: ['rd=0'], expands: 'addiw',
    print: [p('sext.w', '<rd>,<rs1>', 'imm=0'), p('addw', RI)],
  },
  c_li: { layout: '010 imm:1@5 rd:5 imm:5 01', fixed: { rs1: 0 }, expands: 'addi', print: [p('c.li', '<rd>,<imm>', 'rd=0'), p('li', '<rd>,<imm>')] },
  c_addi16sp: {
    // imm 0 is reserved by the ISA, but objdump prints it (`add sp,sp,0`); the interpreter refuses it.
    layout: '011 imm:1@9 00010 imm:1@4 imm:1@6 imm:2@7 imm:1@5 01', fixed: { rd: 2, rs1: 2 },
    expands: 'addi', print: [p('add', RI)],
  },
  c_lui: {
    layout: '011 imm:1@17 rd:5 imm:5@12 01', invalid: ['rd=2', 'imm=0'], expands: 'lui',
    print: [p('c.lui', '<rd>,<hi20>', 'rd=0'), p('lui', '<rd>,<hi20>')],
  },
  c_srli: {
    layout: "100 imm:1@5 00 rd':3 imm:5 01", unsigned: true, same: { rs1: 'rd' }, expands: 'srli',
    print: [p('c.srli64', '<rd>', 'imm=0'), p('srl', RSH)],
  },
  c_srai: {
    layout: "100 imm:1@5 01 rd':3 imm:5 01", unsigned: true, same: { rs1: 'rd' }, expands: 'srai',
    print: [p('c.srai64', '<rd>', 'imm=0'), p('sra', RSH)],
  },
  c_andi: { layout: "100 imm:1@5 10 rd':3 imm:5 01", same: { rs1: 'rd' }, expands: 'andi', print: [p('and', RI)] },
  c_sub: { layout: "100 0 11 rd':3 00 rs2':3 01", same: { rs1: 'rd' }, expands: 'sub', print: [p('sub', R3)] },
  c_xor: { layout: "100 0 11 rd':3 01 rs2':3 01", same: { rs1: 'rd' }, expands: 'xor', print: [p('xor', R3)] },
  c_or: { layout: "100 0 11 rd':3 10 rs2':3 01", same: { rs1: 'rd' }, expands: 'or', print: [p('or', R3)] },
  c_and: { layout: "100 0 11 rd':3 11 rs2':3 01", same: { rs1: 'rd' }, expands: 'and', print: [p('and', R3)] },
  c_subw: { layout: "100 1 11 rd':3 00 rs2':3 01", same: { rs1: 'rd' }, expands: 'subw', print: [p('subw', R3)] },
  c_addw: { layout: "100 1 11 rd':3 01 rs2':3 01", same: { rs1: 'rd' }, expands: 'addw', print: [p('addw', R3)] },
  c_j: {
    layout: '101 imm:1@11 imm:1@4 imm:2@8 imm:1@10 imm:1@6 imm:1@7 imm:3@1 imm:1@5 01', fixed: { rd: 0 }, expands: 'jal',
    print: [p('j', '<target>')],
  },
  c_beqz: {
    layout: "110 imm:1@8 imm:2@3 rs1':3 imm:2@6 imm:2@1 imm:1@5 01", fixed: { rs2: 0 }, expands: 'beq',
    print: [p('beqz', '<rs1>,<target>')],
  },
  c_bnez: {
    layout: "111 imm:1@8 imm:2@3 rs1':3 imm:2@6 imm:2@1 imm:1@5 01", fixed: { rs2: 0 }, expands: 'bne',
    print: [p('bnez', '<rs1>,<target>')],
  },

  // --- quadrant 2
  c_slli: {
    layout: '000 imm:1@5 rd:5 imm:5 10', unsigned: true, same: { rs1: 'rd' }, expands: 'slli',
    print: [p('c.slli64', '<rd>', 'imm=0'), p('c.slli', '<rd>,<shamt>', 'rd=0'), p('sll', RSH)],
  },
  c_lwsp: { layout: '010 imm:1@5 rd:5 imm:3@2 imm:2@6 10', unsigned: true, fixed: { rs1: 2 }, invalid: ['rd=0'], expands: 'lw', print: [p('lw', LOAD)] },
  c_ldsp: { layout: '011 imm:1@5 rd:5 imm:2@3 imm:3@6 10', unsigned: true, fixed: { rs1: 2 }, invalid: ['rd=0'], expands: 'ld', print: [p('ld', LOAD)] },
  c_jr: {
    layout: '100 0 rs1:5 00000 10', fixed: { rd: 0, imm: 0 }, invalid: ['rs1=0'], expands: 'jalr',
    print: [p('ret', '', 'rs1=1'), p('jr', '<rs1>')],
  },
  c_mv: {
    layout: '100 0 rd:5 rs2:5 10', fixed: { rs1: 0 }, invalid: ['rs2=0'], expands: 'add',
    print: [p('c.mv', '<rd>,<rs2>', 'rd=0'), p('mv', '<rd>,<rs2>')],
  },
  c_ebreak: { layout: '1001000000000010', expands: 'ebreak', print: [p('ebreak', '')] },
  c_jalr: { layout: '100 1 rs1:5 00000 10', fixed: { rd: 1, imm: 0 }, invalid: ['rs1=0'], expands: 'jalr', print: [p('jalr', '<rs1>')] },
  c_add: {
    layout: '100 1 rd:5 rs2:5 10', same: { rs1: 'rd' }, invalid: ['rs2=0'], expands: 'add',
    print: [p('c.add', '<rd>,<rs2>', 'rd=0'), p('add', R3)],
  },
  c_swsp: { layout: '110 imm:4@2 imm:2@6 rs2:5 10', unsigned: true, fixed: { rs1: 2 }, expands: 'sw', print: [p('sw', STORE)] },
  c_sdsp: { layout: '111 imm:3@3 imm:3@6 rs2:5 10', unsigned: true, fixed: { rs1: 2 }, expands: 'sd', print: [p('sd', STORE)] },
} as const satisfies Readonly<Record<string, FormSpec>>;

export const TABLE = { ...BASE, ...COMPRESSED } as const satisfies Readonly<Record<string, FormSpec>>;

export type BaseOp = keyof typeof BASE;
export type CompressedOp = keyof typeof COMPRESSED;
export type Op = keyof typeof TABLE;

/** A decoded instruction: the entry and every field (0 where the entry has none). */
export interface RiscvInsn {
  readonly op: Op;
  readonly rd: number;
  readonly rs1: number;
  readonly rs2: number;
  readonly imm: number;
  readonly csr: number;
  readonly pred: number;
  readonly succ: number;
  readonly aq: number;
  readonly rl: number;
}

/** The names GNU as and objdump give the 32 integer registers (objdump prints these). */
export const REGISTER_NAMES: readonly string[] = Object.freeze([
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
]);

/** FENCE predecessor and successor sets, as objdump spells the 4 bits (i, o, r, w). */
export function fenceSetName(bits: number): string {
  return (bits & 8 ? 'i' : '') + (bits & 4 ? 'o' : '') + (bits & 2 ? 'r' : '') + (bits & 1 ? 'w' : '');
}
