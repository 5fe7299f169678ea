// x86-64 encoder: an X86Insn back to its bytes, driven by its form in table-forms.ts.

import { assert } from '../../base/assert.js';
import { writeUint } from '../../base/bits.js';
import { immediateBytes, modrmDigit, X86_FORMS, type FormSpec, type X86Op } from './table-forms.js';
import { NOP_FILL, REGISTERS, type X86Insn, type X86Mem, type X86Operand, type X86Reg } from './table.js';

const regNum = (r: X86Reg): number => REGISTERS[r].num;

/** Number of an address register: the pseudo index riz/eiz is SIB index 100. */
function addrNum(r: X86Reg | 'riz' | 'eiz'): number {
  return r === 'riz' || r === 'eiz' ? 4 : REGISTERS[r].num;
}

/** Does this memory operand need a SIB byte? (Index, rsp/r12 base, or an absolute address.) */
export function needsSib(m: X86Mem): boolean {
  if (m.ripRelative) return false;
  return m.index !== undefined || m.base === undefined || (addrNum(m.base) & 7) === 4;
}

/** ModRM (and SIB, displacement) of a memory operand with `reg` in the reg field. */
function memoryBytes(m: X86Mem, reg: number, out: number[]): void {
  if (m.ripRelative) {
    out.push(((reg & 7) << 3) | 5);
    pushLe(out, BigInt(m.disp), 4);
    return;
  }
  const mod = m.base === undefined ? 0 : m.dispSize === 0 ? 0 : m.dispSize === 1 ? 1 : 2;
  assert(m.base !== undefined || m.dispSize === 4, 'an absolute address has a disp32');
  assert(!(m.base !== undefined && mod === 0 && (addrNum(m.base) & 7) === 5), 'rbp/r13 base needs a displacement');
  if (needsSib(m)) {
    out.push((mod << 6) | ((reg & 7) << 3) | 4);
    const scaleBits = [1, 2, 4, 8].indexOf(m.scale);
    const index = m.index === undefined ? 4 : addrNum(m.index) & 7;
    const base = m.base === undefined ? 5 : addrNum(m.base) & 7;
    out.push((scaleBits << 6) | (index << 3) | base);
  } else {
    out.push((mod << 6) | ((reg & 7) << 3) | (addrNum(m.base!) & 7));
  }
  if (m.dispSize > 0) pushLe(out, BigInt(m.disp), m.dispSize);
}

function pushLe(out: number[], value: bigint, size: number): void {
  const b = new Uint8Array(size);
  writeUint(b, 0, size, value, 'little');
  out.push(...b);
}

function operandOf(spec: FormSpec, insn: X86Insn, kinds: readonly string[]): X86Operand | undefined {
  const i = spec.operands.findIndex((k) => kinds.includes(k));
  return i < 0 ? undefined : insn.operands[i];
}

/** The ModRM byte and what follows it up to the immediate. */
function modrmBytes(spec: FormSpec, insn: X86Insn, out: number[]): void {
  if (typeof spec.modrm === 'number') {
    out.push(spec.modrm);
    return;
  }
  const r = operandOf(spec, insn, ['r', 'cr', 'sreg']);
  const reg = spec.modrm === '/r' ? (r?.kind === 'reg' ? regNum(r.reg) : r?.kind === 'cr' || r?.kind === 'sreg' ? r.num : 0) : modrmDigit(spec)!;
  const rm = operandOf(spec, insn, ['rm', 'm', 'r64', 'rreg']);
  assert(rm !== undefined, `${insn.op} has an r/m operand`);
  if (rm.kind === 'reg') out.push(0xc0 | ((reg & 7) << 3) | (regNum(rm.reg) & 7));
  else if (rm.kind === 'mem') memoryBytes(rm, reg, out);
  else assert(false, `${insn.op}: r/m operand is a register or memory`);
}

export function encode(insn: X86Insn): Uint8Array {
  const spec = X86_FORMS[insn.op as X86Op];
  assert(spec !== undefined, `unknown x86-64 form ${insn.op}`);
  const out: number[] = [...insn.prefixes];
  if (insn.rex) out.push(insn.rex);
  const opcode = [...spec.opcode];
  if (spec.cond) opcode[opcode.length - 1] |= insn.cond! & 15;
  const plusR = operandOf(spec, insn, ['+r']);
  if (plusR?.kind === 'reg') opcode[opcode.length - 1] |= regNum(plusR.reg) & 7;
  out.push(...opcode);
  if (spec.modrm !== undefined) modrmBytes(spec, insn, out);
  spec.operands.forEach((kind, i) => {
    const o = insn.operands[i];
    const size = immediateBytes(kind, insn.opsize, o.kind === 'moffs' ? o.addressSize : 64);
    if (size === 0) return;
    if (o.kind === 'imm') pushLe(out, o.value, size);
    else if (o.kind === 'moffs') pushLe(out, o.address, size);
    else if (o.kind === 'rel') pushLe(out, BigInt(o.disp), size);
    else assert(false, `${insn.op}: operand ${i} is an immediate`);
  });
  assert(out.length === insn.length, `${insn.op}: encoded ${out.length} bytes, insn says ${insn.length}`);
  return Uint8Array.from(out);
}

/** Padding GNU as 2.40 emits for an alignment in code: nops, or from 88 bytes a jmp over them. */
export function codeFill(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  let left = length;
  const longest = NOP_FILL.length - 1;
  // GNU as jumps over padding of 8 or more longest nops (its limit on a run of nops).
  if (length >= 8 * longest) {
    const jump = length - 2 <= 127 ? [0xeb, length - 2] : [0xe9, ...leBytes(length - 5, 4)];
    out.set(jump, 0);
    at = jump.length;
    left -= jump.length;
  }
  while (left > 0) {
    const n = Math.min(left, longest);
    out.set(NOP_FILL[n], at);
    at += n;
    left -= n;
  }
  return out;
}

function leBytes(v: number, size: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < size; i++) out.push((v >>> (8 * i)) & 0xff);
  return out;
}
