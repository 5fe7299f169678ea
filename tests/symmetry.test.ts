// The symmetry reduction on the kernel world: identical tasks are interchangeable, and with every task
// stack at one address (a bank per task) they really are, so the canonical fingerprint merges states.
// Merging must never change a verdict or a kind: each scenario is checked with and without it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import { stateAfter } from '../src/checker/replay.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';

const SEEDS = join(import.meta.dirname, '..', 'examples', 'seeds');

function world(text: string): KernelWorld {
  const r = parseAndLower(text, 'test.scn');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  return new KernelWorld(r.scenario.spec);
}

/** A seed with its one task made `n` identical ones on `n + 1` CPUs (and `extra` bounds). */
function twins(id: string, n: number, bounds: string): string {
  const names = Array.from({ length: n }, (_, i) => `T${i + 1}`).join(' ');
  return readFileSync(join(SEEDS, `${id}.scn`), 'utf8')
    .replace(/^bounds .*$/m, `bounds ${bounds}`)
    .replace(/^task T1$/m, `task ${names}`);
}

describe('symmetry of identical tasks', () => {
  it('identical tasks start with identical stack pointers (their stacks are banks of one range)', () => {
    const w = world(twins('x86-ool-text-poke-bp', 2, 'cpus=3 interrupts=0 preemptions=1 nmis=0'));
    const s = w.initial();
    const sp = w.t.arch.abi.stackPointer;
    expect(s.smp.machine.cpus[1].regs[sp]).toBe(s.smp.machine.cpus[2].regs[sp]);
    expect(s.smp.machine.cpus[1].stackBank).toBe(0);
    expect(s.smp.machine.cpus[2].stackBank).toBe(1);
  });

  const cases: [string, number, string, string][] = [
    ['x86-ool-text-poke-bp', 2, 'cpus=3 interrupts=0 preemptions=1 nmis=0', 'safe'],
    ['x86-ool-skip-sync', 2, 'cpus=3 interrupts=0 preemptions=1 nmis=0', 'wrong-target'],
    ['two-slot-rcu-tasks', 2, 'cpus=3 interrupts=0 preemptions=0 nmis=0', 'safe'],
    ['two-slot-no-grace', 2, 'cpus=3 interrupts=0 preemptions=1 nmis=0', 'wrong-target'],
    ['ppc32-ool-4insn', 3, 'cpus=4 interrupts=0 preemptions=0 nmis=0', 'fell-through'],
  ];
  for (const [id, n, bounds, want] of cases) {
    it(`${id} with ${n} twin tasks: the same verdict and kind with and without symmetry`, () => {
      const w = world(twins(id, n, bounds));
      expect(w.canonicalFingerprint).toBeDefined();
      const on = bfs(w, { por: false, collapse: false });
      const off = bfs(w, { por: false, collapse: false, symmetry: false });
      expect(on.reductions?.symmetry).toBe(true);
      expect(off.reductions?.symmetry).toBe(false);
      expect(on.verdict).toBe(off.verdict);
      expect(on.violation?.kind).toBe(off.violation?.kind);
      expect(on.verdict === 'safe' ? 'safe' : on.violation?.kind).toBe(want);
      if (on.verdict === 'unsafe') expect(w.violation(stateAfter(w, on.trace))?.kind).toBe(want);
      else expect(on.stats.states).toBeLessThan(off.stats.states);
    });
  }

  it('a task the patcher names (wait_calls T1) is not merged with its twin', () => {
    const text = twins('x86-ool-text-poke-bp', 2, 'cpus=3 interrupts=0 preemptions=0 nmis=0').replace(/^patcher$/m, 'patcher\n    wait_calls T1 1');
    const w = world(text);
    expect(w.t.taskClass).toEqual([0, 1]);
  });
});
