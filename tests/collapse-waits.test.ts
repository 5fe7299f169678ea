// Collapse takes a step through patched code alone when every store of it left is behind a wait for the
// task's call to return (docs/reductions.md). The two-slot seeds (ppc32 and arm64) rely on exactly that
// wait. Their variants below move, drop or replace it, with two tasks: a task can then begin its call after
// the wait did, and a grace period of the wrong flavour, or a wait for one task's calls, lets the patcher
// on. Each variant's verdict and kind are asserted, and the same with every reduction off; an unsafe trace
// replays.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import { replay } from '../src/checker/replay.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';

/** A two-slot seed, and its first update's flip of the selector and wait, as the seed writes them. */
interface Seed {
  readonly name: string;
  readonly text: string;
  readonly flip: string;
  readonly wait: string;
  /** What a broken variant shows: on arm64, the old slot rewritten under a task is outside Arm's permitted set. */
  readonly broken: string;
}

const seed = (file: string, flip: string, wait: string, broken: string): Seed => {
  const text = readFileSync(join(import.meta.dirname, '..', 'examples', 'seeds', file), 'utf8');
  return { name: file, text, flip, wait, broken };
};

const SEEDS: readonly Seed[] = [
  seed('two-slot-rcu-tasks.scn', '        patch_instruction tramp, "b tramp+20"\n', '        # 3. wait until no task can still be inside slot 1\n        synchronize_rcu_tasks\n', 'wrong-target'),
  seed('two-slot-rcu-tasks-arm64.scn', '        aarch64_insn_patch_text_nosync tramp, "b tramp+20"\n', '        synchronize_rcu_tasks\n', 'unpredictable'),
];

/** The seed with two tasks on three CPUs, the first update's wait replaced by `wait`, and `expect` as given. */
function variant(from: Seed, wait: string, expectLine: string, moved = false): string {
  let text = from.text.replace('bounds cpus=2 interrupts=0 preemptions=1 nmis=0', 'bounds cpus=3 interrupts=0 preemptions=1 nmis=0')
    .replace('task T1\n', 'task T1 T2\n')
    .replace('expect safe', expectLine);
  // The wait moved before the selector flips: it waits for nobody that matters.
  if (moved) text = text.replace(from.flip + from.wait, wait + from.flip);
  else text = text.replace(from.flip + from.wait, from.flip + wait);
  return text;
}

const VARIANTS: readonly { name: string; text: (from: Seed) => string; safe: boolean }[] = [
  { name: 'the wait before the selector flips', text: (f) => variant(f, '        synchronize_rcu_tasks\n', `expect unsafe ${f.broken}`, true), safe: false },
  { name: 'no wait', text: (f) => variant(f, '', `expect unsafe ${f.broken}`), safe: false },
  { name: 'synchronize_rcu, which a task inside a call does not hold up', text: (f) => variant(f, '        synchronize_rcu\n', `expect unsafe ${f.broken}`), safe: false },
  { name: "wait_calls for T1's first call only", text: (f) => variant(f, '        wait_calls T1 1\n', `expect unsafe ${f.broken}`), safe: false },
  { name: 'wait_calls for every call of both tasks', text: (f) => variant(f, '        wait_calls T1 2\n        wait_calls T2 2\n', 'expect safe'), safe: true },
];

const CASES = SEEDS.flatMap((from) => VARIANTS.map((v) => [`${from.name}: ${v.name}`, from, v] as const));

function check(text: string, reductions: boolean) {
  const lowered = parseAndLower(text, 'variant.scn');
  if (!lowered.ok) throw new Error(lowered.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  const world = new KernelWorld(lowered.scenario.spec);
  return { world, result: bfs(world, { por: reductions, symmetry: reductions, collapse: reductions, maxStates: 1_000_000 }) };
}

describe('collapse behind waits: variants of the two-slot seed', () => {
  it('every variant changes its seed, two tasks and the wait', () => {
    for (const [, from, v] of CASES) {
      const text = v.text(from);
      expect(text).toContain('task T1 T2\n');
      expect(text).not.toContain(from.flip + from.wait);
    }
  });

  it.each(CASES)('%s: verdict and kind, the same with every reduction off; the trace replays', (_, from, v) => {
    const text = v.text(from);
    const on = check(text, true);
    expect(on.result.verdict, on.result.violation?.message).toBe(v.safe ? 'safe' : 'unsafe');
    expect(on.result.violation?.kind).toBe(v.safe ? undefined : from.broken);
    if (!v.safe) {
      const again = replay(on.world, on.result.trace, { describe: false });
      expect(again.ok && again.violation?.kind).toBe(from.broken);
    }
    const off = check(text, false);
    expect(off.result.verdict).toBe(on.result.verdict);
    expect(off.result.violation?.kind).toBe(on.result.violation?.kind);
    // Collapse took steps alone in every variant (the rule under test was in play).
    expect(on.result.stats.collapsed).toBeGreaterThan(0);
  }, 60_000);
});
