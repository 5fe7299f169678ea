// The common front end on a toy arch: labels, local labels, directives, relaxation, relocations, diagnostics.
import { describe, expect, it } from 'vitest';
import { bytesToHex, writeUint } from '../../base/bits.js';
import type { AsmSyntax, BuildResult, Isa, InsnTemplate } from '../types.js';
import { assemble, textBytes } from './assembler.js';
import { MAX_EXPR_DEPTH } from './expr.js';

/**
 * Toy encodings: `nop` = 00; `br X` = 10 d8 (rel8) or 11 d32 (rel32, 5 bytes), from the end of the
 * instruction; `ldi X` = 20 imm32 absolute (R_TOY_32 when symbolic). Little-endian.
 */
type Toy = { op: 'nop' } | { op: 'br8' | 'br32'; disp: number } | { op: 'ldi'; imm: number };
const syntax: AsmSyntax = {
  lineComments: ['#'], lineStartComments: [], alignIsPowerOfTwo: false, wordSize: 2,
  dollarIsDot: false, postfixRelocOps: ['l', 'ha'], prefixRelocOps: ['lo12'],
};
const toy: Isa<Toy> = {
  arch: 'x86-64', endian: 'little', addressBits: 64, insnAlign: 1, maxInsnLength: 5, syntax, resolvesGlobalPcrel: true,
  decode: () => undefined,
  length: (i) => (i.op === 'nop' ? 1 : i.op === 'br8' ? 2 : 5),
  encode: (i) => {
    if (i.op === 'nop') return Uint8Array.of(0);
    const out = new Uint8Array(i.op === 'br8' ? 2 : 5);
    out[0] = i.op === 'br8' ? 0x10 : i.op === 'br32' ? 0x11 : 0x20;
    writeUint(out, 1, out.length - 1, BigInt(i.op === 'ldi' ? i.imm : i.disp), 'little');
    return out;
  },
  print: () => ({ mnemonic: '', operands: '' }),
  undecodable: () => ({ length: 1, text: { mnemonic: '(bad)', operands: '' } }),
  parseInstruction(stmt, ctx): InsnTemplate<Toy> | undefined {
    const m = stmt.mnemonic.toLowerCase();
    if (m === 'nop') return { sizes: [1], build: () => ({ insn: { op: 'nop' }, fixups: [] }) };
    if (m !== 'br' && m !== 'ldi') {
      ctx.report('PL2001', stmt.span, stmt.mnemonic);
      return undefined;
    }
    const r = ctx.parseExpr(stmt.operands[0] ?? [], 0);
    if (!r) return undefined;
    if (m === 'ldi') {
      return {
        sizes: [5],
        build: (env): BuildResult<Toy> => {
          const v = env.evaluate(r.expr);
          if (!v) return 'error';
          if (v.kind === 'const') return { insn: { op: 'ldi', imm: Number(v.value) }, fixups: [] };
          if (v.kind === 'reloc') return 'error';
          return { insn: { op: 'ldi', imm: 0 }, fixups: [{ offset: 1, type: 'R_TOY_32', target: v, addend: v.addend }] };
        },
      };
    }
    return {
      sizes: [2, 5],
      build: (env, size): BuildResult<Toy> => {
        const v = env.evaluate(r.expr);
        if (!v) return 'error';
        const d = env.pcDisplacement(v, env.address + BigInt(size));
        if (size === 2) return d !== undefined && d >= -128n && d < 128n ? { insn: { op: 'br8', disp: Number(d) }, fixups: [] } : 'grow';
        if (d !== undefined) return { insn: { op: 'br32', disp: Number(d) }, fixups: [] };
        if (v.kind !== 'symbol') return 'error';
        return { insn: { op: 'br32', disp: 0 }, fixups: [{ offset: 1, type: 'R_TOY_PC32', target: v, addend: v.addend - 4n }] };
      },
    };
  },
  codeFill: (n) => new Uint8Array(n).fill(0x90),
  dataRelocation: (size, pcrel) => `R_TOY_${pcrel ? 'PC' : ''}${size * 8}`,
  applyRelocation: () => undefined,
};

