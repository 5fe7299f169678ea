// The ppc32 and ppc64 interpreters against qemu-user: the same functions, the same arguments, the same results.
//
// Hand-written programs (arithmetic, memory, loops, conditions, calls, lis/addi address building,
// bcl 20,31,$+4 pc discovery, what patch_instruction runs, carries and overflow in XER) and random
// straight-line ones (XER folded into each result). Each mode's programs are one source: qemu runs all
// their calls in one binary, patchlab each call from a fresh load.
// The seed is fixed (PATCHLAB_SEED=n picks another); it is printed.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/asm/assembler.js';
import { link } from '../../src/isa/asm/link.js';
import { defaultLayout } from '../../src/machine/load.js';
import { ppc32Machine, ppc64Machine } from '../../src/machine/ppc/index.js';
import { runFunction } from '../../src/machine/run.js';
import { runUnderQemu, type QemuCall } from '../support/qemu.js';
import { fixedPrograms, randomPrograms, type PpcMode, type Program } from './exec-ppc-programs.js';

const SEED = process.env.PATCHLAB_SEED ? Number(process.env.PATCHLAB_SEED) : 0x50c0ffee;
console.log(`exec-ppc seed: ${SEED} (PATCHLAB_SEED=${SEED} to repeat)`);

const RANDOM_PROGRAMS = 800;
const MODES = [[32, 'ppc32', ppc32Machine, 'qemu-ppc'], [64, 'ppc64', ppc64Machine, 'qemu-ppc64le']] as const;
const hex = (v: bigint) => '0x' + v.toString(16);

function sourceOf(mode: PpcMode, programs: readonly Program[]): string {
  return [...(mode === 64 ? ['\t.abiversion 2'] : []), '\t.text', ...programs.map((p) => p.source)].join('\n') + '\n';
}

/** Each call's r3 after patchlab runs it to its return. */
function runPatchlab(machine: typeof ppc32Machine, source: string, calls: readonly QemuCall[]): (bigint | string)[] {
  const asm = assemble(source, machine.isa, 'exec-ppc.s');
  expect(asm.diagnostics.map((d) => `${d.span.line}: ${d.message}`)).toEqual([]);
  const { image, errors } = link(asm.object, machine.isa, defaultLayout(asm.object));
  expect(errors).toEqual([]);
  return calls.map((c) => {
    const entry = image.symbols.get(c.entry);
    expect(entry, c.entry).toBeDefined();
    const r = runFunction(machine, image, { entry: entry!, args: c.args, maxSteps: 1_000_000 });
    return r.stop.kind === 'returned' ? r.cpu.regs[3] : `stopped: ${JSON.stringify(r.stop, (_, v) => (typeof v === 'bigint' ? hex(v) : v))}`;
  });
}

/** Both runs of every call of `programs`; the mismatches, each with its program's source. */
function compare(mode: PpcMode, arch: 'ppc32' | 'ppc64', machine: typeof ppc32Machine, programs: readonly Program[]): string[] {
  const source = sourceOf(mode, programs);
  const calls = programs.flatMap((p) => p.calls);
  const owner = programs.flatMap((p) => p.calls.map(() => p));
  const want = runUnderQemu(arch, source, calls);
  expect(want.length).toBe(calls.length);
  const got = runPatchlab(machine, source, calls);
  return calls.flatMap((c, i) => (got[i] === want[i] ? [] : [
    `${c.entry}(${c.args.map(hex).join(', ')}): qemu ${hex(want[i])}, patchlab ${typeof got[i] === 'bigint' ? hex(got[i] as bigint) : got[i]}\n${owner[i].source}`,
  ]));
}

describe.each(MODES)('ppc%i interpreter against %s under qemu', (mode, arch, machine, qemu) => {
  it(`has ${qemu}`, () => {
    expect(() => execFileSync(qemu, ['--version'], { stdio: 'ignore' }), `${qemu} is missing`).not.toThrow();
  });

  it('runs the hand-written programs as qemu does', () => {
    const programs = fixedPrograms(mode);
    const bad = compare(mode, arch, machine, programs);
    console.log(`${arch}: ${programs.length} hand-written programs, ${programs.flatMap((p) => p.calls).length} calls, ${bad.length} mismatches`);
    expect(bad.slice(0, 5).join('\n\n')).toBe('');
  });

  it(`runs ${RANDOM_PROGRAMS} random straight-line programs as qemu does`, () => {
    const programs = randomPrograms(mode, SEED, RANDOM_PROGRAMS);
    const bad = compare(mode, arch, machine, programs);
    console.log(`${arch}: ${programs.length} random programs (seed ${SEED}), ${bad.length} mismatches`);
    expect(bad.slice(0, 3).join('\n\n'), `${bad.length} of ${programs.length} differ (seed ${SEED})`).toBe('');
  });
});
