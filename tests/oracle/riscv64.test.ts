// riscv64 against GNU as and objdump, live: random instructions assembled, random parcels and words disassembled.
//
// Sources are objdump's own text for random encodings (every table entry, compressed or not, over whole
// field ranges), branch targets rewritten as `.+N`: GNU as and patchlab must give the same bytes, and
// accept the same lines. One seed per run (printed; PATCHLAB_SEED=n repeats a run).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/base/bits.js';
import { assemble, textBytes } from '../../src/isa/asm/assembler.js';
import { disassemble } from '../../src/isa/disasm.js';
import { decodeWord, encodeWord, riscv64Isa, type RiscvInsn } from '../../src/isa/riscv64/index.js';
import { print, spellingOf } from '../../src/isa/riscv64/print.js';
import { assembleBatch } from '../support/batch.js';
import { normalizeDisasm, objdump, toolsPresent } from '../support/binutils.js';

const SEED = process.env.PATCHLAB_SEED ? Number(process.env.PATCHLAB_SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`riscv64 oracle seed: ${SEED} (PATCHLAB_SEED=${SEED} to repeat)`);

const COUNT = 3000;

/** A 32-bit word of any major opcode the table uses, or a 16-bit parcel; words of 48 bits and more are left out. */
const wordArb = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).filter((v) => (v & 3) !== 3),
  fc.integer({ min: 0, max: 0xffffffff }).map((w) => (w | 3) >>> 0).filter((w) => (w & 0x1f) !== 0x1f),
);

/** Words patchlab decodes: what both directions draw from. */
const insnArb: fc.Arbitrary<RiscvInsn> = wordArb.map((w) => decodeWord(w)).filter((i): i is RiscvInsn => i !== undefined);

/** objdump's text for `insn`, with a pc-relative target as `.+N`; undefined for the `c.` hint spellings GNU as does not take. */
function sourceOf(insn: RiscvInsn): string | undefined {
  const s = spellingOf(insn);
  if (s.mnemonic.startsWith('c.')) return undefined;
  const t = print(insn, 0n);
  let ops = t.operands;
  if (s.syntax.endsWith('<target>')) ops = ops.replace(/[0-9a-f]+$/, `.${insn.imm >= 0 ? '+' : ''}${insn.imm}`);
  return ops ? `${t.mnemonic} ${ops}` : t.mnemonic;
}

function bytesOf(insns: readonly RiscvInsn[]): Uint8Array {
  const parts = insns.map((i) => riscv64Isa.encode(i));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('riscv64 against GNU binutils', () => {
  it('has the tools', () => {
    expect(toolsPresent('riscv64'), 'binutils-riscv64-linux-gnu is missing').toBe(true);
  });

  it(`assembles ${COUNT} random instructions to GNU as's bytes`, () => {
    const lines = fc.sample(insnArb, { seed: SEED, numRuns: COUNT }).map(sourceOf).filter((l): l is string => l !== undefined);
    const gnu = assembleBatch('riscv64', lines, 'gnu');
    const bad: string[] = [];
    let compared = 0;
    lines.forEach((line, i) => {
      const ours = assemble(line, riscv64Isa, 'oracle.s');
      const got = ours.diagnostics.length ? `error: ${ours.diagnostics[0].message}` : bytesToHex(textBytes(ours.object));
      const want = gnu[i] ? bytesToHex(gnu[i]!.bytes) : 'error';
      if (want === 'error' && got.startsWith('error')) return;
      compared++;
      if (got !== want) bad.push(`${line}: gnu ${want} patchlab ${got}`);
    });
    console.log(`riscv64: ${lines.length} random lines, ${compared} compared, ${bad.length} differ`);
    expect(bad.slice(0, 20).join('\n'), `${bad.length} of ${lines.length} differ (seed ${SEED})`).toBe('');
    expect(compared).toBeGreaterThan(lines.length * 0.9);
  });

  it(`disassembles ${COUNT} random encodings and ${COUNT} random words as objdump does`, () => {
    const encoded = bytesOf(fc.sample(insnArb, { seed: SEED + 1, numRuns: COUNT }).map((i) => decodeWord(encodeWord(i))!));
    const words = fc.sample(wordArb, { seed: SEED + 2, numRuns: COUNT });
    const raw = new Uint8Array(words.reduce((n, w) => n + ((w & 3) === 3 ? 4 : 2), 0));
    let at = 0;
    for (const w of words) {
      raw[at] = w & 0xff;
      raw[at + 1] = (w >>> 8) & 0xff;
      if ((w & 3) === 3) {
        raw[at + 2] = (w >>> 16) & 0xff;
        raw[at + 3] = w >>> 24;
      }
      at += (w & 3) === 3 ? 4 : 2;
    }
    const bytes = new Uint8Array(encoded.length + raw.length);
    bytes.set(encoded);
    bytes.set(raw, encoded.length);
    const theirs = objdump('riscv64', bytes);
    const ours = disassemble(riscv64Isa, bytes, 0n);
    expect(ours.length).toBe(theirs.length);
    const bad: string[] = [];
    ours.forEach((l, i) => {
      const a = normalizeDisasm(theirs[i].mnemonic, theirs[i].operands), b = normalizeDisasm(l.mnemonic, l.operands);
      if (a !== b) bad.push(`${bytesToHex(l.bytes)} @${l.address.toString(16)}: objdump \`${a}\` patchlab \`${b}\``);
    });
    console.log(`riscv64: ${ours.length} instructions disassembled, ${bad.length} differ`);
    expect(bad.slice(0, 20).join('\n'), `${bad.length} of ${ours.length} differ (seed ${SEED})`).toBe('');
  });
});
