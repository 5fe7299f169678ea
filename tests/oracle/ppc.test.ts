// ppc32 and ppc64 against GNU as and objdump, live: random instructions assembled, random words disassembled.
//
// One seed per run (printed; PATCHLAB_SEED=n repeats a run). Each direction is one batch per arch.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, readU32 } from '../../src/base/bits.js';
import { assemble, textBytes } from '../../src/isa/asm/assembler.js';
import { disassemble } from '../../src/isa/disasm.js';
import { ppc32Isa, ppc64Isa } from '../../src/isa/ppc/index.js';
import { LAYOUTS } from '../../src/isa/ppc/encode.js';
import type { PpcInsn } from '../../src/isa/ppc/table.js';
import { anyInsnArb, assemblable, sourceOf } from '../support/arb-ppc.js';
import { TOOLS, gnuAs, normalizeDisasm, objdump, toolsPresent } from '../support/binutils.js';

const SEED = process.env.PATCHLAB_SEED ? Number(process.env.PATCHLAB_SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`ppc oracle seed: ${SEED} (PATCHLAB_SEED=${SEED} to repeat)`);

const COUNT = 3000;
const ARCHES = [['ppc32', ppc32Isa, 32], ['ppc64', ppc64Isa, 64]] as const;

/** Words that start with a primary opcode the table knows, the rest random: where patchlab decodes one, objdump must agree. */
const OPCODES = [...new Set(Object.values(LAYOUTS).map((l) => l.match >>> 26))];
const wordArb = fc.tuple(fc.constantFrom(...OPCODES), fc.integer({ min: 0, max: 0x3ffffff })).map(([op, low]) => ((op << 26) | low) >>> 0);

function words(bytes: Uint8Array, isa: typeof ppc32Isa): string[] {
  const out: string[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) out.push(readU32(bytes, i, isa.endian).toString(16).padStart(8, '0'));
  return out;
}

describe.each(ARCHES)('%s against GNU binutils', (arch, isa, mode) => {
  it('has the tools', () => {
    expect(toolsPresent(arch), `${arch} binutils are missing`).toBe(true);
  });

  it(`assembles ${COUNT} random instructions to GNU as's bytes`, () => {
    const insns = fc.sample(anyInsnArb.filter((i) => assemblable(i, mode)), { seed: SEED, numRuns: COUNT });
    const lines = insns.map(sourceOf);
    const source = lines.join('\n') + '\n';
    const gnu = gnuAs(arch, source);
    expect(gnu.stderr).toBe('');
    const ours = assemble(source, isa, 'oracle.s');
    expect(ours.diagnostics.map((d) => `${d.span.line}: ${d.message} (${lines[d.span.line - 1]})`)).toEqual([]);
    const want = words(gnu.text!, isa), got = words(textBytes(ours.object), isa);
    const bad = lines.map((l, i) => (want[i] === got[i] ? '' : `${l}: gnu ${want[i]} patchlab ${got[i]}`)).filter(Boolean);
    expect(bad.slice(0, 20).join('\n'), `${bad.length} of ${lines.length} differ (seed ${SEED})`).toBe('');
    expect(got.length).toBe(lines.length);
  });

  it(`disassembles ${COUNT} random encodings and ${COUNT} random words as objdump does`, () => {
    const encoded = fc.sample(anyInsnArb, { seed: SEED + 1, numRuns: COUNT }).map((i: PpcInsn) => isa.encode(i));
    const raw = fc.sample(wordArb, { seed: SEED + 2, numRuns: COUNT }).map((w) => {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, w, isa.endian === 'little');
      return b;
    }).filter((b) => isa.decode(b, 0) !== undefined);
    const all = [...encoded, ...raw];
    const bytes = new Uint8Array(all.length * 4);
    all.forEach((b, i) => bytes.set(b, i * 4));
    const theirs = objdump(arch, bytes);
    const ours = disassemble(isa, bytes, 0n);
    expect(theirs.length).toBe(all.length);
    const bad: string[] = [];
    ours.forEach((l, i) => {
      const a = normalizeDisasm(theirs[i].mnemonic, theirs[i].operands), b = normalizeDisasm(l.mnemonic, l.operands);
      if (a !== b) bad.push(`${bytesToHex(l.bytes)} @${l.address.toString(16)}: objdump \`${a}\` patchlab \`${b}\``);
    });
    expect(bad.slice(0, 20).join('\n'), `${bad.length} of ${all.length} differ (seed ${SEED})`).toBe('');
    expect(raw.length).toBeGreaterThan(COUNT / 3);
  });
});

/** A function as the kernel writes them: ELFv2 global entry, TOC access, calls, a patch site, data. */
const FUNCTION: Readonly<Record<'ppc32' | 'ppc64', string>> = {
  ppc64: `.globl func
func:
0: addis 2,12,.TOC.-0b@ha
  addi 2,2,.TOC.-0b@l
  mflr 0
  std 0,16(1)
  stdu 1,-32(1)
  addis 3,2,var@toc@ha
  ld 3,var@toc@l(3)
  bl other
  nop
  b local_target
  beq cr7,1f
  lis 4,func@highesta
  ori 4,4,func@highera
  ld 5,var@toc(2)
1: addi 1,1,32
  blr
local_target:
  .p2align 4
  bdnz local_target
  .long other - .
  .quad func
`,
  ppc32: `.globl func
func:
  mflr 0
  stwu 1,-32(1)
  lis 3,var@ha
  lwz 3,var@l(3)
  bl other@plt
  b func
  beq cr7,1f
  li 4,other
  addis 5,5,other-.@ha
1: blr
local_target:
  .p2align 4
  bdnz local_target
  .long other - .
  .long local_target
`,
};

describe.each(ARCHES)('%s relocations against readelf', (arch, isa) => {
  it('match GNU as for a kernel-style function', () => {
    const t = TOOLS[arch];
    const dir = mkdtempSync(join(tmpdir(), 'patchlab-ppc-'));
    try {
      writeFileSync(join(dir, 'f.s'), FUNCTION[arch]);
      execFileSync(t.as, [...t.asFlags, '-o', join(dir, 'f.o'), join(dir, 'f.s')]);
      const elf = execFileSync(t.as.replace(/as$/, 'readelf'), ['-rW', join(dir, 'f.o')]).toString();
      const theirs = [...elf.matchAll(/^([0-9a-f]+)\s+[0-9a-f]+\s+(R_PPC\w+)\s+[0-9a-f]+\s+(\S+)\s+([+-])\s+([0-9a-f]+)$/gm)]
        .map((m) => `${parseInt(m[1], 16)} ${m[2]} ${m[3]} ${m[4] === '-' ? -parseInt(m[5], 16) : parseInt(m[5], 16)}`);
      const ours = assemble(FUNCTION[arch], isa, 'f.s');
      expect(ours.diagnostics).toEqual([]);
      const text = ours.object.sections.find((s) => s.name === '.text')!;
      expect(text.relocations.map((r) => `${r.offset} ${r.type} ${r.symbol} ${r.addend}`)).toEqual(theirs);
      expect(theirs.length).toBeGreaterThan(6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
