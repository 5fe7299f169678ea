// `npm run bench -- --section spin`: the same protocols hand-modelled in Promela (bench/spin/*.pml),
// verified by SPIN in the same run, against our checker's time to verdict. Figures printed, never asserted.
//
// Each model takes the scenario's bounds as preprocessor defines (-DTASKS -DCALLS -DPREEMPT) and is
// written at our granularity (one Promela transition per transition of src/kernel/actions.ts, nothing in
// its state that ours lacks), so that on a safe row SPIN stores the states we store plus one: its initial
// state, before `init` has started the processes (bench/README.md). The rows at bigger bounds
// (`big`) run only when named: `npm run bench -- --section spin --only big` or `--only <id>,<id>`.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { checkSeed, fmtSeconds, loadSeed, SEEDS_DIR, type SeedFigures, type SeedRun } from './seeds.js';

export interface Comparison {
  /** The scenario: examples/seeds/<id>.scn, or bench/scenarios/<id>.scn when `benchScenario`. */
  readonly id: string;
  /** The Promela model in bench/spin. */
  readonly model: string;
  /** Preprocessor defines selecting a variant of the model (its bounds, a broken protocol). */
  readonly defines: readonly string[];
  /** Not a row the brief asks for: a larger bound of the same protocol. */
  readonly extra?: boolean;
  /** The scenario is in bench/scenarios (a seed under bigger bounds), not in examples/seeds. */
  readonly benchScenario?: boolean;
  /** Tasks, calls per task, preemptions: the bounds both sides check (cpus = tasks + 1). */
  readonly bounds?: readonly [tasks: number, calls: number, preemptions: number];
  /**
   * Bounds where pan needs seconds and we need minutes and about 2 GiB: run only when named with
   * `--only` (its id, or `big` for all of them).
   */
  readonly big?: boolean;
}

const bounded = (t: number, c: number, p: number): string[] => [`-DTASKS=${t}`, `-DCALLS=${c}`, `-DPREEMPT=${p}`];

export const COMPARISONS: readonly Comparison[] = [
  { id: 'ppc32-ool-4insn', model: 'ppc32-ool-4insn.pml', defines: [], bounds: [1, 1, 0] },
  { id: 'x86-ool-text-poke-bp', model: 'x86-ool-text-poke-bp.pml', defines: [], bounds: [1, 1, 0] },
  { id: 'two-slot-rcu-tasks', model: 'two-slot-rcu-tasks.pml', defines: [], bounds: [1, 2, 1] },
  { id: 'x86-ool-text-poke-bp-2cpu', model: 'x86-ool-text-poke-bp.pml', defines: bounded(2, 1, 1), bounds: [2, 1, 1], extra: true },
  // Issue 9's bounds: pan 0.3-3 s, ours 10-120 s.
  { id: 'x86-ool-text-poke-bp-t2c2p2', model: 'x86-ool-text-poke-bp.pml', defines: bounded(2, 2, 2), bounds: [2, 2, 2], extra: true, benchScenario: true, big: true },
  { id: 'x86-ool-text-poke-bp-t3c1p2', model: 'x86-ool-text-poke-bp.pml', defines: bounded(3, 1, 2), bounds: [3, 1, 2], extra: true, benchScenario: true, big: true },
  { id: 'two-slot-rcu-tasks-t3c1p2', model: 'two-slot-rcu-tasks.pml', defines: bounded(3, 1, 2), bounds: [3, 1, 2], extra: true, benchScenario: true, big: true },
  { id: 'two-slot-rcu-tasks-t2c3p2', model: 'two-slot-rcu-tasks.pml', defines: bounded(2, 3, 2), bounds: [2, 3, 2], extra: true, benchScenario: true, big: true },
  // Where pan needs a second or more on x86 too (2, 2, 2 is 0.3 s), and the largest row (pan about 5 s).
  { id: 'x86-ool-text-poke-bp-t2c4p2', model: 'x86-ool-text-poke-bp.pml', defines: bounded(2, 4, 2), bounds: [2, 4, 2], extra: true, benchScenario: true, big: true },
  { id: 'two-slot-rcu-tasks-t2c4p2', model: 'two-slot-rcu-tasks.pml', defines: bounded(2, 4, 2), bounds: [2, 4, 2], extra: true, benchScenario: true, big: true },
];

