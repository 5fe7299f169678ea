// Which form GNU as picks for a mnemonic and its operands: sizes from suffix and registers, then the
// first form of the table (in its GNU order) whose operand kinds and immediate ranges fit.

import { assertNever } from '../../base/assert.js';
import type { SourceSpan } from '../../base/diagnostics.js';
import { fitsSigned } from '../../base/bits.js';
import type { ParseContext } from '../types.js';
import type { Operand } from './syntax-operands.js';
import { X86_FORMS, X86_OPS, type FormSpec, type OperandKind, type X86Op } from './table-forms.js';
import { CONDITIONS, REGISTERS, type GprSize } from './table.js';

export interface MnemonicEntry {
  /** Candidate forms, in table (GNU) order. */
  readonly ops: readonly X86Op[];
  readonly cond: number | undefined;
  /** Operand size a b/w/l/q suffix asks for. */
  readonly suffix: GprSize | undefined;
  /** `movabs`: only the 64-bit immediate form and the moffs forms. */
  readonly movabs: boolean;
}

const LETTER: Readonly<Record<string, GprSize>> = { b: 8, w: 16, l: 32, q: 64 };
const LETTERS_OF_CLASS: Readonly<Record<FormSpec['size'], string>> = { b: 'b', w: 'w', v: 'wlq', d64: 'wq', none: '' };

/** Every spelling GNU as accepts, derived from the forms: names, aliases, condition spellings, suffixes. */
const MNEMONICS: ReadonlyMap<string, MnemonicEntry> = (() => {
  const bases = new Map<string, { ops: X86Op[]; cond: number | undefined; movabs: boolean; letters: Set<string> }>();
  const add = (name: string, op: X86Op, cond: number | undefined, movabs = false): void => {
    let b = bases.get(name);
    if (!b) bases.set(name, (b = { ops: [], cond, movabs, letters: new Set() }));
    b.ops.push(op);
    const spec = X86_FORMS[op];
    // `callq label` is accepted (the near call is 64-bit), `jmpq label` is not.
    const letters = op === 'call_rel32' ? 'q' : movabs && op === 'mov_r_immv' ? 'q' : LETTERS_OF_CLASS[spec.size];
    for (const l of letters) b.letters.add(l);
  };
  for (const op of X86_OPS) {
    const spec = X86_FORMS[op];
    if (op === 'prefix') continue;
    if (spec.cond) {
      CONDITIONS.forEach((names, cond) => names.forEach((n) => add(`j${n}`, op, cond)));
      continue;
    }
    add(spec.mnemonic, op, undefined);
    for (const a of spec.aliases ?? []) add(a, op, undefined);
    if (spec.mnemonic64) add(spec.mnemonic64, op, undefined, true);
    if (spec.mnemonicWideAddress) add(spec.mnemonicWideAddress, op, undefined, true);
  }
  const out = new Map<string, MnemonicEntry>();
  for (const [name, b] of bases) out.set(name, { ops: b.ops, cond: b.cond, suffix: undefined, movabs: b.movabs });
  for (const [name, b] of bases) {
    for (const l of b.letters) {
      if (!out.has(name + l)) out.set(name + l, { ops: b.ops, cond: b.cond, suffix: LETTER[l], movabs: b.movabs });
    }
  }
  return out;
})();

export function lookupMnemonic(name: string): MnemonicEntry | undefined {
  return MNEMONICS.get(name);
}

/** The chosen form with its operands in the form's order. */
export interface Selection {
  readonly op: X86Op;
  readonly spec: FormSpec;
  readonly opsize: 0 | GprSize;
  readonly cond: number | undefined;
  readonly operands: readonly Operand[];
}

type Match =
  | { readonly kind: 'ok'; readonly opsize: 0 | GprSize }
  | { readonly kind: 'no' }
  | { readonly kind: 'ambiguous' }
  | { readonly kind: 'range'; readonly span: SourceSpan; readonly value: bigint; readonly range: string };

const NO: Match = { kind: 'no' };

function sizeOfClass(spec: FormSpec, size: GprSize | undefined, suffix: GprSize | undefined, op: X86Op): Match {
  switch (spec.size) {
    case 'none': {
      // A control register moves to and from a 64-bit register, `movq` or not.
      const wide = size === 64 && (op === 'call_rel32' ? suffix === 64 : spec.operands.includes('r64'));
      return size === undefined || wide ? { kind: 'ok', opsize: 0 } : NO;
    }
    case 'b': return size === undefined ? { kind: 'ambiguous' } : size === 8 ? { kind: 'ok', opsize: 8 } : NO;
    case 'w': return size === undefined || size === 16 ? { kind: 'ok', opsize: 16 } : NO;
    case 'v': {
      const s = size ?? spec.defaultSize;
      if (s === undefined) return { kind: 'ambiguous' };
      return s === 8 ? NO : { kind: 'ok', opsize: s };
    }
    case 'd64': {
      const s = size ?? spec.defaultSize ?? 64;
      return s === 16 || s === 64 ? { kind: 'ok', opsize: s } : NO;
    }
    default: return assertNever(spec.size, 'size class');
  }
}

