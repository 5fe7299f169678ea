// The kernel world seen by the checker and by its reader: the Model adapter, each step of a trace told as
// who ran what where (the bytes a fetch saw, the bytes a store changed), the calls each task made and the
// targets they reached, and what calls and updates cost.

import { bytesToHex } from '../base/bits.js';
import { has, type BitSet } from '../base/bitset.js';
import type { WorldAction } from '../kernel/actions.js';
import type { KernelOp, TaskOp, WorldSpec } from '../kernel/spec.js';
import type { CallRecord, Context, WorldState } from '../kernel/state.js';
import { KernelWorld } from '../kernel/world.js';
import { fetchOptions } from '../machine/step.js';
import type { Model } from '../checker/model.js';
import type { Violation } from '../kernel/violation.js';

export type WorldModel = Model<WorldState, WorldAction>;

/** KernelWorld already has the Model's shape; this names the type and keeps the checker's view of it narrow. */
export function worldModel(world: KernelWorld): WorldModel {
  return world;
}

const hex = (v: bigint | number) => `0x${v.toString(16)}`;

/** One step of a trace, told for a reader (and for `--json`). */
export interface TraceStep {
  readonly index: number;
  readonly action: number;
  readonly kind: WorldAction['kind'];
  /** The CPU it happened on; the patcher is CPU 0. */
  readonly column: number;
  /** What ran there: a task's name, `NMI`, `IRQ`, `patcher`, `idle`, `stopper`. */
  readonly who: string;
  /** The kernel's own one-line account of the step. */
  readonly text: string;
  /** `symbol`: the pc as `symbol+0xoff` (objdump's `<…>`), when it is inside a code object or at a symbol. */
  readonly insn?: { readonly pc: string; readonly bytes: string; readonly text: string; readonly symbol?: string };
  /** When the fetch window held more than one value: every value the fetch could see, and the one it took. */
  readonly fetch?: { readonly chosen: number; readonly options: readonly string[] };
  /** The protocol step the patcher was in (its op's label). */
  readonly patcherStep?: string;
  /** The scenario statement a patcher step came from; `text` is that line of the file, when the caller has it. */
  readonly source?: { readonly file: string; readonly line: number; readonly col: number; readonly text?: string };
  /** A patcher store: the bytes at the patched location before and after, disassembled when they are one instruction. */
  readonly store?: {
    readonly address: string; readonly before: string; readonly after: string; readonly beforeInsn?: string; readonly afterInsn?: string;
    /** The address as `symbol+0xoff`, as for an instruction. */
    readonly symbol?: string;
  };
  /** A call that returned to its harness in this step. */
  readonly callDone?: FinishedCall;
}

export interface RenderedTrace {
  readonly steps: readonly TraceStep[];
  readonly violation: Violation | null;
  /** Steps of the trace left over after the violation (a trace longer than needed). */
  readonly unused: number;
  readonly final: WorldState;
}

/** Replay `trace` and tell each step; a bad index is an error value (traces come from files too). */
export function renderTrace(world: KernelWorld, trace: readonly number[]): RenderedTrace | { readonly error: string; readonly at: number } {
  const steps: TraceStep[] = [];
  let s = world.initial();
  let violation: Violation | null = s.violation ?? null;
  let i = 0;
  for (; i < trace.length && !violation; i++) {
    const acts = world.actions(s);
    const k = trace[i];
    if (!Number.isInteger(k) || k < 0 || k >= acts.length) {
      return { error: `step ${i + 1}: action ${k} is out of range (${acts.length} action${acts.length === 1 ? '' : 's'} enabled)`, at: i };
    }
    const step = describeWorldStep(world, s, acts[k], i, k);
    steps.push(step);
    s = world.next(s, acts[k]);
    violation = s.violation ?? null;
  }
  if (!violation && world.actions(s).length === 0 && !world.finished(s)) violation = world.deadlock(s);
  return { steps, violation, unused: trace.length - i, final: s };
}

/** The trace's lane of each CPU: `CPU 0 (patcher)`, or with several patchers `CPU 1 (patcher B)`; then `CPU n`. */
export function laneNames(spec: WorldSpec): string[] {
  const p = spec.patchers;
  return Array.from({ length: spec.bounds.cpus }, (_, c) => (c >= p.length ? `CPU ${c}` : p.length === 1 ? `CPU ${c} (patcher)` : `CPU ${c} (patcher ${p[c].name})`));
}

