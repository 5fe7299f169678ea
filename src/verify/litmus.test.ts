// The litmus reader's herd7 forms, each on a fixture of tests/fixtures/litmus whose counts depend on the
// form being read as herd7 reads it, and each refusal a diagnostic at the test's own line and column.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KNOBS } from '../machine/fetch.js';
import { litmusKnobs, litmusVerdict, runLitmus } from './litmus.js';
import { parseLitmus } from './litmus-syntax.js';

const fixture = (name: string) => readFileSync(`tests/fixtures/litmus/${name}.litmus`, 'utf8');

function run(text: string, file = 't.litmus') {
  const parsed = parseLitmus(text, file);
  if (!parsed.ok) return { diagnostics: parsed.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.code} ${d.message}`) };
  const r = runLitmus(parsed.test, litmusKnobs(parsed.test, DEFAULT_KNOBS));
  if (!r.ok) return { diagnostics: r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.code} ${d.message}`) };
  const { observation, positive, negative, stuck } = r.result;
  return { observation, positive, negative, stuck, verdict: litmusVerdict(r.result) };
}

/** A test with one thread table and condition, and the initial state given. */
const small = (init: string, cond = 'exists (0:X9=0)') => `AArch64 T\n{\n${init}\n}\n P0          ;\n NOP         ;\n${cond}\n`;

