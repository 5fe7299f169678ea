// Reports of the kernel world for humans: a trace as one column per CPU (the patcher is CPU 0), bounds and
// knobs as every report states them, what a forward run did, and what calls and updates cost.

import { programBounds, type Bounds, type WorldSpec } from '../kernel/spec.js';
import type { FetchKnobs } from '../machine/fetch.js';
import type { Violation } from '../kernel/violation.js';
import { laneNames, type CallCost, type FinishedCall, type TraceStep, type UpdateCost } from './world-model.js';

/** Knob names as scenarios and the command line spell them. */
export const KNOB_NAMES = Object.freeze({
  strictFetch: 'strictFetch',
  powerWordAtomicFetch: 'power.wordAtomicFetch',
  x86AlignedAtomicFetch: 'x86.alignedAtomicFetch',
  arm64Idc: 'arm64.idc',
  arm64Dic: 'arm64.dic',
  riscvZiccif: 'riscv.ziccif',
  riscvZiccid: 'riscv.ziccid',
} as const satisfies Record<keyof FetchKnobs, string>);

export const BOUND_NAMES = ['cpus', 'interrupts', 'preemptions', 'nmis'] as const satisfies readonly (keyof Bounds)[];

export function knobsOn(knobs: FetchKnobs): string[] {
  return (Object.keys(KNOB_NAMES) as (keyof FetchKnobs)[]).filter((k) => knobs[k]).map((k) => KNOB_NAMES[k]);
}

/** `cpus=2 interrupts=0 preemptions=0 nmis=0` */
/** `cpus=2 interrupts=0 preemptions=1 nmis=0`, and with the spec the bounds its programs set: ` calls=2 updates=1`. */
export function formatBounds(b: Bounds, spec?: WorldSpec): string {
  const searched = BOUND_NAMES.map((n) => `${n}=${b[n]}`).join(' ');
  if (!spec) return searched;
  const p = programBounds(spec);
  return `${searched} calls=${p.calls} updates=${p.updates}`;
}

export function formatKnobs(knobs: FetchKnobs): string {
  const on = knobsOn(knobs);
  return on.length ? on.join(' ') : 'none';
}

/** `fell-through on CPU 1 (T1): T1 ran past …` */
export function formatViolation(v: Violation): string {
  const where = v.cpu !== undefined ? ` on CPU ${v.cpu}${v.task ? ` (${v.task})` : ''}` : '';
  return `${v.kind}${where}: ${v.message}`;
}

/** `0x10004 <tramp+0x4>`: an address with its symbol when it has one. */
export function addressWithSymbol(address: string, symbol: string | undefined): string {
  return symbol !== undefined ? `${address} <${symbol}>` : address;
}

/** `line 48: patch_instruction tramp+0, "lis 12, far_a@ha"`: where a patcher step came from in the scenario. */
export function sourceLine(source: NonNullable<TraceStep['source']>): string {
  return source.text ? `line ${source.line}: ${source.text}` : `line ${source.line}`;
}

/** The statement a step came from, as a key: a patcher step names its source once, when the statement changes. */
export function sourceKey(step: TraceStep): string | undefined {
  return step.source ? `${step.source.file}:${step.source.line}:${step.source.col}` : undefined;
}

/** The lines one step puts in its column; `withSource`: the scenario line of a patcher step too. */
export function stepLines(step: TraceStep, withSource = false): string[] {
  const lines: string[] = [];
  if (step.kind === 'step') {
    const i = step.insn;
    lines.push(i ? `${step.who} ${addressWithSymbol(i.pc, i.symbol)}: ${i.bytes}  ${i.text}` : `${step.who} ${step.text}`);
    if (step.fetch) {
      const shown = step.fetch.options.map((o, k) => (k === step.fetch!.chosen ? `[${o}]` : o)).join(' | ');
      lines.push(`  fetch saw ${step.fetch.chosen + 1} of ${step.fetch.options.length}: ${shown}`);
    }
  } else if (step.kind === 'patcher') {
    lines.push(step.patcherStep && step.patcherStep !== step.text ? `${step.text} (${step.patcherStep})` : step.text);
    if (withSource && step.source) lines.push(`  ${sourceLine(step.source)}`);
    const st = step.store;
    if (st) {
      const b = st.beforeInsn ? `${st.before} (${st.beforeInsn})` : st.before;
      const a = st.afterInsn ? `${st.after} (${st.afterInsn})` : st.after;
      lines.push(`  ${addressWithSymbol(st.address, st.symbol)}: ${b}`, `    -> ${a}`);
    }
  } else lines.push(`${step.who}: ${step.text}`);
  if (step.callDone) lines.push(`  ${formatCallDone(step.callDone)}`);
  return lines;
}

