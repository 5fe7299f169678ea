// AAPCS64 as prepareCall sets it up: x0…x7, the return address in x30, stacked arguments and SP alignment.
import { describe, expect, it } from 'vitest';
import { newCpu } from '../cpu.js';
import { dataBus } from '../load.js';
import { Memory } from '../memory.js';
import { arm64Machine } from './index.js';
import { LR, SP } from './registers.js';

const STACK = 0x8000;

function call(args: bigint[], stackTop: bigint) {
  const memory = Memory.create([
    { name: 'stack', kind: 'stack', base: STACK, size: 0x1000, phys: 0, perms: { read: true, write: true, exec: false } },
  ], 0x1000);
  for (let i = 0; i < 0x1000; i++) memory.writePhys(i, Uint8Array.of(0xee));
  const bus = dataBus(memory, 'little');
  const cpu = newCpu(arm64Machine.registers.names.length);
  const fault = arm64Machine.abi.prepareCall(cpu, 0x10040n, args, 0x7ff00000n, stackTop, bus);
  return { cpu, fault, word: (at: bigint) => bus.load(at, 8) };
}

describe('AAPCS64', () => {
  it('passes x0…x7, returns in x0 through x30, with SP 16-byte aligned', () => {
    const { cpu, fault } = call([1n, 2n, -1n], 0x8f48n);
    expect(fault).toBeUndefined();
    expect([cpu.regs[0], cpu.regs[1], cpu.regs[2], cpu.regs[3]]).toEqual([1n, 2n, 0xffff_ffff_ffff_ffffn, 0n]);
    expect(cpu.regs[LR]).toBe(0x7ff00000n);
    expect(cpu.pc).toBe(0x10040n);
    expect(cpu.regs[SP]).toBe(0x8f40n);
  });

  it('puts arguments past the eighth in 8-byte slots from [sp] up, keeping SP aligned', () => {
    const args = Array.from({ length: 11 }, (_, i) => BigInt(i + 1));
    const { cpu, word } = call(args, 0x8f40n);
    expect(cpu.regs[7]).toBe(8n);
    expect(cpu.regs[8]).toBe(0n);
    const sp = cpu.regs[SP];
    expect(sp).toBe(0x8f40n - 32n);
    expect([word(sp), word(sp + 8n), word(sp + 16n)]).toEqual([9n, 10n, 11n]);
  });

  it('reports a stack that cannot hold the stacked arguments', () => {
    const { fault } = call(Array.from({ length: 10 }, () => 0n), BigInt(STACK));
    expect(fault).toMatchObject({ kind: 'fault', access: 'write', reason: 'unmapped' });
  });

  it('names x19…x28, the frame pointer and SP as callee-saved, x0 as the result', () => {
    const names = arm64Machine.registers.names;
    expect(arm64Machine.abi.calleeSaved.map((r) => names[r])).toEqual(['x19', 'x20', 'x21', 'x22', 'x23', 'x24', 'x25', 'x26', 'x27', 'x28', 'x29', 'sp']);
    expect(arm64Machine.abi.argRegs.map((r) => names[r])).toEqual(['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7']);
    expect(names[arm64Machine.abi.returnReg]).toBe('x0');
    expect(names[arm64Machine.abi.stackPointer]).toBe('sp');
    expect(names).toHaveLength(36);
    expect(names[32]).toBe('nzcv');
    expect(names.slice(33)).toEqual(['monitor', 'monitor.value', 'elr_el1']);
  });
});
