// Livelock (MODEL.md §5): after an exhaustive search, a stored state from which no finished state can be reached.
//
// 1. While searching, the search logs its graph (`EdgeLog`): for each expanded state, in id order (which is
//    BFS order), whether it is finished and the ids of its successors. 4 bytes per edge and per state.
// 2. Once the search has explored everything and found no other violation, `findLivelock` marks every state
//    that reaches a finished one, backwards over the reversed edges. The lowest id left unmarked is the
//    livelocked state with the shortest trace (ids are in BFS order).
// 3. Its loop: a walk along first edges from it must come back to a state already walked (no state it reaches
//    can finish, so none is a dead end: a dead end that is not finished was a deadlock, found by the search).
//    The state the walk closes on, reached by a shortest lead, and a shortest cycle through it, are shown.
// 4. `concretize` turns ids back into action indices by replaying from the state the trace reaches and
//    matching each successor's fingerprint with the stored one: with symmetry the stored edge of a state may
//    name a permuted successor, so its action index is looked up again in the concrete state.
//
// Which reductions keep "can reach a finished state" exact is argued in docs/reductions.md: symmetry and
// collapse do, sleep sets do not (they drop edges of stored states), so the search turns them off when it
// checks for livelocks.

import { InternalError } from '../base/assert.js';
import type { Finding, LoopStep, Model } from './model.js';

/** Bit 31 of a state's start word: the state is finished (a target of the backward search). */
const FINISHED = 0x80000000;
const INDEX = 0x7fffffff;

/** The explored graph, edges grouped by source in id order, in typed arrays that grow within a byte limit. */
export class EdgeLog {
  /** Per state: index of its first edge, bit 31 set when it is finished. */
  private starts: Uint32Array<ArrayBuffer> = new Uint32Array(1024);
  private targets: Uint32Array<ArrayBuffer> = new Uint32Array(4096);
  /** States begun so far (the next `begin` must be this id). */
  states = 0;
  edges = 0;

  get bytes(): number {
    return this.starts.byteLength + this.targets.byteLength;
  }

  /** Start logging the successors of state `id`; false when growing would pass `room` more bytes. */
  begin(id: number, finished: boolean, room: number): boolean {
    if (id !== this.states) throw new InternalError(`EdgeLog: state ${id} expanded out of order (expected ${this.states})`);
    if (this.states + 1 >= this.starts.length) {
      const grown = grow(this.starts, this.states + 2, room);
      if (!grown) return false;
      this.starts = grown;
    }
    this.starts[this.states++] = this.edges | (finished ? FINISHED : 0);
    return true;
  }

  /** Log an edge from the state begun last to `to`; false when growing would pass `room` more bytes. */
  add(to: number, room: number): boolean {
    if (this.edges >= this.targets.length) {
      const grown = grow(this.targets, this.edges + 1, room);
      if (!grown) return false;
      this.targets = grown;
    }
    this.targets[this.edges++] = to;
    return true;
  }

  /** Successors of state `id` as a range of `targets`. */
  first(id: number): number {
    return this.starts[id] & INDEX;
  }
  end(id: number): number {
    return id + 1 < this.states ? this.starts[id + 1] & INDEX : this.edges;
  }
  finished(id: number): boolean {
    return (this.starts[id] & FINISHED) !== 0;
  }
  target(e: number): number {
    return this.targets[e];
  }
}

/** A bigger copy holding at least `need` entries (doubling, or what `room` allows), or undefined. */
function grow(a: Uint32Array, need: number, room: number): Uint32Array<ArrayBuffer> | undefined {
  const fit = a.length + Math.floor(room / 4);
  const length = Math.min(Math.max(need, a.length * 2), fit);
  if (length < need) return undefined;
  const b = new Uint32Array(length);
  b.set(a);
  return b;
}

/** A livelocked state by id, and its loop: `lead` goes from it to the loop's first state, `cycle` back to that state. */
export interface LivelockIds {
  readonly id: number;
  readonly lead: readonly number[];
  readonly cycle: readonly number[];
}

/** Bytes `findLivelock` allocates for a graph of n states and m edges (the reversed edges and its work arrays). */
export function analysisBytes(n: number, m: number): number {
  return 4 * (n + 1) + 4 * m + n + 4 * n + 4 * n;
}

