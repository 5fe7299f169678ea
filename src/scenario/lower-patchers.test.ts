// Several patchers: `patcher NAME … end` blocks, each a kernel thread on its own CPU, with text_mutex and
// the update mutexes contended between them, text_poke_bp's shared breakpoint descriptor, stop_machine
// stopping the others; and every bad use reported at its line and column.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bfs } from '../checker/bfs.js';
import { replay } from '../checker/replay.js';
import { formatDiagnostic } from '../base/diagnostics.js';
import type { WorldSpec } from '../kernel/spec.js';
import type { WorldAction } from '../kernel/actions.js';
import type { WorldState } from '../kernel/state.js';
import { KernelWorld } from '../kernel/world.js';
import { laneNames } from '../verify/world-model.js';
import { isEmpty } from '../base/bitset.js';
import { parseAndLower } from './lower.js';

/** Two 5-byte trampolines jumping to func_a, plain keys k1 and k2 over them, one task per key; `patchers` follows. */
function scenario(patchers: string, extra = '', expect = 'safe'): string {
  return `scenario s
arch x86-64
section .text.far at 0x1000000
${extra}expect ${expect}
code
        .text
func_a: lea 1(%rdi), %rax
        ret
        .size func_a, .-func_a
        .p2align 3
tramp1: {disp32} jmp func_a
        .size tramp1, .-tramp1
        .p2align 3
tramp2: {disp32} jmp func_a
        .size tramp2, .-tramp2
caller1: call tramp1
        ret
caller2: call tramp2
        ret
        .section .text.far, "ax"
func_b: lea 2(%rdi), %rax
        ret
        .size func_b, .-func_b
end
key k1 = func_a
key k2 = func_a
task T1
    call caller1(1) key=k1
end
task T2
    call caller2(1) key=k2
end
${patchers}`;
}

/** The line a statement of `patchers` is on, by its text. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

function lower(text: string): { spec?: WorldSpec; diagnostics: string[] } {
  const r = parseAndLower(text, 't.scn');
  return r.ok ? { spec: r.scenario.spec, diagnostics: [] } : { diagnostics: r.diagnostics.map(formatDiagnostic) };
}

function world(text: string): KernelWorld {
  const { spec, diagnostics } = lower(text);
  expect(diagnostics).toEqual([]);
  return new KernelWorld(spec!);
}

const POKE = (n: 1 | 2, locked: boolean) => [
  ...(locked ? ['    mutex_lock text_mutex'] : []),
  `    update k${n} -> func_b`,
  `        text_poke_bp tramp${n}, "jmp func_b"`,
  '    end',
  ...(locked ? ['    mutex_unlock text_mutex'] : []),
].join('\n');
const TWO = (locked: boolean) => `patcher A\n${POKE(1, locked)}\nend\npatcher B\n${POKE(2, locked)}\nend\n`;

/** Run one schedule: at each state the first enabled action `pick` likes, else the first. */
function walk(w: KernelWorld, pick: (acts: readonly WorldAction[], s: WorldState) => WorldAction | undefined, limit = 400): WorldState {
  let s = w.initial();
  for (let i = 0; i < limit && !s.violation; i++) {
    const acts = w.actions(s);
    if (acts.length === 0) break;
    s = w.next(s, pick(acts, s) ?? acts[0]);
  }
  return s;
}

