// AArch64 ifetch litmus tests of our own (tests/fixtures/litmus/arm64/), in the shapes of herd7's catalogue
// (shared/oracles/herd-aarch64-ifetch; tests/oracle/herd-arm64.test.ts runs the catalogue itself), for the
// two orders herd7 derives between a CPU's instruction fetches (aarch64.cat, IC-ob), under strictFetch:
// - with DIC, fetches in program order are ordered like loads, across locations too (mp-ff);
// - without it, a fetch of a value stored after some IC's maintenance completed orders the CPU's later
//   fetches after that IC: they see at least what the maintenance made visible (mp-bind, coff-bind);
// and when a CPU's own store is ordered before its ISB: only through a DSB, even with DIC and IDC (sm-own-isb).
// Each with the variant that herd7 allows, or forbids.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/base/diagnostics.js';
import { DEFAULT_KNOBS } from '../src/machine/fetch.js';
import { litmusKnobs, litmusVerdict, runLitmus } from '../src/verify/litmus.js';
import { parseLitmus } from '../src/verify/litmus-syntax.js';

const dir = 'tests/fixtures/litmus/arm64/';

/** herd7's verdict for the fixture `file`, edited by `edit`, under its CacheType (and strictFetch). */
function verdict(file: string, edit: (text: string) => string = (t) => t): string {
  const parsed = parseLitmus(edit(readFileSync(dir + file, 'utf8')), file);
  if (!parsed.ok) throw new Error(parsed.diagnostics.map(formatDiagnostic).join('\n'));
  const run = runLitmus(parsed.test, litmusKnobs(parsed.test, DEFAULT_KNOBS));
  if (!run.ok) throw new Error(run.diagnostics.map(formatDiagnostic).join('\n'));
  expect(run.result.stuck || run.result.unpredictable).toBe(false);
  return litmusVerdict(run.result);
}

const withCacheType = (type: string) => (text: string) => text.replace(/^(AArch64 .*)\n/, `$1\nCacheType=${type}\n`);
/** P0's DC CVAU, DSB ISH and IC IVAU rows emptied. */
const withoutMaintenance = (text: string) => text.replace(/^ (DC CVAU,X1|DSB ISH|IC IVAU,X1) *\|/gm, ' |');

describe('AArch64 ifetch litmus tests (our own): how herd7 orders a CPU\'s fetches', () => {
  it('mp-ff: with DIC, new b then old a is Forbidden; without DIC it is Allowed (no maintenance, no ISB)', () => {
    expect(verdict('mp-ff.litmus', withCacheType('DIC'))).toBe('Forbidden');
    expect(verdict('mp-ff.litmus')).toBe('Allowed');
    expect(verdict('mp-ff.litmus', withCacheType('IDC'))).toBe('Allowed');
  });

  it('mp-bind: a fetch of a store made after a\'s maintenance completed binds the later fetch of a (Forbidden); without the maintenance Allowed', () => {
    expect(verdict('mp-bind.litmus')).toBe('Forbidden');
    expect(verdict('mp-bind.litmus', withCacheType('IDC'))).toBe('Forbidden');
    expect(verdict('mp-bind.litmus', withoutMaintenance)).toBe('Allowed');
  });

  it('coff-bind: after the value stored past the maintenance, never the original (Forbidden), but still the maintained one (Allowed)', () => {
    expect(verdict('coff-bind.litmus')).toBe('Forbidden');
    expect(verdict('coff-bind.litmus', (t) => t.replace('exists (1:X5=2 /\\ 1:X6=0)', 'exists (1:X5=2 /\\ 1:X6=1)'))).toBe('Allowed');
    expect(verdict('coff-bind.litmus', withoutMaintenance)).toBe('Allowed');
  });

  it('sm-own-isb: with DIC and IDC a CPU\'s own store, then ISB, may still run the old instruction (Allowed); with a DSB between them Forbidden', () => {
    expect(verdict('sm-own-isb.litmus')).toBe('Allowed');
    expect(verdict('sm-own-isb.litmus', (t) => t.replace(' ISB         ;', ' DSB ISH     ;\n ISB         ;'))).toBe('Forbidden');
    // A DMB does not order the store before the ISB.
    expect(verdict('sm-own-isb.litmus', (t) => t.replace(' ISB         ;', ' DMB ISH     ;\n ISB         ;'))).toBe('Allowed');
  });
});
