// A search split over workers by levels (checker/parallel-bfs.ts) gives the one-thread search's answer:
// every shipped example, with the level's chunks expanded by two or three parts in turn (so that states
// are found by several parts in every order), agrees with bfs.ts in verdict, kind and trace, and for a
// search that completes, in states, transitions and depth.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bfs, searchPlan, type BfsOptions } from '../src/checker/bfs.js';
import { inProcessPool, parallelBfs, usesSleepSets } from '../src/checker/parallel-bfs.js';
import type { CheckResult } from '../src/checker/result.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';

const EXAMPLES = join(import.meta.dirname, '..', 'examples');

function scenarios(): string[] {
  return readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) =>
    readdirSync(join(EXAMPLES, d.name)).filter((f) => f.endsWith('.scn')).sort().map((f) => `${d.name}/${f}`)).sort();
}

/** What both searches must share (timing and the bookkeeping's bytes aside). */
function comparable(r: CheckResult, complete: boolean): unknown {
  const { verdict, violation, trace, loop, stop } = r;
  if (!complete) return { verdict, kind: violation?.kind, message: violation?.message, trace, loop, stop };
  return { verdict, violation, trace, loop, stop, states: r.stats.states, transitions: r.stats.transitions, depth: r.stats.maxDepth, collapsed: r.stats.collapsed, reductions: r.reductions };
}

function world(id: string): KernelWorld {
  const path = join(EXAMPLES, id);
  const lowered = parseAndLower(readFileSync(path, 'utf8'), path);
  if (!lowered.ok) throw new Error(`${id} does not lower`);
  return new KernelWorld(lowered.scenario.spec);
}

describe('a search split over workers by levels agrees with the one-thread search', () => {
  for (const id of scenarios()) {
    it(id, async () => {
      const options: BfsOptions = { maxStates: 200_000, memoryBytes: 2 ** 33 };
      const w = world(id);
      const one = bfs(w, options);
      const fp = searchPlan(w, options).fingerprint;
      for (const size of [2, 3]) {
        const split = await parallelBfs(world(id), inProcessPool(w, fp, size), options, { smallLevel: 0 });
        const complete = one.verdict === 'safe';
        expect(comparable(split, complete)).toEqual(comparable(one, complete));
        if (one.verdict === 'unsafe' && !one.loop) expect(split.stats.states).toBe(one.stats.states);
      }
    });
  }

  it('gives a level up when the shared table fills, and runs it again on a larger one', async () => {
    for (const id of ['seeds/x86-ool-text-poke-bp-2cpu.scn', 'livelock/stop-machine-livelock.scn', 'seeds/pvops-nmi-stale.scn']) {
      const w = world(id);
      const one = bfs(w, {});
      const fp = searchPlan(w, {}).fingerprint;
      const split = await parallelBfs(w, inProcessPool(w, fp, 2), {}, { tableCapacity: 16, smallLevel: 0 });
      expect(comparable(split, one.verdict === 'safe')).toEqual(comparable(one, one.verdict === 'safe'));
    }
  });

  it('stays on one thread where sleep sets apply, and says so by the reductions it used', async () => {
    const w = world('seeds/x86-ool-text-poke-bp.scn');
    const options: BfsOptions = { livelock: false, symmetry: false };
    expect(usesSleepSets(w, options)).toBe(true);
    const split = await parallelBfs(w, inProcessPool(w, w.fingerprint.bind(w), 2), options);
    expect(split.reductions.por).toBe(true);
    expect(comparable(split, true)).toEqual(comparable(bfs(w, options), true));
  });
});
