// RISC-V ifetch litmus tests of our own (tests/fixtures/litmus/riscv/), written in the shapes of the
// rems-project suite (rems-project/litmus-tests-riscv-ifetch: not copied, it has no licence), checked
// against the verdicts its models give for those shapes, as facts:
//   kinds-Ziccif-only.txt: CoFF Allow, CoFF+fencei Allow, CoFF+load-fencei Forbid, CoFR Allow, CoFW Allow,
//                          LB.FF Allow, MP.FF Allow, MP.FF+fencei Allow, MP.FF+load-fencei Forbid,
//                          MP.FR+fence.w.w+po Allow, MP.F+fence.w.w+patched-load Forbid, SB.FF Allow,
//                          SB.FF+fencei+fencei Forbid, MP.FF+jump Allow, MP.FF+jump-load-fencei Allow;
//   kinds-Ziccid.txt:      the same Forbid, but SB.FF Allow.
// The suite's Ziccif-only model orders by FENCE.I only the hart's earlier explicit loads and stores before its
// later fetches (its ir3), not its earlier fetches: the `load` variants give the FENCE.I a load to anchor on.
// It orders the fetch of an instruction before that instruction's own accesses (ir1) and nothing else, so a
// fetch of one with none may read a store that comes after the hart's later accesses (CoFR, CoFW, LB.FF,
// MP.FR): patchlab's late fetch. Where our tests write two stores back to back the suite's put a FENCE W,W
// between them: patchlab's data accesses are sequentially consistent, so that changes nothing here.
// patchlab's Zifencei model (no knob, or riscv.ziccif) and its riscv.ziccid model agree on all of them.
// `scripts/riscv-ifetch-agreement.ts` compares the whole suite.

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
    ['coff-fencei.litmus', ZICCIF, 'Allow'], ['coff-fencei.litmus', ZICCID, 'Forbid'],
    ['coff-load-fencei.litmus', ZICCIF, 'Forbid'], ['coff-load-fencei.litmus', ZICCID, 'Forbid'],
    ['mp-ff.litmus', ZICCIF, 'Allow'], ['mp-ff.litmus', ZICCID, 'Forbid'],
    ['mp-ff-fencei.litmus', ZICCIF, 'Allow'], ['mp-ff-fencei.litmus', ZICCID, 'Forbid'],
    ['mp-ff-load-fencei.litmus', ZICCIF, 'Forbid'], ['mp-ff-load-fencei.litmus', ZICCID, 'Forbid'],
    ['cofr.litmus', ZICCIF, 'Allow'], ['cofr.litmus', ZICCID, 'Forbid'],
    ['cofw.litmus', ZICCIF, 'Allow'], ['cofw.litmus', ZICCID, 'Forbid'],
    ['lb-ff.litmus', ZICCIF, 'Allow'], ['lb-ff.litmus', ZICCID, 'Forbid'],
    ['mp-fr.litmus', ZICCIF, 'Allow'], ['mp-fr.litmus', ZICCID, 'Forbid'],
    ['mp-fr-load.litmus', ZICCIF, 'Forbid'], ['mp-fr-load.litmus', ZICCID, 'Forbid'],
    ['sb-ff.litmus', ZICCIF, 'Allow'], ['sb-ff.litmus', ZICCID, 'Allow'],
    ['sb-ff-fencei.litmus', ZICCIF, 'Forbid'], ['sb-ff-fencei.litmus', ZICCID, 'Forbid'],
    ['mp-ff-jump.litmus', ZICCIF, 'Allow'], ['mp-ff-jump.litmus', ZICCID, 'Forbid'],
    ['mp-ff-jump-load-fencei.litmus', ZICCIF, 'Allow'], ['mp-ff-jump-load-fencei.litmus', ZICCID, 'Forbid'],
  ] as const)('%s under %o: %s, as the suite\'s model says', (file, knobs, want) => {
    expect(verdict(file, knobs)).toBe(want);
  });

  it('without any knob (Zifencei only) the shapes the suite allows are allowed too', () => {
    for (const file of ['coff.litmus', 'coff-fencei.litmus', 'cofr.litmus', 'cofw.litmus', 'lb-ff.litmus', 'mp-ff.litmus', 'mp-ff-fencei.litmus', 'mp-fr.litmus', 'sb-ff.litmus']) {
      expect(verdict(file, {})).toBe('Allow');
    }
    // And more: a torn fetch (mp-fr-load: the new load's first parcel with the old instruction's second).
    expect(verdict('mp-fr-load.litmus', {})).toBe('Allow');
  });

  it('places an instruction value that names a label where the test stores it, or where its code has it', () => {
    const placed = (init: string, cond: string) => {
      const text = `RISCV placed\n{ 0:a3=P0:e; ${init} }\nP0            ;\nlwu s4, 0(a3) ;\nsw t3, 0(a3)  ;\ne:            ;\nj out         ;\ng:            ;\nli t2, 7      ;\nout:          ;\nexists (${cond})\n`;
      const parsed = parseLitmus(text, 'placed.litmus');
      if (!parsed.ok) throw new Error(parsed.diagnostics.map(formatDiagnostic).join('\n'));
      const run = runLitmus(parsed.test, DEFAULT_KNOBS);
      return run.ok ? run.result.observation : run.diagnostics.map(formatDiagnostic).join('\n');
    };
    // The old word at e, as its code has it: `j out` there is `j .+8` (out is two instructions on).
    expect(placed('0:t3=instr:"j g";', '0:s4=instr:"j out"')).toBe('Always');
    expect(placed('0:t3=instr:"j g";', '0:s4=instr:"j .+8"')).toBe('Always');
    // What hart 0 stores at e (`j g` there is `j .+4`), and the condition's `j g` is the same word: e ends up holding it.
    expect(placed('0:t3=instr:"j g";', '0:t3=instr:"j .+4"')).toBe('Always');
    expect(placed('0:t3=instr:"j g";', '0:t3=instr:"j g"')).toBe('Always');
    // Neither stored through a label nor in the code: no address to resolve it at.
    expect(placed('0:t3=1; 0:t4=instr:"j g";', '0:s4=1')).toMatch(/PL1165: .*`j g` names a label: an instruction value has no address of its own, and the test neither stores it/);
  });

  it('reads RISC-V register names and refuses one the arch does not have, at its line and column', () => {
    const text = readFileSync(dir + 'coff.litmus', 'utf8').replace('0:a2=P1:g', '0:q2=P1:g');
    const parsed = parseLitmus(text, 'bad.litmus');
    expect(parsed.ok).toBe(true);
    const run = parsed.ok ? runLitmus(parsed.test, DEFAULT_KNOBS) : undefined;
    expect(run && !run.ok && run.diagnostics.map(formatDiagnostic)[0]).toMatch(/^bad\.litmus:3:\d+: error PL1162: /);
  });
});

