// `npx tsx scripts/riscv-ifetch-agreement.ts SUITE [--verbose]`: patchlab's riscv64 fetch models against the
// rems-project RISC-V ifetch litmus suite (github.com/rems-project/litmus-tests-riscv-ifetch). SUITE is a
// checkout of it, or a git directory of it without a work tree (a mirror: read with `git show HEAD:path`),
// or a folder holding one; the suite is read where it is and nothing of it is copied (it has no licence).
//
// For each of the suite's models that patchlab implements (`kinds-<model>.txt`: Ziccif-only is patchlab's
// `--knob riscv.ziccif`, Ziccid is `--knob riscv.ziccif --knob riscv.ziccid`; the suite has no Zifencei-only
// model, so patchlab's knob-less model is not compared), every test runs through `patchlab litmus`'s own
// code and its verdict is compared with the suite's. Prints, per model, how many tests ran and agreed, each
// test that did not run (with the reader's diagnostic), and each difference with its reason category
// (`DIFFERENCES` below); a difference without a category is `UNEXPLAINED` and makes the exit status 1.
// `--verbose` also prints every test's two verdicts.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatDiagnostic } from '../src/base/diagnostics.js';
import { DEFAULT_KNOBS, type FetchKnobs } from '../src/machine/fetch.js';
import { litmusVerdict, runLitmus } from '../src/verify/litmus.js';
import { parseLitmus } from '../src/verify/litmus-syntax.js';

/** The suite's models patchlab implements, and the knobs that are each. */
const MODELS: readonly { name: string; kinds: string; knobs: FetchKnobs; flags: string }[] = [
  { name: 'Ziccif-only', kinds: 'Ziccif-only', knobs: { ...DEFAULT_KNOBS, riscvZiccif: true }, flags: '--knob riscv.ziccif' },
  { name: 'Ziccid', kinds: 'Ziccid', knobs: { ...DEFAULT_KNOBS, riscvZiccif: true, riscvZiccid: true }, flags: '--knob riscv.ziccif --knob riscv.ziccid' },
  // The suite has no model without Ziccif: what its Ziccif-only model allows, patchlab's weaker Zifencei-only
  // model must allow too (it may allow more: a torn fetch).
  { name: 'Zifencei-only (lower bound)', kinds: 'Ziccif-only', knobs: DEFAULT_KNOBS, flags: 'no knob, against kinds-Ziccif-only.txt' },
];

/** Why a test's verdict may differ from the suite's: the categories a difference is put in. */
const TORN = 'torn fetch: without Ziccif a hart may fetch the patched instruction half old, half new (docs/model.md section 3); every model of the suite has Ziccif\'s atomic fetch';
const RELAXED_DATA = 'relaxed data (out of scope): patchlab\'s data accesses are sequentially consistent (MODEL.md section 1)';

/** The relaxed-data differences the Ziccif-only model has (and the lower bound, which is checked against it). */
const RELAXED_ZICCIF_ONLY: Readonly<Record<string, string>> = {
  'MP+irf+fence.r.r': RELAXED_DATA + ': P0\'s two stores are not ordered',
  'MP+irf+data+fence.r.r': RELAXED_DATA + ': P0\'s store reaches its own fetch before P1 sees it (rfi), and its two stores are not ordered',
  'MP.RF+fence.r.r+fencei': RELAXED_DATA + ': P0\'s FENCE R,R does not order its two stores',
  'SB.F+addr+fence.rw.rw': RELAXED_DATA + ': P0\'s load passes its earlier store (store buffering)',
  'SB.F+ctrl+fence.rw.rw': RELAXED_DATA + ': P0\'s load passes its earlier store (store buffering)',
  'SM+RW': RELAXED_DATA + ': P1\'s re-read is forwarded from its store buffer (rfi)',
};

/** Per model, the differences that are understood, and why (any other fails). */
const DIFFERENCES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'Ziccif-only': RELAXED_ZICCIF_ONLY,
  'Zifencei-only (lower bound)': {
    ...RELAXED_ZICCIF_ONLY,
    'MP.F+fence.w.w+patched-load': TORN + ' (the new load\'s first parcel with the old `li`\'s second is `lw s0, 2(zero)`, which faults with s0 still 0)',
  },
  Ziccid: { 'MP.RF+fence.r.r+fencei': RELAXED_ZICCIF_ONLY['MP.RF+fence.r.r+fencei'], 'SM+RW': RELAXED_ZICCIF_ONLY['SM+RW'] },
};

