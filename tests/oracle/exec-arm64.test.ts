// The arm64 interpreter against qemu-user: the same functions, the same arguments, the same results.
//
// Hand-written programs (arithmetic in every operand form, the flags of every setter under all 14
// conditions, memory in every addressing mode, loops, calls, adr/adrp and literal loads from .rodata)
// and random straight-line ones. A batch is one source: qemu runs all its calls in one binary, patchlab
// each call from a fresh load. The seed is fixed (PATCHLAB_SEED=n picks another); it is printed.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/asm/assembler.js';
import { link } from '../../src/isa/asm/link.js';
import { arm64Machine } from '../../src/machine/arm64/index.js';
import { defaultLayout } from '../../src/machine/load.js';
import { runFunction } from '../../src/machine/run.js';
import { runUnderQemu, type QemuCall } from '../support/qemu.js';
import { fixedPrograms, randomPrograms, type Program } from './exec-arm64-programs.js';

const SEED = process.env.PATCHLAB_SEED ? Number(process.env.PATCHLAB_SEED) : 0xa64c0de;
console.log(`exec-arm64 seed: ${SEED} (PATCHLAB_SEED=${SEED} to repeat)`);

const RANDOM_PROGRAMS = 2000;
const BATCH = 250;
const hex = (v: bigint) => '0x' + v.toString(16);

/** Each call's x0 after patchlab runs it to its return. */
function runPatchlab(source: string, calls: readonly QemuCall[]): (bigint | string)[] {
  const asm = assemble(source, arm64Machine.isa, 'exec-arm64.s');
  expect(asm.diagnostics.map((d) => `${d.span.line}: ${d.message}`)).toEqual([]);
  const { image, errors } = link(asm.object, arm64Machine.isa, defaultLayout(asm.object));
  expect(errors).toEqual([]);
  return calls.map((c) => {
    const entry = image.symbols.get(c.entry);
    expect(entry, c.entry).toBeDefined();
    const r = runFunction(arm64Machine, image, { entry: entry!, args: c.args, maxSteps: 2_000_000 });
    return r.stop.kind === 'returned' ? r.cpu.regs[0] : `stopped: ${JSON.stringify(r.stop, (_, v) => (typeof v === 'bigint' ? hex(v) : v))}`;
  });
}

/** Both runs of every call of `programs`; the mismatches, each with its program's source. */
function compare(programs: readonly Program[]): { calls: number; bad: string[] } {
  const source = ['\t.text', ...programs.map((p) => p.source)].join('\n') + '\n';
  const calls = programs.flatMap((p) => p.calls);
  const owner = programs.flatMap((p) => p.calls.map(() => p));
  const want = runUnderQemu('arm64', source, calls);
  expect(want.length).toBe(calls.length);
  const got = runPatchlab(source, calls);
  const bad = calls.flatMap((c, i) => (got[i] === want[i] ? [] : [
    `${c.entry}(${c.args.map(hex).join(', ')}): qemu ${hex(want[i])}, patchlab ${typeof got[i] === 'bigint' ? hex(got[i] as bigint) : got[i]}\n${owner[i].source}`,
  ]));
  return { calls: calls.length, bad };
}

describe('arm64 interpreter against qemu-aarch64', () => {
  it('has qemu-aarch64', () => {
    expect(() => execFileSync('qemu-aarch64', ['--version'], { stdio: 'ignore' }), 'qemu-aarch64 is missing').not.toThrow();
  });

  it('runs the hand-written programs as qemu does', () => {
    const programs = fixedPrograms();
    const { calls, bad } = compare(programs);
    console.log(`arm64: ${programs.length - 1} hand-written programs, ${calls} calls, ${bad.length} mismatches`);
    expect(bad.slice(0, 5).join('\n\n')).toBe('');
  });

  it(`runs ${RANDOM_PROGRAMS} random straight-line programs as qemu does`, () => {
    let calls = 0;
    const bad: string[] = [];
    for (let b = 0; b < RANDOM_PROGRAMS / BATCH; b++) {
      const r = compare(randomPrograms(SEED + b, BATCH));
      calls += r.calls;
      bad.push(...r.bad);
    }
    console.log(`arm64: ${RANDOM_PROGRAMS} random programs (seed ${SEED}), ${calls} calls, ${bad.length} mismatches`);
    expect(bad.slice(0, 3).join('\n\n'), `${bad.length} of ${calls} calls differ (seed ${SEED})`).toBe('');
  });
});
