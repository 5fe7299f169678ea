// `patchlab exec` on ppc32 and ppc64: the shipped examples return, a spinning program stops, a bad instruction is reported.

import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const run = runCli;

const NAMES = [...Array.from({ length: 32 }, (_, i) => `r${i}`), 'lr', 'ctr', 'cr', 'xer', 'pc'];
/** Where runFunction returns to: the sentinel it puts in LR. */
const RETURN = '0x7ff00000';

describe.each(['ppc32', 'ppc64'])('patchlab exec --arch %s', (arch) => {
  it('runs the shipped sum_to(5) to its return: 15, in 20 steps', async () => {
    const r = await run(['exec', '--arch', arch, `examples/exec/${arch}.s`, '--entry', 'sum_to', '--arg', '5', '--json']);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j.registers)).toEqual(NAMES);
    // mr. r4,r3 left cr0 = GT; the loop ran CTR down to 0 and r4 with it
    expect(j.registers).toMatchObject({ r3: '0xf', r4: '0x0', ctr: '0x0', cr: '0x40000000', xer: '0x0', lr: RETURN, pc: RETURN });
    expect(j.registers.r1).toMatch(/^0x[0-9a-f]*0$/);
    expect(j).toMatchObject({ steps: 20, trap: null, stopped: 'returned' });
  });

  it('stops a program that never returns at --max-steps, exit 3', async () => {
    const r = await run(['exec', '--arch', arch, 'spin.s', '--entry', 'spin', '--max-steps', '100', '--json'], { 'spin.s': '\t.globl spin\nspin:\tb spin\n' });
    expect(r.status).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject({ steps: 100, trap: null, stopped: 'max-steps' });
  });

  it('reports an undefined instruction with its address and bytes, exit 1', async () => {
    const r = await run(['exec', '--arch', arch, 'bad.s', '--entry', 'bad', '--json'], { 'bad.s': '\t.globl bad\nbad:\tli 3,1\n\t.long 0\n' });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ steps: 1, stopped: 'trap', trap: { kind: 'undefined', address: '0x10004', bytes: '00 00 00 00' } });
  });

  it('reports a data fault with the address, the pc and the instruction bytes, exit 1', async () => {
    const r = await run(['exec', '--arch', arch, 'fault.s', '--entry', 'f', '--json'], { 'fault.s': '\t.globl f\nf:\tlwz 3,16(0)\n\tblr\n' });
    expect(r.status).toBe(1);
    // lwz r3,16(0) is 0x80600010: big-endian bytes on ppc32, little-endian on ppc64
    const bytes = arch === 'ppc32' ? '80 60 00 10' : '10 00 60 80';
    expect(JSON.parse(r.out)).toMatchObject({ steps: 1, stopped: 'fault', trap: { kind: 'fault', address: '0x10', pc: '0x10000', reason: 'read unmapped', bytes } });
  });
});

describe('patchlab exec --arch ppc64, global entry point', () => {
  it('runs func_a(5) = 6 with r12 at the entry and r2 the TOC it computed from it', async () => {
    const r = await run(['exec', '--arch', 'ppc64', 'examples/exec/ppc64.s', '--entry', 'func_a', '--arg', '5', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.out);
    // func_a follows sum_to's 8 words in .text at 0x10000; .data is at 0x30000 and .TOC. 0x8000 past it
    expect(j.registers).toMatchObject({ r3: '0x6', r12: '0x10020', r2: '0x38000', r9: '0x1', pc: RETURN });
  });
});
