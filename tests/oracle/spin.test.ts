// SPIN as an oracle for the checker: the hand-written Promela models of bench/spin/ (three seed
// protocols and their broken variants) must get from Debian's spin the verdict our checker gives the
// same scenario. Needs spin and gcc (installed by .ci/run).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spinVerify, type Comparison } from '../../bench/spin.js';
import { bfs } from '../../src/checker/bfs.js';
import { KernelWorld } from '../../src/kernel/world.js';
import { parseAndLower } from '../../src/scenario/lower.js';

const CASES: readonly Comparison[] = [
  { id: 'ppc32-ool-4insn', model: 'ppc32-ool-4insn.pml', defines: [] },
  { id: 'x86-ool-text-poke-bp', model: 'x86-ool-text-poke-bp.pml', defines: [] },
  { id: 'x86-ool-skip-sync', model: 'x86-ool-text-poke-bp.pml', defines: ['-DSKIP_SYNC'] },
  { id: 'two-slot-rcu-tasks', model: 'two-slot-rcu-tasks.pml', defines: [] },
  { id: 'two-slot-no-grace', model: 'two-slot-rcu-tasks.pml', defines: ['-DNO_GRACE'] },
];

describe('SPIN agrees with the checker on the hand-modelled seed protocols', () => {
  for (const c of CASES) {
    it(`${c.id} (${c.model} ${c.defines.join(' ')})`, () => {
      const path = join(import.meta.dirname, '..', '..', 'examples', 'seeds', `${c.id}.scn`);
      const lowered = parseAndLower(readFileSync(path, 'utf8'), path);
      if (!lowered.ok) throw new Error(lowered.diagnostics.map((d) => d.message).join('; '));
      const ours = bfs(new KernelWorld(lowered.scenario.spec));
      const spin = spinVerify(c);
      console.log(`${c.id}: ours ${ours.verdict} ${ours.violation?.kind ?? ''} (${ours.stats.states} states); spin ${spin.verdict} ${spin.kind} (${spin.states} states)${spin.note}`);
      expect(spin.verdict, spin.note).toBe(ours.verdict);
      if (ours.verdict === 'unsafe') expect(spin.kind.replace(/_/g, '-')).toBe(ours.violation!.kind);
      expect(ours.verdict).toBe(lowered.scenario.expect.verdict);
      if (ours.verdict === 'safe') {
        // The models are equivalent, not only in verdict: one Promela state per unreduced state of ours,
        // plus SPIN's own initial state (bench/README.md). Dead values kept on either side break this.
        const unreduced = bfs(new KernelWorld(lowered.scenario.spec), { por: false, symmetry: false, collapse: false });
        expect(spin.states).toBe(unreduced.stats.states + 1);
      }
    });
  }
});