/** Who runs on CPU c in s. */
export function whoOn(world: KernelWorld, s: WorldState, c: number): string {
  if (c < world.spec.patchers.length) return world.spec.patchers.length === 1 ? 'patcher' : world.spec.patchers[c].name;
  const k = s.cpus[c];
  if (k.handler) return k.handler.kind.toUpperCase();
  if (k.task >= 0) return world.spec.tasks[k.task].name;
  return k.task === -2 ? 'stopper' : 'idle';
}

export function describeWorldStep(world: KernelWorld, s: WorldState, a: WorldAction, index: number, action: number): TraceStep {
  const tr = world.transition(s, a);
  const column = a.kind === 'patcher' ? a.patcher : a.cpu;
  const base = { index, action, kind: a.kind, column, who: whoOn(world, s, column), text: tr.text() };
  const callDone = finishedCalls(world, s, tr.state)[0];
  const done = callDone ? { callDone } : {};
  if (a.kind === 'step') {
    const pc = s.smp.machine.cpus[a.cpu].pc;
    const ev = tr.step?.event;
    let insn: TraceStep['insn'];
    const symbol = symbolAt(world.spec, pc);
    const at = symbol !== undefined ? { symbol } : {};
    if (ev?.kind === 'executed') insn = { pc: hex(pc), bytes: bytesToHex(ev.bytes), text: printInsn(world, ev.insn, pc), ...at };
    else if (ev?.kind === 'undefined') insn = { pc: hex(pc), bytes: bytesToHex(ev.bytes), text: '(undefined)', ...at };
    const f = fetchOptions(s.smp, world.t.arch, a.cpu, world.t.knobs);
    const fetch = f.kind === 'ok' && f.options.length > 1 ? { chosen: a.choice, options: f.options.map((o) => bytesToHex(o.bytes)) } : undefined;
    return { ...base, ...(insn ? { insn } : {}), ...(fetch ? { fetch } : {}), ...done };
  }
  if (a.kind === 'patcher') {
    const p = s.patchers[a.patcher];
    const opIndex = p.waiting !== undefined ? p.op - 1 : p.op;
    const op: KernelOp | undefined = world.t.patchers[a.patcher][opIndex];
    const store = p.waiting === undefined && op?.op === 'store' ? storeChange(world, s, tr.state, op.address, op.bytes.length) : undefined;
    const source = op?.span ? { source: { file: op.span.file, line: op.span.line, col: op.span.col } } : {};
    return { ...base, patcherStep: op?.step ?? tr.text(), ...source, ...(store ? { store } : {}), ...done };
  }
  return { ...base, ...done };
}

function printInsn(world: KernelWorld, insn: unknown, pc: bigint): string {
  const p = world.t.arch.isa.print(insn, pc);
  return p.operands ? `${p.mnemonic} ${p.operands}` : p.mnemonic;
}

/**
 * The bytes of [address, address+n) in both states, and the instruction there when the store starts one:
 * a whole 4-byte word on arm64 and ppc; on x86 only at a symbol or a poke site (mid-instruction bytes such
 * as a text_poke_bp tail would decode as nonsense), read with the bytes that follow it.
 */
function storeChange(world: KernelWorld, before: WorldState, after: WorldState, address: bigint, n: number): TraceStep['store'] {
  const mem = before.smp.machine.memory;
  const t = mem.translate(Number(address), n);
  if (!t) return undefined;
  const b = mem.readPhysBytes(t.phys, n);
  const a = after.smp.machine.memory.readPhysBytes(t.phys, n);
  const unit = world.t.arch.fetchPolicy.unit;
  const decodable = unit === 4 ? n === 4 && address % 4n === 0n : instructionStarts(world).has(address);
  const asInsn = (s: WorldState): string | undefined => {
    const isa = world.t.arch.isa;
    const m = s.smp.machine.memory;
    let len = unit === 4 ? 4 : 15;
    while (len > 0 && !m.translate(Number(address), len)) len--;
    const bytes = m.readPhysBytes(t.phys, len);
    const insn = isa.decode(bytes, 0);
    if (insn === undefined) return undefined;
    const k = isa.length(insn);
    return unit === 4 ? printInsn(world, insn, address) : `${printInsn(world, insn, address)}: ${bytesToHex(bytes.subarray(0, k))}`;
  };
  const beforeInsn = decodable ? asInsn(before) : undefined, afterInsn = decodable ? asInsn(after) : undefined;
  const symbol = symbolAt(world.spec, address);
  return {
    address: hex(address), before: bytesToHex(b), after: bytesToHex(a), ...(beforeInsn ? { beforeInsn } : {}), ...(afterInsn ? { afterInsn } : {}),
    ...(symbol !== undefined ? { symbol } : {}),
  };
}

