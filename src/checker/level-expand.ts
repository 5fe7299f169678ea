// One worker's part of a parallel breadth-first search (parallel-bfs.ts): expand chunks of one level's
// states, taken from a shared cursor, into the shared visited table, and say what was found.
//
// The steps are bfs.ts's without sleep sets (a parallel search runs only where they are off): each state's
// actions in order, or its invisible step alone when the proviso allows (the successor not stored at this
// depth or above: the same answer whatever order the workers run in). A successor stored on this level's
// expansion (the next level) is offered this discoverer's key; a worker whose key is the lowest so far
// packs the state as a candidate. The coordinator keeps, for each state, the candidate with the final key.

import { WordReader, WordWriter } from '../base/layout.js';
import type { Finding, Model, PackedState } from './model.js';
import { collapseStep } from './reductions.js';
import { KEY_ACTIONS, SharedVisited, type SharedVisitedBuffers } from './shared-visited.js';

/**
 * A level as the coordinator shares it: the states' words lie in chunks (the candidates the workers wrote on
 * the level before, each a SharedArrayBuffer, read in place), and `where` says for each state, in level
 * order, which chunk and at which word it begins (two words per state).
 */
export interface SharedLevel {
  readonly chunks: readonly Uint32Array[];
  readonly where: Uint32Array;
  readonly count: number;
}

/** The state at `pos` of a shared level, to read. */
export function levelReader(level: SharedLevel, pos: number): WordReader {
  return new WordReader(level.chunks[level.where[2 * pos]], level.where[2 * pos + 1]);
}

export interface LevelTask {
  readonly level: SharedLevel;
  /** Depth of the level's states. */
  readonly depth: number;
  readonly table: SharedVisitedBuffers;
  /** [0] the next position to take (Atomics.add by CHUNK); [1] set to 1 to stop (time limit). */
  readonly control: SharedArrayBuffer;
  readonly collapse: boolean;
  /** Record each state's successors (for the livelock check). */
  readonly edges: boolean;
  /** Only look for deadlocks (the depth bound): expand nothing. */
  readonly noExpand: boolean;
}

/**
 * What one worker found on a level. `candidates`: records of [slot, key, violation (0/1), length, words…],
 * in shared memory (the next level reads the chosen ones in place).
 * `edges`: records of [position, finished (0/1), n, slot…] for the positions it took (when asked).
 */
export interface LevelPart {
  readonly candidates: Uint32Array;
  readonly edges: Uint32Array;
  /** The first position in level order whose state has no action and is not finished, or -1. */
  readonly deadlock: number;
  readonly transitions: number;
  readonly collapsed: number;
  /** States with actions left unexpanded (the depth bound). */
  readonly unexplored: number;
  /** The table went past its load limit: the level is given up (and run again on a larger table). */
  readonly full: boolean;
  /** The coordinator asked to stop (time limit). */
  readonly stopped: boolean;
  /** A state had more actions than a key can name (KEY_ACTIONS): the search must run on one thread. */
  readonly tooManyActions: boolean;
}

/**
 * The candidate buffers one thread has handed over, for reuse: the candidates written while expanding depth
 * d are the words of level d + 1, read while it is expanded (or again, if that level is given up and run
 * on a larger table); from depth d + 2 on nothing reads them, and the thread's writer takes them back
 * instead of allocating new shared memory (which the kernel would hand out zeroed, a page fault a page).
 */
export class HandedBuffers {
  private readonly handed: { depth: number; words: Uint32Array }[] = [];
  /** The thread's writer of candidates: shared memory, one for the whole search, grown to a level's size once. */
  private readonly out = new WordWriter(1 << 16, true);

  /** `expandLevel` into this thread's writer, taking back first what no level from this one on reads. */
  expand<S, A, V extends Finding>(model: Model<S, A, V>, fingerprint: (s: S) => readonly [number, number], task: LevelTask): LevelPart {
    for (let i = 0; i < this.handed.length; ) {
      if (this.handed[i].depth <= task.depth - 2) this.out.recycle(this.handed.splice(i, 1)[0].words);
      else i++;
    }
    const part = expandLevel(model, fingerprint, task, Infinity, this.out);
    this.handed.push({ depth: task.depth, words: part.candidates });
    return part;
  }
}

/** Positions taken at a time from the shared cursor: few enough that two workers stay balanced. */
export const CHUNK = 32;

