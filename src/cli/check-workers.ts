// `check --workers N`: explore to a frontier wide enough to share, give each worker thread its share of the
// frontier's traces as roots, and merge: unsafe if any worker found a violation (the shortest trace wins,
// the lowest worker on a tie), incomplete if any stopped at a limit, else safe.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { formatDiagnostic, makeDiagnostic } from '../base/diagnostics.js';
import type { BfsOptions } from '../checker/bfs.js';
import { emptyStats, type CheckResult } from '../checker/result.js';
import { exploreFrontier } from '../checker/world-model.js';
import type { KernelWorld } from '../kernel/world.js';
import type { Overrides } from './scenario-input.js';

/** What a worker needs to rebuild the world itself. */
export interface WorkerJob {
  readonly file: string;
  readonly text: string;
  readonly overrides: Overrides;
  readonly roots: readonly (readonly number[])[];
  readonly options: Omit<BfsOptions, 'onProgress' | 'clock' | 'roots'>;
}

/** Frontier states per worker: enough that an unlucky split still keeps every worker busy for a while. */
const ROOTS_PER_WORKER = 4;

export interface ParallelResult {
  readonly result: CheckResult;
  /** Frontier states shared out (0: the space was explored before the frontier grew wide enough). */
  readonly roots: number;
}

export async function parallelCheck(world: KernelWorld, source: { file: string; text: string; overrides: Overrides }, options: BfsOptions, workers: number): Promise<ParallelResult> {
  const f = exploreFrontier(world, workers * ROOTS_PER_WORKER);
  const stats = emptyStats();
  stats.states = f.states;
  stats.transitions = f.transitions;
  stats.maxDepth = f.depth;
  if (f.kind === 'done') {
    return { result: { verdict: f.violation ? 'unsafe' : 'safe', violation: f.violation, trace: [...f.trace], stats }, roots: 0 };
  }
  const shares: (readonly number[])[][] = Array.from({ length: workers }, () => []);
  f.traces.forEach((t, i) => shares[i % workers].push(t));
  const { onProgress: _p, clock: _c, roots: _r, ...plain } = options;
  const perWorker = {
    ...plain,
    maxStates: plain.maxStates !== undefined ? Math.max(1, Math.ceil(plain.maxStates / workers)) : undefined,
    memoryBytes: plain.memoryBytes !== undefined ? Math.floor(plain.memoryBytes / workers) : undefined,
  };
  const results = await Promise.all(shares.map((roots) => runWorker({ ...source, roots, options: perWorker })));
  return { result: merge(results, stats, f.depth), roots: f.traces.length };
}

function merge(results: readonly CheckResult[], stats: CheckResult['stats'], depth: number): CheckResult {
  for (const r of results) {
    stats.states += r.stats.states;
    stats.transitions += r.stats.transitions;
    stats.maxDepth = Math.max(stats.maxDepth, depth + r.stats.maxDepth);
    stats.memoryBytes += r.stats.memoryBytes;
    stats.prunedBySleep += r.stats.prunedBySleep;
    stats.collapsed += r.stats.collapsed;
    stats.reexpanded += r.stats.reexpanded;
    stats.minimisedAway += r.stats.minimisedAway;
  }
  stats.bytesPerState = stats.states > 0 ? stats.memoryBytes / stats.states : 0;
  let best: CheckResult | undefined;
  for (const r of results) if (r.verdict === 'unsafe' && (!best || r.trace.length < best.trace.length)) best = r;
  if (best) return { verdict: 'unsafe', violation: best.violation, trace: best.trace, stats };
  const stopped = results.find((r) => r.verdict === 'incomplete');
  if (stopped) return { verdict: 'incomplete', violation: null, trace: [], stats, stop: stopped.stop, reason: `a worker stopped: ${stopped.reason}` };
  return { verdict: 'safe', violation: null, trace: [], stats };
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

function runWorker(job: WorkerJob): Promise<CheckResult> {
  return new Promise((resolve, reject) => {
    const w = startWorker(job);
    let done = false;
    w.once('message', (m: { result?: CheckResult; error?: string }) => {
      done = true;
      if (m.result) resolve(m.result);
      else reject(new Error(formatDiagnostic(makeDiagnostic('PL6108', { file: job.file, line: 1, col: 1 }, m.error ?? 'no result'))));
      void w.terminate();
    });
    w.once('error', (e) => {
      if (!done) reject(e);
    });
    w.once('exit', (code) => {
      if (!done) reject(new Error(formatDiagnostic(makeDiagnostic('PL6108', { file: job.file, line: 1, col: 1 }, `exit code ${code}`))));
    });
  });
}
