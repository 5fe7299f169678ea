// GNU as operand syntax: what GNU as 2.40 makes of each line (bytes copied from its output), and the diagnostics for what it rejects.

import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../base/diagnostics.js';
import { assemble, textBytes } from '../asm/assembler.js';
import { parseExpression, scanTokens } from '../asm/expr.js';
import { splitOperands } from '../asm/lines.js';
import type { AsmValue, BuildEnv, InsnTemplate } from '../types.js';
import { arm64Isa, type Arm64Insn } from './index.js';

function words(source: string): string {
  const r = assemble(source, arm64Isa, 't.s');
  if (r.diagnostics.length) return r.diagnostics.map((d) => `${d.code}@${d.span.col}`).join(' ');
  const b = textBytes(r.object);
  const out: string[] = [];
  for (let i = 0; i < b.length; i += 4) out.push(((b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0).toString(16).padStart(8, '0'));
  return out.join(' ');
}

describe('GNU as syntax to bytes', () => {
  it.each([
    ['add x0, x1, #16', '91004020'],
    ['add x0, x1, #0x1000', '91400420'],
    ['add x0, x1, #-1', 'd1000420'],
    ['sub x0, x1, #-5', '91001420'],
    ['add x0, x1, #-4096', 'd1400420'],
    ['cmp x0, #-1', 'b100041f'],
    ['cmp x0, #4096', 'f140041f'],
    ['add x0, sp, x1', '8b2163e0'],
    ['add x0, x1, w2, uxtw #2', '8b224820'],
    ['add x0, x1, w2, uxtx', '8b226020'],
    ['add x0, sp, x2, lsl #2', '8b226be0'],
    ['mov x0, sp', '910003e0'],
    ['mov sp, x0', '9100001f'],
    ['mov wsp, w0', '1100001f'],
    ['mov x0, x1', 'aa0103e0'],
    ['mov x0, #16', 'd2800200'],
    ['mov x0, #0x10000', 'd2a00020'],
    ['mov x0, #-1', '92800000'],
    ['mov w0, #0xffffffff', '12800000'],
    ['mov x0, #0xffffffff', 'b2407fe0'],
    ['mov w0, #0xffff0000', '52bfffe0'],
    ['mov sp, #16', 'b27c03ff'],
    ['mov w0, #-0x80000001', '12b00000'],
    ['mov w0, #-0xffffffff', '52800020'],
    ['movz x0, #0x10, lsl 16', 'd2a00200'],
    ['and w0, w1, #-2', '121f7820'],
    ['and w0, w1, #-0xffffffff', '12000020'],
    ['neg x0, x1, lsl #3', 'cb010fe0'],
    ['mvn w0, w1, asr #2', '2aa10be0'],
    ['tst x0, x1, ror #3', 'eac10c1f'],
    ['ldr x0, [x1, #-8]', 'f85f8020'],
    ['ldr x0, [x1, #3]', 'f8403020'],
    ['ldr x0, [x1, 8]', 'f9400420'],
    ['ldrb w0, [x1, #-1]', '385ff020'],
    ['strh w0, [x1, #3]', '78003020'],
    ['ldrsw x0, [x1, #-4]', 'b89fc020'],
    ['ldr x0, [x1, w2, sxtw #0]', 'f862c820'],
    ['ldrb w0, [x1, w2, uxtw #0]', '38625820'],
    ['ldr w0, .+8', '18000040'],
    ['cset w3, eq', '1a9f17e3'],
    ['cinc w1, w2, gt', '1a82d441'],
    ['cneg x0, xzr, ge', 'da9fb7e0'],
    ['csel x0, x1, x2, hs', '9a822020'],
    ['stxr w2, x0, [x1]', 'c8027c20'],
    ['ldar w0, [sp]', '88dfffe0'],
    ['mrs x0, CTR_EL0', 'd53b0020'],
    ['mrs x0, s3_3_c0_c0_1', 'd53b0020'],
    ['msr s3_3_c15_c15_7, x0', 'd51bffe0'],
    ['ldr x0, 8', '58000040'],
    ['tbz x1, #3, .+8', '36180041'],
    ['tbz wzr, 0, .', '3600001f'],
    ['b.hs .+4', '54000022'],
    ['bhs .', '54000002'],
    ['b.none .', '54000000'],
    ['B.EQ .', '54000000'],
    ['hint #0', 'd503201f'],
    ['hint #0x22', 'd503245f'],
    ['dsb #0', 'd503309f'],
    ['isb sy', 'd5033fdf'],
    ['ret lr', 'd65f03c0'],
    ['ret ip1', 'd65f0220'],
    ['dgh', 'd50320df'],
    ['ic ivau, x2', 'd50b7522'],
    ['adr x0, .-1', '70ffffe0'],
    ['ADD X0, X1, #1', '91000420'],
    ['add x0, x1, #(1+2)', '91000c20'],
    ['x = 5\nadd x0, x1, #x', '91001420'],
    ['1: b 1b\nb 1f\n1: nop', '14000000 14000001 d503201f'],
    ['mov x0, x1, lsl #2', 'aa010be0'],
    ['lsl w0, w1, #0', '53007c20'],
    ['ubfiz w0, w1, #31, #1', '53010020'],
    ['sbfx x0, x1, #0, #32', '93407c20'],
    ['bfi x0, xzr, #4, #8', 'b37c1fe0'],
    ['bfm x0, x1, #0, #0', 'b3400020'],
    ['msr daifset, #2', 'd50342df'],
    ['eret', 'd69f03e0'],
  ])('%s', (source, hex) => {
    expect(words(source)).toBe(hex);
  });

  it('leaves symbols to relocations, with zero fields as GNU as does', () => {
    const r = assemble('adrp x0, g\nldr x1, [x0, :lo12:g]\nadd x0, x0, #:lo12:g+8\nbl g\nb.ne g\ntbz x0, 3, g\nadrp x1, .+4096\nadrp x2, 0x1000', arm64Isa, 't.s');
    expect(r.diagnostics).toEqual([]);
    expect(words('adrp x0, g\nldr x1, [x0, :lo12:g]')).toBe('90000000 f9400001');
    expect(r.object.sections[0].relocations.map((x) => `${x.offset} ${x.type} ${x.symbol}+${x.addend}`)).toEqual([
      '0 R_AARCH64_ADR_PREL_PG_HI21 g+0', '4 R_AARCH64_LDST64_ABS_LO12_NC g+0', '8 R_AARCH64_ADD_ABS_LO12_NC g+8', '12 R_AARCH64_CALL26 g+0',
      '16 R_AARCH64_CONDBR19 g+0', '20 R_AARCH64_TSTBR14 g+0', '24 R_AARCH64_ADR_PREL_PG_HI21 .text+4120', '28 R_AARCH64_ADR_PREL_PG_HI21 *ABS*+4096',
    ]);
  });

  it('leaves a branch to a global symbol of the same section to the linker', () => {
    const r = assemble('.globl g\ng: nop\nb g\nl: b l', arm64Isa, 't.s');
    expect(r.object.sections[0].relocations.map((x) => `${x.type} ${x.symbol}`)).toEqual(['R_AARCH64_JUMP26 g']);
    expect(words('.globl g\ng: nop\nb g\nl: b l')).toBe('d503201f 14000000 14000000');
  });
});

describe('diagnostics for what GNU as rejects', () => {
  // [source, code, the text the diagnostic points at ('' for the end of the line)]
  it.each([
    ['frob x0', 'PL2001', 'frob'],
    ['add x0, x1, #0x1001', 'PL2005', '0x1001'],
    ['add x0, x1, #1, lsl #24', 'PL2005', '24'],
    ['add x0, x1', 'PL2002', ''],
    ['add x0, x1, sp', 'PL2003', 'sp'],
    ['add w0, w1, x2', 'PL2010', 'x2'],
    ['add x0, x1, x2, ror #1', 'PL2012', 'ror'],
    ['add x0, x1, x2, x3', 'PL2012', 'x3'],
    ['adds sp, x0, #1', 'PL2016', 'sp'],
    ['mov x0, #0x10001', 'PL4003', '0x10001'],
    ['mov w0, #0x100000000', 'PL4003', '0x100000000'],
    ['and x0, x1, #0', 'PL4002', '0'],
    ['movz x0, #0x10000', 'PL2005', '0x10000'],
    ['movz w0, #1, lsl #32', 'PL2005', '32'],
    ['movz x0, #0x10, lsl #8', 'PL2005', '8'],
    ['ldr x0, [x1, #32768]', 'PL2008', '32768'],
    ['ldr x0, [x1, #256]!', 'PL2008', '256'],
    ['stp x29, x30, [sp, #4]', 'PL2009', '4'],
    ['ldr x0, [w1]', 'PL2010', 'w1'],
    ['ldr x0, [x1, w2]', 'PL2010', 'w2'],
    ['ldr x0, [x1, x2, lsl #2]', 'PL2005', 'lsl'],
    ['ldr x0, .+2', 'PL2007', '.+2'],
    ['ldr x0, .+0x100000', 'PL2006', '.+0x100000'],
    ['b .+0x8000000', 'PL2006', '.+0x8000000'],
    ['b .+1', 'PL2007', '.+1'],
    ['tbz w1, #32, .', 'PL2005', '32'],
    ['tbz x1, #64, .', 'PL2005', '64'],
    ['tbnz w0, 31, .+0x8000', 'PL2006', '.+0x8000'],
    ['cbz sp, .', 'PL2016', 'sp'],
    ['br x31', 'PL2004', 'x31'],
    ['dmb #16', 'PL2005', '16'],
    ['dsb foo', 'PL4001', 'foo'],
    ['isb ish', 'PL4001', 'ish'],
    ['bti k', 'PL2013', 'k'],
    ['hint #128', 'PL2005', '128'],
    ['brk #-1', 'PL2005', '-1'],
    ['ret x0, x1', 'PL2002', ','],
    ['add x0, x1, #g', 'PL1005', 'g'],
    ['ldur x0, [x1, #:lo12:g]', 'PL1016', ':lo12:g'],
    ['ldr x0, =5', 'PL1003', '=5'],
    ['ldpsw x0, x0, [x1]', 'PL2017', 'ldpsw'],
    ['lsl x0, x1, #64', 'PL2005', '64'],
    ['ubfx x0, x1, #60, #8', 'PL2005', '8'],
    ['ubfm w0, w1, #32, #0', 'PL2005', '32'],
    ['uxtb w0, x1', 'PL2010', 'x1'],
    ['msr daifset, #16', 'PL2005', '16'],
    ['cbz x0, :lo12:g', 'PL1016', ':lo12:g'],
    ['cset w0, al', 'PL2017', 'cset'],
    ['cinc w0, w1, nv', 'PL2017', 'cinc'],
    ['csel w0, w1, w2, xx', 'PL2013', 'xx'],
    ['csel w0, w1, x2, eq', 'PL2010', 'x2'],
    ['mrs x0, foo_el1', 'PL2013', 'foo_el1'],
    ['mrs w0, nzcv', 'PL2010', 'w0'],
    ['stxr x0, x1, [x2]', 'PL2010', 'x0'],
    ['ldar x0, [x1, #8]', 'PL2008', '8'],
  ])('%s', (source, code, at) => {
    const r = assemble(source, arm64Isa, 't.s');
    expect(r.diagnostics.map((d) => d.code)).toEqual([code]);
    const col = r.diagnostics[0].span.col;
    expect(at === '' ? col : source.slice(col - 1, col - 1 + at.length)).toBe(at === '' ? source.length + 1 : at);
  });

  it('reports a malformed expression once, from the expression parser', () => {
    const r = assemble('add x0, x1, #(1+', arm64Isa, 't.s');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['PL1003']);
  });
});