describe('late fetches in a loop', () => {
  // Found by the fuzzer (a mutated mp-ff-fencei): P1's `ret`s bring it back over `li t2, 7` and `li t4, 7`
  // again and again, each a late fetch of a word P0 writes. Each turn promised the same value once more,
  // so no state repeated and the search ran until its depth limit, branching all the way: for ever, in
  // practice. A promise made again is the same obligation, kept once (fetch-promise.ts).
  const LOOP = `RISCV mp-ff-fencei-loop
{ 0:t1=instr:"li t2, 8"; 0:a2=P1:g; 0:t3=instr:"li t4, 8"; 0:a3=P1:h; }
P0           | P1          ;
sw t1,0(a2)  | jal h       ;
sw t3,0(a3)  | mv s2, t4   ;
             | fence.i     ;
             | jal g       ;
             | h:          ;
             | j out       ;
             | g:          ;
             | li t2, 7    ;
             | ret         ;
             | mv s3, t2   ;
             | li t4, 7    ;
             | ret         ;
             | ret         ;
             | out:        ;
exists (1:s2=8 /\\ 1:s3=7)
`;
  it('ends: its states repeat once the loop has promised what it fetches', () => {
    const parsed = parseLitmus(LOOP, 'loop.litmus');
    if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
    const run = runLitmus(parsed.test, { ...litmusKnobs(parsed.test, DEFAULT_KNOBS) });
    if (!run.ok) throw new Error(run.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
    expect(run.result.stuck).toBe(false);
    expect(litmusVerdict(run.result)).toBe('Forbidden');
  }, 20_000);
});
