// Shorten a found trace: drop steps while a replay still reaches a violation of the same kind.
//
// Needed because the reductions do not keep BFS's shortest-trace property: an invisible step taken
// eagerly, or a branch reached through a re-expansion, can sit in a trace without being needed.
// Steps are matched by name, not index, since dropping one step shifts the indices after it: the
// name is (actor, rank among the actor's enabled actions) when the model gives footprints, else the
// action's description. The result is a local minimum (no single chunk tried can be dropped), not
// necessarily the global shortest.

import type { Finding, Model } from './model.js';

export interface Minimised {
  readonly trace: number[];
  /** Replays tried. */
  readonly attempts: number;
}

/** At most this many replays; each costs one pass over the trace. */
const MAX_ATTEMPTS = 4000;
/**
 * At most this many replayed steps in all, so that the work stays linear in the trace's length with a
 * bounded factor (a 2000-step trace is tried some 250 times, not 4000): shortening is a courtesy, and
 * a long trace must not cost more than the search that found it.
 */
export const MAX_REPLAYED_STEPS = 500_000;

export function minimise<S, A, V extends Finding>(model: Model<S, A, V>, trace: readonly number[], kind: string): Minimised {
  const named = namesOf(model, trace);
  if (!named) return { trace: trace.slice(), attempts: 0 };
  let names = named;
  let best = reach(model, names, kind) ?? trace.slice();
  names = names.slice(0, best.length);
  let attempts = 1;
  let replayed = names.length;
  for (let chunk = names.length >> 1 || 1; chunk >= 1; chunk >>= 1) {
    for (let start = 0; start < names.length && attempts < MAX_ATTEMPTS && replayed < MAX_REPLAYED_STEPS; ) {
      const candidate = names.slice(0, start).concat(names.slice(start + chunk));
      attempts++;
      replayed += candidate.length;
      const found = reach(model, candidate, kind);
      if (found) {
        best = found;
        names = candidate.slice(0, found.length);
      } else start += chunk;
    }
    if (chunk === 1) break;
  }
  return { trace: best, attempts };
}

function nameOf<S, A>(model: Model<S, A>, s: S, acts: readonly A[], i: number): string {
  if (!model.footprint) return model.describe(s, acts[i]);
  const actor = model.footprint(s, acts[i]).actor;
  let rank = 0;
  for (let j = 0; j < i; j++) if (model.footprint(s, acts[j]).actor === actor) rank++;
  return `${actor}:${rank}`;
}

function namesOf<S, A>(model: Model<S, A>, trace: readonly number[]): string[] | undefined {
  const names: string[] = [];
  let s = model.initial();
  for (const k of trace) {
    const acts = model.actions(s);
    if (!(k >= 0 && k < acts.length)) return undefined;
    names.push(nameOf(model, s, acts, k));
    s = model.next(s, acts[k]);
  }
  return names;
}

/** The action indices of `names` replayed up to the first violation of `kind`, or undefined if none is reached. */
function reach<S, A, V extends Finding>(model: Model<S, A, V>, names: readonly string[], kind: string): number[] | undefined {
  const out: number[] = [];
  let s = model.initial();
  if (model.violation(s)?.kind === kind) return out;
  for (const name of names) {
    const acts = model.actions(s);
    let k = -1;
    for (let i = 0; i < acts.length && k < 0; i++) if (nameOf(model, s, acts, i) === name) k = i;
    if (k < 0) return undefined;
    out.push(k);
    s = model.next(s, acts[k]);
    const v = model.violation(s);
    if (v) return v.kind === kind ? out : undefined;
  }
  const stuck = model.actions(s).length === 0 && !model.finished(s);
  return stuck && model.deadlock(s).kind === kind ? out : undefined;
}
