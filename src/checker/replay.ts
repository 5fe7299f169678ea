// Re-execute a trace (action indices) from the initial state: each step's description, and the violation it reaches.

import type { Finding, Model } from './model.js';

export interface ReplayStep {
  /** Position in the trace, from 0. */
  readonly index: number;
  /** The action index taken (into `actions(state)` at that point). */
  readonly action: number;
  /** `model.describe` of the action in the state it was taken from. */
  readonly description: string;
}

export type ReplayOutcome<S, V extends Finding = Finding> =
  | {
    readonly ok: true;
    readonly steps: readonly ReplayStep[];
    /** The state after the last step replayed. */
    readonly final: S;
    /** The first violation shown (replay stops there), or a deadlock of the final state, or null. */
    readonly violation: V | null;
    /** Steps of the trace left unreplayed because the violation came earlier. */
    readonly unused: number;
  }
  | {
    readonly ok: false;
    /** One sentence: which step and why, e.g. "step 3: action 4 is out of range (2 actions enabled)". */
    readonly error: string;
    /** The step that could not be taken. */
    readonly at: number;
    readonly steps: readonly ReplayStep[];
  };

/**
 * Replay `trace`. A bad index is an error value, not an exception: traces also come from files.
 * `describe: false` skips the descriptions (used when only the state is wanted).
 */
export function replay<S, A, V extends Finding>(model: Model<S, A, V>, trace: readonly number[], options: { describe?: boolean } = {}): ReplayOutcome<S, V> {
  const describe = options.describe ?? true;
  const steps: ReplayStep[] = [];
  let s = model.initial();
  let violation = model.violation(s) ?? null;
  let i = 0;
  for (; i < trace.length && !violation; i++) {
    const acts = model.actions(s);
    const k = trace[i];
    if (!Number.isInteger(k) || k < 0 || k >= acts.length) {
      return { ok: false, error: `step ${i + 1}: action ${k} is out of range (${acts.length} action${acts.length === 1 ? '' : 's'} enabled)`, at: i, steps };
    }
    steps.push({ index: i, action: k, description: describe ? model.describe(s, acts[k]) : '' });
    s = model.next(s, acts[k]);
    violation = model.violation(s) ?? null;
  }
  if (!violation && model.actions(s).length === 0 && !model.finished(s)) violation = model.deadlock(s);
  return { ok: true, steps, final: s, violation, unused: trace.length - i };
}

/** The state a trace produced by the checker itself reaches; a bad index there is our bug. */
export function stateAfter<S, A>(model: Model<S, A>, trace: readonly number[]): S {
  let s = model.initial();
  for (let i = 0; i < trace.length; i++) {
    const acts = model.actions(s);
    if (!(trace[i] >= 0 && trace[i] < acts.length)) throw new RangeError(`stateAfter: step ${i + 1}: action ${trace[i]} out of range`);
    s = model.next(s, acts[trace[i]]);
  }
  return s;
}

/**
 * Replay a livelock's loop (CheckResult.loop) after its trace: every step must be enabled, no state on the
 * way may be finished or show a violation, and the cycle must end in the state it started from.
 */
export function replayLoop<S, A>(model: Model<S, A>, trace: readonly number[], loop: { readonly lead: readonly number[]; readonly cycle: readonly number[] }): { ok: true } | { ok: false; error: string } {
  let s: S;
  try {
    s = stateAfter(model, trace);
  } catch (e) {
    return { ok: false, error: `the trace does not replay: ${(e as Error).message}` };
  }
  const steps = [...loop.lead, ...loop.cycle];
  let entry = loop.lead.length === 0 ? model.fingerprint(s) : undefined;
  for (let i = 0; i < steps.length; i++) {
    if (model.finished(s) || model.violation(s)) return { ok: false, error: `loop step ${i + 1}: the state is finished or shows a violation` };
    const acts = model.actions(s);
    if (!(steps[i] >= 0 && steps[i] < acts.length)) return { ok: false, error: `loop step ${i + 1}: action ${steps[i]} out of range (${acts.length} enabled)` };
    s = model.next(s, acts[steps[i]]);
    if (i + 1 === loop.lead.length) entry = model.fingerprint(s);
  }
  const [lo, hi] = model.fingerprint(s);
  if (loop.cycle.length === 0 || !entry || entry[0] !== lo || entry[1] !== hi) return { ok: false, error: 'the cycle does not come back to the state it started from' };
  return { ok: true };
}
