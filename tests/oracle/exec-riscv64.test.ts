// The riscv64 interpreter against qemu-riscv64: the same functions, the same arguments, the same results.
//
// Hand-written programs (every ALU and M operation, loads and stores of each width, LR/SC and the AMOs,
// branches, loops, calls, li of wide constants) and random straight-line ones, all assembled by
// patchlab's assembler for patchlab and by GNU as for qemu (with the same compressed forms). The seed is
// fixed (PATCHLAB_SEED=n picks another); it is printed.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/asm/assembler.js';
import { link } from '../../src/isa/asm/link.js';
import { defaultLayout } from '../../src/machine/load.js';
import { riscv64Machine } from '../../src/machine/riscv64/index.js';
import { runFunction } from '../../src/machine/run.js';
import { runUnderQemu, type QemuCall } from '../support/qemu.js';
import { fixedPrograms, randomPrograms, type Program } from './exec-riscv64-programs.js';

const SEED = process.env.PATCHLAB_SEED ? Number(process.env.PATCHLAB_SEED) : 0x5c0ffee;
console.log(`exec-riscv64 seed: ${SEED} (PATCHLAB_SEED=${SEED} to repeat)`);

const RANDOM_PROGRAMS = 800;
const hex = (v: bigint) => '0x' + v.toString(16);

function runPatchlab(source: string, calls: readonly QemuCall[]): (bigint | string)[] {
  const asm = assemble(source, riscv64Machine.isa, 'exec-riscv64.s');
  expect(asm.diagnostics.map((d) => `${d.span.line}: ${d.message}`)).toEqual([]);
  const { image, errors } = link(asm.object, riscv64Machine.isa, defaultLayout(asm.object));
  expect(errors).toEqual([]);
  return calls.map((c) => {
    const entry = image.symbols.get(c.entry);
    expect(entry, c.entry).toBeDefined();
    const r = runFunction(riscv64Machine, image, { entry: entry!, args: c.args, maxSteps: 1_000_000 });
    return r.stop.kind === 'returned' ? r.cpu.regs[10] : `stopped: ${JSON.stringify(r.stop, (_, v) => (typeof v === 'bigint' ? hex(v) : v))}`;
  });
}

function compare(programs: readonly Program[]): string[] {
  const source = ['\t.text', ...programs.map((p) => p.source)].join('\n') + '\n';
  const calls = programs.flatMap((p) => p.calls);
  const owner = programs.flatMap((p) => p.calls.map(() => p));
  const want = runUnderQemu('riscv64', source, calls);
  expect(want.length).toBe(calls.length);
  const got = runPatchlab(source, calls);
  return calls.flatMap((c, i) => (got[i] === want[i] ? [] : [
    `${c.entry}(${c.args.map(hex).join(', ')}): qemu ${hex(want[i])}, patchlab ${typeof got[i] === 'bigint' ? hex(got[i] as bigint) : got[i]}\n${owner[i].source}`,
  ]));
}

describe('riscv64 interpreter against qemu-riscv64', () => {
  it('has qemu-riscv64', () => {
    expect(() => execFileSync('qemu-riscv64', ['--version'], { stdio: 'ignore' }), 'qemu-riscv64 is missing').not.toThrow();
  });

  it('runs the hand-written programs as qemu does', () => {
    const programs = fixedPrograms();
    const bad = compare(programs);
    console.log(`riscv64: ${programs.length} hand-written programs, ${programs.flatMap((p) => p.calls).length} calls, ${bad.length} mismatches`);
    expect(bad.slice(0, 5).join('\n\n')).toBe('');
  });

  it(`runs ${RANDOM_PROGRAMS} random straight-line programs as qemu does`, () => {
    const programs = randomPrograms(SEED, RANDOM_PROGRAMS);
    const bad = compare(programs);
    console.log(`riscv64: ${programs.length} random programs (seed ${SEED}), ${bad.length} mismatches`);
    expect(bad.slice(0, 3).join('\n\n'), `${bad.length} of ${programs.length} differ (seed ${SEED})`).toBe('');
  });
});
