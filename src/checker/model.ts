// The checker's whole view of a system: initial state, enabled actions, next state, properties.
//
// Search strategies (one file each) know nothing else. A trace is the list of action *indices* taken from
// the initial state, each index into `actions(state)` at that point: replaying it needs only the model.

import type { WordReader, WordWriter } from '../base/layout.js';

/**
 * What a model finds wrong with a state: the property it breaks (`kind`) and one sentence a reader can
 * act on. A model may add fields saying where (scalars only); reports print them after the message.
 */
export interface Finding {
  readonly kind: string;
  readonly message: string;
}

/**
 * What an action touches, for partial-order reduction: two actions of different actors commute when neither
 * writes what the other reads or writes. What the reductions take on trust (see checker/bfs.ts):
 * - `reads` covers everything the actor's *list of enabled actions* depends on, not only what this action
 *   uses: another actor's non-global action may change that list only by writing something read here.
 * - Empty `reads` and `writes`, not `global`, means *invisible*: the action commutes with everything every
 *   other actor can do from now on, global actions included (an IPI sent later, say), so the checker may
 *   take it alone when it is its actor's only action. Report it only where no other actor can interrupt
 *   or redirect this actor before its next step; otherwise give the location that would (its IPI flag).
 * - Violations are sticky: once `violation(s)` holds, it holds in every successor.
 */
export interface Footprint {
  /** The actor (a CPU, or the patcher) that performs it; actions of one actor never commute. */
  readonly actor: number;
  /** Shared locations read and written, as small integers (memory units, kernel variables); `global` touches everything. */
  readonly reads: readonly number[];
  readonly writes: readonly number[];
  readonly global: boolean;
  /**
   * The model vouches that this action may wait until after any invisible step of the same actor:
   * the invisible step stays enabled after this action and this one after it, and every state reachable
   * by taking this action first is matched by one reachable by taking the invisible step first (the kernel
   * world: a preemption or an IPI before an instruction that touches only the task's own state is as good
   * as one just after it). Collapsing then takes the invisible step alone although this one is enabled.
   * For the livelock check the match must also be no longer: a path of k steps after this action is
   * matched by one of at most k steps after the invisible one (the same steps in another order), see
   * docs/reductions.md.
   */
  readonly deferrable?: boolean;
}

/** One step of a loop shown for a livelock: the action and the state it is taken in. */
export interface LoopStep<S, A> {
  readonly state: S;
  readonly action: A;
}

/**
 * A state as packed words and as the value they unpack to. The search hands one to `pack` and `unpack` as a
 * reference: a model may copy its words for parts it shares, and reuse its objects for parts packed alike
 * (base/layout.ts `packLike`, `unpackLike`). The result must be what packing or unpacking without it gives.
 */
export interface PackedState<S> {
  readonly state: S;
  readonly words: Uint32Array;
  readonly at: number;
}

export interface Model<S, A, V extends Finding = Finding> {
  initial(): S;
  /** Enabled actions in a fixed, deterministic order. Empty means the execution ended (see `finished`). */
  actions(s: S): readonly A[];
  /** The successor; never mutates `s`. */
  next(s: S, a: A): S;
  /** A violation the state shows (checked on every state reached), or undefined. */
  violation(s: S): V | undefined;
  /** The finding for a state with no enabled action that is not `finished` (a deadlock, in the model's words). */
  deadlock(s: S): V;
  /**
   * The finding for a state from which no execution reaches a `finished` state although steps are possible
   * (a livelock); `cycle` is a loop the search found from it (each step with the state it is taken in), so
   * the finding can name who spins. Optional: without it the search does not look for livelocks.
   */
  livelock?(s: S, cycle: readonly LoopStep<S, A>[]): V;
  /**
   * True when every task and the patcher have finished: no actions and not finished is a deadlock. A
   * finished state may still have actions, but none of them is invisible (see `Footprint`).
   */
  finished(s: S): boolean;
  /** 64-bit fingerprint as two 32-bit halves; equal fingerprints are taken as equal states. */
  fingerprint(s: S): readonly [number, number];
  /** Fingerprint of the state up to permutation of identical tasks (symmetry reduction); defaults to `fingerprint`. */
  canonicalFingerprint?(s: S): readonly [number, number];
  footprint?(s: S, a: A): Footprint;
  /**
   * The actor of action a, as its footprint would say, without computing the footprint: lets collapsing
   * skip the footprints of other actors' actions (reductions.ts `invisibleStepOf`). Optional.
   */
  actor?(a: A): number;
  /** False when action a's footprint is certainly not invisible (a cheap filter for collapsing). Optional. */
  mayBeInvisible?(a: A): boolean;
  /**
   * Estimated bytes a queued state holds beyond what it shares with other states, for the memory budget.
   * Must be a deterministic function of how the state was made (the search sizes each state once, when it
   * queues it), so that a budget stops every run at the same state. Absent: `BfsOptions.modelStateBytes`.
   */
  stateBytes?(s: S): number;
  /**
   * Pack a state into words (base/layout.ts) for the search's queue, and read one back. Both or neither.
   * The unpacked state must be the same state: same fingerprint, actions and successors.
   */
  pack?(s: S, w: WordWriter, like?: PackedState<S>): void;
  unpack?(r: WordReader, like?: PackedState<S>): S;
  /** One line for a trace: what the action did (disassembled instruction, store bytes, …). */
  describe(s: S, a: A): string;
}
