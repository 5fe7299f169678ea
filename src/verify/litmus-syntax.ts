// The litmus reader's first pass: a herd7-style test's header, initial state, thread table and condition as
// cells with their line and column (`parseLitmus`), and the arches a test may name (`AArch64`, `RISCV`).
//
// The header is `AArch64 NAME` (or `RISCV NAME`), then `CacheType=IDC|DIC …` and other info lines; the
// initial state `{ 0:X1=P1:L0; [x]=1; … }`; the thread table (`P0 | P1 ;` and a row per instruction, `L0:`
// labels); the condition (`exists`, `~exists` or `forall`, its body kept as text for litmus-values.ts;
// none at all is herd7's `forall (true)`).
// A column `P1.F` is thread 1's fault handler. Problems are diagnostics at the test's line and column.

import { makeDiagnostic, type Diagnostic } from '../base/diagnostics.js';
import type { ArchMachine } from '../machine/arch.js';
import { arm64Machine } from '../machine/arm64/index.js';
import { riscv64Machine } from '../machine/riscv64/index.js';

/** What a test's arch decides: its header word, its machine, its register names, how a thread halts. */
export interface LitmusArch {
  readonly header: 'AArch64' | 'RISCV';
  readonly machine: ArchMachine;
  /** The register file index of `name` (`X5`/`W5` on AArch64; `t0`, `a1`, `x5` on RISC-V), or undefined. */
  register(name: string): number | undefined;
  /** Source before the threads, and the instruction a finished thread spins on. */
  readonly prelude: readonly string[];
  readonly halt: string;
}

export const AARCH64: LitmusArch = {
  header: 'AArch64',
  machine: arm64Machine as unknown as ArchMachine,
  register: (name) => {
    const m = /^[XW](\d+)$/i.exec(name);
    return m && Number(m[1]) <= 30 ? Number(m[1]) : undefined;
  },
  prelude: [],
  halt: 'b .',
};

const RISCV_NAMES = riscv64Machine.registers.names;
const RISCV: LitmusArch = {
  header: 'RISCV',
  machine: riscv64Machine as unknown as ArchMachine,
  register: (name) => {
    const lower = name.toLowerCase();
    const x = /^x(\d+)$/.exec(lower);
    if (x) return Number(x[1]) <= 31 ? Number(x[1]) : undefined;
    const i = RISCV_NAMES.indexOf(lower === 'fp' ? 's0' : lower);
    return i >= 0 && i < 32 ? i : undefined;
  },
  // The suite's instructions are 4-byte words (a test overwrites one with another): no compressed forms.
  prelude: ['\t.option norvc'],
  halt: 'j .',
};

const ARCHES: readonly LitmusArch[] = [AARCH64, RISCV];

export interface Cell {
  readonly text: string;
  readonly line: number;
  readonly col: number;
}

export interface Litmus {
  readonly file: string;
  readonly name: string;
  /** From the header word: `AArch64` or `RISCV`. */
  readonly arch: LitmusArch;
  /** `CacheType=` of the header: the knobs it sets. */
  readonly cacheType: string;
  readonly init: readonly Cell[];
  /** Per thread, its cells in order. */
  readonly threads: readonly (readonly Cell[])[];
  /** Per thread, its fault handler's cells (a `P1.F` column), or undefined: herd7 runs it on a fault of the thread. */
  readonly handlers: readonly (readonly Cell[] | undefined)[];
  readonly quantifier: 'exists' | '~exists' | 'forall';
  /** The condition's body, without the quantifier. */
  readonly cond: Cell;
}

/** Blank out `(* … *)` comments, keeping line and column positions. */
function stripComments(text: string): string {
  return text.replace(/\(\*[\s\S]*?\*\)/g, (c) => c.replace(/[^\n]/g, ' '));
}

