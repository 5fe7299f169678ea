// x86-64 decoder: prefixes, REX, then a lookup by opcode byte into the forms of table-forms.ts.

import { assertNever } from '../../base/assert.js';
import { immediateBytes, modrmDigit, X86_FORMS, X86_OPS, type FormSpec, type X86Op } from './table-forms.js';
import {
  gprName, isLegacyPrefix, isRex, REX, SEGMENT_REGISTER_NAMES, type GprSize, type X86Insn, type X86Mem, type X86Operand, type X86Reg,
} from './table.js';

export type X86DecodedInsn = X86Insn<X86Op>;

const MAX_LENGTH = 15;

/** What the decoder checks of a form, worked out once from its table entry. */
interface DecodeInfo {
  readonly op: X86Op;
  readonly spec: FormSpec;
  /** ModRM: the /digit its reg field must hold, the whole byte it must be, or -1. */
  readonly digit: number;
  readonly fixed: number;
  readonly memoryOnly: boolean;
  readonly registerOnly: boolean;
  readonly excludedPrefixes: readonly number[];
  readonly excludedRex: number;
}

/**
 * Forms by opcode: index map * 256 + last opcode byte (map 0: one-byte opcodes, map 1: after 0f).
 * A form whose opcode carries a register (+r) or a condition fills 8 or 16 slots. Forms with a
 * mandatory prefix come first, so that f3 90 is pause before it is nop.
 */
const BY_OPCODE: readonly (readonly DecodeInfo[])[] = (() => {
  const slots: DecodeInfo[][] = Array.from({ length: 512 }, () => []);
  for (const op of X86_OPS) {
    const spec = X86_FORMS[op];
    if (spec.opcode.length === 0) continue;
    const info: DecodeInfo = {
      op, spec, digit: modrmDigit(spec) ?? -1, fixed: typeof spec.modrm === 'number' ? spec.modrm : -1,
      memoryOnly: spec.operands.includes('m'), registerOnly: spec.operands.includes('r64') || spec.operands.includes('rreg'), excludedPrefixes: spec.excludes?.prefixes ?? [], excludedRex: spec.excludes?.rex ?? 0,
    };
    const map = spec.opcode.length > 1 ? 1 : 0;
    const last = spec.opcode[spec.opcode.length - 1];
    const span = spec.cond ? 16 : spec.operands.includes('+r') ? 8 : 1;
    for (let j = 0; j < span; j++) slots[map * 256 + last + j].push(info);
  }
  for (const s of slots) s.sort((a, b) => Number(a.spec.mandatory === undefined) - Number(b.spec.mandatory === undefined));
  return Object.freeze(slots.map((s) => Object.freeze(s)));
})();

const NO_PREFIXES: readonly number[] = Object.freeze([]);

/** What the prefix bytes say, gathered once per instruction. */
interface Prefixes {
  readonly list: readonly number[];
  readonly rex: number;
  readonly has66: boolean;
  readonly has67: boolean;
  /** The last fs/gs prefix: the only segment overrides 64-bit mode honours. */
  readonly seg: 'fs' | 'gs' | undefined;
}

function gather(list: readonly number[], rex: number): Prefixes {
  let seg: 'fs' | 'gs' | undefined;
  let has66 = false, has67 = false;
  for (const b of list) {
    if (b === 0x64) seg = 'fs';
    else if (b === 0x65) seg = 'gs';
    else if (b === 0x66) has66 = true;
    else if (b === 0x67) has67 = true;
  }
  return { list, rex, seg, has66, has67 };
}

export function operandSize(spec: FormSpec, p: { has66: boolean; rex: number }): 0 | GprSize {
  switch (spec.size) {
    case 'b': return 8;
    case 'w': return 16;
    case 'v': return p.rex & REX.W ? 64 : p.has66 ? 16 : 32;
    case 'd64': return p.has66 && !(p.rex & REX.W) ? 16 : 64;
    case 'none': return 0;
    default: return assertNever(spec.size, 'size class');
  }
}

