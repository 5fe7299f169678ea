// A trace laid out in fixed-width columns, one per CPU plus one for the patcher (herd-style lanes).
//
// The checker does not know what a column is: the caller's `cell` says, for each step, which column
// it belongs to and what to write there, plus optional extra lines (memory bytes before/after a store).

export interface TraceCell {
  readonly column: number;
  readonly text: string;
  /** Lines shown under the step, in the same column. */
  readonly extra?: readonly string[];
}

export interface ColumnLayout<Step> {
  /** One header per column, e.g. ['CPU0', 'CPU1', 'patcher']. */
  readonly headers: readonly string[];
  readonly cell: (step: Step, index: number) => TraceCell;
  /** Widest a column may get; longer text is cut with an ellipsis (default 40). */
  readonly maxWidth?: number;
}

/** The lines of the table: header, rule, then one row per step (numbered from 1) and its extra lines. */
export function renderColumns<Step>(steps: readonly Step[], layout: ColumnLayout<Step>): string[] {
  const maxWidth = layout.maxWidth ?? 40;
  const cells = steps.map((s, i) => layout.cell(s, i));
  const widths = layout.headers.map((h) => h.length);
  for (const c of cells) {
    for (const text of [c.text, ...(c.extra ?? [])]) widths[c.column] = Math.max(widths[c.column] ?? 0, text.length);
  }
  for (let k = 0; k < widths.length; k++) widths[k] = Math.min(widths[k], maxWidth);
  const numberWidth = String(steps.length).length + 1;
  const row = (label: string, column: number, text: string): string => {
    // Columns right of the text stay empty and are left off, so rows carry no trailing rules.
    const parts = widths.slice(0, column + 1).map((w, k) => fit(k === column ? text : '', w));
    return `${label.padStart(numberWidth)}  ${parts.join(' | ')}`.trimEnd();
  };
  const lines = [
    `${''.padStart(numberWidth)}  ${widths.map((w, k) => fit(layout.headers[k] ?? '', w)).join(' | ')}`.trimEnd(),
    `${''.padStart(numberWidth)}  ${widths.map((w) => '-'.repeat(w)).join('-+-')}`,
  ];
  cells.forEach((c, i) => {
    lines.push(row(`${i + 1}.`, c.column, c.text));
    for (const x of c.extra ?? []) lines.push(row('', c.column, x));
  });
  return lines;
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}
