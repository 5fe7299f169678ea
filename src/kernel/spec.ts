// What a simulated kernel world is made of: the image, the tasks and their programs, the static call keys,
// the patcher's program of primitive steps, and the bounds. The scenario layer lowers a file into this;
// the patching layer writes the patcher's steps; the kernel layer executes it one transition at a time.

import type { SourceSpan } from '../base/diagnostics.js';
import type { ArchName } from '../isa/types.js';
import type { LinkedImage } from '../isa/asm/link.js';
import type { FetchKnobs } from '../machine/fetch.js';

/** A key's target: a function symbol, or the two special targets of the static call API. */
export type Target = string | 'NULL' | 'RET0';

/** Where a thing came from in the user's file, for reports (the kernel never reads it). */
export type { SourceSpan };

/**
 * One step of a task's harness: what a kernel thread does between the calls we watch. Everything else a
 * task does is real instructions of the image.
 */
export type TaskOp =
  /**
   * Call `entry` with `args` (ABI argument registers), returning to the harness. `key` names the static
   * call (or function pointer) the call goes through: its targets decide `wrong-target`,
   * `stale-after-update` and `torn-group`. `expect`: the return value the call must give.
   */
  | {
      readonly op: 'call'; readonly entry: string; readonly args: readonly bigint[]; readonly key?: string; readonly expect?: bigint;
      /**
       * A static_call_cond() site: with a NULL target the call is a no-op. Without it (static_call()), a
       * call that ran no function because its key was NULL is `wrong-target`: static_call() of NULL is
       * not allowed (only static_call_cond() of a function returning nothing).
       */
      readonly cond?: boolean;
      /**
       * `static_branch`: the call runs code with static_branch sites of this static key (KeySpec.jumpEntries),
       * and every pass over one of them is checked (MODEL.md section 5). Such a call names no `key`.
       */
      readonly branch?: string;
      readonly span?: SourceSpan;
    }
  /**
   * static_call_query(key): a load of the key's `func` word (KeySpec.funcAddress), which an update writes
   * when it begins. The value must be a target of the key valid at that moment, and `expect` if given
   * (a stale one after an update returned is `stale-after-update`; another is `wrong-target`).
   */
  | { readonly op: 'query'; readonly key: string; readonly expect?: Target; readonly span?: SourceSpan }
  /** Wait (between calls) until module `module` is live: loaded, its text executable. */
  | { readonly op: 'wait-module'; readonly module: string; readonly span?: SourceSpan }
  /** Set a register (by the arch's name: `r2`, `x19`, `rbx`) to a value or a symbol's address. */
  | { readonly op: 'set'; readonly reg: string; readonly value: bigint | string; readonly span?: SourceSpan }
  | { readonly op: 'preempt-disable' }
  | { readonly op: 'preempt-enable' }
  | { readonly op: 'irq-disable' }
  | { readonly op: 'irq-enable' }
  | { readonly op: 'rcu-read-lock' }
  | { readonly op: 'rcu-read-unlock' }
  /**
   * A critical section over a group of keys switched together (a lock op and its unlock op): every
   * call until `critical-end` must reach targets of one generation of the group, else `torn-group`.
   * Implies preempt-disable, as spin_lock does.
   */
  | { readonly op: 'critical-begin'; readonly group: string }
  | { readonly op: 'critical-end' }
  /** Wait (between calls) until `key` has had `count` updates return: orders a call after an update, as the kernel's self-test does. */
  | { readonly op: 'wait-update'; readonly key: string; readonly count: number; readonly span?: SourceSpan };

/**
 * How the breakpoint (INT3, BRK, trap) handler armed for a site treats a CPU that traps there:
 * - `emulate`: it emulates the site's instruction (bp-arm's `insn`: text_poke_bp's new one, or any the
 *   scenario names): jmp, call pushing the return address, ret, nop …, and returns past it.
 * - `detour`: it calls `trampoline` for the site, returning past it: the return address (the site plus
 *   the instruction's length) goes where the arch's calls put it (pushed on x86-64, the link register
 *   elsewhere), or into register `link` when named (seed 001's hybrid: %rax, and the trampoline pushes
 *   it); `irqsOff`: it returns with interrupts disabled (seed 001's `sti` trampoline enables them).
 * - `wait-and-reexecute`: seed 004's stop_machine state machine: the CPU takes part in the
 *   PATCH_SYNC states from inside the handler, then re-executes the site. `syncInNmi` false is the
 *   variant whose NMI path acks without a pipeline sync.
 */
