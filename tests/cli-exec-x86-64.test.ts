// `patchlab exec` on x86-64: the shipped example returns, a spinning program stops, traps and faults are reported.

import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const run = runCli;

const NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rflags', 'rip'];
/** Where runFunction returns to: the sentinel the call pushed. */
const RETURN = '0x7ff00000';
const exec = (file: string, entry: string, more: string[] = []) => ['exec', '--arch', 'x86-64', file, '--entry', entry, '--json', ...more];

describe('patchlab exec --arch x86-64', () => {
  it('runs the shipped sum_to(5) to its return: 15, in 19 steps', async () => {
    const r = await run(exec('examples/exec/x86-64.s', 'sum_to', ['--arg', '5']));
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j.registers)).toEqual(NAMES);
    // the last dec left rdi = 0: ZF and PF, with IF and the always-one bit 1
    expect(j.registers).toMatchObject({ rax: '0xf', rdi: '0x0', rflags: '0x246', rip: RETURN });
    // the ret popped the return address: rsp is back at the 16-byte aligned value of the call
    expect(j.registers.rsp).toMatch(/^0x[0-9a-f]*0$/);
    expect(j).toMatchObject({ steps: 19, trap: null, stopped: 'returned' });
  });

  it('runs the shipped func_a(5) = 6', async () => {
    const r = await run(exec('examples/exec/x86-64.s', 'func_a', ['--arg', '5']));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ registers: { rax: '0x6', rdi: '0x5', rip: RETURN }, steps: 2, stopped: 'returned' });
  });

  it('stops a program that never returns at --max-steps, exit 3', async () => {
    const r = await run(exec('spin.s', 'spin', ['--max-steps', '100']), { 'spin.s': '\t.globl spin\nspin:\tjmp spin\n' });
    expect(r.status).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject({ steps: 100, trap: null, stopped: 'max-steps' });
  });

  it("runs the kernel's sync_core() IRET-to-self (ss, rsp, rflags, cs, rip, iretq) to its return", async () => {
    const src = '\t.globl sc\nsc:\tmov %ss,%eax\n\tpushq %rax\n\tpushq %rsp\n\taddq $8,(%rsp)\n\tpushfq\n\tmov %cs,%eax\n\tpushq %rax\n\tpushq $1f\n\tiretq\n1:\tret\n';
    const r = await run(exec('sc.s', 'sc'), { 'sc.s': src });
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ steps: 10, trap: null, stopped: 'returned', registers: { rip: RETURN } });
  });

  it('reports an iretq to ring 3 as unsupported, exit 1', async () => {
    const src = '\t.globl sc\nsc:\tpushq $0x2b\n\tpushq %rsp\n\tpushfq\n\tpushq $0x33\n\tpushq $1f\n\tiretq\n1:\tret\n';
    const r = await run(exec('sc.s', 'sc'), { 'sc.s': src });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ steps: 6, stopped: 'trap', trap: { kind: 'unsupported', bytes: '48 cf' } });
  });

  it('reports ud2 with its address and bytes, exit 1', async () => {
    const r = await run(exec('bad.s', 'bad'), { 'bad.s': '\t.globl bad\nbad:\tmov $1,%eax\n\tud2\n' });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ steps: 2, stopped: 'trap', trap: { kind: 'undefined', address: '0x10005', bytes: '0f 0b' } });
  });

  it('reports bytes that decode to nothing (push %es is invalid in 64-bit mode), exit 1', async () => {
    const r = await run(exec('bad.s', 'bad'), { 'bad.s': '\t.globl bad\nbad:\tnop\n\t.byte 0x06\n' });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ steps: 1, stopped: 'trap', trap: { kind: 'undefined', address: '0x10001', bytes: '06 00 00 00' } });
  });

  it('reports int3 as a breakpoint at its own address, with rip already past it, exit 1', async () => {
    const r = await run(exec('bp.s', 'bp'), { 'bp.s': '\t.globl bp\nbp:\tnop\n\tint3\n\tret\n' });
    expect(r.status).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ steps: 2, stopped: 'trap', trap: { kind: 'breakpoint', address: '0x10001', bytes: 'cc' } });
    expect(j.registers.rip).toBe('0x10002');
  });

  it('reports a data fault with the address, the pc and the instruction bytes, exit 1', async () => {
    const r = await run(exec('fault.s', 'f'), { 'fault.s': '\t.globl f\nf:\tmov 16,%eax\n\tret\n' });
    expect(r.status).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ steps: 1, stopped: 'fault', trap: { kind: 'fault', address: '0x10', pc: '0x10000', reason: 'read unmapped', bytes: '8b 04 25 10 00 00 00' } });
    // a fault leaves rip on the instruction
    expect(j.registers.rip).toBe('0x10000');
  });
});
