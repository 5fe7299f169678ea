// Random x86-64 instructions per form over whole field ranges (prefixes, REX, ModRM/SIB, immediates),
// built from the table's facts here rather than by asking the encoder or decoder.

import fc from 'fast-check';
import { immediateBytes, X86_FORMS, X86_OPS, type FormSpec, type OperandKind, type X86Op } from '../../src/isa/x86-64/table-forms.js';
import { gprName, REGISTERS, REX, type GprSize, type X86Insn, type X86Mem, type X86Operand, type X86Reg } from '../../src/isa/x86-64/table.js';

export type Insn = X86Insn<X86Op>;
/** Every form but the lone prefix (that one only decodes where the bytes end). */
export const X86_INSN_OPS: readonly X86Op[] = X86_OPS.filter((op) => op !== 'prefix');

type Pick = <T>(arb: fc.Arbitrary<T>) => T;

const LEGACY = [0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3];

/** Operand sizes a form can have. */
function sizesOf(spec: FormSpec): (0 | GprSize)[] {
  switch (spec.size) {
    case 'b': return [8];
    case 'w': return [16];
    case 'v': return [16, 32, 64];
    case 'd64': return [16, 64];
    case 'none': return [0];
  }
}

/** Legacy prefixes: the ones the size and form need, plus up to three more that change nothing. */
function prefixesFor(spec: FormSpec, opsize: number, rexW: boolean, pick: Pick): number[] {
  const needs66 = (opsize === 16 && (spec.size === 'v' || spec.size === 'd64')) || spec.mandatory === 0x66;
  // A 66 would change the size of a 32-bit `v` form or a 64-bit `d64` one; at 64 bits REX.W wins over it.
  const may66 = needs66 || spec.size === 'none' || spec.size === 'b' || (opsize === 64 && rexW);
  const pool = LEGACY.filter((b) => !spec.excludes?.prefixes?.includes(b) && (b !== 0x66 || may66));
  const extra = pick(fc.array(fc.constantFrom(...pool), { maxLength: 3 }));
  const required = [...(needs66 ? [0x66] : []), ...(spec.mandatory === 0xf3 ? [0xf3] : [])];
  const out = [...extra];
  for (const b of required) out.splice(pick(fc.integer({ min: 0, max: out.length })), 0, b);
  return out;
}

function disp(pick: Pick, size: 0 | 1 | 4): number {
  if (size === 0) return 0;
  const bits = size * 8;
  const lo = -(2 ** (bits - 1)), hi = 2 ** (bits - 1) - 1;
  return pick(fc.oneof(fc.constantFrom(lo, hi, 0, -1), fc.integer({ min: lo, max: hi })));
}

/** A memory operand of every addressing shape: rip-relative, absolute, base, base+index, index only, riz. */
function memory(pick: Pick, addressSize: 32 | 64, seg: X86Mem['seg'], maxReg: number): X86Mem {
  const reg = (n: number) => gprName(n, addressSize, true);
  const riz = addressSize === 64 ? 'riz' : 'eiz';
  const shape = pick(fc.constantFrom('rip', 'absolute', 'base', 'base+index', 'index', 'riz'));
  const mem = (m: Omit<X86Mem, 'kind' | 'seg' | 'addressSize'>): X86Mem => ({ kind: 'mem', seg, ...m, addressSize });
  const scale = pick(fc.constantFrom(1, 2, 4, 8) as fc.Arbitrary<1 | 2 | 4 | 8>);
  const indexNum = pick(fc.integer({ min: 0, max: maxReg }).filter((n) => n !== 4));
  if (shape === 'rip') return mem({ base: undefined, index: undefined, scale: 1, disp: disp(pick, 4), dispSize: 4, ripRelative: true });
  if (shape === 'absolute') return mem({ base: undefined, index: undefined, scale: 1, disp: disp(pick, 4), dispSize: 4, ripRelative: false });
  if (shape === 'index') return mem({ base: undefined, index: reg(indexNum), scale, disp: disp(pick, 4), dispSize: 4, ripRelative: false });
  const baseNum = pick(fc.integer({ min: 0, max: maxReg }));
  const dispSize = pick(fc.constantFrom(...((baseNum & 7) === 5 ? [1, 4] : [0, 1, 4])) as fc.Arbitrary<0 | 1 | 4>);
  const d = disp(pick, dispSize);
  if (shape === 'base') return mem({ base: reg(baseNum), index: undefined, scale: 1, disp: d, dispSize, ripRelative: false });
  if (shape === 'base+index') return mem({ base: reg(baseNum), index: reg(indexNum), scale, disp: d, dispSize, ripRelative: false });
  // A SIB without an index: only shown as riz where the plain form would not need that SIB.
  const rizScale = (baseNum & 7) === 4 ? pick(fc.constantFrom(2, 4, 8) as fc.Arbitrary<2 | 4 | 8>) : scale;
  return mem({ base: reg(baseNum), index: riz, scale: rizScale, disp: d, dispSize, ripRelative: false });
}

function immediate(pick: Pick, kind: OperandKind, opsize: number): X86Operand {
  const bytes = immediateBytes(kind, opsize, 64);
  const raw = pick(fc.oneof(
    fc.constantFrom(0n, (1n << BigInt(bytes * 8)) - 1n, 1n << BigInt(bytes * 8 - 1), (1n << BigInt(bytes * 8 - 1)) - 1n),
    fc.bigInt({ min: 0n, max: (1n << BigInt(bytes * 8)) - 1n }),
  ));
  if (kind === 'rel8' || kind === 'rel32') return { kind: 'rel', disp: Number(BigInt.asIntN(bytes * 8, raw)) };
  const signExtends = kind === 'simm8' || (kind === 'immz' && opsize === 64);
  return { kind: 'imm', value: signExtends ? BigInt.asUintN(opsize, BigInt.asIntN(bytes * 8, raw)) : raw };
}

