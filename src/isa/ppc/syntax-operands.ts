// One ppc operand in GNU as syntax: read at parse time, evaluated (with relocations) when the instruction is built.

import type { SourceSpan } from '../../base/diagnostics.js';
import type { Expr, Token } from '../asm/expr.js';
import type { AsmValue, BuildEnv, Fixup, ParseContext } from '../types.js';
import { HALF16_RELOCS, relocType, type RelocName } from './relocs.js';
import { CR_BIT_NAMES } from './table-branch.js';
import type { OperandKind, OperandSpec } from './table.js';

/** Names GNU as (with -mregnames) gives values to, by operand kind: `r3`, `cr7`, `4*cr7+eq`, `ctr`. */
const names = (entries: [string, number][]): ReadonlyMap<string, bigint> => new Map(entries.map(([k, v]) => [k, BigInt(v)]));
const GPR_NAMES = names([...Array.from({ length: 32 }, (_, i) => [`r${i}`, i] as [string, number]), ['sp', 1], ['rtoc', 2]]);
const CRF_NAMES = names(Array.from({ length: 8 }, (_, i) => [`cr${i}`, i]));
const CRB_NAMES = names([...CRF_NAMES].map(([k, v]) => [k, Number(v)] as [string, number])
  .concat(CR_BIT_NAMES.map((n, i) => [n, i]), [['un', 3]]));
const SPR_SYMBOLS = names([['xer', 1], ['lr', 8], ['ctr', 9]]);

/** Small-number operands: the names they accept and their range. */
const SMALL: Partial<Record<OperandKind, { readonly names?: ReadonlyMap<string, bigint>; readonly max: number }>> = {
  gpr: { names: GPR_NAMES, max: 31 }, gpr0: { names: GPR_NAMES, max: 31 },
  crf: { names: CRF_NAMES, max: 7 }, 'crf?': { names: CRF_NAMES, max: 7 }, crb: { names: CRB_NAMES, max: 31 },
  bo: { max: 31 }, to: { max: 31 }, l: { max: 1 }, 'bh?': { max: 3 }, 'lev?': { max: 127 }, 'l2?': { max: 2 },
  spr: { names: SPR_SYMBOLS, max: 1023 },
  u5: { max: 31 }, u6: { max: 63 }, n5: { max: 32 }, n6: { max: 64 }, fxm: { max: 255 }, 'l1?': { max: 1 },
};

/** A parsed operand: an expression (or a register already known) and where it was written. */
export interface Pending {
  readonly spec: OperandSpec;
  readonly span: SourceSpan;
  readonly value: Expr | number;
  /** The base register of a memory operand. */
  readonly base?: { readonly value: Expr | number; readonly span: SourceSpan };
}

/** `r3`, `%r3`, `cr7`: a register written alone, known at parse time. */
function registerToken(tokens: readonly Token[], kind: OperandKind): number | undefined {
  const t = tokens.length === 2 && tokens[0].text === '%' ? tokens[1] : tokens.length === 1 ? tokens[0] : undefined;
  if (t?.kind !== 'ident') return undefined;
  const v = SMALL[kind]?.names?.get(t.text.toLowerCase());
  return v === undefined ? undefined : Number(v);
}

/** `%r3` inside an expression is `r3`: drop the `%`. */
const dropPercent = (tokens: readonly Token[]) => tokens.filter((t, i) => !(t.text === '%' && tokens[i + 1]?.kind === 'ident'));

/** `sym@l+4`, `.TOC.-0b@ha`, `-1@h` mean `(sym+4)@l`, `(.TOC.-0b)@ha`, `(-1)@h`, as in GNU as: move the operator out. */
export function hoistReloc(e: Expr): Expr {
  if (e.kind === 'unary') {
    const operand = hoistReloc(e.operand);
    return operand.kind === 'reloc' ? { ...operand, operand: { ...e, operand: operand.operand }, span: e.span } : { ...e, operand };
  }
  if (e.kind !== 'binary' || (e.op !== '+' && e.op !== '-')) return e;
  const left = hoistReloc(e.left), right = hoistReloc(e.right);
  if (right.kind === 'reloc' && left.kind !== 'reloc') {
    return { kind: 'reloc', op: right.op, operand: { ...e, left, right: right.operand }, span: e.span };
  }
  if (left.kind === 'reloc' && right.kind !== 'reloc') {
    return { kind: 'reloc', op: left.op, operand: { ...e, left: left.operand, right }, span: e.span };
  }
  return { ...e, left, right };
}

