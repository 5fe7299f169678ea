// Power static calls: ppc32's out-of-line trampoline (and its inline call sites), and the trampoline
// half that the ppc64 ELFv2 forms (static-call-elfv2.ts) share. Every write is one patch_instruction or
// one patch_ulong.
//
// The trampoline (ppc32; ppc64 puts its TOC set-up first and the literal is a doubleword):
//   inst                      b func | blr (NULL) | b 1f (RET0) | nop (far: fall into the load)
//   lis r12, 2f@ha ; lwz r12, 2f@l(r12) ; mtctr r12 ; bctr
//   1: li r3, 0 ; blr
//   2: .long func             the literal, used only while `inst` is a nop
//
// A far update writes the literal before it turns `inst` into a nop, so a CPU that sees the nop also
// sees the new literal (its load is coherent and comes after the fetch of the nop).

import { u32Bytes } from '../../base/bits.js';
import type { AsmObject } from '../../isa/asm/object.js';
import type { LinkedImage } from '../../isa/asm/link.js';
import type { KernelOp, Target } from '../../kernel/spec.js';
import {
  liveSites, imageBytes, relocationSites, staticCallSymbols, symbolAddress, wrapUpdate,
  type StaticCallBackend, type StaticCallContext, type StaticCallSite,
} from '../static-call-backend.js';
import { inBranchRange, patchBranch, patchInstruction, patchUlong, type PpcArch } from './text-patching.js';

const BLR = 0x4e800020;
const NOP = 0x60000000;
const LI_R3_0 = 0x38600000;

/** Offsets inside the trampoline: the patched instruction, the `li r3,0; blr` pair, the literal. */
export interface TrampolineLayout {
  readonly inst: bigint;
  readonly ret0: bigint;
  readonly data: bigint;
}
const PPC32_LAYOUT: TrampolineLayout = { inst: 0n, ret0: 20n, data: 28n };

/** The patched instruction as the trampoline is assembled for `initial`. */
export function firstWord(initial: Target): string {
  return initial === 'NULL' ? 'blr' : initial === 'RET0' ? 'b 1f' : `b ${initial}`;
}

export const literalValue = (initial: Target) => (initial === 'NULL' || initial === 'RET0' ? '0' : initial);

function ppc32Source(key: string, initial: Target): string {
  const t = staticCallSymbols(key).trampoline;
  return [
    `\t.pushsection .text, "ax"`, `\t.align 5`, `\t.globl ${t}`, `\t.type ${t}, @function`,
    `${t}:`,
    `\t${firstWord(initial)}`,
    `\tlis 12, 2f@ha`, `\tlwz 12, 2f@l(12)`, `\tmtctr 12`, `\tbctr`,
    `1:\tli 3, 0`, `\tblr`,
    `2:\t.long ${literalValue(initial)}`,
    `\t.size ${t}, . - ${t}`, `\t.popsection`, '',
  ].join('\n');
}

export const word = (arch: PpcArch, w: number) => u32Bytes(w, arch === 'ppc32' ? 'big' : 'little');

/** Where a direct branch to a function may go, or undefined when only the literal path will do. */
export type DirectEntry = (name: string, func: bigint) => bigint | undefined;

/**
 * The trampoline half of arch_static_call_transform:
 *   1. check the trampoline's shape (`li r3,0` where the RET0 path must be);
 *   2. a function target with no direct entry (out of range; on ppc64 also another TOC): patch_ulong
 *      the literal FIRST (the function's global entry);
 *   3. patch the first instruction: `blr` (NULL), `b 1f` (RET0), `b entry` (direct), else `nop`.
 */
export function trampolineOps(
  arch: PpcArch, L: TrampolineLayout, image: LinkedImage, key: string, to: Target, direct: DirectEntry,
): KernelOp[] | { error: string } {
  const tramp = symbolAddress(image, staticCallSymbols(key).trampoline);
  if (typeof tramp !== 'bigint') return tramp;
  // 1.
  const ret0 = imageBytes(image, tramp + L.ret0, 4);
  if (!ret0 || word(arch, LI_R3_0).some((b, i) => b !== ret0[i])) return { error: `\`${key}\`'s trampoline does not have the ${arch} static call shape` };
  const inst = tramp + L.inst;
  if (to === 'NULL') return patchInstruction(inst, word(arch, BLR));
  if (to === 'RET0') return patchBranch(arch, inst, tramp + L.ret0);
  const func = symbolAddress(image, to);
  if (typeof func !== 'bigint') return func;
  const entry = direct(to, func);
  if (entry !== undefined && inBranchRange(inst, entry)) return patchBranch(arch, inst, entry);
  // 2. 3.
  return [...patchUlong(arch, tramp + L.data, func), ...patchInstruction(inst, word(arch, NOP))];
}

