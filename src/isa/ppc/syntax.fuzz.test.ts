// Thousands of malformed ppc operand lines straight into parseInstruction: diagnostics with real spans, never a throw.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink, type SourceSpan } from '../../base/diagnostics.js';
import { parseExpression, scanTokens, type ExprParserOptions } from '../asm/expr.js';
import { evaluateExpr, type EvalContext } from '../asm/evaluate.js';
import type { SymbolState } from '../asm/fragments.js';
import { splitOperands } from '../asm/lines.js';
import type { BuildEnv, ParseContext } from '../types.js';
import { ppc32Isa, ppc64Isa } from './index.js';

const FILE = 'fuzz.s';
const MNEMONICS = [
  'b', 'ba', 'bl', 'bla', 'bc', 'bca', 'bcl', 'bcla', 'bclr', 'bcctrl', 'beq', 'bne+', 'blt-', 'bgela', 'bdnz', 'bdnzt', 'bdzflr',
  'beqlr', 'bnectr', 'blr', 'bctrl', 'bt', 'bf', 'li', 'lis', 'addi', 'addis', 'ori', 'oris', 'xori', 'andi.', 'nop', 'xnop', 'mr',
  'mr.', 'or', 'add.', 'subf', 'sub', 'neg', 'cmpwi', 'cmpdi', 'cmplwi', 'cmpldi', 'cmpw', 'cmpd', 'cmpi', 'cmp', 'lwz', 'lwzu',
  'stw', 'stwu', 'lbz', 'lhau', 'ld', 'ldu', 'std', 'stdu', 'lwa', 'mtctr', 'mflr', 'mtspr', 'mfspr', 'mtsprg', 'sync', 'lwsync',
  'hwsync', 'isync', 'icbi', 'dcbst', 'dcbf', 'tw', 'twi', 'trap', 'tweq', 'twnei', 'sc', 'lu', 'frob', 'BEQ', 'Add',
];
const PIECES = [
  'r0', 'r3', 'r31', 'r32', '%r3', '%', 'R5', 'sp', 'rtoc', 'cr0', 'cr7', 'cr8', '%cr2', 'lt', 'eq', 'un', '4*cr7+eq', 'cr1+eq',
  '0', '3', '-1', '31', '32', '32767', '32768', '-32768', '0x8000', '0xffff', '0x10000', '0xffffffffffffffff', '08', '0b2', "'a",
  'x', 'x@ha', 'x@l', 'x@toc@l', 'x@plt', 'x@higher', '.TOC.-0b@ha', '(x-.)@l', '$+4', '.+8', '.-0x8000', '.+6', '.', '$',
  '1f', '1b', '(', ')', '(r1)', '8(r1)', '-4(0)', '(1)', '()', '8()', 'x(3)', ',', ',,', '+', '-', '*', '@', '@l', '+4', '\t', ' ',
];

const opts = (isa: typeof ppc32Isa): ExprParserOptions => ({
  dollarIsDot: isa.syntax.dollarIsDot, postfixRelocOps: isa.syntax.postfixRelocOps, prefixRelocOps: isa.syntax.prefixRelocOps,
  bindLocal: (n) => `${n}\u00020`,
});

/** Parse and (if that worked) build one line the way the assembler would, with no symbols defined. */
function runLine(line: string, isa: typeof ppc32Isa): { accepted: boolean; sink: DiagnosticSink } {
  const sink = new DiagnosticSink();
  const end: SourceSpan = { file: FILE, line: 1, col: line.length + 1 };
  const tokens = scanTokens(line, 1, 1, FILE, sink);
  if (tokens.length === 0 || tokens[0].kind !== 'ident') return { accepted: sink.count === 0, sink };
  const rest = tokens.slice(1);
  const symbols = new Map<string, SymbolState>();
  const evalCtx = (quiet: boolean): EvalContext => ({
    symbols, sink, quiet, placement: { section: '.text', dot: 0x100n, fragAddress: () => 0n },
  });
  const ctx: ParseContext = {
    report: (code, span, ...args) => sink.report(code, span, ...args),
    parseExpr: (toks, start) => parseExpression(toks, start, opts(isa), sink, end),
    constantNow: (expr) => {
      const v = evaluateExpr(expr, { symbols, sink, quiet: true, placement: undefined });
      return v?.kind === 'const' ? v.value : undefined;
    },
  };
  const template = isa.parseInstruction({ mnemonic: tokens[0].text, span: tokens[0].span, tokens: rest, operands: splitOperands(rest), end }, ctx);
  if (!template) return { accepted: false, sink };
  const env: BuildEnv = {
    final: true, address: 0x100n, section: '.text',
    evaluate: (expr, extra) => evaluateExpr(expr, evalCtx(false), extra),
    pcDisplacement: (v, from) => (v.kind === 'const' ? v.value - from : v.kind === 'symbol' && v.section === '.text' && v.minus === undefined ? v.offset + v.addend - from : undefined),
    report: (code, span, ...args) => sink.report(code, span, ...args),
  };
  const r = template.build(env, template.sizes[0]);
  if (r === 'grow' || r === 'error') return { accepted: false, sink };
  isa.encode(r.insn);
  return { accepted: sink.count === 0, sink };
}

const lineArb = fc.tuple(
  fc.constantFrom(...MNEMONICS),
  fc.array(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }), { maxLength: 6 }),
  fc.constantFrom(',', '', ' '),
).map(([m, parts, sep]) => `${m} ${parts.join(sep)}`);

describe.each([['ppc32', ppc32Isa], ['ppc64', ppc64Isa]] as const)('%s operand fuzz', (_name, isa) => {
  it('rejects with diagnostics that point into the line, and never throws', () => {
    let rejected = 0;
    fc.assert(fc.property(lineArb, (line) => {
      const { accepted, sink } = runLine(line, isa);
      if (!accepted) {
        rejected++;
        expect(sink.count, line).toBeGreaterThan(0);
      }
      for (const d of sink.list) {
        expect(d.span.file).toBe(FILE);
        expect(d.span.line).toBe(1);
        expect(d.span.col).toBeGreaterThanOrEqual(1);
        expect(d.span.col).toBeLessThanOrEqual(line.length + 1);
        expect(d.message).not.toMatch(/undefined|NaN|\{\d\}/);
      }
    }), { seed: 50_005, numRuns: 5000 });
    expect(rejected).toBeGreaterThan(2500);
  });
});
