// Jump labels: the two forms of a static_branch site on each arch, and each arch's protocol for
// switching a key's sites between them (what static_branch_enable/disable run after the generic code
// has decided which sites change).
//
// Usage: lowering reads a key's sites from `__jump_table` and, for static_branch_enable(key), asks
// `jumpLabelTransform(arch, sites)` with each site's new type (`jump` where the key's new value differs
// from the site's branch bit, else `nop`). The result is the patcher's steps; the generic part (update
// begin and end, skipping a key already in that state) is the caller's. Text poking knows nothing of keys.

import type { ArchName } from '../isa/types.js';
import type { KernelOp } from '../kernel/spec.js';
import { aarch64InsnPatchTextNosync } from './arm64/text-patching.js';
import { assembleInsn } from './assemble-insn.js';
import { patchBranch, patchInstruction } from './ppc/text-patching.js';
import { flushIcacheAll, patchInsnWrite } from './riscv64/text-patching.js';
import { textPokeBp } from './x86-64/text-patching.js';

/** One static_branch site to switch. */
export interface JumpLabelSite {
  readonly address: bigint;
  /** Its jump target (`l_yes`). */
  readonly target: bigint;
  /** The site's instruction length as built (x86: 2 or 5, the kernel's arch_jump_entry_size; else 4). */
  readonly length: number;
  /** What the site becomes: the kernel's JUMP_LABEL_JMP or JUMP_LABEL_NOP. */
  readonly type: 'jump' | 'nop';
}

export interface JumpLabelOptions {
  /** The broken variant: leave out the synchronization after the writes (x86: text_poke_bp's step 4; arm64: kick_all_cpus_sync). */
  readonly skipSync?: boolean;
}

/** The kernel's x86 nops of 2 and 5 bytes (x86_nops[2], x86_nops[5]). */
const X86_NOPS: Readonly<Record<number, readonly number[]>> = { 2: [0x66, 0x90], 5: [0x0f, 0x1f, 0x44, 0x00, 0x00] };

/**
 * The site's two forms on `arch`: the jump to its target and the nop, each of the site's length.
 * x86 (the kernel's __jump_label_patch): a 2-byte site is `jmp rel8` / 2-byte nop, a 5-byte site
 * `jmp rel32` / 5-byte nop; arm64: `b target` / `nop`; ppc: `b target` / `nop` (ori 0,0,0).
 */
export function jumpLabelForms(arch: ArchName, site: Pick<JumpLabelSite, 'address' | 'target' | 'length'>): { jump: Uint8Array; nop: Uint8Array } | { error: string } {
  const at = `the static_branch site at 0x${site.address.toString(16)}`;
  if (arch === 'x86-64') {
    const nop = X86_NOPS[site.length];
    if (!nop) return { error: `${at} is ${site.length} bytes; x86 jump labels are 2 or 5 bytes` };
    const rel = site.target - (site.address + BigInt(site.length));
    const bytes = new Uint8Array(site.length);
    if (site.length === 2) {
      if (rel < -128n || rel > 127n) return { error: `${at} is 2 bytes, but its target 0x${site.target.toString(16)} is beyond a rel8 jump` };
      bytes.set([0xeb, Number(BigInt.asUintN(8, rel))]);
    } else {
      if (rel < -(1n << 31n) || rel >= 1n << 31n) return { error: `${at}: its target is beyond a rel32 jump` };
      const r = BigInt.asUintN(32, rel);
      bytes.set([0xe9, Number(r & 0xffn), Number((r >> 8n) & 0xffn), Number((r >> 16n) & 0xffn), Number(r >> 24n)]);
    }
    return { jump: bytes, nop: Uint8Array.from(nop) };
  }
  if (site.length !== 4) return { error: `${at} is ${site.length} bytes; ${arch} jump labels are one 4-byte word` };
  const symbols = new Map([['__jump_label_target', site.target]]);
  if (arch === 'riscv64') {
    // The kernel's RISCV_INSN_JAL with rd = zero (`j`) and its 4-byte nop, never the compressed forms.
    const jump = assembleInsn(arch, '.option norvc\njal zero, __jump_label_target', site.address, symbols);
    const nop = assembleInsn(arch, '.option norvc\nnop', site.address, symbols);
    if ('error' in jump) return { error: `${at}: ${jump.error}` };
    if ('error' in nop) return { error: `${at}: ${nop.error}` };
    return { jump: jump.bytes, nop: nop.bytes };
  }
  const jump = assembleInsn(arch, 'b __jump_label_target', site.address, symbols);
  const nop = assembleInsn(arch, 'nop', site.address, symbols);
  if ('error' in jump) return { error: `${at}: ${jump.error}` };
  if ('error' in nop) return { error: `${at}: ${nop.error}` };
  return { jump: jump.bytes, nop: nop.bytes };
}

