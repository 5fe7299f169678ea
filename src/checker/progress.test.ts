import { describe, expect, it } from 'vitest';
import { bytes, count, formatProgress } from './progress.js';

describe('progress', () => {
  it.each([
    [0, '0'], [999, '999'], [1000, '1.00 k'], [12_345, '12.3 k'], [456_700, '457 k'], [1_230_000, '1.23 M'], [2.5e9, '2.50 G'],
  ])('count(%d) = %s', (n, text) => expect(count(n)).toBe(text));

  it.each([
    [512, '512 B'], [2048, '2.00 KiB'], [45.6 * 2 ** 20, '45.6 MiB'], [3 * 2 ** 30, '3.00 GiB'],
  ])('bytes(%d) = %s', (n, text) => expect(bytes(n)).toBe(text));

  it('formats one line', () => {
    expect(formatProgress({ states: 1_230_000, statesPerSecond: 456_700, depth: 12, memoryBytes: 45.6 * 2 ** 20, queue: 12_300, seconds: 3.21 }))
      .toBe('1.23 M states  457 k/s  depth 12  mem 45.6 MiB  queue 12.3 k  3.2 s');
  });
});
