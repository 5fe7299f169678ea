// What the reductions decide from footprints: when two actions commute, which step is invisible, and sleep-set bits.
//
// Sleep sets name an action across states by (actor, rank): the rank-th enabled action of its actor.
// An action independent of the one taken stays enabled with the same effect (its actor's state and
// everything it reads are untouched), so that name survives the step. 31 such names get a bit; an action
// without a bit is simply never put to sleep (less reduction, never less coverage).

import type { Footprint, Model } from './model.js';

/** Bits available for sleep sets (bit 31 of the same word marks a state as expanded). */
export const SLEEP_BITS = 31;
export const SLEEP_MASK = 0x7fffffff;
export const EXPANDED = 0x80000000;

/**
 * The independence relation of model.ts: different actors, neither `global`, and neither writes what
 * the other reads or writes.
 */
export function independent(f: Footprint, g: Footprint): boolean {
  if (f.actor === g.actor || f.global || g.global) return false;
  return !overlaps(f.writes, g.reads) && !overlaps(f.writes, g.writes) && !overlaps(g.writes, f.reads);
}

function overlaps(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) if (a[i] === b[j]) return true;
  return false;
}

/**
 * The step to take alone (collapsing), or -1. Condition: its footprint reads and writes nothing and is
 * not global (it commutes with every action of every other actor, now and later), and it is the only
 * enabled action of its actor but for actions the model marks `deferrable` (so no choice of that actor is
 * lost by taking it now). The first such action in order is chosen, so the search stays deterministic.
 */
export function invisibleStep(fps: readonly Footprint[]): number {
  return invisibleStepOf(fps.length, (i) => fps[i]);
}

/**
 * `invisibleStep` over footprints computed on demand: an action's footprint is asked for only when it could
 * be the step or shares the actor of one that could (a footprint may cost the model a successor, wasted
 * when the step is taken alone). `actor(i)`: action i's footprint's actor, known without the footprint
 * (else every footprint is asked for). `mayBeInvisible(i)` false: action i's footprint is not invisible.
 */
export function invisibleStepOf(n: number, footprint: (i: number) => Footprint, actor?: (i: number) => number, mayBeInvisible?: (i: number) => boolean): number {
  const fps: (Footprint | undefined)[] = [];
  const fp = (i: number): Footprint => (fps[i] ??= footprint(i));
  const actorOf = actor ?? ((i: number) => fp(i).actor);
  for (let i = 0; i < n; i++) {
    if (mayBeInvisible && !mayBeInvisible(i)) continue;
    const f = fp(i);
    if (f.global || f.reads.length !== 0 || f.writes.length !== 0) continue;
    let alone = true;
    for (let j = 0; j < n && alone; j++) if (j !== i && actorOf(j) === f.actor && !fp(j).deferrable) alone = false;
    if (alone) return i;
  }
  return -1;
}

/** The step of `acts` (the actions enabled in s) that collapsing takes alone, or -1, asking the model only what it needs. */
export function collapseStep<S, A>(model: Pick<Model<S, A>, 'footprint' | 'actor' | 'mayBeInvisible'>, s: S, acts: readonly A[]): number {
  return invisibleStepOf(acts.length, (i) => model.footprint!(s, acts[i]), model.actor && ((i) => model.actor!(acts[i])), model.mayBeInvisible && ((i) => model.mayBeInvisible!(acts[i])));
}

/** Assigns sleep-set bits to (actor, rank) names, first come first served, per search. */
export class SleepNames {
  private readonly bitOf = new Map<number, number>();
  private readonly rankScratch = new Map<number, number>();

  /** Fill `out[i]` with the bit of action i (or -1); `fps` are the actions' footprints in order. */
  bits(fps: readonly Footprint[], out: Int32Array): void {
    const ranks = this.rankScratch;
    ranks.clear();
    for (let i = 0; i < fps.length; i++) {
      const actor = fps[i].actor;
      const rank = ranks.get(actor) ?? 0;
      ranks.set(actor, rank + 1);
      const name = actor * 4096 + rank;
      let bit = this.bitOf.get(name);
      if (bit === undefined) {
        bit = this.bitOf.size < SLEEP_BITS && rank < 4096 ? this.bitOf.size : -1;
        this.bitOf.set(name, bit);
      }
      out[i] = bit;
    }
  }
}