/**
 * An address as objdump names it: `tramp` at a code object's start, `tramp+0x4` inside it, or the name of a
 * symbol defined exactly there; undefined elsewhere (past an object's end, between objects).
 */
export function symbolAt(spec: WorldSpec, address: bigint): string | undefined {
  const o = spec.objects.find((x) => address >= x.start && address < x.end);
  if (o) return address === o.start ? o.name : `${o.name}+${hex(address - o.start)}`;
  for (const [name, value] of spec.image.symbols) if (value === address) return name;
  return undefined;
}

const startsCache = new WeakMap<KernelWorld, ReadonlySet<bigint>>();

/** Addresses where an instruction surely begins: symbols, code objects, poke sites. */
function instructionStarts(world: KernelWorld): ReadonlySet<bigint> {
  let set = startsCache.get(world);
  if (!set) {
    const s = new Set<bigint>(world.spec.image.symbols.values());
    for (const o of world.spec.objects) s.add(o.start);
    for (const p of world.spec.patchers) for (const op of p.program) if (op.op === 'bp-arm') s.add(op.address);
    startsCache.set(world, (set = s));
  }
  return set;
}

/** A call the harness made that returned (or was cut short by a violation), with what it reached. */
export interface FinishedCall {
  /** Task name, or `NMI on CPU 2` / `IRQ on CPU 1`. */
  readonly runner: string;
  readonly cpu: number;
  /** Index of the harness op that made the call (per task, unique: repeats are unrolled). */
  readonly op: number;
  readonly entry: string;
  readonly key: string | undefined;
  /** Targets of the key the call entered (`another key's target` for bit 31). */
  readonly reached: readonly string[];
  /** Targets valid at some moment while it ran. */
  readonly allowed: readonly string[];
  /** The return register as the return instruction left it. */
  readonly returned: string;
}

/** Calls that ended between `s` and `n` (compared context by context: a task's or a handler's call op changed or went away). */
export function finishedCalls(world: KernelWorld, s: WorldState, n: WorldState): FinishedCall[] {
  const out: FinishedCall[] = [];
  s.tasks.forEach((task, i) => {
    if (!task.call || task.cpu < 0) return;
    if (sameCall(task.call, n.tasks[i].call)) return;
    out.push(callOf(world, s, task.cpu, task, world.spec.tasks[i].program, world.spec.tasks[i].name));
  });
  s.cpus.forEach((k, c) => {
    const h = k.handler;
    if (!h?.call) return;
    const after = n.cpus[c].handler;
    if (after && after.kind === h.kind && sameCall(h.call, after.call)) return;
    const program = h.kind === 'nmi' ? world.spec.nmiProgram : world.spec.irqProgram;
    out.push(callOf(world, s, c, h, program, `${h.kind.toUpperCase()} on CPU ${c}`));
  });
  return out;
}

function sameCall(a: CallRecord, b: CallRecord | undefined): boolean {
  return b !== undefined && a.op === b.op;
}

function callOf(world: KernelWorld, s: WorldState, cpu: number, ctx: Context, program: readonly TaskOp[], runner: string): FinishedCall {
  const call = ctx.call!;
  const op = program[call.op];
  const entry = op?.op === 'call' ? op.entry : '?';
  const key = call.key >= 0 ? world.spec.keys[call.key] : undefined;
  const names = (bits: BitSet, other: boolean): string[] => {
    if (!key) return [];
    const out = key.targets.filter((_, i) => has(bits, i));
    if (other) out.push("another key's target");
    return out;
  };
  const ret = s.smp.machine.cpus[cpu].regs[world.t.arch.abi.returnReg];
  return { runner, cpu, op: call.op, entry, key: key?.name, reached: names(call.reached, call.reachedOther), allowed: names(call.allowed, false), returned: hex(BigInt.asUintN(64, ret)) };
}

