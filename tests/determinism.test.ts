// The same input and options give byte-identical output (`--no-timing`): every shipped example checked
// twice in one process (caches keyed by object identity, decode and fetch caches, the symmetry's scratch
// arrays all carry over from the first run to the second), in text and in JSON, with a small `--max-states`
// so that `incomplete` reports are compared too, with the least `--max-memory` (a search that stops there is
// compared in tests/cli-check.test.ts and, through the real CLI, tests/memory-budget.test.ts), and with
// `--workers 2` on a few (each worker a thread of its own: slow to start). `scripts/determinism.ts` runs all of
// it ten times.

import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

// Every folder of examples/, so that a new one is covered without being listed.
const folders = readdirSync('examples', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `examples/${d.name}`).sort();
const files = folders.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.scn')).sort().map((f) => `${d}/${f}`));

describe('check output is byte-identical from run to run', () => {
  it.each(files)('%s', async (file) => {
    for (const extra of [[], ['--json'], ['--max-states', '50'], ['--max-memory', '144']]) {
      const args = ['check', file, '--no-timing', ...extra];
      const a = await runCli(args), b = await runCli(args);
      expect(a.err).toBe('');
      expect(b.status).toBe(a.status);
      expect(b.out).toBe(a.out);
    }
  });
});

describe('check --workers 2 output is byte-identical from run to run, with and without --max-memory', () => {
  const some = ['examples/seeds/two-slot-rcu-tasks.scn', 'examples/seeds/x86-ool-text-poke-bp-2cpu.scn', 'examples/seeds/ppc32-ool-4insn.scn', 'examples/livelock/stop-machine-livelock.scn'];
  it.each(some)('%s', async (file) => {
    for (const extra of [[], ['--max-memory', '192']]) {
      const args = ['check', file, '--no-timing', '--workers', '2', ...extra];
      const a = await runCli(args), b = await runCli(args);
      expect(a.err).toBe('');
      expect(b.status).toBe(a.status);
      expect(b.out).toBe(a.out);
    }
  }, 120_000);
});
