// What lowering asks of the patching layer, in one interface: each scenario primitive maps to one entry.
//
// The patching layer owns every protocol (text_poke_bp's six steps, patch_instruction's maintenance, the
// static call back ends). This file only adapts its functions to one result shape, so lowering reports a
// patching error at the statement that asked for it instead of catching exceptions, and so tests can
// substitute a library. An entry the layer does not provide yet answers `missing` (diagnostic PL7024).

import type { ArchName } from '../isa/types.js';
import type { AsmObject } from '../isa/asm/object.js';
import type { LinkedImage } from '../isa/asm/link.js';
import type { BreakpointHandler, KernelOp, Target } from '../kernel/spec.js';
import { assertNever } from '../base/assert.js';
import { flushIcacheRange as arm64FlushIcacheRange } from '../patching/arm64/cacheflush.js';
import { aarch64InsnPatchTextNosync, aarch64InsnWriteLiteralU64 } from '../patching/arm64/text-patching.js';
import { patchInsnWrite, patchText, patchTextNosync } from '../patching/riscv64/text-patching.js';
import { flushIcacheRange as ppcFlushIcacheRange } from '../patching/ppc/cacheflush.js';
import { assembleInsn } from '../patching/assemble-insn.js';
import { patchBranch, patchInstruction, patchUlong } from '../patching/ppc/text-patching.js';
import { jumpLabelTransform, type JumpLabelSite } from '../patching/jump-label.js';
import { staticCallBackend } from '../patching/static-call.js';
import { memcpyStore, textPoke, textPokeEarly } from '../patching/text-poke.js';
import { textPokeBp, textPokeLate } from '../patching/x86-64/text-patching.js';
import type { InsnWrite, ValueWrite } from './ast.js';

export type PatchResult =
  | { readonly ops: readonly KernelOp[] }
  /** The primitive refuses (branch out of range, a form it cannot patch): reported at the statement. */
  | { readonly error: string }
  /** The patching layer has no such function (yet). */
  | { readonly missing: string };

export interface PokeSiteBytes {
  readonly address: bigint;
  readonly insn: Uint8Array;
}

/** One static call back end of one arch (`ool`: out-of-line trampoline; `inline`: call sites patched). */
export interface StaticCallBackendApi {
  /** Inline: call sites are patched to the initial target at boot (static_call_init), before any task runs. */
  readonly inline: boolean;
  /** GNU as source of key `key`'s trampoline `__SCT__<key>`, aimed at `initial`. */
  trampolineSource(key: string, initial: Target): string;
  /** static_call_update(key, to) from `from`; `early` while nothing runs (boot). `live`: the call sites that exist now. */
  update(ctx: BackendContext, key: string, from: Target, to: Target, early: boolean): PatchResult;
  /** static_call_add_module: a loading module's sites (those `live` accepts) written for `current`. */
  addModule(ctx: BackendContext, key: string, current: Target): PatchResult;
}

export interface BackendContext {
  readonly image: LinkedImage;
  readonly object: AsmObject;
  readonly live?: (address: bigint) => boolean;
}

export interface PatchingLibrary {
  assembleInsn(arch: ArchName, text: string, address: bigint, symbols: ReadonlyMap<string, bigint>): { bytes: Uint8Array } | { error: string };
  /** `memcpy`, `text_poke`, `text_poke_early`, `patch_instruction`, `aarch64_insn_patch_text_nosync` of assembled bytes. */
  insnWrite(primitive: InsnWrite, arch: ArchName, address: bigint, bytes: Uint8Array): PatchResult;
  /** `patch_branch` (value = target), `patch_ulong`, `aarch64_insn_write_literal_u64`. */
  valueWrite(primitive: ValueWrite, arch: ArchName, address: bigint, value: bigint): PatchResult;
  textPokeBp(sites: readonly PokeSiteBytes[], handler: BreakpointHandler, skipSync: boolean): PatchResult;
  textPokeLate(sites: readonly PokeSiteBytes[], syncInNmi: boolean): PatchResult;
  /** static_branch_enable/disable's arch part: switch these sites of one key (`skipSync`: the broken variant). */
  jumpLabelTransform(arch: ArchName, sites: readonly JumpLabelSite[], skipSync: boolean): PatchResult;
  /** flush_icache_range(start, end): the arch's maintenance over the range's lines, each instruction a step. */
  flushIcacheRange(arch: ArchName, start: bigint, end: bigint): PatchResult;
  /** The back ends this arch has, by name; `missing` when the layer has no static call support yet. */
  staticCallBackends(arch: ArchName): readonly string[] | { readonly missing: string };
  staticCallBackend(arch: ArchName, name: string): StaticCallBackendApi | undefined;
}

