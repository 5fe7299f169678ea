// `npx tsx scripts/determinism.ts [RUNS] [--process] [--only SET]`: issue 12's determinism claim, in full. Every
// shipped example is checked RUNS times (default 10) with `--no-timing`, as it is and with `--json`,
// `--max-memory 144` (the least: the search in a worker thread with its heap limited), `--max-states 50`,
// `--workers 2` and `--workers 2 --max-memory 192`; every run's output and exit status must equal the
// first's. In one process by default (caches carry over from run to run); with `--process`, each run is
// the real CLI (`node bin/patchlab.js`, the compiled code: `npm run build` first) as a child process, as a
// user runs it. `--only N` runs the Nth option set alone (0-based). Prints a line per option set and exits 1
// on a difference. `tests/determinism.test.ts` runs two of each in `npm test`.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInput } from './fuzz/judge.js';

const args = process.argv.slice(2);
const asProcess = args.includes('--process');
const only = args.includes('--only') ? Number(args[args.indexOf('--only') + 1]) : undefined;
const runs = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--only') ?? 10);
const folders = readdirSync('examples', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join('examples', d.name)).sort();
const files = folders.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.scn')).sort().map((f) => join(d, f)));
const OPTION_SETS = [[], ['--json'], ['--max-memory', '144'], ['--max-states', '50'], ['--workers', '2'], ['--workers', '2', '--max-memory', '192']];

async function run(argv: string[], file: string): Promise<{ status: number | null; out: string; err: string }> {
  if (!asProcess) return runInput({ target: 'determinism', argv, files: { [file]: readFileSync(file, 'utf8') } });
  const r = spawnSync(process.execPath, ['bin/patchlab.js', ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

let differences = 0;
for (const [set, extra] of OPTION_SETS.entries()) {
  if (only !== undefined && set !== only) continue;
  const t0 = Date.now();
  for (const file of files) {
    const argv = ['check', file, '--no-timing', ...extra];
    const first = await run(argv, file);
    for (let k = 1; k < runs; k++) {
      const o = await run(argv, file);
      if (o.status !== first.status || o.out !== first.out || o.err !== first.err) {
        differences++;
        console.log(`DIFFERS: ${argv.join(' ')} (run ${k + 1} of ${runs})`);
        break;
      }
    }
  }
  const how = asProcess ? 'processes' : 'runs in one process';
  console.log(`${files.length} examples × ${runs} ${how}, check --no-timing ${extra.join(' ')}: ${differences === 0 ? 'identical' : `${differences} differ so far`} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
process.exitCode = differences > 0 ? 1 : 0;