export function parseLitmus(text: string, file: string): { ok: true; test: Litmus } | { ok: false; diagnostics: Diagnostic[] } {
  const lines = stripComments(text).split(/\r?\n/);
  const bad = (line: number, col: number, why: string) => ({ ok: false as const, diagnostics: [makeDiagnostic('PL1160', { file, line, col }, why)] });
  let i = lines.findIndex((l) => l.trim() !== '');
  if (i < 0) return bad(1, 1, 'the file is empty');
  const head = /^(\s*)(\S+)\s+(\S+)/.exec(lines[i]);
  const arch = ARCHES.find((a) => a.header === head?.[2]);
  if (!head || !arch) return bad(i + 1, 1, 'the first line must be `AArch64 NAME` or `RISCV NAME`');
  const name = head[3];
  let cacheType = '';
  // Info lines up to the initial state.
  for (i++; i < lines.length && !lines[i].includes('{'); i++) {
    const ct = /^\s*CacheType\s*=\s*(.*)$/.exec(lines[i]);
    if (ct) cacheType = ct[1].trim();
  }
  if (i >= lines.length) return bad(lines.length, 1, 'no initial state `{ … }`');
  // The initial state, possibly over several lines.
  const init: Cell[] = [];
  let buf = '', at = { line: i + 1, col: lines[i].indexOf('{') + 2 };
  let j = i, k = lines[i].indexOf('{') + 1;
  for (; j < lines.length; j++, k = 0) {
    const l = lines[j];
    let end = false;
    for (; k < l.length; k++) {
      const c = l[k];
      if (c === '}') { end = true; break; }
      if (c === ';') {
        if (buf.trim()) init.push({ text: buf.trim(), ...at });
        buf = '';
        at = { line: j + 1, col: k + 2 };
        continue;
      }
      if (buf.trim() === '' && c.trim() !== '') at = { line: j + 1, col: k + 1 };
      buf += c;
    }
    if (end) break;
    buf += ' ';
  }
  if (j >= lines.length) return bad(i + 1, 1, 'the initial state `{` is not closed by `}`');
  if (buf.trim()) init.push({ text: buf.trim(), ...at });
  // The thread table, then the condition.
  let r = j + 1;
  while (r < lines.length && lines[r].trim() === '') r++;
  const table = readTable(lines, r, arch, file);
  if (!table.ok) return table;
  const { threads, handlers } = table;
  r = table.next;
  while (r < lines.length && /^\s*locations\b/.test(lines[r])) r++;
  // The condition, possibly over several lines: its body keeps its newlines so that a problem in it has its own line and column.
  const rest = lines.slice(r).join('\n');
  // No condition at all (only `locations`): herd7 reads `forall (true)`, so the verdict says whether every execution ends.
  if (rest.trim() === '') return { ok: true, test: { file, name, arch, cacheType, init, threads, handlers, quantifier: 'forall', cond: { text: 'true', line: lines.length, col: 1 } } };
  const q = /^(\s*)(~exists|exists|forall)(\s*)([\s\S]*?)\s*$/.exec(rest);
  if (!q) return bad(Math.min(r + 1, lines.length), 1, 'expected the condition: `exists (…)`, `~exists (…)` or `forall (…)`');
  const condAt = lineCol(rest, q[1].length + q[2].length + q[3].length, r + 1, 1);
  return { ok: true, test: { file, name, arch, cacheType, init, threads, handlers, quantifier: q[2] as Litmus['quantifier'], cond: { text: q[4], ...condAt } } };
}

/**
 * The thread table from its header line `lines[r]`: a column per thread `P0 | P1 | …` in order, and a column
 * `Pn.F` for thread n's fault handler (anywhere after the threads' own, at most one per thread, AArch64 only:
 * its `ERET` returns through ELR_EL1). Each row ends with `;`; the table ends at the condition or `locations`.
 */
function readTable(lines: readonly string[], r: number, arch: LitmusArch, file: string):
  | { ok: true; threads: Cell[][]; handlers: (Cell[] | undefined)[]; next: number }
  | { ok: false; diagnostics: Diagnostic[] } {
  const bad = (line: number, col: number, why: string) => ({ ok: false as const, diagnostics: [makeDiagnostic('PL1160', { file, line, col }, why)] });
  const headerLine = lines[r] ?? '';
  const header = headerLine.replace(/;\s*$/, '').split('|').map((h) => h.trim());
  const count = header.findIndex((h) => !/^P\d+$/.test(h));
  const nThreads = count < 0 ? header.length : count;
  if (nThreads === 0 || !header.slice(0, nThreads).every((h, t) => h === `P${t}`)) return bad(r + 1, 1, 'expected the thread header `P0 | P1 | … ;`');
  // Each column: a thread's code, or a thread's fault handler.
  const threads: Cell[][] = header.slice(0, nThreads).map(() => []);
  const handlers: (Cell[] | undefined)[] = threads.map(() => undefined);
  const columns: Cell[][] = [...threads];
  for (let c = nThreads; c < header.length; c++) {
    const col = headerLine.split('|').slice(0, c).reduce((n, x) => n + x.length + 1, 0) + headerLine.split('|')[c].search(/\S/) + 1;
    const refuse = (why: string) => ({ ok: false as const, diagnostics: [makeDiagnostic('PL1170', { file, line: r + 1, col }, header[c], why)] });
    const h = /^P(\d+)\.F$/.exec(header[c]);
    if (!h) return bad(r + 1, col, `\`${header[c]}\` is neither a thread (\`P${nThreads}\` would be the next) nor a fault handler (\`P0.F\`)`);
    const t = Number(h[1]);
    if (t >= nThreads) return refuse(`the table has no thread ${t}`);
    if (handlers[t]) return refuse(`thread ${t} already has one`);
    if (arch.header !== 'AArch64') return refuse('fault handlers are taken in AArch64 tests only (ERET returns through ELR_EL1)');
    columns.push((handlers[t] = []));
  }
  for (r++; r < lines.length; r++) {
    const l = lines[r];
    if (l.trim() === '') continue;
    if (/^\s*(~?exists|forall|locations|filter)\b/.test(l)) break;
    if (!/;\s*$/.test(l)) return bad(r + 1, l.length + 1, 'a row of the thread table ends with `;`');
    let col = 0;
    const cells = l.replace(/;\s*$/, '').split('|');
    if (cells.length > columns.length) return bad(r + 1, 1, `${cells.length} columns, but the header names ${columns.length}`);
    cells.forEach((cell, t) => {
      const lead = cell.length - cell.trimStart().length;
      if (cell.trim()) columns[t].push({ text: cell.trim(), line: r + 1, col: col + lead + 1 });
      col += cell.length + 1;
    });
  }
  return { ok: true, threads, handlers, next: r };
}

/** The line and column of `offset` in `text`, which starts at `line`:`col`. */
export function lineCol(text: string, offset: number, line: number, col: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  if (nl < 0) return { line, col: col + offset };
  return { line: line + before.split('\n').length - 1, col: offset - nl };
}
