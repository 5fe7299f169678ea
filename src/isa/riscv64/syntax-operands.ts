// One riscv64 operand in GNU as syntax: a register, an expression (perhaps under `%hi`, `%lo`, `%pcrel_hi`), or `offset(register)`.

import type { SourceSpan } from '../../base/diagnostics.js';
import type { Expr, Token } from '../asm/expr.js';
import type { ParseContext } from '../types.js';
import { CSR_NUMBERS } from './table-csr.js';
import { REGISTER_NAMES } from './table.js';

/** GNU as's register names: x0..x31, the ABI names objdump prints, and `fp` for s0. */
const REGISTERS: ReadonlyMap<string, number> = new Map([
  ...REGISTER_NAMES.map((n, i) => [n, i] as [string, number]),
  ...Array.from({ length: 32 }, (_, i) => [`x${i}`, i] as [string, number]),
  ['fp', 8],
]);

/** The `%op(expr)` operators GNU as reads in an immediate, and the fields each may stand in. */
export type RelocOp = 'hi' | 'lo' | 'pcrel_hi' | 'pcrel_lo';
const RELOC_OPS: readonly RelocOp[] = ['hi', 'lo', 'pcrel_hi', 'pcrel_lo'];

/** An expression operand: `%lo(sym)` keeps its operator apart from the expression. */
export interface Value {
  readonly expr: Expr;
  readonly reloc?: RelocOp;
  readonly span: SourceSpan;
}

export type Operand =
  | { readonly kind: 'reg'; readonly reg: number; readonly span: SourceSpan }
  | { readonly kind: 'value'; readonly value: Value; readonly span: SourceSpan; readonly name?: string }
  /** `offset(reg)`; `(reg)` has no offset. */
  | { readonly kind: 'mem'; readonly offset: Value | undefined; readonly base: number; readonly span: SourceSpan };

export function registerNumber(token: Token | undefined): number | undefined {
  return token?.kind === 'ident' ? REGISTERS.get(token.text.toLowerCase()) : undefined;
}

/** A CSR by name (`sstatus`), or undefined (then it is read as a number). */
export function csrNumber(name: string | undefined): number | undefined {
  return name === undefined ? undefined : CSR_NUMBERS.get(name.toLowerCase());
}

/** FENCE's `iorw` sets: each letter once, in that order, as GNU as takes them. */
export function fenceSet(name: string | undefined): number | undefined {
  const m = name === undefined ? null : /^(i?)(o?)(r?)(w?)$/.exec(name.toLowerCase());
  if (!m || name === '') return undefined;
  return (m[1] ? 8 : 0) | (m[2] ? 4 : 0) | (m[3] ? 2 : 0) | (m[4] ? 1 : 0);
}

function value(tokens: readonly Token[], ctx: ParseContext): Value | undefined {
  const span = tokens[0].span;
  const t1 = tokens[1];
  if (tokens[0].text === '%' && t1?.kind === 'ident' && tokens[2]?.text === '(' && tokens[tokens.length - 1].text === ')') {
    const op = t1.text.toLowerCase() as RelocOp;
    if (!RELOC_OPS.includes(op)) {
      ctx.report('PL1015', t1.span, `%${t1.text}`, 'riscv64');
      return undefined;
    }
    const inner = whole(tokens.slice(3, tokens.length - 1), ctx, tokens[tokens.length - 1].span);
    return inner && { expr: inner, reloc: op, span };
  }
  const expr = whole(tokens, ctx, span);
  return expr && { expr, span };
}

/** The whole token list as one expression (the parser has reported if it is not one). */
function whole(tokens: readonly Token[], ctx: ParseContext, at: SourceSpan): Expr | undefined {
  if (tokens.length === 0) {
    ctx.report('PL1003', at, 'an expression', ')');
    return undefined;
  }
  const r = ctx.parseExpr(tokens, 0);
  if (!r) return undefined;
  if (r.next < tokens.length) {
    ctx.report('PL1002', tokens[r.next].span, tokens[r.next].text);
    return undefined;
  }
  return r.expr;
}

/** Read one operand (its tokens, never empty). Reports and returns undefined when it cannot be read. */
export function parseOperand(tokens: readonly Token[], ctx: ParseContext): Operand | undefined {
  const span = tokens[0].span;
  if (tokens.length === 1) {
    const reg = registerNumber(tokens[0]);
    if (reg !== undefined) return { kind: 'reg', reg, span };
  }
  const n = tokens.length;
  if (n >= 3 && tokens[n - 1].text === ')' && tokens[n - 3].text === '(' && registerNumber(tokens[n - 2]) !== undefined) {
    const base = registerNumber(tokens[n - 2])!;
    if (n === 3) return { kind: 'mem', offset: undefined, base, span };
    const offset = value(tokens.slice(0, n - 3), ctx);
    return offset && { kind: 'mem', offset, base, span };
  }
  const v = value(tokens, ctx);
  const name = tokens.length === 1 && tokens[0].kind === 'ident' ? tokens[0].text : undefined;
  return v && { kind: 'value', value: v, span, ...(name !== undefined ? { name } : {}) };
}