/** The protocol that switches `sites` on `arch` (jump_label_update's arch part), or why it cannot. */
export function jumpLabelTransform(arch: ArchName, sites: readonly JumpLabelSite[], options: JumpLabelOptions = {}): KernelOp[] | { error: string } {
  const forms: { site: JumpLabelSite; insn: Uint8Array }[] = [];
  for (const site of sites) {
    const f = jumpLabelForms(arch, site);
    if ('error' in f) return f;
    forms.push({ site, insn: site.type === 'jump' ? f.jump : f.nop });
  }
  if (forms.length === 0) return [];
  switch (arch) {
    case 'x86-64':
      return x86JumpLabelBatch(forms, options);
    case 'arm64':
      return arm64JumpLabelBatch(forms, options);
    case 'ppc32':
    case 'ppc64':
      return ppcJumpLabelTransform(arch, forms);
    case 'riscv64':
      return riscvJumpLabelBatch(forms, options);
  }
}

/**
 * x86 (HAVE_JUMP_LABEL_BATCH): arch_jump_label_transform_queue queues each site's new form with
 * text_poke_queue (bookkeeping under text_mutex: no CPU can tell), then arch_jump_label_transform_apply
 * runs text_poke_finish, one text_poke_bp batch over them all:
 *   1. take text_mutex;
 *   2. text_poke_bp_batch over the queued sites (INT3, sync, tails, sync, first bytes, sync);
 *   3. release text_mutex.
 */
function x86JumpLabelBatch(forms: readonly { site: JumpLabelSite; insn: Uint8Array }[], options: JumpLabelOptions): KernelOp[] {
  return [
    // 1.
    { op: 'mutex-lock', step: 'arch_jump_label_transform_apply: take text_mutex', mutex: 'text_mutex' },
    // 2.
    ...textPokeBp(forms.map((f) => ({ address: f.site.address, insn: f.insn })), { kind: 'emulate' }, { skipTailSync: options.skipSync }),
    // 3.
    { op: 'mutex-unlock', step: 'arch_jump_label_transform_apply: release text_mutex', mutex: 'text_mutex' },
  ];
}

/**
 * arm64 (HAVE_JUMP_LABEL_BATCH): `b` and `nop` are both in the set Arm allows to change under a running
 * CPU, so each site is written live, and one IPI round makes every CPU take the new code:
 *   1. arch_jump_label_transform_queue: aarch64_insn_patch_text_nosync of each site (store, then
 *      DC CVAU / DSB / IC IVAU / DSB);
 *   2. arch_jump_label_transform_apply: kick_all_cpus_sync — an IPI to every other CPU, waited for;
 *      its exception entry and return are the context synchronization that binds the new words.
 */
function arm64JumpLabelBatch(forms: readonly { site: JumpLabelSite; insn: Uint8Array }[], options: JumpLabelOptions): KernelOp[] {
  // 1.
  const ops = forms.flatMap((f) => aarch64InsnPatchTextNosync(f.site.address, f.insn));
  // 2.
  if (!options.skipSync) ops.push({ op: 'sync-core', step: 'arch_jump_label_transform_apply: kick_all_cpus_sync' });
  return ops;
}

/**
 * riscv64 (HAVE_JUMP_LABEL_BATCH): `jal zero` and `nop` are each one aligned 4-byte word, written live;
 * one round of FENCE.I makes every hart take them:
 *   1. arch_jump_label_transform_queue, for each site: take text_mutex, patch_insn_write of the new
 *      instruction (one aligned store, no FENCE.I), release text_mutex;
 *   2. arch_jump_label_transform_apply: flush_icache_all — FENCE.I on every other hart, by IPI.
 * Whether a hart may fetch one parcel of the old instruction and one of the new meanwhile is the
 * `riscv.ziccif` question (MODEL.md section 3); `skipSync` leaves out step 2 (the Ziccid RFC's proposal).
 */
function riscvJumpLabelBatch(forms: readonly { site: JumpLabelSite; insn: Uint8Array }[], options: JumpLabelOptions): KernelOp[] {
  const ops: KernelOp[] = [];
  for (const f of forms) {
    // 1.
    ops.push(
      { op: 'mutex-lock', step: 'arch_jump_label_transform_queue: take text_mutex', mutex: 'text_mutex' },
      ...patchInsnWrite(f.site.address, f.insn, 'arch_jump_label_transform_queue: patch_insn_write'),
      { op: 'mutex-unlock', step: 'arch_jump_label_transform_queue: release text_mutex', mutex: 'text_mutex' },
    );
  }
  // 2.
  if (!options.skipSync) ops.push(...flushIcacheAll('arch_jump_label_transform_apply: flush_icache_all'));
  return ops;
}

/**
 * powerpc (no batching): arch_jump_label_transform for each site in turn — patch_branch to the target
 * for a jump, patch_instruction of `nop` otherwise; each completes its own dcbst/sync/icbi/sync.
 */
function ppcJumpLabelTransform(arch: 'ppc32' | 'ppc64', forms: readonly { site: JumpLabelSite; insn: Uint8Array }[]): KernelOp[] | { error: string } {
  const ops: KernelOp[] = [];
  for (const f of forms) {
    const r = f.site.type === 'jump' ? patchBranch(arch, f.site.address, f.site.target) : patchInstruction(f.site.address, f.insn);
    if ('error' in r) return r;
    ops.push(...r);
  }
  return ops;
}
