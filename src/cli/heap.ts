// The V8 heap as the checker's host sees it: its limit (the memory budget's ceiling) and what is live in it.

import v8 from 'node:v8';
import vm from 'node:vm';

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
