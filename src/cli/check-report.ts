// The report of `check` and `replay`: one value, printed as text (verdict line first) or as JSON (docs/check-json.md).

import type { CheckResult, SearchStats } from '../checker/result.js';
import type { Violation } from '../kernel/violation.js';
import type { TraceStep } from '../verify/world-model.js';
import { programBounds } from '../kernel/spec.js';
import { BOUND_NAMES, formatBounds, formatKnobs, formatTraceColumns, formatViolation, KNOB_NAMES, knobsOn } from '../verify/world-report.js';
import type { FetchKnobs } from '../machine/fetch.js';
import type { WorldSpec } from '../kernel/spec.js';
import type { ExpectedVerdict } from '../scenario/lower.js';

export const CHECK_SCHEMA = 'patchlab.check/1';

export interface ReportInput {
  readonly mode: 'check' | 'replay';
  readonly name: string;
  readonly file: string;
  readonly spec: WorldSpec;
  /** The scenario file's own spec, before `--bound` and `--knob` (or a trace file's bounds) changed it. */
  readonly fileSpec: WorldSpec;
  readonly expect: ExpectedVerdict;
  readonly verdict: CheckResult['verdict'];
  readonly violation: Violation | null;
  /** Absent for a replay. */
  readonly result?: CheckResult;
  readonly reductions?: { readonly por: boolean; readonly symmetry: boolean; readonly collapse: boolean };
  /** Worker threads, and the frontier states they shared (0 when the search ended before splitting). */
  readonly workers?: { readonly count: number; readonly used: number };
  readonly actions: readonly number[];
  readonly steps: readonly TraceStep[];
  /** A livelock's loop (CheckResult.loop), told step by step: `steps` continue the trace's. */
  readonly loop?: { readonly lead: readonly number[]; readonly cycle: readonly number[]; readonly steps: readonly TraceStep[] };
  readonly timing: boolean;
  /** --max-memory was more than the heap can hold: the budget used instead, and why. */
  readonly clampedBudget?: { readonly bytes: number; readonly requested: number; readonly heapLimit: number };
}

function expectedText(e: ExpectedVerdict): string {
  return e.verdict === 'safe' ? 'safe' : `unsafe${e.kinds.length ? ' ' + e.kinds.join(' | ') : ''}`;
}

/**
 * Does the verdict match what the file expects? undefined when the search did not decide, and when a replay
 * that shows no violation is expected to show a livelock: that is a claim about every way on from the trace's
 * end, which one trace cannot settle (`check` does).
 */
export function matchesExpectation(e: ExpectedVerdict, verdict: CheckResult['verdict'], v: Violation | null, mode: ReportInput['mode'] = 'check'): boolean | undefined {
  if (verdict === 'incomplete') return undefined;
  if (mode === 'replay' && verdict === 'safe' && e.verdict === 'unsafe' && e.kinds.includes('livelock')) return undefined;
  if (e.verdict === 'safe') return verdict === 'safe';
  return verdict === 'unsafe' && (e.kinds.length === 0 || (v !== null && e.kinds.includes(v.kind)));
}

function stats(s: SearchStats, timing: boolean) {
  return {
    states: s.states, transitions: s.transitions, maxDepth: s.maxDepth,
    seconds: timing ? s.seconds : null, statesPerSecond: timing ? Math.round(s.statesPerSecond) : null,
    memoryBytes: s.memoryBytes, bytesPerState: s.bytesPerState,
    prunedBySleep: s.prunedBySleep, collapsed: s.collapsed, reexpanded: s.reexpanded, minimisedAway: s.minimisedAway,
  };
}

export function reportJson(r: ReportInput): string {
  return JSON.stringify(checkJsonBody(r), null, 2) + '\n';
}

/** The patchlab.check/1 object (docs/check-json.md). */
export function checkJsonBody(r: ReportInput) {
  const v = r.violation;
  return {
    schema: CHECK_SCHEMA,
    mode: r.mode,
    scenario: { name: r.name, file: r.file, arch: r.spec.arch },
    verdict: r.verdict,
    violation: v ? { kind: v.kind, message: v.message, cpu: v.cpu ?? null, task: v.task ?? null } : null,
    expected: { verdict: r.expect.verdict, kinds: r.expect.verdict === 'unsafe' ? r.expect.kinds : [], matches: matchesExpectation(r.expect, r.verdict, v, r.mode) ?? null },
    bounds: { ...r.spec.bounds, ...programBounds(r.spec) },
    knobs: knobsOn(r.spec.knobs),
    reductions: r.reductions ?? null,
    livelocks: r.result ? r.result.livelocks === true : null,
    workers: r.workers ?? null,
    stats: r.result ? stats(r.result.stats, r.timing) : null,
    stop: r.result?.stop ? { reason: r.result.stop, message: r.result.reason ?? '' } : null,
    actions: r.actions,
    trace: r.steps,
    loop: r.loop ? { lead: r.loop.lead, cycle: r.loop.cycle, steps: r.loop.steps } : null,
  };
}

export function verdictLine(r: Pick<ReportInput, 'verdict' | 'violation' | 'spec' | 'result' | 'mode'>): string {
  const where = `bounds ${formatBounds(r.spec.bounds, r.spec)}, knobs ${formatKnobs(r.spec.knobs)}`;
  switch (r.verdict) {
    case 'safe':
      return r.mode === 'replay' ? `no violation on this trace (${where})` : `safe within ${where}`;
    case 'unsafe':
      return `unsafe: ${r.violation!.kind} — ${r.violation!.message}`;
    case 'incomplete':
      return `incomplete: ${r.result?.reason ?? 'the search stopped'} (${where})`;
  }
}

