// RISC-V ifetch litmus tests of our own (tests/fixtures/litmus/riscv/), written in the shapes of the
// rems-project suite (rems-project/litmus-tests-riscv-ifetch: not copied, it has no licence), checked
// against the verdicts its models give for those shapes, as facts:
//   kinds-Ziccif-only.txt: CoFF Allow, CoFF+fencei Allow, MP.FF Allow;
//   kinds-Ziccid.txt:      CoFF Forbid, CoFF+fencei Forbid, MP.FF Forbid.
// patchlab's Zifencei model (no knob, or riscv.ziccif) and its riscv.ziccid model agree on all but one:
// CoFF+fencei under Ziccif-only, where patchlab says Forbidden. Its data memory is sequentially
// consistent, so the store hart 1 fetched is visible to it when it executes FENCE.I, which then makes it
// certain; in the suite's model the fetch does not make the store visible to the hart's data side, so
// FENCE.I need not order it (the same class as the AArch64 catalogue's relaxed-data differences).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/base/diagnostics.js';
import { DEFAULT_KNOBS, type FetchKnobs } from '../src/machine/fetch.js';
import { litmusKnobs, litmusVerdict, runLitmus } from '../src/verify/litmus.js';
import { parseLitmus } from '../src/verify/litmus-syntax.js';

const dir = 'tests/fixtures/litmus/riscv/';

function verdict(file: string, knobs: Partial<FetchKnobs>): string {
  const parsed = parseLitmus(readFileSync(dir + file, 'utf8'), file);
  if (!parsed.ok) throw new Error(parsed.diagnostics.map(formatDiagnostic).join('\n'));
  const run = runLitmus(parsed.test, { ...litmusKnobs(parsed.test, DEFAULT_KNOBS), ...knobs });
  if (!run.ok) throw new Error(run.diagnostics.map(formatDiagnostic).join('\n'));
  expect(run.result.stuck).toBe(false);
  return litmusVerdict(run.result) === 'Allowed' ? 'Allow' : 'Forbid';
}

const ZICCIF = { riscvZiccif: true };
const ZICCID = { riscvZiccif: true, riscvZiccid: true };

describe('RISC-V ifetch litmus tests (our own, in the suite\'s shapes)', () => {
  it.each([
    ['coff.litmus', ZICCIF, 'Allow'], ['coff.litmus', ZICCID, 'Forbid'],
    ['mp-ff.litmus', ZICCIF, 'Allow'], ['mp-ff.litmus', ZICCID, 'Forbid'],
    ['coff-fencei.litmus', ZICCID, 'Forbid'],
  ] as const)('%s under %o: %s, as the suite\'s model says', (file, knobs, want) => {
    expect(verdict(file, knobs)).toBe(want);
  });

  it('coff-fencei under Ziccif only: Forbid where the suite says Allow (the named difference above)', () => {
    expect(verdict('coff-fencei.litmus', ZICCIF)).toBe('Forbid');
  });

  it('without any knob (Zifencei only) the shapes the suite allows are allowed too', () => {
    expect(verdict('coff.litmus', {})).toBe('Allow');
    expect(verdict('mp-ff.litmus', {})).toBe('Allow');
  });

  it('reads RISC-V register names and refuses one the arch does not have, at its line and column', () => {
    const text = readFileSync(dir + 'coff.litmus', 'utf8').replace('0:a2=P1:g', '0:q2=P1:g');
    const parsed = parseLitmus(text, 'bad.litmus');
    expect(parsed.ok).toBe(true);
    const run = parsed.ok ? runLitmus(parsed.test, DEFAULT_KNOBS) : undefined;
    expect(run && !run.ok && run.diagnostics.map(formatDiagnostic)[0]).toMatch(/^bad\.litmus:3:\d+: error PL1162: /);
  });
});
