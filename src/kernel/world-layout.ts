// The kernel world's state as a layout (base/layout.ts): every field of WorldState declared once, in the
// order the code builds its objects, sized from the run (CPUs, tasks, keys, patchers). The checker packs
// the states it queues with it; the fingerprint-coverage test varies every field it declares.

import { bits, bool, field, i32, i64, int, text, oneOf, u32, u64, type Field, type WordReader, type WordWriter } from '../base/layout.js';
import { derived, list, optional, record, sized } from '../base/layout-shapes.js';
import { cpuField, smpField } from '../machine/layout.js';
import { cachedContextLanes, restoreContextLanes } from './context-hash.js';
import { PATCHER_WAITS, type ArmedBreakpoint, type Context, type CallRecord, type CpuKernel, type HandlerState, type KeyState, type PassRecord, type PatcherState, type TaskState, type WorldState } from './state.js';
import type { WorldTables } from './tables.js';
import { VIOLATION_KINDS, type Violation } from './violation.js';


/**
 * A context's record, then its cached hash lanes when it has its own (a flag word, two words): a cache of
 * the fields before it, so derived, and left out of the words the fingerprint must see.
 */
function withLanes<C extends Context>(inner: Field<C>): Field<C> {
  return field({
    pack: (w: WordWriter, c: C) => {
      inner.pack(w, c);
      if (w.essential) return;
      const lanes = w.caches ? cachedContextLanes(c) : undefined;
      if (!lanes) w.u32(0);
      else {
        w.u32(1);
        w.u32(lanes[0]);
        w.u32(lanes[1]);
      }
    },
    unpack: (r: WordReader) => {
      const c = inner.unpack(r);
      if (r.u32() !== 0) {
        const lo = r.u32();
        restoreContextLanes(c, lo, r.u32());
      }
      return c;
    },
    variants: inner.variants,
  });
}

/** The layout of one run's world states. */
export function worldField(t: WorldTables, initial: WorldState): Field<WorldState> {
  const regs = sized(cpuField(t.arch.registers.names.length));
  const pass = record<PassRecord>({ entry: u32, allowed: bits, afterUpdate: bool });
  // `cond` and `expect` are the harness op's (`op`): the fingerprint hashes the op alone.
  const call = record<CallRecord>({
    key: i32, allowed: bits, reached: bits, reachedOther: bool, afterUpdate: bool, cond: derived(bool),
    saved: list(u64, true), expect: derived(optional(int)), op: u32, started: bool, branch: optional(u32), pass: optional(pass),
  }, ['branch', 'pass']);
  const critical = optional(record<{ group: number; generation: number }>({ group: u32, generation: i32 }));
  // Context's fields, in the order every context literal lists them.
  const context = { op: u32, call: optional(call), preemptCount: u32, rcuDepth: u32, critical, done: bool, bpWait: i64 } as const;
  const task = sized(withLanes(record<TaskState>({ ...context, cpu: i32, saved: optional(regs) })));
  const handler = sized(withLanes(record<HandlerState>({ kind: oneOf(['nmi', 'irq'] as const), interrupted: regs, ...context })));
  const cpu = record<CpuKernel>({ task: i32, handler: optional(handler), ipiPending: bool, acked: u32 });
  const mutexNames = [...new Set(t.patchers.flat().flatMap((op) => (op.op === 'mutex-lock' || op.op === 'mutex-unlock' ? [op.mutex] : [])))].sort();
  const patcher = record<PatcherState>({
    op: u32,
    waiting: oneOf([undefined, ...PATCHER_WAITS]),
    mutexes: list(oneOf(mutexNames)),
  });
  const key = record<KeyState>({ valid: bits, current: i32, updater: i32, updatesDone: u32 });
  const breakpoint = record<ArmedBreakpoint>({ address: u64, patcher: u32, op: u32 });
  // A violation is sticky and ends the search: its message is for the report, not hashed.
  const violation = record<Violation>({
    kind: oneOf(VIOLATION_KINDS), message: derived(text), cpu: optional(i32), task: optional(text),
  }, ['cpu', 'task']);
  const used = record<WorldState['used']>({ interrupts: u32, preemptions: u32, nmis: u32 });
  return record<WorldState>({
    smp: smpField({ memory: t.loaded.memory, registerCount: t.arch.registers.names.length, windows: initial.smp.machine.windows }),
    // List items carry their length (sized) where they are records of variable size: packing a successor
    // copies the unchanged ones from the state it came from, and a sized item is skipped in one step.
    tasks: list(task, true), cpus: list(sized(cpu), true), patchers: list(sized(patcher), true), stopper: i32, patchStates: u32,
    keys: list(sized(key), true), breakpoints: list(breakpoint), booted: bool,
    rcuWaitCpus: list(bits, true), rcuWaitTasks: list(bits, true), used, violation: optional(violation),
  });
}
