// Shared by the machine tests: one source line to a decoded instruction, a register file as readable hex.

import { expect } from 'vitest';
import { assemble, textBytes } from '../../src/isa/asm/assembler.js';
import type { Isa } from '../../src/isa/types.js';
import { Memory } from '../../src/machine/memory.js';

/** Assemble `src` (one instruction) with patchlab and decode it again; fails the test if either step fails. */
export function decodeOne<I>(isa: Isa<I>, src: string): I {
  const asm = assemble(src + '\n', isa, 'case.s');
  expect(asm.diagnostics.map((d) => d.message)).toEqual([]);
  const insn = isa.decode(textBytes(asm.object), 0);
  expect(insn, src).toBeDefined();
  return insn!;
}

/** Every register (and pc) as hex, so a failed comparison shows which one differs. */
export function registerView(names: readonly string[], regs: BigUint64Array, pc: bigint): Record<string, string> {
  const hex = (v: bigint) => '0x' + v.toString(16);
  const out: Record<string, string> = { pc: hex(pc) };
  names.forEach((n, i) => (out[n] = hex(regs[i])));
  return out;
}

/** Where the execute tests put their instruction (text) and their data. */
export const PC0 = 0x1000n;
export const DATA = 0x2000n;

/** Text (read-execute) at PC0 = 0x1000, data (read-write) at DATA = 0x2000, each 4 KiB: every arch's execute tests. */
export function execMemory(): Memory {
  return Memory.create([
    { name: 'text', kind: 'text', base: Number(PC0), size: 0x1000, phys: 0, perms: { read: true, write: false, exec: true } },
    { name: 'data', kind: 'data', base: Number(DATA), size: 0x1000, phys: 0x1000, perms: { read: true, write: true, exec: false } },
  ], 0x2000);
}
