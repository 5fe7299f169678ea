// patchlab against GNU as and objdump on thousands of random x86-64 instructions, in one batch each.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/base/bits.js';
import { assemble, textBytes } from '../../src/isa/asm/assembler.js';
import { disassemble } from '../../src/isa/disasm.js';
import { codeFill, encode } from '../../src/isa/x86-64/encode.js';
import { print } from '../../src/isa/x86-64/print.js';
import { x86_64Isa } from '../../src/isa/x86-64/index.js';
import { X86_FORMS } from '../../src/isa/x86-64/table-forms.js';
import { X86_INSN_OPS, insnArb } from '../support/arb-x86-64.js';
import { assembleBatch } from '../support/batch.js';
import { gnuAs, normalizeDisasm, toolsPresent } from '../support/binutils.js';
import { sourceArb } from '../support/source-x86-64.js';

const seed = Number(process.env.PATCHLAB_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`x86-64 oracle: PATCHLAB_SEED=${seed}`);

/** `n` samples of each form, so that every form is in every run. */
function perForm<T>(arb: (op: (typeof X86_INSN_OPS)[number]) => fc.Arbitrary<T>, n: number): T[] {
  return X86_INSN_OPS.flatMap((op, i) => fc.sample(arb(op), { seed: seed + i, numRuns: n }));
}

