// riscv64 static calls, out of line, in the style of the out-of-tree RISC-V series: a trampoline that
// never changes, jumping through a data slot. An update is one aligned 8-byte store of the slot: no
// instruction is modified, so no hart needs FENCE.I and no fetch can mix parcels.
//
//   __SCT__key:  lla t1, slot ; ld t1, 0(t1) ; jr t1       (t1, not t0: `jr t0` is a return on RISC-V)
//   slot:        .dword func | __static_call_nop_key (NULL: `ret`) | __static_call_return0_key (`li a0, 0; ret`)

import { assert } from '../../base/assert.js';
import { writeUint } from '../../base/bits.js';
import type { KernelOp, Target } from '../../kernel/spec.js';
import { staticCallSymbols, symbolAddress, wrapUpdate, type StaticCallBackend, type StaticCallContext } from '../static-call-backend.js';

/** The symbol whose address the slot holds for `target`. */
function slotTarget(key: string, target: Target): string {
  const s = staticCallSymbols(key);
  return target === 'NULL' ? s.nop : target === 'RET0' ? s.ret0 : target;
}

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
    `\t.dword ${slotTarget(key, initial)}`,
    `\t.size ${s.literal}, 8`,
    `\t.popsection`,
    '',
  ].join('\n');
}

/** The slot's one aligned 8-byte store (WRITE_ONCE of the pointer). */
function writeSlot(address: bigint, value: bigint): KernelOp[] {
  assert(address % 8n === 0n, 'the slot is one aligned doubleword');
  const bytes = new Uint8Array(8);
  writeUint(bytes, 0, 8, BigInt.asUintN(64, value), 'little');
  return [{ op: 'store', step: 'static_call_update: write the slot (one aligned 8-byte store)', address, bytes }];
}

/**
 * static_call_update on riscv64:
 *   1. find the slot and the new target's address (the NULL and RET0 stubs stand for those targets);
 *   2. write the slot with one aligned 8-byte store. Boot does the same store.
 */
function update(ctx: StaticCallContext, key: string, _from: Target, to: Target): KernelOp[] | { error: string } {
  // 1.
  const slot = symbolAddress(ctx.image, staticCallSymbols(key).literal);
  if (typeof slot !== 'bigint') return slot;
  if (slot % 8n !== 0n) return { error: `the slot of \`${key}\` is not 8-byte aligned` };
  const dest = symbolAddress(ctx.image, slotTarget(key, to));
  if (typeof dest !== 'bigint') return dest;
  // 2.
  return wrapUpdate(key, to, writeSlot(slot, dest));
}

export const riscv64StaticCallOutOfLine: StaticCallBackend = Object.freeze({
  arch: 'riscv64', kind: 'ool', trampolineSource, sites: () => [], update, addModule: () => [],
} satisfies StaticCallBackend);
