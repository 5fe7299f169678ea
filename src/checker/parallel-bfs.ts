// Breadth-first search over several workers, level by level, with one shared visited set: the same
// answer as bfs.ts (verdict, kind, trace, and for a complete search the same states and transitions).
//
// 1. The level's states are packed into shared memory; the workers take chunks of it from a shared
//    cursor and expand them (level-expand.ts), inserting successors into the shared table.
// 2. Each state first stored on this level's expansion keeps its lowest discoverer key (its parent's
//    position, then the action): the discoverer a one-thread search meets first. Sorting the new states
//    by that key gives the next level in the one-thread search's order, and ids in that order.
// 3. A deadlock anywhere in the level ends the search with it (it is shorter than any violation found one
//    level down); otherwise the new state with the lowest key that violates is the answer, and only the
//    states before it are kept (as the one-thread search stores them before it stops).
// 4. Past the table's load limit, the level is given up: a table four times larger is built from the
//    states of the levels before, and the level runs again.
// Sleep sets are not used: where they would be (no symmetry to use, livelocks not looked for), the search
// runs on one thread (bfs.ts), as it does when a state has more actions than a key can name (256).
// Limits (states, memory, time) stop it at a level's end, not mid-level.

import { InternalError } from '../base/assert.js';
import { WordWriter } from '../base/layout.js';
import { bfs, searchPlan, type BfsOptions } from './bfs.js';
import { expandLevel, levelReader, type LevelPart, type LevelTask, type SharedLevel } from './level-expand.js';
import { EdgeLog, analysisBytes, livelockIn } from './livelock.js';
import { minimise } from './minimise.js';
import type { Finding, Model } from './model.js';
import { stateAfter } from './replay.js';
import { type CheckResult, type StopReason, defaultClock, emptyStats } from './result.js';
import { KEY_ACTIONS, KEY_POSITIONS, SharedVisited } from './shared-visited.js';

/** Runs one level's task on every worker at once (worker threads, or in process for tests). */
export interface LevelPool {
  readonly size: number;
  run(task: LevelTask): Promise<LevelPart[]>;
}

const NONE = 0xffffffff;
const INITIAL_CAPACITY = 1 << 16;
/**
 * Levels narrower than this are expanded by the coordinator itself: handing them out costs more than it
 * saves (a round trip per level, and workers that run cold code on a few states). The answer is the same.
 */
const SMALL_LEVEL = 1024;

/** Would `bfs` with these options use sleep sets on this model? Then the search stays on one thread. */
export function usesSleepSets<S, A, V extends Finding>(model: Model<S, A, V>, options: BfsOptions): boolean {
  return searchPlan(model, options).por;
}

class Stop {
  constructor(readonly stop: StopReason, readonly reason: string) {}
}

export interface ParallelTuning {
  /** The shared table's first size (a power of two; tests make it small to make it grow). */
  readonly tableCapacity?: number;
  /** Levels of fewer states are expanded by the coordinator (tests set 0, to hand every level out). */
  readonly smallLevel?: number;
}

