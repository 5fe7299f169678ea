// What every lowering step shares: the arch, the linked image, the diagnostics, and how names resolve.

import type { DiagnosticSink } from '../base/diagnostics.js';
import { assertNever } from '../base/assert.js';
import type { Isa } from '../isa/types.js';
import type { Target } from '../kernel/spec.js';
import type { Expr, Word } from './ast.js';
import type { BuiltImage } from './lower-image.js';
import type { PatchingLibrary } from './patching-bridge.js';

export interface LowerContext {
  readonly isa: Isa;
  readonly built: BuiltImage;
  readonly sink: DiagnosticSink;
  readonly lib: PatchingLibrary;
}

/** An expression's value (exact, possibly negative), or undefined after reporting an unknown symbol. */
export function evaluate(ctx: LowerContext, e: Expr): bigint | undefined {
  return evaluateIn(ctx.built.image.symbols, ctx.sink, e);
}

/** A value for a register of the arch: wrapped to its width (`-1` is all ones). */
export function registerValue(ctx: LowerContext, e: Expr): bigint | undefined {
  const v = evaluate(ctx, e);
  return v === undefined ? undefined : BigInt.asUintN(ctx.isa.addressBits, v);
}

/** Evaluate against `symbols` (an empty map before linking: numbers only). */
export function evaluateIn(symbols: ReadonlyMap<string, bigint>, sink: DiagnosticSink, e: Expr): bigint | undefined {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'sym': {
      const v = symbols.get(e.name);
      if (v === undefined) sink.report('PL7009', e.span, e.name);
      return v;
    }
    case 'neg': {
      const v = evaluateIn(symbols, sink, e.operand);
      return v === undefined ? undefined : -v;
    }
    case 'binary': {
      const l = evaluateIn(symbols, sink, e.left);
      const r = evaluateIn(symbols, sink, e.right);
      if (l === undefined || r === undefined) return undefined;
      switch (e.op) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '&': return l & r;
        case '|': return l | r;
        // A shift count beyond 128 means nothing here, and a huge one would take forever to build.
        case '<<': return l << (r < 0n ? 0n : r > 128n ? 128n : r);
        case '>>': return l >> (r < 0n ? 0n : r > 128n ? 128n : r);
      }
      return undefined;
    }
    default:
      return assertNever(e, 'expression');
  }
}

/** A key's target as written: NULL, RET0 or a symbol of the image. */
export function resolveTarget(ctx: LowerContext, w: Word): Target | undefined {
  if (w.text === 'NULL' || w.text === 'RET0') return w.text;
  if (!ctx.built.image.symbols.has(w.text)) {
    ctx.sink.report('PL7009', w.span, w.text);
    return undefined;
  }
  return w.text;
}

/** Is [address, address+size) inside one linked section? */
export function inImage(ctx: LowerContext, address: bigint, size: number): boolean {
  return ctx.built.image.sections.some((s) => address >= s.address && address + BigInt(size) <= s.address + BigInt(s.bytes.length));
}
