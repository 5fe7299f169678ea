// Searches in worker threads: `check --workers N`, a breadth-first search whose levels N threads expand
// together into one shared visited set (src/checker/parallel-bfs.ts), and `check --max-memory`, a search
// in one thread whose heap is capped near the budget.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { formatDiagnostic, makeDiagnostic } from '../base/diagnostics.js';
import { bfs, searchPlan, type BfsOptions } from '../checker/bfs.js';
import { HandedBuffers, type LevelPart, type LevelTask } from '../checker/level-expand.js';
import { parallelBfs, usesSleepSets, type LevelPool } from '../checker/parallel-bfs.js';
import type { Progress } from '../checker/progress.js';
import { type CheckResult, emptyStats, NO_REDUCTIONS } from '../checker/result.js';
import type { Violation } from '../kernel/violation.js';
import type { KernelWorld } from '../kernel/world.js';
import type { Overrides } from './scenario-input.js';

/** What a worker needs to rebuild the world itself. */
export interface WorkerJob {
  readonly file: string;
  readonly text: string;
  readonly overrides: Overrides;
  readonly options: Omit<BfsOptions, 'onProgress' | 'clock' | 'measuredBytes'>;
  /** Post the search's progress reports back (`{ progress }` messages). */
  readonly progress?: boolean;
}

/**
 * `check --max-memory N`: the search in one worker thread with its heap limited (memory-budget.ts), so that
 * the process stays under N instead of letting V8 grow its heap to several times the live data before
 * collecting (measured: `--max-memory 64` peaked at 255 MiB of RSS in-process). The budget still decides
 * where a search stops, deterministically: the heap's limit is above what the checker's own accounting
 * lets it keep; a worker that reaches it anyway ends incomplete (memory).
 */
export async function isolatedCheck(source: { file: string; text: string; overrides: Overrides }, options: BfsOptions, limits: ResourceLimits): Promise<CheckResult<Violation>> {
  const { onProgress, clock: _c, measuredBytes: _m, ...plain } = options;
  return runWorker({ ...source, options: plain, progress: onProgress !== undefined }, limits, onProgress);
}

export interface ParallelResult {
  readonly result: CheckResult<Violation>;
  /** Threads that searched: 1 when the search stayed on one (sleep sets apply), else the workers. */
  readonly used: number;
}

/** What a level worker needs to rebuild the world itself. */
export interface LevelWorkerJob {
  readonly file: string;
  readonly text: string;
  readonly overrides: Overrides;
  /** Fingerprint states up to the world's symmetries (as the coordinator decided). */
  readonly symmetry: boolean;
}

/**
 * `--workers N`: N worker threads expand each level of one breadth-first search together (the answer is the
 * one-thread search's, see parallel-bfs.ts). `limits`: each worker's heap limits under `--max-memory`
 * (memory-budget.ts); the shared visited table and the levels live outside the heaps.
 */
export async function parallelCheck(world: KernelWorld, source: { file: string; text: string; overrides: Overrides }, options: BfsOptions, workers: number, limits?: ResourceLimits): Promise<ParallelResult> {
  if (usesSleepSets(world, options)) return { result: bfs(world, options), used: 1 };
  const { symmetry, fingerprint } = searchPlan(world, options);
  // This thread is one of the N: it expands its share of each level beside N - 1 worker threads (its code
  // is warm from the narrow levels it expands alone, and it would otherwise only wait).
  const threads = Array.from({ length: workers - 1 }, () => startWorker('level-worker', { ...source, symmetry } satisfies LevelWorkerJob, limits));
  const handed = new HandedBuffers();
  const pool: LevelPool = {
    size: workers,
    run: async (task) => {
      const parts = threads.map((w) => levelPart(w, task, source.file));
      const mine = handed.expand(world, fingerprint, task);
      return [mine, ...(await Promise.all(parts))];
    },
  };
  try {
    const { measuredBytes: _m, ...rest } = options;
    return { result: await parallelBfs(world, pool, rest), used: workers };
  } catch (e) {
    if (e instanceof WorkerOutOfMemory) return { result: outOfMemory(), used: workers };
    throw e;
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
}

class WorkerOutOfMemory extends Error {}

/** One worker's part of a level. */
function levelPart(w: Worker, task: LevelTask, file: string): Promise<LevelPart> {
  return new Promise((resolve, reject) => {
    const done = () => {
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    const onMessage = (m: { part?: LevelPart; error?: string }) => {
      done();
      if (m.part) resolve(m.part);
      else reject(new Error(formatDiagnostic(makeDiagnostic('PL6108', { file, line: 1, col: 1 }, m.error ?? 'no result'))));
    };
    const onError = (e: Error) => {
      done();
      reject((e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? new WorkerOutOfMemory() : e);
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(formatDiagnostic(makeDiagnostic('PL6108', { file, line: 1, col: 1 }, `exit code ${code}`))));
    };
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    w.postMessage(task);
  });
}

/**
 * The worker script beside this file: compiled JS when installed; in development (tests, tsx) the TypeScript
 * source, loaded through tsx's API from a one-line bootstrap, since a worker does not inherit the loader.
 */
function startWorker(script: 'check-worker' | 'level-worker', job: WorkerJob | LevelWorkerJob, resourceLimits?: ResourceLimits): Worker {
  const limits = resourceLimits ? { resourceLimits } : {};
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${script}.js`, import.meta.url), { workerData: job, ...limits });
  // The ESM build of tsx's API (require.resolve would give the CommonJS one).
  const api = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'))).href;
  const url = new URL(`./${script}.ts`, import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(url)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(boot, { eval: true, workerData: job, ...limits });
}

/** The part of a worker that ran out of heap (its own counts went with it). */
export function outOfMemory(): CheckResult<Violation> {
  return { verdict: 'incomplete', violation: null, trace: [], stats: emptyStats(), reductions: NO_REDUCTIONS, stop: 'memory', reason: 'the worker ran out of heap before its memory budget' };
}

function runWorker(job: WorkerJob, resourceLimits?: ResourceLimits, onProgress?: (p: Progress) => void): Promise<CheckResult<Violation>> {
  return new Promise((resolve, reject) => {
    const w = startWorker('check-worker', job, resourceLimits);
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
