// objdump's AT&T text for an X86Insn, prefixes included, as binutils 2.40 prints them.

import { assertNever } from '../../base/assert.js';
import type { PrintedInsn } from '../types.js';
import { needsSib } from './encode.js';
import { X86_FORMS, type FormSpec, type X86Op } from './table-forms.js';
import {
  CONDITIONS, isLegacyPrefix, isRex, PREFIX_NAME_OF_BYTE, REGISTERS, REX, rexName, SEGMENT_BYTES, SEGMENT_REGISTER_NAMES,
  type X86Insn, type X86Mem, type X86Operand, type X86Segment,
} from './table.js';

const SUFFIX: Readonly<Record<number, string>> = { 8: 'b', 16: 'w', 32: 'l', 64: 'q' };
const MASK64 = (1n << 64n) - 1n;

/** `0x10`, `-0x8`: how objdump writes a signed displacement. */
function signedHex(v: number): string {
  return v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

/** REX bits this form looks at (a set bit it ignores makes objdump show the REX as a prefix). */
function rexBitsConsulted(spec: FormSpec, insn: X86Insn): number {
  let bits = 0;
  if (spec.size === 'v') bits |= REX.W;
  if (spec.operands.some((k) => k === 'r' || k === 'cr')) bits |= REX.R;
  if (spec.operands.some((k) => k === 'rm' || k === 'm' || k === '+r' || k === 'r64' || k === 'rreg')) bits |= REX.B;
  if (insn.operands.some((o) => o.kind === 'mem' && needsSib(o))) bits |= REX.X;
  return bits;
}

function rexShown(spec: FormSpec, insn: X86Insn): boolean {
  if (!insn.rex) return false;
  const consulted = rexBitsConsulted(spec, insn);
  if (insn.rex & 15 & ~consulted) return true;
  const byteRegNeedsRex = insn.operands.some((o) => o.kind === 'reg' && /^(spl|bpl|sil|dil)$/.test(o.reg));
  return (insn.rex & consulted) === 0 && !byteRegNeedsRex;
}

function uses66(spec: FormSpec, insn: X86Insn): boolean {
  const plusR = insn.operands[spec.operands.indexOf('+r')];
  const at90 = spec.consumes66 === true && plusR?.kind === 'reg' && (REGISTERS[plusR.reg].num & 7) === 0;
  return (spec.size === 'v' || spec.size === 'd64') && (!(insn.rex & REX.W) || at90);
}

/** Is the r/m operand, the destination, in memory? */
const writesMemory = (insn: X86Insn): boolean => insn.operands[insn.operands.length - 1]?.kind === 'mem';

/**
 * The prefixes objdump shows as words before the mnemonic: each one the instruction does not consume
 * (the last 66 of a sized form, the last 67 of a memory operand, the last segment prefix when fs/gs
 * override the memory operand, a mandatory prefix), in byte order; branches rename the last f2 `bnd`
 * and, indirect without a 66, the last segment prefix `notrack` when a ds is among them; a jcc with cs
 * or ds (not both) shows a hint instead; a locked or storing form to memory shows HLE's xacquire/xrelease.
 */
function prefixWords(spec: FormSpec, insn: X86Insn): { words: string[]; hint: string; seg: X86Segment | undefined } {
  const list = insn.prefixes;
  const names: (string | undefined)[] = list.map((b) => PREFIX_NAME_OF_BYTE[b]);
  const consume = (i: number): void => {
    if (i >= 0) names[i] = undefined;
  };
  const mem = insn.operands.find((o): o is X86Mem => o.kind === 'mem');
  const moffs = insn.operands.find((o) => o.kind === 'moffs');
  const override = mem?.seg ?? (moffs?.kind === 'moffs' ? moffs.seg : undefined);
  if (uses66(spec, insn)) consume(list.lastIndexOf(0x66));
  if (spec.mandatory !== undefined) consume(list.lastIndexOf(spec.mandatory));
  if (mem) consume(list.lastIndexOf(0x67));
  let lastSeg = -1;
  list.forEach((b, i) => {
    if (SEGMENT_BYTES.includes(b)) lastSeg = i;
  });
  let hint = '';
  let seg: X86Segment | undefined;
  if (spec.branch === 'indirect' && !list.includes(0x66) && list.includes(0x3e)) names[lastSeg] = 'notrack';
  else if (spec.branch === 'jcc') {
    const cs = list.includes(0x2e), ds = list.includes(0x3e);
    if (cs !== ds) {
      consume(lastSeg);
      hint = cs ? ',pn' : ',pt';
    }
  } else if (override) {
    consume(lastSeg);
    seg = override;
  }
  if (spec.branch && list.includes(0xf2)) names[list.lastIndexOf(0xf2)] = 'bnd';
  if (writesMemory(insn)) {
    const locked = spec.implicitLock || (spec.lockable && list.includes(0xf0));
    // A store without lock takes f3 as xrelease only when f3 is the last repeat prefix.
    const releases = locked || (spec.releases && list.lastIndexOf(0xf3) > list.lastIndexOf(0xf2));
    if (releases && list.includes(0xf3)) names[list.lastIndexOf(0xf3)] = 'xrelease';
    if (locked && list.includes(0xf2)) names[list.lastIndexOf(0xf2)] = 'xacquire';
  }
  const words = names.filter((n): n is string => n !== undefined);
  if (rexShown(spec, insn)) words.push(rexName(insn.rex));
  return { words, hint, seg };
}

function mnemonicOf(spec: FormSpec, insn: X86Insn): string {
  const wideAddress = insn.operands.some((o) => o.kind === 'moffs' && o.addressSize === 64);
  const base = spec.cond ? `j${CONDITIONS[insn.cond!][0]}`
    : insn.opsize === 64 && spec.mnemonic64 ? spec.mnemonic64
      : wideAddress && spec.mnemonicWideAddress ? spec.mnemonicWideAddress : spec.mnemonic;
  // A shift count in %cl tells no size: `shll %cl,(%rax)`.
  const hasReg = insn.operands.some((o, i) => o.kind === 'reg' && spec.operands[i] !== 'cl');
  const hasMem = insn.operands.some((o) => o.kind === 'mem');
  const letter = SUFFIX[insn.opsize] ?? '';
  switch (spec.suffix) {
    case 'never': return base;
    case 'mem': return hasReg ? base : base + letter;
    case 'mem16': return hasMem && insn.opsize === 16 ? base + 'w' : base;
    case 'w16': return insn.opsize === 16 ? base + 'w' : base;
    case 'wq': return insn.opsize === 32 ? base : base + letter;
    default: return assertNever(spec.suffix, 'suffix rule');
  }
}

function memoryText(m: X86Mem, seg: X86Segment | undefined, end: bigint): { text: string; comment: string } {
  const prefix = seg ? `%${seg}:` : '';
  if (m.ripRelative) {
    const target = m.addressSize === 32 ? (end + BigInt(m.disp)) & 0xffffffffn : (end + BigInt(m.disp)) & MASK64;
    const pc = m.addressSize === 32 ? 'eip' : 'rip';
    return { text: `${prefix}${signedHex(m.disp)}(%${pc})`, comment: `        # 0x${target.toString(16)}` };
  }
  if (m.base === undefined && m.index === undefined) {
    // An absolute address: objdump shows it unsigned (and, under addr32, with the pseudo index eiz).
    if (m.addressSize === 32) return { text: `${prefix}0x${(m.disp >>> 0).toString(16)}(,%eiz,1)`, comment: '' };
    return { text: `${prefix}0x${(BigInt(m.disp) & MASK64).toString(16)}`, comment: '' };
  }
  // Under addr32 with no base and only the pseudo index eiz the displacement is an absolute address,
  // and objdump shows it unsigned (`0xde03d086(,%eiz,4)`); with a real index (or riz) it stays signed.
  if (m.base === undefined && m.index === 'eiz' && m.addressSize === 32) {
    return { text: `${prefix}0x${(m.disp >>> 0).toString(16)}(,%eiz,${m.scale})`, comment: '' };
  }
  const disp = m.dispSize > 0 || m.base === undefined ? signedHex(m.disp) : '';
  const base = m.base ? `%${m.base}` : '';
  const index = m.index ? `,%${m.index},${m.scale}` : '';
  return { text: `${prefix}${disp}(${base}${index})`, comment: '' };
}

function operandText(o: X86Operand, seg: X86Segment | undefined, end: bigint): { text: string; comment: string } {
  switch (o.kind) {
    case 'reg': return { text: `%${o.reg}`, comment: '' };
    case 'cr': return { text: `%cr${o.num}`, comment: '' };
    case 'sreg': return { text: `%${SEGMENT_REGISTER_NAMES[o.num]}`, comment: '' };
    case 'imm': return { text: `$0x${o.value.toString(16)}`, comment: '' };
    // As objdump writes it for an object without symbols (`jmp 0x7b2`; with symbols, `jmp 7b2 <f+0x12>`).
    case 'rel': return { text: `0x${((end + BigInt(o.disp)) & MASK64).toString(16)}`, comment: '' };
    case 'mem': return memoryText(o, seg, end);
    case 'moffs': return { text: `${seg ? `%${seg}:` : ''}0x${o.address.toString(16)}`, comment: '' };
    default: return assertNever(o, 'operand');
  }
}

export function print(insn: X86Insn, address: bigint): PrintedInsn {
  const spec = X86_FORMS[insn.op as X86Op];
  if (insn.op === 'prefix') {
    const words = insn.prefixes.map((b) => PREFIX_NAME_OF_BYTE[b]);
    if (insn.rex) words.push(rexName(insn.rex));
    return { mnemonic: words.join(' '), operands: '' };
  }
  const { words, hint, seg } = prefixWords(spec, insn);
  const end = address + BigInt(insn.length);
  let comment = '';
  const texts = insn.operands.map((o) => {
    const t = operandText(o, seg, end);
    comment ||= t.comment;
    return t.text;
  });
  const star = spec.star ? '*' : '';
  const operands = texts.length ? star + texts.join(',') + comment : '';
  return { mnemonic: [...words, mnemonicOf(spec, insn) + hint].join(' '), operands };
}

/** Bytes we do not decode: a REX that a prefix follows is objdump's `rex.W` on its own; else `(bad)`. */
export function undecodable(bytes: Uint8Array, offset: number): { length: number; text: PrintedInsn } {
  const b = bytes[offset];
  if (isRex(b) && offset + 1 < bytes.length && (isLegacyPrefix(bytes[offset + 1]) || isRex(bytes[offset + 1]))) {
    return { length: 1, text: { mnemonic: rexName(b), operands: '' } };
  }
  return { length: 1, text: { mnemonic: '(bad)', operands: '' } };
}
