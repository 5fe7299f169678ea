import { describe, expect, it } from 'vitest';
import { bfs, type Reductions } from './bfs.js';
import type { Model } from './model.js';
import { replay, replayLoop } from './replay.js';
import { TOYS, toyModel, type ToyOp, type ToySpec, type ToyState } from './toy-models.js';
import type { WordReader, WordWriter } from '../base/layout.js';

const ALL_OFF: Reductions = { por: false, symmetry: false, collapse: false };
/** Every combination of the three reductions (sleep sets are turned off by the search where it checks for livelocks). */
const SETTINGS: Record<string, Reductions> = Object.fromEntries(
  [0, 1, 2, 3, 4, 5, 6, 7].map((m) => {
    const r = { por: (m & 1) !== 0, collapse: (m & 2) !== 0, symmetry: (m & 4) !== 0 };
    const name = Object.entries(r).filter(([, on]) => on).map(([k]) => k).join('+') || 'none';
    return [name, r];
  }),
);

/** Every toy, with its verdict and (with no reduction) the length of the shortest violating trace. */
const CASES = [
  { name: 'counter race', model: TOYS.counterRace(), verdict: 'unsafe', kind: 'clobbered', shortest: 6 },
  { name: 'needle k=5', model: TOYS.needle(5), verdict: 'unsafe', kind: 'wrong-target', shortest: 6 },
  { name: 'mutex 3', model: TOYS.mutex(3), verdict: 'safe' },
  { name: 'broken mutex 2', model: TOYS.brokenMutex(2), verdict: 'unsafe', kind: 'torn-group', shortest: 6 },
  { name: 'deadlock', model: TOYS.deadlock(), verdict: 'unsafe', kind: 'deadlock', shortest: 2 },
  { name: 'independent 3x3', model: TOYS.independent(3, 3), verdict: 'safe' },
  { name: 'own writes 3x3', model: TOYS.ownWrites(3, 3), verdict: 'safe' },
  { name: 'symmetric 3x2', model: TOYS.symmetric(3, 2), verdict: 'safe' },
  { name: 'spinner', model: TOYS.spinner(), verdict: 'unsafe', kind: 'fault', shortest: 3 },
  { name: 'fenced', model: TOYS.fenced(), verdict: 'unsafe', kind: 'stale-after-update', shortest: 4 },
  { name: 'stop_machine livelock', model: TOYS.stopMachine(), verdict: 'unsafe', kind: 'livelock', shortest: 1 },
  { name: 'stop_machine livelock, invisible spin', model: TOYS.stopMachineLocal(), verdict: 'unsafe', kind: 'livelock', shortest: 1 },
  { name: 'stop_machine fixed', model: TOYS.stopMachineFixed(), verdict: 'safe' },
  { name: 'racy barrier 2', model: TOYS.racyBarrier(2), verdict: 'unsafe', kind: 'livelock', shortest: 2 },
  { name: 'racy barrier 3', model: TOYS.racyBarrier(3), verdict: 'unsafe', kind: 'livelock', shortest: 2 },
  { name: 'barrier 3', model: TOYS.barrier(3), verdict: 'safe' },
] as const;

