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
export function bpArm(step: string, address: bigint, insn: Uint8Array, handler: BreakpointHandler): KernelOp {
  return { op: 'bp-arm', step, address, insn, handler };
}

/** Disarm it: from this step a breakpoint trap at `address` is a trap nobody handles (`fault`). */
export function bpDisarm(step: string, address: bigint): KernelOp {
  return { op: 'bp-disarm', step, address };
}