function expression(tokens: readonly Token[], ctx: ParseContext): Expr | undefined {
  let r = ctx.parseExpr(tokens, 0);
  // GNU as applies `@ha` to everything before it; the common parser stops at `.@ha` (as in `x-.@ha`):
  // read that as `(x-.)@ha`.
  const at = r && tokens[r.next];
  if (r && at?.text === '@' && tokens[r.next + 1]?.kind === 'ident' && r.next > 0) {
    const paren = (text: string, span: SourceSpan): Token => ({ kind: 'punct', text, span });
    tokens = [paren('(', tokens[0].span), ...tokens.slice(0, r.next), paren(')', at.span), ...tokens.slice(r.next)];
    r = ctx.parseExpr(tokens, 0);
  }
  if (!r) return undefined;
  if (r.next < tokens.length) {
    ctx.report('PL1002', tokens[r.next].span, tokens[r.next].text);
    return undefined;
  }
  return hoistReloc(r.expr);
}

/** Read one operand's tokens (never empty) for `spec`. Reports and returns undefined when it cannot. */
export function parseOperand(tokens: readonly Token[], spec: OperandSpec, ctx: ParseContext): Pending | undefined {
  const span = tokens[0].span;
  const kind = spec[0];
  if (kind === 'mem' || kind === 'memds') return parseMemory(tokens, spec, ctx);
  const reg = registerToken(tokens, kind);
  if (reg !== undefined) return { spec, span, value: reg };
  const bad = tokens.find((t) => t.kind === 'ident' && /^%?r\d+$/i.test(t.text) && !GPR_NAMES.has(t.text.toLowerCase()));
  if (bad && (kind === 'gpr' || kind === 'gpr0')) {
    ctx.report('PL2004', bad.span, bad.text);
    return undefined;
  }
  const expr = expression(dropPercent(tokens), ctx);
  return expr && { spec, span, value: expr };
}

/** `d(ra)`: a displacement expression, then the base register in parentheses, ending the operand. */
function parseMemory(tokens: readonly Token[], spec: OperandSpec, ctx: ParseContext): Pending | undefined {
  const span = tokens[0].span;
  const last = tokens[tokens.length - 1];
  let open = -1;
  if (last.text === ')') {
    for (let i = tokens.length - 2, depth = 0; i >= 0; i--) {
      if (tokens[i].text === ')') depth++;
      else if (tokens[i].text === '(' && depth-- === 0) {
        open = i;
        break;
      }
    }
  }
  if (open <= 0) {
    ctx.report('PL2014', open === 0 ? span : last.span, 'expected `displacement(register)`');
    return undefined;
  }
  const inner = tokens.slice(open + 1, tokens.length - 1);
  if (inner.length === 0) {
    ctx.report('PL1003', last.span, 'a base register', ')');
    return undefined;
  }
  const disp = expression(dropPercent(tokens.slice(0, open)), ctx);
  const baseReg = registerToken(inner, 'gpr0');
  const base = baseReg ?? expression(dropPercent(inner), ctx);
  if (!disp || base === undefined) return undefined;
  return { spec, span, value: disp, base: { value: base, span: inner[0].span } };
}