function ppc32Sites(object: AsmObject, image: LinkedImage, key: string): StaticCallSite[] {
  // Big-endian words: the primary opcode is in the first byte, the LK bit in the last.
  return relocationSites(object, image, staticCallSymbols(key).trampoline, ['R_PPC_REL24'], 0, 4)
    .filter((s) => s.assembled.length === 4 && s.assembled[0] >> 2 === 18)
    .map((s) => ({ address: s.address, tail: (s.assembled[3] & 1) === 0 }));
}

/**
 * The site half (ppc32 inline), for a call site / tail-call site:
 *   NULL → nop / blr;  RET0 → li r3,0 / b tramp+20;  in range → bl func / b func;
 *   beyond ±32 MB → bl tramp / b tramp (the trampoline, already turned far, does the rest).
 */
function siteOps(image: LinkedImage, key: string, site: StaticCallSite, to: Target): KernelOp[] | { error: string } {
  const tramp = image.symbols.get(staticCallSymbols(key).trampoline)!;
  const link = { link: !site.tail };
  if (to === 'NULL') return patchInstruction(site.address, word('ppc32', site.tail ? BLR : NOP));
  if (to === 'RET0') return site.tail ? patchBranch('ppc32', site.address, tramp + PPC32_LAYOUT.ret0) : patchInstruction(site.address, word('ppc32', LI_R3_0));
  const func = symbolAddress(image, to);
  if (typeof func !== 'bigint') return func;
  return patchBranch('ppc32', site.address, inBranchRange(site.address, func) ? func : tramp, link);
}

/**
 * static_call_update on Power:
 *   1. the trampoline (trampolineOps: literal first, then the first instruction);
 *   2. inline keys: each call site in turn, each one patch_instruction.
 * At boot the same writes are made (patch_instruction is the boot path too); inline sites then move
 * from `bl __SCT__key` to the initial target.
 */
function update(inline: boolean, ctx: StaticCallContext, key: string, to: Target): KernelOp[] | { error: string } {
  // 1.
  const ops = trampolineOps('ppc32', PPC32_LAYOUT, ctx.image, key, to, (_name, func) => func);
  if ('error' in ops) return ops;
  const body = [...ops];
  // 2.
  if (inline) {
    for (const site of liveSites(ctx, ppc32Sites(ctx.object, ctx.image, key))) {
      const s = siteOps(ctx.image, key, site, to);
      if ('error' in s) return s;
      body.push(...s);
    }
  }
  return wrapUpdate(key, to, body);
}

/** static_call_add_module on ppc32: each of the module's sites written for the current target (patch_instruction, the only path). */
function addModule(ctx: StaticCallContext, key: string, current: Target): KernelOp[] | { error: string } {
  const ops: KernelOp[] = [];
  for (const site of liveSites(ctx, ppc32Sites(ctx.object, ctx.image, key))) {
    const s = siteOps(ctx.image, key, site, current);
    if ('error' in s) return s;
    ops.push(...s);
  }
  return ops;
}

export const ppc32StaticCallOutOfLine: StaticCallBackend = Object.freeze({
  arch: 'ppc32', kind: 'ool', trampolineSource: ppc32Source, sites: () => [],
  update: (ctx, key, _from, to) => update(false, ctx, key, to), addModule: () => [],
} satisfies StaticCallBackend);

export const ppc32StaticCallInline: StaticCallBackend = Object.freeze({
  arch: 'ppc32', kind: 'inline', trampolineSource: ppc32Source, sites: ppc32Sites,
  update: (ctx, key, _from, to) => update(true, ctx, key, to), addModule,
} satisfies StaticCallBackend);
