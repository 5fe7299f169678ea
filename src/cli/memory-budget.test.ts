import { describe, expect, it } from 'vitest';
import { UsageError } from './args.js';
import { maxImageBytes, minimumBudgetMiB, modelMiB, parallelSearchBytes, reserveMiB, searchBudgetBytes, searchHeapLimits, SMALL_MODEL } from './memory-budget.js';

const MiB = 2 ** 20;

describe('memory budget', () => {
  it.each([
    // workers, model, reserve, least --max-memory
    [1, SMALL_MODEL, 128, 144],
    [2, SMALL_MODEL, 176, 192],
    [16, SMALL_MODEL, 848, 864],
    // Within what the fixed reserve covers (the shipped examples' sizes).
    [1, { imageBytes: 16 * 1024, stateBytes: 2048 }, 128, 144],
    // 300 tasks: a 90 KiB state.
    [1, { imageBytes: 1024, stateBytes: 90 * 1024 }, 128 + 2 * 19, 144 + 2 * 19],
    [2, { imageBytes: 1024, stateBytes: 90 * 1024 }, 176 + 3 * 19, 192 + 3 * 19],
  ])('%i workers, model %o: reserve %i MiB, least %i MiB', (workers, model, reserve, least) => {
    expect(reserveMiB(workers, model)).toBe(reserve);
    expect(minimumBudgetMiB(workers, model)).toBe(least);
    expect(searchBudgetBytes(least, workers, model)).toBe((least - reserve) * MiB);
    expect(() => searchBudgetBytes(least - 1, workers, model)).toThrow(UsageError);
  });

  it('lets the code assemble to the largest image a budget can hold, and not a MiB more', () => {
    for (const workers of [1, 2, 3]) {
      for (const n of [144, 192, 256, 512, 1024, 4096]) {
        const image = maxImageBytes(n, workers);
        if (n < minimumBudgetMiB(workers)) continue;
        expect(minimumBudgetMiB(workers, { imageBytes: image, stateBytes: 0 })).toBeLessThanOrEqual(n);
        expect(minimumBudgetMiB(workers, { imageBytes: image + 2 ** 20, stateBytes: 0 })).toBeGreaterThan(n);
      }
    }
    expect(maxImageBytes(144, 1)).toBe(65536);
  });

  it('names the least budget, and the file when its model raised it', () => {
    const error = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as UsageError;
      }
      throw new Error('no error');
    };
    expect(error(() => searchBudgetBytes(100, 1))).toMatchObject({ code: 'PL6140', args: [100, 144, '128 MiB for Node, the code and the model, 16 for the search'], value: '100' });
    expect(error(() => searchBudgetBytes(150, 1, { imageBytes: 0, stateBytes: 90 * 1024 }, 'x.scn')).args[2]).toBe('166 MiB for Node, the code and the model of x.scn, 16 for the search');
    expect(error(() => searchBudgetBytes(150, 2)).args[2]).toBe('176 MiB for Node, the code and the model with 2 workers, 16 for the search');
  });

  it('sizes a search thread\'s heap for its share and its model, with a small young generation', () => {
    expect(searchHeapLimits(16 * MiB)).toEqual({ maxOldGenerationSizeMb: 32 + 4, maxYoungGenerationSizeMb: 8 });
    expect(searchHeapLimits(400 * MiB, { imageBytes: 0, stateBytes: 90 * 1024 })).toEqual({ maxOldGenerationSizeMb: 32 + modelMiB({ imageBytes: 0, stateBytes: 90 * 1024 }) + 100, maxYoungGenerationSizeMb: 8 });
    expect(parallelSearchBytes(64 * MiB)).toBe(16 * MiB);
  });
});
