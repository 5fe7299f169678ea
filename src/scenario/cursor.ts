// Reading one line's tokens: words, numbers, expressions, `name=value` options; errors are reported, not thrown.

import type { DiagnosticSink, SourceSpan } from '../base/diagnostics.js';
import type { Expr, InsnText, Word } from './ast.js';
import { parseNumberText, type Token } from './scanner.js';

type BinaryOp = Extract<Expr, { kind: 'binary' }>['op'];

/**
 * How deep an expression may nest: parentheses, unary minus, and binary operators (a chain `1+1+…`
 * nests once per operator). Parsing and evaluating recurse once per level, so past this an
 * expression is reported instead of overflowing the stack.
 */
export const MAX_EXPR_DEPTH = 256;

/** Punctuation that may sit inside a word when nothing separates it: `x86-64`, `rax-trampoline:sym`. */
const WORD_GLUE = new Set(['-', ':']);

export class LineCursor {
  private pos = 0;
  /** How many `(` and `-` the expression parser is inside, and each binary node's height. */
  private depth = 0;
  private readonly heights = new WeakMap<Expr, number>();
  /** Diagnostics before this line: if the line reported one, leftovers are not reported again. */
  private readonly reportedBefore: number;
  constructor(
    readonly tokens: readonly Token[],
    readonly sink: DiagnosticSink,
    /** Where the line ends, for "expected X, found end of line". */
    readonly end: SourceSpan,
  ) {
    this.reportedBefore = sink.count;
  }

