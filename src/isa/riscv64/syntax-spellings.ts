// GNU as's spellings of every mnemonic, in the order it tries them, and the compressed forms it picks for each.
//
// objdump's spellings (table.ts) are GNU as spellings too; GNU as takes a few more (`bgt` with its
// operands swapped, `jalr rd,rs1,imm`, `csrwi`). With the C extension on, GNU as tries, for each
// spelling, the compressed entries listed under it here *before* the 32-bit one: the first whose
// condition holds and that can encode the operands wins (binutils' opcode table lists them so).

import { encodable } from './encode.js';
import type { Value } from './syntax-operands.js';
import { condition, FORM_BY_OP, type Predicate } from './table-layout.js';
import { ORDERING_SUFFIXES, TABLE, type BaseOp, type CompressedOp, type FieldName, type RiscvInsn } from './table.js';

/** An operand of a spelling: a register field, an expression slot, `imm(rs1)`, or `(rs1)` of an AMO. */
export type Item =
  | { readonly kind: 'reg'; readonly field: 'rd' | 'rs1' | 'rs2' }
  | { readonly kind: 'value'; readonly slot: 'imm' | 'shamt' | 'hi20' | 'target' | 'csr' | 'pred' | 'succ' }
  | { readonly kind: 'mem' }
  | { readonly kind: 'amo' };

/**
 * How the compressed entry takes the 32-bit fields: as they are; `swap` rs1 and rs2 (a commutative
 * operation whose rd is its rs2); `move` (addi rd,rs,0 is c.mv rd,rs: add rd,x0,rs); `clear` (unimp).
 */
export type Remap = 'swap' | 'move' | 'clear';

export interface CompressRule {
  readonly to: CompressedOp;
  readonly holds: Predicate;
  readonly remap?: Remap;
}

export interface Candidate {
  readonly mnemonic: string;
  readonly op: BaseOp;
  readonly syntax: string;
  readonly items: readonly Item[];
  /** Fields the spelling fixes (`beqz`: rs2 = 0; `ret`: rd = 0, rs1 = 1, imm = 0). */
  readonly fixed: Partial<Readonly<Record<FieldName, number>>>;
  readonly compress: readonly CompressRule[];
}

const R3 = '<rd>,<rs1>,<rs2>';
const RI = '<rd>,<rs1>,<imm>';
const RSH = '<rd>,<rs1>,<shamt>';

/** Spellings GNU as takes that objdump never prints (operands in GNU's order, into the entry's fields). */
const GNU_ONLY: readonly (readonly [string, BaseOp, string, string?])[] = [
  ['jalr', 'jalr', '<rd>,<rs1>,<imm>'], ['jalr', 'jalr', '<rs1>,<imm>', 'rd=1'], ['jr', 'jalr', '<rs1>,<imm>', 'rd=0'],
  ['bgt', 'blt', '<rs2>,<rs1>,<target>'], ['ble', 'bge', '<rs2>,<rs1>,<target>'],
  ['bgtu', 'bltu', '<rs2>,<rs1>,<target>'], ['bleu', 'bgeu', '<rs2>,<rs1>,<target>'],
  ['sgt', 'slt', '<rd>,<rs2>,<rs1>'], ['sgtu', 'sltu', '<rd>,<rs2>,<rs1>'], ['move', 'addi', '<rd>,<rs1>', 'imm=0'],
  ['slt', 'slti', RI], ['sltu', 'sltiu', RI],
  ['sbreak', 'ebreak', ''], ['scall', 'ecall', ''],
  ['csrwi', 'csrrwi', '<csr>,<imm>', 'rd=0'], ['csrsi', 'csrrsi', '<csr>,<imm>', 'rd=0'], ['csrci', 'csrrci', '<csr>,<imm>', 'rd=0'],
];

const rule = (to: CompressedOp, when?: string, remap?: Remap): CompressRule => ({ to, holds: condition(when), ...(remap ? { remap } : {}) });

/** Per spelling (`mnemonic syntax`), GNU as's compressed candidates in its order. */
const COMPRESS: Readonly<Record<string, readonly CompressRule[]>> = {
  'ebreak ': [rule('c_ebreak')], 'sbreak ': [rule('c_ebreak')], 'unimp ': [rule('c_unimp', undefined, 'clear')],
  'ret ': [rule('c_jr')], 'jr <rs1>': [rule('c_jr')], 'jalr <rs1>': [rule('c_jalr')], 'nop ': [rule('c_addi')],
  'lui <rd>,<hi20>': [rule('c_lui', 'rd!=0')],
  'mv <rd>,<rs1>': [rule('c_mv', 'rd!=0', 'move')], 'move <rd>,<rs1>': [rule('c_mv', 'rd!=0', 'move')],
  [`addi ${RI}`]: [
    rule('c_addi4spn'), rule('c_addi', 'rd!=0 imm!=0'), rule('c_addi', 'rd=0 rs1=0 imm=0'), rule('c_addi16sp', 'imm!=0'),
    rule('c_li', 'rd!=0'), rule('c_mv', 'imm=0 rd!=0 rs1!=0', 'move'),
  ],
  [`add ${R3}`]: [rule('c_add', 'rd!=0'), rule('c_add', 'rd!=0', 'swap'), rule('c_mv', 'rd!=0')],
  [`add ${RI}`]: [rule('c_addi', 'rd!=0'), rule('c_addi4spn'), rule('c_addi16sp', 'imm!=0')],
  [`andi ${RI}`]: [rule('c_andi')], [`and ${RI}`]: [rule('c_andi')],
  [`and ${R3}`]: [rule('c_and'), rule('c_and', undefined, 'swap')],
  [`or ${R3}`]: [rule('c_or'), rule('c_or', undefined, 'swap')],
  [`xor ${R3}`]: [rule('c_xor'), rule('c_xor', undefined, 'swap')],
  [`sub ${R3}`]: [rule('c_sub')], [`subw ${R3}`]: [rule('c_subw')],
  [`addw ${R3}`]: [rule('c_addw'), rule('c_addw', undefined, 'swap')], [`addw ${RI}`]: [rule('c_addiw', 'rd!=0')],
  [`addiw ${RI}`]: [rule('c_addiw', 'rd!=0')], 'sext.w <rd>,<rs1>': [rule('c_addiw', 'rd!=0')],
  [`slli ${RSH}`]: [rule('c_slli', 'rd!=0 imm!=0')], [`sll ${RSH}`]: [rule('c_slli', 'rd!=0 imm!=0')],
  [`srli ${RSH}`]: [rule('c_srli', 'imm!=0')], [`srl ${RSH}`]: [rule('c_srli', 'imm!=0')],
  [`srai ${RSH}`]: [rule('c_srai', 'imm!=0')], [`sra ${RSH}`]: [rule('c_srai', 'imm!=0')],
  'lw <rd>,<imm>(<rs1>)': [rule('c_lwsp', 'rd!=0'), rule('c_lw')], 'ld <rd>,<imm>(<rs1>)': [rule('c_ldsp', 'rd!=0'), rule('c_ld')],
  'sw <rs2>,<imm>(<rs1>)': [rule('c_swsp'), rule('c_sw')], 'sd <rs2>,<imm>(<rs1>)': [rule('c_sdsp'), rule('c_sd')],
};

