// Power text patching (ppc32 and ppc64): patch_instruction, patch_branch and patch_ulong.
//
// Power fetches aligned words; a word written by one aligned 4-byte store is fetched old-or-new as a
// whole for the patch class (and for any word under `power.wordAtomicFetch`), and the writer's
// dcbst/sync/icbi/sync makes every CPU certain of it (MODEL.md section 3).

import { assert } from '../../base/assert.js';
import { writeUint } from '../../base/bits.js';
import { isaFor } from '../../isa/registry.js';
import type { ArchName } from '../../isa/types.js';
import type { KernelOp } from '../../kernel/spec.js';
import { assembleInsn } from '../assemble-insn.js';
import { flushIcacheRangeInsns } from './cacheflush.js';

export type PpcArch = Extract<ArchName, 'ppc32' | 'ppc64'>;

/** An I-form branch reaches ±32 MB: a signed 26-bit byte displacement. */
export function inBranchRange(from: bigint, to: bigint): boolean {
  const d = to - from;
  return d >= -(1n << 25n) && d < 1n << 25n && (d & 3n) === 0n;
}

/**
 * patch_instruction: write one instruction word (`word`, already in the arch's byte order):
 *   1. one aligned 4-byte store through the alias;
 *   2. dcbst; sync; icbi; sync; isync — the maintenance completes, every CPU is certain of the word. The
 *      five instructions run back to back in one transition; written as steps of their own (`dcbst`,
 *      `sync`, `icbi`, `sync`, `isync`) they let the checker interleave the CPUs between them.
 */
export function patchInstruction(address: bigint, word: Uint8Array): KernelOp[] {
  assert(word.length === 4 && address % 4n === 0n, 'patch_instruction writes one aligned word');
  return [
    // 1.
    { op: 'store', step: 'patch_instruction 1/2: store through the alias', address, bytes: word.slice() },
    // 2.
    {
      op: 'maintain', step: 'patch_instruction 2/2: dcbst; sync; icbi; sync; isync', address, size: 4,
      insns: flushIcacheRangeInsns(address, address + 4n).map((s) => s.insn),
    },
  ];
}

/**
 * patch_branch: `b target` (`bl` with `link`, the kernel's BRANCH_SET_LINK) made at `address` and written
 * by patch_instruction; an error beyond ±32 MB.
 */
export function patchBranch(arch: PpcArch, address: bigint, target: bigint, flags: { link?: boolean } = {}): KernelOp[] | { error: string } {
  if (!inBranchRange(address, target)) {
    return { error: `branch from 0x${address.toString(16)} to 0x${target.toString(16)} is out of range (±32 MB)` };
  }
  const r = assembleInsn(arch, `${flags.link ? 'bl' : 'b'} __patch_branch_target`, address, new Map([['__patch_branch_target', target]]));
  if ('error' in r) return r;
  return patchInstruction(address, r.bytes);
}

/**
 * patch_ulong: one naturally aligned store of an unsigned long (4 bytes on ppc32, 8 on ppc64) — data
 * such as a trampoline's literal, read by ordinary coherent loads, so no instruction cache maintenance.
 */
export function patchUlong(arch: PpcArch, address: bigint, value: bigint): KernelOp[] {
  const isa = isaFor(arch);
  const size = isa.addressBits / 8;
  assert(address % BigInt(size) === 0n, 'patch_ulong writes one aligned unsigned long');
  const bytes = new Uint8Array(size);
  writeUint(bytes, 0, size, BigInt.asUintN(isa.addressBits, value), isa.endian);
  return [{ op: 'store', step: 'patch_ulong: one aligned store of the literal', address, bytes }];
}
