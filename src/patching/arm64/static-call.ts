// arm64 static calls, out of line: a trampoline that never changes, branching through a literal in
// read-only data. An update is one aligned 8-byte store of the literal: no instruction is modified,
// so Arm's concurrent-modification rule never comes into play.
//
//   __SCT__key:  bti c ; adrp x16, lit ; ldr x16, [x16, :lo12:lit] ; br x16
//   lit:         .quad func | __static_call_nop_key (NULL: `ret`) | __static_call_return0_key (`mov x0, #0; ret`)

import type { KernelOp, Target } from '../../kernel/spec.js';
import { literalTarget, staticCallSymbols, updateLiteral, type StaticCallBackend, type StaticCallContext } from '../static-call-backend.js';
import { aarch64InsnWriteLiteralU64 } from './text-patching.js';

function trampolineSource(key: string, initial: Target): string {
  const s = staticCallSymbols(key);
  const fn = (name: string, body: string[]) => [`\t.type ${name}, %function`, `${name}:`, ...body.map((l) => `\t${l}`), `\t.size ${name}, . - ${name}`];
  return [
    `\t.pushsection .text, "ax"`,
    `\t.balign 16`,
    `\t.globl ${s.trampoline}`,
    ...fn(s.trampoline, ['bti c', `adrp x16, ${s.literal}`, `ldr x16, [x16, :lo12:${s.literal}]`, 'br x16']),
    ...fn(s.nop, ['ret']),
    ...fn(s.ret0, ['mov x0, #0', 'ret']),
    `\t.popsection`,
    `\t.pushsection .rodata, "a"`,
    `\t.balign 8`,
    `\t.type ${s.literal}, %object`,
    `${s.literal}:`,
    `\t.quad ${literalTarget(key, initial)}`,
    `\t.size ${s.literal}, 8`,
    `\t.popsection`,
    '',
  ].join('\n');
}

/** static_call_update on arm64: the literal written by aarch64_insn_write_literal_u64 (updateLiteral's steps). */
function update(ctx: StaticCallContext, key: string, _from: Target, to: Target): KernelOp[] | { error: string } {
  return updateLiteral(ctx, key, to, aarch64InsnWriteLiteralU64);
}

export const arm64StaticCallOutOfLine: StaticCallBackend = Object.freeze({
  arch: 'arm64', kind: 'ool', trampolineSource, sites: () => [], update, addModule: () => [],
} satisfies StaticCallBackend);
