// x86-64 static calls: the out-of-line trampoline `jmp rel32; ud1` and inline call sites, both changed
// with text_poke_bp (text_poke_early at boot).
//
// The byte forms, by where the 5 bytes are and what the key's target is:
//
//   where            function      NULL                   RET0
//   trampoline       jmp func      ret; int3 × 4          jmp __static_call_return0
//   call site        call func     5-byte NOP             cs cs cs xor %eax,%eax  (INT3 emulates the call)
//   tail-call site   jmp func      ret; int3 × 4          jmp __static_call_return0
//
// A trampoline defined NULL starts as `ret; int3; nop; nop; nop`; an update to NULL writes `ret; int3 × 4`.
// Either way only the first byte runs. Every trampoline ends in `ud1 %esp,%ecx`, the signature checked
// before it is patched.

import type { AsmObject } from '../../isa/asm/object.js';
import type { LinkedImage } from '../../isa/asm/link.js';
import type { KernelOp, Target } from '../../kernel/spec.js';
import { assembleInsn } from '../assemble-insn.js';
import {
  imageBytes, liveSites, relocationSites, staticCallSymbols, symbolAddress, wrapUpdate,
  type StaticCallBackend, type StaticCallContext, type StaticCallSite,
} from '../static-call-backend.js';
import { sameBytes, textPokeEarly } from '../text-poke.js';
import { textPokeBp, type PokeSite } from './text-patching.js';

const NOP5 = Uint8Array.of(0x0f, 0x1f, 0x44, 0x00, 0x00);
const XOR5RAX = Uint8Array.of(0x2e, 0x2e, 0x2e, 0x31, 0xc0);
const RETINSN = Uint8Array.of(0xc3, 0xcc, 0xcc, 0xcc, 0xcc);
const TRAMP_UD = Uint8Array.of(0x0f, 0xb9, 0xcc);
const CALL = 0xe8;
const JMP32 = 0xe9;

type Role = 'trampoline' | 'call' | 'tail';

function trampolineSource(key: string, initial: Target): string {
  const s = staticCallSymbols(key);
  const body = initial === 'NULL' ? 'ret; int3; nop; nop; nop'
    : `.byte 0xe9; .long ${initial === 'RET0' ? s.ret0 : initial} - (. + 4)`;
  return [
    `\t.pushsection .static_call.text, "ax"`,
    `\t.balign 4`,
    `\t.globl ${s.trampoline}`,
    `\t.type ${s.trampoline}, @function`,
    `${s.trampoline}:`,
    ...body.split('; ').map((l) => `\t${l}`),
    `\tud1 %esp, %ecx`,
    `\t.size ${s.trampoline}, . - ${s.trampoline}`,
    `\t.popsection`,
    `\t.pushsection .text, "ax"`,
    `\t.type ${s.ret0}, @function`,
    `${s.ret0}:`,
    `\txor %eax, %eax`,
    `\tret`,
    `\t.size ${s.ret0}, . - ${s.ret0}`,
    `\t.popsection`,
    '',
  ].join('\n');
}

/** The 5 bytes for `to` at `address` in role `role`, and what the INT3 handler emulates meanwhile if not those. */
function form(image: LinkedImage, key: string, address: bigint, role: Role, to: Target): { insn: Uint8Array; emulate?: Uint8Array } | { error: string } {
  if (to === 'NULL') return { insn: role === 'call' ? NOP5 : RETINSN };
  const dest = to === 'RET0' ? staticCallSymbols(key).ret0 : to;
  const r = assembleInsn('x86-64', `${role === 'call' ? 'call' : 'jmp'} ${dest}`, address, image.symbols);
  if ('error' in r) return r;
  if (r.bytes.length !== 5) return { error: `\`${dest}\` did not assemble to a 5-byte rel32 form` };
  if (to === 'RET0' && role === 'call') return { insn: XOR5RAX, emulate: r.bytes };
  return { insn: r.bytes };
}

function sites(object: AsmObject, image: LinkedImage, key: string): StaticCallSite[] {
  const tramp = staticCallSymbols(key).trampoline;
  return relocationSites(object, image, tramp, ['R_X86_64_PLT32', 'R_X86_64_PC32'], 1, 1)
    .filter((s) => s.assembled[0] === CALL || s.assembled[0] === JMP32)
    .map((s) => ({ address: s.address, tail: s.assembled[0] === JMP32 }));
}

/**
 * static_call_update on x86-64 (the kernel's arch_static_call_transform for the trampoline, then, for
 * inline keys, for every site):
 *   1. check the trampoline's signature (`ud1` after the jump) and each site's link-time form;
 *   2. compute each place's new bytes and, from the key's current target, its current bytes;
 *   3. live: one batched text_poke_bp over every place whose bytes change;
 *      boot (`early`): text_poke_early for each, nothing running yet.
 */
function update(inline: boolean, ctx: StaticCallContext, key: string, from: Target, to: Target, early = false): KernelOp[] | { error: string } {
  const { image, object } = ctx;
  const tramp = symbolAddress(image, staticCallSymbols(key).trampoline);
  if (typeof tramp !== 'bigint') return tramp;
  // 1.
  const sig = imageBytes(image, tramp + 5n, 3);
  if (!sig || !sameBytes(sig, TRAMP_UD)) return { error: `trampoline of \`${key}\` lacks its ud1 signature` };
  const places: { address: bigint; role: Role }[] = [{ address: tramp, role: 'trampoline' }];
  if (inline) for (const s of liveSites(ctx, sites(object, image, key))) places.push({ address: s.address, role: s.tail ? 'tail' : 'call' });
  // 2.
  const pokes: PokeSite[] = [];
  for (const p of places) {
    const next = form(image, key, p.address, p.role, to);
    if ('error' in next) return next;
    const was = early ? { insn: imageBytes(image, p.address, 5)! } : form(image, key, p.address, p.role, from);
    if ('error' in was) return was;
    pokes.push({ address: p.address, insn: next.insn, current: was.insn, emulate: next.emulate });
  }
  // 3.
  if (!early) return wrapUpdate(key, to, textPokeBp(pokes));
  return wrapUpdate(key, to, pokes.filter((p) => !sameBytes(p.current!, p.insn)).flatMap((p) => textPokeEarly(p.address, p.insn)));
}

/**
 * static_call_add_module on x86-64: each of the module's sites still has its link-time bytes (`call` /
 * `jmp __SCT__key`); write the form for the key's current target with text_poke_early, skipping a site
 * whose bytes already are that form.
 */
function addModule(ctx: StaticCallContext, key: string, current: Target): KernelOp[] | { error: string } {
  const ops: KernelOp[] = [];
  for (const s of liveSites(ctx, sites(ctx.object, ctx.image, key))) {
    const next = form(ctx.image, key, s.address, s.tail ? 'tail' : 'call', current);
    if ('error' in next) return next;
    if (!sameBytes(imageBytes(ctx.image, s.address, 5)!, next.insn)) ops.push(...textPokeEarly(s.address, next.insn));
  }
  return ops;
}

export const x86StaticCallOutOfLine: StaticCallBackend = Object.freeze({
  arch: 'x86-64',
  kind: 'ool',
  trampolineSource,
  sites: () => [],
  update: (ctx, key, from, to, early) => update(false, ctx, key, from, to, early),
  addModule: () => [],
} satisfies StaticCallBackend);

export const x86StaticCallInline: StaticCallBackend = Object.freeze({
  arch: 'x86-64',
  kind: 'inline',
  trampolineSource,
  sites,
  update: (ctx, key, from, to, early) => update(true, ctx, key, from, to, early),
  addModule,
} satisfies StaticCallBackend);
