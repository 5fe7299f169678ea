// The file as lines, and block structure over them (`… end`); statement parsers get a cursor per line.

import { DiagnosticSink, type SourceSpan } from '../base/diagnostics.js';
import type { CodeBlock, Word } from './ast.js';
import { LineCursor } from './cursor.js';
import { scanLine, splitLines, type SourceLine } from './scanner.js';

/** Statements that may only start a line at the top level: seeing one inside a block means its `end` is missing. */
export const TOP_LEVEL = [
  'scenario', 'arch', 'knobs', 'bounds', 'expect', 'section', 'code', 'key', 'static_call', 'group', 'task', 'nmi', 'irq', 'patcher',
] as const;

/**
 * How deep blocks may nest (a task or the patcher counts as one). Parsing and lowering recurse once
 * per block, so past this the file is reported instead of overflowing the stack.
 */
export const MAX_BLOCK_DEPTH = 256;

/** One statement line, scanned. */
export interface Line {
  readonly cursor: LineCursor;
  readonly head: Word;
  readonly span: SourceSpan;
}

export class ScenarioParser {
  private index = 0;
  /** Index of the source line `nextLine` last returned, for `unread`. */
  private lastIndex = 0;
  private readonly lines: SourceLine[];
  /** Blocks open around the line being parsed. */
  private blockDepth = 0;
  /** Parsing stopped at a block nested too deep: the blocks still open are not "missing" their `end`. */
  private abandoned = false;
  readonly sink = new DiagnosticSink();

  constructor(text: string, readonly file: string) {
    this.lines = splitLines(text);
  }

  /** The next line with tokens, or undefined at the end of the file. */
  nextLine(): Line | undefined {
    while (this.index < this.lines.length) {
      this.lastIndex = this.index;
      const src = this.lines[this.index++];
      const tokens = scanLine(src, this.file, this.sink);
      if (tokens.length === 0) continue;
      const end = { file: this.file, line: src.line, col: src.text.length + 1 };
      const cursor = new LineCursor(tokens, this.sink, end);
      const first = tokens[0];
      let head: Word;
      if (first.kind === 'ident' || first.kind === 'number') head = cursor.word('a statement')!;
      else {
        cursor.next();
        head = { text: first.text, span: first.span };
      }
      return { cursor, head, span: first.span };
    }
    return undefined;
  }

  /** Give the line back (a block saw a top-level statement: its `end` is missing). */
  private unread(): void {
    this.index = this.lastIndex;
  }

  /**
   * The statements of a block up to its `end`. A top-level
   * statement, or the end of the file, closes the block with a "missing end" diagnostic at its opener.
   * A block nested deeper than MAX_BLOCK_DEPTH is reported at its opener and ends parsing: finding its
   * `end` would mean knowing which statements open blocks, and nothing after it could be trusted.
   */
  block<T>(opener: Word, statement: (line: Line) => T | undefined): T[] {
    if (this.blockDepth >= MAX_BLOCK_DEPTH) {
      this.sink.report('PL7040', opener.span, opener.text, MAX_BLOCK_DEPTH);
      this.index = this.lines.length;
      this.abandoned = true;
      return [];
    }
    this.blockDepth++;
    try {
      return this.statements(opener, statement);
    } finally {
      this.blockDepth--;
    }
  }

  private statements<T>(opener: Word, statement: (line: Line) => T | undefined): T[] {
    const out: T[] = [];
    for (;;) {
      const line = this.nextLine();
      if (!line || (TOP_LEVEL as readonly string[]).includes(line.head.text)) {
        if (!this.abandoned) this.sink.report('PL7002', opener.span, opener.text, opener.span.line);
        if (line) this.unread();
        return out;
      }
      if (line.head.text === 'end') {
        line.cursor.finish();
        return out;
      }
      const s = statement(line);
      if (s !== undefined) out.push(s);
    }
  }

  /** Raw lines up to a line that is `end` alone (GNU as source is not scanned here). */
  rawBlock(opener: Word): CodeBlock {
    const firstLine = this.index < this.lines.length ? this.lines[this.index].line : opener.span.line + 1;
    const body: string[] = [];
    while (this.index < this.lines.length) {
      const src = this.lines[this.index++];
      if (src.text.replace(/#.*$/, '').trim() === 'end') return { text: body.join('\n'), firstLine, span: opener.span };
      body.push(src.text);
    }
    this.sink.report('PL7002', opener.span, opener.text, opener.span.line);
    return { text: body.join('\n'), firstLine, span: opener.span };
  }
}

