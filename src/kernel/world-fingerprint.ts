// The kernel world's fingerprints: the plain one, and the canonical one up to the world's symmetries.
//
// Successors of one state share its parts (copy-on-write: unchanged fetch windows or key lists are the very
// same objects), so the canonical fingerprint keeps the lanes of the last fetch windows and globals it
// hashed with the objects they came from, and reuses them while those are the same. Parts reachable from a
// state are never mutated (kernel/draft.ts copies before it writes), so the memo changes no fingerprint.
// (A memo of each CPU's bundle by the identity of its parts was tried: a quarter of lookups hit, and the
// time did not move.)

import { has, hashBits } from '../base/bitset.js';
import { Hasher } from '../base/hash.js';
import { hashCpu } from '../machine/cpu.js';
import type { FetchWindows } from '../machine/fetch-window.js';
import { hashMaintenance } from '../machine/maintenance.js';
import { fingerprintSmp } from '../machine/step.js';
import { hashContext } from './context-hash.js';
import { patcherCpu } from './patcher.js';
import { IDLE, PATCHER_WAITS, type WorldState } from './state.js';
import type { WorldTables } from './tables.js';

export class WorldHasher {
  /** Scratch for one bundle, read at once. */
  private readonly bundleHasher = new Hasher(0);
  /** The sorted lanes of the CPUs besides the patchers' (lo, hi pairs), and of the tasks not on a CPU. */
  private readonly cpuLanes: number[] = [];
  private readonly readyLanes: number[] = [];
  private windowsOf: FetchWindows | undefined;
  private windowsLo = 0;
  private windowsHi = 0;
  private readonly windowsHasher = new Hasher(0);
  /** The state whose globals were hashed last. */
  private globalsOf: WorldState | undefined;
  private globalsLo = 0;
  private globalsHi = 0;
  private readonly globalsHasher = new Hasher(0);

  /**
   * An idle CPU's column of the fetch windows is dead here: whatever it holds, the CPU synchronizes before
   * it fetches again, so the canonical form leaves it out (see `idleColumnDead`).
   */
  private readonly idleColumnDead: boolean;

  constructor(private readonly t: WorldTables) {
    this.idleColumnDead = idleColumnDead(t);
  }

  fingerprint(s: WorldState): readonly [number, number] {
    const h = fingerprintSmp(s.smp, new Hasher(0x6b65));
    for (let i = 0; i < s.tasks.length; i++) {
      const task = s.tasks[i];
      hashContext(h, task);
      h.word(task.cpu);
      for (const w of s.rcuWaitTasks) h.word(has(w, i) ? 1 : 0);
      if (task.saved) hashCpu(h, task.saved);
    }
    for (const k of s.cpus) {
      h.word(k.task).word(k.ipiPending ? 1 : 0).word(k.acked);
      if (k.handler) {
        h.word(k.handler.kind === 'nmi' ? 2 : 1);
        hashContext(h, k.handler);
        hashCpu(h, k.handler.interrupted);
      } else h.word(0);
    }
    this.hashGlobals(h, s);
    for (const w of s.rcuWaitCpus) hashBits(h, w);
    return [h.lo(), h.hi()];
  }

  /**
   * The fingerprint up to the world's symmetries: identical tasks are interchangeable (same program, one
   * stack address), and so are the CPUs other than the patcher's (same code, same handlers, a handler
   * stack at one address). A CPU and everything of it (registers, its column of the fetch windows, its
   * cache maintenance, its handler and handler stack, the task it runs with that task's stack) is hashed
   * as one bundle; the bundles are sorted, and so are the tasks not on a CPU. Two states get one
   * canonical fingerprint exactly when a permutation of CPUs 1..n-1 and of tasks within their classes
   * maps one onto the other (up to hash collisions), and the kernel's rules treat all of those alike.
   */
  canonical(s: WorldState): readonly [number, number] {
    const m = s.smp.machine;
    const first = this.t.patchers.length;
    const cpus = this.cpuLanes;
    cpus.length = 0;
    for (let c = first; c < s.cpus.length; c++) {
      const b = this.cpuBundle(s, c);
      insertLanes(cpus, b.lo(), b.hi());
    }
    const ready = this.readyLanes;
    ready.length = 0;
    for (let i = 0; i < s.tasks.length; i++) {
      const task = s.tasks[i];
      if (task.cpu >= 0) continue;
      const b = this.taskLanes(new Hasher(0x7461), s, i);
      if (task.saved) hashCpu(b, task.saved);
      insertLanes(ready, b.lo(), b.hi());
    }
    const h = new Hasher(0x6b66);
    const [m0, m1] = m.memory.fingerprint({ banks: false });
    h.word(m0).word(m1);
    if (m.windows !== this.windowsOf) {
      const w = this.windowsHasher.reset(0x7769);
      m.windows.hashInto(w, false);
      this.windowsOf = m.windows;
      this.windowsLo = w.lo();
      this.windowsHi = w.hi();
    }
    h.word(this.windowsLo).word(this.windowsHi);
    h.word(s.smp.cleanUnits.length);
    for (const u of s.smp.cleanUnits) h.word(u);
    for (let i = 0; i < first; i++) {
      const p = this.cpuBundle(s, patcherCpu(i));
      h.word(p.lo()).word(p.hi());
    }
    for (let i = 0; i < cpus.length; i++) h.word(cpus[i]);
    h.word(ready.length >>> 1);
    for (let i = 0; i < ready.length; i++) h.word(ready[i]);
    const g = this.globalsOf;
    if (g === undefined || g.patchers !== s.patchers || g.keys !== s.keys || g.breakpoints !== s.breakpoints || g.used !== s.used || g.stopper !== s.stopper ||
      g.patchStates !== s.patchStates || g.booted !== s.booted || g.violation !== s.violation) {
      const gh = this.globalsHasher.reset(0x676c);
      this.hashGlobals(gh, s);
      this.globalsOf = s;
      this.globalsLo = gh.lo();
      this.globalsHi = gh.hi();
    }
    h.word(this.globalsLo).word(this.globalsHi);
    return [h.lo(), h.hi()];
  }

