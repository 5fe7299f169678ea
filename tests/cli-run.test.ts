// `patchlab run` (a seeded random execution) and `patchlab cost` end to end.

import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const dir = 'tests/fixtures/scenarios';

describe('patchlab run', () => {
  it('runs a safe update forward: the patcher steps, each call and the target it reached', async () => {
    const r = await runCli(['run', `${dir}/x86-tramp.scn`]);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^run x86-ool-trampoline .* with seed 1: \d+ steps\n/);
    expect(r.out).toContain('text_poke_bp 1/6: write INT3');
    expect(r.out).toContain('0x100b0 <tramp>: e9 (jmp 0x10000: e9 4b ff ff ff)');
    expect(r.out).toMatch(/T1 on CPU 1: call caller through sc reached func_(a|b), returned 0x/);
    expect(r.out).toContain('completed: every task and the patcher finished');
  });

  it('is deterministic per seed, and different seeds give different schedules', async () => {
    const file = `${dir}/ppc32-1insn-2cpu.scn`;
    const outs = new Set<string>();
    for (const seed of ['1', '2', '3', '4']) {
      const a = await runCli(['run', file, '--seed', seed, '--json']);
      const b = await runCli(['run', file, '--seed', seed, '--json']);
      expect(a.status).toBe(0);
      expect(a.out).toBe(b.out);
      const j = JSON.parse(a.out);
      expect(j).toMatchObject({ schema: 'patchlab.run/1', seed: Number(seed), outcome: 'finished', violation: null });
      expect(j.calls).toHaveLength(4);
      outs.add(JSON.stringify(j.actions));
    }
    expect(outs.size).toBeGreaterThan(1);
  });

  it('exits 1 when the run meets a violation, 3 when --steps runs out', async () => {
    const file = `${dir}/ppc32-4insn.scn`;
    const statuses = new Set<number>();
    for (let seed = 1; seed <= 12 && !statuses.has(1); seed++) statuses.add((await runCli(['run', file, '--seed', String(seed)])).status);
    expect(statuses.has(1)).toBe(true);
    const r = await runCli(['run', file, '--steps', '2']);
    expect(r.status).toBe(3);
    expect(r.out).toContain('stopped after 2 steps');
  });

  it('--trace prints the run a column per CPU; --cost appends the cost section', async () => {
    const r = await runCli(['run', `${dir}/ppc32-1insn.scn`, '--trace', '--cost']);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/CPU 0 \(patcher\) +CPU 1/);
    expect(r.out).toContain('cost of a call, before the updates');
    expect(r.out).toContain('cost of the updates');
  });
});

describe('patchlab cost', () => {
  const costOf = async (name: string) => {
    const r = await runCli(['cost', `${dir}/${name}.scn`, '--json']);
    expect(r.status).toBe(0);
    return JSON.parse(r.out) as { before: { directBranches: number; indirectBranches: number; branchCalls: number; loads: number; reached: string[] }[]; after: { reached: string[] }[]; updates: Record<string, number | string>[] };
  };

  it('an x86 trampoline costs a direct call and a direct jmp; an inline call one direct call; a function pointer an indirect call and a load', async () => {
    const tramp = await costOf('x86-tramp'), inline = await costOf('x86-inline'), fptr = await costOf('x86-fptr');
    expect(tramp.before[0]).toMatchObject({ directBranches: 2, indirectBranches: 0, branchCalls: 1, reached: ['func_a'] });
    expect(inline.before[0]).toMatchObject({ directBranches: 1, indirectBranches: 0, branchCalls: 1, reached: ['func_a'] });
    expect(fptr.before[0]).toMatchObject({ directBranches: 0, indirectBranches: 1, branchCalls: 1, reached: ['func_a'] });
    expect(fptr.before[0].loads).toBe(inline.before[0].loads + 1);
    for (const c of [tramp, inline, fptr]) expect(c.after[0].reached).toEqual(['func_b']);
  });

  it('counts the update: text_poke_bp is three sync_cores; a pointer store is one store and nothing else', async () => {
    const tramp = await costOf('x86-tramp'), fptr = await costOf('x86-fptr');
    expect(tramp.updates[0]).toMatchObject({ label: 'update sc -> func_b', syncCores: 3, ipis: 3, breakpointPokes: 1 });
    expect(fptr.updates[0]).toMatchObject({ label: 'update sc -> func_b', stores: 1, storeBytes: 8, syncCores: 0, maintenance: 0 });
    const ppc = await costOf('ppc32-1insn');
    expect(ppc.updates[0]).toMatchObject({ stores: 1, storeBytes: 4, maintenance: 1 });
    const text = await runCli(['cost', `${dir}/x86-fptr.scn`]);
    expect(text.out).toMatch(/T1: caller \(sc\) +1 +4 +0 +1 +1/);
  });
});

describe('patchlab cost on a call that never returns', () => {
  it('reports the call as not measured and exits 3 (incomplete), within --max-steps', async () => {
    const r = await runCli(['cost', `${dir}/x86-never-returns.scn`, '--max-steps', '1000']);
    expect(r.status).toBe(3);
    expect(r.out).toContain("not measured (before the updates): T1's call spin: it did not return within 1000 steps");
    const j = await runCli(['cost', `${dir}/x86-never-returns.scn`, '--max-steps', '1000', '--json']);
    expect(j.status).toBe(3);
    expect(JSON.parse(j.out).unfinished).toEqual([
      { runner: 'T1', entry: 'spin', reason: 'it did not return within 1000 steps', phase: 'before' },
      { runner: 'T1', entry: 'spin', reason: 'it did not return within 1000 steps', phase: 'after' },
    ]);
  });

  it('`run` and `cost` name each patcher: a section per patcher, its IPIs going to the task CPUs only', async () => {
    const r = await runCli(['run', 'examples/patchers/x86-64-text-poke-bp-race-locked.scn', '--seed', '2', '--cost']);
    expect(r.out).toMatch(/\npatcher A \(CPU 0\):\n/);
    expect(r.out).toMatch(/\npatcher B \(CPU 1\):\n/);
    expect(r.out).toMatch(/cost of the updates \(4 CPUs: the 2 patchers' and 2 more\)/);
    const j = await runCli(['run', 'examples/patchers/x86-64-text-poke-bp-race-locked.scn', '--seed', '2', '--json']);
    const steps = JSON.parse(j.out).patcher as { cpu: number }[];
    expect(new Set(steps.map((s) => s.cpu))).toEqual(new Set([0, 1]));
  });
});
