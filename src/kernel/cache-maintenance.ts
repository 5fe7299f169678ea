// The patcher's own cache maintenance: each instruction as the machine has its CPU execute it.
//
// A hand-written `dc_cvau`, `dsb_ish`, `ic_ivau`, `isb` (or `dcbst`, `sync`, `icbi`, `isync`) is one
// transition each; the built-in primitives (patch_instruction, aarch64_insn_patch_text_nosync) do the
// same instructions back to back in one transition. Both go through `runCacheInsn`, so the built-ins
// are the hand-written steps with nothing in between — not a second model of maintenance.

import { assertNever } from '../base/assert.js';
import type { MaintenanceEvent } from '../machine/step.js';
import { maintenanceStep } from '../machine/step.js';
import type { Draft } from './draft.js';
import type { CacheInsn } from './spec.js';

/** The machine event of one maintenance instruction (the barrier's name is only for readers). */
function event(insn: CacheInsn): MaintenanceEvent {
  switch (insn.kind) {
    case 'clean':
      return { kind: 'cache', op: 'clean', address: insn.address };
    case 'invalidate':
      return { kind: 'cache', op: 'invalidate-icache', address: insn.address };
    case 'barrier':
      return { kind: 'barrier', what: 'dsb ish / sync' };
    case 'context-sync':
      return { kind: 'sync', what: 'context-sync' };
    default:
      return assertNever(insn, 'cache instruction');
  }
}

/**
 * CPU `cpu` executes `insns` in order, as one transition. A clean or invalidate of an address no mapped
 * region holds does nothing (as for a CPU's own `dc cvau` there): the lowering has already checked that
 * every address lies in the image, and a module's text that is not mapped yet is fresh when it is.
 */
export function runCacheInsns(d: Draft, cpu: number, insns: readonly CacheInsn[]): void {
  let s = d.smp;
  for (const insn of insns) s = maintenanceStep(s, d.t.arch, cpu, event(insn), d.t.knobs);
  if (s !== d.smp) d.setSmp(s);
}