/** The suite's files: `list()` names every path, `read(path)` gives one's text. */
interface Suite {
  readonly list: () => string[];
  readonly read: (path: string) => string;
}

/** A checkout (a folder with the tests), or a git directory without a work tree (possibly one level down). */
function openSuite(path: string): Suite {
  const gitDir = [path, join(path, '.git'), ...(existsSync(path) && statSync(path).isDirectory() ? readdirSync(path).map((d) => join(path, d)) : [])]
    .find((d) => existsSync(join(d, 'HEAD')) && existsSync(join(d, 'objects')));
  const hasTests = existsSync(path) && readdirSync(path).some((f) => f.startsWith('kinds-'));
  if (hasTests || !gitDir) {
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.name.startsWith('.') ? [] : e.isDirectory() ? walk(join(dir, e.name)) : [relative(path, join(dir, e.name))]);
    return { list: () => walk(path), read: (p) => readFileSync(join(path, p), 'utf8') };
  }
  const git = (...args: string[]) => execFileSync('git', [`--git-dir=${gitDir}`, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { list: () => git('ls-tree', '-r', '--name-only', 'HEAD').split('\n').filter(Boolean), read: (p) => git('show', `HEAD:${p}`) };
}

/** `kinds-<model>.txt`: lines `NAME Allow|Forbid`. */
function readKinds(text: string): Map<string, string> {
  return new Map(text.split('\n').map((l) => l.trim().split(/\s+/)).filter((w) => w.length === 2).map(([n, v]) => [n, v] as [string, string]));
}

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const where = args.find((a) => !a.startsWith('--'));
if (!where) {
  console.error('usage: npx tsx scripts/riscv-ifetch-agreement.ts SUITE [--verbose]   (a checkout or git directory of rems-project/litmus-tests-riscv-ifetch)');
  process.exit(2);
}
const suite = openSuite(where);
const files = suite.list().filter((f) => f.endsWith('.litmus')).sort();
let unexplained = 0;

for (const model of MODELS) {
  const kinds = readKinds(suite.read(`kinds-${model.kinds}.txt`));
  const known = DIFFERENCES[model.name];
  let ran = 0, agree = 0;
  const notRun: string[] = [], differ: string[] = [], unverdicted: string[] = [];
  for (const f of files) {
    const parsed = parseLitmus(suite.read(f), f);
    const name = parsed.ok ? parsed.test.name : f.replace(/^.*\//, '').replace(/\.litmus$/, '');
    const want = kinds.get(name);
    if (!want) { unverdicted.push(name); continue; }
    const run = parsed.ok ? runLitmus(parsed.test, model.knobs) : parsed;
    if (!run.ok) { notRun.push(`${name}: ${formatDiagnostic(run.diagnostics[0]).replace(/^\S+: /, '')}`); continue; }
    ran++;
    const got = litmusVerdict(run.result) === 'Allowed' ? 'Allow' : 'Forbid';
    const incomplete = run.result.stuck ? ' (some execution could not go on)' : '';
    if (verbose) console.log(`  ${model.name} ${name}: suite ${want}, patchlab ${got}${incomplete}`);
    if (got === want) {
      agree++;
      if (known[name]) console.log(`  agrees   ${name}, listed as a difference: take it out of DIFFERENCES`);
      continue;
    }
    const why = known[name];
    if (!why) unexplained++;
    differ.push(`${name}: suite ${want}, patchlab ${got}${incomplete} -- ${why ?? 'UNEXPLAINED'}`);
  }
  const total = files.length - unverdicted.length;
  console.log(`${model.name} (${model.flags}): ${total} tests with a verdict, ${ran} run, ${agree} agree (${ran ? Math.round((100 * agree) / ran) : 0} % of those run)`);
  for (const d of differ) console.log(`  differs  ${d}`);
  for (const n of notRun) console.log(`  not run  ${n}`);
  for (const n of unverdicted) console.log(`  no verdict in kinds-${model.kinds}.txt: ${n}`);
}
process.exit(unexplained > 0 ? 1 : 0);
