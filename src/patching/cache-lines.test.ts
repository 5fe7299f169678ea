import { describe, expect, it } from 'vitest';
import { flushIcacheRange as arm64Flush } from './arm64/cacheflush.js';
import { linesOf } from './cache-lines.js';
import { flushIcacheRange as ppcFlush } from './ppc/cacheflush.js';

describe('cache lines of a range', () => {
  it.each([
    { start: 0x10000n, end: 0x10004n, lines: [0x10000n] },
    { start: 0x1003cn, end: 0x10044n, lines: [0x10000n, 0x10040n] },
    { start: 0x10040n, end: 0x10080n, lines: [0x10040n] },
    { start: 0x10040n, end: 0x10040n, lines: [] },
  ])('$start..$end', ({ start, end, lines }) => expect(linesOf(start, end)).toEqual(lines));

  it('flush_icache_range: arm64 ends with the IPI, ppc with isync; every step numbered', () => {
    const a = arm64Flush(0x1003cn, 0x10044n);
    expect(a.map((o) => o.op)).toEqual(['cache', 'cache', 'cache', 'cache', 'cache', 'cache', 'cache', 'sync-core']);
    expect(a.map((o) => o.step.split(':')[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => `flush_icache_range ${i}/8`));
    const p = ppcFlush(0x10000n, 0x10004n);
    expect(p.map((o) => (o.op === 'cache' ? o.insn.kind : o.op))).toEqual(['clean', 'barrier', 'invalidate', 'barrier', 'context-sync']);
  });
});
