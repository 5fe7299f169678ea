import { describe, expect, it } from 'vitest';
import { loadImage } from './load.js';

describe('loadImage', () => {
  it('never lets a section\'s 16-byte rounding cover the next section', () => {
    const image = {
      sections: [
        { name: '.text', flags: 'ax', address: 0x10000n, bytes: new Uint8Array(0x11).fill(0x90) },
        { name: '.static_call.text', flags: 'ax', address: 0x10018n, bytes: new Uint8Array([0xe9, 1, 2, 3, 4]) },
      ],
      symbols: new Map(), localEntries: new Map(), tocBase: 0n,
    };
    const { memory } = loadImage(image, { stacks: 0, stackSize: 0x1000, aliasOffset: 0x4000_0000n });
    const t = memory.translate(0x10018, 5)!;
    expect([...memory.readPhysBytes(t.phys, 5)]).toEqual([0xe9, 1, 2, 3, 4]);
    expect(memory.translate(0x10017, 1)!.region.name).toBe('.text');
  });
});