/** For each step: is it the first of its statement among the patcher's steps (so that its source line is shown)? */
export function firstOfStatement(steps: readonly TraceStep[]): boolean[] {
  let last: string | undefined;
  return steps.map((s) => {
    const key = sourceKey(s);
    if (s.kind !== 'patcher' || key === undefined || key === last) return false;
    last = key;
    return true;
  });
}

export function formatCallDone(c: FinishedCall): string {
  const through = c.key ? ` through ${c.key}` : '';
  const none = c.allowed.includes('NULL') ? 'ran no function (NULL)' : c.allowed.includes('RET0') ? 'ran no function (RET0)' : 'ran no target';
  const reached = c.key ? (c.reached.length ? `reached ${c.reached.join(' and ')}` : none) : 'returned';
  return `call ${c.entry}${through} ${reached}, returned ${c.returned}`;
}

const MAX_COLUMN = 56;

function wrap(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const out: string[] = [];
  let rest = line;
  const indent = '    ';
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= indent.length) cut = width;
    out.push(rest.slice(0, cut));
    rest = indent + rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}

/**
 * The trace as a table: a step number, then one column per CPU with each step in the column it ran on.
 * `marks` puts a line of its own before the step with that index (a livelock's loop).
 */
export function formatTraceColumns(steps: readonly TraceStep[], spec: WorldSpec, marks: ReadonlyMap<number, string> = new Map()): string {
  const headers = laneNames(spec);
  const first = firstOfStatement(steps);
  const cells = steps.map((s, i) => stepLines(s, first[i]));
  const widths = headers.map((h, c) => {
    let w = h.length;
    steps.forEach((s, i) => {
      if (s.column === c) for (const l of cells[i]) w = Math.max(w, Math.min(l.length, MAX_COLUMN));
    });
    return w;
  });
  const num = Math.max(4, String(steps.length).length);
  const row = (cols: string[]) => (' '.repeat(num) + '  ' + cols.map((t, c) => t.padEnd(widths[c])).join('  ')).trimEnd();
  const out = [row(headers), row(widths.map((w) => '-'.repeat(w)))];
  steps.forEach((s, i) => {
    const mark = marks.get(s.index);
    if (mark !== undefined) out.push(' '.repeat(num) + '  ' + mark);
    const lines = cells[i].flatMap((l) => wrap(l, widths[s.column]));
    lines.forEach((l, k) => {
      const cols = headers.map((_, c) => (c === s.column ? l : ''));
      const head = k === 0 ? String(s.index + 1).padStart(num) : ' '.repeat(num);
      out.push((head + '  ' + cols.map((t, c) => t.padEnd(widths[c])).join('  ')).trimEnd());
    });
  });
  return out.join('\n') + '\n';
}

export function formatCallCosts(costs: readonly CallCost[]): string {
  if (costs.length === 0) return '  (no calls)\n';
  const head = ['call site', 'calls', 'insns', 'direct', 'indirect', 'of which calls', 'returns', 'loads', 'stores', 'reached'];
  const rows = costs.map((c) => [
    `${c.runner}: ${c.entry}${c.key ? ` (${c.key})` : ''}`, String(c.calls), String(c.instructions), String(c.directBranches),
    String(c.indirectBranches), String(c.branchCalls), String(c.returns), String(c.loads), String(c.stores), c.reached.join(', ') || '-',
  ]);
  return table(head, rows);
}

export function formatUpdateCosts(costs: readonly UpdateCost[]): string {
  if (costs.length === 0) return '  (no updates)\n';
  const head = ['update', 'stores', 'bytes', 'sync_core', 'IPIs', 'maintenance', 'rcu', 'rcu_tasks', 'stop_machine', 'CPUs stopped', 'patch states', 'int3 pokes'];
  const rows = costs.map((c) => [
    c.label, c.stores, c.storeBytes, c.syncCores, c.ipis, c.maintenance, c.synchronizeRcu, c.synchronizeRcuTasks,
    c.stopMachine, c.cpusStopped, c.patchStates, c.breakpointPokes,
  ].map(String));
  return table(head, rows);
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: readonly string[]) => '  ' + r.map((v, i) => (i === 0 || i === r.length - 1 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}
