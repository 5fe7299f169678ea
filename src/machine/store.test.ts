import { describe, expect, it } from 'vitest';
import { isAtomicStore, storePieces } from './store.js';

describe('which single stores are one atomic event (MODEL.md section 2)', () => {
  it.each([
    // arch, address, size, atomic
    ['x86-64', 0x1000, 8, true],
    ['x86-64', 0x1001, 4, true], // unaligned, inside one line
    ['x86-64', 0x1038, 8, true], // the line's last 8 bytes
    ['x86-64', 0x103d, 8, false], // across a line
    ['x86-64', 0x103f, 2, false],
    ['x86-64', 0x1001, 3, false], // not 1, 2, 4 or 8 bytes
    ['x86-64', 0x1000, 16, false],
    ['arm64', 0x1001, 4, false],
    ['arm64', 0x1008, 8, true],
    ['ppc32', 0x1002, 4, false],
    ['ppc64', 0x1003, 1, true],
  ] as const)('%s: %d bytes at %s → %s', (arch, address, size, atomic) => expect(isAtomicStore(arch, address, size)).toBe(atomic));

  it('a store that is not atomic is cut as a copy is', () => {
    const sizes = (arch: 'x86-64' | 'arm64', at: number, n: number) => storePieces(arch, at, new Uint8Array(n)).map((p) => [p.address, p.bytes.length]);
    expect(sizes('x86-64', 0x1001, 4)).toEqual([[0x1001, 4]]);
    expect(sizes('arm64', 0x1001, 4)).toEqual([[0x1001, 1], [0x1002, 2], [0x1004, 1]]);
    expect(sizes('x86-64', 0x103d, 8)).toEqual([[0x103d, 1], [0x103e, 2], [0x1040, 4], [0x1044, 1]]);
  });
});
