// The assembler's state while a file is read: sections, symbols, numeric local labels, expression parsing.

import { DiagnosticSink, type SourceSpan } from '../../base/diagnostics.js';
import type { Isa } from '../types.js';
import { parseExpression, type Expr, type ExprParserOptions, type Token } from './expr.js';
import { evaluateExpr } from './evaluate.js';
import { defaultSectionFlags, type SectionState, type SymbolState } from './fragments.js';

/** Everything a directive or statement may touch while the file is read. */
export class AsmState {
  readonly sink = new DiagnosticSink();
  readonly sections: SectionState[] = [];
  readonly symbols = new Map<string, SymbolState>();
  current!: SectionState;
  previous: SectionState | undefined;
  readonly sectionStack: SectionState[] = [];
  /** Numeric local label N → how many times it has been defined so far. */
  private readonly localCounts = new Map<string, number>();
  private readonly forwardRefs: { n: string; index: number; span: SourceSpan }[] = [];
  readonly exprOptions: ExprParserOptions;
  /** riscv64's `.option rvc` / `norvc` (undefined: the arch's default), and the settings `.option push` saved. */
  compress: boolean | undefined;
  readonly optionStack: (boolean | undefined)[] = [];

  constructor(readonly isa: Isa, readonly file: string) {
    const syn = isa.syntax;
    this.exprOptions = {
      dollarIsDot: syn.dollarIsDot,
      postfixRelocOps: syn.postfixRelocOps,
      prefixRelocOps: syn.prefixRelocOps,
      bindLocal: (n, dir, span) => this.bindLocal(String(n), dir, span),
    };
    // GNU as creates these three in this order before reading anything.
    for (const name of ['.text', '.data', '.bss']) this.section(name);
    this.switchTo(this.section('.text'));
  }

  section(name: string): SectionState {
    let s = this.sections.find((x) => x.name === name);
    if (!s) {
      const d = defaultSectionFlags(name);
      s = { name, flags: d.flags, nobits: d.nobits, align: 1, frags: [] };
      this.sections.push(s);
    }
    return s;
  }

  switchTo(s: SectionState): void {
    if (this.current && this.current !== s) this.previous = this.current;
    this.current = s;
  }

  symbol(name: string, span: SourceSpan): SymbolState {
    let s = this.symbols.get(name);
    if (!s) {
      s = { def: undefined, global: false, weak: false, type: 'notype', size: undefined, localEntry: undefined, firstSpan: span };
      this.symbols.set(name, s);
    }
    return s;
  }

  defineLabel(name: string, span: SourceSpan): void {
    const s = this.symbol(name, span);
    if (s.def) {
      this.sink.report('PL1004', span, name);
      return;
    }
    s.def = { kind: 'label', section: this.current.name, frag: this.current.frags.length, span };
  }

  defineLocal(n: string, span: SourceSpan): void {
    const k = this.localCounts.get(n) ?? 0;
    this.localCounts.set(n, k + 1);
    this.defineLabel(`${n}\u0002${k}`, span);
  }

  private bindLocal(n: string, dir: 'f' | 'b', span: SourceSpan): string {
    const k = this.localCounts.get(n) ?? 0;
    if (dir === 'b') {
      if (k === 0) this.sink.report('PL1006', span, `${n}b`, 'before it');
      return `${n}\u0002${Math.max(0, k - 1)}`;
    }
    this.forwardRefs.push({ n, index: k, span });
    return `${n}\u0002${k}`;
  }

  parseExpr(tokens: readonly Token[], start: number, end: SourceSpan): { expr: Expr; next: number } | undefined {
    return parseExpression(tokens, start, this.exprOptions, this.sink, end);
  }

  /** The value of `expr` now, if it is constant without knowing where labels land. */
  constantNow(expr: Expr): bigint | undefined {
    const v = evaluateExpr(expr, { symbols: this.symbols, sink: this.sink, quiet: true, placement: undefined });
    return v?.kind === 'const' ? v.value : undefined;
  }

  finish(): void {
    for (const r of this.forwardRefs) {
      if ((this.localCounts.get(r.n) ?? 0) <= r.index) this.sink.report('PL1006', r.span, `${r.n}f`, 'after it');
    }
  }
}

