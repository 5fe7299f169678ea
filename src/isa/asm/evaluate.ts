// Expression values during assembly: constants, symbols plus addends, and relocation operators.

import { fitsSigned } from '../../base/bits.js';
import type { DiagnosticSink } from '../../base/diagnostics.js';
import type { AsmValue } from '../types.js';
import { foldRelocOp, type Expr } from './expr.js';
import type { SymbolState } from './fragments.js';

type SymbolValue = AsmValue & { kind: 'symbol' };

/** Where things are right now: filled in by the layout pass. */
export interface Placement {
  /** Current section, and the section-relative address `.` stands for. */
  readonly section: string;
  readonly dot: bigint;
  /** Address of the position just before fragment `frag` of `section`. */
  fragAddress(section: string, frag: number): bigint;
}

export interface EvalContext {
  readonly symbols: ReadonlyMap<string, SymbolState>;
  readonly sink: DiagnosticSink;
  /** Report errors (the final pass) or stay quiet (relaxation passes, constant probes). */
  readonly quiet: boolean;
  /** Without a placement only constants evaluate (labels are not placed yet). */
  readonly placement: Placement | undefined;
}

const c = (value: bigint): AsmValue => ({ kind: 'const', value: BigInt.asIntN(64, value) });

export function evaluateExpr(
  e: Expr, ctx: EvalContext, extra?: ReadonlyMap<string, bigint>, depth = 0,
): AsmValue | undefined {
  const fail = (code: 'PL1017' | 'PL1010' | 'PL1021', ...args: string[]): undefined => {
    if (!ctx.quiet) ctx.sink.report(code, e.span, ...args);
    return undefined;
  };
  switch (e.kind) {
    case 'num':
      return c(e.value);
    case 'dot': {
      const p = ctx.placement;
      if (!p) return undefined;
      return { kind: 'symbol', name: p.section, section: p.section, offset: p.dot, global: false, addend: 0n };
    }
    case 'sym':
    case 'local': {
      const x = extra?.get(e.name.toLowerCase());
      if (x !== undefined && e.kind === 'sym' && !ctx.symbols.get(e.name)?.def) return c(x);
      const s = ctx.symbols.get(e.name);
      if (!s || !s.def) return { kind: 'symbol', name: e.name, section: undefined, offset: 0n, global: true, addend: 0n };
      if (s.def.kind === 'equate') {
        if (depth > 64) return fail('PL1021', e.name);
        return evaluateExpr(s.def.expr, ctx, extra, depth + 1);
      }
      if (!ctx.placement) return undefined;
      const offset = ctx.placement.fragAddress(s.def.section, s.def.frag);
      return { kind: 'symbol', name: e.name, section: s.def.section, offset, global: s.global || s.weak, weak: s.weak, addend: 0n };
    }
    case 'unary': {
      const v = evaluateExpr(e.operand, ctx, extra, depth + 1);
      if (!v) return undefined;
      if (e.op === '+') return v;
      if (v.kind !== 'const') return fail('PL1017', `\`${e.op}\` of a symbol`);
      return c(e.op === '-' ? -v.value : e.op === '~' ? ~v.value : v.value === 0n ? 1n : 0n);
    }
    case 'reloc': {
      const v = evaluateExpr(e.operand, ctx, extra, depth + 1);
      if (!v) return undefined;
      if (v.kind === 'const') {
        const folded = foldRelocOp(e.op, v.value);
        return folded === undefined ? fail('PL1017', `\`${e.op}\` of a constant`) : c(folded);
      }
      if (v.kind === 'reloc') return fail('PL1017', 'two relocation operators on one value');
      return { kind: 'reloc', op: e.op, target: v };
    }
    case 'binary':
      return binary(e, ctx, extra, depth, fail);
  }
}

function binary(
  e: Expr & { kind: 'binary' }, ctx: EvalContext, extra: ReadonlyMap<string, bigint> | undefined, depth: number,
  fail: (code: 'PL1017' | 'PL1010', ...args: string[]) => undefined,
): AsmValue | undefined {
  const l = evaluateExpr(e.left, ctx, extra, depth + 1);
  const r = evaluateExpr(e.right, ctx, extra, depth + 1);
  if (!l || !r) return undefined;
  if (l.kind === 'reloc' || r.kind === 'reloc') return fail('PL1017', 'arithmetic on a relocation operator');
  if (e.op === '+') {
    if (l.kind === 'const' && r.kind === 'const') return c(l.value + r.value);
    if (l.kind === 'symbol' && r.kind === 'const') return { ...l, addend: l.addend + r.value };
    if (l.kind === 'const' && r.kind === 'symbol') return { ...r, addend: r.addend + l.value };
    return fail('PL1017', 'sum of two symbols');
  }
  if (e.op === '-') {
    if (r.kind === 'const') return l.kind === 'const' ? c(l.value - r.value) : { ...l, addend: l.addend - r.value };
    if (l.kind === 'const') return fail('PL1017', 'a constant minus a symbol');
    return difference(l, r, ctx, fail);
  }
  if (l.kind !== 'const' || r.kind !== 'const') return fail('PL1017', `\`${e.op}\` on a symbol`);
  const a = l.value, b = r.value;
  switch (e.op) {
    case '*': return c(a * b);
    case '/': return b === 0n ? fail('PL1010') : c(a / b);
    case '%': return b === 0n ? fail('PL1010') : c(a % b);
    case '<<': return c(b >= 64n || b < 0n ? 0n : a << b);
    case '>>': return c(b >= 64n || b < 0n ? (a < 0n ? -1n : 0n) : a >> b);
    case '&': return c(a & b);
    case '|': return c(a | b);
    case '^': return c(a ^ b);
    case '!': return c(a | ~b);
    // GNU as gives -1 for a true comparison.
    case '==': return c(a === b ? -1n : 0n);
    case '!=': return c(a !== b ? -1n : 0n);
    case '<': return c(a < b ? -1n : 0n);
    case '>': return c(a > b ? -1n : 0n);
    case '<=': return c(a <= b ? -1n : 0n);
    case '>=': return c(a >= b ? -1n : 0n);
    case '&&': return c(a !== 0n && b !== 0n ? 1n : 0n);
    case '||': return c(a !== 0n || b !== 0n ? 1n : 0n);
  }
}

/**
 * `a - b` of two symbols: a constant when both lie in one section (as GNU as folds them); otherwise,
 * when `b` lies in the current section, a value relative to that place (`.TOC.-0b`, `target - .`).
 */
function difference(
  l: SymbolValue, r: SymbolValue, ctx: EvalContext, fail: (code: 'PL1017', ...args: string[]) => undefined,
): AsmValue | undefined {
  if (l.section !== undefined && l.section === r.section && l.minus === undefined && r.minus === undefined) {
    return c(l.offset + l.addend - (r.offset + r.addend));
  }
  if (r.section !== undefined && r.section === ctx.placement?.section && l.minus === undefined && r.minus === undefined) {
    return { ...l, addend: l.addend - r.addend, minus: r.offset };
  }
  return fail('PL1017', `difference of symbols in different sections (\`${l.name}\` − \`${r.name}\`)`);
}

/** Does `value` fit `bytes` bytes as GNU as's data directives allow (signed or unsigned)? */
export function fitsData(value: bigint, bytes: number): boolean {
  return bytes >= 8 || fitsSigned(value, bytes * 8) || (value >= 0n && value < 1n << BigInt(bytes * 8));
}