/** The value of a small-number operand (register, CR field or bit, BO, TO, SPR…), range-checked. */
export function smallValue(
  value: Expr | number, kind: OperandKind, span: SourceSpan, env: BuildEnv, mnemonic: string, max?: number,
): number | undefined {
  const s = SMALL[kind]!;
  const top = max ?? s.max;
  const register = kind === 'gpr' || kind === 'gpr0';
  let n: bigint;
  if (typeof value === 'number') n = BigInt(value);
  else {
    const v = env.evaluate(value, s.names);
    if (!v) return undefined;
    if (v.kind !== 'const') {
      const name = v.kind === 'symbol' ? v.name : v.target.name;
      if ((kind === 'crf' || kind === 'crf?') && /^cr\d+$/i.test(name)) env.report('PL5001', span, name);
      else env.report('PL2003', span, mnemonic, `\`${name}\` is not a ${register ? 'register' : 'constant'}`);
      return undefined;
    }
    n = v.value;
  }
  if (n < 0n || n > BigInt(top)) {
    if (register) env.report('PL2004', span, `r${n}`);
    else if (kind === 'crf' || kind === 'crf?') env.report('PL5001', span, `cr${n}`);
    else env.report('PL2005', span, n, `0..${top}`);
    return undefined;
  }
  return Number(n);
}

/** A relocation request before its place is known: the field offset is added by the caller. */
export interface FieldFixup {
  readonly type: string;
  readonly target: AsmValue & { kind: 'symbol' };
  /** The addend, not counting a pc-relative difference's (P − minus) part. */
  readonly addend: bigint;
  readonly pcrel: boolean;
}

/** 16-bit immediates: range per kind; `@l`/`@h`/`@ha` of a constant sign-extends into a signed field. */
const IMM_RANGE: Readonly<Record<'si' | 'sihi' | 'ui' | 'uicmp', readonly [bigint, bigint, 'signed' | 'unsigned']>> = {
  si: [-0x8000n, 0x7fffn, 'signed'], sihi: [-0x8000n, 0xffffn, 'signed'],
  ui: [0n, 0xffffn, 'unsigned'], uicmp: [-0x8000n, 0xffffn, 'unsigned'],
};

/** Evaluate a 16-bit immediate or displacement: its field value, or a relocation with field value 0. */
export function immediateValue(
  expr: Expr, kind: 'si' | 'sihi' | 'ui' | 'uicmp' | 'ds', span: SourceSpan, env: BuildEnv, mode: 32 | 64,
): { value: number; fixup?: FieldFixup } | undefined {
  const v = env.evaluate(expr);
  if (!v) return undefined;
  const ds = kind === 'ds';
  const [min, max, sign] = IMM_RANGE[ds ? 'si' : kind];
  if (v.kind === 'const') {
    // A folded `@l`/`@h`/`@ha` is 0..0xffff: a signed field takes it as the 16-bit pattern it is.
    const n = expr.kind === 'reloc' && sign === 'signed' ? BigInt.asIntN(16, v.value) : v.value;
    if (n < min || n > max) {
      env.report('PL2005', span, n, `${min}..${max}`);
      return undefined;
    }
    if (ds && (n & 3n) !== 0n) {
      env.report('PL2009', span, n, 4);
      return undefined;
    }
    return { value: Number(sign === 'signed' ? BigInt.asIntN(16, n) : BigInt.asUintN(16, n)) };
  }
  const op = v.kind === 'reloc' ? v.op : '';
  const target = v.kind === 'reloc' ? v.target : v;
  const pcrel = target.minus !== undefined;
  const name: RelocName | undefined = HALF16_RELOCS[pcrel ? 'pc' : ds ? 'ds' : 'abs'][op];
  const type = name && !(pcrel && ds) ? relocType(name, mode) : undefined;
  if (!type) {
    env.report('PL1015', span, op ? `@${op}` : pcrel ? 'a pc-relative value' : 'a symbol', ds ? 'a DS-form displacement' : `ppc${mode}`);
    return undefined;
  }
  return { value: 0, fixup: { type, target, addend: target.addend, pcrel } };
}

/** Complete a field relocation at the instruction's address: offset of the field, pc-relative addend. */
export function placeFixup(f: FieldFixup, offset: number, insnAddress: bigint): Fixup {
  const place = insnAddress + BigInt(offset);
  const addend = f.pcrel ? f.addend + (place - f.target.minus!) : f.addend;
  return { offset, type: f.type, target: f.target, addend };
}