describe('bfs', () => {
  for (const c of CASES) {
    for (const [setting, reductions] of Object.entries(SETTINGS)) {
      it(`${c.name} with ${setting}: ${c.verdict}`, () => {
        const r = bfs(c.model, reductions);
        expect(r.verdict).toBe(c.verdict);
        if (c.verdict === 'unsafe' && c.kind === 'livelock') {
          expect(r.violation?.kind).toBe('livelock');
          expect(r.violation?.message).toMatch(/^thread 0 loops forever/);
          expect(r.loop).toBeDefined();
          expect(replayLoop(c.model, r.trace, r.loop!)).toEqual({ ok: true });
          if (setting === 'none') expect(r.trace).toHaveLength(c.shortest);
          else expect(r.trace.length).toBeGreaterThanOrEqual(c.shortest);
        } else if (c.verdict === 'unsafe') {
          expect(r.violation?.kind).toBe(c.kind);
          expect(r.loop).toBeUndefined();
          const again = replay(c.model, r.trace);
          expect(again.ok && again.violation?.kind).toBe(c.kind);
          expect(again.ok && again.unused).toBe(0);
          if (setting === 'none') expect(r.trace).toHaveLength(c.shortest);
          else expect(r.trace.length).toBeGreaterThanOrEqual(c.shortest);
        } else {
          expect(r.violation).toBeNull();
          expect(r.trace).toEqual([]);
        }
      });
    }
  }

  it('finds the needle at exactly depth k+1, whatever k', () => {
    for (const k of [1, 4, 9]) expect(bfs(TOYS.needle(k), ALL_OFF).trace).toHaveLength(k + 1);
  });

  it('counts every state of a product space when nothing is reduced', () => {
    // 3 threads of 3 invisible steps and a write: (3 + 2)^3 states.
    expect(bfs(TOYS.independent(3, 3), ALL_OFF).stats.states).toBe(125);
  });

  it('collapsing invisible steps shrinks the product to a line', () => {
    const off = bfs(TOYS.independent(4, 4), ALL_OFF).stats;
    const on = bfs(TOYS.independent(4, 4), { ...ALL_OFF, collapse: true }).stats;
    expect(off.states).toBe(6 ** 4);
    expect(on.states).toBeLessThan(off.states / 10);
    expect(on.collapsed).toBeGreaterThan(0);
  });

  it('sleep sets prune transitions of commuting writes, but visit every state', () => {
    const off = bfs(TOYS.ownWrites(3, 4), { ...ALL_OFF, livelock: false }).stats;
    const on = bfs(TOYS.ownWrites(3, 4), { ...ALL_OFF, por: true, livelock: false }).stats;
    expect(on.states).toBe(off.states);
    expect(on.prunedBySleep).toBeGreaterThan(0);
    expect(on.transitions).toBeLessThan(off.transitions / 2);
  });

  it('symmetry merges permutations of identical threads', () => {
    const off = bfs(TOYS.symmetric(3, 2), ALL_OFF).stats.states;
    const on = bfs(TOYS.symmetric(3, 2), { ...ALL_OFF, symmetry: true }).stats.states;
    expect(on).toBeLessThan(off / 2);
  });

  it('stops at a state limit with what it covered', () => {
    const r = bfs(TOYS.independent(4, 4), { ...ALL_OFF, maxStates: 50 });
    expect(r).toMatchObject({ verdict: 'incomplete', stop: 'max-states', violation: null });
    expect(r.stats.states).toBe(50);
    expect(r.reason).toMatch(/state limit of 50 reached: 50 states explored to depth \d+/);
  });

  it('stores at most maxStates states, and is complete when the space fits exactly', () => {
    const one = bfs(TOYS.independent(4, 4), { ...ALL_OFF, maxStates: 1 });
    expect(one).toMatchObject({ verdict: 'incomplete', stop: 'max-states' });
    expect(one.stats.states).toBe(1);
    const all = bfs(TOYS.mutex(2), ALL_OFF);
    expect(all.verdict).toBe('safe');
    const n = all.stats.states;
    expect(bfs(TOYS.mutex(2), { ...ALL_OFF, maxStates: n })).toMatchObject({ verdict: 'safe', stats: { states: n } });
    expect(bfs(TOYS.mutex(2), { ...ALL_OFF, maxStates: n - 1 })).toMatchObject({ verdict: 'incomplete', stop: 'max-states', stats: { states: n - 1 } });
  });

  it('stops at a depth limit, but a violation within it still counts', () => {
    expect(bfs(TOYS.needle(5), { ...ALL_OFF, maxDepth: 5 })).toMatchObject({ verdict: 'incomplete', stop: 'max-depth' });
    expect(bfs(TOYS.needle(5), { ...ALL_OFF, maxDepth: 6 }).verdict).toBe('unsafe');
    expect(bfs(TOYS.mutex(2), { ...ALL_OFF, maxDepth: 100 }).verdict).toBe('safe');
  });

  it('stops at a memory budget instead of running out', () => {
    const r = bfs(TOYS.independent(5, 5), { ...ALL_OFF, memoryBytes: 64 * 1024 });
    expect(r).toMatchObject({ verdict: 'incomplete', stop: 'memory' });
    expect(r.stats.memoryBytes).toBeLessThanOrEqual(64 * 1024);
  });

  it('decides the memory budget on its own counts, not on a host measure that includes garbage', () => {
    const budget = 256 * 1024;
    const clock = () => 0;
    const plain = bfs(TOYS.independent(5, 5), { ...ALL_OFF, clock, memoryBytes: budget, modelStateBytes: 200, progressEvery: 64 });
    expect(plain).toMatchObject({ verdict: 'incomplete', stop: 'memory' });
    // A heap that reads over the budget, and a different amount each time, as V8's does between collections.
    let garbage = 0;
    const measured = () => budget + (garbage = (garbage * 7 + 13) % (budget / 2));
    expect(bfs(TOYS.independent(5, 5), { ...ALL_OFF, clock, memoryBytes: budget, modelStateBytes: 200, progressEvery: 64, measuredBytes: measured })).toEqual(plain);
    // Far past the budget only until garbage is collected: still not the measure's to decide.
    const collectable = (collect: boolean) => (collect ? budget : 4 * budget + 2 ** 30);
    expect(bfs(TOYS.independent(5, 5), { ...ALL_OFF, clock, memoryBytes: budget, modelStateBytes: 200, progressEvery: 64, measuredBytes: collectable })).toEqual(plain);
    // Far past the budget with only live memory counted, the measure is a safety net against running out for real.
    const dying = bfs(TOYS.independent(5, 5), { ...ALL_OFF, memoryBytes: budget, progressEvery: 64, measuredBytes: () => 2 * budget + 2 ** 30 });
    expect(dying).toMatchObject({ verdict: 'incomplete', stop: 'memory' });
    expect(dying.reason).toContain('underestimated');
  });

  it('counts each queued state at the size the model gives it', () => {
    const model = TOYS.independent(5, 5);
    const sized = { ...model, stateBytes: () => 1000 };
    const budget = 200 * 1024;
    const clock = () => 0;
    const r = bfs(sized, { ...ALL_OFF, clock, memoryBytes: budget });
    expect(r).toMatchObject({ verdict: 'incomplete', stop: 'memory' });
    expect(r.stats.memoryBytes).toBeLessThanOrEqual(budget);
    // The model's size replaces the flat estimate: a bigger state stops the search sooner.
    expect(r.stats.states).toBeLessThan(bfs(model, { ...ALL_OFF, memoryBytes: budget, modelStateBytes: 100 }).stats.states);
    expect(bfs(sized, { ...ALL_OFF, clock, memoryBytes: budget })).toEqual(r);
  });

  it('with a packed queue, searches as with objects, and counts the words it holds against the budget', () => {
    // A toy state (an Int32Array) packed as its length and words.
    const packable = <M extends ReturnType<typeof toyModel>>(m: M) => ({
      ...m,
      pack: (st: ToyState, w: WordWriter) => {
        w.u32(st.length);
        for (const x of st) w.u32(x >>> 0);
      },
      unpack: (r: WordReader) => {
        const st = new Int32Array(r.u32());
        for (let i = 0; i < st.length; i++) st[i] = r.i32();
        return st;
      },
    });
    // The same search but for the bytes the queue holds.
    const search = (m: Model<ToyState, unknown>, pack: boolean) => {
      const r = bfs(m, { clock: () => 0, pack });
      return { ...r, stats: { ...r.stats, memoryBytes: 0 } };
    };
    for (const model of [TOYS.independent(4, 4), TOYS.needle(6), TOYS.deadlock(), TOYS.spinner()]) {
      const withPack = search(packable(model), true);
      expect(withPack.stats.states).toBeGreaterThan(1);
      expect(withPack).toEqual(search(packable(model), false));
      expect(withPack).toEqual(search(model, true));
    }
    const budget = 64 * 1024;
    const r = bfs(packable(TOYS.independent(5, 5)), { ...ALL_OFF, clock: () => 0, memoryBytes: budget });
    expect(r).toMatchObject({ verdict: 'incomplete', stop: 'memory' });
    expect(r.stats.memoryBytes).toBeLessThanOrEqual(budget);
    expect(r.stats.memoryBytes).toBeGreaterThan(0.8 * budget);
  });

  it('stops at a time limit read from the injected clock', () => {
    let now = 0;
    const r = bfs(TOYS.independent(5, 5), { ...ALL_OFF, clock: () => (now += 10), maxSeconds: 1, progressEvery: 100 });
    expect(r).toMatchObject({ verdict: 'incomplete', stop: 'time' });
  });

  it('reports progress', () => {
    const seen: number[] = [];
    bfs(TOYS.independent(4, 4), { ...ALL_OFF, progressEvery: 500, onProgress: (p) => seen.push(p.states) });
    expect(seen).toEqual([500, 1000]);
  });

  it('is deterministic except for timing', () => {
    const strip = (r: ReturnType<typeof bfs>) => ({ ...r, stats: { ...r.stats, seconds: 0, statesPerSecond: 0 } });
    expect(strip(bfs(TOYS.brokenMutex(3)))).toEqual(strip(bfs(TOYS.brokenMutex(3))));
  });
});

