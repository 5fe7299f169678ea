// A module loaded by one patcher while another updates a key with sites in it
// (examples/patchers/x86-64-module-load-racing-update.scn). Lowering cannot know the order, so the
// update's steps on the module's site are guarded by the module's memory being there, and the load
// writes its sites for each target of the key, each guarded by that target, under static_call_mutex.
// These tests look at the lowered programs and show that the mutex is what makes the race safe.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import { replay } from '../src/checker/replay.js';
import type { KernelOp, WorldSpec } from '../src/kernel/spec.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';

const FILE = join(import.meta.dirname, '..', 'examples', 'patchers', 'x86-64-module-load-racing-update.scn');

function spec(): WorldSpec {
  const r = parseAndLower(readFileSync(FILE, 'utf8'), FILE);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  return r.scenario.spec;
}

const program = (s: WorldSpec, name: string): readonly KernelOp[] => s.patchers.find((p) => p.name === name)!.program;

describe('a module load racing an update (several patchers)', () => {
  it('guards the update\'s steps on the module\'s site by its memory, and the load\'s writes by the key\'s target', () => {
    const s = spec();
    const update = program(s, 'U');
    const guarded = update.filter((o) => o.guard !== undefined);
    expect(guarded.length).toBeGreaterThan(0);
    for (const o of guarded) expect(o.guard).toEqual({ kind: 'mapped', region: '.text.m', module: 'm' });
    // The kernel's own site is patched unguarded in the same batch.
    expect(update.some((o) => o.op === 'store' && o.guard === undefined)).toBe(true);
    const load = program(s, 'L');
    // Memory in, static_call_mutex, the sites for each target, the text live, the mutex released.
    expect(load.map((o) => o.op)).toEqual(['map', 'mutex-lock', ...load.slice(2, -2).map(() => 'store'), 'map', 'mutex-unlock']);
    expect(load[1]).toMatchObject({ op: 'mutex-lock', mutex: 'static_call_mutex' });
    expect(load.at(-2)).toMatchObject({ op: 'map', regions: ['.text.m'], on: true });
    const targets = new Set(load.flatMap((o) => (o.guard?.kind === 'target' ? [o.guard.target] : [])));
    expect([...targets]).toEqual(['func_a', 'func_b']);
  });

  it('is safe, and explores the load both before the update and after it', () => {
    const w = new KernelWorld(spec());
    const r = bfs(w, { maxStates: 1_000_000 });
    expect(r.verdict).toBe('safe');
    // Walk the state space: some state has the update over and the module not loaded yet, and some has the
    // module's sites written while the update has not begun.
    let updateFirst = false, loadFirst = false;
    const seen = new Set<string>();
    const queue = [w.initial()];
    while (queue.length > 0 && !(updateFirst && loadFirst)) {
      const s = queue.pop()!;
      const key = w.fingerprint(s).join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      const loaded = s.smp.machine.memory.isMapped('.text.m');
      if (s.keys[0].updatesDone > 0 && !loaded) updateFirst = true;
      if (loaded && s.keys[0].updatesDone === 0 && s.keys[0].updater < 0) loadFirst = true;
      for (const a of w.actions(s)) queue.push(w.next(s, a));
    }
    expect({ updateFirst, loadFirst }).toEqual({ updateFirst: true, loadFirst: true });
  });

  it('without static_call_mutex around the load, the module goes live in the middle of the update\'s batch: an INT3 nobody armed', () => {
    const s = spec();
    const broken: WorldSpec = { ...s, patchers: s.patchers.map((p) => (p.name === 'L' ? { ...p, program: p.program.filter((o) => o.op !== 'mutex-lock' && o.op !== 'mutex-unlock') } : p)) };
    const w = new KernelWorld(broken);
    const r = bfs(w, { maxStates: 1_000_000 });
    expect(r.verdict).toBe('unsafe');
    expect(r.violation?.kind).toBe('fault');
    expect(r.violation?.message).toContain('found module m not live when it armed the site\'s handler, and live when it wrote the breakpoint');
    const again = replay(w, r.trace, { describe: false });
    expect(again.ok && again.violation?.kind).toBe('fault');
  });

  it('works for a static key too: a jump label site in the module, enabled by one patcher while another loads it', () => {
    const r = parseAndLower(JUMP_LABEL_MODULE, 'jl.scn');
    if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
    const s = r.scenario.spec;
    // The enable's steps on the module's site are guarded; the load writes the site only if sk is true.
    expect(program(s, 'E').some((o) => o.guard?.kind === 'mapped' && o.guard.module === 'm')).toBe(true);
    const load = program(s, 'L');
    expect(load.filter((o) => o.op === 'store').every((o) => o.guard?.kind === 'target' && o.guard.key === 'sk' && o.guard.target === 'true')).toBe(true);
    expect(load[1]).toMatchObject({ op: 'mutex-lock', mutex: 'jump_label_mutex' });
    const result = bfs(new KernelWorld(s), { maxStates: 1_000_000 });
    expect(result.verdict, result.violation?.message).toBe('safe');
  });
});

/** A static key whose one site is in module m: the task checks it is taken once the key is enabled. */
const JUMP_LABEL_MODULE = `
scenario jl-module-race
arch x86-64
expect safe

module m .text.m

code
        .section .text.m, "ax"
        .globl f
f:      xor %eax, %eax
1:      .byte 0x0f, 0x1f, 0x44, 0x00, 0x00
        .pushsection __jump_table, "aw"
        .balign 8
        .long 1b - ., .Lf_true - .
        .quad sk - .
        .popsection
        ret
.Lf_true:
        mov $1, %eax
        ret
        .size f, .-f
end

static_key sk = false

task T1
    wait_module m
    wait_update sk 1
    static_branch f key=sk expect=1
end

patcher E
    static_branch_enable sk
end

patcher L
    module_load m
end
`;
