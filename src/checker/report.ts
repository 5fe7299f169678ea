// The check report for any Model (library use, toy models): JSON (schema patchlab.model-check/1) and text.
// Scenario checks from the CLI use the richer patchlab.check/1 of src/cli/check-report.ts (docs/check-json.md).
//
// Bounds and knobs are the caller's plain objects: the checker only prints them. Descriptions come
// from replaying the trace, so a report is built from the model and the result alone.

import type { Finding, Model } from './model.js';
import { count } from './progress.js';
import { replay, type ReplayStep } from './replay.js';
import type { CheckResult, SearchStats, StopReason, Verdict } from './result.js';
import { type ColumnLayout, renderColumns } from './trace-columns.js';

export const REPORT_SCHEMA = 'patchlab.model-check/1';

export type Plain = Readonly<Record<string, string | number | boolean | null>>;

export interface ReportContext {
  readonly bounds: Plain;
  readonly knobs: Plain;
}

export interface JsonReport {
  readonly schema: typeof REPORT_SCHEMA;
  readonly verdict: Verdict;
  readonly violation: null | { kind: string; message: string; [detail: string]: string | number };
  readonly bounds: Plain;
  readonly knobs: Plain;
  readonly stats: SearchStats;
  readonly stop?: StopReason;
  readonly reason?: string;
  /** `index`: position in the trace from 0; `action`: the action index replay needs. */
  readonly trace: readonly { index: number; action: number; description: string }[];
}

function stepsOf<S, A>(model: Model<S, A>, result: CheckResult): { steps: readonly ReplayStep[]; error?: string } {
  const r = replay(model, result.trace);
  return r.ok ? { steps: r.steps } : { steps: r.steps, error: r.error };
}

export function jsonReport<S, A>(model: Model<S, A>, result: CheckResult, context: ReportContext): JsonReport {
  const v = result.violation;
  const report: JsonReport = {
    schema: REPORT_SCHEMA,
    verdict: result.verdict,
    violation: v ? { kind: v.kind, message: v.message, ...Object.fromEntries(details(v)) } : null,
    bounds: context.bounds,
    knobs: context.knobs,
    stats: result.stats,
    ...(result.stop ? { stop: result.stop, reason: result.reason } : {}),
    trace: stepsOf(model, result).steps.map((s) => ({ index: s.index, action: s.action, description: s.description })),
  };
  return report;
}

/** The fields a model added to a finding (where it happened), scalars only, in the finding's own order. */
export function details(v: Finding): [string, string | number][] {
  return Object.entries(v).filter((e): e is [string, string | number] => e[0] !== 'kind' && e[0] !== 'message' && (typeof e[1] === 'string' || typeof e[1] === 'number'));
}

/** `cpus=3 calls=1`: the plain object as key=value pairs, in its own order. */
export function formatPlain(p: Plain): string {
  return Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ');
}

/** The first line of every report. */
export function verdictLine(result: CheckResult, context: ReportContext): string {
  switch (result.verdict) {
    case 'safe': return `safe within bounds ${formatPlain(context.bounds)}`.trimEnd();
    case 'unsafe': {
      const v = result.violation!;
      const where = details(v).map(([k, x]) => `${k} ${x}`).join(', ');
      return `unsafe: ${v.kind} — ${v.message}${where ? ` (${where})` : ''}`;
    }
    case 'incomplete': return `incomplete: ${result.reason ?? result.stop ?? 'search stopped'}`;
  }
}

export interface TextReportOptions extends ReportContext {
  /** Lay the trace out in columns (one per CPU and the patcher) instead of a numbered list. */
  readonly columns?: ColumnLayout<ReplayStep>;
}

export function textReport<S, A>(model: Model<S, A>, result: CheckResult, options: TextReportOptions): string {
  const lines = [verdictLine(result, options)];
  if (result.verdict !== 'safe') lines.push(`bounds: ${formatPlain(options.bounds) || '(none)'}`);
  const on = Object.entries(options.knobs).filter(([, v]) => v !== false && v !== null && v !== 0).map(([k, v]) => (v === true ? k : `${k}=${v}`));
  lines.push(`knobs: ${on.length ? on.join(', ') : 'none'}`);
  const s = result.stats;
  lines.push(`${count(s.states)} states, ${count(s.transitions)} transitions, depth ${s.maxDepth}, ${s.seconds.toFixed(2)} s (${count(s.statesPerSecond)} states/s), ${s.bytesPerState.toFixed(1)} B/state`);
  if (result.verdict === 'unsafe') {
    const { steps, error } = stepsOf(model, result);
    lines.push('', `trace (${steps.length} step${steps.length === 1 ? '' : 's'}):`);
    if (options.columns) lines.push(...renderColumns(steps, options.columns));
    else {
      const w = String(steps.length).length;
      for (const step of steps) lines.push(`${String(step.index + 1).padStart(w)}. ${step.description}`);
    }
    if (error) lines.push(`trace does not replay: ${error}`);
  }
  return lines.join('\n') + '\n';
}
