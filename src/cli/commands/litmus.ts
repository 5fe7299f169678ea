// `patchlab litmus FILE…`: herd7-style AArch64 litmus tests on patchlab's machine, told in herd7's words.

import { formatDiagnostic, type Diagnostic } from '../../base/diagnostics.js';
import { DEFAULT_KNOBS, type FetchKnobs } from '../../machine/fetch.js';
import { formatLitmus, litmusKnobs, runLitmus, type LitmusResult } from '../../verify/litmus.js';
import { parseLitmus } from '../../verify/litmus-syntax.js';
import { knobsOn, formatKnobs } from '../../verify/world-report.js';
import { EXIT, type Host } from '../host.js';
import { readInput } from '../input.js';
import type { KnobSettings } from '../scenario-input.js';

export interface LitmusCliOptions {
  readonly json: boolean;
  readonly knob: KnobSettings;
}

export const LITMUS_SCHEMA = 'patchlab.litmus/1';

type Entry = { readonly file: string; readonly result: LitmusResult; readonly knobs: readonly string[] } | { readonly file: string; readonly diagnostics: readonly Diagnostic[] };

/**
 * Every file in turn. Exit status: 2 when any file is bad input (the others still run), else 3 when some
 * execution of some test could not go on (its counts are incomplete), else 0.
 */
export function runLitmusFiles(host: Host, opts: LitmusCliOptions, files: readonly string[]): number {
  const entries: Entry[] = [];
  for (const file of files) {
    const input = readInput(host, file);
    if (!input) {
      entries.push({ file, diagnostics: [] });
      continue;
    }
    const parsed = parseLitmus(input.text, input.name);
    if (!parsed.ok) {
      entries.push({ file: input.name, diagnostics: parsed.diagnostics });
      continue;
    }
    // The test's CacheType sets arm64.idc/dic; --knob NAME / NAME=off then wins.
    const knobs: FetchKnobs = { ...litmusKnobs(parsed.test, DEFAULT_KNOBS), ...opts.knob };
    const run = runLitmus(parsed.test, knobs);
    entries.push(run.ok ? { file: input.name, result: run.result, knobs: knobsOn(knobs) } : { file: input.name, diagnostics: run.diagnostics });
  }
  for (const e of entries) if ('diagnostics' in e) for (const d of e.diagnostics) host.err(formatDiagnostic(d) + '\n');
  if (opts.json) {
    host.out(JSON.stringify({ schema: LITMUS_SCHEMA, tests: entries.map((e) => ('result' in e ? { file: e.file, ...e.result, knobs: e.knobs } : { file: e.file, diagnostics: e.diagnostics.map((d) => ({ file: d.span.file, line: d.span.line, col: d.span.col, code: d.code, message: d.message })) })) }, null, 2) + '\n');
  } else {
    host.out(entries.filter((e): e is Extract<Entry, { result: LitmusResult }> => 'result' in e).map((e) => formatLitmus(e.result, e.knobs.length > 0 ? e.knobs.join(' ') : formatKnobs(DEFAULT_KNOBS))).join('\n'));
  }
  if (entries.some((e) => 'diagnostics' in e)) return EXIT.badInput;
  return entries.some((e) => 'result' in e && e.result.stuck) ? EXIT.incomplete : EXIT.ok;
}
