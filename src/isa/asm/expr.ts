// Tokens and expressions of GNU as syntax, shared by every arch's operand parser.

import type { DiagnosticSink, SourceSpan } from '../../base/diagnostics.js';
import { readQuoted } from '../../base/quoted-string.js';

export type TokenKind =
  /** foo, .L1, x16, r12, cs, _start, $ident is not one (see punct) */
  | 'ident'
  /** 42, 0x2a, 0b101, 052, 'a' */
  | 'number'
  /** `1f` / `1b`: a reference to numeric local label 1, forward or backward */
  | 'localref'
  | 'string'
  | 'punct';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly span: SourceSpan;
  /** For numbers: the value. For localrefs: the label number. */
  readonly value?: bigint;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^' | '!' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '&&' | '||';

export type Expr =
  | { readonly kind: 'num'; readonly value: bigint; readonly span: SourceSpan }
  | { readonly kind: 'sym'; readonly name: string; readonly span: SourceSpan }
  /** A numeric local label reference, already bound to the internal name of its definition. */
  | { readonly kind: 'local'; readonly name: string; readonly span: SourceSpan }
  | { readonly kind: 'dot'; readonly span: SourceSpan }
  | { readonly kind: 'unary'; readonly op: '-' | '~' | '!' | '+'; readonly operand: Expr; readonly span: SourceSpan }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: SourceSpan }
  /** `sym@ha` (postfix ops) or `:lo12:sym` (prefix ops); op is stored without the punctuation: `ha`, `toc@ha`, `lo12`. */
  | { readonly kind: 'reloc'; readonly op: string; readonly operand: Expr; readonly span: SourceSpan };

const IDENT_START = /[A-Za-z_.$]/;
const IDENT_PART = /[A-Za-z0-9_.$]/;
const PUNCT2 = ['<<', '>>', '==', '!=', '<=', '>=', '&&', '||', '<>'];
/** GNU as string escapes (`\"` and `\\` stand for themselves). */
const STRING_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f' };

/**
 * Split one statement's text into tokens. `$` begins an identifier only when followed by an
 * identifier character that is not a digit (so x86 `$42` is punct + number, `$foo` is punct + ident).
 */
export function scanTokens(text: string, line: number, colBase: number, file: string, sink: DiagnosticSink): Token[] {
  const out: Token[] = [];
  let i = 0;
  const span = (at: number): SourceSpan => ({ file, line, col: colBase + at });
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    const start = i;
    if (c === '"') {
      const q = readQuoted(text, i, STRING_ESCAPES);
      i = q.end;
      if (!q.closed) sink.report('PL1011', span(start));
      out.push({ kind: 'string', text: q.value, span: span(start) });
      continue;
    }
    if (c === "'" && i + 1 < text.length) {
      // GNU as character constant: 'a (the closing quote is optional).
      let ch = text[i + 1];
      let len = 2;
      if (ch === '\\' && i + 2 < text.length) {
        const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '0': '\0' };
        ch = esc[text[i + 2]] ?? text[i + 2];
        len = 3;
      }
      if (text[i + len] === "'") len++;
      out.push({ kind: 'number', text: text.slice(i, i + len), value: BigInt(ch.charCodeAt(0)), span: span(start) });
      i += len;
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < text.length && IDENT_PART.test(text[i]) && text[i] !== '$') i++;
      const word = text.slice(start, i);
      const local = /^([0-9]+)([fb])$/.exec(word);
      if (local) {
        out.push({ kind: 'localref', text: word, value: BigInt(local[1]), span: span(start) });
        continue;
      }
      const value = parseNumber(word);
      if (value === undefined) sink.report('PL1014', span(start), word);
      out.push({ kind: 'number', text: word, value: value ?? 0n, span: span(start) });
      continue;
    }
    if (IDENT_START.test(c) && !(c === '$' && !(i + 1 < text.length && /[A-Za-z_.]/.test(text[i + 1])))) {
      i++;
      while (i < text.length && IDENT_PART.test(text[i])) i++;
      out.push({ kind: 'ident', text: text.slice(start, i), span: span(start) });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      out.push({ kind: 'punct', text: two === '<>' ? '!=' : two, span: span(start) });
      i += 2;
      continue;
    }
    if ('+-*/%&|^~!()[],:#@$=<>{}'.includes(c)) {
      out.push({ kind: 'punct', text: c, span: span(start) });
      i++;
      continue;
    }
    sink.report('PL1019', span(start), c);
    i++;
  }
  return out;
}

