// One worker thread of `check --workers N`: lower the scenario again, then expand the share of each level
// the coordinator posts (checker/level-expand.ts) and post back what it found.

import { parentPort, workerData } from 'node:worker_threads';
import { searchPlan } from '../checker/bfs.js';
import { HandedBuffers, type LevelTask } from '../checker/level-expand.js';
import { KernelWorld } from '../kernel/world.js';
import { parseAndLower } from '../scenario/lower.js';
import type { LevelWorkerJob } from './check-workers.js';
import { applyOverrides } from './scenario-input.js';

const job = workerData as LevelWorkerJob;
const lowered = parseAndLower(job.text, job.file);
if (!lowered.ok) parentPort!.on('message', () => parentPort!.postMessage({ error: 'the scenario no longer lowers' }));
else {
  const world = new KernelWorld(applyOverrides(lowered.scenario.spec, job.overrides));
  // The coordinator's choice (searchPlan), passed on: only symmetry decides the fingerprint.
  const { fingerprint } = searchPlan(world, { symmetry: job.symmetry });
  // The candidates go into shared memory, which the next level reads in place.
  const handed = new HandedBuffers();
  parentPort!.on('message', (task: LevelTask) => {
    const part = handed.expand(world, fingerprint, task);
    parentPort!.postMessage({ part }, [part.edges.buffer as ArrayBuffer]);
  });
}