/** `--bound cpus=3 --knob strictFetch`: what the run changed in the file's spec, so that the replay command runs the same world. */
function overrideArgs(fileSpec: WorldSpec, spec: WorldSpec): string[] {
  const args: string[] = [];
  for (const n of BOUND_NAMES) if (spec.bounds[n] !== fileSpec.bounds[n]) args.push('--bound', `${n}=${spec.bounds[n]}`);
  for (const k of Object.keys(KNOB_NAMES) as (keyof FetchKnobs)[]) if (spec.knobs[k] !== fileSpec.knobs[k]) args.push('--knob', spec.knobs[k] ? KNOB_NAMES[k] : `${KNOB_NAMES[k]}=off`);
  return args;
}

const mib = (bytes: number): number => Math.floor(bytes / 2 ** 20);

/** `unsafe fell-through: matches`: the file's `expect` line and whether the verdict is what it says. */
export function expectedLine(r: ReportInput): string {
  const m = matchesExpectation(r.expect, r.verdict, r.violation, r.mode);
  const undecided = r.verdict === 'incomplete' ? 'not decided' : 'not decided by a replay (a livelock is about every way on from here: run check)';
  return `${expectedText(r.expect)}: ${m === undefined ? undecided : m ? 'matches' : 'DOES NOT MATCH'}`;
}

/** `replay FILE [--bound …] [--knob …] 0,0,2,1`: the command that re-executes the trace (and a livelock's loop, to where it closes). */
export function replayArgs(r: ReportInput): string[] {
  const all = r.loop ? [...r.actions, ...r.loop.lead, ...r.loop.cycle] : r.actions;
  return ['replay', r.file, ...overrideArgs(r.fileSpec, r.spec), all.join(',') || '""'];
}

export function reportText(r: ReportInput): string {
  const out: string[] = [verdictLine(r)];
  out.push(`scenario  ${r.name} (${r.file}, ${r.spec.arch})`);
  out.push(`bounds    ${formatBounds(r.spec.bounds, r.spec)}`);
  out.push(`knobs     ${formatKnobs(r.spec.knobs)}`);
  out.push(`expected  ${expectedLine(r)}`);
  if (r.result) {
    const s = r.result.stats;
    const red = r.reductions;
    const parts = [`${s.states} states`, `${s.transitions} transitions`, `depth ${s.maxDepth}`];
    if (r.timing) parts.push(`${s.seconds.toFixed(2)} s`, `${Math.round(s.statesPerSecond)} states/s`);
    if (red) parts.push(`por ${red.por ? 'on' : 'off'}, symmetry ${red.symmetry ? 'on' : 'off'}, collapse ${red.collapse ? 'on' : 'off'}`);
    if (r.workers && r.workers.count > 1) parts.push(r.workers.used > 1 ? `${r.workers.count} workers, one visited set` : `${r.workers.count} workers asked, 1 used (sleep sets apply)`);
    if (r.result.livelocks === false) parts.push('livelocks not checked');
    if (s.minimisedAway > 0) parts.push(`trace minimised by ${s.minimisedAway} steps`);
    out.push(`stats     ${parts.join(', ')}`);
  }
  const c = r.clampedBudget;
  if (c) out.push(`memory    budget ${mib(c.bytes)} MiB, not ${mib(c.requested)}: V8's heap limit is ${mib(c.heapLimit)} MiB`);
  if (r.steps.length > 0 || r.violation) {
    const loop = r.loop;
    const count = loop ? `${r.steps.length} steps, then ${loop.lead.length + loop.cycle.length} to and around the loop` : `${r.steps.length} steps`;
    out.push('', `trace (${count}; replay: ${['patchlab', ...replayArgs(r)].join(' ')})`, '');
    if (!loop) out.push(formatTraceColumns(r.steps, r.spec).trimEnd());
    else {
      const from = r.steps.length, at = from + loop.lead.length, end = at + loop.cycle.length;
      const marks = new Map<number, string>();
      if (loop.lead.length > 0) marks.set(from, '-- from here no execution can finish; on to the loop:');
      marks.set(at, `-- loop: steps ${at + 1}-${end} come back to the state before step ${at + 1}, forever:`);
      out.push(formatTraceColumns([...r.steps, ...loop.steps], r.spec, marks).trimEnd());
    }
    if (r.violation) out.push('', `violation: ${formatViolation(r.violation)}`);
  }
  return out.join('\n') + '\n';
}

/**
 * The steps with the text of their scenario line: the statement a patcher step came from, without its
 * comment (a `#` outside a string, as the scanner reads it), for a reader who has not the file open.
 */
export function withSourceText(steps: readonly TraceStep[], text: string | undefined): TraceStep[] {
  if (text === undefined) return [...steps];
  const lines = text.split(/\r?\n/);
  return steps.map((s) => (s.source && lines[s.source.line - 1] !== undefined ? { ...s, source: { ...s.source, text: withoutComment(lines[s.source.line - 1]) } } : s));
}

function withoutComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === '#' && !quoted) return line.slice(0, i).trim();
  }
  return line.trim();
}
