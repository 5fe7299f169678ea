// Small models for the checker's own tests and bench: threads running straight-line programs over shared variables.
//
// Values stay small (registers wrap at 4, variables at 8), so loops give finite state spaces.
// Each toy is honest about footprints (an op's enabledness depends only on what it reads) and its
// violations are sticky (recorded in the state), the two things the reductions rely on (see bfs.ts).

import { finish32, mix32 } from '../base/hash.js';
import type { Finding, Footprint, Model } from './model.js';

/** A toy's finding: the thread (as `cpu`) it happened on, when there is one. */
export interface ToyViolation extends Finding {
  readonly cpu?: number;
}

/** One step of a toy thread; `v` names a shared variable. */
export type ToyOp =
  /** Touches only the thread's own register: an invisible step. */
  | { readonly op: 'local' }
  /** reg := vars[v]; a violation of `kind` when the value read equals `bad`. */
  | { readonly op: 'read'; readonly v: number; readonly bad?: number; readonly kind?: string }
  /** vars[v] := value, or reg + 1 when value is 'reg+1'. */
  | { readonly op: 'write'; readonly v: number; readonly value: number | 'reg+1' }
  /** Atomic vars[v] += delta; a violation of `kind` when it exceeds `max`. */
  | { readonly op: 'add'; readonly v: number; readonly delta: number; readonly max?: number; readonly kind?: string }
  /** Enabled when vars[v] is 0; sets it to 1 (test-and-set). */
  | { readonly op: 'lock'; readonly v: number }
  | { readonly op: 'unlock'; readonly v: number }
  /** Enabled when vars[v] equals value. */
  | { readonly op: 'await'; readonly v: number; readonly value: number }
  /** Two actions of the same thread: reg := 0 or reg := 1 (nondeterminism inside an actor). */
  | { readonly op: 'choose' }
  /** Touches everything (for `global` footprints). */
  | { readonly op: 'fence' }
  /** pc := to, an invisible step (loops make cycles in the state graph). */
  | { readonly op: 'jump'; readonly to: number }
  /** Spin: go on when vars[v] equals value, else pc := to. */
  | { readonly op: 'retry'; readonly v: number; readonly value: number; readonly to: number };

export interface ToySpec {
  readonly threads: readonly (readonly ToyOp[])[];
  readonly vars: number;
  /** A violation of a finished run: given the variables, a message or undefined. */
  readonly atEnd?: (vars: readonly number[]) => string | undefined;
  readonly atEndKind?: string;
  /** Threads with identical programs may be permuted (symmetry reduction). */
  readonly symmetric?: boolean;
}

export interface ToyAction {
  readonly thread: number;
  readonly alt: number;
}

/**
 * State layout (Int32Array): pc per thread, reg per thread, the variables, then a violation code
 * (0 none, 1 + index into the model's violation table), sticky once set.
 */
export type ToyState = Int32Array;

