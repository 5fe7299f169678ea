// The calling conventions: registers, LR, r12 at an ELFv2 global entry, and the caller's frame the callee may write.
import { describe, expect, it } from 'vitest';
import { newCpu } from '../cpu.js';
import { dataBus } from '../load.js';
import { Memory } from '../memory.js';
import { ppc32Machine, ppc64Machine } from './index.js';
import { LR } from './registers.js';

const STACK = 0x8000;

function call(machine: typeof ppc32Machine, args: bigint[], stackTop: bigint) {
  const memory = Memory.create([
    { name: 'stack', kind: 'stack', base: STACK, size: 0x1000, phys: 0, perms: { read: true, write: true, exec: false } },
  ], 0x1000);
  for (let i = 0; i < 0x1000; i++) memory.writePhys(i, Uint8Array.of(0xee));
  const bus = dataBus(memory, machine.isa.endian);
  const cpu = newCpu(machine.registers.names.length);
  const fault = machine.abi.prepareCall(cpu, 0x10040n, args, 0x7ff00000n, stackTop, bus);
  const word = (at: bigint, size: 4 | 8) => bus.load(at, size);
  return { cpu, fault, word };
}

describe('ppc32 SysV', () => {
  it('passes r3…r10, returns through LR, and aligns a 16-byte caller frame with a null back chain', () => {
    const { cpu, fault, word } = call(ppc32Machine, [1n, 2n, -1n], 0x8f48n);
    expect(fault).toBeUndefined();
    expect([cpu.regs[3], cpu.regs[4], cpu.regs[5]]).toEqual([1n, 2n, 0xffffffffn]);
    expect(cpu.regs[LR]).toBe(0x7ff00000n);
    expect(cpu.pc).toBe(0x10040n);
    expect(cpu.regs[1]).toBe(0x8f30n);
    expect(word(0x8f30n, 4)).toBe(0n);
    expect(cpu.regs[12]).toBe(0n);
  });

  it('puts arguments past r10 in the parameter list area at 8(r1)', () => {
    const args = Array.from({ length: 10 }, (_, i) => BigInt(i + 1));
    const { cpu, word } = call(ppc32Machine, args, 0x8f40n);
    expect(cpu.regs[10]).toBe(8n);
    const sp = cpu.regs[1];
    expect(sp % 16n).toBe(0n);
    expect([word(sp + 8n, 4), word(sp + 12n, 4)]).toEqual([9n, 10n]);
  });

  it('preserves r1, r2, r13 and r14…r31', () => {
    expect(ppc32Machine.abi.calleeSaved).toEqual([1, 2, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);
    expect(ppc32Machine.abi).toMatchObject({ argRegs: [3, 4, 5, 6, 7, 8, 9, 10], returnReg: 3, stackPointer: 1 });
  });
});

describe('ppc64 ELFv2', () => {
  it('sets r12 to the global entry point and leaves a 32-byte frame header (back chain, CR, LR, TOC save)', () => {
    const { cpu, fault, word } = call(ppc64Machine, [-1n], 0x8f40n);
    expect(fault).toBeUndefined();
    expect(cpu.regs[3]).toBe(0xffffffffffffffffn);
    expect(cpu.regs[12]).toBe(0x10040n);
    expect(cpu.regs[LR]).toBe(0x7ff00000n);
    expect(cpu.regs[1]).toBe(0x8f20n);
    expect(word(0x8f20n, 8)).toBe(0n);
  });

  it('gives every argument a parameter save area doubleword once one goes on the stack', () => {
    const args = Array.from({ length: 9 }, (_, i) => BigInt(i + 1));
    const { cpu, word } = call(ppc64Machine, args, 0x8f40n);
    const sp = cpu.regs[1];
    expect(sp).toBe(0x8f40n - 32n - 80n);
    expect(word(sp + 32n + 64n, 8)).toBe(9n);
    expect(word(sp + 32n, 8)).toBe(0xeeeeeeeeeeeeeeeen);
  });

  it('reports a frame outside the stack as a fault', () => {
    const { fault } = call(ppc64Machine, [], 0x8000n);
    expect(fault).toMatchObject({ kind: 'fault', access: 'write', reason: 'unmapped' });
  });

  it('preserves r2 (the TOC pointer) with the others', () => {
    expect(ppc64Machine.abi.calleeSaved).toContain(2);
  });
});
