// The fixed-seed part of the fuzz harness (scripts/fuzz; the long run is `npm run fuzz -- --minutes N`):
// every kind of input through the real CLI in process, each ending in a verdict, `incomplete` or a
// `file:line:col` diagnostic with exit 2. And the judge itself, shown to catch each failure it names.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TARGETS } from '../scripts/fuzz/inputs.js';
import { judge, runInput } from '../scripts/fuzz/judge.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 250);

describe('fuzz harness, fixed seed', () => {
  for (const [name, arb] of Object.entries(TARGETS)) {
    it(`${name}: every input ends in a verdict, incomplete or a diagnostic`, async () => {
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(arb, async (input) => {
          const o = await runInput(input);
          statuses.add(o.status);
          expect(judge(o), `${input.argv.join(' ')}\n${JSON.stringify(input.files).slice(0, 2000)}`).toBeUndefined();
        }),
        { seed: 20261207, numRuns: RUNS },
      );
      // Each target must reach past the argument parser: some input of it is not bad input.
      expect([...statuses].some((s) => s !== 2), `${name} gave only exit 2`).toBe(true);
    }, 120_000);
  }
});

describe('the fuzz judge', () => {
  const ok = { status: 2, out: '', err: 's.scn:3:7: error PL7001: unknown statement `x` in the patcher\n' };
  it('accepts verdicts, incomplete and located diagnostics', () => {
    for (const status of [0, 1, 3]) expect(judge({ status, out: 'safe within bounds', err: '' })).toBeUndefined();
    expect(judge(ok)).toBeUndefined();
    expect(judge({ status: 2, out: '{"diagnostics":[{"file":"s.scn","line":3,"col":7}]}', err: '' })).toBeUndefined();
  });
  it('names each broken promise', () => {
    expect(judge({ status: 70, out: '', err: '<command line>:1:1: error PL6009: internal error: boom\n' })).toMatch(/^internal error/);
    expect(judge({ status: -1, out: '', err: '', thrown: 'RangeError: x\n    at f (a.js:1:2)' })).toMatch(/^main threw: RangeError/);
    expect(judge({ status: 134, out: '', err: '' })).toBe('exit status 134');
    expect(judge({ ...ok, err: ok.err + 'TypeError: y\n    at Object.<anonymous> (/x/y.js:10:5)\n' })).toBe('a stack trace was printed');
    expect(judge({ status: 2, out: '', err: 'error: bad\n' })).toMatch(/^exit 2 without a file:line:col diagnostic/);
  });
  it('runs an input against files in memory only', async () => {
    const o = await runInput({ target: 't', argv: ['check', 'nowhere.scn'], files: {} });
    expect(o.status).toBe(2);
    expect(o.err).toMatch(/^nowhere\.scn:1:1: error PL6002: .*ENOENT/);
  });
});