export function toyModel(spec: ToySpec): Model<ToyState, ToyAction, ToyViolation> & { readonly spec: ToySpec } {
  const n = spec.threads.length;
  const varAt = 2 * n;
  const codeAt = varAt + spec.vars;
  const violations: ToyViolation[] = [];
  const codeOf = (v: ToyViolation) => {
    let i = violations.findIndex((w) => w.kind === v.kind && w.message === v.message);
    if (i < 0) i = violations.push(v) - 1;
    return i + 1;
  };
  const acts = spec.threads.map((_, t) => [{ thread: t, alt: 0 }, { thread: t, alt: 1 }] as const);
  const opAt = (s: ToyState, t: number): ToyOp | undefined => spec.threads[t][s[t]];
  const vars = (s: ToyState) => Array.from(s.subarray(varAt, codeAt));
  const finished = (s: ToyState) => spec.threads.every((p, t) => s[t] >= p.length);

  const hash = (s: ToyState): [number, number] => {
    let a = 0x1234, b = 0x5678;
    for (let i = 0; i < s.length; i++) {
      a = mix32(a, s[i]);
      b = mix32(b, s[i] ^ 0x2545f491);
    }
    return [finish32(a), finish32(b)];
  };

  const model: Model<ToyState, ToyAction, ToyViolation> & { readonly spec: ToySpec } = {
    spec,
    initial: () => new Int32Array(codeAt + 1),
    actions(s) {
      if (s[codeAt] !== 0) return [];
      const out: ToyAction[] = [];
      for (let t = 0; t < n; t++) {
        const op = opAt(s, t);
        if (!op) continue;
        if (op.op === 'lock' && s[varAt + op.v] !== 0) continue;
        if (op.op === 'await' && s[varAt + op.v] !== op.value) continue;
        out.push(acts[t][0]);
        if (op.op === 'choose') out.push(acts[t][1]);
      }
      return out;
    },
    next(s, a) {
      const r = s.slice();
      const t = a.thread;
      const op = opAt(s, t)!;
      r[t]++;
      switch (op.op) {
        case 'local': r[n + t] = (r[n + t] + 1) & 3; break;
        case 'read':
          r[n + t] = s[varAt + op.v];
          if (op.bad !== undefined && r[n + t] === op.bad) r[codeAt] = codeOf({ kind: op.kind ?? 'wrong-target', message: `thread ${t} read ${op.bad} from v${op.v}`, cpu: t });
          break;
        case 'write': r[varAt + op.v] = op.value === 'reg+1' ? (s[n + t] + 1) & 3 : op.value; break;
        case 'add':
          r[varAt + op.v] = (r[varAt + op.v] + op.delta) & 7;
          if (op.max !== undefined && r[varAt + op.v] > op.max) r[codeAt] = codeOf({ kind: op.kind ?? 'torn-group', message: `v${op.v} exceeded ${op.max}`, cpu: t });
          break;
        case 'lock': r[varAt + op.v] = 1; break;
        case 'unlock': r[varAt + op.v] = 0; break;
        case 'await': break;
        case 'choose': r[n + t] = a.alt; break;
        case 'fence': break;
        case 'jump': r[t] = op.to; break;
        case 'retry': if (s[varAt + op.v] !== op.value) r[t] = op.to; break;
      }
      if (r[codeAt] === 0 && spec.atEnd && finished(r)) {
        const message = spec.atEnd(vars(r));
        if (message) r[codeAt] = codeOf({ kind: spec.atEndKind ?? 'clobbered', message });
      }
      return r;
    },
    violation: (s) => (s[codeAt] === 0 ? undefined : violations[s[codeAt] - 1]),
    deadlock: () => ({ kind: 'deadlock', message: 'no step is possible and some thread has not finished' }),
    livelock(_s, cycle) {
      const spinning = [...new Set(cycle.map((c) => c.action.thread))].sort((x, y) => x - y);
      return { kind: 'livelock', message: `thread ${spinning.join(', ')} loop${spinning.length === 1 ? 's' : ''} forever: no execution from here lets every thread finish`, cpu: spinning[0] };
    },
    finished,
    fingerprint: hash,
    actor: (a) => a.thread,
    footprint(s, a): Footprint {
      const op = opAt(s, a.thread)!;
      const none: number[] = [];
      switch (op.op) {
        case 'local': case 'choose': case 'jump': return { actor: a.thread, reads: none, writes: none, global: false };
        case 'read': case 'await': case 'retry': return { actor: a.thread, reads: [op.v], writes: none, global: false };
        case 'write': case 'unlock': return { actor: a.thread, reads: none, writes: [op.v], global: false };
        case 'add': case 'lock': return { actor: a.thread, reads: [op.v], writes: [op.v], global: false };
        case 'fence': return { actor: a.thread, reads: none, writes: none, global: true };
      }
    },
    describe(s, a) {
      const op = opAt(s, a.thread)!;
      const what = 'v' in op ? `${op.op} v${op.v}` : op.op;
      return `T${a.thread}: ${what}${op.op === 'choose' ? ` → ${a.alt}` : ''}`;
    },
  };
  if (spec.symmetric) {
    // Threads are identical: the canonical state sorts the (pc, reg) pairs.
    model.canonicalFingerprint = (s) => {
      const pairs = Array.from({ length: n }, (_, t) => s[t] * 65536 + (s[n + t] & 0xffff)).sort((x, y) => x - y);
      const c = new Int32Array(s.length);
      pairs.forEach((p, t) => { c[t] = Math.floor(p / 65536); c[n + t] = p & 0xffff; });
      c.set(s.subarray(varAt), varAt);
      return hash(c);
    };
  }
  return model;
}

const repeat = <T>(k: number, f: (i: number) => T): T[] => Array.from({ length: k }, (_, i) => f(i));