const hexOf = (src: string) => {
  const r = assemble(src, toy, 't.s');
  expect(r.diagnostics).toEqual([]);
  return bytesToHex(textBytes(r.object));
};

describe('assembler front end', () => {
  it('resolves backward and forward labels, choosing the short branch when it reaches', () => {
    expect(hexOf('a: nop\n br a\n br b\n nop\nb: nop')).toBe('00 10 fd 10 01 00 00');
  });

  it('grows a branch whose target is out of rel8 range, and keeps growth monotone', () => {
    const body = Array(200).fill('nop').join('\n');
    expect(hexOf(`br far\n${body}\nfar: nop`).slice(0, 14)).toBe('11 c8 00 00 00');
  });

  it('takes time linear in a line of 200 000 spaces (no backtracking regular expression on the line)', () => {
    const spaces = ' '.repeat(200_000);
    for (const src of [`${spaces}nop`, `nop${spaces}# c`, `nop${spaces}; nop${spaces}`, `${spaces}\t${spaces}nop${spaces}\n`]) {
      const t0 = performance.now();
      expect(hexOf(src)).toMatch(/^00( 00)?$/);
      expect(performance.now() - t0).toBeLessThan(2000);
    }
  });

  it('takes time linear in the labels on one line (40 000 of them before a nop)', () => {
    const src = `${Array.from({ length: 40_000 }, (_, i) => `l${i}:`).join(' ')} nop`;
    const t0 = performance.now();
    expect(hexOf(src)).toMatch(/^00( 00)?$/);
    // Before: each label cut the rest of the line again, 10 s here; a guard against quadratic time, not a benchmark.
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('binds numeric local labels to the nearest definition in each direction', () => {
    expect(hexOf('1: nop\n br 1b\n br 1f\n1: nop\n br 1b')).toBe('00 10 fd 10 00 00 10 fd');
  });

  it('reports a numeric label reference with no definition, with its column', () => {
    const r = assemble('  br 2f\n', toy, 'x.s');
    expect(r.diagnostics.map((d) => [d.code, d.span.line, d.span.col])).toEqual([['PL1006', 1, 6]]);
  });

  it('leaves a relocation against an undefined symbol, with zero in the field', () => {
    const r = assemble('nop\nbr ext+8\n', toy);
    expect(bytesToHex(textBytes(r.object))).toBe('00 11 00 00 00 00');
    expect(r.object.sections[0].relocations).toEqual([{ offset: 2, type: 'R_TOY_PC32', symbol: 'ext', addend: 4n }]);
  });

  it('rewrites a relocation against a local symbol as section plus offset', () => {
    const r = assemble('.data\n.byte 1,2\nv: .long 0\n.text\nldi v+1\n', toy);
    expect(r.object.sections.find((s) => s.name === '.text')!.relocations).toEqual([
      { offset: 1, type: 'R_TOY_32', symbol: '.data', addend: 3n },
    ]);
  });

  it('folds differences of labels in one section and emits pc-relative data relocations for sym - .', () => {
    const r = assemble('a: nop\nnop\nb: .long b - a, ext - .\n', toy);
    expect(r.diagnostics).toEqual([]);
    expect(bytesToHex(textBytes(r.object))).toBe('00 00 02 00 00 00 00 00 00 00');
    expect(r.object.sections[0].relocations).toEqual([{ offset: 6, type: 'R_TOY_PC32', symbol: 'ext', addend: 0n }]);
  });

  it('pads code with the arch fill and data with zeros; honours .p2align max', () => {
    expect(hexOf('nop\n.balign 4\nnop\n.p2align 3,,2\nnop')).toBe('00 90 90 90 00 00');
    const r = assemble('.data\n.byte 1\n.align 4\n.byte 2', toy);
    expect(bytesToHex(r.object.sections.find((s) => s.name === '.data')!.bytes)).toBe('01 00 00 00 02');
  });

  it('handles .pushsection/.popsection, .set, .size and .type', () => {
    const r = assemble(
      '.set K, 3*4+1\nf: nop\n.pushsection .rodata,"a"\n.byte K\n.popsection\nnop\n.size f, .-f\n.type f,@function\n.globl f\n',
      toy,
    );
    expect(r.diagnostics).toEqual([]);
    expect(bytesToHex(r.object.sections.find((s) => s.name === '.rodata')!.bytes)).toBe('0d');
    const f = r.object.symbols.find((s) => s.name === 'f')!;
    expect([f.section, f.value, f.size, f.type, f.global]).toEqual(['.text', 0n, 2n, 'function', true]);
  });

  it('keeps going after errors and reports each with file:line:col', () => {
    const r = assemble('bogus 1\n.frob\n.byte 300\n.long 1 +\nnop\n', toy, 'e.s');
    expect(r.diagnostics.map((d) => `${d.code}@${d.span.line}:${d.span.col}`)).toEqual([
      'PL2001@1:1', 'PL1001@2:1', 'PL1007@3:7', 'PL1003@4:10',
    ]);
    // The good statement after the bad ones is still assembled.
    expect(bytesToHex(textBytes(r.object))).toBe('00 00'); // the bad .byte keeps its place; nop follows
  });

  it('fills as GNU as 2.40: at most four value bytes, then zeros', () => {
    // GNU little-endian output for `.fill 3,2,0x1234; .fill 2,8,-1; .fill 1,3,0x123456`.
    const r = assemble('.data\n.fill 3,2,0x1234\n.fill 2,8,-1\n.fill 1,3,0x123456\n', toy);
    expect(bytesToHex(r.object.sections.find((s) => s.name === '.data')!.bytes)).toBe(
      '34 12 34 12 34 12 ff ff ff ff 00 00 00 00 ff ff ff ff 00 00 00 00 56 34 12',
    );
  });

  it('lists every byte of a section once, padding included', () => {
    const r = assemble('nop\n.balign 4\nnop\n', toy);
    expect(r.object.listing.map((e) => [e.offset, bytesToHex(e.bytes), e.source])).toEqual([
      [0, '00', 'nop'], [1, '90 90 90', '(padding to 4 bytes)'], [4, '00', 'nop'],
    ]);
  });

  it('knows .inst only where the arch has it', () => {
    expect(assemble('.inst 0xd503201f\n', toy, 'i.s').diagnostics.map((d) => d.code)).toEqual(['PL1001']);
    const withInst = { ...toy, syntax: { ...toy.syntax, instDirective: true } };
    expect(bytesToHex(textBytes(assemble('.inst 0xd503201f\n', withInst).object))).toBe('1f 20 03 d5');
  });

  it('rejects pseudo-prefixes the arch does not define', () => {
    const r = assemble('{disp8} nop\n', toy, 'p.s');
    expect(r.diagnostics.map((d) => `${d.code}@${d.span.col}`)).toEqual(['PL1002@2']);
  });

  it('strips block and line comments and splits statements at ;', () => {
    expect(hexOf('nop # c\n/* a\n b */ nop ; nop\n ldi 0x10 /* x */')).toBe('00 00 00 20 10 00 00 00');
  });

  it('reports an expression nested past MAX_EXPR_DEPTH at the token that goes one level too deep, not a stack overflow', () => {
    const n = 5000;
    const cases: [string, string, number][] = [
      ['parentheses', `.long ${'('.repeat(n)}1${')'.repeat(n)}`, 7 + MAX_EXPR_DEPTH],
      ['unary minus', `.long ${'-'.repeat(n)}1`, 7 + MAX_EXPR_DEPTH],
      ['a chain of +', `.long 1${'+1'.repeat(n)}`, 6 + 2 * MAX_EXPR_DEPTH],
      ['postfix relocation operators', `.long 1${'@l'.repeat(n)}`, 6 + 2 * MAX_EXPR_DEPTH],
    ];
    for (const [what, src, col] of cases) {
      const r = assemble(`${src}\n`, toy, 'deep.s');
      expect(r.diagnostics.map((d) => `${d.code}@${d.span.line}:${d.span.col}`), what).toEqual([`PL1025@1:${col}`]);
    }
    // At the limit it still assembles.
    const d = MAX_EXPR_DEPTH;
    expect(assemble(`.long ${'('.repeat(d)}1${')'.repeat(d)}, ${'-'.repeat(d - 1)}1\n`, toy).diagnostics).toEqual([]);
  });
});
