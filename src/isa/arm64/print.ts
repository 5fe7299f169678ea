// objdump's text for an instruction: the first alias whose condition holds, else the entry's own spelling.

import { assertNever } from '../../base/assert.js';
import { readU32 } from '../../base/bits.js';
import type { PrintedInsn } from '../types.js';
import { decodeBitmask } from './table-bitmask.js';
import {
  FORM_BY_OP, accessSize, aliasApplies, entryIsX, type Arm64Insn, type Fields, type Form, type Piece, type Spelling,
} from './table-layout.js';
import {
  BARRIER_OPTIONS, BTI_TARGETS, CONDITIONS, EXTENDS, SHIFTS, SLOTS, SYSREG_NAMES, type RegisterSlot, type SlotName,
} from './table-names.js';

const U64 = (v: bigint): string => BigInt.asUintN(64, v).toString(16);

export function registerName(n: number, x: boolean, sp: boolean): string {
  if (n === 31) return sp ? (x ? 'sp' : 'wsp') : x ? 'xzr' : 'wzr';
  return `${x ? 'x' : 'w'}${n}`;
}

/** Is this register slot an X register for these fields? */
export function slotIsX(slot: RegisterSlot, form: Form, f: Fields): boolean {
  switch (slot.width) {
    case 'entry': return entryIsX(form, f);
    case 'x': return true;
    case 'w': return false;
    case 'bit': return f.bit >= 32;
    case 'ext': return f.sf === 1 && (f.option & 3) === 3;
    case 'ldst': return (f.option & 1) === 1;
    default: return assertNever(slot.width, 'register width');
  }
}

/** The pc-relative field of a form, and how many bytes one unit of it is. */
export function pcrelField(form: Form): { name: 'imm26' | 'imm19' | 'imm14' | 'imm21'; scale: number } | undefined {
  for (const info of form.fields) {
    if (info.name === 'imm21') return { name: info.name, scale: 1 };
    if (info.name === 'imm26' || info.name === 'imm19' || info.name === 'imm14') return { name: info.name, scale: 4 };
  }
  return undefined;
}

/** Value of a 32- or 64-bit immediate as a register of the entry's width holds it. */
export function widthOf(f: Fields): 32 | 64 {
  return f.sf === 1 ? 64 : 32;
}

export function wideValue(f: Fields, inverted: boolean): bigint {
  const chunk = BigInt(f.imm16) << BigInt(16 * f.hw);
  return BigInt.asUintN(widthOf(f), inverted ? ~chunk : chunk);
}

/** add/sub extended register: objdump writes `lsl` for the no-op extension when SP is involved. */
function extendIsLsl(form: Form, f: Fields): boolean {
  const rdIsSp = form.own.pieces.some((p) => p.kind === 'slot' && p.slot === 'Rd|SP');
  return f.option === (f.sf === 1 ? 3 : 2) && (f.rn === 31 || (rdIsSp && f.rd === 31));
}

function slotIsDefault(name: SlotName, form: Form, f: Fields): boolean {
  const slot = SLOTS[name];
  const dflt = (field: string): boolean => f[field] === (form.spec.defaults?.[field] ?? 0);
  switch (slot.kind) {
    case 'reg': case 'imm': case 'lsl': case 'offset': return dflt(slot.field);
    case 'shift': return f.shift === 0;
    case 'extend': return extendIsLsl(form, f) && f.imm3 === 0;
    case 'ldst-extend': return f.option === 3 && f.s === 0;
    case 'isb-option': return dflt('crm');
    case 'targets': return dflt('targets');
    case 'label': case 'page': case 'bitmask': case 'wide': case 'barrier': case 'bitfield': case 'cond': case 'sysreg': return false;
    case 'zero': return true;
    default: return assertNever(slot, 'slot');
  }
}

function renderSlot(name: SlotName, form: Form, f: Fields, address: bigint): string {
  const slot = SLOTS[name];
  switch (slot.kind) {
    case 'reg': return registerName(f[slot.field], slotIsX(slot, form, f), slot.sp);
    case 'imm': return slot.hex ? `0x${f[slot.field].toString(16)}` : String(f[slot.field]);
    case 'label': {
      const pc = pcrelField(form)!;
      return U64(address + BigInt(f[pc.name] * pc.scale));
    }
    case 'page': return U64((address & ~0xfffn) + (BigInt(f.imm21) << 12n));
    case 'lsl': return String(f[slot.field] * slot.unit);
    case 'shift': return SHIFTS[f.shift];
    case 'extend':
      if (extendIsLsl(form, f)) return `lsl #${f.imm3}`;
      return f.imm3 === 0 ? EXTENDS[f.option] : `${EXTENDS[f.option]} #${f.imm3}`;
    case 'ldst-extend': {
      const amount = f.s === 1 ? Math.log2(accessSize(form, f)) : 0;
      if (f.option === 3) return `lsl #${amount}`;
      return f.s === 1 ? `${EXTENDS[f.option]} #${amount}` : EXTENDS[f.option];
    }
    case 'bitmask': return `0x${decodeBitmask({ n: f.n, immr: f.immr, imms: f.imms }, widthOf(f))!.toString(16)}`;
    case 'wide': return `0x${wideValue(f, slot.inverted).toString(16)}`;
    case 'offset': return String(slot.scaled ? f[slot.field] * accessSize(form, f) : f[slot.field]);
    case 'barrier': return BARRIER_OPTIONS[f.crm] ?? `#0x${f.crm.toString(16).padStart(2, '0')}`;
    case 'isb-option': return `#0x${f.crm.toString(16)}`;
    case 'targets': return BTI_TARGETS[f.targets];
    case 'bitfield': return String(bitfieldAmount(slot.role, f));
    case 'cond': return CONDITIONS[slot.inverted ? f.cond ^ 1 : f.cond].name;
    case 'sysreg': return systemRegisterName(f.sysreg);
    case 'zero': return '0';
    default: return assertNever(slot, 'slot');
  }
}

