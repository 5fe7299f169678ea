// The canonical fingerprint leaves out an idle CPU's column of the fetch windows where it is dead: every
// way out of idle synchronizes the CPU (fully) before it fetches again (kernel/world-fingerprint.ts
// `idleColumnDead`, docs/reductions.md). These tests check when the rule applies, and that it merges
// exactly the states it should: an idle CPU's column left out, a running CPU's kept.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import type { WorldAction } from '../src/kernel/actions.js';
import { IDLE, type WorldState } from '../src/kernel/state.js';
import { KernelWorld } from '../src/kernel/world.js';
import { idleColumnDead } from '../src/kernel/world-fingerprint.js';
import type { FetchWindows } from '../src/machine/fetch-window.js';
import { parseAndLower } from '../src/scenario/lower.js';

function world(path: string, knobs = ''): KernelWorld {
  let text = readFileSync(path, 'utf8');
  if (knobs) text = text.replace(/^arch (.*)$/m, `arch $1\nknobs ${knobs}`);
  const lowered = parseAndLower(text, path);
  if (!lowered.ok) throw new Error(lowered.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  return new KernelWorld(lowered.scenario.spec);
}

describe('an idle CPU\'s fetch-window column is dead', () => {
  it('where every way out of idle synchronizes the CPU fully', () => {
    // x86: the return to a task (IRET) and the IPI serialize; no NMI can run on a stopped CPU here.
    expect(idleColumnDead(world('examples/seeds/x86-ool-text-poke-bp-2cpu.scn').t)).toBe(true);
    // arm64: exception entry and return both synchronize.
    expect(idleColumnDead(world('examples/seeds/two-slot-rcu-tasks-arm64.scn').t)).toBe(true);
  });

  it('not where an NMI may run on a CPU stop_machine gathered from idle, on x86 (its entry does not serialize)', () => {
    const w = world('examples/seeds/pvops-stop-machine.scn');
    expect(w.t.patchers.some((ops) => ops.some((op) => op.op === 'stop-machine-begin'))).toBe(true);
    expect(w.t.spec.bounds.nmis).toBeGreaterThan(0);
    expect(idleColumnDead(w.t)).toBe(false);
  });

  it('not under strict synchronization (arm64 strictFetch: certain only of maintained values), nor on riscv64 (no return synchronizes)', () => {
    expect(idleColumnDead(world('examples/maintenance/arm64-strict-no-kick.scn').t)).toBe(false);
    expect(idleColumnDead(world('examples/seeds/two-slot-rcu-tasks-arm64.scn', 'strictFetch').t)).toBe(false);
    expect(idleColumnDead(world('examples/riscv/ftrace-jalr.scn').t)).toBe(false);
  });
});

/** A copy of `s` whose windows are `windows`. */
function withWindows(s: WorldState, windows: FetchWindows): WorldState {
  return { ...s, smp: { ...s.smp, machine: { ...s.smp.machine, windows } } };
}

/** The variants of s's windows that change CPU c's column of one unit and nothing else any CPU can fetch. */
function columnVariants(s: WorldState, c: number): FetchWindows[] {
  const fw = s.smp.machine.windows;
  const cpus = s.cpus.length;
  const units = fw.openUnits();
  return fw.variants().filter((v) => {
    if (v.openUnitCount !== fw.openUnitCount) return false;
    let changed = false;
    for (const u of units) {
      for (let k = 0; k < cpus; k++) {
        const a = JSON.stringify(fw.window(k, u)), b = JSON.stringify(v.window(k, u));
        if (a !== b) {
          if (k !== c) return false;
          changed = true;
        }
      }
    }
    return changed;
  });
}

describe('the canonical fingerprint', () => {
  const w = world('examples/seeds/x86-ool-text-poke-bp-2cpu.scn');
  // Reachable states with a CPU besides the patcher's idle (a task preempted) while a window is open.
  const idle: { s: WorldState; c: number }[] = [], busy: { s: WorldState; c: number }[] = [];
  const next = w.next.bind(w);
  w.next = (s: WorldState, a: WorldAction) => {
    const n = next(s, a);
    if (n.smp.machine.windows.openUnitCount > 0) {
      for (let c = w.t.patchers.length; c < n.cpus.length; c++) {
        const k = n.cpus[c];
        const into = k.task === IDLE && !k.handler ? idle : k.task >= 0 && !k.handler ? busy : undefined;
        if (into && into.length < 200 && columnVariants(n, c).length > 0) into.push({ s: n, c });
      }
    }
    return n;
  };
  const r = bfs(w, {});

  it('finds such states (the seed is safe, with symmetry)', () => {
    expect(r.verdict).toBe('safe');
    expect(r.reductions.symmetry).toBe(true);
    expect(idle.length).toBeGreaterThan(0);
    expect(busy.length).toBeGreaterThan(0);
  });

  it('is the same whatever an idle CPU\'s column holds', () => {
    let compared = 0;
    for (const { s, c } of idle) {
      for (const v of columnVariants(s, c)) {
        expect(w.canonicalFingerprint!(withWindows(s, v))).toEqual(w.canonicalFingerprint!(s));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('differs when a running CPU\'s column differs, and the plain fingerprint sees every column', () => {
    for (const { s, c } of busy) {
      for (const v of columnVariants(s, c)) expect(w.canonicalFingerprint!(withWindows(s, v))).not.toEqual(w.canonicalFingerprint!(s));
    }
    for (const { s, c } of idle) {
      for (const v of columnVariants(s, c)) expect(w.fingerprint(withWindows(s, v))).not.toEqual(w.fingerprint(s));
    }
  });
});
