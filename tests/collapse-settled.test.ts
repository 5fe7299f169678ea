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