/** Expand chunks of the level until none is left (or, for tests that interleave parts, `chunks` of them). */
/**
 * `out`: where to write the candidates (shared words; a worker keeps one across levels, so that it grows
 * once, and hands each level's words over with `detach`).
 */
export function expandLevel<S, A, V extends Finding>(model: Model<S, A, V>, fingerprint: (s: S) => readonly [number, number], task: LevelTask, chunks = Infinity, out = new WordWriter(1024, true)): LevelPart {
  const table = new SharedVisited(task.table);
  const control = new Int32Array(task.control);
  const next = task.depth + 1;
  const edges = new WordWriter(task.edges ? 1024 : 1);
  let deadlock = -1, transitions = 0, collapsed = 0, unexplored = 0, tooManyActions = false;
  /** The state being expanded, as words and value. */
  let parent: PackedState<S> | undefined;

  /** `succ`, stored at `slot` on the next level, offered this discoverer's key; packed if the key is the lowest so far. */
  const offer = (succ: S, slot: number, key: number): void => {
    if (!table.offerKey(slot, key)) return;
    out.u32(slot);
    out.u32(key);
    out.u32(model.violation(succ) ? 1 : 0);
    const lengthAt = out.length;
    out.u32(0);
    model.pack!(succ, out, parent);
    out.words[lengthAt] = out.length - lengthAt - 1;
  };

  /** A successor of the state at `pos` by action `action`: stored, and offered if it is on the next level. */
  const reach = (succ: S, pos: number, action: number): number => {
    const [lo, hi] = fingerprint(succ);
    const slot = table.insert(lo, hi, next);
    if (slot >= 0 && table.depthOf(slot) === next) offer(succ, slot, pos * KEY_ACTIONS + action);
    return slot;
  };

  for (let taken = 0; taken < chunks; taken++) {
    if (Atomics.load(control, 1) !== 0) return part(true, false);
    const from = Atomics.add(control, 0, CHUNK);
    if (from >= task.level.count) break;
    const to = Math.min(from + CHUNK, task.level.count);
    for (let pos = from; pos < to; pos++) {
      if (table.full) return part(false, true);
      // Unpacked against the state this worker took before (most often a sibling), and its successors packed
      // against it (see frontier.ts): the level's words stay where they are for the whole level.
      const r = levelReader(task.level, pos);
      const at = r.at;
      const s = model.unpack!(r, parent);
      parent = { state: s, words: r.words, at };
      const acts = model.actions(s);
      if (acts.length === 0) {
        const finished = model.finished(s);
        if (!finished && (deadlock < 0 || pos < deadlock)) deadlock = pos;
        if (task.edges) edges.u32(pos), edges.u32(finished ? 1 : 0), edges.u32(0);
        continue;
      }
      if (acts.length > KEY_ACTIONS) {
        tooManyActions = true;
        return part(false, false);
      }
      if (task.noExpand) {
        unexplored++;
        continue;
      }
      const succs: number[] = [];
      const c = task.collapse ? collapseStep(model, s, acts) : -1;
      if (c >= 0) {
        const early = model.next(s, acts[c]);
        transitions++;
        const [lo, hi] = fingerprint(early);
        const slot = table.insert(lo, hi, next);
        // Not stored at this depth or above: the step is taken alone (bfs.ts's proviso).
        if (slot >= 0 && table.depthOf(slot) === next) {
          collapsed++;
          offer(early, slot, pos * KEY_ACTIONS + c);
          succs.push(slot);
        } else {
          for (let i = 0; i < acts.length; i++) {
            const succ = i === c ? early : model.next(s, acts[i]);
            if (i !== c) transitions++;
            succs.push(reach(succ, pos, i));
          }
        }
      } else {
        for (let i = 0; i < acts.length; i++) {
          transitions++;
          succs.push(reach(model.next(s, acts[i]), pos, i));
        }
      }
      if (task.edges) {
        edges.u32(pos);
        edges.u32(model.finished(s) ? 1 : 0);
        edges.u32(succs.length);
        for (const slot of succs) edges.u32(slot);
      }
    }
  }
  return part(false, false);

  function part(stopped: boolean, full: boolean): LevelPart {
    return { candidates: out.detach(), edges: edges.take(), deadlock, transitions, collapsed, unexplored, full: full || table.full, stopped, tooManyActions };
  }
}
