// Collapse takes a step through patched code alone when every store of it left is behind a wait for the
// task's call to return (docs/reductions.md). The two-slot seed relies on exactly that wait; its variants
// below move, drop or replace it, with two tasks, so that a task can begin its call after the wait did and
// a grace period of the wrong flavour or a wait for one task's calls lets the patcher on. Each variant's
// verdict and kind are asserted, and the same with every reduction off; an unsafe trace replays.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import { replay } from '../src/checker/replay.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';

const SEED = readFileSync(join(import.meta.dirname, '..', 'examples', 'seeds', 'two-slot-rcu-tasks.scn'), 'utf8');
/** The first update's wait, as the seed writes it. */
const FIRST_WAIT = '        # 3. wait until no task can still be inside slot 1\n        synchronize_rcu_tasks\n';
const FIRST_FLIP = '        patch_instruction tramp, "b tramp+20"\n';

/** The seed with two tasks on three CPUs, the first update's wait replaced by `wait`, and `expect` as given. */
function variant(wait: string, expectLine: string, moved = false): string {
  let text = SEED.replace('bounds cpus=2 interrupts=0 preemptions=1 nmis=0', 'bounds cpus=3 interrupts=0 preemptions=1 nmis=0')
    .replace('task T1\n', 'task T1 T2\n')
    .replace('expect safe', expectLine);
  // The wait moved before the selector flips: it waits for nobody that matters.
  if (moved) text = text.replace(FIRST_FLIP + FIRST_WAIT, wait + FIRST_FLIP);
  else text = text.replace(FIRST_WAIT, wait);
  return text;
}

const VARIANTS: readonly { name: string; text: () => string; verdict: 'safe' | 'unsafe'; kind?: string }[] = [
  { name: 'the wait before the selector flips', text: () => variant('        synchronize_rcu_tasks\n', 'expect unsafe wrong-target', true), verdict: 'unsafe', kind: 'wrong-target' },
  { name: 'no wait', text: () => variant('', 'expect unsafe wrong-target'), verdict: 'unsafe', kind: 'wrong-target' },
  { name: 'synchronize_rcu, which a task inside a call does not hold up', text: () => variant('        synchronize_rcu\n', 'expect unsafe wrong-target'), verdict: 'unsafe', kind: 'wrong-target' },
  { name: "wait_calls for T1's first call only", text: () => variant('        wait_calls T1 1\n', 'expect unsafe wrong-target'), verdict: 'unsafe', kind: 'wrong-target' },
  { name: 'wait_calls for every call of both tasks', text: () => variant('        wait_calls T1 2\n        wait_calls T2 2\n', 'expect safe'), verdict: 'safe' },
];

function check(text: string, reductions: boolean) {
  const lowered = parseAndLower(text, 'variant.scn');
  if (!lowered.ok) throw new Error(lowered.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  const world = new KernelWorld(lowered.scenario.spec);
  return { world, result: bfs(world, { por: reductions, symmetry: reductions, collapse: reductions, maxStates: 1_000_000 }) };
}

describe('collapse behind waits: variants of the two-slot seed', () => {
  it('every variant changes the seed', () => {
    for (const v of VARIANTS) expect(v.text()).not.toBe(SEED);
  });

  it.each(VARIANTS.map((v) => [v.name, v] as const))('%s: verdict and kind, the same with every reduction off; the trace replays', (_, v) => {
    const text = v.text();
    const on = check(text, true);
    expect(on.result.verdict, on.result.violation?.message).toBe(v.verdict);
    expect(on.result.violation?.kind).toBe(v.kind);
    if (v.verdict === 'unsafe') {
      const again = replay(on.world, on.result.trace, { describe: false });
      expect(again.ok && again.violation?.kind).toBe(v.kind);
    }
    const off = check(text, false);
    expect(off.result.verdict).toBe(on.result.verdict);
    expect(off.result.violation?.kind).toBe(on.result.violation?.kind);
    // Collapse took steps alone in every variant (the rule under test was in play).
    expect(on.result.stats.collapsed).toBeGreaterThan(0);
  }, 60_000);
});
