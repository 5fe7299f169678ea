// What `check --max-memory N` means: N MiB for the whole process. A fixed reserve is Node's, the code's and
// the model's; the rest is the checker's, to store states in, and it stops where that is full.
//
// The reserve is a constant, not a measure: where a search stops must be the same every run, and what the
// process holds besides the checker's data (code, heaps, garbage not yet collected) varies from run to run.
// The constants are measured from above (docs/memory.md has the figures): with a budget of N, the peak
// resident set of `patchlab check` stays under N MiB on the bench scenarios and on models made larger for
// the purpose (500 tasks, a 4 MB image).

import type { ResourceLimits } from 'node:worker_threads';
import type { LowerLimits } from '../scenario/lower.js';
import { UsageError } from './args.js';

/**
 * MiB the process needs besides what the checker stores, with one search thread: Node and the code in the
 * main thread and in the search's worker thread, both threads' heaps with their room to collect garbage in,
 * the model's tables, the report.
 */
export const PROCESS_RESERVE_MIB = 128;
/** MiB each further thread of `--workers N` costs: a Node isolate of its own with the code and its heap. */
export const THREAD_RESERVE_MIB = 48;
/** The least room the checker is given: below it every search of a real scenario would stop at once. */
export const MIN_SEARCH_MIB = 16;

/** A search thread's young generation (MiB): V8's default lets it take 48, a third of a small budget. */
const YOUNG_GENERATION_MIB = 8;
/** A search thread's old generation beyond the checker's data: the model's tables and room to collect in. */
const OLD_GENERATION_BASE_MIB = 32;

/**
 * What a scenario's model costs each thread that holds it, beyond a small one's (part of the reserve): the
 * loaded image and the initial state, packed. Both are known once the scenario is lowered, the same every run.
 */
export interface ModelSize {
  readonly imageBytes: number;
  readonly stateBytes: number;
}

/** A model whose tables the fixed reserve covers. */
export const SMALL_MODEL: ModelSize = { imageBytes: 0, stateBytes: 0 };

/**
 * Bytes of memory per byte of image and per byte of the initial state, in each thread that holds the model:
 * the assembler's and the memory model's tables for the image (a 4 MB image peaks at 270 MiB while it is
 * assembled), and for a state its object graph with every successor being built (500 tasks: a 150 KiB
 * state, 23 MiB of tables, and garbage to match). Measured from above (docs/memory.md).
 */
const IMAGE_FACTOR = 64;
const STATE_FACTOR = 256;
/** What the fixed reserve covers of that product (every shipped example: at most 2 KiB of state, 16 KiB of image). */
const COVERED_MODEL_BYTES = 4 * 2 ** 20;

/** The reserve for `workers` search threads and a model of `model`'s size (MiB). */
export function reserveMiB(workers: number, model: ModelSize = SMALL_MODEL): number {
  // The model is held by the main thread and by each search thread: the worker of one search, or the N - 1
  // workers beside the main thread of a parallel one (counted as N, one more than needed).
  return PROCESS_RESERVE_MIB + (workers - 1) * THREAD_RESERVE_MIB + (workers + 1) * modelMiB(model);
}

/**
 * The largest image a scenario may assemble to under `--max-memory N` with `workers` search threads: past it
 * the model alone would raise the least budget above N (PL6140 after lowering), so the assembler stops there
 * (PL6141) instead of spending the memory first.
 */
export function maxImageBytes(maxMemoryMiB: number, workers: number): number {
  const modelMiBAllowed = Math.floor((maxMemoryMiB - MIN_SEARCH_MIB - PROCESS_RESERVE_MIB - (workers - 1) * THREAD_RESERVE_MIB) / (workers + 1));
  return Math.max(0, Math.floor((modelMiBAllowed * 2 ** 20 + COVERED_MODEL_BYTES) / IMAGE_FACTOR));
}

/** Under `--max-memory N`, the code may not assemble to an image larger than the budget can hold (PL6141). */
export function lowerLimits(maxMemoryMiB: number | undefined, workers: number): LowerLimits {
  return maxMemoryMiB !== undefined ? { maxImageBytes: maxImageBytes(maxMemoryMiB, workers) } : {};
}

/** The least `--max-memory` that can work with `workers` search threads. */
export function minimumBudgetMiB(workers: number, model: ModelSize = SMALL_MODEL): number {
  return reserveMiB(workers, model) + MIN_SEARCH_MIB;
}

/**
 * The checker's share of `--max-memory N`, in bytes: N less the reserve. A budget under the minimum is a
 * command-line error (PL6140), not a search that stops at its first state. `file`: the scenario whose model
 * the reserve was sized for, named in the error when its size raised the minimum.
 */
export function searchBudgetBytes(maxMemoryMiB: number, workers: number, model: ModelSize = SMALL_MODEL, file?: string): number {
  const least = minimumBudgetMiB(workers, model);
  if (maxMemoryMiB < least) {
    const threads = workers > 1 ? ` with ${workers} workers` : '';
    const what = least > minimumBudgetMiB(workers) && file !== undefined ? `the model of ${file}` : 'the model';
    throw new UsageError('PL6140', [maxMemoryMiB, least, `${reserveMiB(workers, model)} MiB for Node, the code and ${what}${threads}, ${MIN_SEARCH_MIB} for the search`], String(maxMemoryMiB));
  }
  return (maxMemoryMiB - reserveMiB(workers, model)) * 2 ** 20;
}

/**
 * The part of the search's share a parallel search (`--workers N`) is given: a quarter. It checks its budget
 * once a level, after the workers have written every candidate of the next level (chosen or not, several per
 * state, in shared buffers made afresh each level and freed only once every thread has collected them), so
 * it holds more than it counts: measured on two-slot (3,1,2) with 2 workers, 2-4 MiB of resident memory for
 * each MiB counted (docs/memory.md).
 */
export function parallelSearchBytes(searchBytes: number): number {
  return Math.floor(searchBytes / 4);
}

/** A thread's part of the reserve for `model` (MiB): what its copy of the model's tables may take. */
export function modelMiB(model: ModelSize): number {
  const bytes = IMAGE_FACTOR * model.imageBytes + STATE_FACTOR * model.stateBytes;
  return Math.ceil(Math.max(0, bytes - COVERED_MODEL_BYTES) / 2 ** 20);
}

/**
 * The heap limits of a search thread given `searchBytes` of the budget (a thread's share of it, with several)
 * and a model of `model`'s size. The checker's stores are outside the heap (typed arrays); what of them is
 * inside (the queue's per-entry arrays, 32 bytes an entry beside at least a hundred of packed state) is under
 * a quarter of them. The limit is above what the thread keeps alive, so that it is never what stops a
 * search (the checker's accounting stops it first, the same way every run), but not so far above that V8
 * lets garbage pile up to it.
 */
export function searchHeapLimits(searchBytes: number, model: ModelSize = SMALL_MODEL): ResourceLimits {
  const old = OLD_GENERATION_BASE_MIB + modelMiB(model) + Math.ceil(searchBytes / 4 / 2 ** 20);
  return { maxOldGenerationSizeMb: old, maxYoungGenerationSizeMb: YOUNG_GENERATION_MIB };
}
