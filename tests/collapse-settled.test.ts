// The collapse reduction takes a step alone when it is invisible: among other things, the code it fetches
// must read the same for every CPU from then on (docs/reductions.md). Code a patcher wrote counts as settled
// once no store of it is left in any patcher's program and no CPU may still fetch an older value of it.
// These tests walk one small x86-64 world through those moments and ask for the task's next step's footprint.

import { describe, expect, it } from 'vitest';
import { KernelWorld } from '../src/kernel/world.js';
import type { WorldAction } from '../src/kernel/actions.js';
import type { WorldState } from '../src/kernel/state.js';
import { parseAndLower } from '../src/scenario/lower.js';

const SCENARIO = `
scenario settled
arch x86-64
bounds cpus=2
expect safe
code
        .text
        .globl f
        .type f, @function
f:      nop
        mov $1, %eax
        ret
        .size f, .-f
end
task T1
    call f()
end
patcher
    store f+1, "mov $2, %eax"
    sync_core
end
`;

function world(): KernelWorld {
  const lowered = parseAndLower(SCENARIO, 'settled.scn');
  if (!lowered.ok) throw new Error(lowered.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  return new KernelWorld(lowered.scenario.spec);
}

/** Take the first enabled action that `pick` accepts. */
function take(w: KernelWorld, s: WorldState, pick: (a: WorldAction) => boolean): WorldState {
  const a = w.actions(s).find(pick);
  if (!a) throw new Error(`no such action among ${JSON.stringify(w.actions(s))}`);
  return w.next(s, a);
}

const taskStep = (a: WorldAction) => a.kind === 'step' && a.cpu === 1;
const patcher = (a: WorldAction) => a.kind === 'patcher';

/** Is the task's next step (its only fetch option) invisible? */
function invisible(w: KernelWorld, s: WorldState): boolean {
  const steps = w.actions(s).filter(taskStep);
  expect(steps).toHaveLength(1);
  const f = w.footprint(s, steps[0]);
  return !f.global && f.reads.length === 0 && f.writes.length === 0;
}

describe('collapse: code a patcher wrote becomes settled', () => {
  it('is visible while a store of it is left, and while a CPU may fetch its old bytes; invisible after', () => {
    const w = world();
    // The call's first instruction (the nop) is never invisible; take it.
    let s = take(w, w.initial(), taskStep);
    expect(invisible(w, s), 'a patcher store of the mov is still to come').toBe(false);
    // The patcher's store pieces: the task's CPU may now fetch old or new bytes (or a mix).
    while (!s.patchers[0].waiting) s = take(w, s, patcher);
    expect(w.actions(s).filter(taskStep).length, 'the window is open: several fetch options').toBeGreaterThan(1);
    // sync_core: CPU 1 takes the IPI and is certain of the new bytes; no store is left.
    s = take(w, s, (a) => a.kind === 'ipi');
    expect(invisible(w, s), 'no store left, and CPU 1 is certain of the new bytes').toBe(true);
  });

  it('a patcher that stores the same bytes again later keeps them visible after the first sync', () => {
    const w = new KernelWorld(parseOk(SCENARIO.replace('    sync_core\nend', '    sync_core\n    store f+1, "mov $1, %eax"\nend')));
    let s = take(w, w.initial(), taskStep);
    while (!s.patchers[0].waiting) s = take(w, s, patcher);
    s = take(w, s, (a) => a.kind === 'ipi');
    expect(w.actions(s).filter(taskStep)).toHaveLength(1);
    expect(invisible(w, s), 'the second store is still to come').toBe(false);
  });
});

function parseOk(text: string) {
  const lowered = parseAndLower(text, 'settled.scn');
  if (!lowered.ok) throw new Error(lowered.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  return lowered.scenario.spec;
}

/** The task's code for the tests below: f's mov is the next step once the call has begun (with the nop). */
const CODE = `
code
        .text
        .p2align 3
        .globl f
        .type f, @function
f:      nop                     # f+0: the call's first instruction
        mov $1, %eax            # f+1 .. f+5
        ret                     # f+6
        int3                    # f+7: never executed; the same 8-byte granule as the mov
        .size f, .-f
        .globl g
        .type g, @function
g:      ret                     # another task's call, through code nobody writes
        .size g, .-g
end
`;

function x86World(task: string, patcher: string): KernelWorld {
  return new KernelWorld(parseOk(`scenario settled\narch x86-64\nbounds cpus=2\nexpect safe\n${CODE}\n${task}\npatcher\n${patcher}\nend\n`));
}

/** Begin T1's call (its nop), then run the patcher's first store and sync_core, CPU 1 taking the IPI. */
function afterFirstSync(w: KernelWorld, s = w.initial()): WorldState {
  s = take(w, s, taskStep);
  while (!s.patchers[0].waiting) s = take(w, s, patcher);
  return take(w, s, (a) => a.kind === 'ipi');
}

const FIRST = '    store f+1, "mov $2, %eax"\n    sync_core';

describe('collapse: the bytes a step fetches, and the waits before a store', () => {
  it('a store still to come to another byte of the same granule leaves the step invisible', () => {
    const w = x86World('task T1\n    call f()\nend', `${FIRST}\n    store f+7, "nop"`);
    const s = afterFirstSync(w);
    expect(invisible(w, s), 'f+7 is written later, f+1 .. f+5 never again').toBe(true);
  });

  it('a store of the same bytes behind synchronize_rcu_tasks cannot come before the step: invisible', () => {
    const w = x86World('task T1\n    call f()\nend', `${FIRST}\n    synchronize_rcu_tasks\n    store f+1, "mov $3, %eax"`);
    let s = afterFirstSync(w);
    expect(invisible(w, s), 'the grace period waits for T1 to leave its call').toBe(true);
    // The grace period begins with T1 inside its call: T1 is in its wait set, and the step stays invisible.
    s = take(w, s, patcher);
    s = take(w, s, patcher);
    expect(s.patchers[0].waiting).toBe('rcu-tasks');
    expect(invisible(w, s)).toBe(true);
  });

  it('the same behind wait_calls for the call T1 is in: invisible', () => {
    const w = x86World('task T1\n    call f()\nend', `${FIRST}\n    wait_calls T1 1\n    store f+1, "mov $3, %eax"`);
    expect(invisible(w, afterFirstSync(w))).toBe(true);
  });

  it('behind synchronize_rcu, which a task inside a call does not hold up: visible', () => {
    const w = x86World('task T1\n    call f()\nend', `${FIRST}\n    synchronize_rcu\n    store f+1, "mov $3, %eax"`);
    expect(invisible(w, afterFirstSync(w))).toBe(false);
  });

  it('a grace period that began before the call did does not wait for it: visible', () => {
    const w = x86World('task T1\n    call f()\nend', `${FIRST}\n    synchronize_rcu_tasks\n    store f+1, "mov $3, %eax"`);
    // The patcher stores, syncs and begins its grace period before T1's call begins: T1 is not waited for.
    let s = w.initial();
    while (!s.patchers[0].waiting) s = take(w, s, patcher);
    s = take(w, s, (a) => a.kind === 'ipi');
    s = take(w, s, patcher);
    s = take(w, s, patcher);
    expect(s.patchers[0].waiting).toBe('rcu-tasks');
    s = take(w, s, taskStep);
    expect(invisible(w, s), 'the grace period may end, and the store come, before the step').toBe(false);
  });
});

describe('collapse on riscv64, where no return to a task synchronizes', () => {
  // T2 keeps hart 2 busy (an idle hart takes its IPI at once), so that hart 1 can be certain of the new li
  // while hart 2 is not.
  const RISCV = `scenario settled-riscv
arch riscv64
knobs riscv.ziccif
bounds cpus=3
expect safe
code
        .text
        .option norvc
        .globl f
        .type f, @function
f:      nop
        li a0, 1
        ret
        .size f, .-f
        .globl g
        .type g, @function
g:      ret
        .size g, .-g
end
task T1
    call f()
end
task T2
    call g()
end
patcher
    patch_insn_write f+4, "li a0, 2"
    flush_icache_all
end
`;

  /** T1 begins its call, the patcher stores and sends its IPIs, and only CPU 1 takes its own. */
  function oneIpiTaken(w: KernelWorld): WorldState {
    let s = take(w, w.initial(), taskStep);
    while (!s.patchers[0].waiting) s = take(w, s, patcher);
    s = take(w, s, (a) => a.kind === 'ipi' && a.cpu === 1);
    expect(w.actions(s).some((a) => a.kind === 'ipi' && a.cpu === 2), 'CPU 2 has not taken its IPI').toBe(true);
    return s;
  }

  it('is visible until every hart is certain of the new bytes: the task may be resumed on another', () => {
    const w = new KernelWorld(parseOk(RISCV));
    let s = oneIpiTaken(w);
    expect(invisible(w, s), 'hart 2 may still fetch the old li').toBe(false);
    s = take(w, s, (a) => a.kind === 'ipi' && a.cpu === 2);
    expect(invisible(w, s), 'every hart is certain now').toBe(true);
  });

  it("on x86-64, where the return to a task synchronizes, the task's own CPU being certain is enough", () => {
    const w = new KernelWorld(parseOk(`scenario settled\narch x86-64\nbounds cpus=3\nexpect safe\n${CODE}\ntask T1\n    call f()\nend\ntask T2\n    call g()\nend\npatcher\n${FIRST}\nend\n`));
    expect(invisible(w, oneIpiTaken(w))).toBe(true);
  });
});

describe('collapse: a return to the harness that only the task can tell', () => {
  /** T1 runs f's nop and mov; its next step is f's ret, back to the harness. */
  function atReturn(task: string, patcherOps: string): { w: KernelWorld; s: WorldState } {
    const w = x86World(task, patcherOps);
    let s = w.initial();
    for (let i = 0; i < 2; i++) s = take(w, s, taskStep);
    return { w, s };
  }
  const TWICE = 'task T1\n    repeat 2\n        call f()\n    end\nend';
  const LATER = '    store f+7, "nop"';

  it('is invisible when the harness goes on to the next call and no patcher watches calls end', () => {
    const { w, s } = atReturn(TWICE, LATER);
    expect(invisible(w, s)).toBe(true);
    // It is a return: the task is in its second call after it, not yet begun.
    const after = w.next(s, w.actions(s).find(taskStep)!);
    expect(after.tasks[0].call?.started).toBe(false);
    expect(after.tasks[0].op).toBeGreaterThan(s.tasks[0].op);
  });

  it('is visible while a synchronize_rcu_tasks is still to come: it would count the task in only inside its call', () => {
    const { w, s } = atReturn(TWICE, `    synchronize_rcu_tasks\n${LATER}`);
    expect(invisible(w, s)).toBe(false);
  });

  it('is visible while a wait_calls counts the returns of this task', () => {
    const { w, s } = atReturn(TWICE, `    wait_calls T1 1\n${LATER}`);
    expect(invisible(w, s)).toBe(false);
  });

  it('is visible when the program ends with it: the task leaves its CPU', () => {
    const { w, s } = atReturn('task T1\n    call f()\nend', LATER);
    expect(invisible(w, s)).toBe(false);
  });
});