/** GNU as integer syntax: 0x hex, 0b binary, leading 0 octal, else decimal. */
export function parseNumber(word: string): bigint | undefined {
  const w = word.toLowerCase();
  if (/^0x[0-9a-f]+$/.test(w)) return BigInt(w);
  if (/^0b[01]+$/.test(w)) return BigInt(w);
  if (/^0[0-7]+$/.test(w)) return BigInt('0o' + w.slice(1));
  if (/^[0-9]+$/.test(w)) return BigInt(w);
  return undefined;
}

/** Binding strength of binary operators, as GNU as ranks them (higher binds tighter). */
const RANK: Record<string, number> = {
  '||': 1, '&&': 2,
  '==': 3, '!=': 3, '<': 3, '>': 3, '<=': 3, '>=': 3,
  '+': 4, '-': 4,
  '|': 5, '^': 5, '&': 5, '!': 5,
  '*': 6, '/': 6, '%': 6, '<<': 6, '>>': 6,
};

/**
 * How deep an expression may nest: parentheses, unary operators, and the operands of binary and
 * relocation operators (a chain `1+1+…` nests once per operator). Parsing and evaluating recurse
 * once per level, so past this an expression is reported instead of overflowing the stack.
 */
export const MAX_EXPR_DEPTH = 256;

export interface ExprParserOptions {
  readonly dollarIsDot: boolean;
  readonly postfixRelocOps: readonly string[];
  readonly prefixRelocOps: readonly string[];
  /** Binds `1f`/`1b` to the internal name of a numeric label definition; reports if it cannot. */
  readonly bindLocal: (n: bigint, dir: 'f' | 'b', span: SourceSpan) => string;
}

/**
 * Parse an expression from tokens[start]. Stops at the first token that cannot continue it (a `(`
 * after an operand, a `,`, a `]` …) and returns where it stopped. Reports and returns undefined when
 * no expression starts there.
 */