describe('several patchers', () => {
  it('each is a program of its own on its own CPU; tasks run on the CPUs after them', () => {
    const w = world(scenario(TWO(true)));
    expect(w.spec.patchers.map((p) => p.name)).toEqual(['A', 'B']);
    expect(w.spec.bounds.cpus).toBe(4);
    expect(laneNames(w.spec)).toEqual(['CPU 0 (patcher A)', 'CPU 1 (patcher B)', 'CPU 2', 'CPU 3']);
    const s = w.initial();
    expect(s.tasks.map((t) => t.cpu)).toEqual([2, 3]);
    expect(w.actions(s).filter((a) => a.kind === 'patcher')).toEqual([{ kind: 'patcher', patcher: 0 }, { kind: 'patcher', patcher: 1 }]);
  });

  it('a single `patcher` block keeps CPU 0 and its name', () => {
    const { spec } = lower(scenario(`patcher\n${POKE(1, true)}\nend\n`));
    expect(spec!.patchers.map((p) => p.name)).toEqual(['patcher']);
    expect(laneNames(spec!)[0]).toBe('CPU 0 (patcher)');
  });

  it('text_mutex held by one patcher puts the other to sleep until it is released, and it wakes holding it', () => {
    const w = world(scenario(TWO(true)));
    // A takes text_mutex first; then B only, while it can.
    let s = w.next(w.initial(), { kind: 'patcher', patcher: 0 });
    expect(s.patchers[0].mutexes).toEqual(['text_mutex']);
    s = w.next(s, { kind: 'patcher', patcher: 1 });
    expect(s.patchers[1].waiting).toBe('mutex');
    expect(w.actions(s).some((a) => a.kind === 'patcher' && a.patcher === 1)).toBe(false);
    // A runs to its end: B's wait is over, and B wakes holding the mutex.
    s = walk(w, (acts, st) => (st.patchers[0].op < w.t.patchers[0].length ? acts.find((a) => a.kind === 'patcher' && a.patcher === 0) : undefined) ?? acts.find((a) => a.kind === 'ipi'));
    expect(s.violation).toBeUndefined();
  });

  it('two text_poke_bp without text_mutex break each other: the second batch replaces the first in bp_desc (fault, named)', () => {
    const text = scenario(TWO(false), '', 'unsafe fault');
    const w = world(text);
    const r = bfs(w, {});
    expect(r.verdict).toBe('unsafe');
    expect(r.violation?.kind).toBe('fault');
    expect(r.violation?.message).toMatch(/patcher A armed it in bp_desc/);
    const again = replay(w, r.trace, { describe: false });
    expect(again.ok && again.violation?.kind).toBe('fault');
  });

  it('…and with text_mutex around each, safe', () => {
    expect(bfs(world(scenario(TWO(true))), {}).verdict).toBe('safe');
  });

  it('without a shared descriptor (a handler of the site\'s own, as a kprobe has) the same race is safe', () => {
    // The same steps written out with per-site handlers: nothing is shared, so nothing breaks.
    const byHand = (n: 1 | 2) => [
      `    update k${n} -> func_b`,
      `        bp_arm tramp${n}, "jmp func_b"`, `        store tramp${n}, 1, 0xcc`, '        sync_core',
      `        store tramp${n} + 1, 4, func_b - (tramp${n} + 5)`, '        sync_core', `        store tramp${n}, 1, 0xe9`, '        sync_core',
      `        bp_disarm tramp${n}`, '    end',
    ].join('\n');
    const own = `patcher A\n${byHand(1)}\nend\npatcher B\n${byHand(2)}\nend\n`;
    expect(bfs(world(scenario(own)), {}).verdict).toBe('safe');
    // In bp_desc, written out the same way, they break each other as text_poke_bp's do.
    const shared = own.replaceAll(/(bp_(?:arm|disarm) tramp\d(?:, "jmp func_b")?)/g, '$1 desc=bp_desc');
    const r = bfs(world(scenario(shared, '', 'unsafe fault')), {});
    expect([r.verdict, r.violation?.kind]).toEqual(['unsafe', 'fault']);
  });

  it('static_call_update holds static_call_mutex: two updates of one key never overlap (without it: stale-after-update)', () => {
    const text = readFileSync(new URL('../../examples/patchers/x86-64-static-call-two-updaters.scn', import.meta.url), 'utf8');
    const spec = lower(text).spec!;
    expect(spec.keys[0].updateMutex).toBe('static_call_mutex');
    expect(bfs(new KernelWorld(spec), {}).verdict).toBe('safe');
    const unserialized = { ...spec, keys: spec.keys.map(({ updateMutex: _m, ...k }) => k) };
    const r = bfs(new KernelWorld(unserialized), {});
    expect([r.verdict, r.violation?.kind]).toEqual(['unsafe', 'stale-after-update']);
  });

  it('a plain `key` has no update mutex: two raw updates of it may overlap', () => {
    expect(lower(scenario(TWO(true))).spec!.keys.map((k) => k.updateMutex)).toEqual([undefined, undefined]);
  });

  it('stop_machine stops the other patchers until it ends', () => {
    const text = scenario('patcher A\n    stop_machine\n        text_poke tramp1, "jmp func_b"\n    end\nend\npatcher B\n    mutex_lock m\n    mutex_unlock m\nend\n');
    const w = world(text.replace('key k1 = func_a', 'key k1 = func_a\n').replace(/task T1[\s\S]*?end\ntask T2[\s\S]*?end\n/, ''));
    const s = w.next(w.initial(), { kind: 'patcher', patcher: 0 });
    expect(s.stopper).toBe(0);
    expect(w.actions(s).some((a) => a.kind === 'patcher' && a.patcher === 1)).toBe(false);
    const end = walk(w, (acts) => acts.find((a) => a.kind === 'patcher' && a.patcher === 0));
    expect(end.stopper).toBe(-1);
    expect(w.finished(end) || w.actions(end).some((a) => a.kind === 'patcher' && a.patcher === 1)).toBe(true);
  });

  it('each patcher\'s synchronize_rcu is its own grace period: a reader that began after A\'s began does not hold A up', () => {
    // T1 enters a read-side section only after A's grace period began (with nothing to wait for); B's
    // grace period, begun then, waits for T1. A must not: with one set for both it would.
    const text = scenario('patcher A\n    synchronize_rcu\nend\npatcher B\n    synchronize_rcu\nend\n')
      .replace('task T1\n    call caller1(1) key=k1\nend', 'task T1\n    call caller1(1) key=k1\n    rcu_read_lock\n    call caller1(1) key=k1\n    rcu_read_unlock\nend')
      .replace(/task T2[\s\S]*?end\n/, '');
    const w = world(text);
    let s = w.next(w.initial(), { kind: 'patcher', patcher: 0 });
    expect(s.patchers[0].waiting).toBe('rcu');
    expect(isEmpty(s.rcuWaitCpus[0])).toBe(true);
    // T1 runs its first call; its harness then takes rcu_read_lock for the second.
    while (s.tasks[0].rcuDepth === 0) s = w.next(s, w.actions(s).find((a) => a.kind === 'step')!);
    s = w.next(s, { kind: 'patcher', patcher: 1 });
    expect(s.patchers[1].waiting).toBe('rcu');
    expect(w.actions(s).some((a) => a.kind === 'patcher' && a.patcher === 1)).toBe(false);
    expect(w.actions(s).some((a) => a.kind === 'patcher' && a.patcher === 0)).toBe(true);
  });

  it('ABBA: two patchers taking two mutexes in opposite orders can deadlock', () => {
    const r = bfs(world(scenario('patcher A\n    mutex_lock m1\n    mutex_lock m2\n    mutex_unlock m2\n    mutex_unlock m1\nend\npatcher B\n    mutex_lock m2\n    mutex_lock m1\n    mutex_unlock m1\n    mutex_unlock m2\nend\n', '', 'unsafe deadlock')), {});
    expect([r.verdict, r.violation?.kind]).toEqual(['unsafe', 'deadlock']);
    // The message names each sleeper, its mutex and the mutex's holder.
    expect(r.violation?.message).toBe('no step is possible: patcher A waits for m2, held by patcher B; patcher B waits for m1, held by patcher A');
    // In one order only, no deadlock.
    const one = bfs(world(scenario('patcher A\n    mutex_lock m1\n    mutex_lock m2\n    mutex_unlock m2\n    mutex_unlock m1\nend\npatcher B\n    mutex_lock m1\n    mutex_lock m2\n    mutex_unlock m2\n    mutex_unlock m1\nend\n')), {});
    expect(one.verdict).toBe('safe');
  });

  it('only the first patcher boots: the others start once boot is over', () => {
    const w = world(scenario('patcher A\n    boot\n        text_poke_early tramp1, "jmp func_a"\n    end\nend\npatcher B\n    mutex_lock m\n    mutex_unlock m\nend\n'));
    const s = w.initial();
    expect(s.booted).toBe(false);
    expect(w.actions(s)).toEqual([{ kind: 'patcher', patcher: 0 }]);
  });
});

