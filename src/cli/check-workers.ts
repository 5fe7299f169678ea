// `check --workers N`: the checker's split (src/checker/split.ts) run over worker threads: explore to a
// frontier wide enough to share, give each worker its share of the frontier's traces as roots, merge.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { formatDiagnostic, makeDiagnostic } from '../base/diagnostics.js';
import type { BfsOptions } from '../checker/bfs.js';
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
}

/** Frontier states per worker: enough that an unlucky split still keeps every worker busy for a while. */
const ROOTS_PER_WORKER = 4;

export interface ParallelResult {
  readonly result: CheckResult<Violation>;
  /** Frontier states shared out (0: the space was explored before the frontier grew wide enough). */
  readonly roots: number;
}

export async function parallelCheck(world: KernelWorld, source: { file: string; text: string; overrides: Overrides }, options: BfsOptions, workers: number): Promise<ParallelResult> {
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
  const results = await Promise.all(shares.map((roots) => runWorker({ ...source, roots, options: perWorker })));
  return { result: mergeParts(f, results), roots: f.roots.length };
}

/**
 * The worker script beside this file: compiled JS when installed; in development (tests, tsx) the TypeScript
 * source, loaded through tsx's API from a one-line bootstrap, since a worker does not inherit the loader.
 */
function startWorker(job: WorkerJob): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./check-worker.js', import.meta.url), { workerData: job });
  // The ESM build of tsx's API (require.resolve would give the CommonJS one).
  const api = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'))).href;
  const script = new URL('./check-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(script)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(boot, { eval: true, workerData: job });
}

/** The part of a worker that ran out of heap (its own counts went with it). */
export function outOfMemory(): CheckResult<Violation> {
  return { verdict: 'incomplete', violation: null, trace: [], stats: emptyStats(), reductions: NO_REDUCTIONS, stop: 'memory', reason: 'the worker ran out of heap before its memory budget' };
}

function runWorker(job: WorkerJob): Promise<CheckResult<Violation>> {
  return new Promise((resolve, reject) => {
    const w = startWorker(job);
    let done = false;
    w.once('message', (m: { result?: CheckResult<Violation>; error?: string }) => {
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
