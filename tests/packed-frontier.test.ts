// The search's queue holds states packed into words (kernel/world-layout.ts) and reads each back to
// expand it. Reading back must give the same state: every shipped example is searched with the packed
// queue and with the queue of objects, and the two searches must agree in everything but timing
// (verdict, violation, trace, states, transitions, depth, what the reductions did).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import type { CheckResult } from '../src/checker/result.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';

const EXAMPLES = join(import.meta.dirname, '..', 'examples');

function scenarios(): string[] {
  return readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) =>
    readdirSync(join(EXAMPLES, d.name)).filter((f) => f.endsWith('.scn')).sort().map((f) => `${d.name}/${f}`)).sort();
}

/** What two searches of one model must share; timing and the queue's own bytes aside. */
function comparable(r: CheckResult): unknown {
  const { seconds, statesPerSecond, bytesPerState, memoryBytes, ...stats } = r.stats;
  void seconds, statesPerSecond, bytesPerState, memoryBytes;
  return { ...r, stats };
}

describe('a packed queue searches as a queue of objects does', () => {
  const all = scenarios();
  it('finds the examples', () => expect(all.length).toBeGreaterThan(60));
  for (const id of all) {
    it(id, () => {
      const path = join(EXAMPLES, id);
      const lowered = parseAndLower(readFileSync(path, 'utf8'), path);
      if (!lowered.ok) throw new Error(`${id} does not lower`);
      const search = (pack: boolean) => bfs(new KernelWorld(lowered.scenario.spec), { pack, maxStates: 200_000, memoryBytes: 2 ** 33 });
      const packed = search(true);
      expect(packed.verdict).not.toBe('incomplete');
      expect(comparable(packed)).toEqual(comparable(search(false)));
    });
  }
});
