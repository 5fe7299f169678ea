// Malformed AT&T lines: parseInstruction and build never throw, and every rejection says where.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goldenCases } from '../../../scripts/golden/x86-64.js';
import { sourceArb } from '../../../tests/support/source-x86-64.js';
import { DiagnosticSink, type SourceSpan } from '../../base/diagnostics.js';
import { evaluateExpr } from '../asm/evaluate.js';
import { parseExpression, scanTokens } from '../asm/expr.js';
import { splitOperands } from '../asm/lines.js';
import type { BuildEnv, ParseContext } from '../types.js';
import { encode } from './encode.js';
import { x86_64Isa } from './index.js';
import { X86_OPS } from './table-forms.js';

const FILE = 'fuzz.s';
const VOCABULARY = [
  '%', '$', '(', ')', ',', '*', ':', ' ', '-', '+', '%rax', '%r8d', '%ah', '%spl', '%fs:', '%rip', '%riz', '%eax,', '(%rsp,%rsp)',
  '0x', '1', '8', '0x80000000', '-0x81', '99999999999999999999999', 'foo', 'foo@plt', '@gotpcrel', '.d8', '.d32', '.s', 'lock ',
  'cs ', 'rex.W ', ',pt', '.', '.+0x100', "'", '{', '}', '[', ']', '#', ';', '\\', 'q', 'l', 'b',
  // names every JavaScript object has: a lookup table must not take them for registers or prefixes
  'constructor ', '%constructor', '%__proto__', 'toString', ',hasOwnProperty', 'valueOf ',
];

const seeds: string[] = [...goldenCases('x86-64').filter((l) => !l.startsWith('.')), ...X86_OPS.filter((op) => op !== 'prefix').flatMap((op, i) => fc.sample(sourceArb(op), { seed: i, numRuns: 2 }))];

/** A mutation: replace a slice of the line by a vocabulary word (or nothing). */
const mutation = fc.record({ at: fc.nat(), len: fc.nat(4), word: fc.oneof(fc.constantFrom(...VOCABULARY), fc.constant('')) });
const malformedArb = fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([line, muts]) => {
  let s = line;
  for (const m of muts) {
    const at = m.at % (s.length + 1);
    s = s.slice(0, at) + m.word + s.slice(at + m.len);
  }
  return s;
});

function real(span: SourceSpan, line: string): boolean {
  return span.file === FILE && span.line === 1 && span.col >= 1 && span.col <= line.length + 1;
}

/** One statement through the arch alone, with a ParseContext and a BuildEnv of the front end's parts. */
function run(line: string): { accepted: boolean | 'not an instruction'; sink: DiagnosticSink } {
  const sink = new DiagnosticSink();
  const tokens = scanTokens(line, 1, 1, FILE, sink);
  const end: SourceSpan = { file: FILE, line: 1, col: line.length + 1 };
  // What the front end takes for itself (labels, directives, `x = 1`) or rejects before the arch sees it.
  const head = tokens[0];
  if (!head || head.kind !== 'ident' || head.text.startsWith('.') || [':', '='].includes(tokens[1]?.text ?? '')) {
    return { accepted: 'not an instruction', sink };
  }
  const opts = { dollarIsDot: false, postfixRelocOps: x86_64Isa.syntax.postfixRelocOps, prefixRelocOps: [], bindLocal: (n: bigint, d: string) => `${n}${d}` };
  const symbols = new Map();
  const ctx: ParseContext = {
    report: (code, span, ...args) => sink.report(code, span, ...args),
    parseExpr: (toks, start) => parseExpression(toks, start, opts, sink, end),
    constantNow: (e) => {
      const v = evaluateExpr(e, { symbols, sink, quiet: true, placement: undefined });
      return v?.kind === 'const' ? v.value : undefined;
    },
  };
  const rest = tokens.slice(1);
  const template = x86_64Isa.parseInstruction({ mnemonic: tokens[0].text, span: tokens[0].span, tokens: rest, operands: splitOperands(rest), end }, ctx);
  if (!template) return { accepted: false, sink };
  const placement = { section: '.text', dot: 0x1000n, fragAddress: () => 0n };
  const env: BuildEnv = {
    final: true, address: 0x1000n, section: '.text',
    evaluate: (e) => evaluateExpr(e, { symbols, sink, quiet: false, placement }),
    pcDisplacement: (v, from) => (v.kind === 'const' ? v.value - from : v.kind === 'symbol' && v.section === '.text' ? v.offset + v.addend - from : undefined),
    report: (code, span, ...args) => sink.report(code, span, ...args),
  };
  let accepted = false;
  for (const size of template.sizes) {
    const r = template.build(env, size);
    if (r === 'grow') continue;
    if (r === 'error') break;
    expect(encode(r.insn).length).toBe(size);
    accepted = true;
    break;
  }
  return { accepted, sink };
}

describe('x86-64 syntax fuzz', () => {
  it('has seeds that all assemble', () => {
    const bad = seeds.filter((l) => run(l).accepted !== true);
    expect(bad).toEqual([]);
  });

  it('never throws, and reports every rejection with a real span', () => {
    let rejected = 0;
    fc.assert(
      fc.property(malformedArb, (line) => {
        const { accepted, sink } = run(line);
        for (const d of sink.list) expect(real(d.span, line), `${line}: ${d.code} at ${d.span.col}`).toBe(true);
        if (accepted === false) {
          rejected++;
          expect(sink.count, `no diagnostic for ${JSON.stringify(line)}`).toBeGreaterThan(0);
        }
      }),
      { numRuns: 6000, seed: 0x3e },
    );
    expect(rejected).toBeGreaterThan(1000);
  });
});
