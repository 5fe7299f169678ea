// A working copy of a world state for one transition: copies what it changes, shares the rest.

import type { BitSet } from '../base/bitset.js';
import type { CpuState } from '../machine/cpu.js';
import { dataBus } from '../machine/load.js';
import type { DataBus } from '../machine/arch.js';
import { withCpu } from '../machine/state.js';
import type { Memory } from '../machine/memory.js';
import type { FetchWindows } from '../machine/fetch-window.js';
import { strictCodeSync, type SmpState } from '../machine/step.js';
import { IDLE, STOPPED, type Context, type CpuKernel, type HandlerState, type KeyState, type PatcherState, type ArmedBreakpoint, type TaskState, type WorldState } from './state.js';
import type { WorldTables } from './tables.js';
import type { Violation } from './violation.js';

export class Draft {
  smp: SmpState;
  tasks: TaskState[];
  cpus: CpuKernel[];
  patchers: readonly PatcherState[];
  stopper: number;
  patchStates: number;
  keys: KeyState[];
  breakpoints: readonly ArmedBreakpoint[];
  booted: boolean;
  /** Per patcher: what its synchronize_rcu / synchronize_rcu_tasks still waits for. */
  rcuWaitCpus: readonly BitSet[];
  rcuWaitTasks: readonly BitSet[];
  used: { interrupts: number; preemptions: number; nmis: number };
  violation: Violation | undefined;
  /** The machine is this draft's own copy (and which of its CPUs are: a step changes one or two). */
  private ownMachine = false;
  private readonly ownCpus: number[] = [];

  /**
   * `shared`: a draft to read the state through, for questions that change nothing (which actions are
   * enabled): it copies nothing, and must never be written.
   */
  constructor(readonly t: WorldTables, s: WorldState, shared = false) {
    this.smp = s.smp;
    this.tasks = shared ? (s.tasks as TaskState[]) : s.tasks.slice();
    this.cpus = shared ? (s.cpus as CpuKernel[]) : s.cpus.slice();
    this.patchers = s.patchers;
    this.stopper = s.stopper;
    this.patchStates = s.patchStates;
    this.keys = shared ? (s.keys as KeyState[]) : s.keys.slice();
    this.breakpoints = s.breakpoints;
    this.booted = s.booted;
    this.rcuWaitCpus = s.rcuWaitCpus;
    this.rcuWaitTasks = s.rcuWaitTasks;
    this.used = shared ? s.used : { interrupts: s.used.interrupts, preemptions: s.used.preemptions, nmis: s.used.nmis };
    this.violation = s.violation;
  }

  freeze(): WorldState {
    return {
      smp: this.smp, tasks: this.tasks, cpus: this.cpus, patchers: this.patchers, stopper: this.stopper, patchStates: this.patchStates, keys: this.keys, breakpoints: this.breakpoints,
      booted: this.booted, rcuWaitCpus: this.rcuWaitCpus, rcuWaitTasks: this.rcuWaitTasks, used: this.used, violation: this.violation,
    };
  }

  /** Replace the machine (a transition of the machine layer returned a new one). */
  setSmp(smp: SmpState): void {
    this.smp = smp;
    this.ownMachine = false;
    this.ownCpus.length = 0;
  }

  private ownMem = false;
  private ownWin = false;

  /** The draft's own machine: its own CPU array; memory and windows still shared until `mem`/`win`. */
  private machine() {
    if (!this.ownMachine) {
      const m = this.smp.machine;
      this.smp = { ...this.smp, machine: { memory: m.memory, windows: m.windows, cpus: m.cpus.slice() } };
      this.ownMachine = true;
      this.ownMem = this.ownWin = false;
      this.ownCpus.length = 0;
    }
    return this.smp.machine as { memory: Memory; windows: FetchWindows; cpus: readonly CpuState[] };
  }

  private mem(): Memory {
    const m = this.machine();
    if (!this.ownMem) {
      m.memory = m.memory.clone();
      this.ownMem = true;
    }
    return m.memory;
  }

  private win(): FetchWindows {
    const m = this.machine();
    if (!this.ownWin) {
      m.windows = m.windows.clone();
      this.ownWin = true;
    }
    return m.windows;
  }

  /** CPU c's registers, to read. */
  cpu(c: number): CpuState {
    return this.smp.machine.cpus[c];
  }

  /** CPU c's registers, to change. */
  cpuMut(c: number): CpuState {
    const m = this.machine();
    if (!this.ownCpus.includes(c)) {
      withCpu(m, c);
      this.ownCpus.push(c);
    }
    return m.cpus[c];
  }

  /** Put a register file on CPU c (a task switched in, an interrupted context restored). */
  loadCpu(c: number, regs: CpuState): void {
    const m = this.machine();
    (m.cpus as CpuState[])[c] = regs;
    const i = this.ownCpus.indexOf(c);
    if (i >= 0) this.ownCpus.splice(i, 1);
  }

  /** Loads and stores of the kernel itself (a call's return address pushed on a task stack), seeing stack bank `bank`. */
  bus(bank: number): DataBus {
    return dataBus(this.mem(), this.t.arch.isa.endian, undefined, bank);
  }

  /** CPU c takes a context-synchronizing or serializing event. */
  sync(c: number): void {
    const strict = strictCodeSync(this.t.arch, this.t.knobs);
    // Nothing to make certain: the machine is unchanged (no copy). Else the draft's own windows change.
    if (this.smp.machine.windows.needsSync(c, strict)) this.win().synchronize(c, strict);
  }

  /**
   * Return from an exception or a switch to another context (IRET / eret / rfi / sret): serializing on
   * x86, context-synchronizing on arm64 and Power. On riscv64 only FENCE.I makes a hart certain of new
   * code (MODEL.md section 3), and no return executes it: nothing changes.
   */
  exceptionReturn(c: number): void {
    if (this.t.arch.fetchPolicy.exceptionSync.return) this.sync(c);
  }

  /** Exception entry synchronizes on arm64 and Power; on x86 only the IRET at its end serializes; on riscv64 neither. */
  exceptionEntry(c: number): void {
    if (this.t.arch.fetchPolicy.exceptionSync.entry) this.sync(c);
  }

  setIrqEnabled(c: number, on: boolean): void {
    const cpu = this.cpuMut(c);
    cpu.irqEnabled = on;
    if (this.t.rflags >= 0) cpu.regs[this.t.rflags] = on ? cpu.regs[this.t.rflags] | 0x200n : cpu.regs[this.t.rflags] & ~0x200n;
  }

  /** The context running on CPU c: its handler if one runs, else its task; undefined when idle or stopped. */
  running(c: number): Context | undefined {
    const k = this.cpus[c];
    if (k.handler) return k.handler;
    return k.task >= 0 ? this.tasks[k.task] : undefined;
  }

  setRunning(c: number, ctx: Context): void {
    const k = this.cpus[c];
    if (k.handler) this.cpus[c] = { ...k, handler: ctx as HandlerState };
    else this.tasks[k.task] = ctx as TaskState;
  }

  /** CPU c has nothing to run: it idles, or joins the stopper if stop_machine is gathering. */
  vacate(c: number): void {
    const k = this.cpus[c];
    this.cpus[c] = this.stopper >= 0 ? { ...k, task: STOPPED, acked: this.patchStates } : { ...k, task: IDLE };
    this.loadCpu(c, this.t.idleCpu);
  }

  fail(v: Violation): void {
    if (!this.violation) this.violation = v;
  }
}