/** A statement as the front end hands it over, and a BuildEnv that resolves only constants. */
function template(line: string): { t: InsnTemplate<Arm64Insn> | undefined; sink: DiagnosticSink } {
  const sink = new DiagnosticSink();
  const tokens = scanTokens(line, 1, 1, 'u.s', sink);
  const [head, ...rest] = tokens;
  const opts = { dollarIsDot: false, postfixRelocOps: [], prefixRelocOps: ['lo12'], bindLocal: () => 'l' };
  const end = { file: 'u.s', line: 1, col: line.length + 1 };
  const t = arm64Isa.parseInstruction(
    { mnemonic: head.text, span: head.span, tokens: rest, operands: splitOperands(rest), end },
    { report: (c, s, ...a) => sink.report(c, s, ...a), parseExpr: (ts, i) => parseExpression(ts, i, opts, sink, end), constantNow: () => undefined },
  );
  return { t, sink };
}

function env(final: boolean, sink: DiagnosticSink, known = true): BuildEnv {
  return {
    final, address: 0x100n, section: '.text',
    evaluate: (e): AsmValue | undefined => (e.kind === 'num' ? { kind: 'const', value: e.value } : known ? { kind: 'const', value: 0x200n } : undefined),
    pcDisplacement: (v, from) => (v.kind === 'const' ? v.value - from : undefined),
    report: (c, s, ...a) => { if (final) sink.report(c, s, ...a); },
  };
}

