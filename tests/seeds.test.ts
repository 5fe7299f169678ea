// The seed table reproduced: every examples/seeds/*.scn is checked, and its verdict and violation kind
// must be those of shared/design/SEED-SCENARIOS.md (copied below, and compared with the shared file
// when it is beside the repository). Every counterexample must replay to the same kind, and turning
// the reductions off must not change a verdict.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import { replay } from '../src/checker/replay.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';
import type { ViolationKind } from '../src/kernel/violation.js';

const SEEDS = join(import.meta.dirname, '..', 'examples', 'seeds');
const SHARED_TABLE = join(import.meta.dirname, '..', '..', 'shared', 'design', 'SEED-SCENARIOS.md');

/** The verdict column of SEED-SCENARIOS.md: `safe`, or the kinds an unsafe row may show. */
const TABLE: Readonly<Record<string, 'safe' | readonly ViolationKind[]>> = {
  'ppc32-ool-4insn': ['fell-through', 'wrong-target'],
  'ppc32-ool-literal': 'safe',
  'ppc32-ool-1insn': 'safe',
  'ppc32-strict-isa': ['unpredictable'],
  'two-slot-rcu-tasks': 'safe',
  'two-slot-no-grace': ['wrong-target', 'unpredictable'],
  'arm64-literal': 'safe',
  'arm64-literal-torn': ['wrong-target'],
  'arm64-b-to-b': 'safe',
  'arm64-b-to-ldr': ['unpredictable'],
  'x86-ool-text-poke-bp': 'safe',
  'x86-ool-memcpy': ['fault', 'wrong-target'],
  'x86-ool-skip-sync': ['fault', 'wrong-target', 'fell-through'],
  'x86-inline-int3-call': 'safe',
  'x86-inline-rax-tramp-rcu': ['wrong-target'],
  'x86-inline-rax-tramp-tasks': 'safe',
  'x86-inline-sti-jmp': 'safe',
  'ffp-pointer': 'safe',
  'reloc-boot-patch': 'safe',
  'reloc-runtime-rel32': ['wrong-target', 'fault'],
  'ppc64-toc-ool': ['clobbered'],
  'ppc64-toc-same': 'safe',
  'ppc64-toc-restore': 'safe',
  'pvops-pair-poke-bp': ['torn-group'],
  'pvops-stop-machine': 'safe',
  'pvops-nmi-stale': ['fault', 'wrong-target', 'fell-through'],
};

const SELFTEST = join(import.meta.dirname, '..', 'examples', 'selftest');

function check(file: string, reductions: boolean, dir = SEEDS) {
  const path = join(dir, file);
  const lowered = parseAndLower(readFileSync(path, 'utf8'), path);
  if (!lowered.ok) throw new Error(`${file}: ${lowered.diagnostics.map((d) => d.message).join('; ')}`);
  const world = new KernelWorld(lowered.scenario.spec);
  const result = bfs(world, { por: reductions, symmetry: reductions, collapse: reductions, maxStates: 3_000_000 });
  return { world, result, expected: lowered.scenario.expect };
}

describe('the seed table', () => {
  it('has a scenario file for every row, and the copy above is the shared table', () => {
    const files = new Set(readdirSync(SEEDS).filter((f) => f.endsWith('.scn')).map((f) => f.slice(0, -4)));
    expect(Object.keys(TABLE).filter((id) => !files.has(id))).toEqual([]);
    if (existsSync(SHARED_TABLE)) {
      const rows = readFileSync(SHARED_TABLE, 'utf8').split('\n').filter((l) => /^\| [a-z0-9-]+ \| \d{3}/.test(l));
      const ids = rows.map((l) => l.split('|')[1].trim());
      expect(ids.sort()).toEqual(Object.keys(TABLE).sort());
      for (const row of rows) {
        const [, id, , , verdict] = row.split('|').map((c) => c.trim());
        expect(verdict.startsWith('safe') ? 'safe' : 'unsafe', id).toBe(TABLE[id] === 'safe' ? 'safe' : 'unsafe');
      }
    }
  });

  const files = readdirSync(SEEDS).filter((f) => f.endsWith('.scn')).sort();
  for (const file of files) {
    const id = file.slice(0, -4);
    it(`${id}: verdict and kind as the file (and the table) say; the trace replays; reductions change nothing`, () => {
      const on = check(file, true);
      const exp = on.expected;
      const row = TABLE[id];
      if (row !== undefined) expect(exp.verdict === 'safe' ? 'safe' : 'unsafe').toBe(row === 'safe' ? 'safe' : 'unsafe');
      expect(on.result.verdict, on.result.violation?.message).toBe(exp.verdict);
      if (exp.verdict === 'unsafe') {
        const kind = on.result.violation!.kind;
        expect(exp.kinds.length === 0 || exp.kinds.includes(kind), `${kind}: ${on.result.violation!.message}`).toBe(true);
        if (row !== undefined && row !== 'safe') expect(row).toContain(kind);
        const again = replay(on.world, on.result.trace, { describe: false });
        expect(again.ok && again.violation?.kind).toBe(kind);
      }
      const off = check(file, false);
      expect(off.result.verdict).toBe(on.result.verdict);
      expect(off.result.violation?.kind).toBe(on.result.violation?.kind);
    }, 120_000);
  }
});

describe('the static call self-test on every back end (examples/selftest)', () => {
  const files = readdirSync(SELFTEST).filter((f) => f.endsWith('.scn')).sort();
  it('covers x86-64 ool and inline, ppc32 ool and inline, ppc64 ool (kernel) and ool-module, and arm64 ool', () => {
    expect(files).toEqual(['selftest-arm64-ool.scn', 'selftest-ppc32-inline.scn', 'selftest-ppc32-ool.scn', 'selftest-ppc64-ool-module.scn', 'selftest-ppc64-ool.scn', 'selftest-riscv64-ool.scn', 'selftest-x86-64-inline.scn', 'selftest-x86-64-ool.scn']);
  });
  for (const file of files) {
    it(`${file}: 2 -> 3, update, 4, update, 3, RET0 0, NULL, back: safe`, () => {
      const { result } = check(file, true, SELFTEST);
      expect(result.verdict, result.violation?.message).toBe('safe');
    });
    it(`${file}: the same self-test expecting func_a after the first update fails with wrong-target`, () => {
      const path = join(SELFTEST, file);
      const text = readFileSync(path, 'utf8').replace('call caller(2) key=sc expect=4', 'call caller(2) key=sc expect=3');
      const lowered = parseAndLower(text, path);
      if (!lowered.ok) throw new Error(lowered.diagnostics.map((d) => d.message).join('; '));
      const result = bfs(new KernelWorld(lowered.scenario.spec));
      expect(result.verdict).toBe('unsafe');
      expect(result.violation?.kind).toBe('wrong-target');
    });
  }
});