/** The toys the tests run every strategy and reduction on, with what is true of each. */
export const TOYS = {
  /** Lost update: two threads read x then write x+1; unsafe when both read before either writes. */
  counterRace: () => toyModel({
    vars: 1,
    threads: repeat(2, () => [{ op: 'local' }, { op: 'read', v: 0 }, { op: 'write', v: 0, value: 'reg+1' }]),
    atEnd: (v) => (v[0] !== 2 ? `x is ${v[0]} after two increments` : undefined),
  }),
  /** One interleaving of depth k+1 is bad: thread 1 reads x exactly between thread 0's k-th write and its reset. */
  needle: (k: number) => toyModel({
    vars: 1,
    threads: [
      [...repeat(k, (i) => ({ op: 'write', v: 0, value: i + 1 }) as const), { op: 'write', v: 0, value: 0 }],
      [{ op: 'read', v: 0, bad: k, kind: 'wrong-target' }],
    ],
  }),
  /** A test-and-set mutex around a critical section: safe. */
  mutex: (n: number) => toyModel({
    vars: 2,
    symmetric: true,
    threads: repeat(n, () => [{ op: 'local' }, { op: 'lock', v: 0 }, { op: 'add', v: 1, delta: 1, max: 1 }, { op: 'add', v: 1, delta: -1 }, { op: 'unlock', v: 0 }]),
  }),
  /** Check-then-set: two threads both see the lock free and enter. */
  brokenMutex: (n: number) => toyModel({
    vars: 2,
    threads: repeat(n, () => [{ op: 'await', v: 0, value: 0 }, { op: 'write', v: 0, value: 1 }, { op: 'add', v: 1, delta: 1, max: 1 }, { op: 'add', v: 1, delta: -1 }, { op: 'write', v: 0, value: 0 }]),
  }),
  /** Two locks taken in opposite orders. */
  deadlock: () => toyModel({
    vars: 2,
    threads: [
      [{ op: 'lock', v: 0 }, { op: 'lock', v: 1 }, { op: 'unlock', v: 1 }, { op: 'unlock', v: 0 }],
      [{ op: 'lock', v: 1 }, { op: 'lock', v: 0 }, { op: 'unlock', v: 0 }, { op: 'unlock', v: 1 }],
    ],
  }),
  /** n threads of m invisible steps then a write of their own variable: (m+2)^n states, all safe. */
  independent: (n: number, m: number) => toyModel({
    vars: n,
    threads: repeat(n, (t) => [...repeat(m, () => ({ op: 'local' }) as const), { op: 'write', v: t, value: 1 }]),
  }),
  /** n threads each writing their own variables m times: no invisible steps, only commuting ones. */
  ownWrites: (n: number, m: number) => toyModel({
    vars: n,
    threads: repeat(n, (t) => repeat(m, (i) => ({ op: 'write', v: t, value: i + 1 }) as const)),
  }),
  /** n identical threads with a nondeterministic choice, counting into a shared variable. */
  symmetric: (n: number, m: number) => toyModel({
    vars: 1,
    symmetric: true,
    threads: repeat(n, () => [{ op: 'choose' }, ...repeat(m, () => ({ op: 'local' }) as const), { op: 'add', v: 0, delta: 1, max: n }]),
  }),
  /** Thread 0 spins forever on an invisible loop; thread 1's write is still found (the cycle proviso). */
  spinner: () => toyModel({
    vars: 1,
    threads: [
      [{ op: 'local' }, { op: 'jump', to: 0 }],
      [{ op: 'write', v: 0, value: 1 }],
      [{ op: 'retry', v: 0, value: 1, to: 0 }, { op: 'read', v: 0, bad: 1, kind: 'fault' }],
    ],
  }),
  /**
   * stop_machine in miniature: thread 0 turns "interrupts" off (v1) and spins until the flag v0 is set;
   * thread 1 gets past its gather only while v1 is 0, then sets the flag. Thread 0 first: it spins forever.
   */
  stopMachine: () => toyModel({
    vars: 2,
    threads: [
      [{ op: 'write', v: 1, value: 1 }, { op: 'retry', v: 0, value: 1, to: 1 }, { op: 'write', v: 1, value: 0 }],
      [{ op: 'await', v: 1, value: 0 }, { op: 'write', v: 0, value: 1 }],
    ],
  }),
  /** The same with an invisible step in the spin (collapse takes it alone) and the gather and the flag the other way round: safe. */
  stopMachineFixed: () => toyModel({
    vars: 2,
    threads: [
      [{ op: 'write', v: 1, value: 1 }, { op: 'local' }, { op: 'retry', v: 0, value: 1, to: 1 }, { op: 'write', v: 1, value: 0 }],
      [{ op: 'write', v: 0, value: 1 }, { op: 'await', v: 1, value: 0 }],
    ],
  }),
  /** stopMachine with an invisible step in the spin: the loop is two steps long. */
  stopMachineLocal: () => toyModel({
    vars: 2,
    threads: [
      [{ op: 'write', v: 1, value: 1 }, { op: 'local' }, { op: 'retry', v: 0, value: 1, to: 1 }, { op: 'write', v: 1, value: 0 }],
      [{ op: 'local' }, { op: 'await', v: 1, value: 0 }, { op: 'write', v: 0, value: 1 }],
    ],
  }),
  /**
   * n identical threads increment a counter without a lock, then wait until it reads n (a barrier): when
   * an update is lost the counter stops short and every thread spins. Symmetric.
   */
  racyBarrier: (n: number) => toyModel({
    vars: 1,
    symmetric: true,
    threads: repeat(n, () => [{ op: 'read', v: 0 }, { op: 'write', v: 0, value: 'reg+1' }, { op: 'retry', v: 0, value: n, to: 2 }]),
  }),
  /** The same barrier over an atomic add: safe. */
  barrier: (n: number) => toyModel({
    vars: 1,
    symmetric: true,
    threads: repeat(n, () => [{ op: 'local' }, { op: 'add', v: 0, delta: 1 }, { op: 'retry', v: 0, value: n, to: 2 }]),
  }),
  /** A global step between two racing threads: the race is still found. */
  fenced: () => toyModel({
    vars: 1,
    threads: [
      [{ op: 'fence' }, { op: 'write', v: 0, value: 1 }],
      [{ op: 'local' }, { op: 'read', v: 0, bad: 1, kind: 'stale-after-update' }],
    ],
  }),
} as const;