describe('templates', () => {
  it('are one word long and build the canonical instruction (hint #0 is nop)', () => {
    const { t, sink } = template('hint #0');
    expect(t?.sizes).toEqual([4]);
    expect(t!.build(env(true, sink), 4)).toEqual({ insn: { op: 'nop' }, fixups: [] });
  });

  it('stay quiet in a relaxation pass and build a stand-in of the same size', () => {
    const { t, sink } = template('b.eq 0x10000000');
    expect(t!.build(env(false, sink), 4)).toEqual({ insn: { op: 'udf', imm16: 0 }, fixups: [] });
    expect(sink.count).toBe(0);
    expect(t!.build(env(true, sink), 4)).toBe('error');
    expect(sink.list.map((d) => d.code)).toEqual(['PL2006']);
  });

  it('give up without a second report when an operand cannot be evaluated', () => {
    const { t, sink } = template('b target');
    expect(t!.build(env(false, sink, false), 4)).toEqual({ insn: { op: 'udf', imm16: 0 }, fixups: [] });
    expect(t!.build(env(true, sink, false), 4)).toBe('error');
    expect(sink.count).toBe(0);
    expect(t!.build(env(true, sink), 4)).toEqual({ insn: { op: 'b', imm26: 0x40 }, fixups: [] });
  });
});