export function parseExpression(
  tokens: readonly Token[], start: number, opts: ExprParserOptions, sink: DiagnosticSink, end: SourceSpan,
): { expr: Expr; next: number } | undefined {
  let pos = start;
  const peek = (): Token | undefined => tokens[pos];
  /** How many `(` and unary operators the parser is inside, and each composite node's height. */
  let depth = 0;
  const heights = new Map<Expr, number>();
  const heightOf = (e: Expr): number => heights.get(e) ?? 1;
  /** Record a node made of `parts`; undefined (after reporting at `at`) when it nests too deep. */
  const nested = (e: Expr, at: SourceSpan, ...parts: Expr[]): Expr | undefined => {
    const h = 1 + Math.max(...parts.map(heightOf));
    if (h > MAX_EXPR_DEPTH) return tooDeep(at);
    heights.set(e, h);
    return e;
  };
  const tooDeep = (at: SourceSpan): undefined => {
    sink.report('PL1025', at, MAX_EXPR_DEPTH);
    return undefined;
  };
  /** Parse `inner` one level deeper, stopping at the limit instead of recursing further. */
  const deeper = (at: SourceSpan, inner: () => Expr | undefined): Expr | undefined => {
    if (depth >= MAX_EXPR_DEPTH) return tooDeep(at);
    depth++;
    const e = inner();
    depth--;
    return e;
  };

  const prefixReloc = (): Expr | undefined => {
    // `:lo12:expr` — the operator covers the whole expression after it.
    const t0 = tokens[pos], t1 = tokens[pos + 1], t2 = tokens[pos + 2];
    if (t0?.text === ':' && t1?.kind === 'ident' && t2?.text === ':' && opts.prefixRelocOps.includes(t1.text.toLowerCase())) {
      pos += 3;
      const inner = deeper(t0.span, () => binary(0));
      if (!inner) return undefined;
      return nested({ kind: 'reloc', op: t1.text.toLowerCase(), operand: inner, span: t0.span }, t0.span, inner);
    }
    return undefined;
  };

  const postfix = (e: Expr): Expr | undefined => {
    // `sym@ha`, `sym@toc@ha`: take the longest operator the arch knows.
    while (peek()?.text === '@' && tokens[pos + 1]?.kind === 'ident') {
      let op = tokens[pos + 1].text.toLowerCase();
      let used = 2;
      if (tokens[pos + 2]?.text === '@' && tokens[pos + 3]?.kind === 'ident') {
        const longer = `${op}@${tokens[pos + 3].text.toLowerCase()}`;
        if (opts.postfixRelocOps.includes(longer)) {
          op = longer;
          used = 4;
        }
      }
      if (!opts.postfixRelocOps.includes(op)) break;
      const r = nested({ kind: 'reloc', op, operand: e, span: e.span }, tokens[pos].span, e);
      if (!r) return undefined;
      e = r;
      pos += used;
    }
    return e;
  };

  const primary = (): Expr | undefined => {
    const t = peek();
    if (!t) {
      sink.report('PL1003', end, 'an expression', 'end of line');
      return undefined;
    }
    if (t.text === ':' && t.kind === 'punct') {
      const r = prefixReloc();
      if (r) return r;
    }
    if (t.kind === 'number') {
      pos++;
      return postfix({ kind: 'num', value: t.value ?? 0n, span: t.span });
    }
    if (t.kind === 'localref') {
      pos++;
      const dir = t.text.endsWith('f') ? 'f' : 'b';
      return postfix({ kind: 'local', name: opts.bindLocal(t.value ?? 0n, dir, t.span), span: t.span });
    }
    if (t.kind === 'ident') {
      pos++;
      if (t.text === '.') return { kind: 'dot', span: t.span };
      return postfix({ kind: 'sym', name: t.text, span: t.span });
    }
    if (t.kind === 'punct') {
      if (t.text === '$' && opts.dollarIsDot) {
        pos++;
        return { kind: 'dot', span: t.span };
      }
      if (t.text === '(') {
        pos++;
        const inner = deeper(t.span, () => binary(0));
        if (!inner) return undefined;
        if (peek()?.text !== ')') {
          const u = peek();
          sink.report('PL1003', u?.span ?? end, '`)`', u?.text ?? 'end of line');
          return undefined;
        }
        pos++;
        return postfix(inner);
      }
      if (t.text === '-' || t.text === '~' || t.text === '!' || t.text === '+') {
        pos++;
        const operand = deeper(t.span, primary);
        if (!operand) return undefined;
        return nested({ kind: 'unary', op: t.text, operand, span: t.span }, t.span, operand);
      }
    }
    sink.report('PL1003', t.span, 'an expression', t.text);
    return undefined;
  };

  const binary = (minRank: number): Expr | undefined => {
    let left = primary();
    if (!left) return undefined;
    for (;;) {
      const t = peek();
      if (!t || t.kind !== 'punct') break;
      const rank = RANK[t.text];
      if (rank === undefined || rank <= minRank) break;
      // `%` followed by an identifier is an x86 register, not modulo: leave it to the caller.
      if (t.text === '%' && tokens[pos + 1]?.kind === 'ident') break;
      pos++;
      const right = binary(rank);
      if (!right) return undefined;
      const made = nested({ kind: 'binary', op: t.text as BinaryOp, left, right, span: left.span }, t.span, left, right);
      if (!made) return undefined;
      left = made;
    }
    return left;
  };

  const expr = binary(0);
  return expr ? { expr, next: pos } : undefined;
}

/**
 * Fold the relocation operators GNU as computes itself when their operand is a constant. The
 * 16-bit ppc results are unsigned (0..0xffff): as GNU as does, the arch sign-extends them when the
 * field they go into is signed (`addi`), and keeps them for unsigned fields (`ori`).
 */
export function foldRelocOp(op: string, v: bigint): bigint | undefined {
  const u = BigInt.asUintN(64, v);
  switch (op) {
    case 'l': return u & 0xffffn;
    case 'h': return (u >> 16n) & 0xffffn;
    case 'ha': return ((u + 0x8000n) >> 16n) & 0xffffn;
    case 'high': return (u >> 16n) & 0xffffn;
    case 'higha': return ((u + 0x8000n) >> 16n) & 0xffffn;
    case 'higher': return (u >> 32n) & 0xffffn;
    case 'highera': return ((u + 0x8000n) >> 32n) & 0xffffn;
    case 'highest': return (u >> 48n) & 0xffffn;
    case 'highesta': return ((u + 0x8000n) >> 48n) & 0xffffn;
    case 'lo12': return u & 0xfffn;
    default: return undefined;
  }
}
