// Diagnostics quote user text: control characters are escaped, so none reaches the terminal raw.

import { describe, expect, it } from 'vitest';
import { formatDiagnostic, makeDiagnostic } from './diagnostics.js';

const at = { file: 'x.scn', line: 1, col: 1 };

describe('diagnostics', () => {
  it.each([
    ['a\nb', 'a\\nb'],
    ['a\rb\tc', 'a\\rb\\tc'],
    ['\0', '\\x00'],
    ['\x1b[31mred', '\\x1b[31mred'],
    ['\x7f\x9b', '\\x7f\\x9b'],
    ['plain `text` é', 'plain `text` é'],
  ])('quotes user text %j with its control characters escaped', (arg, shown) => {
    const d = makeDiagnostic('PL1001', at, arg);
    expect(d.message).toBe(`unknown directive \`${shown}\``);
    expect(formatDiagnostic(d)).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });

  it('escapes a file name too', () => {
    expect(formatDiagnostic(makeDiagnostic('PL1001', { ...at, file: 'a\x1bb.s' }, 'x'))).toBe('a\\x1bb.s:1:1: error PL1001: unknown directive `x`');
  });
});