export async function parallelBfs<S, A, V extends Finding>(model: Model<S, A, V>, pool: LevelPool, options: BfsOptions = {}, tuning: ParallelTuning = {}): Promise<CheckResult<V>> {
  const tableCapacity = tuning.tableCapacity ?? INITIAL_CAPACITY;
  const smallLevel = tuning.smallLevel ?? SMALL_LEVEL;
  if (usesSleepSets(model, options) || !model.pack || !model.unpack || pool.size < 2) return bfs(model, options);
  const clock = options.clock ?? defaultClock;
  const t0 = clock();
  const seconds = () => (clock() - t0) / 1000;
  const budget = options.memoryBytes ?? 2 ** 30;
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const { symmetry, collapse, livelock, fingerprint } = searchPlan(model, options);
  const edges = livelock ? new EdgeLog() : undefined;
  const stats = emptyStats();

  let table = SharedVisited.create(tableCapacity);
  let slotToId = new Int32Array(table.capacity).fill(-1);
  let parent = new Uint32Array(1024), action = new Uint32Array(1024), idToSlot = new Uint32Array(1024);
  let stored = 0;
  const store = (slot: number, p: number, a: number): number => {
    if (stored === parent.length) {
      const grow = (x: Uint32Array) => {
        const y = new Uint32Array(x.length * 2);
        y.set(x);
        return y;
      };
      parent = grow(parent);
      action = grow(action);
      idToSlot = grow(idToSlot);
    }
    parent[stored] = p;
    action[stored] = a;
    idToSlot[stored] = slot;
    slotToId[slot] = stored;
    return stored++;
  };
  const traceOf = (id: number): number[] => {
    const path: number[] = [];
    for (; parent[id] !== NONE; id = parent[id]) path.push(action[id]);
    return path.reverse();
  };
  const memoryBytes = (levelBytes: number) => table.bytes + slotToId.byteLength + 3 * parent.byteLength + levelBytes + (edges?.bytes ?? 0);
  let depth = 0;

  const finish = (verdict: CheckResult['verdict'], found?: { id: number; violation: V; loop?: CheckResult['loop'] }, stop?: Stop, levelBytes = 0): CheckResult<V> => {
    stats.states = stored;
    let trace = found ? traceOf(found.id) : [];
    stats.maxDepth = Math.max(depth, trace.length);
    stats.seconds = seconds();
    stats.statesPerSecond = stats.seconds > 0 ? stored / stats.seconds : 0;
    stats.memoryBytes = memoryBytes(levelBytes);
    stats.bytesPerState = stored > 0 ? stats.memoryBytes / stored : 0;
    if (found && !found.loop && collapse && (options.minimise ?? true)) {
      const shorter = minimise(model, trace, found.violation.kind).trace;
      stats.minimisedAway = trace.length - shorter.length;
      trace = shorter;
    }
    const result: CheckResult<V> = { verdict, violation: found?.violation ?? null, trace, stats, reductions: { por: false, symmetry, collapse }, livelocks: edges !== undefined };
    if (found?.loop) result.loop = found.loop;
    if (stop) {
      result.stop = stop.stop;
      result.reason = `${stop.reason}: ${stored} states explored to depth ${depth}, no violation found`;
    }
    return result;
  };

  // The initial state: level 0.
  const s0 = model.initial();
  const [lo0, hi0] = fingerprint(s0);
  const rootId = store(table.insert(lo0, hi0, 0), NONE, 0);
  const v0 = model.violation(s0);
  if (v0) return finish('unsafe', { id: rootId, violation: v0 });
  const w0 = new WordWriter(256, true);
  model.pack(s0, w0);
  let level: SharedLevel = { chunks: [w0.detach()], where: new Uint32Array(new SharedArrayBuffer(8)), count: 1 };
  let levelFirstId = 0;

  try {
    while (level.count > 0) {
      if (level.count > KEY_POSITIONS) throw new Stop('memory', `a level of more than ${KEY_POSITIONS} states`);
      const control = new SharedArrayBuffer(8);
      const timer = options.maxSeconds !== undefined ? setTimeout(() => Atomics.store(new Int32Array(control), 1, 1), Math.max(0, options.maxSeconds * 1000 - (clock() - t0))) : undefined;
      const task: LevelTask = { level, depth, table: table.buffers, control, collapse, edges: edges !== undefined, noExpand: depth >= maxDepth };
      let parts: LevelPart[];
      try {
        parts = level.count < smallLevel ? [expandLevel(model, fingerprint, task)] : await pool.run(task);
      } finally {
        if (timer) clearTimeout(timer);
      }
      // A key names an action by 8 bits: a state with more actions than that is searched on one thread.
      if (parts.some((p) => p.tooManyActions)) return bfs(model, options);
      if (parts.some((p) => p.full)) {
        // 4. Give the level up and run it again on a larger table.
        const capacity = table.capacity * 4;
        if (SharedVisited.bytesFor(capacity) + 4 * capacity + memoryBytes(levelBytes(level)) - table.bytes - slotToId.byteLength > budget) throw new Stop('memory', `memory budget of ${budget} bytes reached`);
        const { table: bigger, moved } = table.rebuilt(capacity, depth);
        const ids = new Int32Array(capacity).fill(-1);
        for (let id = 0; id < stored; id++) {
          const slot = moved[idToSlot[id]];
          ids[slot] = id;
          idToSlot[id] = slot;
        }
        table = bigger;
        slotToId = ids;
        continue;
      }
      if (parts.some((p) => p.stopped)) throw new Stop('time', `time limit of ${options.maxSeconds} s reached`);
      for (const p of parts) {
        stats.transitions += p.transitions;
        stats.collapsed += p.collapsed;
      }
      // 2. The new states, each with its first discoverer's candidate, in key order.
      const chosen: { slot: number; key: number; violation: boolean; chunk: number; at: number; n: number }[] = [];
      parts.forEach((p, chunk) => {
        const c = p.candidates;
        for (let at = 0; at < c.length; ) {
          const slot = c[at], key = c[at + 1], violation = c[at + 2] !== 0, n = c[at + 3];
          if (table.key(slot) === key) chosen.push({ slot, key, violation, chunk, at: at + 4, n });
          at += 4 + n;
        }
      });
      chosen.sort((a, b) => a.key - b.key);
      const bad = chosen.findIndex((c) => c.violation);
      // 3. A deadlock on this level comes first. The states kept are those the one-thread search stores
      // before it reaches the deadlock: found from the states before it, up to the first violation.
      const deadlocks = parts.map((p) => p.deadlock).filter((d) => d >= 0);
      if (deadlocks.length > 0) {
        const pos = Math.min(...deadlocks);
        const before = chosen.filter((c, j) => c.key < pos * KEY_ACTIONS && (bad < 0 || j <= bad));
        for (const c of before.slice(0, Math.max(0, maxStates - stored))) store(c.slot, levelFirstId + Math.floor(c.key / KEY_ACTIONS), c.key % KEY_ACTIONS);
        const s = model.unpack(levelReader(level, pos));
        return finish('unsafe', { id: levelFirstId + pos, violation: model.deadlock(s) });
      }
      if (parts.some((p) => p.unexplored > 0)) return finish('incomplete', undefined, new Stop('max-depth', `depth limit of ${maxDepth} reached`));
      let keep = bad >= 0 ? bad + 1 : chosen.length;
      let limited = false;
      if (stored + keep > maxStates) {
        keep = Math.max(0, maxStates - stored);
        limited = true;
      }
      const firstNew = stored;
      for (let j = 0; j < keep; j++) store(chosen[j].slot, levelFirstId + Math.floor(chosen[j].key / KEY_ACTIONS), chosen[j].key % KEY_ACTIONS);
      if (edges && !limited && bad < 0) logEdges(edges, parts, level.count, levelFirstId, slotToId, budget - memoryBytes(levelBytes(level)));
      // The next level reads the chosen candidates where the workers wrote them.
      const where = new Uint32Array(new SharedArrayBuffer(8 * Math.max(1, keep)));
      for (let j = 0; j < keep; j++) {
        where[2 * j] = chosen[j].chunk;
        where[2 * j + 1] = chosen[j].at;
      }
      const next: SharedLevel = { chunks: parts.map((p) => p.candidates), where, count: keep };
      if (memoryBytes(levelBytes(level) + levelBytes(next)) > budget) throw new Stop('memory', `memory budget of ${budget} bytes reached`);
      if (bad >= 0 && !limited) {
        depth++;
        const s = model.unpack(levelReader(next, bad));
        return finish('unsafe', { id: firstNew + bad, violation: model.violation(s)! });
      }
      if (limited) throw new Stop('max-states', `state limit of ${maxStates} reached`);
      options.onProgress?.({ states: stored, statesPerSecond: seconds() > 0 ? stored / seconds() : 0, depth, memoryBytes: memoryBytes(levelBytes(next)), queue: next.count, seconds: seconds() });
      level = next;
      levelFirstId = firstNew;
      if (level.count > 0) depth++;
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    return finish('incomplete', undefined, e, levelBytes(level));
  }
  if (!edges) return finish('safe');
  if (memoryBytes(0) + analysisBytes(edges.states, edges.edges) > budget) return finish('incomplete', undefined, new Stop('memory', `memory budget of ${budget} bytes reached by the livelock check`));
  const found = livelockIn(model, edges, fingerprint, (id) => table.fingerprintOf(idToSlot[id]), (id) => stateAfter(model, traceOf(id)));
  return found ? finish('unsafe', found) : finish('safe');
}

/** The bytes a level holds: its chunks (every candidate written, chosen or not) and its index. */
function levelBytes(level: SharedLevel): number {
  return level.chunks.reduce((n, c) => n + c.byteLength, 0) + level.where.byteLength;
}

/** The level's edges in position order (each position was expanded by one worker), as the one-thread search logs them. */
function logEdges(log: EdgeLog, parts: readonly LevelPart[], count: number, firstId: number, slotToId: Int32Array, room: number): void {
  const at = new Int32Array(count).fill(-1), partOf = new Int32Array(count);
  parts.forEach((p, k) => {
    for (let i = 0; i < p.edges.length; i += 3 + p.edges[i + 2]) {
      at[p.edges[i]] = i;
      partOf[p.edges[i]] = k;
    }
  });
  for (let pos = 0; pos < count; pos++) {
    if (at[pos] < 0) throw new InternalError(`no worker logged the edges of position ${pos}`);
    const e = parts[partOf[pos]].edges, i = at[pos];
    if (!log.begin(firstId + pos, e[i + 1] !== 0, room)) throw new Stop('memory', 'memory budget reached by the livelock log');
    for (let k = 0; k < e[i + 2]; k++) if (!log.add(slotToId[e[i + 3 + k]], room)) throw new Stop('memory', 'memory budget reached by the livelock log');
  }
}

/**
 * A pool in this thread, for tests: `size` parts expanded in turn a chunk at a time, so that states are
 * found by several parts in every order, as on worker threads.
 */
export function inProcessPool<S, A, V extends Finding>(model: Model<S, A, V>, fingerprint: (s: S) => readonly [number, number], size: number): LevelPool {
  return {
    size,
    run: async (task) => {
      const runs: LevelPart[][] = Array.from({ length: size }, () => []);
      const cursor = new Int32Array(task.control);
      for (let k = 0; Atomics.load(cursor, 0) < task.level.count; k = (k + 1) % size) {
        const part = expandLevel(model, fingerprint, task, 1);
        runs[k].push(part);
        if (part.full || part.stopped) break;
      }
      return runs.map(joinParts);
    },
  };
}

/** Parts of one worker's run, as one. */
function joinParts(parts: readonly LevelPart[]): LevelPart {
  const cat = (xs: readonly Uint32Array[]) => {
    const out = new Uint32Array(xs.reduce((n, x) => n + x.length, 0));
    let at = 0;
    for (const x of xs) {
      out.set(x, at);
      at += x.length;
    }
    return out;
  };
  const deadlocks = parts.map((p) => p.deadlock).filter((d) => d >= 0);
  return {
    candidates: cat(parts.map((p) => p.candidates)), edges: cat(parts.map((p) => p.edges)),
    deadlock: deadlocks.length > 0 ? Math.min(...deadlocks) : -1,
    transitions: parts.reduce((n, p) => n + p.transitions, 0), collapsed: parts.reduce((n, p) => n + p.collapsed, 0),
    unexplored: parts.reduce((n, p) => n + p.unexplored, 0), full: parts.some((p) => p.full), stopped: parts.some((p) => p.stopped),
    tooManyActions: parts.some((p) => p.tooManyActions),
  };
}
