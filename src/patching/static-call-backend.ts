// What every static call back end provides, and the few facts they share (symbol names, finding sites).
//
// Usage, as the scenario layer drives it:
//   const be = staticCallBackend('ppc32', 'inline');
//   source += be.trampolineSource('sc', 'func_a');          // with the user's code, then assemble + link
//   const boot = be.update({ image, object }, 'sc', 'func_a', 'func_a', true);   // inline: sites at boot
//   const ops = be.update({ image, object }, 'sc', 'func_a', 'func_b');          // the patcher's steps
//   const load = be.addModule({ image, object, live: inModule }, 'sc', 'func_b');  // a module's sites at load
//   be.update({ image, object, live: loaded }, 'sc', 'func_b', 'func_c');          // skips unloaded / freed sites
// A back end knows its arch's byte forms and update order; the text writes themselves are the arch's
// text-patching primitives, which know nothing of static calls.

import type { AsmObject } from '../isa/asm/object.js';
import type { LinkedImage } from '../isa/asm/link.js';
import { displaySymbol } from '../isa/asm/object.js';
import type { ArchName } from '../isa/types.js';
import type { KernelOp, Target } from '../kernel/spec.js';

export interface StaticCallContext {
  readonly image: LinkedImage;
  readonly object: AsmObject;
  /**
   * Which call sites exist now, by address: a site in a module not loaded, or in init text already freed,
   * is skipped, as the kernel's site tables skip them. Absent: every site.
   */
  readonly live?: (address: bigint) => boolean;
}

export interface StaticCallSite {
  readonly address: bigint;
  /** A tail call (`jmp __SCT__k` / `b __SCT__k`): it becomes a jump or a return, never a call. */
  readonly tail: boolean;
}

export interface StaticCallBackend {
  readonly arch: ArchName;
  /** `ool`: an out-of-line trampoline (ppc64: the kernel's); `inline`: call sites patched too; `ool-module`: ppc64's module trampoline. */
  readonly kind: 'ool' | 'inline' | 'ool-module';
  /** GNU-as source appended to the user's code: the key's trampoline `__SCT__<key>` (and literal, ret0 stub…), initialised for `initial`. Symbols the user must define (targets) are referenced by name. */
  trampolineSource(key: string, initial: Target): string;
  /** Inline back ends: the call sites of `key` in the linked image, found as objtool does — from relocations against `__SCT__<key>` in executable sections. Out-of-line back ends have none. */
  sites(object: AsmObject, image: LinkedImage, key: string): StaticCallSite[];
  /** static_call_update(key, to) as the kernel does it on this arch, given the key's current target: update-begin … update-end around the protocol's ops. Boot-time (`early`) patches while nothing runs. */
  update(ctx: StaticCallContext, key: string, from: Target, to: Target, early?: boolean): KernelOp[] | { error: string };
  /**
   * static_call_add_module: a module is being loaded and nothing runs in it yet; its call sites of `key`
   * (those `ctx.live` accepts) are written for the key's `current` target, with the early path, no
   * update-begin/end (the key does not change). Out-of-line back ends have no sites: no ops.
   */
  addModule(ctx: StaticCallContext, key: string, current: Target): KernelOp[] | { error: string };
}

/** The sites `ctx.live` accepts. */
export function liveSites(ctx: StaticCallContext, sites: readonly StaticCallSite[]): StaticCallSite[] {
  return ctx.live ? sites.filter((s) => ctx.live!(s.address)) : [...sites];
}

/** The symbols a back end generates for `key`. Stubs are per key, so several keys can share one file. */
export function staticCallSymbols(key: string) {
  return {
    trampoline: `__SCT__${key}`,
    /** The key itself (static_call_key): its `func` word, which static_call_query reads. */
    key: `__SCK__${key}`,
    /** Where the trampoline loads its target from (arm64 `.rodata`; ppc inside the trampoline). */
    literal: `__SCT__${key}_literal`,
    /** `__static_call_return0` for this key: returns 0. */
    ret0: `__static_call_return0_${key}`,
    /** arm64: what a NULL target's literal points at: returns at once. */
    nop: `__static_call_nop_${key}`,
  } as const;
}

export function symbolAddress(image: LinkedImage, name: string): bigint | { error: string } {
  return image.symbols.get(name) ?? { error: `symbol \`${name}\` is not defined in the image` };
}

/**
 * objtool's view of call sites: every relocation of `types` against `symbol` in an executable section,
 * as the address of the instruction holding it (`fieldOffset` bytes before the relocated field), with
 * the instruction's first `size` bytes as assembled — its link-time form, whatever patches did since.
 */
export function relocationSites(
  object: AsmObject, image: LinkedImage, symbol: string, types: readonly string[], fieldOffset: number, size: number,
): { address: bigint; assembled: Uint8Array }[] {
  const out: { address: bigint; assembled: Uint8Array }[] = [];
  for (const s of object.sections) {
    if (!s.flags.includes('x')) continue;
    const linked = image.sections.find((l) => l.name === s.name);
    if (!linked) continue;
    for (const r of s.relocations) {
      if (displaySymbol(r.symbol) !== symbol || !types.includes(r.type)) continue;
      const offset = r.offset - fieldOffset;
      out.push({ address: linked.address + BigInt(offset), assembled: s.bytes.slice(offset, offset + size) });
    }
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** The linked bytes at [address, address+size), or undefined outside every section. */
export function imageBytes(image: LinkedImage, address: bigint, size: number): Uint8Array | undefined {
  for (const s of image.sections) {
    const off = address - s.address;
    if (off >= 0n && off + BigInt(size) <= BigInt(s.bytes.length)) return s.bytes.slice(Number(off), Number(off) + size);
  }
  return undefined;
}

/** The symbol whose address an out-of-line trampoline's literal holds for `target`: the function, or the NULL / RET0 stub. */
export function literalTarget(key: string, target: Target): string {
  const s = staticCallSymbols(key);
  return target === 'NULL' ? s.nop : target === 'RET0' ? s.ret0 : target;
}

/**
 * static_call_update through a trampoline's literal (arm64's and riscv64's out-of-line back ends):
 *   1. find the literal and the new target's address (the NULL and RET0 stubs stand for those targets);
 *   2. write the literal with `write`: one aligned 8-byte store, the arch's.
 * No instruction changes. Boot does the same store.
 */
export function updateLiteral(ctx: StaticCallContext, key: string, to: Target, write: (literal: bigint, value: bigint) => KernelOp[]): KernelOp[] | { error: string } {
  // 1.
  const lit = symbolAddress(ctx.image, staticCallSymbols(key).literal);
  if (typeof lit !== 'bigint') return lit;
  if (lit % 8n !== 0n) return { error: `the literal of \`${key}\` is not 8-byte aligned` };
  const dest = symbolAddress(ctx.image, literalTarget(key, to));
  if (typeof dest !== 'bigint') return dest;
  // 2.
  return wrapUpdate(key, to, write(lit, dest));
}

/** update-begin, the text_mutex section around `body`, update-end. */
export function wrapUpdate(key: string, to: Target, body: readonly KernelOp[]): KernelOp[] {
  return [
    { op: 'update-begin', step: 'static_call_update: begin', key, target: to },
    { op: 'mutex-lock', step: 'static_call_update: take text_mutex', mutex: 'text_mutex' },
    ...body,
    { op: 'mutex-unlock', step: 'static_call_update: release text_mutex', mutex: 'text_mutex' },
    { op: 'update-end', step: 'static_call_update: return', key },
  ];
}
