// Live differential test of arm64 against GNU as and objdump: random instructions of every entry, one batch each way.
//
// Seeded (PATCHLAB_SEED, else a fresh seed that is printed): the seed reproduces a failure. Fails,
// never skips, when the tools are missing.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** A program with every instruction and data relocation whose range allows it, placed where ld puts `at`. */
const RELOC_PROGRAM = `
  .text
  .globl _start, gnear
_start:
  bl far
  b far
  b.ne far
  cbz x0, far
  tbz x1, #3, gnear
  adrp x4, data
  add x4, x4, :lo12:data
  ldr x5, [x4, :lo12:data]
  ldr w6, [x4, :lo12:data+4]
  ldrh w7, [x4, :lo12:data+2]
  ldrb w8, [x4, :lo12:data+1]
  ldr x9, farlit
  adr x10, far + 3
gnear: nop
  .section .farcode, "ax"
far: ret
farlit: .quad 0
  .data
  .p2align 4
data: .quad _start + 5
  .long far - .
  .long _start
  .quad far - . + 1
`;

/** Link RELOC_PROGRAM with GNU ld; apply GNU as's relocations with ours; the sections where the two differ. */
function linkedLikeLd(at: Readonly<Record<string, bigint>>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'patchlab-arm64-ld-'));
  try {
    const bin = (tool: string) => `aarch64-linux-gnu-${tool}`;
    writeFileSync(join(dir, 'p.s'), RELOC_PROGRAM);
    execFileSync(bin('as'), ['-o', join(dir, 'p.o'), join(dir, 'p.s')]);
    const sections = Object.entries(at).flatMap(([name, addr]) => [`--section-start=${name}=0x${addr.toString(16)}`]);
    execFileSync(bin('ld'), [...sections, '-e', '_start', '-o', join(dir, 'p.elf'), join(dir, 'p.o')]);
    const symbols: Record<string, bigint> = { ...at, _start: at['.text'] };
    for (const m of execFileSync(bin('nm'), [join(dir, 'p.elf')]).toString().matchAll(/^([0-9a-f]+) \w (\w+)$/gm)) symbols[m[2]] = BigInt(`0x${m[1]}`);
    const bad: string[] = [];
    for (const section of Object.keys(at)) {
      const read = (file: string) => {
        execFileSync(bin('objcopy'), ['-O', 'binary', `--only-section=${section}`, join(dir, file), join(dir, 'out.bin')]);
        return new Uint8Array(readFileSync(join(dir, 'out.bin')));
      };
      const image = read('p.o');
      const relocs = execFileSync(bin('readelf'), ['-rW', join(dir, 'p.o')]).toString().split(/\n(?=Relocation section)/).find((b) => b.includes(`'.rela${section}'`)) ?? '';
      for (const m of relocs.matchAll(/^([0-9a-f]+)\s+[0-9a-f]+\s+(R_AARCH64_\w+)\s+[0-9a-f]+\s+(\S+) \+ ([0-9a-f]+)$/gm)) {
        const offset = parseInt(m[1], 16);
        const err = arm64Isa.applyRelocation(m[2], image, offset, symbols[m[3]], BigInt(`0x${m[4]}`), at[section] + BigInt(offset), 0n);
        if (err) bad.push(`${section}+${offset}: ${err}`);
      }
      const want = read('p.elf');
      if (Buffer.compare(Buffer.from(image), Buffer.from(want)) !== 0) bad.push(`${section}: ours ${Buffer.from(image).toString('hex')}, ld ${Buffer.from(want).toString('hex')}`);
    }
    return bad;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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

  it('applies relocations as GNU ld does, with sections at random addresses', () => {
    const rand = fc.sample(fc.tuple(fc.integer({ min: 0x400, max: 0x3c000 }), fc.integer({ min: 0x100000, max: 0x3ffff000 })), { seed: SEED, numRuns: 1 })[0];
    const at = { '.text': 0x400000n, '.farcode': 0x400000n + BigInt(rand[0]) * 4n, '.data': (0x400000n + BigInt(rand[1])) & ~0xfn };
    expect(linkedLikeLd(at)).toEqual([]);
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
