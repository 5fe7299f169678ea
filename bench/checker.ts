// `npx tsx bench/checker.ts`: states per second of the BFS and the visited store on toy models (figures printed, never asserted).

import { performance } from 'node:perf_hooks';
import { finish32, mix32 } from '../src/base/hash.js';
import { bfs } from '../src/checker/bfs.js';
import type { Model } from '../src/checker/model.js';
import { TOYS } from '../src/checker/toy-models.js';
import { VisitedStore } from '../src/checker/visited-store.js';

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${(n / 1e3).toFixed(1)} k`);
const clock = () => performance.now();

/** The cheapest model there is: a counter per thread packed in one number, so only the checker costs. */
function counters(threads: number, steps: number): Model<number, number> {
  const acts = Array.from({ length: threads }, (_, t) => t);
  const width = Math.ceil(Math.log2(steps + 1));
  const at = (s: number, t: number) => Math.floor(s / 2 ** (t * width)) % 2 ** width;
  return {
    initial: () => 0,
    actions: (s) => acts.filter((t) => at(s, t) < steps),
    next: (s, t) => s + 2 ** (t * width),
    violation: () => undefined,
    deadlock: () => ({ kind: 'deadlock', message: 'stuck' }),
    finished: () => true,
    fingerprint: (s) => [finish32(mix32(1, s | 0)), finish32(mix32(2, Math.floor(s / 2 ** 32)))],
    describe: (s, t) => `T${t}`,
  };
}

function best<T>(f: () => T): [T, number] {
  f();
  let r!: T, secs = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    r = f();
    secs = Math.min(secs, (performance.now() - t0) / 1000);
  }
  return [r, secs];
}

console.log('visited store (add, 4 M fresh fingerprints):');
{
  const [store, secs] = best(() => {
    const s = new VisitedStore({ budgetBytes: 2 ** 30, columns: 2 });
    for (let i = 0; i < 4_000_000; i++) s.add(finish32(mix32(1, i)), finish32(mix32(2, i)));
    return s;
  });
  console.log(`  ${fmt(4e6 / secs)}adds/s, ${store.bytesPerState.toFixed(1)} B/state`);
}

console.log('bfs, no reductions:');
for (const [name, model] of [['counters 4x40 (2.8 M states)', counters(4, 40)], ['toy independent 6x4 (46,656 states)', TOYS.independent(6, 4)]] as const) {
  const [r, secs] = best(() => bfs(model as Model<unknown, unknown>, { por: false, collapse: false, symmetry: false, clock }));
  console.log(`  ${name.padEnd(36)} ${r.stats.states} states in ${secs.toFixed(2)} s: ${fmt(r.stats.states / secs)}states/s, ${fmt(r.stats.transitions / secs)}transitions/s, ${r.stats.bytesPerState.toFixed(1)} B/state`);
}
console.log('bfs, reductions on (same models):');
for (const [name, model] of [['toy ownWrites 5x6', TOYS.ownWrites(5, 6)], ['toy independent 6x4', TOYS.independent(6, 4)]] as const) {
  const [off] = best(() => bfs(model, { por: false, collapse: false, symmetry: false, clock }));
  const [on, secs] = best(() => bfs(model, { clock }));
  console.log(`  ${name.padEnd(36)} ${on.stats.states} states (of ${off.stats.states}), ${on.stats.transitions} transitions (of ${off.stats.transitions}) in ${secs.toFixed(2)} s; pruned by sleep ${on.stats.prunedBySleep}, collapsed ${on.stats.collapsed}`);
}
