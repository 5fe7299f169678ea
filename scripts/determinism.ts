// `npx tsx scripts/determinism.ts [RUNS]`: issue 12's determinism claim, in full. Every shipped example is
// checked RUNS times (default 10) with `--no-timing`, as it is and with `--json`, `--max-memory 8`,
// `--max-states 50` and `--workers 2`, in one process (caches carry over from run to run); every run's
// output and exit status must equal the first's. Prints a line per option set and exits 1 on a difference.
// `tests/determinism.test.ts` runs two of each in `npm test`.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInput } from './fuzz/judge.js';

const runs = Number(process.argv[2] ?? 10);
const folders = readdirSync('examples', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join('examples', d.name)).sort();
const files = folders.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.scn')).sort().map((f) => join(d, f)));
const OPTION_SETS = [[], ['--json'], ['--max-memory', '8'], ['--max-states', '50'], ['--workers', '2']];

let differences = 0;
for (const extra of OPTION_SETS) {
  const t0 = Date.now();
  for (const file of files) {
    const input = { target: 'determinism', argv: ['check', file, '--no-timing', ...extra], files: { [file]: readFileSync(file, 'utf8') } };
    const first = await runInput(input);
    for (let k = 1; k < runs; k++) {
      const o = await runInput(input);
      if (o.status !== first.status || o.out !== first.out || o.err !== first.err) {
        differences++;
        console.log(`DIFFERS: ${input.argv.join(' ')} (run ${k + 1} of ${runs})`);
        break;
      }
    }
  }
  console.log(`${files.length} examples × ${runs} runs, check --no-timing ${extra.join(' ')}: ${differences === 0 ? 'identical' : `${differences} differ so far`} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
process.exitCode = differences > 0 ? 1 : 0;
