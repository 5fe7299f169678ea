// arm64 text patching: aarch64_insn_patch_text_nosync and the literal write of static calls.
//
// Arm fetches aligned words; a word changed while another CPU may run it gives a defined result only
// within the permitted set (B, BL, NOP, BRK, SVC, HVC, SMC, ISB), and the writer's DC CVAU / DSB /
// IC IVAU / DSB makes every CPU certain of it (MODEL.md section 3). A literal read by `ldr` is data.

import { assert } from '../../base/assert.js';
import { writeUint } from '../../base/bits.js';
import type { KernelOp } from '../../kernel/spec.js';
import { cachesCleanInvalPou } from './cacheflush.js';

/**
 * aarch64_insn_patch_text_nosync: write one instruction word (little-endian bytes) with no
 * stop_machine around it — safe only within the permitted set:
 *   1. one aligned 4-byte store through the fixmap alias;
 *   2. caches_clean_inval_pou over the word (DC CVAU; DSB ISH; IC IVAU; DSB ISH) completes, its
 *      instructions back to back in one transition: a scenario that writes them as steps of their own
 *      (`dc_cvau`, `dsb_ish`, `ic_ivau`, `dsb_ish`) lets the checker interleave the CPUs between them.
 *      The kernel's closing ISB is left out: it synchronizes only the patcher's own CPU, which runs no
 *      scenario code, so nothing can tell; the step's label (in every golden report) names four.
 */
export function aarch64InsnPatchTextNosync(address: bigint, word: Uint8Array): KernelOp[] {
  assert(word.length === 4 && address % 4n === 0n, 'aarch64_insn_patch_text_nosync writes one aligned word');
  return [
    // 1.
    { op: 'store', step: 'aarch64_insn_patch_text_nosync 1/2: store through the fixmap alias', address, bytes: word.slice() },
    // 2.
    {
      op: 'maintain', step: 'aarch64_insn_patch_text_nosync 2/2: dc cvau; dsb ish; ic ivau; dsb ish', address, size: 4,
      insns: cachesCleanInvalPou(address, address + 4n).map((s) => s.insn).filter((i) => i.kind !== 'context-sync'),
    },
  ];
}

/**
 * The static call literal: one aligned 8-byte store of the new target's address. The literal lives in
 * read-only data; the kernel writes it through the fixmap, and the kernel world writes patcher stores
 * to physical memory whatever the region's permissions.
 */
export function aarch64InsnWriteLiteralU64(address: bigint, value: bigint): KernelOp[] {
  assert(address % 8n === 0n, 'the literal is one aligned doubleword');
  const bytes = new Uint8Array(8);
  writeUint(bytes, 0, 8, BigInt.asUintN(64, value), 'little');
  return [{ op: 'store', step: 'aarch64_insn_write_literal_u64: one aligned 8-byte store', address, bytes }];
}