/** A small deterministic generator for random toy systems (the reductions' differential test). */
function randomSpec(seed: number): ToySpec {
  let x = seed * 2654435761 + 1;
  const rnd = (k: number) => {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
    return ((x >>> 0) % k);
  };
  const vars = 1 + rnd(3);
  const op = (pc: number): ToyOp => {
    const v = rnd(vars);
    switch (rnd(11)) {
      case 0: return { op: 'local' };
      case 1: return { op: 'read', v, bad: rnd(3), kind: 'wrong-target' };
      case 2: return { op: 'write', v, value: rnd(2) ? 'reg+1' : rnd(3) };
      case 3: return { op: 'add', v, delta: 1, max: 2, kind: 'torn-group' };
      case 4: return { op: 'lock', v };
      case 5: return { op: 'unlock', v };
      case 6: return { op: 'await', v, value: rnd(2) };
      case 7: return { op: 'choose' };
      case 8: return { op: 'retry', v, value: rnd(2), to: rnd(pc + 1) };
      case 9: return rnd(3) === 0 ? { op: 'jump', to: rnd(pc + 1) } : { op: 'local' };
      default: return { op: rnd(4) === 0 ? 'fence' : 'local' };
    }
  };
  const threads = Array.from({ length: 2 + rnd(2) }, () => Array.from({ length: 1 + rnd(5) }, (_, pc) => op(pc)));
  return { vars, threads };
}