/** objdump's name of a system register: a known name, else `s<op0>_<op1>_c<CRn>_c<CRm>_<op2>`. */
export function systemRegisterName(sysreg: number): string {
  return SYSREG_NAMES.get(sysreg)
    ?? `s${2 + (sysreg >> 14)}_${(sysreg >> 11) & 7}_c${(sysreg >> 7) & 15}_c${(sysreg >> 3) & 15}_${sysreg & 7}`;
}

/** What a bitfield alias's operand says about immr:imms (the inverse is in syntax-values.ts). */
export function bitfieldAmount(role: 'lsl' | 'lsr' | 'ins-lsb' | 'ins-width' | 'ext-lsb' | 'ext-width', f: Fields): number {
  const width = widthOf(f);
  switch (role) {
    case 'lsl': return width - 1 - f.imms;
    case 'lsr': case 'ext-lsb': return f.immr;
    case 'ins-lsb': return (width - f.immr) % width;
    case 'ins-width': return f.imms + 1;
    case 'ext-width': return f.imms - f.immr + 1;
    default: return assertNever(role, 'bitfield role');
  }
}

function render(pieces: readonly Piece[], form: Form, f: Fields, address: bigint): string {
  let out = '';
  for (const p of pieces) {
    if (p.kind === 'text') out += p.text;
    else if (p.kind === 'slot') out += renderSlot(p.slot, form, f, address);
    else if (!p.pieces.every((q) => q.kind !== 'slot' || slotIsDefault(q.slot, form, f))) out += render(p.pieces, form, f, address);
  }
  return out;
}

/** objdump's `// #-65536` after a mov alias: the value as a signed number of the register's width. */
function valueComment(s: Spelling, f: Fields): string {
  const slot = s.pieces.find((p) => p.kind === 'slot' && (SLOTS[p.slot].kind === 'wide' || SLOTS[p.slot].kind === 'bitmask'));
  if (slot?.kind !== 'slot') return '';
  const spec = SLOTS[slot.slot];
  const value = spec.kind === 'wide' ? wideValue(f, spec.inverted) : decodeBitmask({ n: f.n, immr: f.immr, imms: f.imms }, widthOf(f))!;
  return `\t// #${BigInt.asIntN(widthOf(f), value)}`;
}

/** objdump's `// cs = hs, nlast` after a condition operand that has other names. */
function conditionComment(s: Spelling, f: Fields): string {
  const slot = s.pieces.find((p) => p.kind === 'slot' && SLOTS[p.slot].kind === 'cond');
  if (slot?.kind !== 'slot') return '';
  const cond = CONDITIONS[slot.slot === 'cond-inv' ? f.cond ^ 1 : f.cond];
  return cond.also.length > 0 ? `\t// ${cond.name} = ${cond.also.join(', ')}` : '';
}

/** The spelling objdump uses for these fields. */
export function spellingOf(form: Form, f: Fields): Spelling {
  for (const a of form.aliases) if (!a.gnuOnly && aliasApplies(a, f)) return a;
  return form.own;
}

export function print(insn: Arm64Insn, address: bigint): PrintedInsn {
  const form = FORM_BY_OP[insn.op];
  const f = insn as unknown as Fields;
  const s = spellingOf(form, f);
  let mnemonic = s.mnemonic;
  let operands = render(s.pieces, form, f, address);
  if (mnemonic.includes('<cond>')) {
    const cond = CONDITIONS[f.cond];
    mnemonic = mnemonic.replace('<cond>', cond.name);
    if (cond.also.length > 0) operands += `  // ${cond.also.map((a) => `b.${a}`).join(', ')}`;
  }
  if (s.valueComment) operands += valueComment(s, f);
  operands += conditionComment(s, f);
  return { mnemonic, operands };
}

/** What objdump prints for a word it cannot decode; a tail shorter than a word is shown as bytes. */
export function undecodable(bytes: Uint8Array, offset: number): { readonly length: number; readonly text: PrintedInsn } {
  if (offset + 4 <= bytes.length) {
    const word = readU32(bytes, offset, 'little');
    return { length: 4, text: { mnemonic: '.inst', operands: `0x${word.toString(16).padStart(8, '0')} ; undefined` } };
  }
  const tail = Array.from(bytes.subarray(offset), (b) => `0x${b.toString(16).padStart(2, '0')}`);
  return { length: tail.length, text: { mnemonic: '.byte', operands: tail.join(', ') } };
}
