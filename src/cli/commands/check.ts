// `patchlab check FILE`: explore every interleaving within the bounds; report safe, unsafe with a trace, or incomplete.

import { InternalError } from '../../base/assert.js';
import { formatDiagnostic, makeDiagnostic } from '../../base/diagnostics.js';
import { bfs, type BfsOptions } from '../../checker/bfs.js';
import { formatProgress } from '../../checker/progress.js';
import type { CheckResult } from '../../checker/result.js';
import { renderTrace, type TraceStep } from '../../verify/world-model.js';
import { formatBounds, formatKnobs, knobsOn } from '../../verify/world-report.js';
import type { Violation } from '../../kernel/violation.js';
import { KernelWorld } from '../../kernel/world.js';
import { reportJson, reportText, verdictLine } from '../check-report.js';
import { parallelCheck } from '../check-workers.js';
import { defaultMemoryBudget, heapLimitBytes, heapUsedBytes, maxMemoryBudget } from '../heap.js';
import { UsageError } from '../args.js';
import { EXIT, sameExistingFile, writeHostFile, type Host } from '../host.js';
import { loadScenario, type Overrides } from '../scenario-input.js';
import { writeTracePage } from '../html-out.js';

export interface CheckCliOptions {
  readonly json: boolean;
  readonly maxStates?: number;
  readonly maxMemory?: number;
  readonly bound: Overrides['bounds'];
  readonly knob: Overrides['knobs'];
  readonly por: boolean;
  readonly symmetry: boolean;
  readonly collapse: boolean;
  /** Look for livelocks (commander's `--no-livelock` sets it false). */
  readonly livelock: boolean;
  readonly workers: number;
  readonly traceOut?: string;
  /** Write the trace page here (`-`: standard output, instead of the report). */
  readonly html?: string;
  readonly timing: boolean;
}

export const TRACE_SCHEMA = 'patchlab.trace/1';

export async function runCheck(host: Host, opts: CheckCliOptions, file: string): Promise<number> {
  // Refused before the search: writing the trace would destroy the scenario it came from.
  if (opts.traceOut !== undefined && file !== '-' && sameExistingFile(file, opts.traceOut)) throw new UsageError('PL6109', [opts.traceOut, file], opts.traceOut);
  const overrides: Overrides = { bounds: opts.bound, knobs: opts.knob };
  const loaded = loadScenario(host, file, overrides);
  if (!loaded) return EXIT.badInput;
  const { spec, scenario } = loaded;
  const world = new KernelWorld(spec);
  // A budget the heap cannot hold is clamped, and the report says so: running out of heap reports nothing.
  const requested = opts.maxMemory !== undefined ? opts.maxMemory * 2 ** 20 : defaultMemoryBudget();
  const memoryBytes = Math.min(requested, maxMemoryBudget());
  const clamped = memoryBytes < requested ? { bytes: memoryBytes, requested, heapLimit: heapLimitBytes() } : undefined;
  const options: BfsOptions = {
    por: opts.por, symmetry: opts.symmetry, collapse: opts.collapse, livelock: opts.livelock,
    maxStates: opts.maxStates, memoryBytes,
    // A safety net only (see BfsOptions.measuredBytes): the world sizes its queued states itself.
    measuredBytes: heapUsedBytes,
    onProgress: host.progress ? (p) => host.progress!(formatProgress(p)) : undefined,
    progressEvery: 16384,
  };
  let result: CheckResult<Violation>;
  let roots: number | undefined;
  if (opts.workers > 1) {
    const t0 = Date.now();
    ({ result, roots } = await parallelCheck(world, { file: loaded.file, text: loaded.text, overrides }, options, opts.workers));
    result.stats.seconds = (Date.now() - t0) / 1000;
    result.stats.statesPerSecond = result.stats.seconds > 0 ? result.stats.states / result.stats.seconds : 0;
  } else result = bfs(world, options);
  host.progress?.(undefined);

  let steps: readonly TraceStep[] = [];
  let loop: { lead: number[]; cycle: number[]; steps: readonly TraceStep[] } | undefined;
  if (result.verdict === 'unsafe') {
    const l = result.loop;
    const r = renderTrace(world, l ? [...result.trace, ...l.lead, ...l.cycle] : result.trace);
    // The checker's own trace always replays; anything else is our bug.
    if ('error' in r) throw new InternalError(`check: the found trace does not replay: ${r.error}`);
    steps = r.steps.slice(0, result.trace.length);
    if (l) loop = { lead: l.lead, cycle: l.cycle, steps: r.steps.slice(result.trace.length) };
  }
  const report = {
    mode: 'check' as const, name: scenario.name, file: loaded.file, spec, fileSpec: scenario.spec, expect: scenario.expect,
    verdict: result.verdict, violation: result.violation, result,
    reductions: result.reductions, workers: { count: opts.workers, roots: roots ?? 0 },
    actions: result.trace, steps, loop, timing: opts.timing, clampedBudget: clamped,
  };
  if (opts.html !== '-') host.out(opts.json ? reportJson(report) : reportText(report));
  if (opts.html !== undefined) {
    const l = result.loop;
    const bad = writeTracePage(host, world, opts.html, {
      name: scenario.name, file: loaded.file, arch: spec.arch, headline: verdictLine(report),
      bounds: formatBounds(spec.bounds, spec), knobs: formatKnobs(spec.knobs),
      actions: l ? [...result.trace, ...l.lead, ...l.cycle] : result.trace,
      ...(l ? { loop: { leadAt: result.trace.length, cycleAt: result.trace.length + l.lead.length } } : {}),
    });
    if (bad !== undefined) return bad;
  }
  if (opts.traceOut !== undefined) {
    const body = { schema: TRACE_SCHEMA, scenario: scenario.name, bounds: spec.bounds, knobs: knobsOn(spec.knobs), verdict: result.verdict, violation: result.violation?.kind ?? null, trace: result.trace };
    try {
      writeHostFile(host, opts.traceOut, JSON.stringify(body) + '\n');
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      host.err(formatDiagnostic(makeDiagnostic('PL6107', { file: opts.traceOut, line: 1, col: 1 }, opts.traceOut, String(reason))) + '\n');
      return EXIT.badInput;
    }
  }
  return result.verdict === 'safe' ? EXIT.ok : result.verdict === 'unsafe' ? EXIT.unsafe : EXIT.incomplete;
}
