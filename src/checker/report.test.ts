import { describe, expect, it } from 'vitest';
import { bfs } from './bfs.js';
import { jsonReport, textReport, verdictLine } from './report.js';
import type { CheckResult } from './result.js';
import { TOYS } from './toy-models.js';
import { renderColumns } from './trace-columns.js';

const context = { bounds: { cpus: 2, calls: 1 }, knobs: { strictFetch: false, 'x86.alignedAtomicFetch': true } };
const fixed = (r: CheckResult): CheckResult => ({ ...r, stats: { ...r.stats, seconds: 0, statesPerSecond: 0 } });
const OFF = { por: false, collapse: false, symmetry: false };

describe('report', () => {
  it.each([
    { model: TOYS.mutex(2), line: 'safe within bounds cpus=2 calls=1' },
    { model: TOYS.needle(1), line: 'unsafe: wrong-target — thread 1 read 1 from v0 (cpu 1)' },
    { model: TOYS.independent(3, 3), max: 5, line: 'incomplete: state limit of 5 reached: 5 states explored to depth 1, no violation found' },
  ])('verdict line: $line', ({ model, max, line }) => {
    expect(verdictLine(bfs(model, { ...OFF, maxStates: max }), context)).toBe(line);
  });

  it('JSON: schema, violation, bounds, knobs and a replayed trace', () => {
    const m = TOYS.needle(2);
    const r = fixed(bfs(m, OFF));
    const j = jsonReport(m, r, context);
    expect(j).toMatchObject({
      schema: 'patchlab.model-check/1', verdict: 'unsafe', violation: { kind: 'wrong-target', message: 'thread 1 read 2 from v0', cpu: 1 },
      bounds: context.bounds, knobs: context.knobs,
      trace: [{ index: 0, action: 0, description: 'T0: write v0' }, { index: 1, action: 0, description: 'T0: write v0' }, { index: 2, action: 1, description: 'T1: read v0' }],
    });
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });

  it('text: verdict first, knobs that are on, the numbered trace', () => {
    const m = TOYS.needle(2);
    const text = textReport(m, fixed(bfs(m, OFF)), context);
    expect(text).toBe([
      'unsafe: wrong-target — thread 1 read 2 from v0 (cpu 1)',
      'bounds: cpus=2 calls=1',
      'knobs: x86.alignedAtomicFetch',
      `8 states, 7 transitions, depth 3, 0.00 s (0 states/s), ${bfs(m, OFF).stats.bytesPerState.toFixed(1)} B/state`,
      '',
      'trace (3 steps):',
      '1. T0: write v0',
      '2. T0: write v0',
      '3. T1: read v0',
      '',
    ].join('\n'));
  });

  it('text: the trace in columns, one per thread, with extra lines', () => {
    const m = TOYS.needle(2);
    const text = textReport(m, fixed(bfs(m, OFF)), {
      ...context,
      columns: {
        headers: ['T0', 'T1'],
        cell: (s) => ({ column: s.description.startsWith('T0') ? 0 : 1, text: s.description.slice(4), extra: s.action === 0 ? ['v0: old → new'] : [] }),
      },
    });
    expect(text.split('\n').slice(5)).toEqual([
      'trace (3 steps):',
      '    T0            | T1',
      '    --------------+--------',
      '1.  write v0',
      '    v0: old → new',
      '2.  write v0',
      '    v0: old → new',
      '3.                | read v0',
      '',
    ]);
  });

  it('columns cut text that is too wide', () => {
    const lines = renderColumns(['abcdefghij'], { headers: ['A', 'B'], maxWidth: 5, cell: (s) => ({ column: 1, text: s }) });
    expect(lines).toEqual(['    A | B', '    --+------', '1.    | abcd…']);
  });
});