describe('several patchers: bad uses', () => {
  it.each([
    ['a patcher name given twice', 'patcher A\nend\npatcher A\nend\n', 'patcher A\nend\npatcher A', 'PL7028', 9],
    ['two unnamed patchers', 'patcher\nend\npatcher\nend\n', 'patcher\nend\npatcher', 'PL7028', 1],
    ['a name that is not an identifier', 'patcher 1a\nend\n', 'patcher 1a', 'PL7006', 9],
    ['a second word after the name', 'patcher A B\nend\n', 'patcher A B', 'PL7031', 11],
    ['`boot` in a patcher other than the first', 'patcher A\nend\npatcher B\n    boot\n    end\nend\n', '    boot', 'PL7043', 5],
    ['one module\'s statements in two patchers', 'patcher A\n    module_load m\nend\npatcher B\n    module_unload m\nend\n', '    module_unload m', 'PL7045', 5],
  ])('%s', (_what, patchers, needle, code, col) => {
    // The module case needs a module: a section of its own and its declaration.
    const module = needle.includes('module_');
    const text = !module ? scenario(patchers) : scenario(patchers).replace('key k1 = func_a', 'module m .text.m\nkey k1 = func_a')
      .replace('        .section .text.far, "ax"', '        .section .text.m, "ax"\nm_fn:   ret\n        .section .text.far, "ax"');
    const { diagnostics } = lower(text);
    // The last line holding the needle: the second of a pair.
    const lines = text.split('\n');
    const last = needle.split('\n').at(-1)!;
    let line = 0;
    lines.forEach((l, i) => { if (l === last || (l.startsWith(last) && last.length > 0)) line = i + 1; });
    expect(diagnostics.some((d) => d.includes(`t.scn:${line}:${col}:`) && d.includes(code)), diagnostics.join('\n')).toBe(true);
  });

  it('cpus must leave a CPU for tasks besides the patchers\'', () => {
    const { diagnostics } = lower(scenario(TWO(true), 'bounds cpus=2\n'));
    expect(diagnostics.join('\n')).toMatch(new RegExp(`t.scn:${lineOf(scenario(TWO(true), 'bounds cpus=2\n'), 'bounds')}:8: error PL7027: cpus must be 3 to`));
  });
});
