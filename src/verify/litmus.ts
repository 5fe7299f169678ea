// herd7-style AArch64 litmus tests on patchlab's machine (`patchlab litmus`): parse a test in the
// catalogue's syntax, assemble its threads, explore every interleaving and every fetch choice (states
// merged by fingerprint), and count the final states that satisfy the condition, as herd7 does.
//
// 1. `parseLitmus`: the header (`AArch64 NAME`, then `CacheType=IDC|DIC …` and other info lines), the
//    initial state `{ 0:X1=P1:L0; [x]=1; … }`, the thread table (`P0 | P1 ;` and a row per instruction,
//    `L0:` labels), and the condition (`exists`, `~exists` or `forall`, atoms `T:Xn=v` and `[loc]=v`
//    joined by `/\`, `\/`, `~` and parentheses). Problems are diagnostics at the test's line and column.
// 2. `runLitmus`: each thread is assembled at its own labels (`P1:L0` names thread 1's `L0`), locations
//    are 8-byte data words, every thread's CPU starts at its code with the registers set; a thread ends
//    when it runs past its last instruction. Depth first over distinct states; a final state counts as
//    positive when the condition's body holds in it.
// The machine is the arm64 model of docs/model.md section 3, under strictFetch (herd7's `-variant ifetch`)
// and the knobs the test's CacheType names.

import { makeDiagnostic, type Diagnostic } from '../base/diagnostics.js';
import { assemble } from '../isa/asm/assembler.js';
import { link } from '../isa/asm/link.js';
import type { ArchMachine } from '../machine/arch.js';
import { arm64Machine } from '../machine/arm64/index.js';
import { newCpu } from '../machine/cpu.js';
import { DEFAULT_KNOBS, type FetchKnobs } from '../machine/fetch.js';
import { FetchWindows } from '../machine/fetch-window.js';
import { defaultLayout } from '../machine/load.js';
import { Memory } from '../machine/memory.js';
import { fetchOptions, fingerprintSmp, initialSmp, stepCpu, type SmpState } from '../machine/step.js';

const NOP = 0xd503201fn;
const arch = arm64Machine as unknown as ArchMachine;
/** A thread that has not ended after this many steps of one execution is reported (a loop herd7 would unroll). */
const MAX_DEPTH = 400;

interface Cell {
  readonly text: string;
  readonly line: number;
  readonly col: number;
}

export interface Litmus {
  readonly file: string;
  readonly name: string;
  /** `CacheType=` of the header: the knobs it sets. */
  readonly cacheType: string;
  readonly init: readonly Cell[];
  /** Per thread, its cells in order. */
  readonly threads: readonly (readonly Cell[])[];
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
  if (!head || head[2] !== 'AArch64') return bad(i + 1, 1, 'the first line must be `AArch64 NAME`');
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
  const header = (lines[r] ?? '').replace(/;\s*$/, '').split('|').map((s) => s.trim());
  if (!header.every((h, t) => h === `P${t}`)) return bad(r + 1, 1, 'expected the thread header `P0 | P1 | … ;`');
  const threads: Cell[][] = header.map(() => []);
  for (r++; r < lines.length; r++) {
    const l = lines[r];
    if (l.trim() === '') continue;
    if (/^\s*(~?exists|forall|locations|filter)\b/.test(l)) break;
    if (!/;\s*$/.test(l)) return bad(r + 1, l.length + 1, 'a row of the thread table ends with `;`');
    let col = 0;
    const cells = l.replace(/;\s*$/, '').split('|');
    if (cells.length > threads.length) return bad(r + 1, 1, `${cells.length} columns, but the header names ${threads.length} threads`);
    cells.forEach((cell, t) => {
      const lead = cell.length - cell.trimStart().length;
      if (cell.trim()) threads[t].push({ text: cell.trim(), line: r + 1, col: col + lead + 1 });
      col += cell.length + 1;
    });
  }
  while (r < lines.length && /^\s*locations\b/.test(lines[r])) r++;
  const rest = lines.slice(r).join(' ').trim();
  const q = /^(~exists|exists|forall)\s*([\s\S]*)$/.exec(rest);
  if (!q) return bad(Math.min(r + 1, lines.length), 1, 'expected the condition: `exists (…)`, `~exists (…)` or `forall (…)`');
  const col = (lines[r] ?? '').indexOf(q[1]) + q[1].length + 2;
  return { ok: true, test: { file, name, cacheType, init, threads, quantifier: q[1] as Litmus['quantifier'], cond: { text: q[2].trim(), line: r + 1, col } } };
}

