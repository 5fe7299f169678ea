// GNU as, the common part: labels, numeric local labels, directives and sections; instructions go to the arch.

import { DiagnosticSink, type Diagnostic, type SourceSpan } from '../../base/diagnostics.js';
import type { Isa, ParseContext } from '../types.js';
import { parseExpression, type Expr, type ExprParserOptions, type Token } from './expr.js';
import { evaluateExpr, type EvalContext } from './evaluate.js';
import { defaultSectionFlags, type SectionState, type SymbolState } from './fragments.js';
import { emit, relax } from './layout.js';
import { splitOperands, splitSource, type Statement } from './lines.js';
import type { AsmObject, AsmSymbol } from './object.js';
import { runDirective } from './directives.js';

export interface AsmResult {
  readonly object: AsmObject;
  readonly diagnostics: readonly Diagnostic[];
}

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

function statement(st: AsmState, stmt: Statement): void {
  let toks = stmt.tokens;
  // Labels: `name:` or `N:`, any number of them before the statement.
  while (toks.length >= 2 && toks[1].kind === 'punct' && toks[1].text === ':' && (toks[0].kind === 'ident' || isLocalDef(toks[0]))) {
    if (toks[0].kind === 'ident') st.defineLabel(toks[0].text, toks[0].span);
    else st.defineLocal(toks[0].text, toks[0].span);
    toks = toks.slice(2);
  }
  if (toks.length === 0) return;
  const head = toks[0];
  if (head.kind === 'ident' && toks[1]?.kind === 'punct' && toks[1].text === '=') {
    runDirective(st, '.set', [[head], toks.slice(2)], stmt, head.span);
    return;
  }
  if (head.kind !== 'ident') {
    st.sink.report('PL1002', head.span, head.text);
    return;
  }
  if (head.text.startsWith('.') && head.text.length > 1) {
    runDirective(st, head.text.toLowerCase(), splitOperands(toks.slice(1)), stmt, head.span);
    return;
  }
  instruction(st, head, toks.slice(1), stmt);
}

function isLocalDef(t: Token): boolean {
  return t.kind === 'number' && /^[0-9]+$/.test(t.text);
}

function instruction(st: AsmState, head: Token, rest: readonly Token[], stmt: Statement): void {
  const ctx: ParseContext = {
    report: (code, span, ...args) => st.sink.report(code, span, ...args),
    parseExpr: (tokens, start) => st.parseExpr(tokens, start, stmt.end),
    constantNow: (expr) => st.constantNow(expr),
  };
  const template = st.isa.parseInstruction(
    { mnemonic: head.text, span: head.span, tokens: rest, operands: splitOperands(rest), end: stmt.end },
    ctx,
  );
  if (!template) return;
  if (st.current.nobits) {
    st.sink.report('PL1023', head.span);
    return;
  }
  st.current.frags.push({ kind: 'insn', template, sizeIndex: 0, span: head.span, source: stmt.text });
}

/** Assemble GNU as source for `isa` into a relocatable object. Never throws on bad input. */
export function assemble(source: string, isa: Isa, file = '<input>'): AsmResult {
  const st = new AsmState(isa, file);
  for (const stmt of splitSource(source, file, isa.syntax, st.sink)) statement(st, stmt);
  st.finish();
  const input = { isa, sections: st.sections, symbols: st.symbols, sink: st.sink };
  const addrs = relax(input);
  const { sections, listing } = emit(input, addrs);
  const symbols = resolveSymbols(st, addrs);
  const diagnostics = [...st.sink.list].sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col);
  return { object: { arch: isa.arch, sections, symbols, listing }, diagnostics };
}

/** Symbol values after layout: labels' addresses, equates' values, `.size` and `.localentry` evaluated where they stood. */
function resolveSymbols(st: AsmState, addrs: Map<string, bigint[]>): AsmSymbol[] {
  const at = (section: string, frag: number, quiet: boolean): EvalContext => ({
    symbols: st.symbols, sink: st.sink, quiet,
    placement: { section, dot: addrs.get(section)?.[frag] ?? 0n, fragAddress: (n, f) => addrs.get(n)?.[f] ?? 0n },
  });
  const constAt = (w: { expr: Expr; section: string; frag: number } | undefined): bigint | undefined => {
    if (!w) return undefined;
    const v = evaluateExpr(w.expr, at(w.section, w.frag, false));
    if (v && v.kind !== 'const') st.sink.report('PL1009', w.expr.span);
    return v?.kind === 'const' ? v.value : undefined;
  };
  const out: AsmSymbol[] = [];
  for (const [name, s] of st.symbols) {
    if (!s.def && !s.global && !s.weak) continue;
    let section: string | undefined;
    let value = 0n;
    if (s.def?.kind === 'label') {
      section = s.def.section;
      value = addrs.get(section)?.[s.def.frag] ?? 0n;
    } else if (s.def?.kind === 'equate') {
      const v = evaluateExpr(s.def.expr, at(s.def.section, s.def.frag, true));
      if (v?.kind === 'const') value = v.value;
      else if (v?.kind === 'symbol' && v.section !== undefined && v.minus === undefined) {
        section = v.section;
        value = v.offset + v.addend;
      }
    }
    const le = constAt(s.localEntry);
    out.push({
      name, section, value, global: s.global, weak: s.weak, type: s.type,
      size: constAt(s.size), localEntryOffset: le === undefined ? undefined : Number(le),
    });
  }
  return out;
}

export { textBytes, displaySymbol } from './object.js';
export type { AsmObject } from './object.js';
