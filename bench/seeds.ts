// `npm run bench -- --section seeds`: the checker on every examples/seeds/*.scn, with the default
// reductions and with all of them off. Figures printed, never asserted.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bfs } from '../src/checker/bfs.js';
import type { CheckResult } from '../src/checker/result.js';
import type { Violation } from '../src/kernel/violation.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower, type LoweredScenario } from '../src/scenario/lower.js';

export const SEEDS_DIR = join(import.meta.dirname, '..', 'examples', 'seeds');

export interface SeedRun {
  readonly result: CheckResult<Violation>;
  /** Wall time from the file's text to the verdict: parse, lower, build the world, search. */
  readonly seconds: number;
}

export interface SeedFigures {
  readonly id: string;
  readonly scenario: LoweredScenario;
  readonly reduced: SeedRun;
  readonly plain: SeedRun | undefined;
}

export interface SeedOptions {
  /** Each search stops (verdict `incomplete`) after this many seconds. */
  readonly maxSeconds: number;
  /** Run again with por, symmetry and collapse off. */
  readonly plain: boolean;
  /** Only these ids (file names without .scn); all when empty. */
  readonly only?: readonly string[];
}

export const fmtRate = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0));
export const fmtSeconds = (s: number): string => (s >= 10 ? `${s.toFixed(1)} s` : s >= 0.1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(1)} ms`);

/** Load one scenario; a note instead when the file is missing or does not lower. */
export function loadSeed(id: string): LoweredScenario | string {
  const file = join(SEEDS_DIR, `${id}.scn`);
  if (!existsSync(file)) return `examples/seeds/${id}.scn does not exist (yet)`;
  const r = parseAndLower(readFileSync(file, 'utf8'), file);
  if (!r.ok) return `examples/seeds/${id}.scn does not lower: ${r.diagnostics[0]?.message ?? 'diagnostics'}${r.diagnostics.length > 1 ? ` (+${r.diagnostics.length - 1} more)` : ''}`;
  return r.scenario;
}

/** Text to verdict once: lowering is repeated so the time covers what `patchlab check` does. */
export function checkSeed(id: string, reductions: boolean, maxSeconds: number): SeedRun {
  const t0 = performance.now();
  const file = join(SEEDS_DIR, `${id}.scn`);
  const r = parseAndLower(readFileSync(file, 'utf8'), file);
  if (!r.ok) throw new Error(`${id} does not lower`);
  const world = new KernelWorld(r.scenario.spec);
  const off = reductions ? {} : { por: false, symmetry: false, collapse: false };
  // progressEvery small: the time limit is checked at progress reports.
  const result = bfs(world, { ...off, maxSeconds, progressEvery: 512 });
  return { result, seconds: (performance.now() - t0) / 1000 };
}

export function seedIds(): string[] {
  if (!existsSync(SEEDS_DIR)) return [];
  return readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.scn')).map((f) => f.slice(0, -4)).sort();
}

function expected(s: LoweredScenario): string {
  return s.expect.verdict === 'safe' ? 'safe' : `unsafe${s.expect.kinds.length ? ' ' + s.expect.kinds.join('|') : ''}`;
}

function got(r: CheckResult<Violation>): string {
  return r.verdict === 'unsafe' ? `unsafe ${r.violation?.kind}` : r.verdict === 'incomplete' ? `incomplete (${r.stop})` : r.verdict;
}

function agrees(s: LoweredScenario, r: CheckResult<Violation>): string {
  if (r.verdict === 'incomplete') return '?';
  if (r.verdict !== s.expect.verdict) return 'MISMATCH';
  if (s.expect.verdict === 'unsafe' && s.expect.kinds.length && !s.expect.kinds.includes(r.violation!.kind)) return 'MISMATCH (kind)';
  return 'ok';
}

function line(label: string, run: SeedRun): string {
  const st = run.result.stats;
  return `    ${label.padEnd(14)} ${got(run.result).padEnd(26)} ${String(st.states).padStart(8)} states  ${fmtRate(st.statesPerSecond).padStart(8)}states/s  ${st.bytesPerState.toFixed(1).padStart(6)} B/state  verdict in ${fmtSeconds(run.seconds)}${run.result.verdict === 'incomplete' ? ' (limit)' : ''}`;
}

export function seedsSection(options: SeedOptions): Map<string, SeedFigures> {
  const out = new Map<string, SeedFigures>();
  const ids = seedIds().filter((id) => !options.only?.length || options.only.includes(id));
  console.log(`seeds: examples/seeds/*.scn, breadth-first to a verdict (each search stopped after ${options.maxSeconds} s)`);
  if (ids.length === 0) {
    console.log('  (no scenario files in examples/seeds: skipped)');
    return out;
  }
  let states = 0, seconds = 0;
  for (const id of ids) {
    const s = loadSeed(id);
    if (typeof s === 'string') {
      console.log(`  ${id}: skipped, ${s}`);
      continue;
    }
    const b = s.spec.bounds;
    console.log(`  ${id}  [${s.spec.arch}; cpus=${b.cpus} interrupts=${b.interrupts} preemptions=${b.preemptions} nmis=${b.nmis}; expect ${expected(s)}]`);
    try {
      const reduced = checkSeed(id, true, options.maxSeconds);
      const st = reduced.result.stats;
      console.log(`${line('reductions on', reduced)}  ${agrees(s, reduced.result)}  (sleep-pruned ${st.prunedBySleep}, collapsed ${st.collapsed})`);
      states += reduced.result.stats.states;
      seconds += reduced.result.stats.seconds;
      let plain: SeedRun | undefined;
      if (options.plain) {
        plain = checkSeed(id, false, options.maxSeconds);
        console.log(`${line('reductions off', plain)}  ${agrees(s, plain.result)}`);
      }
      out.set(id, { id, scenario: s, reduced, plain });
    } catch (e) {
      console.log(`    failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (seconds > 0) console.log(`  all seeds, reductions on: ${states} states in ${fmtSeconds(seconds)} of search = ${fmtRate(states / seconds)}states/s`);
  return out;
}
