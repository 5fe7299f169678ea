// arm64 cache maintenance for new code (arch/arm64/mm/cache.S, asm/cacheflush.h): caches_clean_inval_pou
// and flush_icache_range, one step per instruction so the checker can interleave the CPUs between them.
//
// The kernel skips the clean on a CPU whose CTR_EL0 has IDC and the invalidate on one with DIC; patchlab
// has no such knob yet, so these are the sequences Linux must assume (IDC=0, DIC=0).

import type { CacheInsn, KernelOp } from '../../kernel/spec.js';
import { linesOf, numbered } from '../cache-lines.js';

const hex = (a: bigint) => `0x${a.toString(16)}`;

/**
 * caches_clean_inval_pou(start, end), on IDC=0 DIC=0 hardware:
 *   1. DC CVAU on every data cache line of the range (to the point of unification);
 *   2. DSB ISH: the cleans complete;
 *   3. IC IVAU on every instruction cache line of the range;
 *   4. DSB ISH: the invalidates complete — now another CPU's context synchronization makes it certain;
 *   5. ISB: the writing CPU's own context synchronization.
 */
export function cachesCleanInvalPou(start: bigint, end: bigint): { insn: CacheInsn; what: string }[] {
  const lines = linesOf(start, end);
  return [
    // 1.
    ...lines.map((address) => ({ insn: { kind: 'clean', address } as const, what: `dc cvau ${hex(address)}` })),
    // 2.
    { insn: { kind: 'barrier' }, what: 'dsb ish' },
    // 3.
    ...lines.map((address) => ({ insn: { kind: 'invalidate', address } as const, what: `ic ivau ${hex(address)}` })),
    // 4.
    { insn: { kind: 'barrier' }, what: 'dsb ish' },
    // 5.
    { insn: { kind: 'context-sync' }, what: 'isb' },
  ];
}

/**
 * flush_icache_range(start, end):
 *   1. caches_clean_inval_pou(start, end), each instruction its own step;
 *   2. kick_all_cpus_sync(): an IPI to every other CPU, waited for; taking it (exception entry and return)
 *      is each CPU's context synchronization, after which it fetches only the maintained code.
 */
export function flushIcacheRange(start: bigint, end: bigint): KernelOp[] {
  return numbered('flush_icache_range', [
    // 1.
    ...cachesCleanInvalPou(start, end).map(({ insn, what }) => ({ op: 'cache' as const, insn, what })),
    // 2.
    { op: 'sync-core' as const, what: 'kick_all_cpus_sync' },
  ]);
}
