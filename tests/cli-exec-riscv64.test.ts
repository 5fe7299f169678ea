// `patchlab exec` on riscv64: the shipped examples return, a spinning program stops, a bad instruction is reported.

import { describe, expect, it } from 'vitest';
import { REGISTER_NAMES } from '../src/isa/riscv64/table.js';
import { runCli as run } from './support/cli.js';

/** Where runFunction returns to: the sentinel it puts in ra. */
const RETURN = '0x7ff00000';

describe('patchlab exec --arch riscv64', () => {
  it('runs the shipped sum_to(5) to its return: 15, in 19 steps', async () => {
    const r = await run(['exec', '--arch', 'riscv64', 'examples/exec/riscv64.s', '--entry', 'sum_to', '--arg', '5', '--json']);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j.registers)).toEqual([...REGISTER_NAMES, 'reservation', 'pc']);
    expect(j.registers).toMatchObject({ a0: '0xf', a1: '0x0', zero: '0x0', ra: RETURN, pc: RETURN });
    expect(j.registers.sp).toMatch(/^0x[0-9a-f]*0$/);
    expect(j).toMatchObject({ steps: 19, trap: null, stopped: 'returned' });
  });

  it('runs func_a(41), which loads its step through lla: 42', async () => {
    const r = await run(['exec', '--arch', 'riscv64', 'examples/exec/riscv64.s', '--entry', 'func_a', '--arg', '41', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ registers: { a0: '0x2a' }, steps: 5, stopped: 'returned' });
  });

  it('stops a program that never returns at --max-steps, exit 3', async () => {
    const r = await run(['exec', '--arch', 'riscv64', 'spin.s', '--entry', 'spin', '--max-steps', '100', '--json'], { 'spin.s': '\t.globl spin\nspin:\tj spin\n' });
    expect(r.status).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject({ steps: 100, trap: null, stopped: 'max-steps' });
  });

  // 0x0000 decodes (objdump prints it `unimp`): running it is the second step, an illegal instruction.
  it('reports the all-zero parcel (c.unimp) as undefined with its address and bytes, exit 1', async () => {
    const r = await run(['exec', '--arch', 'riscv64', 'bad.s', '--entry', 'bad', '--json'], { 'bad.s': '\t.globl bad\nbad:\tli a0,1\n\t.2byte 0\n' });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ steps: 2, stopped: 'trap', trap: { kind: 'undefined', address: '0x10002', bytes: '00 00' } });
  });
});
