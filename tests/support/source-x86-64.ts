// GNU as source for a random x86-64 instruction: its operands in AT&T syntax, spelled in the ways GNU
// as accepts (suffix or not, hex or decimal, every jcc spelling), written here apart from patchlab's parser.

import fc from 'fast-check';
import { X86_FORMS, type X86Op } from '../../src/isa/x86-64/table-forms.js';
import { CONDITIONS, REGISTERS, SEGMENT_REGISTER_NAMES, type X86Mem, type X86Operand } from '../../src/isa/x86-64/table.js';
import { insnArb, type Insn } from './arb-x86-64.js';

export interface SourceStyle {
  readonly hex: boolean;
  readonly suffix: boolean;
  readonly spelling: number;
}

const LETTER: Readonly<Record<number, string>> = { 8: 'b', 16: 'w', 32: 'l', 64: 'q' };
const SEG_NAME: Readonly<Record<number, string>> = { 0x2e: 'cs', 0x3e: 'ds', 0x26: 'es', 0x36: 'ss', 0x64: 'fs', 0x65: 'gs' };

function number(v: bigint, hex: boolean): string {
  if (hex) return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
  return v.toString();
}

/** The segment override a memory operand is written with: fs/gs, else the last of cs/ds/es/ss. */
function segmentOf(insn: Insn, m: { readonly seg: X86Mem['seg'] }): string {
  if (m.seg) return `%${m.seg}:`;
  const segs = insn.prefixes.filter((b) => SEG_NAME[b]);
  return segs.length ? `%${SEG_NAME[segs[segs.length - 1]]}:` : '';
}

function memory(insn: Insn, m: X86Mem, style: SourceStyle): string {
  const seg = segmentOf(insn, m);
  const d = number(BigInt(m.disp), style.hex);
  if (m.ripRelative) return `${seg}${d}(%${m.addressSize === 32 ? 'eip' : 'rip'})`;
  // Under addr32 GNU as would pick a moffs form for an absolute address: write it 64-bit.
  if (m.base === undefined && (m.index === undefined || m.index === 'riz' || m.index === 'eiz')) return `${seg}${d}`;
  // GNU as does not take riz without `.allow_index_reg`; and it drops a zero displacement.
  const index = m.index && m.index !== 'riz' && m.index !== 'eiz' ? `,%${m.index},${m.scale}` : '';
  const showDisp = m.disp !== 0 || (m.dispSize > 0 && insn.op !== 'nop_rm');
  return `${seg}${showDisp ? d : ''}(${m.base ? `%${m.base}` : ''}${index})`;
}

function operand(insn: Insn, o: X86Operand, style: SourceStyle): string {
  switch (o.kind) {
    case 'reg': return `%${o.reg}`;
    case 'cr': return `%cr${o.num}`;
    case 'sreg': return `%${SEGMENT_REGISTER_NAMES[o.num]}`;
    case 'imm': {
      const v = style.hex ? o.value : BigInt.asIntN(Math.max(insn.opsize, 8), o.value);
      return `$${number(v, style.hex)}`;
    }
    case 'mem': return memory(insn, o, style);
    case 'moffs': return `${segmentOf(insn, o)}0x${o.address.toString(16)}`;
    case 'rel': {
      // Written without some of its prefixes, the instruction may be shorter: keep the target in reach.
      const limit = 2 ** 31 - 32;
      const n = Math.max(-limit, Math.min(limit, insn.length + o.disp));
      return n < 0 ? `.-${-n}` : `.+${n}`;
    }
  }
}

