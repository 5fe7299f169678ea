// Golden report files: `patchlab check --no-timing` on every seed scenario, compared byte for byte with
// tests/golden/reports/<id>.txt. When a change to the report is intended, promote the new reports with
// `npm run golden:accept` (PATCHLAB_ACCEPT=1) and review the diff like any other change.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const ROOT = join(import.meta.dirname, '..');
const SEEDS = join(ROOT, 'examples', 'seeds');
const GOLDEN = join(ROOT, 'tests', 'golden', 'reports');
const accept = process.env.PATCHLAB_ACCEPT === '1';

describe('golden check reports of the seed scenarios', () => {
  const files = readdirSync(SEEDS).filter((f) => f.endsWith('.scn')).sort();
  for (const file of files) {
    const id = file.slice(0, -4);
    it(id, async () => {
      // Relative path, so the report does not depend on where the repository is.
      const r = await runCli(['check', `examples/seeds/${file}`, '--no-timing'].map(String), {
        [`examples/seeds/${file}`]: readFileSync(join(SEEDS, file), 'utf8'),
      });
      expect([0, 1]).toContain(r.status);
      const golden = join(GOLDEN, `${id}.txt`);
      if (accept) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(golden, r.out);
        return;
      }
      expect(existsSync(golden), `no golden report for ${id}: run npm run golden:accept`).toBe(true);
      expect(r.out).toBe(readFileSync(golden, 'utf8'));
    }, 120_000);
  }
});
