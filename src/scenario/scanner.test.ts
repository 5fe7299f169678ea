import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../base/diagnostics.js';
import { parseNumberText, scanLine } from './scanner.js';

const scan = (text: string) => {
  const sink = new DiagnosticSink();
  const tokens = scanLine({ line: 3, text }, 'f', sink);
  return { tokens: tokens.map((t) => [t.kind, t.text, t.span.col, t.spaced]), codes: sink.list.map((d) => [d.code, d.span.col]) };
};

describe('scanLine', () => {
  it.each([
    ['arch x86-64', [['ident', 'arch', 1, true], ['ident', 'x86', 6, true], ['punct', '-', 9, false], ['number', '64', 10, false]]],
    ['update sc -> f # comment', [['ident', 'update', 1, true], ['ident', 'sc', 8, true], ['punct', '->', 11, true], ['ident', 'f', 14, true]]],
    ['knobs power.wordAtomicFetch', [['ident', 'knobs', 1, true], ['ident', 'power.wordAtomicFetch', 7, true]]],
    ['store t+4, "a \\"b\\" # c"', [['ident', 'store', 1, true], ['ident', 't', 7, true], ['punct', '+', 8, false], ['number', '4', 9, false], ['punct', ',', 10, false], ['string', 'a "b" # c', 12, true]]],
    ['# only a comment', []],
  ])('%s', (text, want) => {
    expect(scan(text)).toEqual({ tokens: want, codes: [] });
  });

  it.each([
    ['x "open', 'PL7016', 3],
    ['a ~ b', 'PL7017', 3],
  ])('%s → %s', (text, code, col) => {
    expect(scan(text).codes).toEqual([[code, col]]);
  });
});

describe('parseNumberText', () => {
  it.each([
    ['42', 42n], ['0x4000_0000', 0x40000000n], ['0b101', 5n], ['0x', undefined], ['4insn', undefined], ['1_', undefined], ['08', 8n],
  ])('%s', (text, want) => expect(parseNumberText(text)).toBe(want));
});
