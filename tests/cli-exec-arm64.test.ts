// `patchlab exec --arch arm64`: the shipped example returns, a spinning program stops, traps and faults are reported.

import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const run = runCli;

const NAMES = [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp', 'nzcv', 'monitor', 'monitor.value', 'elr_el1', 'pc'];
/** Where runFunction returns to: the sentinel it puts in x30. */
const RETURN = '0x7ff00000';
const exec = (file: string, entry: string, ...more: string[]) => ['exec', '--arch', 'arm64', file, '--entry', entry, ...more, '--json'];

describe('patchlab exec --arch arm64', () => {
  it('runs the shipped sum_to(5) to its return: 15, in 19 steps', async () => {
    const r = await run(exec('examples/exec/arm64.s', 'sum_to', '--arg', '5'));
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j.registers)).toEqual(NAMES);
    // the last subs (1 − 1) left Z and C set
    expect(j.registers).toMatchObject({ x0: '0xf', x1: '0x0', nzcv: '0x60000000', x30: RETURN, pc: RETURN });
    expect(j.registers.sp).toMatch(/^0x[0-9a-f]*0$/);
    expect(j).toMatchObject({ steps: 19, trap: null, stopped: 'returned' });
  });

  it('runs the shipped func_a(5) = 6, loading step from .data through adrp', async () => {
    const r = await run(exec('examples/exec/arm64.s', 'func_a', '--arg', '5'));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ registers: { x0: '0x6', x9: '0x1', pc: RETURN }, steps: 4, stopped: 'returned' });
  });

  it("runs the kernel's LL/SC increment (ldxr, add, stlxr, cbnz), then ldar, cset and mrs ctr_el0, to its return", async () => {
    const src = '\t.globl inc\ninc:\tsub sp, sp, #16\n\tstr xzr, [sp]\n\tmov x2, sp\n'
      + '1:\tldxr x1, [x2]\n\tadd x1, x1, #1\n\tstlxr w3, x1, [x2]\n\tcbnz w3, 1b\n'
      + '\tldar x0, [x2]\n\tcmp x0, #1\n\tcset w0, eq\n\tmrs x4, ctr_el0\n\tadd sp, sp, #16\n\tret\n';
    const r = await run(exec('inc.s', 'inc'), { 'inc.s': src });
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    // the store-exclusive succeeded (w3 = 0) and opened the monitor; CTR_EL0 without the knobs has neither IDC nor DIC
    expect(JSON.parse(r.out)).toMatchObject({
      steps: 13, trap: null, stopped: 'returned', registers: { x0: '0x1', x1: '0x1', x3: '0x0', x4: '0x8444c004', monitor: '0x0', pc: RETURN },
    });
  });

  it('stops a program that never returns at --max-steps, exit 3', async () => {
    const r = await run(exec('spin.s', 'spin', '--max-steps', '100'), { 'spin.s': '\t.globl spin\nspin:\tb spin\n' });
    expect(r.status).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject({ steps: 100, trap: null, stopped: 'max-steps' });
  });

  it('reports a word that decodes to nothing with its address and bytes, exit 1', async () => {
    const r = await run(exec('bad.s', 'bad'), { 'bad.s': '\t.globl bad\nbad:\tmov x0, #1\n\t.long 0xffffffff\n' });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ steps: 1, stopped: 'trap', trap: { kind: 'undefined', address: '0x10004', bytes: 'ff ff ff ff' } });
  });

  it('reports udf and brk as traps on the instruction, exit 1', async () => {
    const udf = await run(exec('udf.s', 'f'), { 'udf.s': '\t.globl f\nf:\tudf #7\n' });
    expect(udf.status).toBe(1);
    expect(JSON.parse(udf.out)).toMatchObject({ steps: 1, stopped: 'trap', trap: { kind: 'undefined', address: '0x10000', bytes: '07 00 00 00' } });
    // brk #0x800 is 0xd4210000 (imm16 at bit 5); the pc stays on it
    const brk = await run(exec('brk.s', 'f'), { 'brk.s': '\t.globl f\nf:\tnop\n\tbrk #0x800\n' });
    expect(brk.status).toBe(1);
    expect(JSON.parse(brk.out)).toMatchObject({ steps: 2, stopped: 'trap', registers: { pc: '0x10004' }, trap: { kind: 'breakpoint', address: '0x10004', bytes: '00 00 21 d4' } });
  });

  it('reports a data fault with the address, the pc and the instruction bytes, exit 1 (the faulting step counts)', async () => {
    const r = await run(exec('fault.s', 'f'), { 'fault.s': '\t.globl f\nf:\tmov x1, #16\n\tldr x0, [x1]\n\tret\n' });
    expect(r.status).toBe(1);
    // ldr x0, [x1] is 0xf9400020, little-endian
    expect(JSON.parse(r.out)).toMatchObject({ steps: 2, stopped: 'fault', trap: { kind: 'fault', address: '0x10', pc: '0x10004', reason: 'read unmapped', bytes: '20 00 40 f9' } });
  });
});