/** Does an immediate of kind `kind` at `opsize` hold `v`? As GNU as reads values: 64-bit two's complement. */
export function immediateFits(kind: OperandKind, v: bigint, opsize: number): { fits: boolean; range: string } {
  const bits = kind === 'imm8' ? 8 : kind === 'imm16' ? 16 : kind === 'immz' ? Math.min(opsize, 32) : opsize;
  if (kind === 'simm8') {
    const asOperand = BigInt.asIntN(opsize, v);
    const inOperand = fitsSigned(v, opsize) || (v >= 0n && v < 1n << BigInt(opsize));
    return { fits: inOperand && fitsSigned(asOperand, 8), range: '-128..127' };
  }
  if (kind === 'immz' && opsize === 64) {
    return { fits: fitsSigned(BigInt.asIntN(64, v), 32), range: '-0x80000000..0x7fffffff' };
  }
  const lo = -(1n << BigInt(bits - 1)), hi = (1n << BigInt(bits)) - 1n;
  return { fits: v >= lo && v <= hi, range: `-0x${(-lo).toString(16)}..0x${hi.toString(16)}` };
}

function operandFits(
  kind: OperandKind, o: Operand, spec: FormSpec, opsize: number, movabs: boolean, addr32: boolean,
): Match | undefined {
  const ok = undefined;
  switch (kind) {
    case 'r': return o.kind === 'reg' && !o.star ? ok : NO;
    // xchg's 90+r: register 0 there is nop, so `xchg %eax,%eax` is 87 c0.
    case '+r': return o.kind === 'reg' && !o.star && !(spec.operands.includes('acc') && REGISTERS[o.reg].num === 0) ? ok : NO;
    case 'cl': return o.kind === 'reg' && !o.star && o.reg === 'cl' ? ok : NO;
    case 'cr': return o.kind === 'cr' ? ok : NO;
    case 'sreg': return o.kind === 'sreg' ? ok : NO;
    case 'rreg': return o.kind === 'reg' && !o.star ? ok : NO;
    case 'r64': return o.kind === 'reg' && !o.star && REGISTERS[o.reg].size === 64 ? ok : NO;
    case 'acc': return o.kind === 'reg' && !o.star && REGISTERS[o.reg].num === 0 ? ok : NO;
    case 'rm': case 'm': {
      if (o.kind === 'reg') return kind === 'rm' && (!o.star || spec.star) ? ok : NO;
      if (o.kind !== 'mem' || (o.star && !spec.star)) return NO;
      // A bare expression after call/jmp is a branch target; with `*` it is an absolute address.
      return o.mem.bare && spec.star && !o.star ? NO : ok;
    }
    case 'rel8': case 'rel32': return o.kind === 'mem' && o.mem.bare && !o.star ? ok : NO;
    case 'moffs': {
      // GNU as takes a0–a3 for movabs, under addr32, or for an address a sign-extended disp32 cannot hold.
      if (o.kind !== 'mem' || !o.mem.bare || o.star) return NO;
      const v = o.mem.dispNow;
      return movabs || addr32 || (v !== undefined && !fitsSigned(BigInt.asIntN(64, v), 32)) ? ok : NO;
    }
    case 'imm8': case 'simm8': case 'imm16': case 'immz': case 'immv': {
      if (o.kind !== 'imm') return NO;
      // GNU as uses b8+r for a 64-bit `mov` only when the value needs more than a sign-extended imm32.
      if (kind === 'immv' && opsize === 64 && !movabs && (o.now === undefined || fitsSigned(BigInt.asIntN(64, o.now), 32))) return NO;
      if (o.now === undefined) return kind === 'simm8' ? NO : ok;
      const f = immediateFits(kind, o.now, opsize);
      if (f.fits) return ok;
      return kind === 'simm8' ? NO : { kind: 'range', span: o.span, value: o.now, range: f.range };
    }
    default: return assertNever(kind, 'operand kind');
  }
}

