// ppc64 ELFv2 out-of-line static calls, the two trampolines of Benjamin Gray's series (v3, 2022-10,
// after the review in seed 003): one for the kernel, one for modules. Both are marked
// `.localentry NAME, 1`: a single entry point that does not preserve r2, so the linker makes every
// caller save r2 in its frame before the call and reload it after (and the trampoline may switch TOC).
// Having no local entry, neither can assume r2 holds its TOC on entry, so each finds it:
//
//   `ool` (kernel)                      `ool-module`
//   ld r2, 16(r13)   PACATOC           mflr r11 ; bcl 20,31,0f ; 0: mflr r12 ; mtlr r11
//                                      addi r12, r12, (tramp - 0b)        r12 = the trampoline
//                                      addis r2, r12, (.TOC.-tramp)@ha ; addi r2, r2, (.TOC.-tramp)@l
//   inst                                inst
//   addis r12, r2, 2f@toc@ha            ld r12, (2f - tramp)(r12)
//   ld r12, 2f@toc@l(r12)
//   mtctr r12 ; bctr                    mtctr r12 ; bctr
//   1: li r3, 0 ; blr                   1: li r3, 0 ; blr
//   2: .8byte func (8-aligned)          2: .8byte func (8-aligned)
//
// `inst` is `b func` only when func shares the trampoline's TOC (then to its local entry, where r2 is
// assumed valid); otherwise the literal holds func's global entry and `inst` is a nop, so func gets
// r12 = its global entry and sets up its own TOC. The update order is the ppc32 one (trampolineOps).
// What no trampoline can do is give the caller its r2 back: that is the caller's job (seed 003).

import type { LinkedImage } from '../../isa/asm/link.js';
import type { Target } from '../../kernel/spec.js';
import { imageBytes, staticCallSymbols, wrapUpdate, type StaticCallBackend } from '../static-call-backend.js';
import { firstWord, literalValue, trampolineOps, type TrampolineLayout } from './static-call.js';

/** Offsets of the patched instruction, `li r3,0` and the literal in each form. */
const KERNEL_LAYOUT: TrampolineLayout = { inst: 4n, ret0: 24n, data: 32n };
const MODULE_LAYOUT: TrampolineLayout = { inst: 28n, ret0: 44n, data: 56n };

/** PACATOC: where the kernel's TOC pointer sits in the per-CPU area r13 points at. */
export const PACATOC = 16;

function source(t: string, align: number, body: readonly string[], initial: Target): string {
  return [
    `\t.pushsection .text, "ax"`, `\t.align ${align}`, `\t.globl ${t}`, `\t.type ${t}, @function`,
    `\t.localentry ${t}, 1`,
    `${t}:`,
    ...body,
    `1:\tli 3, 0`, `\tblr`,
    `\t.balign 8`,
    `2:\t.8byte ${literalValue(initial)}`,
    `\t.size ${t}, . - ${t}`, `\t.popsection`, '',
  ].join('\n');
}

function kernelSource(key: string, initial: Target): string {
  const t = staticCallSymbols(key).trampoline;
  return source(t, 5, [
    `\tld 2, ${PACATOC}(13)`,
    `\t${firstWord(initial)}`,
    `\taddis 12, 2, 2f@toc@ha`, `\tld 12, 2f@toc@l(12)`, `\tmtctr 12`, `\tbctr`,
  ], initial);
}

function moduleSource(key: string, initial: Target): string {
  const t = staticCallSymbols(key).trampoline;
  return source(t, 6, [
    `\tmflr 11`, `\tbcl 20, 31, 0f`, `0:\tmflr 12`, `\tmtlr 11`, `\taddi 12, 12, (${t} - 0b)`,
    `\taddis 2, 12, (.TOC.-${t})@ha`, `\taddi 2, 2, (.TOC.-${t})@l`,
    `\t${firstWord(initial)}`,
    `\tld 12, (2f - ${t})(12)`, `\tmtctr 12`, `\tbctr`,
  ], initial);
}

const sext16 = (v: number) => BigInt((v << 16) >> 16);

/**
 * The TOC a function's global entry sets up, read from its first two words (ppc_function_toc):
 *   addis r2, r12, hi ; addi r2, r2, lo    → func + (hi << 16) + lo    (r12 = func at the global entry)
 *   lis r2, hi        ; addi r2, r2, lo    → (hi << 16) + lo
 * undefined when it starts with neither: it sets up no TOC of its own.
 */
export function functionToc(image: LinkedImage, func: bigint): bigint | undefined {
  const b = imageBytes(image, func, 8);
  if (!b) return undefined;
  const view = new DataView(b.buffer, b.byteOffset);
  const [w1, w2] = [view.getUint32(0, true), view.getUint32(4, true)];
  if (w2 >>> 16 !== 0x3842) return undefined; // addi r2, r2, …
  const hi = sext16(w1 & 0xffff) << 16n, lo = sext16(w2 & 0xffff);
  if (w1 >>> 16 === 0x3c4c) return func + hi + lo; // addis r2, r12, …
  if (w1 >>> 16 === 0x3c40) return hi + lo; // lis r2, …
  return undefined;
}

/**
 * shares_toc, then ppc_function_entry: a direct branch is allowed to a function that sets up the
 * trampoline's own TOC (to its local entry: r2 is already right) or none at all (it does not use
 * one). The series assumes every kernel function shares the kernel TOC and reads the entry sequence
 * only for modules; one image here has one `.TOC.`, so the sequence is read for every target.
 */
function directEntry(image: LinkedImage) {
  return (name: string, func: bigint): bigint | undefined => {
    const toc = functionToc(image, func);
    if (toc !== undefined && toc !== image.tocBase) return undefined;
    return func + BigInt(image.localEntries.get(name) ?? 0);
  };
}

function backend(kind: 'ool' | 'ool-module', L: TrampolineLayout, trampolineSource: StaticCallBackend['trampolineSource']): StaticCallBackend {
  return Object.freeze({
    arch: 'ppc64', kind, trampolineSource, sites: () => [], addModule: () => [],
    update: (ctx, key, _from, to) => {
      const ops = trampolineOps('ppc64', L, ctx.image, key, to, directEntry(ctx.image));
      return 'error' in ops ? ops : wrapUpdate(key, to, ops);
    },
  } satisfies StaticCallBackend);
}

/** The kernel's trampoline: r2 from the paca (the scenario gives r13 a `paca` with the TOC at PACATOC). */
export const ppc64StaticCallOutOfLine = backend('ool', KERNEL_LAYOUT, kernelSource);

/** A module's trampoline: r2 computed from its own address, found with `bcl 20,31`. */
export const ppc64StaticCallOutOfLineModule = backend('ool-module', MODULE_LAYOUT, moduleSource);