export type BreakpointHandler =
  | { readonly kind: 'emulate' }
  | { readonly kind: 'detour'; readonly trampoline: string; readonly link: string | undefined; readonly irqsOff: boolean }
  | { readonly kind: 'wait-and-reexecute'; readonly syncInNmi: boolean };

/**
 * One primitive step of the patcher. Each is one transition of the checker, except the waits, which
 * block the patcher until their condition holds. `step` names the protocol step for traces
 * (`text_poke_bp 2/6: sync_core`), as the numbered comment above the protocol's code does.
 */
/**
 * A condition an op runs under, checked when the patcher reaches it; when it does not hold the op is a step
 * that does nothing. Only scenarios with several patchers have them, where lowering cannot know the order:
 * `mapped`, an update's step on a module's call site, runs only while the module's memory is there;
 * `target`, a module load's write of a site for one target of its key, only when that is the key's target.
 */
export type OpGuard =
  | { readonly kind: 'mapped'; readonly region: string; readonly module: string }
  | { readonly kind: 'target'; readonly key: string; readonly target: Target };

export type KernelOp = { readonly step: string; readonly span?: SourceSpan; readonly guard?: OpGuard } & (
  /** One atomic store (a piece MODEL.md section 2 makes one event) through the writable alias of `address`. */
  | { readonly op: 'store'; readonly address: bigint; readonly bytes: Uint8Array }
  /**
   * The writer's cache maintenance of [address, address+size) as one event: `insns`, the same steps a
   * hand-written sequence of `cache` ops makes (dcbst/sync/icbi/sync/isync, DC CVAU/DSB/IC IVAU/DSB),
   * done back to back with nothing in between (patch_instruction, aarch64_insn_patch_text_nosync).
   */
  | { readonly op: 'maintain'; readonly address: bigint; readonly size: number; readonly insns: readonly CacheInsn[] }
  /** One maintenance instruction or barrier of the patcher's own CPU (`dc_cvau`, `dsb_ish`, `icbi`, `isync`, …). */
  | { readonly op: 'cache'; readonly insn: CacheInsn }
  /** IPI every other CPU and wait until each has taken it (and so serialized / context-synchronized). */
  | { readonly op: 'sync-core' }
  | { readonly op: 'synchronize-rcu' }
  | { readonly op: 'synchronize-rcu-tasks' }
  /** Gather every CPU into the stopper (each at a point where it could schedule), interrupts off. */
  | { readonly op: 'stop-machine-begin' }
  | { readonly op: 'stop-machine-end' }
  /**
   * Every CPU in the stopper synchronizes its instruction fetch, as a stop_machine callback run on each
   * CPU does (riscv's patch_text_cb ends in local_flush_icache_all: FENCE.I on every hart).
   */
  | { readonly op: 'stopper-sync' }
  /** Seed 004: publish a PATCH_SYNC state and wait until every spinning CPU has acked it (after a sync). */
  | { readonly op: 'patch-state'; readonly state: string }
  | { readonly op: 'mutex-lock'; readonly mutex: string }
  | { readonly op: 'mutex-unlock'; readonly mutex: string }
  /**
   * Arm the breakpoint handler for the site at `address` (MODEL.md section 4): from now a CPU that traps
   * on a breakpoint instruction there (INT3, BRK, trap) goes to `handler`. `insn` is the instruction the
   * site holds for the handler: the one `emulate` runs in its place (the new one, or the old one), or the
   * one a detour returns past. The lowering never arms a site twice.
   */
  | {
      readonly op: 'bp-arm'; readonly address: bigint; readonly insn: Uint8Array; readonly handler: BreakpointHandler;
      /**
       * The shared descriptor the site is armed in, when there is one: text_poke_bp's `bp_desc`, one
       * kernel variable for every caller. Arming in it replaces what another patcher armed there (the
       * kernel assigns the descriptor's vector), and a disarm in it ends the descriptor for everyone (its
       * reference count drops to zero). Absent: a handler of the site's own (a kprobe's).
       */
      readonly descriptor?: string;
    }
  /** Disarm it: a breakpoint trap there from now is unhandled (`fault`). */
  | { readonly op: 'bp-disarm'; readonly address: bigint; readonly descriptor?: string }
  /** static_call_update(key, target) starts: calls from now may reach the old or the new target. */
  | { readonly op: 'update-begin'; readonly key: string; readonly target: Target }
  /** …and returns: a call that starts from now must reach `target` (else `stale-after-update`). */
  | { readonly op: 'update-end'; readonly key: string }
  /** Wait until `task` has completed `count` calls (orders an update after a call, as the kernel's self-test does). */
  | { readonly op: 'wait-calls'; readonly task: string; readonly count: number }
  /** Boot is over (text_poke_early done): tasks may start running. Without one, they start at once. */
  | { readonly op: 'boot-done' }
  /**
   * Map (`on`) or unmap memory regions by name (a module's sections and their writable aliases, as it is
   * loaded, its init freed, or unloaded). A text region mapped here is fresh code no CPU has fetched
   * before: every CPU's fetch window over it closes.
   */
  | { readonly op: 'map'; readonly regions: readonly string[]; readonly on: boolean }
);

