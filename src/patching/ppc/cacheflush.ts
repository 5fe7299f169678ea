// Power cache maintenance for new code (arch/powerpc/mm/cacheflush.c, lib/code-patching.c): the
// writer's sequences, one step per instruction so the checker can interleave the CPUs between them.
//
// Processors with a coherent instruction cache take a shorter path in flush_icache_range (the kernel's
// flush_coherent_icache); patchlab models the general one every Power CPU accepts.

import type { CacheInsn, KernelOp } from '../../kernel/spec.js';
import { linesOf, numbered } from '../cache-lines.js';

const hex = (a: bigint) => `0x${a.toString(16)}`;

/**
 * The maintenance after a store of new code to [start, end) (flush_icache_range's clean_dcache_range
 * and invalidate_icache_range; patch_instruction's inline `dcbst; sync; icbi; sync; isync` for one word):
 *   1. dcbst on every data cache block of the range;
 *   2. sync: the stores reach memory;
 *   3. icbi on every instruction cache block of the range;
 *   4. sync: the invalidates complete — every CPU now fetches the new code (MODEL.md section 3);
 *   5. isync: the writing CPU's own context synchronization.
 */
export function flushIcacheRangeInsns(start: bigint, end: bigint): { insn: CacheInsn; what: string }[] {
  const lines = linesOf(start, end);
  return [
    // 1.
    ...lines.map((address) => ({ insn: { kind: 'clean', address } as const, what: `dcbst ${hex(address)}` })),
    // 2.
    { insn: { kind: 'barrier' }, what: 'sync' },
    // 3.
    ...lines.map((address) => ({ insn: { kind: 'invalidate', address } as const, what: `icbi ${hex(address)}` })),
    // 4.
    { insn: { kind: 'barrier' }, what: 'sync' },
    // 5.
    { insn: { kind: 'context-sync' }, what: 'isync' },
  ];
}

/** flush_icache_range(start, end): the steps above, each its own transition. No IPI: Power needs none. */
export function flushIcacheRange(start: bigint, end: bigint): KernelOp[] {
  return numbered('flush_icache_range', flushIcacheRangeInsns(start, end).map(({ insn, what }) => ({ op: 'cache' as const, insn, what })));
}