function items(syntax: string): Item[] {
  if (syntax === '') return [];
  return syntax.split(',').map((piece): Item => {
    if (piece === '<imm>(<rs1>)') return { kind: 'mem' };
    if (piece === '(<rs1>)') return { kind: 'amo' };
    const m = /^<(\w+)>$/.exec(piece)!;
    const name = m[1];
    if (name === 'rd' || name === 'rs1' || name === 'rs2') return { kind: 'reg', field: name };
    return { kind: 'value', slot: name as Exclude<Item & { kind: 'value' }, never>['slot'] };
  });
}

/** The equalities of a `when`: the fields a spelling sets. */
function fixedOf(when: string | undefined): Partial<Record<FieldName, number>> {
  const out: Partial<Record<FieldName, number>> = {};
  for (const t of (when ?? '').split(' ').filter(Boolean)) {
    const m = /^(\w+)=(-?\d+)$/.exec(t);
    if (m) out[m[1] as FieldName] = Number(m[2]);
  }
  return out;
}

/** Mnemonic → its candidates: the entry's own name with its default operands, objdump's aliases, GNU's extras. */
export const CANDIDATES: ReadonlyMap<string, readonly Candidate[]> = (() => {
  const map = new Map<string, Candidate[]>();
  const add = (mnemonic: string, op: BaseOp, syntax: string, when?: string): void => {
    for (const [k, suffix] of ORDERING_SUFFIXES.entries()) {
      if (!mnemonic.includes('<ord>') && k > 0) break;
      const name = mnemonic.replace('<ord>', suffix);
      const fixed = { ...fixedOf(when), ...(mnemonic.includes('<ord>') ? { aq: k >> 1, rl: k & 1 } : {}) };
      const list = map.get(name) ?? [];
      if (list.some((c) => c.op === op && c.syntax === syntax && JSON.stringify(c.fixed) === JSON.stringify(fixed))) continue;
      list.push({ mnemonic: name, op, syntax, items: items(syntax), fixed, compress: COMPRESS[`${name} ${syntax}`] ?? [] });
      map.set(name, list);
    }
  };
  for (const op of Object.keys(TABLE) as (keyof typeof TABLE)[]) {
    if (FORM_BY_OP[op].length === 2) continue;
    const base = op as BaseOp;
    const spellings = TABLE[base].print;
    const own = spellings[spellings.length - 1];
    add(own.mnemonic.includes('<ord>') ? own.mnemonic : op.replace(/_/g, '.'), base, own.syntax);
    // `li` is a macro of its own (syntax.ts); every other spelling objdump prints, GNU as reads.
    for (const s of spellings) if (s.mnemonic !== 'li') add(s.mnemonic, base, s.syntax, s.when);
  }
  for (const [mnemonic, op, syntax, when] of GNU_ONLY) add(mnemonic, op, syntax, when);
  return map;
})();

/** An expression a matched spelling still has to evaluate, and the slot it fills. */
export interface Pending {
  readonly slot: 'imm' | 'shamt' | 'hi20' | 'target' | 'csr';
  readonly value: Value;
}

/** A spelling that read the statement's operands: the fields known, the expressions still to evaluate. */
export interface Match {
  readonly c: Candidate;
  readonly fields: Partial<Record<FieldName, number>>;
  readonly pending: readonly Pending[];
}

/** The instruction GNU as emits for `insn` written as `c`: the first compressed candidate that takes it, else `insn`. */
export function finalInsn(c: Candidate, insn: RiscvInsn): RiscvInsn {
  for (const r of c.compress) {
    if (!r.holds(insn)) continue;
    const f = insn;
    const mapped: RiscvInsn =
      r.remap === 'swap' ? { ...f, op: r.to, rs1: f.rs2, rs2: f.rs1 }
        : r.remap === 'move' ? { ...f, op: r.to, rs1: 0, rs2: f.rs1, imm: 0 }
          : r.remap === 'clear' ? { ...f, op: r.to, csr: 0 }
            : { ...f, op: r.to };
    if (encodable(FORM_BY_OP[r.to], mapped)) return mapped;
  }
  return insn;
}