  /** Back to the line's first token (a line whose head is not a keyword, such as a poke site). */
  rewind(): void {
    this.pos = 0;
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }
  next(): Token | undefined {
    return this.tokens[this.pos++];
  }
  atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }
  /** Span of the next token, or the end of the line. */
  here(): SourceSpan {
    return this.peek()?.span ?? this.end;
  }

  /** Report "expected `what`" at the next token (or the line's end). */
  expected(what: string): undefined {
    const t = this.peek();
    this.sink.report('PL7006', this.here(), what, t ? t.text : 'end of line');
    return undefined;
  }

  isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'punct' && t.text === text;
  }
  /** Consume punctuation `text` if it is next. */
  eat(text: string): boolean {
    if (!this.isPunct(text)) return false;
    this.pos++;
    return true;
  }
  expectPunct(text: string): boolean {
    if (this.eat(text)) return true;
    this.expected(`\`${text}\``);
    return false;
  }

  /** A word: an identifier or number, with `-` `:` and further identifiers or numbers glued on without spaces. */
  word(what: string): Word | undefined {
    const first = this.peek();
    if (!first || (first.kind !== 'ident' && first.kind !== 'number')) return this.expected(what);
    let text = first.text;
    this.pos++;
    for (;;) {
      const t = this.peek();
      if (!t || t.spaced) break;
      const gluable = t.kind === 'ident' || t.kind === 'number' || (t.kind === 'punct' && WORD_GLUE.has(t.text));
      if (!gluable) break;
      text += t.text;
      this.pos++;
    }
    return { text, span: first.span };
  }

  /** A plain identifier (a symbol, key or register name), without glueing. */
  ident(what: string): Word | undefined {
    const t = this.peek();
    if (t?.kind !== 'ident') return this.expected(what);
    this.pos++;
    return { text: t.text, span: t.span };
  }

  number(what: string): { value: bigint; span: SourceSpan } | undefined {
    const t = this.peek();
    if (t?.kind !== 'number') return this.expected(what);
    this.pos++;
    const value = parseNumberText(t.text);
    if (value === undefined) {
      this.sink.report('PL7007', t.span, t.text);
      return undefined;
    }
    return { value, span: t.span };
  }

  string(what: string): InsnText | undefined {
    const t = this.peek();
    if (t?.kind !== 'string') return this.expected(what);
    this.pos++;
    return { text: t.text, span: t.span };
  }

  /**
   * expr := and ('|' and)*; and := shift ('&' shift)*; shift := sum (('<<'|'>>') sum)*;
   * sum := term (('+'|'-') term)*; term := unary ('*' unary)*; unary := '-' unary | number | symbol | '(' expr ')'.
   * (C's precedence: a literal's halves are `func_b & 0xffffffff` and `func_b >> 32`.)
   */
  expr(what = 'an address or value'): Expr | undefined {
    let left = this.bitAnd(what);
    while (left && this.isPunct('|')) {
      const at = this.next()!.span;
      const right = this.bitAnd('a number or symbol');
      if (!right) return undefined;
      left = this.binary('|', left, right, at);
    }
    return left;
  }
  private bitAnd(what: string): Expr | undefined {
    let left = this.shift(what);
    while (left && this.isPunct('&')) {
      const at = this.next()!.span;
      const right = this.shift('a number or symbol');
      if (!right) return undefined;
      left = this.binary('&', left, right, at);
    }
    return left;
  }
  private shift(what: string): Expr | undefined {
    let left = this.sum(what);
    for (;;) {
      const a = this.peek(), b = this.peek(1);
      const op = a?.kind === 'punct' && b?.kind === 'punct' && !b.spaced && a.text === b.text && (a.text === '<' || a.text === '>') ? (a.text === '<' ? '<<' : '>>') : undefined;
      if (!left || !op) return left;
      this.pos += 2;
      const right = this.sum('a number or symbol');
      if (!right) return undefined;
      left = this.binary(op, left, right, a!.span);
    }
  }
  private sum(what: string): Expr | undefined {
    let left = this.term(what);
    while (left && (this.isPunct('+') || this.isPunct('-'))) {
      const t = this.next()!;
      const right = this.term('a number or symbol');
      if (!right) return undefined;
      left = this.binary(t.text as '+' | '-', left, right, t.span);
    }
    return left;
  }
  private term(what: string): Expr | undefined {
    let left = this.unary(what);
    while (left && this.isPunct('*')) {
      const at = this.next()!.span;
      const right = this.unary('a number or symbol');
      if (!right) return undefined;
      left = this.binary('*', left, right, at);
    }
    return left;
  }
  /** A binary node, or undefined (reported at its operator `at`) when it nests too deep. */
  private binary(op: BinaryOp, left: Expr, right: Expr, at: SourceSpan): Expr | undefined {
    return this.measured({ kind: 'binary', op, left, right, span: left.span }, at, left, right);
  }
  /** Record the height of `e`, made of `parts`; undefined (reported at `at`) when it nests too deep. */
  private measured(e: Expr, at: SourceSpan, ...parts: Expr[]): Expr | undefined {
    const height = 1 + Math.max(...parts.map((p) => this.heightOf(p)));
    if (height > MAX_EXPR_DEPTH) return this.tooDeep(at);
    this.heights.set(e, height);
    return e;
  }
  private heightOf(e: Expr): number {
    return this.heights.get(e) ?? 1;
  }
  private tooDeep(at: SourceSpan): undefined {
    this.sink.report('PL7039', at, MAX_EXPR_DEPTH);
    return undefined;
  }
  /** Parse `inner` one level deeper, stopping at the limit instead of recursing further. */
  private deeper(at: SourceSpan, inner: () => Expr | undefined): Expr | undefined {
    if (this.depth >= MAX_EXPR_DEPTH) return this.tooDeep(at);
    this.depth++;
    const e = inner();
    this.depth--;
    return e;
  }
  private unary(what: string): Expr | undefined {
    const t = this.peek();
    if (t?.kind === 'punct' && t.text === '-') {
      this.pos++;
      const operand = this.deeper(t.span, () => this.unary(what));
      return operand && this.measured({ kind: 'neg', operand, span: t.span }, t.span, operand);
    }
    if (t?.kind === 'punct' && t.text === '(') {
      this.pos++;
      const inner = this.deeper(t.span, () => this.expr(what));
      if (!inner || !this.expectPunct(')')) return undefined;
      return inner;
    }
    if (t?.kind === 'number') {
      const n = this.number(what);
      return n && { kind: 'num', value: n.value, span: n.span };
    }
    if (t?.kind === 'ident') {
      this.pos++;
      return { kind: 'sym', name: t.text, span: t.span };
    }
    return this.expected(what);
  }

  /** `name=value` options after a statement, each name at most once; returns undefined after reporting. */
  options(allowed: readonly string[], flags: readonly string[] = []): Map<string, { word: Word; value?: Word }> | undefined {
    const out = new Map<string, { word: Word; value?: Word }>();
    while (!this.atEnd()) {
      const name = this.word(`one of ${[...allowed.map((a) => `${a}=…`), ...flags].join(', ')}`);
      if (!name) return undefined;
      if (out.has(name.text)) this.sink.report('PL7028', name.span, name.text);
      if (flags.includes(name.text)) {
        out.set(name.text, { word: name });
        continue;
      }
      if (!allowed.includes(name.text)) {
        this.sink.report('PL7006', name.span, `one of ${[...allowed.map((a) => `${a}=…`), ...flags].join(', ')}`, name.text);
        return undefined;
      }
      if (!this.expectPunct('=')) return undefined;
      const value = this.word(`a value for ${name.text}`);
      if (!value) return undefined;
      out.set(name.text, { word: name, value });
    }
    return out;
  }

  /** The statement is over: anything left is reported once (unless the line already has an error). */
  finish(): void {
    const t = this.peek();
    if (t && this.sink.count === this.reportedBefore) this.sink.report('PL7031', t.span, t.text);
    this.pos = this.tokens.length;
  }
}
