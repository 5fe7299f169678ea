// `npm run bench -- --section spin`: the same protocols hand-modelled in Promela (bench/spin/*.pml),
// verified by SPIN in the same run, against our checker's time to verdict. Figures printed, never asserted.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkSeed, fmtSeconds, loadSeed, type SeedFigures, type SeedRun } from './seeds.js';

export interface Comparison {
  /** The scenario (examples/seeds/<id>.scn). */
  readonly id: string;
  /** The Promela model in bench/spin. */
  readonly model: string;
  /** Preprocessor defines selecting a variant of the model. */
  readonly defines: readonly string[];
  /** Not a row the brief asks for: a larger bound of the same protocol. */
  readonly extra?: boolean;
}

export const COMPARISONS: readonly Comparison[] = [
  { id: 'ppc32-ool-4insn', model: 'ppc32-ool-4insn.pml', defines: [] },
  { id: 'x86-ool-text-poke-bp', model: 'x86-ool-text-poke-bp.pml', defines: [] },
  { id: 'two-slot-rcu-tasks', model: 'two-slot-rcu-tasks.pml', defines: [] },
  { id: 'x86-ool-text-poke-bp-2cpu', model: 'x86-ool-text-poke-bp.pml', defines: ['-DBIG'], extra: true },
];

const MODELS_DIR = join(import.meta.dirname, 'spin');

interface SpinRun {
  readonly verdict: 'safe' | 'unsafe' | 'failed';
  /** From the trail (`spin -t` prints the model's `VIOLATION <kind>`), when unsafe. */
  readonly kind: string;
  readonly states: number;
  readonly translate: number;
  readonly compile: number;
  readonly pan: number;
  readonly note: string;
}

function run(cmd: string, args: readonly string[], cwd: string): { seconds: number; out: string; ok: boolean } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { seconds: (performance.now() - t0) / 1000, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, ok: r.status === 0 && !r.error };
}

function missingTools(): string[] {
  const missing: string[] = [];
  if (spawnSync('spin', ['-V'], { encoding: 'utf8' }).error) missing.push('spin');
  if (spawnSync('gcc', ['--version'], { encoding: 'utf8' }).error) missing.push('gcc');
  return missing;
}

/** spin -a, gcc, ./pan in a scratch directory, each timed on its own. */
export function spinVerify(c: Comparison): SpinRun {
  const dir = mkdtempSync(join(tmpdir(), 'patchlab-spin-'));
  try {
    copyFileSync(join(MODELS_DIR, c.model), join(dir, c.model));
    const fail = (what: string, out: string): SpinRun => ({ verdict: 'failed', kind: '', states: 0, translate: 0, compile: 0, pan: 0, note: `${what} failed: ${out.trim().split('\n').slice(-2).join(' / ')}` });
    const a = run('spin', [...c.defines, '-a', c.model], dir);
    if (!a.ok) return fail('spin -a', a.out);
    // -DSAFETY: safety properties only (assertions, invalid end states), as the checker's verdicts are.
    const g = run('gcc', ['-O2', '-DSAFETY', '-w', '-o', 'pan', 'pan.c'], dir);
    if (!g.ok) return fail('gcc', g.out);
    const p = run('./pan', [], dir);
    const errors = /errors: (\d+)/.exec(p.out);
    if (!errors) return fail('pan', p.out);
    const states = Number(/(\d+) states, stored/.exec(p.out)?.[1] ?? 0);
    const unsafe = Number(errors[1]) > 0;
    let kind = '';
    if (unsafe) {
      const t = run('spin', [...c.defines, '-t', c.model], dir);
      kind = /VIOLATION (\w+)/.exec(t.out)?.[1] ?? (/invalid end state/.test(p.out) ? 'deadlock' : 'assertion');
    }
    const complete = !/Search not completed/.test(p.out) || unsafe;
    return { verdict: unsafe ? 'unsafe' : 'safe', kind, states, translate: a.seconds, compile: g.seconds, pan: p.seconds, note: complete ? '' : ' (pan: search not completed)' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function spinSection(ours: ReadonlyMap<string, SeedFigures>, maxSeconds: number): void {
  console.log('SPIN comparison: bench/spin/*.pml, spin -a + gcc -O2 -DSAFETY + ./pan, against our checker (reductions on)');
  const missing = missingTools();
  if (missing.length > 0) {
    console.log(`  skipped: ${missing.join(' and ')} not found on PATH (.ci/run installs Debian's spin; or: sudo apt-get install -y spin gcc)`);
    return;
  }
  for (const c of COMPARISONS) {
    const flags = c.defines.length ? ` ${c.defines.join(' ')}` : '';
    console.log(`  ${c.id}${c.extra ? ' (extra row)' : ''}  [${c.model}${flags}]`);
    const s = spinVerify(c);
    if (s.verdict === 'failed') {
      console.log(`    SPIN  ${s.note}`);
      continue;
    }
    const spinTotal = s.translate + s.compile + s.pan;
    console.log(`    SPIN  ${(s.verdict + (s.kind ? ' ' + s.kind : '')).padEnd(26)} ${String(s.states).padStart(8)} states  spin -a ${fmtSeconds(s.translate)}, gcc ${fmtSeconds(s.compile)}, pan ${fmtSeconds(s.pan)}: ${fmtSeconds(spinTotal)} to verdict${s.note}`);
    const scenario = loadSeed(c.id);
    if (typeof scenario === 'string') {
      console.log(`    ours  skipped: ${scenario}`);
      continue;
    }
    let mine: SeedRun;
    try {
      mine = ours.get(c.id)?.reduced ?? checkSeed(c.id, true, maxSeconds);
      // A time to verdict needs a verdict: one longer try when the seeds section's search hit its limit.
      if (mine.result.verdict === 'incomplete') mine = checkSeed(c.id, true, Math.max(3 * maxSeconds, 15));
    } catch (e) {
      console.log(`    ours  failed: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const r = mine.result;
    const v = r.verdict === 'unsafe' ? `unsafe ${r.violation?.kind}` : r.verdict === 'incomplete' ? `incomplete (${r.stop})` : r.verdict;
    console.log(`    ours  ${v.padEnd(26)} ${String(r.stats.states).padStart(8)} states  ${fmtSeconds(mine.seconds)} to verdict (search ${fmtSeconds(r.stats.seconds)})`);
    const agree = r.verdict === 'incomplete' ? `ours stopped at the ${Math.max(3 * maxSeconds, 15)} s limit: the ratios are lower bounds` : r.verdict === s.verdict ? 'verdicts agree' : 'VERDICTS DIFFER';
    const ge = r.verdict === 'incomplete' ? '>= ' : '';
    console.log(`    ours / SPIN: ${ge}${(mine.seconds / spinTotal).toFixed(2)} (whole SPIN pipeline), ${ge}${(mine.seconds / Math.max(s.pan, 1e-6)).toFixed(1)} (pan's run alone); ${agree}`);
  }
}
