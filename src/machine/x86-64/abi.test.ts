// The System V AMD64 call: argument registers, the pushed return address, stack arguments, alignment, flags.
import { describe, expect, it } from 'vitest';
import { newCpu } from '../cpu.js';
import { dataBus } from '../load.js';
import { Memory } from '../memory.js';
import { x86_64Machine } from './index.js';

const STACK = 0x8000;
const NAMES = x86_64Machine.registers.names;
const reg = (cpu: ReturnType<typeof newCpu>, name: string) => cpu.regs[NAMES.indexOf(name)];

function call(args: bigint[], stackTop: bigint, irqEnabled = true) {
  const memory = Memory.create([
    { name: 'stack', kind: 'stack', base: STACK, size: 0x1000, phys: 0, perms: { read: true, write: true, exec: false } },
  ], 0x1000);
  for (let i = 0; i < 0x1000; i++) memory.writePhys(i, Uint8Array.of(0xee));
  const bus = dataBus(memory, 'little');
  const cpu = newCpu(NAMES.length);
  cpu.irqEnabled = irqEnabled;
  const fault = x86_64Machine.abi.prepareCall(cpu, 0x10040n, args, 0x7ff00000n, stackTop, bus);
  return { cpu, fault, qword: (at: bigint) => bus.load(at, 8) };
}

describe('x86-64 System V call', () => {
  it('passes rdi, rsi, rdx, rcx, r8, r9 and pushes the return address: rsp ≡ 8 (mod 16) at entry', () => {
    const { cpu, fault, qword } = call([1n, 2n, 3n, 4n, 5n, -1n], 0x8f48n);
    expect(fault).toBeUndefined();
    expect(['rdi', 'rsi', 'rdx', 'rcx', 'r8', 'r9'].map((n) => reg(cpu, n))).toEqual([1n, 2n, 3n, 4n, 5n, 0xffffffffffffffffn]);
    // the call site's rsp is 0x8f40 (16-byte aligned below the top); the call pushed 8 bytes
    expect(reg(cpu, 'rsp')).toBe(0x8f38n);
    expect(qword(0x8f38n)).toBe(0x7ff00000n);
    expect(cpu.pc).toBe(0x10040n);
  });

  it('puts arguments past the sixth at 8(%rsp), 16(%rsp) … and keeps the call site aligned', () => {
    const args = Array.from({ length: 9 }, (_, i) => BigInt(i + 1));
    const { cpu, qword } = call(args, 0x8f40n);
    const sp = reg(cpu, 'rsp');
    expect((sp + 8n) % 16n).toBe(0n);
    expect([qword(sp), qword(sp + 8n), qword(sp + 16n), qword(sp + 24n)]).toEqual([0x7ff00000n, 7n, 8n, 9n]);
  });

  it('starts with RFLAGS holding bit 1, DF clear and IF as the CPU has interrupts', () => {
    expect(reg(call([], 0x8f40n).cpu, 'rflags')).toBe(0x202n);
    expect(reg(call([], 0x8f40n, false).cpu, 'rflags')).toBe(0x2n);
  });

  it('reports a stack it cannot write', () => {
    expect(call([], 0x100n).fault).toMatchObject({ kind: 'fault', access: 'write', reason: 'unmapped' });
  });

  it('returns in rax; rbx, rsp, rbp and r12–r15 belong to the caller', () => {
    const abi = x86_64Machine.abi;
    expect(abi.calleeSaved.map((i) => NAMES[i])).toEqual(['rbx', 'rsp', 'rbp', 'r12', 'r13', 'r14', 'r15']);
    expect(NAMES[abi.returnReg]).toBe('rax');
    expect(NAMES[abi.stackPointer]).toBe('rsp');
    expect(abi.argRegs.map((i) => NAMES[i])).toEqual(['rdi', 'rsi', 'rdx', 'rcx', 'r8', 'r9']);
  });
});