/** The knobs a test runs under: strictFetch (herd7's model), and its CacheType (DIC implies IDC, as the catalogue's folders say). */
export function litmusKnobs(t: Litmus, base: FetchKnobs = DEFAULT_KNOBS): FetchKnobs {
  return { ...base, strictFetch: true, arm64Idc: /\b(IDC|DIC)\b/.test(t.cacheType) || base.arm64Idc, arm64Dic: /\bDIC\b/.test(t.cacheType) || base.arm64Dic };
}

export interface LitmusResult {
  readonly name: string;
  readonly quantifier: Litmus['quantifier'];
  readonly condition: string;
  /** Distinct final states, and how many satisfy the condition's body. */
  readonly states: number;
  readonly positive: number;
  readonly negative: number;
  /** Some execution fetched a word outside Arm's permitted set while its window held two values. */
  readonly unpredictable: boolean;
  /** Some execution could not go on (a fault, an unsupported step, or past the depth limit): the counts miss it. */
  readonly stuck: boolean;
  /** herd7's words: `Ok` when the condition holds as quantified. */
  readonly ok: boolean;
  readonly observation: 'Never' | 'Sometimes' | 'Always';
}

export function runLitmus(t: Litmus, knobs: FetchKnobs): { ok: true; result: LitmusResult } | { ok: false; diagnostics: Diagnostic[] } {
  // Source: each thread's code under its own labels, then one data word per location.
  const labels = t.threads.map((cells) => new Set(cells.map((c) => /^(\w+):/.exec(c.text)?.[1]).filter((l): l is string => l !== undefined)));
  const locs = new Set<string>();
  const isValue = (v: string) => /^-?(0x[0-9a-f]+|\d+)$/i.test(v) || v === 'NOP' || /^P\d+:\w+$/.test(v);
  for (const e of t.init) {
    const m = /=\s*(.+)$/.exec(e.text);
    if (m && !isValue(m[1].trim())) locs.add(m[1].trim());
    const mm = /^\[(\w+)\]/.exec(e.text);
    if (mm) locs.add(mm[1]);
  }
  for (const m of t.cond.text.matchAll(/\[(\w+)\]/g)) locs.add(m[1]);
  const src: string[] = ['\t.text'];
  const origin: Cell[] = [{ text: '', line: 1, col: 1 }];
  t.threads.forEach((cells, i) => {
    src.push(`t${i}__start:`);
    origin.push(cells[0] ?? origin[0]);
    for (const c of cells) {
      let text = c.text;
      const m = /^(\w+):\s*(.*)$/.exec(text);
      if (m) { src.push(`t${i}_${m[1].toLowerCase()}:`); origin.push(c); text = m[2]; }
      if (!text) continue;
      src.push('\t' + text.replace(/\b\w+\b/g, (w) => (labels[i].has(w) ? `t${i}_${w.toLowerCase()}` : w.toLowerCase())));
      origin.push(c);
    }
    src.push(`t${i}__done:`, '\tb .');
    origin.push(origin[origin.length - 1], origin[origin.length - 1]);
  });
  src.push('\t.data', '\t.p2align 4');
  for (const l of locs) { src.push(`loc_${l}: .quad 0`); origin.push(origin[0]); }
  const asm = assemble(src.join('\n') + '\n', arm64Machine.isa, t.file);
  if (asm.diagnostics.length > 0) {
    // Back to the test's own line and column: the generated line came from one cell.
    return { ok: false, diagnostics: asm.diagnostics.map((d) => { const c = origin[d.span.line - 1] ?? origin[0]; return makeDiagnostic('PL1161', { file: t.file, line: c.line, col: c.col }, c.text, d.message); }) };
  }
  const { image, errors } = link(asm.object, arm64Machine.isa, defaultLayout(asm.object));
  if (errors.length > 0) return { ok: false, diagnostics: errors.map((e) => makeDiagnostic('PL1161', { file: t.file, line: 1, col: 1 }, t.name, e.message)) };
  const sym = (s: string) => image.symbols.get(s);
  const text = image.sections.find((s) => s.flags.includes('x'))!;
  const data = image.sections.find((s) => s.flags.includes('w'));
  const dataBase = data ? Number(data.address) : 0;
  const regions = [{ name: '.text', kind: 'text' as const, base: Number(text.address), size: 0x1000, phys: 0, perms: { read: true, write: true, exec: true } }];
  if (data) regions.push({ name: '.data', kind: 'data' as never, base: dataBase, size: 0x1000, phys: 0x1000, perms: { read: true, write: true, exec: false } });
  const memory = Memory.create(regions, 0x2000);
  memory.writePhys(0, text.bytes);
  if (data) memory.writePhys(0x1000, data.bytes);
  const cpus = t.threads.map((_, i) => newCpu(33, sym(`t${i}__start`)!));
  const resolve = (v: string): bigint | undefined => {
    v = v.trim();
    if (v === 'NOP') return NOP;
    if (/^-?(0x[0-9a-f]+|\d+)$/i.test(v)) return BigInt.asUintN(64, BigInt(v));
    const m = /^P(\d+):(\w+)$/.exec(v);
    return m ? sym(`t${m[1]}_${m[2].toLowerCase()}`) : sym(`loc_${v}`);
  };
  for (const e of t.init) {
    const reg = /^(\d+):[XW](\d+)\s*=\s*(.+)$/.exec(e.text);
    const loc = /^\[(\w+)\]\s*=\s*(.+)$/.exec(e.text);
    const v = resolve((reg ?? loc)?.[reg ? 3 : 2] ?? '');
    if ((!reg && !loc) || v === undefined || (reg && (Number(reg[1]) >= cpus.length || Number(reg[2]) > 30))) {
      return { ok: false, diagnostics: [makeDiagnostic('PL1162', { file: t.file, line: e.line, col: e.col }, e.text)] };
    }
    if (reg) cpus[Number(reg[1])].regs[Number(reg[2])] = v;
    else memory.writePhys(Number(sym(`loc_${loc![1]}`)!) - dataBase + 0x1000, Uint8Array.from({ length: 8 }, (_, b) => Number((v >> BigInt(8 * b)) & 0xffn)));
  }
  const cond = parseCondition(t.cond.text);
  if (typeof cond === 'string') return { ok: false, diagnostics: [makeDiagnostic('PL1163', { file: t.file, line: t.cond.line, col: t.cond.col }, cond)] };
  const atomValue = (a: Atom, s: SmpState): boolean => {
    const want = resolve(a.value);
    if (want === undefined) return false;
    if (a.kind === 'reg') return a.thread < cpus.length && BigInt.asUintN(32, s.machine.cpus[a.thread].regs[a.reg]) === BigInt.asUintN(32, want);
    const addr = sym(`loc_${a.loc}`);
    if (addr === undefined) return false;
    const b = s.machine.memory.readPhysBytes(Number(addr) - dataBase + 0x1000, 4);
    return (BigInt(b[0] | (b[1] << 8) | (b[2] << 16)) | (BigInt(b[3]) << 24n)) === BigInt.asUintN(32, want);
  };
  const ends = cpus.map((_, i) => sym(`t${i}__done`)!);
  const s0 = initialSmp({ memory, windows: FetchWindows.create(4, t.threads.length), cpus });
  const seen = new Set<string>();
  const finals = new Set<string>();
  let positive = 0, negative = 0, unpredictable = false, stuck = false;
  const stack: [SmpState, number][] = [[s0, 0]];
  while (stack.length > 0) {
    const [s, depth] = stack.pop()!;
    const key = fingerprintSmp(s).digest().toString();
    if (seen.has(key)) continue;
    seen.add(key);
    const live = s.machine.cpus.map((c, i) => c.pc !== ends[i]);
    if (!live.some(Boolean)) {
      finals.add(key);
      if (evalCondition(cond, (a) => atomValue(a, s))) positive++;
      else negative++;
      continue;
    }
    if (depth > MAX_DEPTH) { stuck = true; continue; }
    for (let i = 0; i < cpus.length; i++) {
      if (!live[i]) continue;
      const f = fetchOptions(s, arch, i, knobs);
      if (f.kind === 'unpredictable') { unpredictable = true; continue; }
      if (f.kind !== 'ok') { stuck = true; continue; }
      for (let c = 0; c < f.options.length; c++) {
        const r = stepCpu(s, arch, i, c, knobs);
        const out = r.event.kind === 'executed' ? r.event.outcome.kind : undefined;
        if (out !== 'next' && out !== 'sync' && out !== 'barrier' && out !== 'cache') { stuck = true; continue; }
        stack.push([r.state, depth + 1]);
      }
    }
  }
  const ok = t.quantifier === 'exists' ? positive > 0 : t.quantifier === '~exists' ? positive === 0 : negative === 0;
  const observation = positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes';
  return { ok: true, result: { name: t.name, quantifier: t.quantifier, condition: t.cond.text, states: finals.size, positive, negative, unpredictable, stuck, ok, observation } };
}

