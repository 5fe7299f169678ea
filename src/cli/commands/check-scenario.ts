// Checking one loaded scenario, shared by `check FILE` and a catalogue check: the search, the trace told step
// by step, the report; and writing the files the user asked for.

import { InternalError } from '../../base/assert.js';
import { formatDiagnostic, makeDiagnostic } from '../../base/diagnostics.js';
import { bfs, type BfsOptions } from '../../checker/bfs.js';
import { formatProgress } from '../../checker/progress.js';
import type { CheckResult } from '../../checker/result.js';
import type { Violation } from '../../kernel/violation.js';
import { KernelWorld } from '../../kernel/world.js';
import type { WorldSpec } from '../../kernel/spec.js';
import { WordWriter } from '../../base/layout.js';
import { renderTrace, type TraceStep } from '../../verify/world-model.js';
import { junitXml, type CatalogueEntry } from '../catalogue-report.js';
import { withSourceText, type ReportInput } from '../check-report.js';
import { usesSleepSets } from '../../checker/parallel-bfs.js';
import { isolatedCheck, parallelCheck } from '../check-workers.js';
import { defaultMemoryBudget, heapLimitBytes, heapUsedBytes, maxMemoryBudget } from '../heap.js';
import { writeHostFile, type Host } from '../host.js';
import { parallelSearchBytes, reserveMiB, searchBudgetBytes, searchHeapLimits, SMALL_MODEL, type ModelSize } from '../memory-budget.js';
import type { LoadedScenario, Overrides } from '../scenario-input.js';

export interface CheckCliOptions {
  readonly json: boolean;
  /** `text` (the default) or `mail`: 80 columns, symbols, one row per step that changes something. */
  readonly format: 'text' | 'mail';
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
  /** Write the trace page here (`-`: standard output, instead of the report; one file). */
  readonly html?: string;
  /** Write a JUnit XML file: one test case per scenario file. */
  readonly junit?: string;
  /** Print the catalogue table (and use its exit statuses) even for one file. */
  readonly catalogue?: boolean;
  readonly timing: boolean;
}

/** Write a file the user asked for; a failure is PL6107 (the caller exits 2). */
export function writeReportFile(host: Host, path: string, text: string): boolean {
  try {
    writeHostFile(host, path, text);
    return true;
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    host.err(formatDiagnostic(makeDiagnostic('PL6107', { file: path, line: 1, col: 1 }, path, String(reason))) + '\n');
    return false;
  }
}

export function writeJunit(host: Host, opts: CheckCliOptions, entries: readonly CatalogueEntry[]): boolean {
  return writeReportFile(host, opts.junit!, junitXml(entries, opts.timing));
}

/** Search one scenario and tell its trace: the report every output format is made from. */
export async function checkLoaded(host: Host, loaded: LoadedScenario, overrides: Overrides, opts: CheckCliOptions): Promise<{ report: ReportInput; result: CheckResult<Violation>; world: KernelWorld }> {
  const { spec, scenario } = loaded;
  const world = new KernelWorld(spec);
  // --max-memory N is the process's: the checker has N less the reserve (memory-budget.ts). A budget the heap
  // cannot hold is clamped, and the report says so: running out of heap reports nothing.
  const model = opts.maxMemory !== undefined ? modelSize(spec, world) : SMALL_MODEL;
  const requested = opts.maxMemory !== undefined ? searchBudgetBytes(opts.maxMemory, opts.workers, model, loaded.file) : defaultMemoryBudget();
  const memoryBytes = Math.min(requested, maxMemoryBudget());
  const reserve = opts.maxMemory !== undefined ? reserveMiB(opts.workers, model) * 2 ** 20 : 0;
  const clamped = memoryBytes < requested ? { bytes: memoryBytes + reserve, requested: requested + reserve, heapLimit: heapLimitBytes() } : undefined;
  const options: BfsOptions = {
    por: opts.por, symmetry: opts.symmetry, collapse: opts.collapse, livelock: opts.livelock,
    maxStates: opts.maxStates, memoryBytes,
    // A safety net only (see BfsOptions.measuredBytes): the world sizes its queued states itself.
    measuredBytes: heapUsedBytes,
    onProgress: host.progress ? (p) => host.progress!(formatProgress(p)) : undefined,
    progressEvery: 16384,
  };
  let result: CheckResult<Violation>;
  let used = 1;
  if (opts.workers > 1 && !usesSleepSets(world, options)) {
    const t0 = Date.now();
    const limits = opts.maxMemory !== undefined ? searchHeapLimits(Math.floor(memoryBytes / opts.workers), model) : undefined;
    const parallel = opts.maxMemory !== undefined ? { ...options, memoryBytes: parallelSearchBytes(memoryBytes) } : options;
    ({ result, used } = await parallelCheck(world, { file: loaded.file, text: loaded.text, overrides }, parallel, opts.workers, limits));
    result.stats.seconds = (Date.now() - t0) / 1000;
    result.stats.statesPerSecond = result.stats.seconds > 0 ? result.stats.states / result.stats.seconds : 0;
  } else if (opts.maxMemory !== undefined && host.isolateSearch) {
    // An explicit budget bounds the process: the search runs in a worker whose heap is limited (with --workers N
    // too when sleep sets keep the search on one thread).
    result = await isolatedCheck({ file: loaded.file, text: loaded.text, overrides }, options, searchHeapLimits(memoryBytes, model));
  } else result = bfs(world, options);
  host.progress?.(undefined);

  let steps: readonly TraceStep[] = [];
  let loop: { lead: number[]; cycle: number[]; steps: readonly TraceStep[] } | undefined;
  if (result.verdict === 'unsafe') {
    const l = result.loop;
    const r = renderTrace(world, l ? [...result.trace, ...l.lead, ...l.cycle] : result.trace);
    // The checker's own trace always replays; anything else is our bug.
    if ('error' in r) throw new InternalError(`check: the found trace does not replay: ${r.error}`);
    const told = withSourceText(r.steps, loaded.text);
    steps = told.slice(0, result.trace.length);
    if (l) loop = { lead: l.lead, cycle: l.cycle, steps: told.slice(result.trace.length) };
  }
  const report: ReportInput = {
    mode: 'check', name: scenario.name, file: loaded.file, spec, fileSpec: scenario.spec, expect: scenario.expect,
    verdict: result.verdict, violation: result.violation, result,
    reductions: result.reductions, workers: { count: opts.workers, used },
    actions: result.trace, steps, loop, timing: opts.timing, clampedBudget: clamped,
  };
  return { report, result, world };
}

/** The size of a scenario's model, for the reserve of --max-memory: its image, and its initial state packed. */
function modelSize(spec: WorldSpec, world: KernelWorld): ModelSize {
  const words = new WordWriter(1024);
  world.pack(world.initial(), words);
  return { imageBytes: spec.image.sections.reduce((n, s) => n + s.bytes.length, 0), stateBytes: 4 * words.length };
}