/** The rows `--only` selects: by id, `big` for every big row; without `--only`, every row that is not big. */
export function selectComparisons(only: readonly string[] = []): Comparison[] {
  if (only.length === 0) return COMPARISONS.filter((c) => !c.big);
  return COMPARISONS.filter((c) => only.includes(c.id) || (c.big === true && only.includes('big')));
}

const MODELS_DIR = join(import.meta.dirname, 'spin');

/**
 * The id to give seeds.ts's loadSeed / checkSeed, which read examples/seeds/<id>.scn: a scenario in
 * bench/scenarios is named by its path from there, so that both sides of a row are timed the same way.
 */
function seedsId(c: Comparison): string {
  return c.benchScenario ? `../../bench/scenarios/${c.id}` : c.id;
}

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

/** One row of the closing table. */
interface RowFigures {
  readonly id: string;
  readonly bounds: string;
  readonly spin: SpinRun;
  readonly ours: SeedRun | undefined;
  /** Our states with the reductions off (the seeds section's plain run), when there was one. */
  readonly oursPlain: number | undefined;
  /** Peak resident size of our check in a process of its own (the big rows), in bytes. */
  readonly peak?: number;
  /** The peak past what the check's process held before it read the scenario, in bytes. */
  readonly past?: number;
  /** The big rows: `patchlab check` (the built CLI) with one worker and with `--workers 2`. */
  readonly cli?: WorkersRun;
}

interface WorkersRun {
  readonly one: number;
  readonly two: number;
  /** Both gave the same stats line (verdict, states, transitions). */
  readonly same: boolean;
}

const CLI = join(import.meta.dirname, '..', 'bin', 'patchlab.js');
const BUILT = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');

/**
 * The built CLI on one scenario with one worker and with two, each a process timed from start to exit (what a
 * user waits for, worker start-up included). Undefined without a build (`npm run build`).
 */
function cliWorkers(id: string): WorkersRun | string {
  if (!existsSync(BUILT)) return 'no build (npm run build) to run';
  const file = join(SEEDS_DIR, `${id}.scn`);
  const time = (workers: number) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, 'check', file, '--no-timing', '--workers', String(workers)], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const stats = (r.stdout ?? '').split('\n').find((l) => l.startsWith('stats'))?.replace(/, \d+ workers.*$/, '') ?? `exit ${r.status}`;
    return { seconds: (performance.now() - t0) / 1000, stats };
  };
  const one = time(1), two = time(2);
  return { one: one.seconds, two: two.seconds, same: one.stats === two.stats };
}

/**
 * A big row's check in a child process (bench/check-child.ts), so that its peak resident size is its
 * own: in this process it would include every row before it.
 */
