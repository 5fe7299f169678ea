import { describe, expect, it } from 'vitest';
import { MEASURED_SLACK_BYTES, MEASURED_SLACK_FACTOR } from '../checker/bfs.js';
import { defaultMemoryBudget, heapLimitBytes, heapUsedBytes, maxMemoryBudget } from './heap.js';

describe('heap', () => {
  it('keeps the safety net of the default and the largest budget under the heap limit', () => {
    for (const b of [defaultMemoryBudget(), maxMemoryBudget()]) expect(MEASURED_SLACK_FACTOR * b + MEASURED_SLACK_BYTES).toBeLessThan(heapLimitBytes());
  });

  it('measures the live heap after a collection', () => {
    let junk: object[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i }));
    const before = heapUsedBytes(false);
    junk = undefined;
    expect(junk).toBeUndefined();
    expect(heapUsedBytes(true)).toBeLessThan(before);
  });
});
