// x86-64 live text patching: text_poke_bp (the batched INT3 protocol) and seed 004's stop_machine variant.
//
// On x86 a CPU may decode an instruction from a mix of old and new bytes until it serializes, and
// the patcher cannot make it serialize except by an IPI (MODEL.md section 3). Both protocols first
// fence the site off with a one-byte INT3, which no CPU can see torn.

import type { BreakpointHandler, KernelOp } from '../../kernel/spec.js';
import { BP_DESC, bpArm, bpDisarm } from '../breakpoint.js';
import { sameBytes, storePieces } from '../text-poke.js';

export const INT3 = 0xcc;

export interface PokeSite {
  readonly address: bigint;
  /** The new instruction, written whole. */
  readonly insn: Uint8Array;
  /** The bytes there now, when the caller knows them: a site already equal to `insn` is skipped. */
  readonly current?: Uint8Array;
  /** What the INT3 handler emulates meanwhile, when not `insn` itself (the kernel's `emulate`: `call` for `xor5rax`). */
  readonly emulate?: Uint8Array;
}

export interface TextPokeBpOptions {
  /** Seed 001's broken variant: no sync_core after the tails are written (step 4 left out). */
  readonly skipTailSync?: boolean;
}

/**
 * text_poke_bp, batched over `sites` (the kernel's text_poke_bp_batch), in the breakpoint steps of
 * ../breakpoint.ts and plain stores (a scenario writes the same with `bp_arm`, `store`, `sync_core`,
 * `bp_disarm`):
 *   0. arm the INT3 handler for every site (from now a CPU that hits INT3 there is emulated): the
 *      shared descriptor bp_desc now holds this batch, and only this batch;
 *   1. write INT3 over the first byte of every site;
 *   2. sync_core on every CPU: no CPU can still run an old first byte;
 *   3. write every site's tail (the bytes after the first), if any site has one;
 *   4. sync_core again, if step 3 wrote anything: every CPU now sees INT3 + new tail;
 *   5. write every new first byte (a new first byte that is itself INT3 stays);
 *   6. sync_core, if step 5 wrote anything: every CPU sees the whole new instruction;
 *   7. disarm the handler (the kernel drops bp_desc's reference, ending the descriptor, and waits for
 *      in-flight handlers to drop theirs).
 * A site whose bytes are already the new instruction is left out, as the kernel leaves it out.
 */
export function textPokeBp(sites: readonly PokeSite[], handler: BreakpointHandler = { kind: 'emulate' }, options: TextPokeBpOptions = {}): KernelOp[] {
  const live = sites.filter((s) => !(s.current && sameBytes(s.current, s.insn)));
  if (live.length === 0) return [];
  const ops: KernelOp[] = [];
  const step = (n: number, what: string) => `text_poke_bp ${n}/6: ${what}`;
  // 0.
  for (const s of live) ops.push(bpArm('text_poke_bp: arm the INT3 handler', s.address, s.emulate ?? s.insn, handler, BP_DESC));
  // 1.
  for (const s of live) ops.push(...storePieces(step(1, 'write INT3'), s.address, Uint8Array.of(INT3)));
  // 2.
  ops.push({ op: 'sync-core', step: step(2, 'sync_core') });
  // 3.
  let tails = 0;
  for (const s of live) {
    if (s.insn.length <= 1) continue;
    ops.push(...storePieces(step(3, 'write the tail'), s.address + 1n, s.insn.subarray(1)));
    tails++;
  }
  // 4.
  if (tails > 0 && !options.skipTailSync) ops.push({ op: 'sync-core', step: step(4, 'sync_core') });
  // 5.
  let firsts = 0;
  for (const s of live) {
    if (s.insn[0] === INT3) continue;
    ops.push(...storePieces(step(5, 'write the first byte'), s.address, s.insn.subarray(0, 1)));
    firsts++;
  }
  // 6.
  if (firsts > 0) ops.push({ op: 'sync-core', step: step(6, 'sync_core') });
  // 7.
  for (const s of live) ops.push(bpDisarm('text_poke_bp: disarm the INT3 handler', s.address, BP_DESC));
  return ops;
}

/** Seed 001's `x86-ool-skip-sync` row: text_poke_bp without step 4. */
export function textPokeBpSkipSync(sites: readonly PokeSite[], handler: BreakpointHandler = { kind: 'emulate' }): KernelOp[] {
  return textPokeBp(sites, handler, { skipTailSync: true });
}

export interface TextPokeLateOptions {
  /** Whether a CPU that hits a site from an NMI serializes before it acks (seed 004's open question). */
  readonly syncInNmi: boolean;
}

/**
 * Seed 004's non-emulated text poking (written in the same breakpoint steps, with PATCH_SYNC states for
 * syncs: a scenario can spell it out with `bp_arm … handler=wait-and-reexecute` and `patch_sync`): the
 * same three stages, run inside stop_machine, each followed by
 * a PATCH_SYNC state every other CPU acks (after a pipeline sync) from its spin loop, or from the INT3
 * handler when it hits a site, which then re-executes the site instead of emulating it. So sites that
 * must change together (a lock op and its unlock op) never run half old, half new.
 *   1. stop_machine: every other CPU spins in the sync loop, interrupts off;
 *   for each site:
 *   2. arm the INT3 handler (wait for the patch states, then re-execute);
 *   3. write INT3;                 4. publish PATCH_SYNC_0 and wait for every ack;
 *   5. write the tail;             6. publish PATCH_SYNC_1 and wait for every ack;
 *   7. write the first byte;       8. publish PATCH_SYNC_2 and wait for every ack;
 *   9. publish PATCH_SYNC_DONE;   10. disarm the handler;
 *   after every site:
 *  11. publish PATCH_DONE (the spinning CPUs leave the loop);
 *  12. stop_machine ends.
 */
export function textPokeLate(sites: readonly PokeSite[], options: TextPokeLateOptions): KernelOp[] {
  const handler: BreakpointHandler = { kind: 'wait-and-reexecute', syncInNmi: options.syncInNmi };
  const step = (n: number, what: string) => `text_poke_late ${n}/12: ${what}`;
  const state = (n: number, s: string): KernelOp => ({ op: 'patch-state', step: step(n, s), state: s });
  // 1.
  const ops: KernelOp[] = [{ op: 'stop-machine-begin', step: step(1, 'stop_machine') }];
  for (const s of sites) {
    // 2.
    ops.push(bpArm(step(2, 'arm the INT3 handler'), s.address, s.emulate ?? s.insn, handler));
    // 3. 4.
    ops.push(...storePieces(step(3, 'write INT3'), s.address, Uint8Array.of(INT3)), state(4, 'PATCH_SYNC_0'));
    // 5. 6.
    if (s.insn.length > 1) ops.push(...storePieces(step(5, 'write the tail'), s.address + 1n, s.insn.subarray(1)));
    ops.push(state(6, 'PATCH_SYNC_1'));
    // 7. 8.
    ops.push(...storePieces(step(7, 'write the first byte'), s.address, s.insn.subarray(0, 1)), state(8, 'PATCH_SYNC_2'));
    // 9. 10.
    ops.push(state(9, 'PATCH_SYNC_DONE'), bpDisarm(step(10, 'disarm the INT3 handler'), s.address));
  }
  // 11. 12.
  ops.push(state(11, 'PATCH_DONE'), { op: 'stop-machine-end', step: step(12, 'stop_machine ends') });
  return ops;
}
