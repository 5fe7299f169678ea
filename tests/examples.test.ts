// Every shipped example states its verdict (`expect`), and some test checks it: seeds and selftest in
// seeds.test.ts (against the seed table), modules in modules.test.ts, every other folder here. A new
// folder under examples/ is checked here without being listed anywhere: the verdict and kind its expect
// line names, the trace replays to the same kind, and turning the reductions off changes nothing.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import { replay, replayLoop } from '../src/checker/replay.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';

const EXAMPLES = join(import.meta.dirname, '..', 'examples');
/** Folders whose examples another test checks the same way (verdict, kind, replay, reductions off). */
const CHECKED_ELSEWHERE: Readonly<Record<string, string>> = { seeds: 'tests/seeds.test.ts', selftest: 'tests/seeds.test.ts', modules: 'tests/modules.test.ts' };

/** Every folder of examples/ holding scenarios, and its `.scn` files (sorted). */
function exampleFolders(): { folder: string; files: string[] }[] {
  return readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    .map((folder) => ({ folder, files: readdirSync(join(EXAMPLES, folder)).filter((f) => f.endsWith('.scn')).sort() }))
    .filter((f) => f.files.length > 0);
}

function check(path: string, reductions: boolean) {
  const lowered = parseAndLower(readFileSync(path, 'utf8'), path);
  if (!lowered.ok) throw new Error(lowered.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  const world = new KernelWorld(lowered.scenario.spec);
  const result = bfs(world, { por: reductions, symmetry: reductions, collapse: reductions, maxStates: 3_000_000 });
  return { world, result, expected: lowered.scenario.expect };
}

const folders = exampleFolders().filter((f) => !Object.hasOwn(CHECKED_ELSEWHERE, f.folder));

describe('examples/', () => {
  it('the folders checked elsewhere exist and hold scenarios', () => {
    const all = exampleFolders().map((f) => f.folder);
    for (const folder of Object.keys(CHECKED_ELSEWHERE)) expect(all).toContain(folder);
    expect(folders.map((f) => f.folder)).toEqual(expect.arrayContaining(['livelock', 'maintenance', 'visibility']));
  });

  for (const { folder, files } of folders) {
    it.each(files)(`${folder}/%s: verdict and kind as its expect line says; the trace replays; reductions change nothing`, (file) => {
      const path = join(EXAMPLES, folder, file);
      const on = check(path, true);
      expect(on.result.verdict, on.result.violation?.message).toBe(on.expected.verdict);
      if (on.expected.verdict === 'unsafe') {
        const kind = on.result.violation!.kind;
        expect(on.expected.kinds.length === 0 || on.expected.kinds.includes(kind), `${kind}: ${on.result.violation!.message}`).toBe(true);
        if (kind === 'livelock') {
          // A livelock's trace ends in the livelocked state; its loop, walked from there, comes back to it.
          expect(replayLoop(on.world, on.result.trace, on.result.loop!)).toEqual({ ok: true });
        } else {
          const again = replay(on.world, on.result.trace, { describe: false });
          expect(again.ok && again.violation?.kind).toBe(kind);
        }
      }
      const off = check(path, false);
      expect(off.result.verdict).toBe(on.result.verdict);
      expect(off.result.violation?.kind).toBe(on.result.violation?.kind);
    }, 120_000);
  }
});