/** What one call of a call site cost, executed alone (no patcher running, no interrupts). */
export interface CallCost {
  /** The tasks (identical ones together) that make the call. */
  readonly runner: string;
  readonly entry: string;
  readonly key: string | undefined;
  /** How many times the task's program makes this call (repeats). */
  readonly calls: number;
  /** Per call, averaged over `calls`. */
  readonly instructions: number;
  readonly directBranches: number;
  readonly indirectBranches: number;
  /** Of the branches, how many were calls (direct or indirect), and returns. */
  readonly branchCalls: number;
  readonly returns: number;
  readonly loads: number;
  readonly stores: number;
  readonly reached: readonly string[];
}

/** A call `cost` could not measure: it did not return within the step limit, or its run stopped. */
export interface UnfinishedCall {
  readonly runner: string;
  readonly entry: string;
  /** One sentence: why it did not return. */
  readonly reason: string;
}

/** The default step limit of one task's run in `cost`. */
export const COST_MAX_STEPS = 1_000_000;

/**
 * Run each task's calls one after another on one CPU, with no other task, no interrupts, and the patcher
 * reduced to its boot part (`before`) or run to the end before the task starts (`after`); count per call.
 * A call that does not return within `maxSteps` transitions of its task's run (or whose run stops at a
 * violation or a deadlock) is listed in `unfinished`, not dropped.
 */
export function measureCallCosts(world: KernelWorld, phase: 'before' | 'after', maxSteps = COST_MAX_STEPS, unfinished: UnfinishedCall[] = []): CallCost[] {
  const spec = world.spec;
  const patchers = spec.patchers.map((p) => {
    const lastBoot = p.program.map((o) => o.op).lastIndexOf('boot-done');
    return { ...p, program: phase === 'after' ? p.program : p.program.slice(0, lastBoot + 1) };
  });
  const out: CallCost[] = [];
  const classes = new Map<number, string[]>();
  world.t.taskClass.forEach((cls, i) => classes.set(cls, [...(classes.get(cls) ?? []), spec.tasks[i].name]));
  for (const [cls, names] of classes) {
    const w = new KernelWorld({ ...spec, tasks: [spec.tasks[cls]], patchers, bounds: { cpus: patchers.length + 1, interrupts: 0, preemptions: 0, nmis: 0 } });
    out.push(...costsOfTask(w, names.join(' '), maxSteps, unfinished));
  }
  return out;
}

interface Tally { instructions: number; directBranches: number; indirectBranches: number; branchCalls: number; returns: number; loads: number; stores: number }

function costsOfTask(w: KernelWorld, runner: string, maxSteps: number, unfinished: UnfinishedCall[]): CallCost[] {
  const perOp = new Map<number, Tally>();
  const done: FinishedCall[] = [];
  let s = w.initial();
  let why = `it did not return within ${maxSteps} steps`;
  for (let guard = 0; ; guard++) {
    const acts = w.actions(s);
    if (s.violation) why = `its run stopped at a violation: ${s.violation.kind} — ${s.violation.message}`;
    else if (acts.length === 0) why = 'its run could go no further';
    if (acts.length === 0 || s.violation || guard >= maxSteps) break;
    const a = pickSequential(acts);
    const tr = w.transition(s, a);
    const task = s.tasks[0];
    const ev = tr.step?.event;
    if (a.kind === 'step' && task.call && ev?.kind === 'executed') {
      const t = perOp.get(task.call.op) ?? { instructions: 0, directBranches: 0, indirectBranches: 0, branchCalls: 0, returns: 0, loads: 0, stores: 0 };
      const c = w.t.arch.classify(ev.insn);
      t.instructions++;
      if (c.branch === 'direct') t.directBranches++;
      if (c.branch === 'indirect') t.indirectBranches++;
      if (c.branch === 'return') t.returns++;
      if (c.call) t.branchCalls++;
      t.loads += tr.step!.loads.length;
      t.stores += tr.step!.stores.length;
      perOp.set(task.call.op, t);
    }
    done.push(...finishedCalls(w, s, tr.state));
    s = tr.state;
  }
  const open = s.tasks[0]?.call;
  if (open) {
    const op = w.spec.tasks[0].program[open.op];
    unfinished.push({ runner, entry: op?.op === 'call' ? op.entry : '?', reason: why });
  }
  const groups = new Map<string, { calls: FinishedCall[]; tallies: Tally[] }>();
  for (const call of done) {
    const id = `${call.entry}\0${call.key ?? ''}`;
    const g = groups.get(id) ?? { calls: [], tallies: [] };
    g.calls.push(call);
    g.tallies.push(perOp.get(call.op) ?? { instructions: 0, directBranches: 0, indirectBranches: 0, branchCalls: 0, returns: 0, loads: 0, stores: 0 });
    groups.set(id, g);
  }
  return [...groups.values()].map(({ calls, tallies }) => {
    const mean = (f: keyof Tally) => Math.round((tallies.reduce((n, t) => n + t[f], 0) / tallies.length) * 10) / 10;
    return {
      runner, entry: calls[0].entry, key: calls[0].key, calls: calls.length,
      instructions: mean('instructions'), directBranches: mean('directBranches'), indirectBranches: mean('indirectBranches'),
      branchCalls: mean('branchCalls'), returns: mean('returns'), loads: mean('loads'), stores: mean('stores'),
      reached: [...new Set(calls.flatMap((c) => c.reached))],
    };
  });
}

