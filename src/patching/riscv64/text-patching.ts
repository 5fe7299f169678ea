// riscv64 live text patching: patch_insn_write, patch_text_nosync and flush_icache_all.
//
// A hart becomes certain of new code only by executing FENCE.I (MODEL.md section 3, Zifencei): the writer
// can make only itself certain, so Linux's flush_icache_all() sends FENCE.I to every other hart, by IPI
// (or the SBI remote-fence call, to the same effect). Trap entry and return do not synchronize fetch.
// Every write here is of whole 4-byte instructions at 4-aligned addresses (the kernel's sites are
// `.align 2` and `.option norvc`): one atomic store each (MODEL.md section 2).

import type { KernelOp } from '../../kernel/spec.js';
import { storePieces } from '../text-poke.js';

/**
 * patch_insn_write: the copy through the fixmap alias (copy_to_kernel_nofault, one aligned store per
 * instruction word); the caller holds text_mutex. No cache maintenance and no FENCE.I.
 */
export function patchInsnWrite(address: bigint, bytes: Uint8Array, step = 'patch_insn_write: copy through the alias'): KernelOp[] {
  return storePieces(step, address, bytes);
}

/**
 * flush_icache_all:
 *   1. local_flush_icache_all: FENCE.I on the patcher's own hart (it runs no scenario code: no step);
 *   2. FENCE.I on every other hart by IPI (on_each_cpu(ipi_remote_fence_i)), waited for.
 */
export function flushIcacheAll(step = 'flush_icache_all: FENCE.I on every other hart (IPI), waited for'): KernelOp[] {
  // 2.
  return [{ op: 'sync-core', step }];
}

/**
 * patch_text: instructions written with every other hart parked, for a change no hart may see half
 * done (the AUIPC+JALR pair older kernels patched for ftrace):
 *   1. stop_machine: every other hart enters the stopper, interrupts off;
 *   2. patch_text_cb on the patching hart: patch_insn_write of every word;
 *   3. patch_text_cb on every hart: local_flush_icache_all (FENCE.I) once the writes are done;
 *   4. stop_machine ends.
 * It keeps harts from running while the words change, not tasks from being stopped between them.
 */
export function patchText(address: bigint, bytes: Uint8Array): KernelOp[] {
  const step = (n: number, what: string) => `patch_text ${n}/4: ${what}`;
  return [
    // 1.
    { op: 'stop-machine-begin', step: step(1, 'stop_machine') },
    // 2.
    ...patchInsnWrite(address, bytes, step(2, 'patch_insn_write')),
    // 3.
    { op: 'stopper-sync', step: step(3, 'local_flush_icache_all (FENCE.I) on every hart') },
    // 4.
    { op: 'stop-machine-end', step: step(4, 'stop_machine ends') },
  ];
}

/**
 * patch_text_nosync:
 *   1. patch_insn_write of the instruction;
 *   2. flush_icache_range over it, which on riscv is flush_icache_all: every hart executes FENCE.I.
 * ("nosync": no stop_machine; the harts are still made certain, by IPI.)
 */
export function patchTextNosync(address: bigint, bytes: Uint8Array): KernelOp[] {
  // 1. 2.
  return [...patchInsnWrite(address, bytes, 'patch_text_nosync 1/2: patch_insn_write'), ...flushIcacheAll('patch_text_nosync 2/2: flush_icache_range = flush_icache_all')];
}