describe('litmus reader: herd7 forms', () => {
  it('typed initialisers (`void *1:X1`, `ins_t *z`) declare a register or location holding 0', () => {
    expect(run(fixture('typed-init'))).toEqual({ observation: 'Sometimes', positive: 1, negative: 1, stuck: false, verdict: 'Allowed' });
    // The declared location is 0: a test that wants it otherwise never holds.
    expect(run(fixture('typed-init').replace('[z]=0', '[z]=1'))).toMatchObject({ observation: 'Never' });
    // A type before a value, as the catalogue writes it, and a register declared without one.
    expect(run(small('ins_t 0:X9=instr:"NOP"; uint64_t 0:X8;', 'exists (0:X9=0xd503201f /\\ 0:X8=0)'))).toMatchObject({ observation: 'Always' });
    expect(run(small('int x=3; 0:X1=x;', 'exists ([x]=3)'))).toMatchObject({ observation: 'Always' });
  });

  it('`instr:"…"` is the encoding of one instruction, stored to code and compared in the condition', () => {
    expect(run(fixture('instr-value'))).toEqual({ observation: 'Sometimes', positive: 1, negative: 2, stuck: false, verdict: 'Allowed' });
    // `B .+4` lands on the MOV: P1 never skips it.
    expect(run(fixture('instr-value').replace(/B \.\+8/g, 'B .+4'))).toMatchObject({ observation: 'Never' });
    expect(run(small('0:X9=instr:"B .+12";', 'exists (0:X9=0x14000003)'))).toMatchObject({ observation: 'Always' });
  });

  it('`label:"P1:L1"` is the label, as `P1:L1` is', () => {
    expect(run(fixture('label-value'))).toEqual({ observation: 'Sometimes', positive: 1, negative: 1, stuck: false, verdict: 'Allowed' });
    expect(run(fixture('label-value').replace('exists (1:X2=label:"P1:L1")', 'exists (1:X2=P1:L1)'))).toMatchObject({ positive: 1, negative: 1 });
  });

  it('a bare location in the condition (`x=2`) is its final value, as `[x]=2` is', () => {
    expect(run(fixture('bare-location'))).toEqual({ observation: 'Sometimes', positive: 1, negative: 1, stuck: false, verdict: 'Allowed' });
    expect(run(fixture('bare-location').replace('exists (x=2 /\\ ~[x]=1)', 'exists (x=2 /\\ [x]=1)'))).toMatchObject({ observation: 'Never' });
  });

  it('`forall` holds when every final state satisfies the condition (herd7: Required)', () => {
    expect(run(fixture('forall'))).toEqual({ observation: 'Always', positive: 1, negative: 0, stuck: false, verdict: 'Required' });
    expect(run(fixture('forall').replace('forall (1:X9=1)', 'forall (1:X9=1 /\\ 1:X8=1)'))).toMatchObject({ observation: 'Never', verdict: 'Allowed' });
  });

  it('`pte_l0=(oa:phy_x)` makes x and the instruction at l0 one physical word', () => {
    expect(run(fixture('pte-alias'))).toEqual({ observation: 'Sometimes', positive: 1, negative: 1, stuck: false, verdict: 'Allowed' });
    // Without the alias x is a data word: the branch is never replaced.
    expect(run(fixture('pte-alias').replace('pte_l0=(oa:phy_x);', ''))).toMatchObject({ observation: 'Never' });
    // The alias either way round, and x reads the instruction.
    expect(run(fixture('pte-alias').replace('pte_l0=(oa:phy_x);', 'pte_x=(oa:phy_l0);').replace('exists (0:X9=1)', 'exists (x=instr:"NOP")'))).toMatchObject({ observation: 'Always' });
  });

  it('a test without a condition (only `locations`) is herd7\'s `forall (true)`: Required when every execution ends', () => {
    expect(run(small('0:X9=1;', 'locations [0:X9];'))).toEqual({ observation: 'Always', positive: 1, negative: 0, stuck: false, verdict: 'Required' });
    expect(run(small('0:X9=1;', ''))).toMatchObject({ verdict: 'Required' });
  });

  it('a thread that branches into another thread\'s code ends at the end of that code', () => {
    expect(run(fixture('branch-into'))).toEqual({ observation: 'Always', positive: 1, negative: 0, stuck: false, verdict: 'Allowed' });
    // Its own end still counts: without the branch P0 ends at once, X9 never set.
    expect(run(fixture('branch-into').replace(' BR X1       |', ' NOP         |'))).toMatchObject({ observation: 'Never', negative: 1 });
  });

  it('a fault handler column (`P0.F`) runs on a fault of its thread, entered with ELR_EL1 set, left by ERET to ELR_EL1', () => {
    expect(run(fixture('fault-handler'))).toEqual({ observation: 'Always', positive: 1, negative: 0, stuck: false, verdict: 'Allowed' });
    // ERET goes where the handler set ELR_EL1: to the MOV, not past it.
    expect(run(fixture('fault-handler').replace('ADR X9,l1', 'ADR X9,m0'))).toMatchObject({ observation: 'Never' });
    // Without the handler the thread ends at the fault: X2 never set.
    expect(run(fixture('fault-handler').replace(/ \| P0\.F .*;| \| [^|;]*;$/gm, ' ;'))).toMatchObject({ observation: 'Never', stuck: false });
    // An SVC: its handler returns past it, and the fault names the SVC itself.
    const svc = 'AArch64 S\n{ }\n P0        | P0.F      ;\nL0:        | MOV W2,#1 ;\n SVC #0    | ERET      ;\n MOV W3,#1 |           ;\nexists (0:X2=1 /\\ 0:X3=1 /\\ fault(P0:L0,SupervisorCall))\n';
    expect(run(svc)).toMatchObject({ observation: 'Always', stuck: false });
  });

  it('a `fault(…)` atom holds when the thread took such a fault: at that label, on that location, of that type (each optional)', () => {
    expect(run(fixture('fault-condition'))).toEqual({ observation: 'Always', positive: 1, negative: 0, stuck: false, verdict: 'Allowed' });
    expect(run(fixture('fault-condition').replace('fault(P0:L0,UndefinedInstruction)', 'Fault(P0)'))).toMatchObject({ observation: 'Always' });
    expect(run(fixture('fault-condition').replace('UndefinedInstruction', 'SupervisorCall'))).toMatchObject({ observation: 'Never' });
    // Without the new word there is no fault.
    expect(run(fixture('fault-condition').replace('0:X0=0;', 'ins_t 0:X0=NOP;'))).toMatchObject({ observation: 'Never', negative: 1 });
    // A load through a null pointer: a translation fault, on no location of the test.
    expect(run(small('0:X5=0;', 'exists (fault(P0,MMU:Translation) /\\ ~fault(P0,x,MMU:Translation))').replace(' NOP ', ' LDR W2,[X5] '))).toMatchObject({ observation: 'Always', stuck: false });
  });

  it('refuses, at its line and column, what patchlab cannot run or the test gets wrong', () => {
    expect(run(fixture('fault-handler').replace(' P0          | P0.F ', ' P0          | P1.F ')).diagnostics).toEqual(['8:16 PL1170 fault handler column `P1.F`: the table has no thread 1']);
    expect(run(fixture('fault-handler').replace(' P0          | P0.F ', ' P0          | PX ')).diagnostics).toEqual([expect.stringMatching(/^8:16 PL1160 .*`PX` is neither a thread/)]);
    expect(run(fixture('fault-condition').replace('fault(P0:L0,', 'fault(P0:L9,')).diagnostics).toEqual(['19:9 PL1171 the fault atom `fault(P0:L9,UndefinedInstruction)`: thread 0 has no label `L9`']);
    expect(run(fixture('fault-condition').replace('fault(P0:L0,', 'fault(P2:L0,')).diagnostics).toEqual(['19:9 PL1171 the fault atom `fault(P2:L0,UndefinedInstruction)`: the test has no thread 2']);
    expect(run(fixture('fault-condition').replace('UndefinedInstruction', 'Banana:Split')).diagnostics).toEqual([expect.stringMatching(/^19:9 PL1171 the fault atom `fault\(P0:L0,Banana:Split\)`: `Banana:Split` is neither a location nor a fault type/)]);
    expect(run(small('  0:X1=instr:"FROB X0";')).diagnostics).toEqual(['3:3 PL1165 the value in `0:X1=instr:"FROB X0"`: cannot assemble `FROB X0`: unknown mnemonic `frob`']);
    expect(run(small('  0:X1=instr:"B l0";')).diagnostics).toEqual([expect.stringMatching(/^3:3 PL1165 .*names a label/)]);
    expect(run(small('  0:X1=label:"P1:L0";')).diagnostics).toEqual(['3:3 PL1165 the value in `0:X1=label:"P1:L0"`: thread 1 has no label `L0`']);
    expect(run(small('  0:X1=instr:"NOP;')).diagnostics).toEqual([expect.stringMatching(/^3:3 PL1162 cannot set `0:X1=instr:"NOP`/)]);
    expect(run(small('  pte_x=(oa:phy_x, db:0); 0:X1=x;')).diagnostics).toEqual([expect.stringMatching(/^3:3 PL1166 page-table entry `pte_x=\(oa:phy_x, db:0\)` is not supported: only `pte_A=\(oa:phy_B\)`/)]);
    expect(run(small('  0:X1=x;\n  pte_x=(oa:phy_y); [x]=1; [y]=2;')).diagnostics).toEqual([expect.stringMatching(/^4:3 PL1166 .*both have an initial value/)]);
    expect(run(small('  0:X1=x;\n  pte_q=(oa:phy_x); pte_x=(oa:phy_y);')).diagnostics).toEqual([expect.stringMatching(/^4:3 PL1166 .*`x` is itself mapped elsewhere/)]);
    expect(run(fixture('pte-alias').replace('pte_x=(oa:phy_x);', 'pte_x=(oa:phy_l1);'))).toEqual({ diagnostics: [expect.stringMatching(/^8:3 PL1166 page-table entry `pte_l0=\(oa:phy_x\)` is not supported: `x` is already mapped/)] });
    // In a condition over several lines: the line and column of the bad value or atom.
    expect(run(small('0:X1=1;', 'exists (0:X1=1 /\\\n        0:X2=label:"P0:Q")')).diagnostics).toEqual(['8:9 PL1165 the value in `0:X2=label:"P0:Q"`: thread 0 has no label `Q`']);
    expect(run(small('0:X1=1;', 'exists(0:X1=1 /\\ banana)')).diagnostics).toEqual(['7:18 PL1163 the condition: `banana` is not a condition atom (T:Xn=v, [x]=v or x=v)']);
    expect(run(small('0:X1=1;', 'exists (3:X1=1)')).diagnostics).toEqual(['7:9 PL1163 the condition: the test has no thread 3']);
  });
});
