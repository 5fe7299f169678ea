// A patch store split into the pieces the hardware performs atomically (MODEL.md section 2).

import type { ArchName } from '../isa/types.js';

export interface StorePiece {
  readonly address: number;
  readonly bytes: Uint8Array;
}

/**
 * Per arch, the cache line inside which an unaligned 2-, 4- or 8-byte store is still one atomic event:
 * x86-64 since P6 (Intel SDM Vol. 3A §9.1.1, "accesses to cached memory that fit within a cache line").
 * arm64 and Power promise it only for naturally aligned stores.
 */
const ATOMIC_WITHIN_LINE: Readonly<Record<ArchName, number | undefined>> = Object.freeze({
  'x86-64': 64, arm64: undefined, ppc32: undefined, ppc64: undefined, riscv64: undefined,
});

/**
 * Is one store of `size` bytes at `address` a single atomic event on `arch`? A naturally aligned store of
 * 1, 2, 4 or 8 bytes always is; on x86-64 so is a 2-, 4- or 8-byte store that does not cross a cache line.
 * `address` is virtual (the text or its alias, which share their place in every line): the model packs
 * sections in physical memory without keeping their offset in a cache line.
 *
 *   size 1,2,4,8 | aligned | inside one line | x86-64 | arm64, ppc
 *   yes          | yes     | (always)        | atomic | atomic
 *   yes          | no      | yes             | atomic | pieces
 *   yes          | no      | no              | pieces | pieces
 *   no           |         |                 | pieces | pieces
 */
export function isAtomicStore(arch: ArchName, address: number, size: number): boolean {
  if (size !== 1 && size !== 2 && size !== 4 && size !== 8) return false;
  if (address % size === 0) return true;
  const line = ATOMIC_WITHIN_LINE[arch];
  return line !== undefined && Math.floor(address / line) === Math.floor((address + size - 1) / line);
}

/**
 * One store of `bytes.length` bytes (a `mov`, `str`, WRITE_ONCE): one piece when `isAtomicStore`, else its
 * atomic pieces as `atomicPieces` cuts them.
 */
export function storePieces(arch: ArchName, address: number, bytes: Uint8Array): StorePiece[] {
  return isAtomicStore(arch, address, bytes.length) ? [{ address, bytes: bytes.slice() }] : atomicPieces(address, bytes, 8);
}

/**
 * A copy (memcpy) or a store that is not one atomic event, cut left to right into the largest naturally
 * aligned pieces no wider than `maxWidth` (the widest single store the writer issues): a 5-byte memcpy at
 * an 8-aligned address becomes 4 + 1, a 4-byte store at address 4k+1 becomes 1 + 2 + 1. Other CPUs can
 * observe the state after every piece.
 */
export function atomicPieces(address: number, bytes: Uint8Array, maxWidth: 1 | 2 | 4 | 8 = 8): StorePiece[] {
  const out: StorePiece[] = [];
  let i = 0;
  while (i < bytes.length) {
    const at = address + i;
    let size = maxWidth as number;
    while (size > 1 && (size > bytes.length - i || at % size !== 0)) size >>= 1;
    out.push({ address: at, bytes: bytes.slice(i, i + size) });
    i += size;
  }
  return out;
}