function mnemonic(insn: Insn, style: SourceStyle): string {
  const spec = X86_FORMS[insn.op];
  // A shift count in %cl tells no size.
  const hasReg = insn.operands.some((o, i) => o.kind === 'reg' && spec.operands[i] !== 'cl');
  const letter = LETTER[insn.opsize] ?? '';
  switch (insn.op) {
    case 'jcc_rel8': case 'jcc_rel32': {
      const names = CONDITIONS[insn.cond!];
      return `j${names[style.spelling % names.length]}`;
    }
    case 'mov_r_immv': return insn.opsize === 64 ? 'movabs' : style.suffix ? `mov${letter}` : 'mov';
    case 'mov_al_moffs': case 'mov_ax_moffs': case 'mov_moffs_al': case 'mov_moffs_ax':
      return insn.prefixes.includes(0x67) ? 'mov' : 'movabs';
    case 'iret': return insn.opsize === 32 ? (style.suffix ? 'iretl' : 'iret') : `iret${letter}`;
    case 'ret': case 'ret_imm16': return insn.opsize === 16 ? 'retw' : style.suffix ? 'retq' : 'ret';
    case 'call_rm': case 'jmp_rm': return insn.opsize === 16 && !hasReg ? `${spec.mnemonic}w` : spec.mnemonic;
    default: break;
  }
  if (spec.size === 'none' || spec.size === 'w') return spec.mnemonic;
  return !hasReg || style.suffix ? spec.mnemonic + letter : spec.mnemonic;
}

/** Prefix words GNU as takes in front of this instruction (the others are left out of the source). */
function prefixWords(insn: Insn): string[] {
  const spec = X86_FORMS[insn.op];
  const has = (b: number) => insn.prefixes.includes(b);
  const mem = insn.operands.find((o): o is X86Mem => o.kind === 'mem');
  const words: string[] = [];
  if (spec.branch && has(0xf2)) words.push('bnd');
  if (spec.branch === 'indirect' && has(0x3e) && !mem?.seg && !insn.prefixes.some((b) => b !== 0x3e && SEG_NAME[b])) words.push('notrack');
  if ((insn.op === 'ret' || insn.op === 'ret_imm16') && has(0xf3) && !has(0xf2)) words.push('rep');
  if (spec.size === 'none' && !spec.branch && has(0x66)) words.push('data16');
  if (has(0xf0) && spec.lockable && insn.operands[insn.operands.length - 1].kind === 'mem') words.push('lock');
  if (has(0x67) && insn.operands.some((o) => o.kind === 'moffs')) words.push('addr32');
  return words;
}

/** `je,pt`: a lone cs or ds on a jcc is its hint. */
function hint(insn: Insn): string {
  if (insn.op !== 'jcc_rel8' && insn.op !== 'jcc_rel32') return '';
  const cs = insn.prefixes.includes(0x2e), ds = insn.prefixes.includes(0x3e);
  return cs === ds ? '' : cs ? ',pn' : ',pt';
}

export function renderSource(insn: Insn, style: SourceStyle): string {
  const spec = X86_FORMS[insn.op];
  const ops = insn.operands.map((o) => operand(insn, o, style));
  const star = spec.star ? '*' : '';
  const head = [...prefixWords(insn), mnemonic(insn, style) + hint(insn)].join(' ');
  return ops.length ? `${head} ${star}${ops.join(',')}` : head;
}

/** Could GNU as take it? Not a jcc/jmp written with `.+N` that lands on itself in a way it rejects, etc. */
function renderable(insn: Insn): boolean {
  // A REX-only register (spl, r8b …) next to a high byte register cannot be written at all.
  const regs = insn.operands.flatMap((o) => (o.kind === 'reg' ? [REGISTERS[o.reg].rex] : []));
  return !(regs.includes('needs') && regs.includes('forbids'));
}

/**
 * GNU as writes `xchg %rax,%rax` as a plain 90, which is nop (patchlab keeps 48 87 c0): exchange with %rcx
 * instead, the same length and REX. A map, not a filter: rax twice is what every biased pick gives, and a
 * filter on it made fast-check draw it again and again until the heap ran out (PATCHLAB_SEED=998270543).
 */
function withoutNopXchg(insn: Insn): Insn {
  const raxTwice = insn.op === 'xchg_rm_r' && insn.operands.every((o) => o.kind === 'reg' && o.reg === 'rax');
  return raxTwice ? { ...insn, operands: [insn.operands[0], { kind: 'reg', reg: 'rcx' }] } : insn;
}

export const styleArb: fc.Arbitrary<SourceStyle> = fc.record({ hex: fc.boolean(), suffix: fc.boolean(), spelling: fc.nat(5) });

export function sourceArb(op: X86Op): fc.Arbitrary<string> {
  return fc.tuple(insnArb(op).map(withoutNopXchg).filter(renderable), styleArb).map(([insn, style]) => renderSource(insn, style));
}