/** The patching layer's primitives assert their alignment (a bug of ours there); a user's bad address is checked here. */
function aligned(what: string, address: bigint, size: number): { error: string } | undefined {
  return address % BigInt(size) === 0n ? undefined : { error: `${what} needs an address aligned to ${size} bytes, not 0x${address.toString(16)}` };
}

const asResult = (r: readonly KernelOp[] | { error: string }): PatchResult => ('error' in r ? r : { ops: r });

function insnWrite(primitive: InsnWrite, arch: ArchName, address: bigint, bytes: Uint8Array): PatchResult {
  switch (primitive) {
    case 'memcpy':
      return { ops: memcpyStore(address, bytes) };
    case 'text_poke':
      return { ops: textPoke(address, bytes) };
    case 'text_poke_early':
      return { ops: textPokeEarly(address, bytes) };
    case 'patch_instruction':
      return aligned(primitive, address, 4) ?? { ops: patchInstruction(address, bytes) };
    case 'aarch64_insn_patch_text_nosync':
      return aligned(primitive, address, 4) ?? { ops: aarch64InsnPatchTextNosync(address, bytes) };
    case 'patch_insn_write':
      return aligned(primitive, address, 4) ?? { ops: patchInsnWrite(address, bytes) };
    case 'patch_text_nosync':
      return aligned(primitive, address, 4) ?? { ops: patchTextNosync(address, bytes) };
    case 'patch_text':
      return aligned(primitive, address, 4) ?? (bytes.length % 4 === 0 ? { ops: patchText(address, bytes) } : { error: `patch_text writes whole 4-byte instructions, not ${bytes.length} bytes` });
    default:
      return assertNever(primitive, 'instruction write');
  }
}

function valueWrite(primitive: ValueWrite, arch: ArchName, address: bigint, value: bigint): PatchResult {
  const ppc = arch === 'ppc32' || arch === 'ppc64' ? arch : undefined;
  switch (primitive) {
    case 'patch_branch':
      return !ppc ? { error: 'not a powerpc scenario' } : (aligned(primitive, address, 4) ?? asResult(patchBranch(ppc, address, value)));
    case 'patch_ulong':
      return !ppc ? { error: 'not a powerpc scenario' } : (aligned(primitive, address, arch === 'ppc32' ? 4 : 8) ?? { ops: patchUlong(ppc, address, value) });
    case 'aarch64_insn_write_literal_u64':
      return aligned(primitive, address, 8) ?? { ops: aarch64InsnWriteLiteralU64(address, value) };
    default:
      return assertNever(primitive, 'value write');
  }
}

const BACKEND_KINDS = ['ool', 'inline', 'ool-module'] as const;

/** The patching layer's functions behind one result shape. */
export const patchingLibrary: PatchingLibrary = {
  assembleInsn,
  insnWrite,
  valueWrite,
  textPokeBp: (sites, handler, skipSync) => ({ ops: textPokeBp(sites, handler, { skipTailSync: skipSync }) }),
  textPokeLate: (sites, syncInNmi) => ({ ops: textPokeLate(sites, { syncInNmi }) }),
  jumpLabelTransform: (arch, sites, skipSync) => asResult(jumpLabelTransform(arch, sites, { skipSync })),
  flushIcacheRange: (arch, start, end) => {
    if (arch === 'arm64') return { ops: arm64FlushIcacheRange(start, end) };
    if (arch === 'ppc32' || arch === 'ppc64') return { ops: ppcFlushIcacheRange(start, end) };
    return { error: `flush_icache_range does nothing on ${arch}` };
  },
  staticCallBackends: (arch) => BACKEND_KINDS.filter((k) => staticCallBackend(arch, k) !== undefined),
  staticCallBackend: (arch, name) => {
    const be = (BACKEND_KINDS as readonly string[]).includes(name) ? staticCallBackend(arch, name as (typeof BACKEND_KINDS)[number]) : undefined;
    return be && {
      inline: be.kind === 'inline',
      trampolineSource: (key, initial) => be.trampolineSource(key, initial),
      update: (ctx, key, from, to, early) => asResult(be.update(ctx, key, from, to, early)),
      addModule: (ctx, key, current) => asResult(be.addModule(ctx, key, current)),
    };
  },
};