/** The instruction at bytes[offset], or undefined when it is not one of ours (or is cut short). */
export function decode(bytes: Uint8Array, offset: number): X86DecodedInsn | undefined {
  if (offset < 0 || offset >= bytes.length) return undefined;
  let p = offset;
  const end = Math.min(bytes.length, offset + MAX_LENGTH);
  while (p < end && isLegacyPrefix(bytes[p])) p++;
  let list: readonly number[] = NO_PREFIXES;
  if (p > offset) {
    const l: number[] = [];
    for (let i = offset; i < p; i++) l.push(bytes[i]);
    list = l;
  }
  let rex = 0;
  if (p < bytes.length && isRex(bytes[p])) {
    rex = bytes[p++];
    // A REX not right before the opcode is ignored by the CPU; objdump shows it as an instruction of its own.
    if (p < bytes.length && (isLegacyPrefix(bytes[p]) || isRex(bytes[p]))) return undefined;
  }
  if (p >= bytes.length) return standalonePrefix(bytes[offset]);
  let byte = bytes[p++];
  let map = 0;
  if (byte === 0x0f) {
    if (p >= bytes.length) return undefined;
    map = 1;
    byte = bytes[p++];
  }
  const pre = gather(list, rex);
  for (const info of BY_OPCODE[map * 256 + byte]) {
    const insn = decodeForm(info, bytes, offset, p, byte, pre);
    if (insn) return insn;
  }
  return undefined;
}

/** Bytes that end after a prefix: objdump prints each prefix as an instruction of its own. */
function standalonePrefix(b: number): X86DecodedInsn {
  const rex = isRex(b) ? b : 0;
  return { op: 'prefix', prefixes: rex ? [] : [b], rex, opsize: 0, cond: undefined, operands: [], length: 1 };
}

function excluded(info: DecodeInfo, pre: Prefixes): boolean {
  if (pre.rex & info.excludedRex) return true;
  for (const b of info.excludedPrefixes) if (pre.list.includes(b)) return true;
  return false;
}

/** Position of the first byte after the ModRM/SIB/displacement, with the memory operand if there is one. */
interface RmResult {
  readonly next: number;
  readonly operand: X86Operand;
}

function decodeForm(
  info: DecodeInfo, bytes: Uint8Array, start: number, p: number, opcodeByte: number, pre: Prefixes,
): X86DecodedInsn | undefined {
  const { op, spec } = info;
  if (spec.mandatory !== undefined && !pre.list.includes(spec.mandatory)) return undefined;
  if ((pre.list.length > 0 || pre.rex !== 0) && excluded(info, pre)) return undefined;
  const opsize = operandSize(spec, pre);
  let rm: RmResult | undefined;
  let modrmReg = 0;
  if (spec.modrm !== undefined) {
    if (p >= bytes.length) return undefined;
    const modrm = bytes[p];
    modrmReg = (modrm >> 3) & 7;
    if (info.fixed >= 0) {
      if (modrm !== info.fixed) return undefined;
      p++;
    } else {
      if (info.digit >= 0 && info.digit !== modrmReg) return undefined;
      if (info.memoryOnly && modrm >> 6 === 3) return undefined;
      if (info.registerOnly && modrm >> 6 !== 3) return undefined;
      if (spec.operands[0] === 'sreg' && modrmReg >= SEGMENT_REGISTER_NAMES.length) return undefined;
      rm = decodeRm(bytes, p, pre, opsize);
      if (!rm) return undefined;
      p = rm.next;
    }
  }
  const operands: X86Operand[] = [];
  for (const kind of spec.operands) {
    const size = immediateBytes(kind, opsize, pre.has67 ? 32 : 64);
    if (size > 0) {
      if (p + size > bytes.length) return undefined;
      operands.push(kind === 'moffs' ? moffs(bytes, p, size, pre.seg) : immediate(kind, bytes, p, size, opsize));
      p += size;
      continue;
    }
    operands.push(registerOperand(kind, pre, opsize, modrmReg, opcodeByte, rm));
  }
  const length = p - start;
  if (length > MAX_LENGTH) return undefined;
  return {
    op, prefixes: pre.list, rex: pre.rex, opsize, cond: spec.cond ? opcodeByte & 15 : undefined, operands, length,
  };
}