describe('reductions never change a verdict (random toy systems)', () => {
  // Checked three ways, since with several violations reachable a reduced search may meet another first:
  // the whole model, deadlocks alone (no property), the property alone (no deadlocks).
  const withoutProperty = (spec: ToySpec): ToySpec => ({ ...spec, threads: spec.threads.map((p) => p.map((o): ToyOp => (o.op === 'read' ? { op: 'read', v: o.v } : o.op === 'add' ? { op: 'add', v: o.v, delta: o.delta } : o))) });
  const withoutDeadlocks = <S, A>(m: Model<S, A>): Model<S, A> => ({ ...m, finished: () => true });

  it('400 systems, every reduction on and off, with and without the livelock check', () => {
    const counts = { safe: 0, unsafe: 0, deadlock: 0, livelock: 0 };
    let twinLivelocks = 0;
    for (let seed = 0; seed < 400; seed++) {
      const spec = randomSpec(seed);
      // Twins: thread 0's program run by identical threads, so that symmetry has something to merge.
      const twins: ToySpec = { ...spec, symmetric: true, threads: spec.threads.map(() => spec.threads[0]) };
      const variants = { whole: toyModel(spec), deadlocks: toyModel(withoutProperty(spec)), property: withoutDeadlocks(toyModel(spec)), twins: toyModel(twins) };
      for (const [variant, model] of Object.entries(variants)) {
        for (const livelock of [true, false]) {
          const base = bfs(model, { ...ALL_OFF, livelock });
          const isLivelock = (r: ReturnType<typeof bfs>) => r.violation?.kind === 'livelock';
          for (const [setting, reductions] of Object.entries(SETTINGS)) {
            const r = bfs(model, { ...reductions, livelock });
            expect({ seed, variant, setting, livelock, verdict: r.verdict, isLivelock: isLivelock(r) }).toEqual({ seed, variant, setting, livelock, verdict: base.verdict, isLivelock: isLivelock(base) });
            if (variant === 'deadlocks') expect(r.violation?.kind).toBe(base.violation?.kind);
            if (isLivelock(r)) expect(replayLoop(model, r.trace, r.loop!)).toEqual({ ok: true });
            else if (r.verdict === 'unsafe') expect(replay(model, r.trace)).toMatchObject({ ok: true, violation: { kind: r.violation!.kind } });
          }
          if (variant === 'twins' && livelock && isLivelock(base)) twinLivelocks++;
          if (variant === 'whole' && livelock) counts[base.violation?.kind === 'deadlock' ? 'deadlock' : isLivelock(base) ? 'livelock' : base.verdict === 'safe' ? 'safe' : 'unsafe']++;
        }
      }
    }
    // The generator must produce every outcome, or the test proves little.
    expect(counts.safe).toBeGreaterThan(20);
    expect(counts.unsafe).toBeGreaterThan(20);
    expect(counts.deadlock).toBeGreaterThan(20);
    expect(counts.livelock).toBeGreaterThan(20);
    expect(twinLivelocks).toBeGreaterThan(5);
  });
});
