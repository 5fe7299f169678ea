// Live differential test of arm64 against GNU as and objdump: random instructions of every entry, one batch each way.
//
// Seeded (PATCHLAB_SEED, else a fresh seed that is printed): the seed reproduces a failure. Fails,
// never skips, when the tools are missing.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble, textBytes } from '../../src/isa/asm/assembler.js';
import { arm64Isa } from '../../src/isa/arm64/index.js';
import { encodeWord } from '../../src/isa/arm64/encode.js';
import { FORMS, type Arm64Insn } from '../../src/isa/arm64/table-layout.js';
import { print } from '../../src/isa/arm64/print.js';
import { disassemble } from '../../src/isa/disasm.js';
import { ARB_BY_OP } from '../support/arb-arm64.js';
import { arm64Source, strictDisasm } from '../support/arm64-source.js';
import { assembleBatch } from '../support/batch.js';
import { gnuAs, toolsPresent } from '../support/binutils.js';

const SEED = process.env.PATCHLAB_SEED ? Number(process.env.PATCHLAB_SEED) : Date.now() % 2 ** 31;
const PER_FORM = 80;

/** PER_FORM random instructions of every table entry, in table order. */
function sample(seed: number): Arm64Insn[] {
  return FORMS.flatMap((form, i) => fc.sample(ARB_BY_OP.get(form.op)!, { seed: seed + i, numRuns: PER_FORM }));
}

const word = (bytes: Uint8Array, i: number): string =>
  Array.from(bytes.subarray(i * 4, i * 4 + 4)).reverse().map((b) => b.toString(16).padStart(2, '0')).join('');

describe(`arm64 against GNU binutils (PATCHLAB_SEED=${SEED})`, () => {
  console.log(`arm64 oracle: PATCHLAB_SEED=${SEED}`);
  const insns = sample(SEED);

  it('has the tools', () => {
    expect(toolsPresent('arm64'), 'aarch64-linux-gnu-as is not installed').toBe(true);
  });

  it(`assembles ${FORMS.length * PER_FORM} random instructions to GNU as bytes`, () => {
    const lines = insns.map(arm64Source);
    const source = lines.join('\n') + '\n';
    const gnu = gnuAs('arm64', source);
    expect(gnu.stderr.split('\n').filter((l) => /Error/.test(l)).slice(0, 10).join('\n')).toBe('');
    const ours = assemble(source, arm64Isa, 'oracle.s');
    expect(ours.diagnostics.slice(0, 10).map((d) => `${d.span.line}: ${d.message} in ${lines[d.span.line - 1]}`)).toEqual([]);
    const want = gnu.text!, got = textBytes(ours.object);
    expect(got.length).toBe(want.length);
    const bad: string[] = [];
    lines.forEach((src, i) => {
      if (word(got, i) !== word(want, i)) bad.push(`${src}: gnu ${word(want, i)}, patchlab ${word(got, i)}`);
    });
    expect(bad.slice(0, 20).join('\n'), `${bad.length} of ${lines.length} differ`).toBe('');
  });

  it('assembles objdump\'s own text (the aliases: mov, cmp, tst, neg …) to GNU as bytes', () => {
    // Branches print absolute targets, which are not source; every other entry's text is.
    const lines = insns.filter((i) => !/label|page/.test(FORMS.find((f) => f.op === i.op)!.spec.syntax)).map((insn) => {
      const p = print(insn, 0n);
      return `${p.mnemonic} ${p.operands.replace(/\s*\/\/.*$/, '')}`;
    });
    const source = lines.join('\n') + '\n';
    const gnu = gnuAs('arm64', source);
    expect(gnu.stderr.split('\n').filter((l) => /Error/.test(l)).slice(0, 10).join('\n')).toBe('');
    const ours = assemble(source, arm64Isa, 'oracle.s');
    expect(ours.diagnostics.slice(0, 10).map((d) => `${d.span.line}: ${d.message} in ${lines[d.span.line - 1]}`)).toEqual([]);
    const want = gnu.text!, got = textBytes(ours.object);
    const bad = lines.filter((_, i) => word(got, i) !== word(want, i)).map((src) => `${src}`);
    expect(bad.slice(0, 20).join('\n'), `${bad.length} of ${lines.length} differ`).toBe('');
  });

  it(`disassembles ${FORMS.length * PER_FORM} random encodings to objdump's text`, () => {
    // `.inst`, not `.byte`: GNU as marks `.byte` as data and objdump then prints `.word`.
    const words = insns.map((insn) => encodeWord(insn));
    const cases = assembleBatch('arm64', words.map((w) => `.inst 0x${w.toString(16)}`), 'gnu');
    const bad: string[] = [];
    cases.forEach((c, i) => {
      expect(c, `GNU as rejects .inst 0x${words[i].toString(16)}`).toBeDefined();
      const want = c!.objdump.map((d) => strictDisasm(d.mnemonic, d.operands)).join('; ');
      const got = disassemble(arm64Isa, c!.bytes, BigInt(c!.address)).map((d) => strictDisasm(d.mnemonic, d.operands)).join('; ');
      if (got !== want) bad.push(`${words[i].toString(16).padStart(8, '0')} (${insns[i].op}): objdump \`${want}\`, patchlab \`${got}\``);
    });
    expect(bad.slice(0, 20).join('\n'), `${bad.length} of ${cases.length} differ`).toBe('');
  });
});
