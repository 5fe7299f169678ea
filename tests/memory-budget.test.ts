// `check --max-memory N` bounds the whole process: the real CLI (bin/patchlab.js, the compiled code, a worker
// thread for the search) run as a child process stays under N MiB of resident memory at its peak, on a search
// big enough to stop at the budget, and two runs give the same bytes. The installed CLI is a bundle
// (scripts/bundle.mjs) with an entry per kind of worker thread: each is run here, and reports what the
// sources do in process.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const SCENARIO = 'bench/scenarios/two-slot-rcu-tasks-t3c1p2.scn';
const linux = existsSync('/proc/self/status');

/** The newest modification time under a directory. */
function newest(dir: string): number {
  return Math.max(...readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => statSync(join(d.parentPath, d.name)).mtimeMs));
}

/** A child process (asynchronous: a test runner's worker blocked for seconds misses its own messages). */
function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, out, err }));
  });
}

/**
 * bin/patchlab.js runs dist/bundle/: bundle the sources when it is missing or older than them (CI builds it in
 * `npm ci`). The bundle is all bin needs; esbuild reads the sources itself.
 */
async function ensureBuilt(): Promise<void> {
  if (existsSync('dist/bundle/main.js') && newest('dist/bundle') >= newest('src')) return;
  const r = await run(['scripts/bundle.mjs']);
  if (r.status !== 0) throw new Error(`the bundle failed:\n${r.out}${r.err}`);
}

/** The real CLI as a child process: its exit status, output, and peak resident set in MiB. */
async function check(args: string[]): Promise<{ status: number | null; out: string; err: string; peakMiB: number }> {
  const peakFile = join(mkdtempSync(join(tmpdir(), 'patchlab-rss-')), 'peak');
  const r = await run(['--import', './tests/support/peak-rss.mjs', 'bin/patchlab.js', 'check', ...args], { ...process.env, PEAK_RSS_OUT: peakFile });
  return { ...r, peakMiB: Number(readFileSync(peakFile, 'utf8')) / 1024 };
}

describe.runIf(linux)('check --max-memory N, the real process', () => {
  beforeAll(ensureBuilt, 120_000);

  // Symmetry and collapse off: the search stores more states, and faster, so that it reaches the budget in a
  // few seconds (with collapse on it now completes under 192 MiB).
  it.each([144, 192])('stays under %i MiB at its peak, stopping at the budget', async (mib) => {
    const args = [SCENARIO, '--no-symmetry', '--no-collapse', '--max-memory', String(mib), '--no-timing'];
    const a = await check(args);
    expect(a.err).toBe('');
    expect(a.status).toBe(3);
    expect(a.out).toMatch(/^incomplete: memory budget of \d+ bytes reached: \d+ states explored/m);
    expect(a.peakMiB).toBeGreaterThan(0);
    expect(a.peakMiB).toBeLessThanOrEqual(mib);
    if (mib === 144) {
      const b = await check(args);
      expect(b.status).toBe(a.status);
      expect(b.out).toBe(a.out);
      expect(b.peakMiB).toBeLessThanOrEqual(mib);
    }
  }, 60_000);
});

describe('the bundled CLI, the real process', () => {
  beforeAll(ensureBuilt, 120_000);

  // One worker thread for the search (--max-memory: the check-worker entry), two threads expanding levels
  // together (--workers 2: the level-worker entry), and none: the same report as the sources in process.
  it.each([[[]], [['--max-memory', '192']], [['--workers', '2']]])('check %j gives the in-process report', async (extra) => {
    const args = ['check', 'examples/seeds/x86-ool-text-poke-bp-2cpu.scn', '--no-timing', ...extra];
    const child = await run(['bin/patchlab.js', ...args]);
    const inProcess = await runCli(args);
    expect(child.err).toBe('');
    expect(child.status).toBe(inProcess.status);
    expect(child.out).toBe(inProcess.out);
    expect(child.out).toMatch(/^safe within bounds/m);
  }, 60_000);
});
