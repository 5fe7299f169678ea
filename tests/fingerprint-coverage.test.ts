// Every field of a kernel world state that decides its future is in its fingerprint: a field left out
// would merge two different states (a wrong "safe"). The test walks a state reached mid-run (a call in
// flight, a handler on a CPU, a breakpoint armed, fetch windows open), changes each scalar it finds, one at
// a time, and asserts that the fingerprint changes. The fields it may skip are listed, each with why.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WordWriter, unpacked } from '../src/base/layout.js';
import { splitmix32 } from '../src/checker/random.js';
import type { WorldState } from '../src/kernel/state.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';

const SEEDS = join(import.meta.dirname, '..', 'examples', 'seeds');

/** Fields that are not state, with the reason. A path matches when it ends with one of these names. */
const NOT_STATE: Record<string, string> = {
  stackBank: 'which stack a CPU sees: a function of the context the registers belong to (tasks[i] → bank i)',
  lanes: 'a cache of the CPU registers\' hash',
  ctxLanes: 'a cache of the context\'s hash',
  cond: 'copied from the call op at `op` (hashed)',
  expect: 'copied from the call op at `op` (hashed)',
  saved: '', // not skipped: listed so the walk reaches it (see below)
  message: 'a violation is sticky and ends the search; its text is for the report',
  kind: '', // handler kind: not skipped
  cpu: '', // not skipped
  task: '', // not skipped
};
const SKIP = new Set(Object.entries(NOT_STATE).filter(([, why]) => why !== '').map(([k]) => k));

type Path = (string | number)[];

/** Paths to every scalar under the parts of the state the kernel owns (machine memory and windows are classes with tests of their own). */
function scalars(v: unknown, path: Path, out: Path[]): void {
  if (v === null || v === undefined) return;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'string') {
    out.push(path);
    return;
  }
  if (v instanceof BigUint64Array) {
    for (let i = 0; i < v.length; i++) out.push([...path, i]);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => scalars(x, [...path, i], out));
    return;
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v)) if (!SKIP.has(k)) scalars(x, [...path, k], out);
  }
}

function changed(x: unknown): unknown {
  if (typeof x === 'number') return x === -1 ? -2 : x + 1;
  if (typeof x === 'boolean') return !x;
  if (typeof x === 'bigint') return x + 1n;
  if (typeof x === 'string') return `${x}'`;
  throw new Error(`not a scalar: ${String(x)}`);
}

/** A copy of `root` with the scalar at `path` changed; every object on the path is copied, the rest shared. */
function mutate(root: unknown, path: Path): unknown {
  if (path.length === 0) return changed(root);
  const [head, ...rest] = path;
  if (root instanceof BigUint64Array) {
    const copy = root.slice();
    copy[head as number] = copy[head as number] + 1n;
    return copy;
  }
  if (Array.isArray(root)) {
    const copy = root.slice();
    copy[head as number] = mutate(root[head as number], rest);
    return copy;
  }
  const obj = root as Record<string, unknown>;
  // A copied CpuState must not carry the cached hash of the original.
  const copy: Record<string, unknown> = { ...obj, [head]: mutate(obj[head as string], rest) };
  if ('lanes' in copy) copy.lanes = undefined;
  return copy;
}

/** A state some steps into a seed's run, chosen by a fixed seed, with `want` true of it. */
function midRun(w: KernelWorld, seed: number, want: (s: WorldState) => boolean): WorldState {
  for (let attempt = 0; attempt < 200; attempt++) {
    const random = splitmix32(seed + attempt);
    let s = w.initial();
    for (let step = 0; step < 60 && !s.violation; step++) {
      if (want(s) && step > 3) return s;
      const acts = w.actions(s);
      if (acts.length === 0) break;
      s = w.next(s, acts[random() % acts.length]);
    }
  }
  throw new Error('no such state reached');
}

function world(id: string): KernelWorld {
  const path = id.includes('/') ? join(SEEDS, '..', `${id}.scn`) : join(SEEDS, `${id}.scn`);
  const r = parseAndLower(readFileSync(path, 'utf8'), `${id}.scn`);
  if (!r.ok) throw new Error('does not lower');
  return new KernelWorld(r.scenario.spec);
}

/** States mid-run worth walking: a handler on a CPU, calls in flight, mutexes held, breakpoints armed, windows open. */
const MID_RUN: [string, (s: WorldState) => boolean][] = [
  ['pvops-nmi-stale', (s) => s.cpus.some((k) => k.handler !== undefined)],
  ['x86-inline-rax-tramp-tasks-2preempt', (s) => s.tasks.some((t) => t.call?.started) && s.patchers[0].op > 2],
  ['two-slot-rcu-tasks', (s) => s.tasks.some((t) => t.call?.started) && s.patchers[0].mutexes.length > 0],
  // Two patchers, one holding text_mutex mid-protocol, the other asleep on it.
  ['patchers/x86-64-text-poke-bp-race-locked', (s) => s.patchers.some((p) => p.waiting === 'mutex') && s.breakpoints.length > 0 && s.keys.some((k) => k.updater >= 0)],
  ['x86-ool-text-poke-bp-2cpu', (s) => s.tasks.every((t) => t.call?.started) && s.breakpoints.length > 0 && s.smp.machine.windows.openUnits().length > 0],
];