/**
 * One cache maintenance instruction or barrier executed by the patcher's CPU (MODEL.md section 3), by
 * what it does rather than by its arch's name for it:
 * - `clean`: the data cache line holding `address` is cleaned to the point of unification (arm64
 *   `DC CVAU`, ppc `dcbst`); complete at the CPU's next barrier.
 * - `invalidate`: the instruction cache line holding `address` is invalidated (arm64 `IC IVAU`, ppc
 *   `icbi`); it counts for the line's units that are clean now, and completes at the next barrier.
 * - `barrier`: completes this CPU's maintenance in flight (arm64 `DSB ISH`, ppc `sync`).
 * - `context-sync`: this CPU's own context synchronization (arm64 `ISB`, ppc `isync`). The patcher's CPU
 *   runs no scenario code, so it changes only CPU 0's view: no fetch of any task depends on it.
 */
export type CacheInsn =
  | { readonly kind: 'clean' | 'invalidate'; readonly address: bigint }
  | { readonly kind: 'barrier' | 'context-sync' };

/** The limits a check runs under; every report states them. */
export interface Bounds {
  /** CPUs in total; the first are the patchers' (CPU 0 with one patcher), tasks run on the others. */
  readonly cpus: number;
  /** Interrupts (without preemption) taken in one execution, over all CPUs. */
  readonly interrupts: number;
  /** Preemptions (an interrupt that switches tasks) in one execution. */
  readonly preemptions: number;
  readonly nmis: number;
}

export interface TaskSpec {
  readonly name: string;
  readonly program: readonly TaskOp[];
  readonly span?: SourceSpan;
}

/**
 * When the users of a key must see its new target (MODEL.md section 5):
 * - `on-return`: every call (or pass) that begins after the update returned reaches the new target,
 *   else `stale-after-update`. The static call API promises this.
 * - `eventually`: some time later (ftrace, most JITs). A call may reach any target the key has had up to
 *   the call's end, old ones included; `stale-after-update` is not checked. A target the key has not had
 *   yet, or no target of it, is still `wrong-target`.
 */
export const KEY_VISIBILITIES = ['on-return', 'eventually'] as const;
export type KeyVisibility = (typeof KEY_VISIBILITIES)[number];

/**
 * One `__jump_table` entry of a static key: a static_branch site, as the kernel's arch_static_branch asm
 * emits it (site, jump target, key with its branch bit), read from the image by lowering.
 */
export interface JumpEntry {
  readonly site: bigint;
  /** Where the site jumps to when it is a jump (the `l_yes` label). */
  readonly target: bigint;
  /** The site's instruction length (x86: 2 or 5; arm64 and ppc: 4): falling through goes to site + length. */
  readonly length: number;
  /**
   * The branch bit (the key reference's low bit, the kernel's jump_entry_is_branch): the site is a jump
   * exactly when the key's value differs from it. So a pass that jumps saw the key as `!branch`.
   */
  readonly branch: boolean;
}

