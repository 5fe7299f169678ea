// `patchlab litmus`: herd7-style tests told in herd7's words; bad input is a located diagnostic (exit 2).

import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const SM = 'tests/fixtures/litmus/SM-b-to-nop.litmus';

describe('patchlab litmus', () => {
  it("runs a test and tells it as herd7 does: both branches' outcomes are seen, none is garbage", async () => {
    const r = await runCli(['litmus', SM]);
    expect(r.status).toBe(0);
    expect(r.out.split('\n')).toEqual(['Test SM-b-to-nop Allowed', 'States 2', 'Ok', 'Witnesses', 'Positive: 1 Negative: 1', 'Condition exists (1:X9=1)', 'Observation SM-b-to-nop Sometimes 1 1', 'Knobs strictFetch', '']);
  });

  it('gives JSON with --json, and the knobs a CacheType header sets', async () => {
    const text = (await import('node:fs')).readFileSync(SM, 'utf8').replace('AArch64 SM-b-to-nop\n', 'AArch64 SM-b-to-nop\nCacheType=DIC\n');
    const r = await runCli(['litmus', 'dic.litmus', '--json'], { 'dic.litmus': text });
    expect(r.status).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.schema).toBe('patchlab.litmus/1');
    expect(j.tests[0]).toMatchObject({ file: 'dic.litmus', name: 'SM-b-to-nop', observation: 'Sometimes', ok: true, knobs: ['strictFetch', 'arm64.idc', 'arm64.dic'] });
  });

  it('reports bad input at its line and column, exit 2, and still runs the other files', async () => {
    const files = {
      'open.litmus': 'AArch64 X\n{\n 0:X0=1;\n P0 ;\n',
      'insn.litmus': 'AArch64 Y\n{ 0:X0=1; }\n P0        ;\n FROB X0   ;\nexists (0:X0=1)\n',
      'cond.litmus': 'AArch64 Z\n{ 0:X0=1; }\n P0        ;\n NOP       ;\nexists (0:X0=1 /\\ banana)\n',
      'init.litmus': 'AArch64 W\n{ 0:X0=P3:L9; }\n P0        ;\n NOP       ;\nexists (0:X0=1)\n',
    };
    const r = await runCli(['litmus', 'open.litmus', 'insn.litmus', 'cond.litmus', 'init.litmus', SM], files);
    expect(r.status).toBe(2);
    expect(r.err.split('\n').filter(Boolean)).toEqual([
      'open.litmus:2:1: error PL1160: not a litmus test as herd7 reads it: the initial state `{` is not closed by `}`',
      'insn.litmus:4:2: error PL1161: cannot assemble `FROB X0`: unknown mnemonic `frob`',
      'cond.litmus:5:19: error PL1163: the condition: `banana` is not a condition atom (T:Xn=v, [x]=v or x=v)',
      'init.litmus:2:3: error PL1165: the value in `0:X0=P3:L9`: thread 3 has no label `L9`',
    ]);
    expect(r.out).toContain('Observation SM-b-to-nop Sometimes 1 1');
  });
});
