// The search's queue holds states packed into words (kernel/world-layout.ts) and reads each back to
// expand it. Reading back must give the same state: every shipped example is searched with the packed
// queue and with the queue of objects, and the two searches must agree in everything but timing
// (verdict, violation, trace, states, transitions, depth, what the reductions did).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import type { CheckResult } from '../src/checker/result.js';
import { WordReader, WordWriter } from '../src/base/layout.js';
import type { WorldState } from '../src/kernel/state.js';
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

// The queue packs a state against the one it came from and unpacks it against the one taken before it,
// copying words and reusing objects where they are the same (base/layout.ts `packLike`, `unpackLike`).
// Either way the words and the state must be what packing and unpacking alone give.
describe('packing against a reference changes nothing', () => {
  for (const id of scenarios()) {
    it(id, () => {
      const path = join(EXAMPLES, id);
      const lowered = parseAndLower(readFileSync(path, 'utf8'), path);
      if (!lowered.ok) throw new Error(`${id} does not lower`);
      const world = new KernelWorld(lowered.scenario.spec);
      const words = (s: WorldState): Uint32Array => {
        const w = new WordWriter(256);
        world.pack(s, w);
        return w.take();
      };
      let packed = 0, unpacked = 0;
      const model = Object.create(world) as KernelWorld;
      model.pack = (s, w, like) => {
        const at = w.length;
        world.pack(s, w, like);
        if (like) packed++;
        expect(w.words.slice(at, w.length)).toEqual(words(s));
      };
      model.unpack = (r, like) => {
        const from = r.at;
        const s = world.unpack(r, like);
        if (like) unpacked++;
        const alone = world.unpack(new WordReader(r.words, from));
        expect(words(s)).toEqual(words(alone));
        expect(world.fingerprint(s)).toEqual(world.fingerprint(alone));
        return s;
      };
      const r = bfs(model, { maxStates: 3000 });
            if (r.stats.states > 1) expect(packed).toBeGreaterThan(0);
      // Some level holds two states or more: the second was unpacked against the first.
      if (r.stats.states > r.stats.maxDepth + 1) expect(unpacked).toBeGreaterThan(0);
    });
  }
});