type Atom = { readonly kind: 'reg'; readonly thread: number; readonly reg: number; readonly value: string } | { readonly kind: 'loc'; readonly loc: string; readonly value: string };
type Cond = { readonly op: 'atom'; readonly atom: Atom } | { readonly op: 'not'; readonly arg: Cond } | { readonly op: 'and' | 'or'; readonly left: Cond; readonly right: Cond } | { readonly op: 'true' };

/** The condition's body as a tree, or why it is not one. */
function parseCondition(text: string): Cond | string {
  const toks = text.replace(/\/\\/g, ' & ').replace(/\\\//g, ' | ').replace(/[()~]/g, (m) => ` ${m} `).split(/\s+/).filter(Boolean);
  let p = 0;
  const primary = (): Cond | string => {
    const t = toks[p++];
    if (t === undefined) return 'the condition ends early';
    if (t === '(') {
      const v = or();
      if (typeof v === 'string') return v;
      if (toks[p++] !== ')') return 'a `(` is not closed';
      return v;
    }
    if (t === '~') { const a = primary(); return typeof a === 'string' ? a : { op: 'not', arg: a }; }
    if (t === 'true') return { op: 'true' };
    const reg = /^(\d+):[XW](\d+)=(.+)$/.exec(t);
    if (reg) return { op: 'atom', atom: { kind: 'reg', thread: Number(reg[1]), reg: Number(reg[2]), value: reg[3] } };
    const loc = /^\[(\w+)\]=(.+)$/.exec(t);
    if (loc) return { op: 'atom', atom: { kind: 'loc', loc: loc[1], value: loc[2] } };
    return `\`${t}\` is not a condition atom (T:Xn=v or [loc]=v)`;
  };
  const chain = (next: () => Cond | string, sym: '&' | '|', op: 'and' | 'or') => (): Cond | string => {
    let v = next();
    while (typeof v !== 'string' && toks[p] === sym) {
      p++;
      const r = next();
      if (typeof r === 'string') return r;
      v = { op, left: v, right: r };
    }
    return v;
  };
  const and = chain(primary, '&', 'and');
  const or = chain(and, '|', 'or');
  const v = or();
  if (typeof v !== 'string' && p < toks.length) return `unexpected \`${toks[p]}\``;
  return v;
}

function evalCondition(c: Cond, atom: (a: Atom) => boolean): boolean {
  switch (c.op) {
    case 'true': return true;
    case 'atom': return atom(c.atom);
    case 'not': return !evalCondition(c.arg, atom);
    case 'and': return evalCondition(c.left, atom) && evalCondition(c.right, atom);
    case 'or': return evalCondition(c.left, atom) || evalCondition(c.right, atom);
  }
}

/** herd7's words for one result. */
export function formatLitmus(r: LitmusResult, knobs: string): string {
  const verdict = r.quantifier === 'forall' ? (r.ok ? 'Required' : 'Allowed') : r.positive > 0 ? 'Allowed' : 'Forbidden';
  const out = [
    `Test ${r.name} ${verdict}`,
    `States ${r.states}`,
    r.ok ? 'Ok' : 'No',
    'Witnesses',
    `Positive: ${r.positive} Negative: ${r.negative}`,
    `Condition ${r.quantifier} ${r.condition}`,
    `Observation ${r.name} ${r.observation} ${r.positive} ${r.negative}`,
  ];
  if (r.unpredictable) out.push('Unpredictable: some execution fetched, while its window held two values, a word outside Arm\'s permitted set (CONSTRAINED UNPREDICTABLE; not counted)');
  if (r.stuck) out.push('Incomplete: some execution could not go on (a fault, an unsupported step, or a loop past the depth limit): not counted');
  out.push(`Knobs ${knobs}`);
  return out.join('\n') + '\n';
}