export interface KeySpec {
  readonly name: string;
  readonly initial: Target;
  /**
   * The mutex an update of the key holds from its begin to its end, when the kernel's API takes one
   * (`static_call_mutex`, `jump_label_mutex`): another patcher's update under the same mutex sleeps
   * until it is released. Absent: updates of the key are not serialized by the kernel.
   */
  readonly updateMutex?: string;
  /** Absent: `on-return`. */
  readonly visibility?: KeyVisibility;
  /** Every target the key may ever have (the initial one and each update's), in a fixed order. */
  readonly targets: readonly Target[];
  /** The group of keys switched together (`torn-group`), if any, and each target's generation in it. */
  readonly group?: string;
  readonly generation?: ReadonlyMap<Target, number>;
  /**
   * Where the key's `func` word lives (a pointer-sized data word), when the scenario queries the key:
   * update-begin writes it. Its values: a function's address, 0 for NULL, 1 for RET0.
   */
  readonly funcAddress?: bigint;
  /**
   * Set for a static key (jump label): its targets are its values, `false` and `true`, and these are its
   * static_branch sites. A pass over a site reaches the value its direction means (see JumpEntry.branch).
   */
  readonly jumpEntries?: readonly JumpEntry[];
}

/**
 * A loadable module: sections of the image that are not mapped until the patcher loads it. `init`
 * sections are freed (unmapped) by module-init-done; the rest by the unload.
 */
export interface ModuleSpec {
  readonly name: string;
  readonly sections: readonly string[];
  readonly init: readonly string[];
}

/** Which bytes belong to which code object: execution leaving one sequentially is `fell-through`. */
/** An instruction's address and the line of the scenario file it was assembled from. */
export interface SourceLine {
  readonly address: bigint;
  /** The bytes assembled there (hex pairs, spaced): a patched instruction no longer matches them. */
  readonly bytes: string;
  readonly line: number;
  readonly text: string;
}

export interface CodeObject {
  readonly name: string;
  readonly start: bigint;
  readonly end: bigint;
}

export interface WorldSpec {
  readonly arch: ArchName;
  readonly knobs: FetchKnobs;
  readonly image: LinkedImage;
  /** Objects by start address (from symbols and `.size`). */
  readonly objects: readonly CodeObject[];
  /** For reports only (the kernel never reads it): the scenario line each instruction of the code block came from. */
  readonly sourceLines?: readonly SourceLine[];
  /** Where the patcher's writable alias of text starts, relative to text. */
  readonly aliasOffset: bigint;
  readonly tasks: readonly TaskSpec[];
  /** Run on a CPU when an NMI or an interrupt arrives (e.g. a lock op called from an NMI); may be empty. */
  readonly nmiProgram: readonly TaskOp[];
  readonly irqProgram: readonly TaskOp[];
  readonly keys: readonly KeySpec[];
  /** Modules: their sections start unmapped. */
  readonly modules?: readonly ModuleSpec[];
  /**
   * The patchers: kernel threads, patcher i on CPU i, each running its program of primitive steps. There
   * is always at least one (its program may be empty); tasks run on the CPUs after the patchers'.
   */
  readonly patchers: readonly PatcherSpec[];
  readonly bounds: Bounds;
}

export interface PatcherSpec {
  /** `patcher` for the unnamed one of a scenario with a single patcher. */
  readonly name: string;
  readonly program: readonly KernelOp[];
  readonly span?: SourceSpan;
}

/** A spec's single patcher, for the many worlds with just one (tests, the library's protocols). */
export function onePatcher(program: readonly KernelOp[]): readonly PatcherSpec[] {
  return [{ name: 'patcher', program }];
}

/**
 * The bounds a scenario's programs set by themselves (MODEL.md: "calls per task … updates"): the most
 * calls any task makes, and the updates the patcher makes once boot is over. Reports state them with
 * the searched bounds.
 */
export function programBounds(spec: WorldSpec): { readonly calls: number; readonly updates: number } {
  const calls = Math.max(0, ...spec.tasks.map((t) => t.program.filter((op) => op.op === 'call').length));
  let updates = 0;
  for (const p of spec.patchers) {
    const boot = p.program.findIndex((op) => op.op === 'boot-done');
    updates += p.program.slice(boot + 1).filter((op) => op.op === 'update-begin').length;
  }
  return { calls, updates };
}
