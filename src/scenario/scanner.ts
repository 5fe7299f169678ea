// Scenario text to lines of tokens: `#` comments dropped, columns kept, nothing thrown on bad input.
//
// The language is line-oriented, so the scanner works a line at a time; the parser asks for the raw
// text of a line instead when it is inside a `code` block (GNU as source is passed on verbatim).

import type { DiagnosticSink, SourceSpan } from '../base/diagnostics.js';
import { readQuoted } from '../base/quoted-string.js';

export type TokenKind = 'ident' | 'number' | 'string' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  /** As written; for a string, its contents with escapes resolved. */
  readonly text: string;
  readonly span: SourceSpan;
  /** Whitespace (or the line start) comes right before it: words such as `x86-64` are tokens glued without it. */
  readonly spaced: boolean;
}

export interface SourceLine {
  /** 1-based. */
  readonly line: number;
  readonly text: string;
}

/** Split at `\n` (a `\r` before it is dropped), numbering lines from 1. */
export function splitLines(text: string): SourceLine[] {
  return text.split('\n').map((raw, i) => ({ line: i + 1, text: raw.endsWith('\r') ? raw.slice(0, -1) : raw }));
}

const IDENT_START = /[A-Za-z_.$]/;
const IDENT_PART = /[A-Za-z0-9_.$]/;
const NUMBER_PART = /[A-Za-z0-9_]/;
const PUNCT = '=,()+-*|&:<>/';
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', '\\': '\\', '"': '"' };

/** Tokens of one line; a `#` outside a string starts a comment. */
export function scanLine(src: SourceLine, file: string, sink: DiagnosticSink): Token[] {
  const text = src.text;
  const out: Token[] = [];
  const span = (i: number): SourceSpan => ({ file, line: src.line, col: i + 1 });
  let i = 0;
  let spaced = true;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\r') {
      spaced = true;
      i++;
      continue;
    }
    if (c === '#') break;
    const start = i;
    if (c === '"') {
      const q = readQuoted(text, i, ESCAPES);
      i = q.end;
      if (!q.closed) sink.report('PL7016', span(start));
      out.push({ kind: 'string', text: q.value, span: span(start), spaced });
    } else if (/[0-9]/.test(c)) {
      while (i < text.length && NUMBER_PART.test(text[i])) i++;
      out.push({ kind: 'number', text: text.slice(start, i), span: span(start), spaced });
    } else if (IDENT_START.test(c)) {
      i++;
      while (i < text.length && IDENT_PART.test(text[i])) i++;
      out.push({ kind: 'ident', text: text.slice(start, i), span: span(start), spaced });
    } else if (c === '-' && text[i + 1] === '>') {
      i += 2;
      out.push({ kind: 'punct', text: '->', span: span(start), spaced });
    } else if (PUNCT.includes(c)) {
      i++;
      out.push({ kind: 'punct', text: c, span: span(start), spaced });
    } else {
      sink.report('PL7017', span(start), c);
      i++;
    }
    spaced = false;
  }
  return out;
}

/** A number as the scenario language writes one: decimal, 0x hex, 0b binary, with `_` separators. */
export function parseNumberText(text: string): bigint | undefined {
  const t = text.replace(/_/g, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(t) || /^0[bB][01]+$/.test(t) || /^[0-9]+$/.test(t)) {
    if (text.endsWith('_') || text.includes('__')) return undefined;
    return BigInt(t);
  }
  return undefined;
}
