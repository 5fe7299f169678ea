// riscv64 static calls, out of line, in the style of the out-of-tree RISC-V series: a trampoline that
// never changes, jumping through a data slot. An update is one aligned 8-byte store of the slot: no
// instruction is modified, so no hart needs FENCE.I and no fetch can mix parcels.
//
//   __SCT__key:  lla t1, slot ; ld t1, 0(t1) ; jr t1       (t1, not t0: `jr t0` is a return on RISC-V)
//   slot:        .dword func | __static_call_nop_key (NULL: `ret`) | __static_call_return0_key (`li a0, 0; ret`)

import { writeUint } from '../../base/bits.js';
import type { KernelOp, Target } from '../../kernel/spec.js';
import { literalTarget, staticCallSymbols, updateLiteral, type StaticCallBackend, type StaticCallContext } from '../static-call-backend.js';
import { storePieces } from '../text-poke.js';

function trampolineSource(key: string, initial: Target): string {
  const s = staticCallSymbols(key);
  const fn = (name: string, body: string[]) => [`\t.type ${name}, @function`, `${name}:`, ...body.map((l) => `\t${l}`), `\t.size ${name}, . - ${name}`];
  return [
    `\t.pushsection .text, "ax"`,
    `\t.balign 4`,
    `\t.globl ${s.trampoline}`,
    ...fn(s.trampoline, [`lla t1, ${s.literal}`, 'ld t1, 0(t1)', 'jr t1']),
    ...fn(s.nop, ['ret']),
    ...fn(s.ret0, ['li a0, 0', 'ret']),
    `\t.popsection`,
    `\t.pushsection .rodata, "a"`,
    `\t.balign 8`,
    `\t.type ${s.literal}, @object`,
    `${s.literal}:`,
    `\t.dword ${literalTarget(key, initial)}`,
    `\t.size ${s.literal}, 8`,
    `\t.popsection`,
    '',
  ].join('\n');
}

/** The slot's one aligned 8-byte store (WRITE_ONCE of the pointer). */
function writeSlot(address: bigint, value: bigint): KernelOp[] {
  const bytes = new Uint8Array(8);
  writeUint(bytes, 0, 8, BigInt.asUintN(64, value), 'little');
  return storePieces('static_call_update: write the slot (one aligned 8-byte store)', address, bytes);
}

/** static_call_update on riscv64: the slot written by one aligned store (updateLiteral's steps). */
function update(ctx: StaticCallContext, key: string, _from: Target, to: Target): KernelOp[] | { error: string } {
  return updateLiteral(ctx, key, to, writeSlot);
}

export const riscv64StaticCallOutOfLine: StaticCallBackend = Object.freeze({
  arch: 'riscv64', kind: 'ool', trampolineSource, sites: () => [], update, addModule: () => [],
} satisfies StaticCallBackend);
