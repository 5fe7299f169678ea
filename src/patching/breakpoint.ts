// Breakpoints as state (MODEL.md section 4): arming and disarming a site's breakpoint handler, the two
// steps every breakpoint protocol is built from, with the plain stores of text-poke.ts in between.
//
// Usage: a protocol arms the site, stores the arch's breakpoint instruction over it, synchronizes,
// rewrites the rest, and disarms; a scenario may write the same steps itself (`bp_arm`, `store`,
// `sync_core`, `bp_disarm`) in any order. x86-64's text_poke_bp is the library's protocol
// (x86-64/text-patching.ts).

import type { BreakpointHandler, KernelOp } from '../kernel/spec.js';

/**
 * Arm the breakpoint handler for the site at `address`: from this step a CPU that traps on a breakpoint
 * instruction there runs `handler` for `insn` (the instruction it emulates, or the one a detour returns
 * past) instead of taking a trap nobody handles.
 */
export function bpArm(step: string, address: bigint, insn: Uint8Array, handler: BreakpointHandler, descriptor?: string): KernelOp {
  return { op: 'bp-arm', step, address, insn, handler, ...(descriptor !== undefined ? { descriptor } : {}) };
}

/** Disarm it: from this step a breakpoint trap at `address` is a trap nobody handles (`fault`). */
export function bpDisarm(step: string, address: bigint, descriptor?: string): KernelOp {
  return { op: 'bp-disarm', step, address, ...(descriptor !== undefined ? { descriptor } : {}) };
}

/**
 * text_poke_bp's descriptor: one kernel variable (`bp_desc`) that every text_poke_bp fills with its batch
 * of sites, which is why text_poke_bp must run under text_mutex: a second caller's batch replaces the
 * first's, and its end ends the first's too.
 */
export const BP_DESC = 'bp_desc';
