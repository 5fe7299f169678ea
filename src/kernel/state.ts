// The kernel world as one plain value: the SMP machine plus tasks, per-CPU kernel state, the patcher,
// the waiting primitives and the static call keys. Transitions copy what they change and share the rest.

import type { BitSet } from '../base/bitset.js';
import type { CpuState } from '../machine/cpu.js';
import type { SmpState } from '../machine/step.js';
import type { Violation } from './violation.js';

/** A call the harness made and is watching until it returns. */
export interface CallRecord {
  /** Index of the key it goes through in WorldSpec.keys, or -1. */
  readonly key: number;
  /** The key's targets (indices) valid at some moment since the call started. */
  readonly allowed: BitSet;
  /** The key's targets the call entered. */
  readonly reached: BitSet;
  /** The call entered a target of another key. */
  readonly reachedOther: boolean;
  /** The call started after an update of its key had returned (a stale target is then `stale-after-update`). */
  readonly afterUpdate: boolean;
  /** A static_call_cond() site: a NULL target makes it a no-op. */
  readonly cond: boolean;
  /** Callee-saved register values at entry, in Abi.calleeSaved order, the stack pointer's as it must be after return. */
  readonly saved: readonly bigint[];
  readonly expect: bigint | undefined;
  /** Index of the harness op that made it (for reports). */
  readonly op: number;
  /** It has executed an instruction: until then the context sits at a voluntary switch point. */
  readonly started: boolean;
  /** A `static_branch` call: the index of the static key whose sites' passes are checked. */
  readonly branch?: number;
  /** The pass over one of those sites the call is in: it reached the site and has not left it yet. */
  readonly pass?: PassRecord;
}

/**
 * A pass over a static_branch site (MODEL.md section 2: it begins when the task reaches the site). Like a
 * call, its valid values accumulate until it leaves the site by one of the site's two successors.
 */
export interface PassRecord {
  /** Index into the key's jumpEntries. */
  readonly entry: number;
  /** The key's values (indices into its targets) valid at some moment since the pass began. */
  readonly allowed: BitSet;
  /** It began after an update of the key had returned (the old value is then `stale-after-update`). */
  readonly afterUpdate: boolean;
}

/**
 * Something that runs harness programs: a task, or an NMI/IRQ handler on a CPU. Registers live in the
 * machine's CPU while it is on one, in `saved` while it is not.
 */
export interface Context {
  /** Next harness op. */
  readonly op: number;
  readonly call: CallRecord | undefined;
  readonly preemptCount: number;
  readonly rcuDepth: number;
  /** Inside `critical G`: the group's index and the generation its calls reached so far (-1 none yet). */
  readonly critical: { readonly group: number; readonly generation: number } | undefined;
  readonly done: boolean;
  /** Waiting in the breakpoint handler at this address (seed 004's wait-and-reexecute), else -1n. */
  readonly bpWait: bigint;
}

export interface TaskState extends Context {
  /** The CPU it runs on, or -1 when it is ready (preempted or not yet started) or done. */
  readonly cpu: number;
  readonly saved: CpuState | undefined;
}

export interface HandlerState extends Context {
  readonly kind: 'nmi' | 'irq';
  /** The interrupted context's registers, restored on return. */
  readonly interrupted: CpuState;
}

export const IDLE = -1;
/** The CPU is in stop_machine's stopper, spinning with interrupts off. */
export const STOPPED = -2;

export interface CpuKernel {
  /** Task index, IDLE or STOPPED. */
  readonly task: number;
  readonly handler: HandlerState | undefined;
  readonly ipiPending: boolean;
  /** The last PATCH_SYNC state (index into the patcher's sequence of them) this CPU acked. */
  readonly acked: number;
}

/** What a patcher may be blocked in. */
export type PatcherWait = NonNullable<PatcherState['waiting']>;

/** Every wait, in one fixed order: packed and hashed by its index (a record, so that a new kind breaks the build here). */
export const PATCHER_WAITS = Object.keys({ ipi: 0, rcu: 0, 'rcu-tasks': 0, stop: 0, 'patch-state': 0, mutex: 0, calls: 0 } as const satisfies Record<PatcherWait, 0>) as readonly PatcherWait[];

export interface PatcherState {
  /** Next op of its program (WorldSpec.patchers[i].program). */
  readonly op: number;
  /** Blocked in the op before `op` until its condition holds. */
  readonly waiting: 'ipi' | 'rcu' | 'rcu-tasks' | 'stop' | 'patch-state' | 'mutex' | 'calls' | undefined;
  /**
   * Mutexes it holds (by name). Another patcher's lock of one of them sleeps until it is released; a
   * second lock of one it holds itself never returns (a deadlock, as in the kernel).
   */
  readonly mutexes: readonly string[];
}

export interface KeyState {
  /**
   * Targets (indices into KeySpec.targets) valid now: one, or two during an update; for a key visible
   * only eventually, every target it has had so far.
   */
  readonly valid: BitSet;
  readonly current: number;
  /** The patcher inside an update of it (from update-begin to update-end), or -1. */
  readonly updater: number;
  readonly updatesDone: number;
}

/**
 * A breakpoint handler armed for one site (MODEL.md section 4: breakpoint handling is state). A CPU that
 * traps on a breakpoint instruction (INT3, BRK, trap) at `address` runs it; one that traps where none is
 * armed takes an unhandled trap.
 */
export interface ArmedBreakpoint {
  readonly address: bigint;
  /** The patcher that armed it, and the index of its bp-arm op, which says what the handler does. */
  readonly patcher: number;
  readonly op: number;
}

export interface WorldState {
  readonly smp: SmpState;
  readonly tasks: readonly TaskState[];
  readonly cpus: readonly CpuKernel[];
  readonly patchers: readonly PatcherState[];
  /** The patcher inside stop_machine (from its begin to its end), or -1: there is one stopper. */
  readonly stopper: number;
  /** Seed 004's PATCH_SYNC states published so far (one kernel variable, whoever publishes). */
  readonly patchStates: number;
  readonly keys: readonly KeyState[];
  /** The breakpoint handlers armed now, by site, in the order they were armed. */
  readonly breakpoints: readonly ArmedBreakpoint[];
  readonly booted: boolean;
  /** synchronize_rcu in progress: the CPUs that have not yet passed a quiescent state. */
  readonly rcuWaitCpus: readonly BitSet[];
  /** synchronize_rcu_tasks in progress: the tasks that have not yet been quiescent. */
  readonly rcuWaitTasks: readonly BitSet[];
  readonly used: { readonly interrupts: number; readonly preemptions: number; readonly nmis: number };
  readonly violation: Violation | undefined;
}