describe('x86-64 against binutils', () => {
  it('has the tools', () => {
    expect(toolsPresent('x86-64')).toBe(true);
  });

  it('disassembles random encodings as objdump does', () => {
    // One `.byte` case per instruction; objdump reads them as one stream (as `patchlab disasm` does).
    const insns = perForm(insnArb, 60);
    const lines = insns.map((i) => `.byte ${Array.from(encode(i)).join(',')}`);
    const cases = assembleBatch('x86-64', lines, 'gnu');
    const bad: string[] = [];
    cases.forEach((c, i) => {
      if (!c) {
        bad.push(`GNU as rejects ${lines[i]}`);
        return;
      }
      const theirs = c.objdump.map((d) => normalizeDisasm(d.mnemonic, d.operands)).join(' | ');
      const ours = disassemble(x86_64Isa, c.bytes, BigInt(c.address)).map((d) => normalizeDisasm(d.mnemonic, d.operands)).join(' | ');
      if (ours !== theirs) bad.push(`${c.address.toString(16)}: ${bytesToHex(c.bytes)}\n    objdump:  ${theirs}\n    patchlab: ${ours}`);
    });
    expect(bad.slice(0, 30).join('\n'), `${bad.length} of ${insns.length} differ`).toBe('');
  });

  it('assembles random source lines as GNU as does', () => {
    const lines = perForm(sourceArb, 50);
    const gnu = assembleBatch('x86-64', lines, 'gnu');
    const source = lines.map((l, i) => `case_${i}:\n${l}`).join('\n') + '\ncase_end:\n';
    const r = assemble(source, x86_64Isa, 'oracle.s');
    const diagnostics = r.diagnostics.map((d) => `${lines[Math.floor((d.span.line - 2) / 2)]}: ${d.code} ${d.message}`);
    expect(diagnostics.slice(0, 30).join('\n'), `${diagnostics.length} diagnostics`).toBe('');
    const text = textBytes(r.object);
    const addr = new Map(r.object.symbols.map((s) => [s.name, Number(s.value)]));
    const bad: string[] = [];
    lines.forEach((line, i) => {
      const g = gnu[i];
      if (!g) {
        bad.push(`GNU as rejects: ${line}`);
        return;
      }
      const from = addr.get(`case_${i}`)!, to = addr.get(i + 1 < lines.length ? `case_${i + 1}` : 'case_end')!;
      const mine = bytesToHex(text.slice(from, to));
      if (mine !== bytesToHex(g.bytes)) bad.push(`${line}\n    gnu:      ${bytesToHex(g.bytes)}\n    patchlab: ${mine}`);
    });
    expect(bad.slice(0, 30).join('\n'), `${bad.length} of ${lines.length} differ`).toBe('');
  });

  it("assembles objdump's own text as GNU as does, wherever GNU as takes it", () => {
    // Branch targets print as addresses, not as source; a written 0x0 on a nop is patchlab's deviation;
    // GNU as lets `data16` cut a push's immediate to 16 bits even beside rex.W (with a warning), the CPU does not.
    const texts = perForm(insnArb, 20)
      .filter((i) => !i.operands.some((o) => o.kind === 'rel'))
      .map((i) => {
        const p = print(i, 0n);
        return normalizeDisasm(p.mnemonic, p.operands);
      })
      .filter((t) => !/^(\S+ )*nop[wlq] (%[a-z]+:)?0x0\(/.test(t))
      .filter((t) => !/^(\S+ )*data16 (\S+ )*rex\.W\S* push \$/.test(t));
    const gnu = assembleBatch('x86-64', texts, 'gnu');
    const bad: string[] = [];
    let taken = 0;
    texts.forEach((line, i) => {
      const g = gnu[i];
      if (!g) return;
      taken++;
      const r = assemble(line, x86_64Isa, 'text.s');
      const mine = r.diagnostics.length ? r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ') : bytesToHex(textBytes(r.object));
      if (mine !== bytesToHex(g.bytes)) bad.push(`${line}\n    gnu:      ${bytesToHex(g.bytes)}\n    patchlab: ${mine}`);
    });
    expect(taken).toBeGreaterThan(texts.length / 3);
    expect(bad.slice(0, 30).join('\n'), `${bad.length} of ${taken} differ`).toBe('');
  });

  it('pads code for .p2align exactly as GNU as does', () => {
    // n bytes of padding: 256 - n bytes of 0xcc, then `.p2align 8`, then a ret that shows where it ended.
    const lengths = [...Array.from({ length: 31 }, (_, i) => i + 1), 32, 55, 86, 87, 88, 89, 128, 129, 130, 131, 200, 255];
    const bad: string[] = [];
    for (const n of lengths) {
      const source = `.skip ${256 - n},0xcc\n.p2align 8\nret\n`;
      const gnu = gnuAs('x86-64', source).text!;
      const theirs = bytesToHex(gnu.subarray(256 - n, 256));
      const ours = bytesToHex(codeFill(n));
      if (ours !== theirs) bad.push(`${n}: gnu ${theirs}\n    patchlab ${ours}`);
      const r = assemble(source, x86_64Isa, 'pad.s');
      if (bytesToHex(textBytes(r.object)) !== bytesToHex(gnu)) bad.push(`${n}: the assembler's padding differs`);
    }
    expect(bad.join('\n')).toBe('');
  });

  it('decodes random bytes only where objdump reads the same instruction', () => {
    // Bytes near our opcodes (prefixes, REX, an opcode byte of the table, anything after): each string
    // patchlab decodes is cut to that instruction, and all of them go to objdump as one stream.
    const opcodes = [...new Set(X86_INSN_OPS.map((op) => X86_FORMS[op].opcode.join(',')))].map((o) => o.split(',').map(Number));
    const byteArb = fc.tuple(
      fc.array(fc.constantFrom(0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3), { maxLength: 3 }),
      fc.option(fc.integer({ min: 0x40, max: 0x4f })),
      fc.constantFrom(...opcodes),
      fc.integer({ min: 0, max: 15 }),
      fc.uint8Array({ minLength: 12, maxLength: 12 }),
    ).map(([pre, rex, op, low, rest]) => {
      const opcode = [...op];
      opcode[opcode.length - 1] += low & 15;
      return Uint8Array.from([...pre, ...(rex === null ? [] : [rex]), ...opcode, ...rest]);
    });
    const decoded: Uint8Array[] = [];
    for (const b of fc.sample(byteArb, { seed, numRuns: 20000 })) {
      const insn = x86_64Isa.decode(b, 0);
      if (insn && insn.op !== 'prefix') decoded.push(b.slice(0, insn.length));
    }
    const lines = decoded.map((b) => `.byte ${Array.from(b).join(',')}`);
    const cases = assembleBatch('x86-64', lines, 'gnu');
    const bad: string[] = [];
    cases.forEach((c, i) => {
      const theirs = c!.objdump.map((d) => normalizeDisasm(d.mnemonic, d.operands)).join(' | ');
      const ours = disassemble(x86_64Isa, c!.bytes, BigInt(c!.address)).map((d) => normalizeDisasm(d.mnemonic, d.operands)).join(' | ');
      if (ours !== theirs) bad.push(`${bytesToHex(decoded[i])}\n    objdump:  ${theirs}\n    patchlab: ${ours}`);
    });
    expect(decoded.length).toBeGreaterThan(5000);
    expect(bad.slice(0, 30).join('\n'), `${bad.length} of ${decoded.length} differ`).toBe('');
  });
});