/** The livelocked state with the lowest id and a loop from it, or undefined when every state reaches a finished one. */
export function findLivelock(log: EdgeLog): LivelockIds | undefined {
  const n = log.states, m = log.edges;
  // Reverse the edges (counting sort by target).
  const inStart = new Uint32Array(n + 1);
  for (let e = 0; e < m; e++) inStart[log.target(e) + 1]++;
  for (let v = 0; v < n; v++) inStart[v + 1] += inStart[v];
  const inList = new Uint32Array(m);
  const fill = inStart.slice(0, n);
  for (let u = 0; u < n; u++) for (let e = log.first(u), end = log.end(u); e < end; e++) inList[fill[log.target(e)]++] = u;
  // Backwards from the finished states.
  const reaches = new Uint8Array(n);
  const queue = new Uint32Array(n);
  let tail = 0;
  for (let v = 0; v < n; v++) if (log.finished(v)) { reaches[v] = 1; queue[tail++] = v; }
  for (let head = 0; head < tail; head++) {
    const v = queue[head];
    for (let i = inStart[v]; i < inStart[v + 1]; i++) {
      const u = inList[i];
      if (!reaches[u]) { reaches[u] = 1; queue[tail++] = u; }
    }
  }
  let id = 0;
  while (id < n && reaches[id]) id++;
  if (id === n) return undefined;
  // Walk first edges until a state repeats: that state lies on a cycle.
  const seen = new Int32Array(n).fill(-1);
  let v = id;
  for (let k = 0; seen[v] < 0; k++) {
    seen[v] = k;
    if (log.first(v) === log.end(v)) throw new InternalError(`livelock: state ${v} reaches no finished state but is a dead end`);
    v = log.target(log.first(v));
  }
  const lead = v === id ? [] : shortestPath(log, id, v, seen, queue);
  const cycle = shortestPath(log, v, v, seen, queue);
  return { id, lead, cycle };
}

/** The ids after `from` on a shortest path of at least one edge to `to` (ending with `to`); `parent`, `queue` are scratch. */
function shortestPath(log: EdgeLog, from: number, to: number, parent: Int32Array, queue: Uint32Array): number[] {
  parent.fill(-1);
  let tail = 0;
  const visit = (u: number): boolean => {
    for (let e = log.first(u), end = log.end(u); e < end; e++) {
      const w = log.target(e);
      if (parent[w] >= 0) continue;
      parent[w] = u;
      if (w === to) return true;
      queue[tail++] = w;
    }
    return false;
  };
  let found = visit(from);
  for (let head = 0; !found && head < tail; head++) found = visit(queue[head]);
  if (!found) throw new InternalError(`livelock: no path from state ${from} to state ${to}`);
  const path = [to];
  for (let w = parent[to]; w !== from; w = parent[w]) path.push(w);
  return path.reverse();
}

/** The action indices that take `start` along the stored states `ids`, and the states on the way (`states[k]` is before action k). */
export function concretize<S, A>(model: Model<S, A>, fingerprint: (s: S) => readonly [number, number], stored: (id: number) => readonly [number, number], start: S, ids: readonly number[]): { actions: number[]; states: S[]; end: S } {
  const actions: number[] = [], states: S[] = [];
  let s = start;
  for (const id of ids) {
    const [lo, hi] = stored(id);
    const acts = model.actions(s);
    let k = 0, succ: S | undefined;
    for (; k < acts.length; k++) {
      const t = model.next(s, acts[k]);
      const [a, b] = fingerprint(t);
      if (a >>> 0 === lo && b >>> 0 === hi) { succ = t; break; }
    }
    if (succ === undefined) throw new InternalError(`livelock: no action leads to stored state ${id}`);
    actions.push(k);
    states.push(s);
    s = succ;
  }
  return { actions, states, end: s };
}

/** A permuted cycle is passed again until a pass begins where an earlier one began, at most this many times. */
const MAX_CYCLE_ROUNDS = 64;

/** What the search reports for a livelock: the state (by id), the finding, and the loop as action indices. */
export interface LivelockFound<V> {
  readonly id: number;
  readonly violation: V;
  readonly loop: { readonly lead: number[]; readonly cycle: number[] };
}

/**
 * Find a livelock in the logged graph and tell it with the model's words (`model.livelock`).
 * `stateOf(id)` rebuilds a stored state (by replaying its trace); `stored(id)` is its fingerprint as stored.
 */
export function livelockIn<S, A, V extends Finding>(model: Model<S, A, V>, log: EdgeLog, fingerprint: (s: S) => readonly [number, number], stored: (id: number) => readonly [number, number], stateOf: (id: number) => S): LivelockFound<V> | undefined {
  const ids = findLivelock(log);
  if (!ids || !model.livelock) return undefined;
  const at = stateOf(ids.id);
  const lead = concretize(model, fingerprint, stored, at, ids.lead);
  // With symmetry one pass of the cycle may end in a permutation of the state it began in: pass again until
  // a pass begins in a state an earlier pass began in; the passes before that one join the lead.
  const starts: string[] = [];
  const passes: { actions: number[]; steps: LoopStep<S, A>[] }[] = [];
  let s = lead.end;
  let from = -1;
  for (let round = 0; round < MAX_CYCLE_ROUNDS && from < 0; round++) {
    starts.push(model.fingerprint(s).join(':'));
    const c = concretize(model, fingerprint, stored, s, ids.cycle);
    passes.push({ actions: c.actions, steps: c.actions.map((k, i) => ({ state: c.states[i], action: model.actions(c.states[i])[k] })) });
    s = c.end;
    from = starts.indexOf(model.fingerprint(s).join(':'));
  }
  if (from < 0) from = 0; // never closed (a permutation of very high order): shown up to a permutation
  const leadActions = [...lead.actions, ...passes.slice(0, from).flatMap((p) => p.actions)];
  const cycle = passes.slice(from).flatMap((p) => p.actions);
  const steps = passes.slice(from).flatMap((p) => p.steps);
  return { id: ids.id, violation: model.livelock(at, steps), loop: { lead: leadActions, cycle } };
}
