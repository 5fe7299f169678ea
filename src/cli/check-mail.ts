// `check --format mail`: the report as a reviewer pastes it into a mailing-list reply. At most 80 columns, one
// step per row (not a column per CPU), addresses named as objdump names them (`tramp+0x4`), the scenario line
// each patcher statement came from, and runs of steps that change nothing folded into one row.

import type { TraceStep } from '../verify/world-model.js';
import { symbolAt } from '../verify/world-model.js';
import { formatBounds, formatCallDone, formatKnobs, formatViolation, sourceLine } from '../verify/world-report.js';
import type { WorldSpec } from '../kernel/spec.js';
import { expectedLine, replayArgs, verdictLine, type ReportInput } from './check-report.js';

export const MAIL_WIDTH = 80;

/** A folded run of more steps than this lists its first ones and a count (a long spin says little more). */
const FOLD_LISTED = 32;

export function reportMail(r: ReportInput): string {
  const annotate = (text: string) => withSymbols(text, r.spec);
  const out: string[] = [];
  out.push(...wrap(annotate(verdictLine(r)), MAIL_WIDTH, '    '));
  const head = (label: string, text: string) => out.push(...wrap(`${label.padEnd(9)}${text}`, MAIL_WIDTH, ' '.repeat(9)));
  head('scenario', `${r.name} (${r.file}, ${r.spec.arch})`);
  head('bounds', formatBounds(r.spec.bounds, r.spec));
  head('knobs', formatKnobs(r.spec.knobs));
  head('expected', expectedLine(r));
  if (r.result) head('searched', `${r.result.stats.states} states, depth ${r.result.stats.maxDepth}`);
  if (r.steps.length > 0 || r.violation) {
    const loop = r.loop;
    const steps = loop ? [...r.steps, ...loop.steps] : r.steps;
    const marks = new Map<number, string>();
    if (loop) {
      const from = r.steps.length, at = from + loop.lead.length, end = at + loop.cycle.length;
      if (loop.lead.length > 0) marks.set(from, '-- from here no execution can finish; on to the loop:');
      marks.set(at, `-- loop: steps ${at + 1}-${end} come back to the state before step ${at + 1}, forever:`);
    }
    const count = loop ? `${r.steps.length} steps, then ${loop.lead.length + loop.cycle.length} to and around the loop` : `${r.steps.length} steps`;
    const p = r.spec.patchers;
    const who = p.length === 1 ? 'CPU 0 is the patcher' : p.map((x, i) => `CPU ${i} is patcher ${x.name}`).join(', ');
    out.push('', ...wrap(`trace (${count}; ${who}):`, MAIL_WIDTH, '    '), '');
    out.push(...traceRows(steps, r.spec, marks));
    if (r.violation) out.push('', ...wrap(annotate(`violation: ${formatViolation(r.violation)}`), MAIL_WIDTH, '    '));
    out.push('', ...shellLines(['patchlab', ...replayArgs(r)], MAIL_WIDTH));
  }
  return out.join('\n') + '\n';
}

interface Row {
  readonly label: string;
  readonly cpu: number;
  readonly lines: readonly string[];
}

/** A step that changes nothing a reader looks for: one instruction that saw one value and finished no call. */
function plain(s: TraceStep): boolean {
  return s.kind === 'step' && s.insn !== undefined && !s.fetch && !s.callDone;
}

function traceRows(steps: readonly TraceStep[], spec: WorldSpec, marks: ReadonlyMap<number, string>): string[] {
  const rows: (Row | string)[] = [];
  let lastSource: string | undefined;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    const mark = marks.get(s.index);
    if (mark !== undefined) rows.push(mark);
    // Fold a run of plain steps of one runner; the last step of the trace (where the violation shows) stays its own.
    let j = i;
    while (plain(s) && j + 1 < steps.length - 1 && plain(steps[j + 1]) && steps[j + 1].column === s.column && steps[j + 1].who === s.who && !marks.has(steps[j + 1].index)) j++;
    if (j > i) {
      rows.push({ label: `${i + 1}-${j + 1}`, cpu: s.column, lines: [foldedLine(steps.slice(i, j + 1), spec)] });
      i = j;
      continue;
    }
    const key = s.source ? `${s.source.file}:${s.source.line}:${s.source.col}` : undefined;
    const newStatement = s.kind === 'patcher' && key !== undefined && key !== lastSource;
    if (s.kind === 'patcher' && key !== undefined) lastSource = key;
    rows.push({ label: String(i + 1), cpu: s.column, lines: mailLines(s, spec, newStatement) });
  }
  // A violation in the initial state has no steps: no rows, and the widths must not be Math.max() = -Infinity.
  const labelWidth = Math.max(0, ...rows.map((r) => (typeof r === 'string' ? 0 : r.label.length)));
  const cpuWidth = Math.max(0, ...rows.map((r) => (typeof r === 'string' ? 0 : `cpu${r.cpu}`.length)));
  const indent = ' '.repeat(labelWidth + 1 + cpuWidth + 2);
  const out: string[] = [];
  for (const r of rows) {
    if (typeof r === 'string') {
      out.push(...wrap(r, MAIL_WIDTH, '   '));
      continue;
    }
    const prefix = `${r.label.padStart(labelWidth)} ${`cpu${r.cpu}`.padEnd(cpuWidth)}  `;
    r.lines.forEach((l, k) => {
      const lead = l.match(/^ */)![0];
      out.push(...wrap((k === 0 ? prefix : indent) + l, MAIL_WIDTH, indent + lead + '  '));
    });
  }
  return out;
}

