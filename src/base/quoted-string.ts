// A double-quoted string with backslash escapes, as both the assembler and the scenario scanner read one.

export interface QuotedString {
  /** The string with its escapes replaced. */
  readonly value: string;
  /** Index just past the closing quote (or the end of the text when there is none). */
  readonly end: number;
  readonly closed: boolean;
}

/**
 * Read the string whose opening quote is at `text[open]`. `\x` becomes `escapes[x]`, or `x` itself when
 * the table has no entry (so `\"` and `\\` need none).
 */
export function readQuoted(text: string, open: number, escapes: Readonly<Record<string, string>>): QuotedString {
  let value = '';
  let i = open + 1;
  while (i < text.length) {
    const d = text[i];
    if (d === '"') return { value, end: i + 1, closed: true };
    if (d === '\\' && i + 1 < text.length) {
      value += escapes[text[i + 1]] ?? text[i + 1];
      i += 2;
      continue;
    }
    value += d;
    i++;
  }
  return { value, end: i, closed: false };
}
