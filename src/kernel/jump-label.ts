// Passes over static_branch sites (jump labels): when one begins and ends, and the check of MODEL.md §5.
//
// A static key is a key whose targets are its values, `false` and `true`. A `static_branch` call watches
// the sites of one key: a pass begins when the task reaches a site (MODEL.md §2), its valid values
// accumulate while it is there (preempted, interrupted, or waiting in a breakpoint handler), and it ends
// when the task leaves the site by one of the site's two successors: the jump target (the site was a
// jump) or the instruction after it (a nop). The direction taken means a value of the key:
//
//   site was    branch bit    key value seen
//   nop         0             false    (static_branch_unlikely of a key that starts false)
//   jump        0             true
//   nop         1             true     (static_branch_likely: the fast path is the fall-through)
//   jump        1             false
//
// That value must have been the key's at some moment of the pass (else `wrong-target`); a pass that
// began after an update returned must see the new one (else `stale-after-update`, unless the key is
// visible only eventually).

import { add, has, type BitSet } from '../base/bitset.js';
import type { Draft } from './draft.js';
import type { Runner } from './harness.js';
import type { JumpEntry } from './spec.js';
import type { CallRecord, Context, PassRecord } from './state.js';

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** A pass over entry `entry` of static key `key` begins now: the values valid now, and whether an update had returned. */
function beginPass(d: Draft, key: number, entry: number): PassRecord {
  const ks = d.keys[key];
  return { entry, allowed: ks.valid, afterUpdate: ks.updater < 0 && ks.updatesDone > 0 };
}

/**
 * Before a `static_branch` call's first step: a call whose entry is a site reaches it as it begins
 * (MODEL.md §2: a call begins at its first step).
 */
export function passAtFirstStep(d: Draft, ctx: Context, pc: bigint): Context {
  const call = ctx.call;
  if (!call || call.branch === undefined || call.started || call.pass) return ctx;
  const hit = d.t.jumpSites.get(pc);
  return hit && hit.key === call.branch ? { ...ctx, call: { ...call, pass: beginPass(d, hit.key, hit.entry) } } : ctx;
}

/**
 * After a step of a `static_branch` call that left the pc at `pc`: a pass in flight that left its site
 * ends and is checked; reaching a site of the call's key begins one.
 */
export function notePass(d: Draft, ctx: Context, pc: bigint, r: Runner): Context {
  const call = ctx.call;
  if (!call || call.branch === undefined) return ctx;
  let next: CallRecord = call;
  if (next.pass) {
    const e = d.t.spec.keys[next.branch!].jumpEntries![next.pass.entry];
    if (pc === e.site) return ctx;
    checkPass(d, next, e, pc, r);
    next = { ...next, pass: undefined };
  }
  const hit = d.t.jumpSites.get(pc);
  if (hit && hit.key === next.branch) next = { ...next, pass: beginPass(d, hit.key, hit.entry) };
  return next === call ? ctx : { ...ctx, call: next };
}

/** static_branch_enable/disable begins: passes in flight over the key's sites may now see the new value too. */
export function widenPasses(d: Draft, key: number, value: number): void {
  const widen = (call: CallRecord | undefined): CallRecord | undefined =>
    call?.pass && call.branch === key ? { ...call, pass: { ...call.pass, allowed: add(call.pass.allowed, value) } } : call;
  d.tasks = d.tasks.map((t) => (t.call?.pass && t.call.branch === key ? { ...t, call: widen(t.call) } : t));
  d.cpus = d.cpus.map((k) => (k.handler?.call?.pass && k.handler.call.branch === key ? { ...k, handler: { ...k.handler, call: widen(k.handler.call) } } : k));
}

function valueNames(d: Draft, key: number, bits: BitSet): string {
  const names = d.t.spec.keys[key].targets.filter((_, i) => has(bits, i));
  return names.length ? names.join(' or ') : 'nothing';
}

/** The pass left site `e` for `pc`: the direction must mean a value of the key valid during the pass. */
function checkPass(d: Draft, call: CallRecord, e: JumpEntry, pc: bigint, r: Runner): void {
  const key = d.t.spec.keys[call.branch!];
  const pass = call.pass!;
  const nth = r.program.slice(0, call.op + 1).filter((o) => o.op === 'call').length;
  const what = `${r.name}'s call #${nth} passed ${key.name}'s static_branch site at ${hex(e.site)}`;
  const jumped = pc === e.target ? true : pc === e.site + BigInt(e.length) ? false : undefined;
  if (jumped === undefined) {
    d.fail({ kind: 'wrong-target', message: `${what} and went to ${hex(pc)}: neither its jump target ${hex(e.target)} nor the instruction after it`, cpu: r.cpu, task: r.name });
    return;
  }
  const value = jumped !== e.branch;
  const i = key.targets.indexOf(String(value));
  if (i >= 0 && has(pass.allowed, i)) return;
  const stale = pass.afterUpdate && i >= 0 && key.visibility !== 'eventually';
  d.fail({
    kind: stale ? 'stale-after-update' : 'wrong-target',
    message: `${what} ${jumped ? `jumping to ${hex(e.target)}` : 'falling through'} (${key.name} ${value}); ${key.name} was ${valueNames(d, call.branch!, pass.allowed)}${stale ? ' (the pass began after the update returned)' : ''}`,
    cpu: r.cpu, task: r.name,
  });
}