function checkInChild(id: string, maxSeconds: number): { run: SeedRun; peakRssBytes: number; baseRssBytes: number } {
  const script = join(import.meta.dirname, 'check-child.ts');
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', script, id, String(maxSeconds)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`the check's process failed: ${(r.stderr ?? '').trim().split('\n').slice(-1)[0] ?? r.status}`);
  return JSON.parse(line) as { run: SeedRun; peakRssBytes: number; baseRssBytes: number };
}

const perState = (bytes: number, states: number): string => (states > 0 ? `${(bytes / states / 1024).toFixed(2)} KiB` : '-');
const bytesPerState = (bytes: number, states: number): string => (states > 0 ? `${Math.round(bytes / states)} bytes` : '-');

const ratio = (a: number, b: number): string => (b > 0 ? (a / b >= 10 ? (a / b).toFixed(0) : a / b >= 0.1 ? (a / b).toFixed(2) : (a / b).toFixed(3)) : '-');
/** State counts: close to 1 on a safe row, so three decimals. */
const stateRatio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(3) : '-');
const num = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

export function spinSection(ours: ReadonlyMap<string, SeedFigures>, maxSeconds: number, only: readonly string[] = []): void {
  console.log('SPIN comparison: bench/spin/*.pml, spin -a + gcc -O2 -DSAFETY + ./pan, against our checker (reductions on)');
  const missing = missingTools();
  if (missing.length > 0) {
    console.log(`  skipped: ${missing.join(' and ')} not found on PATH (.ci/run installs Debian's spin; or: sudo apt-get install -y spin gcc)`);
    return;
  }
  const rows = selectComparisons(only);
  if (rows.length === 0) {
    console.log(`  no row matches --only ${only.join(',')} (rows: ${COMPARISONS.map((c) => c.id).join(', ')}, or big)`);
    return;
  }
  if (rows.some((c) => c.big)) {
    const heap = getHeapStatistics().heap_size_limit / 2 ** 30;
    if (heap < 3) console.log(`  note: the big rows need about 2 GiB of heap and this node allows ${heap.toFixed(1)} GiB (NODE_OPTIONS=--max-old-space-size=4096)`);
  }
  const table: RowFigures[] = [];
  for (const c of rows) {
    const flags = c.defines.length ? ` ${c.defines.join(' ')}` : '';
    const b = c.bounds ? `${c.bounds[0]}, ${c.bounds[1]}, ${c.bounds[2]}` : '?';
    console.log(`  ${c.id}${c.extra ? ' (extra row)' : ''}  (tasks, calls, preemptions: ${b})  [${c.model}${flags}]`);
    const s = spinVerify(c);
    if (s.verdict === 'failed') {
      console.log(`    SPIN  ${s.note}`);
      continue;
    }
    const spinTotal = s.translate + s.compile + s.pan;
    console.log(`    SPIN  ${(s.verdict + (s.kind ? ' ' + s.kind : '')).padEnd(26)} ${String(s.states).padStart(8)} states  spin -a ${fmtSeconds(s.translate)}, gcc ${fmtSeconds(s.compile)}, pan ${fmtSeconds(s.pan)}: ${fmtSeconds(spinTotal)} to verdict${s.note}`);
    const id = seedsId(c);
    const scenario = loadSeed(id);
    if (typeof scenario === 'string') {
      console.log(`    ours  skipped: ${scenario}`);
      table.push({ id: c.id, bounds: b, spin: s, ours: undefined, oursPlain: undefined });
      continue;
    }
    // The big rows take minutes: no time limit worth the name.
    const limit = c.big ? Math.max(maxSeconds, 3600) : maxSeconds;
    let mine: SeedRun;
    let peak: number | undefined, base: number | undefined;
    try {
      if (c.big) ({ run: mine, peakRssBytes: peak, baseRssBytes: base } = checkInChild(id, limit));
      else mine = ours.get(c.id)?.reduced ?? checkSeed(id, true, limit);
      // A time to verdict needs a verdict: one longer try when the seeds section's search hit its limit.
      if (mine.result.verdict === 'incomplete' && !c.big) mine = checkSeed(id, true, Math.max(3 * maxSeconds, 15));
    } catch (e) {
      console.log(`    ours  failed: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const r = mine.result;
    const plain = ours.get(c.id)?.plain?.result;
    const oursPlain = plain && plain.verdict !== 'incomplete' ? plain.stats.states : undefined;
    const v = r.verdict === 'unsafe' ? `unsafe ${r.violation?.kind}` : r.verdict === 'incomplete' ? `incomplete (${r.stop})` : r.verdict;
    // Past the process's own size (Node, the loader and our code, before the scenario is read), what a state costs.
    const past = peak !== undefined && base !== undefined ? Math.max(0, peak - base) : undefined;
    const rss = peak !== undefined ? `; peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB, ${perState(peak, r.stats.states)} per stored state${past !== undefined ? `, ${bytesPerState(past, r.stats.states)} per state past the ${(base! / 2 ** 20).toFixed(0)} MiB the process had before reading the scenario` : ''}` : '';
    console.log(`    ours  ${v.padEnd(26)} ${String(r.stats.states).padStart(8)} states  ${fmtSeconds(mine.seconds)} to verdict (search ${fmtSeconds(r.stats.seconds)})${oursPlain !== undefined ? `; reductions off: ${oursPlain} states` : ''}${rss}`);
    const agree = r.verdict === 'incomplete' ? `ours stopped at its ${c.big ? limit : Math.max(3 * maxSeconds, 15)} s limit: the ratios are lower bounds` : r.verdict === s.verdict ? 'verdicts agree' : 'VERDICTS DIFFER';
    const ge = r.verdict === 'incomplete' ? '>= ' : '';
    // On an unsafe row both stop at their first violation, SPIN depth-first and we breadth-first: the
    // state counts are not of the same search.
    const statesNote = r.verdict === 'safe' && s.verdict === 'safe'
      ? `SPIN / ours ${stateRatio(s.states, r.stats.states)}${oursPlain !== undefined ? ` (reductions off: ${stateRatio(s.states, oursPlain)})` : ''}`
      : 'not comparable (each stops at its first violation, SPIN depth-first, ours breadth-first)';
    console.log(`    states: ${statesNote}`);
    console.log(`    patchlab / pan: ${ge}${ratio(mine.seconds, Math.max(s.pan, 1e-6))}, patchlab / SPIN incl. gcc: ${ge}${ratio(mine.seconds, spinTotal)} (spin -a + gcc + pan); ${agree}`);
    // `--workers 2` on the big rows: the same search over two threads (the same states: one visited set).
    let cli: WorkersRun | undefined;
    if (c.big) {
      const w = cliWorkers(id);
      if (typeof w === 'string') console.log(`    ours, --workers 2: not run: ${w}`);
      else {
        cli = w;
        console.log(`    ours, patchlab check as a process: ${fmtSeconds(w.one)} with one worker, ${fmtSeconds(w.two)} with --workers 2: ${ratio(w.one, w.two)}x (${availableParallelism()} CPUs here); ${w.same ? 'the same stats line' : 'STATS DIFFER'}`);
      }
    }
    table.push({ id: c.id, bounds: b, spin: s, ours: mine, oursPlain, peak, past, cli });
  }
  if (table.length === 0) return;
  console.log('\n  | row | tasks, calls, preemptions | patchlab states | SPIN states | SPIN / patchlab | patchlab to verdict | pan | SPIN incl. gcc | patchlab / pan | patchlab / SPIN incl. gcc | patchlab peak RSS / state | peak RSS past the start / state | check, 1 → 2 workers | speed-up |');
  console.log('  |---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const t of table) {
    const s = t.spin;
    const total = s.translate + s.compile + s.pan;
    const r = t.ours?.result;
    const oursStates = r ? `${num(r.stats.states)}${r.verdict === 'incomplete' ? ' (stopped)' : ''}${t.oursPlain !== undefined && t.oursPlain !== r.stats.states ? ` (${num(t.oursPlain)} off)` : ''}` : '-';
    const comparable = r?.verdict === 'safe' && s.verdict === 'safe';
    const states = comparable ? stateRatio(s.states, r!.stats.states) : r ? `(${r.verdict === 'unsafe' ? 'unsafe' : r.verdict})` : '-';
    const secs = t.ours ? t.ours.seconds : 0;
    console.log(`  | ${t.id} | ${t.bounds} | ${oursStates} | ${num(s.states)} | ${states} | ${t.ours ? fmtSeconds(secs) : '-'} | ${fmtSeconds(s.pan)} | ${fmtSeconds(total)} | ${t.ours ? ratio(secs, Math.max(s.pan, 1e-6)) : '-'} | ${t.ours ? ratio(secs, total) : '-'} | ${t.peak !== undefined && r ? perState(t.peak, r.stats.states) : '-'} | ${t.past !== undefined && r ? bytesPerState(t.past, r.stats.states) : '-'} | ${t.cli ? `${fmtSeconds(t.cli.one)} → ${fmtSeconds(t.cli.two)}` : '-'} | ${t.cli ? ratio(t.cli.one, t.cli.two) : '-'} |`);
  }
}