/** Patcher first, then whatever serves it (IPIs, acks, the stopper), then the task with the newest fetch value. */
function pickSequential(acts: readonly WorldAction[]): WorldAction {
  const patcher = acts.find((a) => a.kind === 'patcher');
  if (patcher) return patcher;
  const serve = acts.find((a) => a.kind === 'ipi' || a.kind === 'ack' || a.kind === 'stop' || a.kind === 'bp-return' || a.kind === 'schedule');
  if (serve) return serve;
  const steps = acts.filter((a) => a.kind === 'step');
  return steps.length > 0 ? steps[steps.length - 1] : acts[0];
}

/** What an update costs the patcher and the machine, counted from its ops. */
export interface UpdateCost {
  /** `update sc -> far_a`, or `outside any update`, or `total`. */
  readonly label: string;
  readonly stores: number;
  readonly storeBytes: number;
  readonly syncCores: number;
  /** sync_core IPIs sent: one per other CPU per sync_core. */
  readonly ipis: number;
  /** Maintenance events: each built-in sequence (patch_instruction's) and each hand-written instruction or barrier. */
  readonly maintenance: number;
  readonly synchronizeRcu: number;
  readonly synchronizeRcuTasks: number;
  readonly stopMachine: number;
  /** CPUs held in the stopper: the other CPUs, per stop_machine. */
  readonly cpusStopped: number;
  readonly patchStates: number;
  readonly breakpointPokes: number;
}

export function updateCosts(world: KernelWorld): UpdateCost[] {
  const others = world.spec.bounds.cpus - world.spec.patchers.length;
  const all = world.spec.patchers.flatMap((p) => p.program);
  const groups: { label: string; ops: KernelOp[] }[] = [];
  let current: { label: string; ops: KernelOp[] } | undefined;
  const loose: KernelOp[] = [];
  for (const op of all) {
    if (op.op === 'update-begin') {
      current = { label: `update ${op.key} -> ${op.target}`, ops: [] };
      groups.push(current);
    } else if (op.op === 'update-end') current = undefined;
    else (current ? current.ops : loose).push(op);
  }
  if (loose.some((o) => o.op !== 'boot-done')) groups.push({ label: 'outside any update', ops: loose });
  const cost = (label: string, ops: readonly KernelOp[]): UpdateCost => {
    const n = (k: KernelOp['op']) => ops.filter((o) => o.op === k).length;
    return {
      label, stores: n('store'), storeBytes: ops.reduce((b, o) => b + (o.op === 'store' ? o.bytes.length : 0), 0),
      syncCores: n('sync-core'), ipis: n('sync-core') * others, maintenance: n('maintain') + n('cache'),
      synchronizeRcu: n('synchronize-rcu'), synchronizeRcuTasks: n('synchronize-rcu-tasks'),
      stopMachine: n('stop-machine-begin'), cpusStopped: n('stop-machine-begin') * others, patchStates: n('patch-state'), breakpointPokes: n('bp-arm'),
    };
  };
  const out = groups.map((g) => cost(g.label, g.ops));
  if (out.length !== 1) out.push(cost('total', all));
  return out;
}
