// One worker thread of `check --workers N`: lower the scenario again, then expand the share of each level
// the coordinator posts (checker/level-expand.ts) and post back what it found.

import { parentPort, workerData } from 'node:worker_threads';
import { WordWriter } from '../base/layout.js';
import { searchPlan } from '../checker/bfs.js';
import { expandLevel, HandedBuffers, type LevelTask } from '../checker/level-expand.js';
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
  // The candidates go into shared memory, which the next level reads in place; one writer for the whole
  // search, so that it grows to a level's size once.
  const out = new WordWriter(1 << 16, true);
  const handed = new HandedBuffers(out);
  parentPort!.on('message', (task: LevelTask) => {
    handed.before(task.depth);
    const part = expandLevel(world, fingerprint, task, Infinity, out);
    handed.after(task.depth, part);
    parentPort!.postMessage({ part }, [part.edges.buffer as ArrayBuffer]);
  });
}