describe('the fingerprint covers every field of the kernel world state', () => {
  for (const [id, want] of MID_RUN) {
    it(`${id}: changing any one field changes the fingerprint`, () => {
      const w = world(id);
      const s = midRun(w, 7, want);
      const fp = w.fingerprint(s).join();
      const paths: Path[] = [];
      const { smp, ...kernel } = s;
      scalars(kernel, [], paths);
      scalars(smp.machine.cpus, ['smp', 'machine', 'cpus'], paths);
      scalars(smp.maintenance, ['smp', 'maintenance'], paths);
      scalars(smp.cleanUnits, ['smp', 'cleanUnits'], paths);
      expect(paths.length).toBeGreaterThan(40);
      const missed = paths.filter((p) => w.fingerprint(mutate(s, p) as WorldState).join() === fp).map((p) => p.join('.'));
      expect(missed).toEqual([]);
      // The canonical form too, but for a task's `cpu`: it is implied by which CPU's bundle holds the task
      // (cpus[c].task), and changing it alone makes a state that cannot occur.
      const canonical = w.canonicalFingerprint;
      expect(canonical !== undefined).toBe(w.t.cpuCount > 2);
      if (canonical) {
        const c0 = canonical(s).join();
        // A change that names no task at all (cpus[c].task past the last) is no state: skipped.
        const same = (p: Path) => {
          try {
            return canonical(mutate(s, p) as WorldState).join() === c0;
          } catch {
            return false;
          }
        };
        const missedC = paths.filter((p) => !(p[0] === 'tasks' && p[2] === 'cpu') && same(p)).map((p) => p.join('.'));
        expect(missedC).toEqual([]);
      }
    });
  }
});

/** A packed state read back (the search's queue does this to every state it expands). */
function roundTrip(w: KernelWorld, s: WorldState, caches = true): { words: Uint32Array; back: WorldState } {
  const out = new WordWriter(256);
  out.caches = caches;
  w.pack(s, out);
  const words = out.take();
  return { words, back: unpacked(w.stateLayout, words) };
}

describe('the layout of the kernel world state (kernel/world-layout.ts)', () => {
  const cases: [string, (s: WorldState) => boolean][] = [
    ...MID_RUN,
    ['riscv/ftrace-pair-stop-machine-preempt', (s) => s.tasks.some((t) => t.call?.started) && s.smp.machine.windows.openUnits().length > 0],
    ['jump-labels/arm64-jump-label-b-nop', (s) => s.tasks.some((t) => t.call?.pass !== undefined)],
    // strictFetch on arm64: binding windows, with a completed maintenance that may bind a later fetch.
    ['maintenance/arm64-strict-no-kick', (s) => s.smp.machine.windows.openUnits().some((u) => s.smp.machine.windows.history(u)?.binds !== undefined)],
    // A module loaded: every section mapped, where the loaded image has the module's unmapped.
    ['modules/x86-64-module', (s) => s.smp.machine.memory.regions.every((r) => s.smp.machine.memory.isMapped(r.name))],
  ];
  for (const [id, want] of cases) {
    it(`${id}: every variant of every field changes the fingerprint`, () => {
      const w = world(id);
      const s = midRun(w, 7, want);
      const fp = w.fingerprint(s).join();
      const variants = w.stateLayout.variants(s);
      expect(variants.length).toBeGreaterThan(60);
      const missed = variants.map((v, i) => [i, w.fingerprint(v).join()] as const).filter(([, f]) => f === fp).map(([i]) => i);
      expect(missed).toEqual([]);
    });

    it(`${id}: a packed state reads back as the same state`, () => {
      const w = world(id);
      const s = midRun(w, 7, want);
      const { words, back } = roundTrip(w, s);
      expect(roundTrip(w, back).words).toEqual(words);
      expect(w.fingerprint(back)).toEqual(w.fingerprint(s));
      if (w.canonicalFingerprint) expect(w.canonicalFingerprint(back)).toEqual(w.canonicalFingerprint(s));
      const acts = w.actions(s);
      expect(w.actions(back)).toEqual(acts);
      for (const a of acts) {
        expect(w.describe(back, a)).toBe(w.describe(s, a));
        expect(w.fingerprint(w.next(back, a))).toEqual(w.fingerprint(w.next(s, a)));
      }
    });
  }

  it('the variants cover each part of the layout: changing a word of a packed state changes the fingerprint', () => {
    // The other direction of the variants test: flip each word of the packed form that decodes to a
    // state and compare. Words whose flip makes no state (a list length, an index past its table) throw.
    const w = world('x86-ool-text-poke-bp-2cpu');
    const s = midRun(w, 7, (x) => x.tasks.every((t) => t.call?.started) && x.breakpoints.length > 0);
    // Without the cached hash lanes, which are trusted to fit the fields they were computed from.
    const fp = w.fingerprint(s).join();
    const { words } = roundTrip(w, s, false);
    let decoded = 0;
    const same: number[] = [];
    for (let i = 0; i < words.length; i++) {
      const flipped = words.slice();
      flipped[i] ^= 1;
      let v: WorldState;
      try {
        v = unpacked(w.stateLayout, flipped);
      } catch {
        continue;
      }
      decoded++;
      if (w.fingerprint(v).join() === fp) same.push(i);
    }
    expect(decoded).toBeGreaterThan(words.length / 2);
    // The only words the fingerprint may not see are derived ones (a CPU's stack bank, a call's copy of
    // its op's `expect`, a cached hash lane): the state without them is unchanged.
    const essential = essentialWords(w, s);
    for (const i of same) {
      const flipped = words.slice();
      flipped[i] ^= 1;
      expect([i, essentialWords(w, unpacked(w.stateLayout, flipped))]).toEqual([i, essential]);
    }
  });
});

/** A state's words without its derived fields and caches: what the fingerprint must see. */
function essentialWords(w: KernelWorld, s: WorldState): Uint32Array {
  const out = new WordWriter(256);
  out.essential = true;
  w.stateLayout.pack(out, s);
  return out.take();
}
