// A patch store split into the pieces the hardware performs atomically (MODEL.md section 2).

export interface StorePiece {
  readonly address: number;
  readonly bytes: Uint8Array;
}

/**
 * Only a naturally aligned store of 1, 2, 4 or 8 bytes is one atomic event. Anything else is cut,
 * left to right, into the largest naturally aligned pieces no wider than `maxWidth` (the widest
 * single store the writer issues): a 5-byte memcpy at an 8-aligned address becomes 4 + 1, a 4-byte
 * store at address 4k+1 becomes 1 + 2 + 1. Other CPUs can observe the state after every piece.
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
