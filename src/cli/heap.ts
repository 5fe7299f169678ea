// The V8 heap as the checker's host sees it: its limit (the memory budget's ceiling) and what is live in it.

import v8 from 'node:v8';
import vm from 'node:vm';
import { MEASURED_SLACK_BYTES, MEASURED_SLACK_FACTOR } from '../checker/bfs.js';

/**
 * A full garbage collection, for the rare measure that must not count garbage (the checker's safety net,
 * asked only when the quick measure is already far over the budget). V8 exposes `gc` only behind a flag;
 * set at run time it applies to contexts made afterwards, so one fresh context hands it over.
 */
let gc: (() => void) | undefined;
function collectGarbage(): void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
}

/** The heap in use; with `collect`, after a full collection (what is live). */
export function heapUsedBytes(collect: boolean): number {
  if (collect) collectGarbage();
  return process.memoryUsage().heapUsed;
}

/**
 * The largest memory budget this process can honour: the checker's safety net fires at 1.5× the budget plus
 * 256 MiB of live heap (see checker/bfs.ts), and that must come before V8's heap limit, with a tenth of the
 * limit to spare for garbage the last collection has not reached.
 */
export function maxMemoryBudget(): number {
  const limit = v8.getHeapStatistics().heap_size_limit;
  return Math.max(2 ** 20, Math.floor((0.9 * limit - MEASURED_SLACK_BYTES) / MEASURED_SLACK_FACTOR));
}

/** Without --max-memory: 2 GiB, or less when the heap cannot hold that (see `maxMemoryBudget`). */
export function defaultMemoryBudget(): number {
  return Math.min(2 ** 31, maxMemoryBudget());
}

/** V8's heap limit, for the report of a clamped budget. */
export function heapLimitBytes(): number {
  return v8.getHeapStatistics().heap_size_limit;
}
