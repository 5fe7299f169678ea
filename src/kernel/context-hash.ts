// A context's (a task's or a handler's) share of the fingerprint: two hash lanes, computed once per
// context value and kept on it, and carried across packing (kernel/world-layout.ts) so that a state read
// back from the search's queue does not hash its contexts again.

import { hashBits } from '../base/bitset.js';
import { Hasher } from '../base/hash.js';
import type { Context } from './state.js';

/** Contexts are immutable values shared between states: each is hashed once. */
const ctxHasher = new Hasher(0x636f);

/**
 * A context's two hash lanes, kept on the context with the fields they were computed from. A spread
 * (`{ ...ctx, cpu: -1 }`) copies the field into another context: there the lanes are used only if every
 * hashed field is still the same (the call record and critical section compared by identity: both are
 * immutable), so a copy that changed a hashed field never uses them.
 */
interface ContextLanes {
  readonly op: number;
  readonly preemptCount: number;
  readonly rcuDepth: number;
  readonly done: boolean;
  readonly bpWait: bigint;
  readonly critical: Context['critical'];
  readonly call: Context['call'];
  readonly lo: number;
  readonly hi: number;
}

/** Were these lanes computed from `c`'s hashed fields (the call and critical section compared by identity)? */
function lanesFit(lanes: ContextLanes, c: Context): boolean {
  return lanes.call === c.call && lanes.op === c.op && lanes.preemptCount === c.preemptCount && lanes.rcuDepth === c.rcuDepth &&
    lanes.done === c.done && lanes.bpWait === c.bpWait && lanes.critical === c.critical;
}

export function hashContext(h: Hasher, c: Context): void {
  const holder = c as { ctxLanes?: ContextLanes };
  let lanes = holder.ctxLanes;
  if (lanes === undefined || !lanesFit(lanes, c)) {
    const own = ctxHasher;
    own.reset(0x636f);
    hashContextFields(own, c);
    holder.ctxLanes = lanes = {
      op: c.op, preemptCount: c.preemptCount, rcuDepth: c.rcuDepth, done: c.done, bpWait: c.bpWait, critical: c.critical, call: c.call,
      lo: own.lo(), hi: own.hi(),
    };
  }
  h.word(lanes.lo).word(lanes.hi);
}

function hashContextFields(h: Hasher, c: Context): void {
  h.word(c.op).word(c.preemptCount).word(c.rcuDepth).word(c.done ? 1 : 0).big(c.bpWait);
  h.word(c.critical ? c.critical.group + 1 : 0).word(c.critical?.generation ?? 0);
  const call = c.call;
  if (!call) {
    h.word(0);
    return;
  }
  hashBits(hashBits(h.word(call.key + 2), call.allowed), call.reached).word(call.reachedOther ? 1 : 0).word(call.afterUpdate ? 1 : 0).word(call.started ? 1 : 0).word(call.op);
  for (const v of call.saved) h.big(v);
  if (call.branch !== undefined) {
    h.word(call.branch + 1);
    const pass = call.pass;
    if (pass) hashBits(h.word(pass.entry + 1), pass.allowed).word(pass.afterUpdate ? 1 : 0);
    else h.word(0);
  }
}

/** The lanes cached on `c` if they are its own (not a spread's stale copy), for packing; else undefined. */
export function cachedContextLanes(c: Context): readonly [number, number] | undefined {
  const lanes = (c as { ctxLanes?: ContextLanes }).ctxLanes;
  if (lanes === undefined || !lanesFit(lanes, c)) return undefined;
  return [lanes.lo, lanes.hi];
}

/** Put lanes read back from a packed state onto the context they were computed for. */
export function restoreContextLanes(c: Context, lo: number, hi: number): void {
  (c as { ctxLanes?: ContextLanes }).ctxLanes = {
    op: c.op, preemptCount: c.preemptCount, rcuDepth: c.rcuDepth, done: c.done, bpWait: c.bpWait, critical: c.critical, call: c.call, lo, hi,
  };
}
