// The report of a catalogue check (many scenario files in one run): a table a row per file as herd7 prints over
// a catalogue, one JSON document (patchlab.catalogue/1), and JUnit XML for CI systems.

import type { Diagnostic } from '../base/diagnostics.js';
import { formatDiagnostic } from '../base/diagnostics.js';
import { checkJsonBody, matchesExpectation, reportText, verdictLine, type ReportInput } from './check-report.js';
import { EXIT } from './host.js';

export const CATALOGUE_SCHEMA = 'patchlab.catalogue/1';
export const DIAGNOSTICS_SCHEMA = 'patchlab.diagnostics/1';

/** One file of the catalogue: its report when it could be checked, else the diagnostics that stopped it. */
export interface CatalogueEntry {
  readonly file: string;
  readonly report?: ReportInput;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * What one file means for CI: `pass` when the verdict is what its `expect` line says (unsafe as expected is a
 * pass), `fail` when it is not, `incomplete` when a limit stopped the search, `bad-input` when it has diagnostics.
 */
export type Outcome = 'pass' | 'fail' | 'incomplete' | 'bad-input';

export function outcomeOf(e: CatalogueEntry): Outcome {
  const r = e.report;
  if (!r) return 'bad-input';
  const m = matchesExpectation(r.expect, r.verdict, r.violation, r.mode);
  return m === undefined ? 'incomplete' : m ? 'pass' : 'fail';
}

/** Bad input first, then a verdict against its expectation, then an undecided one: 2, 1, 3, else 0. */
export function catalogueStatus(entries: readonly CatalogueEntry[]): number {
  const o = entries.map(outcomeOf);
  if (o.includes('bad-input')) return EXIT.badInput;
  if (o.includes('fail')) return EXIT.unsafe;
  if (o.includes('incomplete')) return EXIT.incomplete;
  return EXIT.ok;
}

const expectedText = (r: ReportInput) => (r.expect.verdict === 'safe' ? 'safe' : `unsafe${r.expect.kinds.length ? ' ' + r.expect.kinds.join('|') : ''}`);
const foundText = (r: ReportInput) => (r.verdict === 'unsafe' ? `unsafe ${r.violation!.kind}` : r.verdict);
const MATCHES: Record<Outcome, string> = { pass: 'yes', fail: 'NO', incomplete: '-', 'bad-input': '-' };

function counts(entries: readonly CatalogueEntry[]) {
  const n = (o: Outcome) => entries.filter((e) => outcomeOf(e) === o).length;
  const verdicts = (v: ReportInput['verdict']) => entries.filter((e) => e.report?.verdict === v).length;
  const seconds = entries.reduce((t, e) => t + (e.report?.result?.stats.seconds ?? 0), 0);
  return {
    files: entries.length, safe: verdicts('safe'), unsafe: verdicts('unsafe'), incomplete: n('incomplete'), badInput: n('bad-input'),
    asExpected: n('pass'), notAsExpected: n('fail'), seconds,
  };
}

/** The table, the summary line, and a line per file that needs attention. */
export function catalogueText(entries: readonly CatalogueEntry[], timing: boolean): string {
  const head = ['file', 'verdict', 'kind', 'expected', 'matches', 'states', ...(timing ? ['time'] : [])];
  const rows = entries.map((e) => {
    const r = e.report;
    if (!r) return [e.file, 'bad input', '-', '-', '-', '-', ...(timing ? ['-'] : [])];
    const s = r.result?.stats;
    return [e.file, r.verdict, r.violation?.kind ?? '-', expectedText(r), MATCHES[outcomeOf(e)], s ? String(s.states) : '-', ...(timing ? [s ? `${s.seconds.toFixed(2)} s` : '-'] : [])];
  });
  const numeric = new Set([5, 6]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: readonly string[]) => r.map((v, i) => (numeric.has(i) ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''];
  const c = counts(entries);
  const time = timing ? ` in ${c.seconds.toFixed(2)} s` : '';
  out.push(`${c.files} file${c.files === 1 ? '' : 's'}${time}: ${c.safe} safe, ${c.unsafe} unsafe, ${c.incomplete} incomplete, ${c.badInput} bad input; ` +
    `${c.asExpected} as expected, ${c.notAsExpected} not`);
  for (const e of entries) {
    const r = e.report;
    const o = outcomeOf(e);
    if (o === 'fail') out.push(`NOT AS EXPECTED  ${e.file}: expected ${expectedText(r!)}, found ${foundText(r!)}`);
    else if (o === 'incomplete') out.push(`INCOMPLETE       ${e.file}: ${r!.result?.reason ?? 'the search stopped'}`);
    else if (o === 'bad-input') {
      const more = e.diagnostics.length > 1 ? ` (and ${e.diagnostics.length - 1} more on standard error)` : '';
      out.push(`BAD INPUT        ${e.diagnostics[0] ? formatDiagnostic(e.diagnostics[0]) : e.file}${more}`);
    }
  }
  return out.join('\n') + '\n';
}

const diagnosticJson = (d: Diagnostic) => ({ file: d.span.file, line: d.span.line, col: d.span.col, code: d.code, message: d.message });

/** Bad input of one file under `--json`: `{schema: patchlab.diagnostics/1, diagnostics: [{file, line, col, code, message}]}`. */
export function diagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify({ schema: DIAGNOSTICS_SCHEMA, diagnostics: diagnostics.map(diagnosticJson) }, null, 2) + '\n';
}

export function catalogueJson(entries: readonly CatalogueEntry[], timing: boolean): string {
  const c = counts(entries);
  const body = {
    schema: CATALOGUE_SCHEMA,
    status: catalogueStatus(entries),
    summary: { ...c, seconds: timing ? c.seconds : null },
    files: entries.map((e) => ({
      file: e.file,
      outcome: outcomeOf(e),
      verdict: e.report?.verdict ?? null,
      kind: e.report?.violation?.kind ?? null,
      diagnostics: e.diagnostics.map(diagnosticJson),
      report: e.report ? checkJsonBody(e.report) : null,
    })),
  };
  return JSON.stringify(body, null, 2) + '\n';
}

/** Text as XML character data or an attribute value: the five escapes; characters XML 1.0 cannot hold spelled as `\xNN`. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * JUnit XML as Jenkins, GitLab and GitHub reporters read it: one testsuite, a testcase per file. Not as
 * expected is a `failure` (with the report); bad input and an incomplete search are `error`s. `time` only
 * with timing, so that `--no-timing` output compares byte for byte.
 */
export function junitXml(entries: readonly CatalogueEntry[], timing: boolean): string {
  const c = counts(entries);
  const failures = c.notAsExpected, errors = c.badInput + c.incomplete;
  const time = (s: number) => (timing ? ` time="${s.toFixed(3)}"` : '');
  const attrs = `name="patchlab check" tests="${c.files}" failures="${failures}" errors="${errors}" skipped="0"${time(c.seconds)}`;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites ${attrs}>`, `  <testsuite ${attrs}>`];
  for (const e of entries) {
    const r = e.report;
    const name = xmlEscape(e.file);
    const open = `    <testcase classname="patchlab.check" name="${name}" file="${name}"${time(r?.result?.stats.seconds ?? 0)}`;
    const o = outcomeOf(e);
    if (o === 'pass') {
      out.push(`${open}/>`);
      continue;
    }
    out.push(`${open}>`);
    if (o === 'fail') out.push(`      <failure type="not-as-expected" message="${xmlEscape(`expected ${expectedText(r!)}, found ${foundText(r!)}`)}">${xmlEscape(reportText(r!))}</failure>`);
    else if (o === 'incomplete') out.push(`      <error type="incomplete" message="${xmlEscape(verdictLine(r!))}">${xmlEscape(reportText(r!))}</error>`);
    else {
      const text = e.diagnostics.map(formatDiagnostic).join('\n');
      out.push(`      <error type="bad-input" message="${xmlEscape(e.diagnostics[0] ? formatDiagnostic(e.diagnostics[0]) : 'bad input')}">${xmlEscape(text)}</error>`);
    }
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>');
  return out.join('\n') + '\n';
}