  /** CPU c and everything that moves with it under a permutation of CPUs (lanes to read at once). */
  private cpuBundle(s: WorldState, c: number): Hasher {
    const m = s.smp.machine;
    const k = s.cpus[c];
    const b = this.bundleHasher.reset(0x6370);
    hashCpu(b, m.cpus[c]);
    if (k.task === IDLE && !k.handler && this.idleColumnDead) b.word(-4);
    else m.windows.hashColumn(b, c);
    hashMaintenance(b, s.smp.maintenance[c]);
    b.word(k.task >= 0 ? -3 : k.task).word(k.ipiPending ? 1 : 0).word(k.acked);
    for (const w of s.rcuWaitCpus) b.word(has(w, c) ? 1 : 0);
    if (k.task >= 0) this.taskLanes(b, s, k.task);
    if (k.handler) {
      b.word(k.handler.kind === 'nmi' ? 2 : 1);
      hashContext(b, k.handler);
      hashCpu(b, k.handler.interrupted);
    } else b.word(0);
    const bank = this.t.spec.tasks.length + c;
    return b.word(m.memory.bankLane(bank, 0)).word(m.memory.bankLane(bank, 1));
  }

  /** Task i up to its name: its class, context, stack (its bank) and grace-period state; not where it runs. */
  private taskLanes(h: Hasher, s: WorldState, i: number): Hasher {
    const task = s.tasks[i];
    h.word(this.t.taskClass[i]);
    hashContext(h, task);
    for (const w of s.rcuWaitTasks) h.word(has(w, i) ? 1 : 0);
    const m = s.smp.machine.memory;
    return h.word(m.bankLane(i, 0)).word(m.bankLane(i, 1));
  }

  /** What no permutation of CPUs or tasks touches: the patcher, keys, armed breakpoints, bounds used. */
  private hashGlobals(h: Hasher, s: WorldState): void {
    for (const p of s.patchers) {
      h.word(p.op).word(p.waiting === undefined ? 0 : PATCHER_WAITS.indexOf(p.waiting) + 1).word(p.mutexes.length);
      for (const m of p.mutexes) for (let i = 0; i < m.length; i++) h.word(m.charCodeAt(i));
    }
    h.word(s.stopper).word(s.patchStates);
    for (const k of s.keys) hashBits(h, k.valid).word(k.current).word(k.updater).word(k.updatesDone);
    h.word(s.breakpoints.length);
    for (const x of s.breakpoints) h.big(x.address).word(x.patcher).word(x.op);
    h.word(s.booted ? 1 : 0).word(s.used.interrupts).word(s.used.preemptions).word(s.used.nmis);
    h.word(s.violation ? 1 : 0);
  }
}

/**
 * Is an idle CPU's fetch-window column dead in this run: does every way out of idle make the CPU certain of
 * every unit's newest value before it fetches? An idle CPU runs nothing. It leaves idle by a task scheduled
 * on it (the return to the task synchronizes where the arch's exception return does: x86, arm64, Power, not
 * riscv64), by taking a sync_core IPI (which synchronizes), or by stop_machine gathering it into the
 * stopper, where it runs only what an NMI brings (its entry synchronizes on arm64 and Power, not on x86)
 * and acks (which synchronize). A synchronization that is not the strict one (strictFetch on arm64 and
 * Power: certain only of maintained values) makes the CPU certain of each unit's newest value, whatever its
 * column held (tables.ts `resumeSyncs` says both);
 * the strict one keeps what a fetch had already advanced it to, so there the column is live. Two states
 * that differ only in a dead column have the same futures, and may be stored as one.
 */
export function idleColumnDead(t: WorldTables): boolean {
  if (!t.resumeSyncs) return false;
  const nmiWhenStopped = t.spec.nmiProgram.length > 0 && t.spec.bounds.nmis > 0 && t.patchers.some((ops) => ops.some((op) => op.op === 'stop-machine-begin'));
  return t.arch.fetchPolicy.exceptionSync.entry || !nmiWhenStopped;
}

/** Insert the pair (lo, hi) into `a` (pairs sorted ascending): a handful of entries, no allocation. */
function insertLanes(a: number[], lo: number, hi: number): void {
  let j = a.length;
  a.push(0, 0);
  while (j > 0 && (a[j - 2] > lo || (a[j - 2] === lo && a[j - 1] > hi))) {
    a[j] = a[j - 2];
    a[j + 1] = a[j - 1];
    j -= 2;
  }
  a[j] = lo;
  a[j + 1] = hi;
}
