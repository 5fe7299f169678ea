// ppc32 and ppc64 against GNU as and objdump, live: random instructions assembled, random words disassembled.
//
// One seed per run (printed; PATCHLAB_SEED=n repeats a run). Each direction is one batch per arch.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, readU32 } from '../../src/base/bits.js';
import { assemble, textBytes } from '../../src/isa/asm/assembler.js';
import { disassemble } from '../../src/isa/disasm.js';
import { ppc32Isa, ppc64Isa } from '../../src/isa/ppc/index.js';
import { LAYOUTS } from '../../src/isa/ppc/encode.js';
import type { PpcInsn } from '../../src/isa/ppc/table.js';
import { anyInsnArb, assemblable, sourceOf } from '../support/arb-ppc.js';
import { gnuAs, normalizeDisasm, objdump, toolsPresent } from '../support/binutils.js';

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
