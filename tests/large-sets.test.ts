// Sets of CPUs, tasks and targets beyond 32 members. These were 32-bit masks: CPU 32 aliased CPU 0
// (synchronize_rcu returned while a task on CPU 32 was in a preempt-disabled section), task 40 aliased
// task 8, a key's target 33 aliased target 1, and a key could not have more than 30 targets at all.

import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import { stateAfter } from '../src/checker/replay.js';
import { add, EMPTY_SET, equal, has, intersect, members, minus, remove, singleton, union } from '../src/base/bitset.js';
import type { WorldAction } from '../src/kernel/actions.js';
import type { WorldState } from '../src/kernel/state.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';
import fc from 'fast-check';

function world(text: string): KernelWorld {
  const r = parseAndLower(text, 'test.scn');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  return new KernelWorld(r.scenario.spec);
}

function take(w: KernelWorld, s: WorldState, kind: WorldAction['kind'], cpu?: number): WorldState {
  const a = w.actions(s).find((x) => x.kind === kind && (cpu === undefined || ('cpu' in x && x.cpu === cpu)));
  if (!a) throw new Error(`${kind} ${cpu ?? ''} is not enabled`);
  const n = w.next(s, a);
  expect(n.violation).toBeUndefined();
  return n;
}

const enabled = (w: KernelWorld, s: WorldState, kind: WorldAction['kind']) => w.actions(s).some((a) => a.kind === kind);

const names = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`).join(' ');

/** `tasks` identical tasks calling f; the last one's call is inside `prologue` … `epilogue` if given. */
const PPC_TASKS = (cpus: number, tasks: number, prologue: string, wait: string, epilogue = '') => `
scenario many
arch ppc32
bounds cpus=${cpus} interrupts=0 preemptions=0 nmis=0
expect safe
code
        .text
        .globl f
f:      nop
        blr
        .size f, .-f
end
task ${names(prologue ? tasks - 1 : tasks, 'T')}
    call f(1)
end
${prologue ? `task T${tasks}\n    ${prologue}\n    call f(1)\n    ${epilogue}\nend` : ''}
patcher
    ${wait}
end
`;

describe('sets of more than 32 CPUs and tasks', () => {
  it('synchronize_rcu waits for a task in a preempt-disabled section on CPU 32 (cpus=33)', () => {
    const w = world(PPC_TASKS(33, 32, 'preempt_disable', 'synchronize_rcu', 'preempt_enable'));
    let s = w.initial();
    expect(s.tasks[31].cpu).toBe(32);
    s = take(w, s, 'step', 32); // T32 is now inside its preempt-disabled section
    s = take(w, s, 'patcher');
    expect(s.patchers[0].waiting).toBe('rcu');
    expect(members(s.rcuWaitCpus[0])).toEqual([32]);
    expect(enabled(w, s, 'patcher')).toBe(false);
    s = take(w, s, 'step', 32); // blr: the call returns, preempt_enable, T32 ends
    expect(enabled(w, s, 'patcher')).toBe(true);
  });

  it('synchronize_rcu_tasks waits for task 40 of 64 on 64 CPUs while it is inside a call', () => {
    const w = world(PPC_TASKS(64, 64, '', 'synchronize_rcu_tasks'));
    let s = w.initial();
    expect(s.tasks[40].cpu).toBe(41);
    expect(s.tasks[63].cpu).toBe(-1); // 63 CPUs for tasks: the last one waits for a free CPU
    s = take(w, s, 'step', 41);
    s = take(w, s, 'patcher');
    expect(members(s.rcuWaitTasks[0])).toEqual([40]);
    expect(enabled(w, s, 'patcher')).toBe(false);
    s = take(w, s, 'step', 41);
    expect(enabled(w, s, 'patcher')).toBe(true);
  });

  it('distinguishes states that differ only in a member above 31', () => {
    const w = world(PPC_TASKS(64, 64, '', 'synchronize_rcu_tasks'));
    const s = w.initial();
    const a = { ...s, rcuWaitTasks: [singleton(40)] }, b = { ...s, rcuWaitTasks: [singleton(8)] };
    expect(w.fingerprint(a)).not.toEqual(w.fingerprint(b));
  });
});

/** x86 out-of-line static call with `n` targets: f0 … f{n-1}, f_i(x) = x + i; the patcher walks them in order. */
function manyTargets(n: number, lastJumpsTo: number): string {
  const fns = Array.from({ length: n }, (_, i) => `        .globl f${i}\n        .type f${i}, @function\nf${i}:     lea ${i}(%rdi), %eax\n        ret\n        .size f${i}, .-f${i}`).join('\n');
  const updates = Array.from({ length: n - 1 }, (_, i) => i + 1).map((i) =>
    i < n - 1 ? `    static_call_update sc, f${i}` : `    update sc -> f${i}\n        text_poke_bp __SCT__sc, "jmp f${lastJumpsTo}"\n    end`,
  );
  return `
scenario many-targets
arch x86-64
bounds cpus=2 interrupts=0 preemptions=0 nmis=0
expect safe
code
        .text
${fns}
        .globl caller
        .type caller, @function
caller: call __SCT__sc
        ret
        .size caller, .-caller
end
static_call sc = f0 ool
task T1
    wait_update sc ${n - 1}
    call caller(1) key=sc expect=${1 + n - 1}
end
patcher
${updates.join('\n')}
end
`;
}

describe('a key with any number of targets', () => {
  it('34 targets: the last update reaches f33, checked safe', () => {
    const r = bfs(world(manyTargets(34, 33)));
    expect(r.verdict).toBe('safe');
  });

  it('34 targets: an update to f33 that writes a jump to f1 reaches the old target f1 (not f33 mod 32)', () => {
    const w = world(manyTargets(34, 1));
    const r = bfs(w);
    expect(r.verdict).toBe('unsafe');
    expect(r.violation?.kind).toBe('stale-after-update');
    expect(r.violation?.message).toContain('reached f1');
    expect(w.violation(stateAfter(w, r.trace))?.kind).toBe('stale-after-update');
  });
});

describe('BitSet', () => {
  const small = fc.uniqueArray(fc.integer({ min: 0, max: 130 }), { maxLength: 12 });
  const setOfList = (xs: number[]) => xs.reduce((s, x) => add(s, x), EMPTY_SET);
  it('agrees with Set<number> on add, remove, union, intersect, minus and equality', () => {
    fc.assert(
      fc.property(small, small, fc.integer({ min: 0, max: 130 }), (xs, ys, z) => {
        const a = setOfList(xs), b = setOfList(ys);
        const ref = (s: Iterable<number>) => [...new Set(s)].sort((p, q) => p - q);
        expect(members(a)).toEqual(ref(xs));
        expect(members(union(a, b))).toEqual(ref([...xs, ...ys]));
        expect(members(intersect(a, b))).toEqual(ref(xs.filter((x) => ys.includes(x))));
        expect(members(minus(a, b))).toEqual(ref(xs.filter((x) => !ys.includes(x))));
        expect(members(remove(a, z))).toEqual(ref(xs.filter((x) => x !== z)));
        expect(has(add(a, z), z)).toBe(true);
        // One form per set: equal members, equal words.
        expect(equal(minus(union(a, b), minus(b, a)), a)).toBe(true);
        expect(equal(a, b)).toBe(equal(setOfList(ref(xs)), setOfList(ref(ys))) && ref(xs).join() === ref(ys).join());
      }),
    );
  });
});