const needsSib = (m: X86Mem) => !m.ripRelative && (m.index !== undefined || m.base === undefined || (regNum(m.base) & 7) === 4);
const regNum = (r: X86Reg | 'riz' | 'eiz'): number => (r === 'riz' || r === 'eiz' ? 0 : REGISTERS[r].num);

/** Random instruction of form `op`: every field over its range, REX present or not, redundant bits too. */
export function insnArb(op: X86Op): fc.Arbitrary<Insn> {
  const spec = X86_FORMS[op];
  return fc.gen().map((g): Insn => {
    const pick: Pick = (arb) => g(() => arb);
    const opsize = pick(fc.constantFrom(...sizesOf(spec)));
    // REX.W: sets a `v` form to 64 bits, keeps a `d64` form at 64 over a 66, else changes nothing.
    const rexW = spec.size === 'v' ? opsize === 64 : spec.size === 'd64' && opsize === 16 ? false : (spec.excludes?.rex ?? 0) & REX.W ? false : pick(fc.boolean());
    const prefixes = prefixesFor(spec, opsize, rexW, pick);
    const addressSize = prefixes.includes(0x67) ? 32 : 64;
    let seg: X86Mem['seg'];
    for (const b of prefixes) if (b === 0x64 || b === 0x65) seg = b === 0x64 ? 'fs' : 'gs';
    const rexPresent = rexW ? true : pick(fc.boolean());
    let bits = rexW ? REX.W : 0;
    const regNums: Record<string, number> = {};
    const operands: X86Operand[] = spec.operands.map((kind) => {
      if (kind === 'moffs') {
        const address = pick(fc.oneof(fc.constantFrom(0n, (1n << BigInt(addressSize)) - 1n), fc.bigInt({ min: 0n, max: (1n << BigInt(addressSize)) - 1n })));
        return { kind: 'moffs', seg, address, addressSize };
      }
      if (immediateBytes(kind, opsize, addressSize) > 0) return immediate(pick, kind, opsize);
      const size = (opsize || 64) as GprSize;
      if (kind === 'acc') return { kind: 'reg', reg: gprName(0, size, rexPresent) };
      if (kind === 'cl') return { kind: 'reg', reg: 'cl' };
      if (kind === 'sreg') return { kind: 'sreg', num: pick(fc.integer({ min: 0, max: 5 })) };
      if (kind === 'cr') {
        const num = pick(fc.integer({ min: 0, max: rexPresent ? 15 : 7 }));
        if (num >= 8) bits |= REX.R;
        return { kind: 'cr', num };
      }
      const useMem = kind === 'm' || (kind === 'rm' && pick(fc.boolean()));  // never for r64, rreg
      if (useMem) {
        const m = memory(pick, addressSize, seg, rexPresent ? 15 : 7);
        if (m.base && regNum(m.base) >= 8) bits |= REX.B;
        if (m.index && regNum(m.index) >= 8) bits |= REX.X;
        regNums.sib = needsSib(m) ? 1 : 0;
        return m;
      }
      // xchg's 90+r with register 0 is nop's bytes.
      const n = pick(fc.integer({ min: kind === '+r' && spec.operands.includes('acc') ? 1 : 0, max: rexPresent ? 15 : 7 }));
      if (n >= 8) bits |= kind === 'r' ? REX.R : REX.B;
      return { kind: 'reg', reg: gprName(n, size, rexPresent) };
    });
    // Bits no operand uses may be set at random (objdump shows them); W never on a sized form.
    let free = 0;
    if (!spec.operands.some((k) => k === 'r' || k === 'cr')) free |= REX.R;
    if (!regNums.sib) free |= REX.X;
    if (!spec.operands.some((k) => k === 'rm' || k === 'm' || k === '+r' || k === 'r64' || k === 'rreg')) free |= REX.B;
    free &= ~(spec.excludes?.rex ?? 0);
    const rex = rexPresent ? 0x40 | bits | (pick(fc.integer({ min: 0, max: 15 })) & free) : 0;
    const cond = spec.cond ? pick(fc.integer({ min: 0, max: 15 })) : undefined;
    const length = lengthOf(spec, prefixes, rex, operands, opsize, addressSize);
    return { op, prefixes, rex, opsize, cond, operands, length };
  }).filter((i) => i.length <= 15);
}

/** Length from the parts, counted here independently of the encoder. */
function lengthOf(
  spec: FormSpec, prefixes: readonly number[], rex: number, operands: readonly X86Operand[], opsize: number, addressSize: number,
): number {
  let n = prefixes.length + (rex ? 1 : 0) + spec.opcode.length + (spec.modrm !== undefined ? 1 : 0);
  for (const o of operands) if (o.kind === 'mem') n += (needsSib(o) ? 1 : 0) + o.dispSize;
  for (const k of spec.operands) n += immediateBytes(k, opsize, addressSize);
  return n;
}

export const anyInsnArb: fc.Arbitrary<Insn> = fc.constantFrom(...X86_INSN_OPS).chain(insnArb);

/** A prefix on its own, as the last byte of a buffer: a legacy prefix or a REX. */
export const prefixInsnArb: fc.Arbitrary<Insn> = fc.constantFrom(...LEGACY, 0x40, 0x41, 0x48, 0x4f).map((b): Insn => {
  const rex = (b & 0xf0) === 0x40 ? b : 0;
  return { op: 'prefix', prefixes: rex ? [] : [b], rex, opsize: 0, cond: undefined, operands: [], length: 1 };
});
