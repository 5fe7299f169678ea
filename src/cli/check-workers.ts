// `check --workers N`: the checker's split (src/checker/split.ts) run over worker threads: explore to a
// frontier wide enough to share, give each worker its share of the frontier's traces as roots, merge.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { formatDiagnostic, makeDiagnostic } from '../base/diagnostics.js';
import type { BfsOptions } from '../checker/bfs.js';
import type { Progress } from '../checker/progress.js';
import { type CheckResult, emptyStats, NO_REDUCTIONS } from '../checker/result.js';
import { exploreFrontier, mergeParts, splitRoots } from '../checker/split.js';
import type { Violation } from '../kernel/violation.js';
import type { KernelWorld } from '../kernel/world.js';
import type { Overrides } from './scenario-input.js';

/** What a worker needs to rebuild the world itself. */
export interface WorkerJob {
  readonly file: string;
  readonly text: string;
  readonly overrides: Overrides;
  readonly roots: readonly (readonly number[])[];
  readonly options: Omit<BfsOptions, 'onProgress' | 'clock' | 'roots' | 'measuredBytes'>;
  /** Post the search's progress reports back (`{ progress }` messages). */
  readonly progress?: boolean;
}

/**
 * The heap a search in a worker of its own may grow to beyond its memory budget: V8's own objects, the
 * world's tables, garbage the next collection takes (MiB). The budget bounds what the checker keeps; this
 * bounds the process around it.
 */
export const WORKER_HEAP_SLACK_MB = 32;

/** V8's young generation for such a worker (MiB): smaller than its default, so that it counts little. */
const WORKER_YOUNG_MB = 48;

/**
 * `check --max-memory N`: the search in one worker thread whose heap is capped at the budget plus
 * WORKER_HEAP_SLACK_MB, so the process stays near the budget instead of letting V8 grow its heap to several
 * times it before collecting (measured: `--max-memory 64` peaked at 255 MiB of RSS in-process). The budget
 * still decides where a search stops, deterministically: the cap is a limit the checker's own accounting (an
 * over-estimate of live data) keeps it under; a worker that reaches it anyway ends incomplete (memory).
 */
export async function isolatedCheck(source: { file: string; text: string; overrides: Overrides }, options: BfsOptions): Promise<CheckResult<Violation>> {
  const { onProgress, clock: _c, roots: _r, measuredBytes: _m, ...plain } = options;
  return runWorker({ ...source, roots: [[]], options: plain, progress: onProgress !== undefined }, heapCap(plain.memoryBytes ?? 2 ** 30), onProgress);
}

/** The heap limits of a worker searching within `budgetBytes`. */
function heapCap(budgetBytes: number): ResourceLimits {
  return { maxOldGenerationSizeMb: Math.ceil(budgetBytes / 2 ** 20) + WORKER_HEAP_SLACK_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB };
}

/** Frontier states per worker: enough that an unlucky split still keeps every worker busy for a while. */
const ROOTS_PER_WORKER = 4;

export interface ParallelResult {
  readonly result: CheckResult<Violation>;
  /** Frontier states shared out (0: the space was explored before the frontier grew wide enough). */
  readonly roots: number;
}

export async function parallelCheck(world: KernelWorld, source: { file: string; text: string; overrides: Overrides }, options: BfsOptions, workers: number, capHeap = false): Promise<ParallelResult> {
  const f = exploreFrontier(world, { minRoots: workers * ROOTS_PER_WORKER, symmetry: options.symmetry, livelock: options.livelock, memoryBytes: options.memoryBytes, maxStates: options.maxStates });
  if (f.kind === 'done') return { result: f.result, roots: 0 };
  // Functions do not cross to a worker: each measures its own heap (check-worker.ts).
  const { onProgress: _p, clock: _c, roots: _r, measuredBytes: _m, ...plain } = options;
  const perWorker = {
    ...plain,
    // The frontier's states count too: the parts share what it left of --max-states (a part given none stops at once).
    maxStates: plain.maxStates !== undefined ? Math.floor(Math.max(0, plain.maxStates - f.stats.states) / workers) : undefined,
    memoryBytes: plain.memoryBytes !== undefined ? Math.floor(plain.memoryBytes / workers) : undefined,
  };
  const shares = splitRoots(f.roots, workers);
  // Under --max-memory each worker's heap is capped at its share plus the slack (see isolatedCheck).
  const limits = capHeap && perWorker.memoryBytes !== undefined ? heapCap(perWorker.memoryBytes) : undefined;
  const results = await Promise.all(shares.map((roots) => runWorker({ ...source, roots, options: perWorker }, limits)));
  return { result: mergeParts(f, results), roots: f.roots.length };
}

/**
 * The worker script beside this file: compiled JS when installed; in development (tests, tsx) the TypeScript
 * source, loaded through tsx's API from a one-line bootstrap, since a worker does not inherit the loader.
 */
function startWorker(job: WorkerJob, resourceLimits?: ResourceLimits): Worker {
  const limits = resourceLimits ? { resourceLimits } : {};
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./check-worker.js', import.meta.url), { workerData: job, ...limits });
  // The ESM build of tsx's API (require.resolve would give the CommonJS one).
  const api = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'))).href;
  const script = new URL('./check-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(script)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(boot, { eval: true, workerData: job, ...limits });
}

/** The part of a worker that ran out of heap (its own counts went with it). */
export function outOfMemory(): CheckResult<Violation> {
  return { verdict: 'incomplete', violation: null, trace: [], stats: emptyStats(), reductions: NO_REDUCTIONS, stop: 'memory', reason: 'the worker ran out of heap before its memory budget' };
}

function runWorker(job: WorkerJob, resourceLimits?: ResourceLimits, onProgress?: (p: Progress) => void): Promise<CheckResult<Violation>> {
  return new Promise((resolve, reject) => {
    const w = startWorker(job, resourceLimits);
    let done = false;
    w.on('message', (m: { result?: CheckResult<Violation>; error?: string; progress?: Progress }) => {
      if (m.progress) {
        onProgress?.(m.progress);
        return;
      }
      if (done) return;
      done = true;
      if (m.result) resolve(m.result);
      else reject(new Error(formatDiagnostic(makeDiagnostic('PL6108', { file: job.file, line: 1, col: 1 }, m.error ?? 'no result'))));
      void w.terminate();
    });
    w.once('error', (e) => {
      if (done) return;
      done = true;
      // A worker that runs out of its heap ends its part, not the check: the part is incomplete (memory).
      if ((e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') resolve(outOfMemory());
      else reject(e);
    });
    w.once('exit', (code) => {
      if (!done) reject(new Error(formatDiagnostic(makeDiagnostic('PL6108', { file: job.file, line: 1, col: 1 }, `exit code ${code}`))));
    });
  });
}