function matchForm(
  op: X86Op, operands: readonly Operand[], size: GprSize | undefined, entry: MnemonicEntry, addr32: boolean,
): Match {
  const spec = X86_FORMS[op];
  if (operands.length !== spec.operands.length) return NO;
  const moffs = spec.operands.includes('moffs');
  if (entry.movabs && op !== 'mov_r_immv' && !moffs) return NO;
  const sized = sizeOfClass(spec, size, entry.suffix, op);
  if (sized.kind !== 'ok') return sized;
  if (entry.movabs && !moffs && sized.opsize !== 64) return NO;
  for (let i = 0; i < operands.length; i++) {
    const m = operandFits(spec.operands[i], operands[i], spec, sized.opsize, entry.movabs, addr32);
    if (m) return m;
  }
  return sized;
}

/**
 * The size the registers of the statement agree on, or 'mismatch' (reported). A shift's count in %cl
 * (the first of two operands of a mnemonic with a `cl` form) says nothing about the size.
 */
function registerSize(operands: readonly Operand[], entry: MnemonicEntry, ctx: ParseContext): GprSize | undefined | 'mismatch' {
  let size: GprSize | undefined;
  const clCount = operands.length === 2 && entry.ops.some((op) => X86_FORMS[op].operands[0] === 'cl');
  for (const [i, o] of operands.entries()) {
    if (o.kind !== 'reg' || (i === 0 && clCount && o.reg === 'cl')) continue;
    const s = REGISTERS[o.reg].size;
    if (size !== undefined && s !== size) {
      ctx.report('PL2010', o.span, `\`%${o.reg}\` is ${s}-bit, another operand is ${size}-bit`);
      return 'mismatch';
    }
    size = s;
  }
  return size;
}

/** Candidate order: `.s` asks for the load form (8b) of a register-to-register move before the store form. */
function candidates(entry: MnemonicEntry, swapped: boolean): readonly X86Op[] {
  if (!swapped) return entry.ops;
  const load = (op: X86Op) => X86_FORMS[op].operands.join() === 'rm,r';
  return [...entry.ops.filter(load), ...entry.ops.filter((op) => !load(op))];
}

/**
 * Pick the form for `mnemonic` (its table entry) and these operands, as GNU as does. Reports and
 * returns undefined when none fits.
 */
export function selectForm(
  mnemonic: string, entry: MnemonicEntry, operands: readonly Operand[], options: { swapped: boolean; addr32: boolean },
  span: SourceSpan, ctx: ParseContext,
): Selection | undefined {
  const regSize = registerSize(operands, entry, ctx);
  if (regSize === 'mismatch') return undefined;
  if (entry.suffix !== undefined && regSize !== undefined && entry.suffix !== regSize) {
    ctx.report('PL2010', span, `a \`${mnemonic}\` suffix with ${regSize}-bit registers`);
    return undefined;
  }
  const size = entry.suffix ?? regSize;
  let failure: Match | undefined;
  for (const op of candidates(entry, options.swapped)) {
    const spec = X86_FORMS[op];
    // `shl $1,%eax` is the shift by one (d1), as GNU as writes it when the count is known to be 1 already.
    const written = spec.countOne && operands.length === 2 && operands[0].kind === 'imm' && operands[0].now === 1n ? operands.slice(1) : operands;
    const orders = spec.commutes && written.length === 2 ? [written, [written[1], written[0]]] : [written];
    for (const ordered of orders) {
      const m = matchForm(op, ordered, size, entry, options.addr32);
      if (m.kind === 'ok') return { op, spec: X86_FORMS[op], opsize: m.opsize, cond: entry.cond, operands: ordered };
      if (m.kind === 'range' || (m.kind === 'ambiguous' && failure?.kind !== 'range')) failure = m;
    }
  }
  if (failure?.kind === 'range') ctx.report('PL2005', failure.span, failure.value, failure.range);
  else if (failure?.kind === 'ambiguous') ctx.report('PL3003', span, mnemonic);
  else if (!entry.ops.some((op) => X86_FORMS[op].operands.length === operands.length)) {
    const counts = [...new Set(entry.ops.map((op) => X86_FORMS[op].operands.length))].join(' or ');
    ctx.report('PL2002', span, mnemonic, counts, operands.length);
  } else ctx.report('PL2003', operands[0]?.span ?? span, mnemonic, describe(operands));
  return undefined;
}

function describe(operands: readonly Operand[]): string {
  const kinds = operands.map((o) => (o.kind === 'reg' ? `%${o.reg}` : o.kind === 'cr' ? `%cr${o.num}` : o.kind === 'sreg' ? 'a segment register' : o.kind === 'imm' ? 'an immediate'
    : o.mem.bare ? 'an address' : 'memory'));
  return `no form takes ${kinds.join(', ')}`;
}
