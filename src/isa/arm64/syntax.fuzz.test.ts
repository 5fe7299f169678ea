// Thousands of malformed arm64 operand lines: parseInstruction and build never throw, and every rejection says where.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../base/diagnostics.js';
import { evaluateExpr, type EvalContext } from '../asm/evaluate.js';
import { parseExpression, scanTokens } from '../asm/expr.js';
import { splitOperands } from '../asm/lines.js';
import type { BuildEnv } from '../types.js';
import { arm64Isa } from './index.js';
import { TABLE } from './table.js';

const MNEMONICS = [...new Set(Object.values(TABLE).map((e) => e.mnemonic.replace('.<cond>', '.eq'))),
  'mov', 'cmp', 'cmn', 'tst', 'neg', 'mvn', 'ldur', 'yield', 'psb', 'beq', 'b.hs', 'b.none', 'b.', 'bx', 'ldrq'];
const WORDS = ['x0', 'w1', 'x30', 'sp', 'wsp', 'xzr', 'wzr', 'x31', 'w99', 'lr', 'fp', 'ip0', 'lsl', 'lsr', 'asr', 'ror', 'uxtw', 'sxtx',
  'uxtb', 'ish', 'sy', 'oshld', 'csync', 'cvau', 'ivau', 'iallu', 'c', 'j', 'jc', 'foo', 'g', '.', '.+8', '.-4', '1f', '1b',
  '#0', '#1', '#-1', '#12', '#16', '#63', '#64', '#4095', '#4096', '#0x1000', '#0xffff', '#0x10000', '#-0x80000001', '#0xfffffffe',
  '#0x5555555555555555', '#0xffffffffffffffffff', ':lo12:g', ':pg_hi21:g', ':lo12:', '#:lo12:g', '(', ')', '[', ']', ']!', '!', ',', '#',
  '+', '-', '*', '=', '{', '}', '@', ':', '0', '8', '255', '256', '-257', '32760', '0x7fffffc', '0x8000000'];

function lineArb(): fc.Arbitrary<string> {
  const word = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...WORDS) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) });
  const operands = fc.array(word, { maxLength: 8 }).chain((ws) => fc.constantFrom(', ', ' ', ',').map((sep) => ws.join(sep)));
  return fc.tuple(fc.constantFrom(...MNEMONICS), operands).map(([m, ops]) => `${m} ${ops}`.replace(/[\n\r;]/g, ' '));
}

/** Parse and build one line as the front end would, in its final pass; the diagnostics it produced. */
function run(line: string): { rejected: boolean; diagnostics: DiagnosticSink } {
  const sink = new DiagnosticSink();
  const file = 'fuzz.s';
  const tokens = scanTokens(line, 1, 1, file, sink);
  const before = sink.count;
  const [head, ...rest] = tokens;
  if (!head || head.kind !== 'ident') return { rejected: false, diagnostics: sink };
  const end = { file, line: 1, col: line.length + 1 };
  const opts = { dollarIsDot: false, postfixRelocOps: [], prefixRelocOps: arm64Isa.syntax.prefixRelocOps, bindLocal: () => 'local' };
  const template = arm64Isa.parseInstruction(
    { mnemonic: head.text, span: head.span, tokens: rest, operands: splitOperands(rest), end },
    { report: (c, s, ...a) => sink.report(c, s, ...a), parseExpr: (ts, i) => parseExpression(ts, i, opts, sink, end), constantNow: () => undefined },
  );
  if (!template) return { rejected: true, diagnostics: sink };
  expect(sink.count).toBe(before);
  const ctx: EvalContext = { symbols: new Map(), sink, quiet: false, placement: { section: '.text', dot: 0x40n, fragAddress: () => 0n } };
  const env: BuildEnv = {
    final: true, address: 0x40n, section: '.text',
    evaluate: (e, extra) => evaluateExpr(e, ctx, extra),
    pcDisplacement: (v, from) => (v.kind === 'const' ? v.value - from : v.kind === 'symbol' && v.section === '.text' && !v.global ? v.offset + v.addend - from : undefined),
    report: (c, s, ...a) => sink.report(c, s, ...a),
  };
  const r = template.build(env, template.sizes[0]);
  if (r === 'error') return { rejected: true, diagnostics: sink };
  if (r === 'grow') throw new Error(`${line}: a one-size template asked to grow`);
  expect(arm64Isa.encode(r.insn)).toHaveLength(4);
  return { rejected: false, diagnostics: sink };
}

describe('arm64 operand fuzz', () => {
  it('never throws, and every rejected line has a diagnostic inside the line', () => {
    let rejected = 0, total = 0;
    fc.assert(fc.property(lineArb(), (line) => {
      const r = run(line);
      total++;
      if (!r.rejected) return;
      rejected++;
      expect(r.diagnostics.count).toBeGreaterThan(0);
      for (const d of r.diagnostics.list) {
        expect(d.span.file).toBe('fuzz.s');
        expect(d.span.line).toBe(1);
        expect(d.span.col).toBeGreaterThanOrEqual(1);
        expect(d.span.col).toBeLessThanOrEqual(line.length + 1);
        expect(d.message).not.toMatch(/\{\d\}/);
      }
    }), { seed: 20260, numRuns: 8000 });
    // The generator is meant to produce mostly bad lines: make sure it does.
    expect(rejected / total).toBeGreaterThan(0.7);
  });

  it('accepts the well-formed lines among them', () => {
    for (const line of ['add x0, x1, #1', 'ldr x0, [x1, #8]!', 'dsb ish', 'b.eq .+8', 'mov x0, #0x10000', 'tst w1, #0xfffffffe']) {
      expect(run(line).rejected, line).toBe(false);
    }
  });
});
