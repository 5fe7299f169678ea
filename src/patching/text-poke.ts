// The patcher's plain writes to text, common to every arch: each a copy through the writable alias,
// issued as the atomic pieces the hardware performs (MODEL.md section 2). No synchronization of its own.

import type { KernelOp } from '../kernel/spec.js';
import { atomicPieces } from '../machine/store.js';

/** One `store` op per atomic piece of `bytes` at `address` (pieces at most 8 bytes wide), labelled `step i/n`. */
export function storePieces(step: string, address: bigint, bytes: Uint8Array): KernelOp[] {
  const pieces = atomicPieces(Number(address), bytes, 8);
  return pieces.map((p, i): KernelOp => ({
    op: 'store',
    step: pieces.length === 1 ? step : `${step} (piece ${i + 1}/${pieces.length})`,
    address: BigInt(p.address),
    bytes: p.bytes,
  }));
}

/**
 * x86 `text_poke`: a memcpy of `bytes` through the alias. It is live patching's building block, not a
 * protocol: whoever calls it must already have made the change safe (text_poke_bp does, with INT3).
 */
export function textPoke(address: bigint, bytes: Uint8Array): KernelOp[] {
  return storePieces('text_poke: memcpy through the alias', address, bytes);
}

/** `text_poke_early`: the same stores, made at boot (before `boot-done`) or module load, while nothing runs there. */
export function textPokeEarly(address: bigint, bytes: Uint8Array): KernelOp[] {
  return storePieces('text_poke_early: memcpy while nothing runs', address, bytes);
}

/** The unsafe variant of seed 001: new instruction bytes copied over live code with no protocol at all. */
export function memcpyStore(address: bigint, bytes: Uint8Array): KernelOp[] {
  return storePieces('memcpy: plain copy over live code', address, bytes);
}

/** Whether a write would change nothing (the kernel skips such a write). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
