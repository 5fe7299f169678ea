// The x86-64 interpreter against this machine's own CPU: the same functions, the same arguments, the same results.
//
// Hand-written programs (arithmetic and flags at every size, memory and addressing modes, loops, all
// sixteen conditions, calls direct and indirect, pc-relative addresses, fences and locked operations)
// and random straight-line ones. All programs are one source: one native binary runs every call (through
// runUnderQemu, which runs x86-64 natively), patchlab each call from a fresh load. The seed is fixed
// (PATCHLAB_SEED=n picks another); it is printed.

import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/isa/asm/assembler.js';
import { link } from '../../src/isa/asm/link.js';
import { defaultLayout } from '../../src/machine/load.js';
import { runFunction } from '../../src/machine/run.js';
import { x86_64Machine } from '../../src/machine/x86-64/index.js';
import { toolsPresent } from '../support/binutils.js';
import { runUnderQemu, type QemuCall } from '../support/qemu.js';
import { fixedPrograms, randomPrograms, type Program } from './exec-x86-64-programs.js';

const SEED = process.env.PATCHLAB_SEED ? Number(process.env.PATCHLAB_SEED) : 0x86c0ffee;
console.log(`exec-x86-64 seed: ${SEED} (PATCHLAB_SEED=${SEED} to repeat)`);

const RANDOM_PROGRAMS = 1000;
const hex = (v: bigint) => '0x' + v.toString(16);

const sourceOf = (programs: readonly Program[]) => ['\t.text', ...programs.map((p) => p.source)].join('\n') + '\n';

/** Each call's rax after patchlab runs it to its return. */
function runPatchlab(source: string, calls: readonly QemuCall[]): (bigint | string)[] {
  const asm = assemble(source, x86_64Machine.isa, 'exec-x86-64.s');
  expect(asm.diagnostics.slice(0, 10).map((d) => `${d.span.line}: ${d.message}`)).toEqual([]);
  const { image, errors } = link(asm.object, x86_64Machine.isa, defaultLayout(asm.object));
  expect(errors).toEqual([]);
  return calls.map((c) => {
    const entry = image.symbols.get(c.entry);
    expect(entry, c.entry).toBeDefined();
    const r = runFunction(x86_64Machine, image, { entry: entry!, args: c.args, maxSteps: 1_000_000 });
    return r.stop.kind === 'returned' ? r.cpu.regs[0] : `stopped: ${JSON.stringify(r.stop, (_, v) => (typeof v === 'bigint' ? hex(v) : v))}`;
  });
}

/** Both runs of every call of `programs`; the mismatches, each with its program's source. */
function compare(programs: readonly Program[]): string[] {
  const source = sourceOf(programs);
  const calls = programs.flatMap((p) => p.calls);
  const owner = programs.flatMap((p) => p.calls.map(() => p));
  const want = runUnderQemu('x86-64', source, calls);
  expect(want.length).toBe(calls.length);
  const got = runPatchlab(source, calls);
  return calls.flatMap((c, i) => (got[i] === want[i] ? [] : [
    `${c.entry}(${c.args.map(hex).join(', ')}): native ${hex(want[i])}, patchlab ${typeof got[i] === 'bigint' ? hex(got[i] as bigint) : got[i]}\n${owner[i].source}`,
  ]));
}

describe('x86-64 interpreter against the native CPU', () => {
  it('has the x86-64 binutils', () => {
    expect(toolsPresent('x86-64'), 'x86_64-linux-gnu-as/ld are missing').toBe(true);
  });

  it('runs the hand-written programs as the CPU does', () => {
    const programs = fixedPrograms();
    const bad = compare(programs);
    console.log(`x86-64: ${programs.length} hand-written programs, ${programs.flatMap((p) => p.calls).length} calls, ${bad.length} mismatches`);
    expect(bad.slice(0, 5).join('\n\n')).toBe('');
  });

  it(`runs ${RANDOM_PROGRAMS} random straight-line programs as the CPU does`, () => {
    const programs = randomPrograms(SEED, RANDOM_PROGRAMS);
    const bad = compare(programs);
    console.log(`x86-64: ${programs.length} random programs (seed ${SEED}), ${bad.length} mismatches`);
    expect(bad.slice(0, 3).join('\n\n'), `${bad.length} of ${programs.length} differ (seed ${SEED})`).toBe('');
  });
});