const where = (address: string, symbol: string | undefined) => symbol ?? address;

function mailLines(s: TraceStep, spec: WorldSpec, newStatement: boolean): string[] {
  const annotate = (text: string) => withSymbols(text, spec);
  const lines: string[] = [];
  if (s.kind === 'step') {
    const i = s.insn;
    lines.push(i ? `${s.who} ${where(i.pc, i.symbol)}: ${annotate(i.text)}` : `${s.who} ${s.text}`);
    if (s.fetch) {
      const shown = s.fetch.options.map((o, k) => (k === s.fetch!.chosen ? `[${o}]` : o)).join(' | ');
      lines.push(`  fetch saw ${s.fetch.chosen + 1} of ${s.fetch.options.length}: ${shown}`);
    }
  } else if (s.kind === 'patcher') {
    lines.push(annotate(s.patcherStep && s.patcherStep !== s.text ? `${s.text} (${s.patcherStep})` : s.text));
    if (newStatement && s.source) lines.push(`  ${sourceLine(s.source)}`);
    const st = s.store;
    if (st) {
      const at = where(st.address, st.symbol);
      const b = st.beforeInsn ? `${st.before} (${annotate(st.beforeInsn)})` : st.before;
      const a = st.afterInsn ? `${st.after} (${annotate(st.afterInsn)})` : st.after;
      // A store of the bytes already there changes nothing: one line, not two.
      if (st.before === st.after) lines.push(`  ${at}: ${st.before} (unchanged)`);
      else lines.push(`  ${at}: ${b}`, `    -> ${a}`);
    }
  } else lines.push(annotate(`${s.who}: ${s.text}`));
  if (s.callDone) lines.push(`  ${formatCallDone(s.callDone)}`);
  return lines;
}

/** `T1 2 instructions, tramp+0x4 to tramp+0x8: nop; nop`. */
function foldedLine(run: readonly TraceStep[], spec: WorldSpec): string {
  const first = run[0].insn!, last = run[run.length - 1].insn!;
  const listed = run.slice(0, FOLD_LISTED).map((s) => withSymbols(s.insn!.text, spec).replace(/\s{2,}/g, ' '));
  const more = run.length > FOLD_LISTED ? `; … (${run.length - FOLD_LISTED} more)` : '';
  return `${run[0].who} ${run.length} instructions, ${where(first.pc, first.symbol)} to ${where(last.pc, last.symbol)}: ${listed.join('; ')}${more}`;
}

/** Every `0x…` address in a text that names a code object or symbol, followed by it: `call 0x10000 <native_lock>`. */
export function withSymbols(text: string, spec: WorldSpec): string {
  // `$0x10` (x86) and `#0x10` (arm64) are immediates, not addresses.
  return text.replace(/(?<![$#\w])0x[0-9a-f]+\b(?! <)/g, (hex) => {
    const sym = symbolAt(spec, BigInt(hex));
    return sym !== undefined ? `${hex} <${sym}>` : hex;
  });
}

/**
 * Break a line at spaces to at most `width` columns, continuing with `indent`; a word longer than the room is
 * cut. Between alternatives (`… | …`: the values a fetch saw) first, so that no value is split.
 */
export function wrap(line: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let rest = line;
  while ([...rest].length > width) {
    const chars = [...rest];
    const room = chars.slice(0, width + 1).join('');
    const bar = room.lastIndexOf(' | ');
    let cut = bar > indent.length ? bar + 2 : room.lastIndexOf(' ');
    if (cut <= indent.length || rest.slice(0, cut).trim() === '') cut = chars.slice(0, width).join('').length;
    out.push(rest.slice(0, cut).trimEnd());
    rest = indent + rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}

/**
 * A command as shell lines of at most `width` columns: words joined by ` \` continuations, and a word too long
 * for a line (a long list of action indices) cut after a comma, its continuation at column 0 (a `\` newline
 * inside a word joins the two halves only when the next line does not start with a blank).
 */
export function shellLines(words: readonly string[], width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of words) {
    const sep = line === '' ? '' : line.trim() === '' ? '' : ' ';
    if (line.length + sep.length + w.length <= width - 2) {
      line += sep + w;
      continue;
    }
    if (line.trim() !== '') {
      out.push(line + ' \\');
      line = '    ';
    }
    let word = w;
    while (line.length + word.length > width - 2) {
      const room = width - 2 - line.length;
      let cut = word.lastIndexOf(',', room - 1) + 1;
      if (cut <= 0) cut = Math.max(1, room);
      out.push(line + word.slice(0, cut) + '\\');
      line = '';
      word = word.slice(cut);
    }
    line += word;
  }
  out.push(line);
  return out;
}