function registerOperand(
  kind: FormSpec['operands'][number], pre: Prefixes, opsize: 0 | GprSize, modrmReg: number, opcodeByte: number,
  rm: RmResult | undefined,
): X86Operand {
  const size = (opsize || 64) as GprSize;
  const rexPresent = pre.rex !== 0;
  switch (kind) {
    case 'r': return { kind: 'reg', reg: gprName(modrmReg | (pre.rex & REX.R ? 8 : 0), size, rexPresent) };
    case '+r': return { kind: 'reg', reg: gprName((opcodeByte & 7) | (pre.rex & REX.B ? 8 : 0), size, rexPresent) };
    case 'acc': return { kind: 'reg', reg: gprName(0, size, rexPresent) };
    case 'cl': return { kind: 'reg', reg: 'cl' };
    case 'cr': return { kind: 'cr', num: modrmReg | (pre.rex & REX.R ? 8 : 0) };
    case 'sreg': return { kind: 'sreg', num: modrmReg };
    default: return rm!.operand;
  }
}

function immediate(kind: FormSpec['operands'][number], bytes: Uint8Array, p: number, size: number, opsize: number): X86Operand {
  // Little-endian, as a signed 32-bit number where it fits (everything but the 8-byte movabs immediate).
  let n = 0;
  if (size === 1) n = (bytes[p] << 24) >> 24;
  else if (size === 2) n = ((bytes[p] | (bytes[p + 1] << 8)) << 16) >> 16;
  else n = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24);
  if (kind === 'rel8' || kind === 'rel32') return { kind: 'rel', disp: n };
  if (size === 8) {
    const high = BigInt((bytes[p + 4] | (bytes[p + 5] << 8) | (bytes[p + 6] << 16) | (bytes[p + 7] << 24)) >>> 0);
    return { kind: 'imm', value: (high << 32n) | BigInt(n >>> 0) };
  }
  // simm8, and immz at 64 bits, sign-extend to the operand size; the others are taken as they are.
  const signed = kind === 'simm8' || (kind === 'immz' && opsize === 64);
  return { kind: 'imm', value: signed ? BigInt.asUintN(opsize, BigInt(n)) : BigInt(size === 4 ? n >>> 0 : n & ((1 << (size * 8)) - 1)) };
}

function moffs(bytes: Uint8Array, p: number, size: number, seg: 'fs' | 'gs' | undefined): X86Operand {
  let address = 0n;
  for (let i = size - 1; i >= 0; i--) address = (address << 8n) | BigInt(bytes[p + i]);
  return { kind: 'moffs', seg, address, addressSize: size === 4 ? 32 : 64 };
}

/** ModRM.rm as a register or a memory operand (SIB, displacement); undefined when the bytes run out. */
function decodeRm(bytes: Uint8Array, p: number, pre: Prefixes, opsize: 0 | GprSize): RmResult | undefined {
  const modrm = bytes[p++];
  const mod = modrm >> 6;
  const rmField = modrm & 7;
  const b = pre.rex & REX.B ? 8 : 0;
  if (mod === 3) return { next: p, operand: { kind: 'reg', reg: gprName(rmField | b, (opsize || 64) as GprSize, pre.rex !== 0) } };
  const addressSize = pre.has67 ? 32 : 64;
  const addr = (n: number): X86Reg => gprName(n, addressSize, true);
  let base: X86Reg | undefined;
  let index: X86Mem['index'];
  let scale: X86Mem['scale'] = 1;
  let dispSize: 0 | 1 | 4 = mod === 1 ? 1 : mod === 2 ? 4 : 0;
  let ripRelative = false;
  if (rmField === 4) {
    if (p >= bytes.length) return undefined;
    const sib = bytes[p++];
    scale = (1 << (sib >> 6)) as X86Mem['scale'];
    const idx = ((sib >> 3) & 7) | (pre.rex & REX.X ? 8 : 0);
    const baseField = sib & 7;
    if (baseField === 5 && mod === 0) dispSize = 4;
    else base = addr(baseField | b);
    // A SIB that names no index is needed for an rsp/r12 base or an absolute address (at scale 1);
    // any other one shows as the pseudo index riz.
    const needed = scale === 1 && (base === undefined || (baseField === 4));
    if (idx !== 4) index = addr(idx);
    else if (!needed) index = addressSize === 64 ? 'riz' : 'eiz';
  } else if (rmField === 5 && mod === 0) {
    ripRelative = true;
    dispSize = 4;
  } else {
    base = addr(rmField | b);
  }
  if (p + dispSize > bytes.length) return undefined;
  let disp = 0;
  if (dispSize === 1) disp = (bytes[p] << 24) >> 24;
  else if (dispSize === 4) disp = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24);
  p += dispSize;
  return { next: p, operand: { kind: 'mem', seg: pre.seg, base, index, scale, disp, dispSize, ripRelative, addressSize } };
}
