// The worker thread of `check --max-memory N`: lower the scenario again, search it in a heap limited for its share of the budget (memory-budget.ts), post the result.

import { parentPort, workerData } from 'node:worker_threads';
import { bfs } from '../checker/bfs.js';
import type { Progress } from '../checker/progress.js';
import { KernelWorld } from '../kernel/world.js';
import { parseAndLower } from '../scenario/lower.js';
import type { WorkerJob } from './check-workers.js';
import { heapUsedBytes } from './heap.js';
import { applyOverrides } from './scenario-input.js';

const job = workerData as WorkerJob;
const lowered = parseAndLower(job.text, job.file);
if (!lowered.ok) parentPort!.postMessage({ error: 'the scenario no longer lowers' });
else {
  const world = new KernelWorld(applyOverrides(lowered.scenario.spec, job.overrides));
  const onProgress = job.progress ? (progress: Progress) => parentPort!.postMessage({ progress }) : undefined;
  parentPort!.postMessage({ result: bfs(world, { ...job.options, measuredBytes: heapUsedBytes, onProgress }) });
}
