// Source text to statements: comments removed (columns kept), lines split at `;`, tokens scanned.

import type { DiagnosticSink, SourceSpan } from '../../base/diagnostics.js';
import type { AsmSyntax } from '../types.js';
import { scanTokens, type Token } from './expr.js';

export interface Statement {
  readonly line: number;
  /** The statement's source text, for listings. */
  readonly text: string;
  readonly tokens: readonly Token[];
  /** Where the statement ends (one past its last character). */
  readonly end: SourceSpan;
}

/** Blank out `/* … *\/` comments, keeping newlines so that lines and columns stay where they were. */
function blankBlockComments(source: string, file: string, sink: DiagnosticSink): string {
  let out = '';
  let i = 0;
  let inString = false;
  let line = 1;
  let lineStart = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '\n') {
      inString = false;
      line++;
      lineStart = i + 1;
      out += c;
      i++;
      continue;
    }
    if (inString) {
      if (c === '\\' && i + 1 < source.length && source[i + 1] !== '\n') {
        out += c + source[i + 1];
        i += 2;
        continue;
      }
      if (c === '"') inString = false;
      out += c;
      i++;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      if (close < 0) {
        sink.report('PL1012', { file, line, col: i - lineStart + 1 });
        out += source.slice(i).replace(/[^\n]/g, ' ');
        break;
      }
      const body = source.slice(i, close + 2);
      for (const ch of body) {
        if (ch === '\n') {
          line++;
          out += '\n';
        } else out += ' ';
      }
      const lastNl = body.lastIndexOf('\n');
      if (lastNl >= 0) lineStart = i + lastNl + 1;
      i = close + 2;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Index where a line comment starts (outside strings and character constants), or the line's length. */
function commentStart(text: string, syntax: AsmSyntax): number {
  const first = text.search(/\S/);
  if (first >= 0 && syntax.lineStartComments.some((m) => text.startsWith(m, first))) return first;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c === "'") {
      i += text[i + 1] === '\\' ? 2 : 1;
      continue;
    }
    if (syntax.lineComments.some((m) => text.startsWith(m, i))) return i;
  }
  return text.length;
}

/** Split a line at `;` outside strings: start columns (0-based) and texts. */
function splitStatements(text: string): { start: number; text: string }[] {
  const parts: { start: number; text: string }[] = [];
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "'") i += text[i + 1] === '\\' ? 2 : 1;
    else if (c === ';') {
      parts.push({ start, text: text.slice(start, i) });
      start = i + 1;
    }
  }
  parts.push({ start, text: text.slice(start) });
  return parts;
}

export function splitSource(source: string, file: string, syntax: AsmSyntax, sink: DiagnosticSink): Statement[] {
  const lines = blankBlockComments(source, file, sink).split('\n');
  const out: Statement[] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    const text = raw.slice(0, commentStart(raw, syntax));
    for (const part of splitStatements(text)) {
      if (!/\S/.test(part.text)) continue;
      const tokens = scanTokens(part.text, line, part.start + 1, file, sink);
      if (tokens.length === 0) continue;
      // trimEnd, not /\s+$/: that regular expression backtracks, quadratic in a long run of spaces.
      const trimmed = part.text.trimEnd();
      out.push({ line, text: trimmed.trim(), tokens, end: { file, line, col: part.start + trimmed.length + 1 } });
    }
  });
  return out;
}

/** Split tokens at commas not inside () or []. An empty token list gives no operands. */
export function splitOperands(tokens: readonly Token[]): Token[][] {
  if (tokens.length === 0) return [];
  const out: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'punct') {
      if (t.text === '(' || t.text === '[') depth++;
      else if (t.text === ')' || t.text === ']') depth = Math.max(0, depth - 1);
      else if (t.text === ',' && depth === 0) {
        out.push([]);
        continue;
      }
    }
    out[out.length - 1].push(t);
  }
  return out;
}
