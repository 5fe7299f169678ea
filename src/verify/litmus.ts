// herd7-style AArch64 litmus tests on patchlab's machine (`patchlab litmus`): parse a test in the
// catalogue's syntax, assemble its threads, explore every interleaving and every fetch choice (states
// merged by fingerprint), and count the final states that satisfy the condition, as herd7 does.
//
// 1. `parseLitmus`: the header (`AArch64 NAME`, then `CacheType=IDC|DIC …` and other info lines), the
//    initial state `{ 0:X1=P1:L0; [x]=1; … }`, the thread table (`P0 | P1 ;` and a row per instruction,
//    `L0:` labels), and the condition (`exists`, `~exists` or `forall`, atoms `T:Xn=v`, `[x]=v` and `x=v`
//    joined by `/\`, `\/`, `~` and parentheses). Problems are diagnostics at the test's line and column. A
//    fault handler's column (`P1.F`) is refused (PL1164): patchlab has no exception entry to run it with.
// 2. `runLitmus`: the initial state's entries, each optionally typed (`ins_t *z`, `void *1:X1`, `int x=1`:
//    the type says only what the register or location holds; without `=` it holds 0), set a register or a
//    location to a value: a number, a location's address, a label (`P1:L0`, `label:"P1:L0"`) or an
//    instruction's encoding (`NOP`, `instr:"B .+12"`, assembled on its own); the condition compares with the
//    same values. A page-table entry `pte_A=(oa:phy_B)` makes A's virtual address a second name of B's
//    physical word (a location and an instruction, or two locations); other page-table forms are refused
//    (PL1166), and so is a `fault(…)` atom (PL1167): patchlab does not record faults.
//    Each thread is assembled at its own labels (`P1:L0` names thread 1's `L0`), locations are 8-byte data
//    words, every thread's CPU starts at its code with the registers set; a thread ends when it runs past
//    its last instruction. Depth first over distinct states; a final state counts as positive when the
//    condition's body holds in it.
// The machine is the arm64 model of docs/model.md section 3, under strictFetch (herd7's `-variant ifetch`)
// and the knobs the test's CacheType names. A `RISCV NAME` test runs on the riscv64 model instead (its
// threads assembled under `.option norvc`, registers by their ABI or x names), under the riscv knobs
// given (`riscv.ziccif`, `riscv.ziccid`; none: Zifencei only).

import { makeDiagnostic, type Diagnostic } from '../base/diagnostics.js';
import { assemble } from '../isa/asm/assembler.js';
import { link } from '../isa/asm/link.js';
import type { ArchMachine } from '../machine/arch.js';
import { arm64Machine } from '../machine/arm64/index.js';
import { riscv64Machine } from '../machine/riscv64/index.js';
import { newCpu } from '../machine/cpu.js';
import { DEFAULT_KNOBS, type FetchKnobs } from '../machine/fetch.js';
import { FetchWindows } from '../machine/fetch-window.js';
import { defaultLayout } from '../machine/load.js';
import { Memory, type Region } from '../machine/memory.js';
import { fetchOptions, fingerprintSmp, initialSmp, stepCpu, type SmpState } from '../machine/step.js';

/** What a test's arch decides: its header word, its machine, its register names, how a thread halts. */
interface LitmusArch {
  readonly header: 'AArch64' | 'RISCV';
  readonly machine: ArchMachine;
  /** The register file index of `name` (`X5`/`W5` on AArch64; `t0`, `a1`, `x5` on RISC-V), or undefined. */
  register(name: string): number | undefined;
  /** Source before the threads, and the instruction a finished thread spins on. */
  readonly prelude: readonly string[];
  readonly halt: string;
}

const AARCH64: LitmusArch = {
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
  /** From the header word: `AArch64` or `RISCV`. */
  readonly arch: LitmusArch;
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
  const header = (lines[r] ?? '').replace(/;\s*$/, '').split('|').map((s) => s.trim());
  // A fault handler's column (`P1.F`): herd7 runs it on a fault of thread 1 (exception entry, `ERET` back).
  const handler = header.findIndex((h) => /^P\d+\.F$/.test(h));
  if (handler >= 0) {
    const col = (lines[r] ?? '').split('|').slice(0, handler).reduce((n, c) => n + c.length + 1, 0) + ((lines[r] ?? '').split('|')[handler].search(/\S/) + 1);
    return { ok: false, diagnostics: [makeDiagnostic('PL1164', { file, line: r + 1, col }, header[handler])] };
  }
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
  // The condition, possibly over several lines: its body keeps its newlines so that a problem in it has its own line and column.
  const rest = lines.slice(r).join('\n');
  const q = /^(\s*)(~exists|exists|forall)(\s*)([\s\S]*?)\s*$/.exec(rest);
  if (!q) return bad(Math.min(r + 1, lines.length), 1, 'expected the condition: `exists (…)`, `~exists (…)` or `forall (…)`');
  const condAt = lineCol(rest, q[1].length + q[2].length + q[3].length, r + 1, 1);
  return { ok: true, test: { file, name, arch, cacheType, init, threads, quantifier: q[2] as Litmus['quantifier'], cond: { text: q[4], ...condAt } } };
}

/** The line and column of `offset` in `text`, which starts at `line`:`col`. */
function lineCol(text: string, offset: number, line: number, col: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  if (nl < 0) return { line, col: col + offset };
  return { line: line + before.split('\n').length - 1, col: offset - nl };
}

/** The knobs a test runs under: strictFetch (herd7's model), and its CacheType (DIC implies IDC, as the catalogue's folders say). */
export function litmusKnobs(t: Litmus, base: FetchKnobs = DEFAULT_KNOBS): FetchKnobs {
  if (t.arch !== AARCH64) return base;
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

/**
 * A value as herd7 writes it: a number, a location's address (`x`), a thread's label (`P1:L0`,
 * `label:"P1:L0"`), or an instruction's encoding (`NOP`, `instr:"B .+12"`).
 */
type Value =
  | { readonly kind: 'int'; readonly v: bigint }
  | { readonly kind: 'loc'; readonly name: string }
  | { readonly kind: 'label'; readonly thread: number; readonly label: string }
  | { readonly kind: 'instr'; readonly text: string };

function parseValue(s: string): Value | undefined {
  s = s.trim();
  if (/^-?(0x[0-9a-f]+|\d+)$/i.test(s)) return { kind: 'int', v: BigInt.asUintN(64, BigInt(s)) };
  if (s === 'NOP') return { kind: 'instr', text: 'nop' };
  const label = /^P(\d+):(\w+)$/.exec(s) ?? /^label:"\s*P(\d+):(\w+)\s*"$/.exec(s);
  if (label) return { kind: 'label', thread: Number(label[1]), label: label[2] };
  const instr = /^instr:"([^"]*)"$/.exec(s);
  if (instr) return { kind: 'instr', text: instr[1].trim() };
  if (/^[A-Za-z_]\w*$/.test(s)) return { kind: 'loc', name: s };
  return undefined;
}

/**
 * One entry of the initial state. A leading type (`ins_t`, `void *`, `int`, `uint64_t` …) only says what
 * the register or location holds, as in herd7; without `=` the entry declares it, holding 0. A page-table
 * entry `pte_A=(oa:phy_B)` (or `PA(B)`) maps A's virtual address onto B's physical location.
 */
type InitEntry =
  | { readonly kind: 'reg'; readonly thread: number; readonly reg: number; readonly value?: Value }
  | { readonly kind: 'loc'; readonly name: string; readonly value?: Value }
  | { readonly kind: 'pte'; readonly name: string; readonly oa?: string; readonly raw: string };

function parseInit(text: string, arch: LitmusArch): InitEntry | undefined {
  const typed = /^[A-Za-z_]\w*\s*\*+\s*(.+)$/.exec(text) ?? /^[A-Za-z_]\w*\s+([^\s=*].*)$/.exec(text);
  const body = (typed ? typed[1] : text).trim();
  const eq = body.indexOf('=');
  const target = (eq < 0 ? body : body.slice(0, eq)).trim();
  const rhs = eq < 0 ? undefined : body.slice(eq + 1).trim();
  const pte = /^pte_(\w+)$/.exec(target);
  if (pte) {
    if (rhs === undefined || typed) return undefined;
    const oa = /^\(\s*oa\s*:\s*(?:phy_(\w+)|PA\(\s*(\w+)\s*\))\s*\)$/.exec(rhs);
    return { kind: 'pte', name: pte[1], oa: oa?.[1] ?? oa?.[2], raw: rhs };
  }
  const value = rhs === undefined ? undefined : parseValue(rhs);
  if (rhs !== undefined && !value) return undefined;
  const reg = /^(\d+):([A-Za-z]\w*)$/.exec(target);
  if (reg) {
    const r = arch.register(reg[2]);
    return r === undefined ? undefined : { kind: 'reg', thread: Number(reg[1]), reg: r, value };
  }
  const loc = /^\[\s*(\w+)\s*\]$/.exec(target) ?? /^([A-Za-z_]\w*)$/.exec(target);
  return loc ? { kind: 'loc', name: loc[1], value } : undefined;
}

/** An instruction value's encoding: assembled on its own, so only `.`-relative branches (`B .+12`) name a target. */
function encodeInstr(text: string, file: string, arch: LitmusArch): bigint | string {
  const asm = assemble([...arch.prelude, '\t.text', `\t${text.toLowerCase()}`, ''].join('\n'), arch.machine.isa, file);
  if (asm.diagnostics.length > 0) return `cannot assemble \`${text}\`: ${asm.diagnostics[0].message}`;
  const sec = asm.object.sections.find((s) => s.name === '.text');
  if (!sec || sec.bytes.length !== 4) return `\`${text}\` is not one instruction`;
  if (sec.relocations.length > 0) return `\`${text}\` names a label: an instruction value has no address of its own, so only a \`.\`-relative target (\`B .+12\`) is taken`;
  return BigInt(sec.bytes[0] | (sec.bytes[1] << 8) | (sec.bytes[2] << 16)) | (BigInt(sec.bytes[3]) << 24n);
}

export function runLitmus(t: Litmus, knobs: FetchKnobs): { ok: true; result: LitmusResult } | { ok: false; diagnostics: Diagnostic[] } {
  const fail = (code: 'PL1161' | 'PL1162' | 'PL1163' | 'PL1165' | 'PL1166' | 'PL1167', at: { line: number; col: number }, ...args: string[]) =>
    ({ ok: false as const, diagnostics: [makeDiagnostic(code, { file: t.file, line: at.line, col: at.col }, ...args)] });
  // The initial state and the condition first: they name the locations.
  const init: { cell: Cell; entry: InitEntry }[] = [];
  for (const cell of t.init) {
    const entry = parseInit(cell.text, t.arch);
    if (!entry || (entry.kind === 'reg' && entry.thread >= t.threads.length)) return fail('PL1162', cell, cell.text);
    if (entry.kind === 'pte' && entry.oa === undefined) return fail('PL1166', cell, cell.text, 'only `pte_A=(oa:phy_B)` (A\'s virtual address onto B\'s physical location) is taken, without other attributes');
    init.push({ cell, entry });
  }
  const cond = parseCondition(t.cond.text, t.arch);
  if ('why' in cond) return fail(cond.code, lineCol(t.cond.text, cond.at, t.cond.line, t.cond.col), cond.why);
  const labels = t.threads.map((cells) => new Set(cells.map((c) => /^(\w+):/.exec(c.text)?.[1]).filter((l): l is string => l !== undefined)));
  const locs = new Set<string>();
  const valueLoc = (v: Value | undefined) => { if (v?.kind === 'loc') locs.add(v.name); };
  for (const { entry: e } of init) {
    if (e.kind === 'loc') locs.add(e.name);
    if (e.kind !== 'pte') valueLoc(e.value);
  }
  const condAtoms: Atom[] = [];
  (function walk(c: Cond) {
    if (c.op === 'atom') condAtoms.push(c.atom);
    else if (c.op === 'not') walk(c.arg);
    else if (c.op === 'and' || c.op === 'or') { walk(c.left); walk(c.right); }
  })(cond.cond);
  for (const a of condAtoms) { if (a.kind === 'loc') locs.add(a.loc); valueLoc(a.value); }
  // Page-table entries: which location's virtual address names another location's (or an instruction's)
  // physical word. A name that is no thread's label is a location, as herd7 declares it.
  const labelThread = (name: string) => labels.map((l, i) => (l.has(name) ? i : -1)).filter((i) => i >= 0);
  for (const { entry: e } of init) if (e.kind === 'pte') for (const n of [e.name, e.oa!]) if (labelThread(n).length === 0) locs.add(n);
  const aliasOf = new Map<string, { thread: number; label: string } | { loc: string }>();
  const aliasCell = new Map<string, Cell>();
  const initialised = new Set(init.flatMap(({ entry: e }) => (e.kind === 'loc' && e.value !== undefined ? [e.name] : [])));
  for (const { cell, entry: e } of init) {
    if (e.kind !== 'pte' || e.name === e.oa) continue; // `pte_x=(oa:phy_x)`: x's own mapping
    const a = e.name, b = e.oa!;
    const aLabel = labelThread(a), bLabel = labelThread(b);
    const why = (w: string) => fail('PL1166', cell, cell.text, w);
    for (const [n, l] of [[a, aLabel], [b, bLabel]] as const) if (l.length > 1) return why(`\`${n}\` is a label of more than one thread`);
    if (aLabel.length === 1 && bLabel.length === 1) return why('two instructions at one physical address are not modelled');
    // The location (a, unless a is the instruction) becomes another name of the other's word.
    const [loc, other, otherLabel] = aLabel.length === 0 ? [a, b, bLabel] : [b, a, aLabel];
    if (aliasOf.has(loc)) return why(`\`${loc}\` is already mapped by another entry: one alias per location is modelled`);
    if (initialised.has(loc) && (otherLabel.length === 1 || initialised.has(other))) return why(`\`${loc}\` and \`${other}\` would share one physical word but both have an initial value`);
    aliasOf.set(loc, otherLabel.length === 1 ? { thread: otherLabel[0], label: other } : { loc: other });
    aliasCell.set(loc, cell);
  }
  for (const [loc, target] of aliasOf) {
    if ('loc' in target && aliasOf.has(target.loc)) return fail('PL1166', aliasCell.get(loc)!, aliasCell.get(loc)!.text, `\`${target.loc}\` is itself mapped elsewhere: chains of aliases are not modelled`);
  }
  // Source: each thread's code under its own labels, then one data word per location that is not an alias.
  const src: string[] = [...t.arch.prelude, '\t.text'];
  const origin: Cell[] = [...t.arch.prelude.map(() => ({ text: '', line: 1, col: 1 })), { text: '', line: 1, col: 1 }];
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
    src.push(`t${i}__done:`, `\t${t.arch.halt}`);
    origin.push(origin[origin.length - 1], origin[origin.length - 1]);
  });
  src.push('\t.data', '\t.p2align 4');
  for (const l of locs) if (!aliasOf.has(l)) { src.push(`loc_${l}: .quad 0`); origin.push(origin[0]); }
  const machine = t.arch.machine;
  const asm = assemble(src.join('\n') + '\n', machine.isa, t.file);
  if (asm.diagnostics.length > 0) {
    // Back to the test's own line and column: the generated line came from one cell.
    return { ok: false, diagnostics: asm.diagnostics.map((d) => { const c = origin[d.span.line - 1] ?? origin[0]; return makeDiagnostic('PL1161', { file: t.file, line: c.line, col: c.col }, c.text, d.message); }) };
  }
  const { image, errors } = link(asm.object, machine.isa, defaultLayout(asm.object));
  if (errors.length > 0) return { ok: false, diagnostics: errors.map((e) => makeDiagnostic('PL1161', { file: t.file, line: 1, col: 1 }, t.name, e.message)) };
  const sym = (s: string) => image.symbols.get(s);
  const text = image.sections.find((s) => s.flags.includes('x'))!;
  const data = image.sections.find((s) => s.flags.includes('w'));
  const textBase = Number(text.address), dataBase = data ? Number(data.address) : 0;
  const regions: Region[] = [{ name: '.text', kind: 'text', base: textBase, size: 0x1000, phys: 0, perms: { read: true, write: true, exec: true } }];
  if (data) regions.push({ name: '.data', kind: 'data', base: dataBase, size: 0x1000, phys: 0x1000, perms: { read: true, write: true, exec: false } });
  // An aliased location: its own virtual page, onto the physical word of the instruction or location it names.
  const locAddr = new Map<string, bigint>();
  let aliasBase = (Math.max(textBase, dataBase) + 0x10000) & ~0xffff;
  for (const [loc, target] of aliasOf) {
    const va = 'loc' in target ? sym(`loc_${target.loc}`) : sym(`t${target.thread}_${target.label.toLowerCase()}`);
    const phys = 'loc' in target ? Number(va) - dataBase + 0x1000 : Number(va) - textBase;
    regions.push({ name: `alias ${loc}`, kind: 'alias', base: aliasBase + (phys & 0xfff), size: 8, phys, perms: { read: true, write: true, exec: false } });
    locAddr.set(loc, BigInt(aliasBase + (phys & 0xfff)));
    aliasBase += 0x1000;
  }
  for (const l of locs) if (!locAddr.has(l)) locAddr.set(l, sym(`loc_${l}`)!);
  const memory = Memory.create(regions, 0x2000);
  memory.writePhys(0, text.bytes);
  if (data) memory.writePhys(0x1000, data.bytes);
  const cpus = t.threads.map((_, i) => newCpu(machine.registers.names.length, sym(`t${i}__start`)!));
  const resolve = (v: Value): bigint | string => {
    switch (v.kind) {
      case 'int': return v.v;
      case 'loc': return locAddr.get(v.name)!;
      case 'instr': return encodeInstr(v.text, t.file, t.arch);
      case 'label': return (v.thread < t.threads.length && labels[v.thread].has(v.label) ? sym(`t${v.thread}_${v.label.toLowerCase()}`) : undefined)
        ?? `thread ${v.thread} has no label \`${v.label}\``;
    }
  };
  for (const { cell, entry: e } of init) {
    if (e.kind === 'pte' || e.value === undefined) continue; // a declaration: the register or location holds 0
    const v = resolve(e.value);
    if (typeof v === 'string') return fail('PL1165', cell, cell.text, v);
    if (e.kind === 'reg') cpus[e.thread].regs[e.reg] = v;
    else memory.writePhys(memory.translate(Number(locAddr.get(e.name)!), 8)!.phys, Uint8Array.from({ length: 8 }, (_, b) => Number((v >> BigInt(8 * b)) & 0xffn)));
  }
  // The condition's values, once.
  const wants = new Map<Atom, bigint>();
  for (const a of condAtoms) {
    if (a.kind === 'reg' && a.thread >= t.threads.length) return fail('PL1163', lineCol(t.cond.text, a.at, t.cond.line, t.cond.col), `the test has no thread ${a.thread}`);
    const v = resolve(a.value);
    if (typeof v === 'string') return fail('PL1165', lineCol(t.cond.text, a.at, t.cond.line, t.cond.col), a.text, v);
    wants.set(a, BigInt.asUintN(32, v));
  }
  const atomValue = (a: Atom, s: SmpState): boolean => {
    const want = wants.get(a)!;
    if (a.kind === 'reg') return BigInt.asUintN(32, s.machine.cpus[a.thread].regs[a.reg]) === want;
    const b = s.machine.memory.readPhysBytes(memory.translate(Number(locAddr.get(a.loc)!), 4)!.phys, 4);
    return (BigInt(b[0] | (b[1] << 8) | (b[2] << 16)) | (BigInt(b[3]) << 24n)) === want;
  };
  const ends = cpus.map((_, i) => sym(`t${i}__done`)!);
  const s0 = initialSmp({ memory, windows: FetchWindows.create(machine.fetchPolicy.unit, t.threads.length, machine.fetchPolicy.orderedFetch?.(knobs) ?? false), cpus });
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
      if (evalCondition(cond.cond, (a) => atomValue(a, s))) positive++;
      else negative++;
      continue;
    }
    if (depth > MAX_DEPTH) { stuck = true; continue; }
    for (let i = 0; i < cpus.length; i++) {
      if (!live[i]) continue;
      const f = fetchOptions(s, machine, i, knobs);
      if (f.kind === 'unpredictable') { unpredictable = true; continue; }
      if (f.kind !== 'ok') { stuck = true; continue; }
      for (let c = 0; c < f.options.length; c++) {
        const r = stepCpu(s, machine, i, c, knobs);
        const out = r.event.kind === 'executed' ? r.event.outcome.kind : undefined;
        if (out !== 'next' && out !== 'sync' && out !== 'barrier' && out !== 'cache') { stuck = true; continue; }
        stack.push([r.state, depth + 1]);
      }
    }
  }
  const ok = t.quantifier === 'exists' ? positive > 0 : t.quantifier === '~exists' ? positive === 0 : negative === 0;
  const observation = positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes';
  return { ok: true, result: { name: t.name, quantifier: t.quantifier, condition: t.cond.text.replace(/\s+/g, ' '), states: finals.size, positive, negative, unpredictable, stuck, ok, observation } };
}

/** An atom of the condition: `T:Xn=v`, `[x]=v` or `x=v`; `at` is its offset in the condition's text. */
type Atom = ({ readonly kind: 'reg'; readonly thread: number; readonly reg: number } | { readonly kind: 'loc'; readonly loc: string }) & { readonly value: Value; readonly at: number; readonly text: string };
type Cond = { readonly op: 'atom'; readonly atom: Atom } | { readonly op: 'not'; readonly arg: Cond } | { readonly op: 'and' | 'or'; readonly left: Cond; readonly right: Cond } | { readonly op: 'true' | 'false' };
type CondError = { readonly why: string; readonly at: number; readonly code: 'PL1163' | 'PL1165' | 'PL1167' };

/** The condition's body as a tree, or why it is not one (and where, as an offset in `text`). */
function parseCondition(text: string, arch: LitmusArch): { cond: Cond } | CondError {
  let p = 0;
  const ws = () => { while (p < text.length && /\s/.test(text[p])) p++; };
  const err = (why: string, at = p, code: CondError['code'] = 'PL1163'): CondError => ({ why, at, code });
  const primary = (): Cond | CondError => {
    ws();
    if (p >= text.length) return err('the condition ends early');
    if (text[p] === '(') {
      const open = p++;
      const v = or();
      if ('why' in v) return v;
      ws();
      if (text[p] !== ')') return err('a `(` is not closed', open);
      p++;
      return v;
    }
    if (text[p] === '~') { p++; const a = primary(); return 'why' in a ? a : { op: 'not', arg: a }; }
    const start = p;
    const word = /^(?:true|false)\b/.exec(text.slice(p));
    if (word) { p += word[0].length; return { op: word[0] as 'true' | 'false' }; }
    if (/^fault\s*\(/.test(text.slice(p))) {
      const close = text.indexOf(')', p);
      const atom = text.slice(p, close < 0 ? undefined : close + 1);
      return err(atom, start, 'PL1167');
    }
    // The left-hand side, `=`, then a value (a quoted `label:"…"` / `instr:"…"` may hold spaces).
    const lhs = /^[^\s=()~\\/]+/.exec(text.slice(p));
    if (!lhs) return err(`unexpected \`${text[p]}\``);
    p += lhs[0].length;
    ws();
    const reg = /^(\d+):([A-Za-z]\w*)$/.exec(lhs[0]);
    const regIndex = reg ? arch.register(reg[2]) : undefined;
    const loc = /^\[\s*(\w+)\s*\]$/.exec(lhs[0]) ?? /^([A-Za-z_]\w*)$/.exec(lhs[0]);
    if ((!reg && !loc) || text[p] !== '=' || (reg && regIndex === undefined)) {
      const bad = text.slice(start, p).trim() || lhs[0];
      return err(`\`${bad}\` is not a condition atom (T:Xn=v, [x]=v or x=v)`, start);
    }
    p++;
    ws();
    const vm = /^(?:(?:label|instr):"[^"]*"|[^\s()~\\/]+)/.exec(text.slice(p));
    if (!vm) return err('a value is missing after `=`');
    const valueAt = p;
    p += vm[0].length;
    const value = parseValue(vm[0]);
    if (!value) return err(`\`${vm[0]}\` is not a value: a number, a location, a label (\`P1:L0\`, \`label:"P1:L0"\`) or an instruction (\`NOP\`, \`instr:"B .+12"\`)`, valueAt, 'PL1165');
    const atomText = text.slice(start, p);
    return { op: 'atom', atom: reg ? { kind: 'reg', thread: Number(reg[1]), reg: regIndex!, value, at: start, text: atomText } : { kind: 'loc', loc: loc![1], value, at: start, text: atomText } };
  };
  const chain = (next: () => Cond | CondError, sym: string, op: 'and' | 'or') => (): Cond | CondError => {
    let v = next();
    for (;;) {
      if ('why' in v) return v;
      ws();
      if (!text.startsWith(sym, p)) return v;
      p += sym.length;
      const r = next();
      if ('why' in r) return r;
      v = { op, left: v, right: r };
    }
  };
  const and = chain(primary, '/\\', 'and');
  const or = chain(and, '\\/', 'or');
  const v = or();
  if ('why' in v) return v;
  ws();
  if (p < text.length) return err(`unexpected \`${text.slice(p).split(/\s/)[0]}\``);
  return { cond: v };
}

function evalCondition(c: Cond, atom: (a: Atom) => boolean): boolean {
  switch (c.op) {
    case 'true': return true;
    case 'false': return false;
    case 'atom': return atom(c.atom);
    case 'not': return !evalCondition(c.arg, atom);
    case 'and': return evalCondition(c.left, atom) && evalCondition(c.right, atom);
    case 'or': return evalCondition(c.left, atom) || evalCondition(c.right, atom);
  }
}

/** herd7's verdict (its `kinds`): `Required` when a `forall` holds, else whether the condition's body was seen. */
export function litmusVerdict(r: LitmusResult): 'Allowed' | 'Forbidden' | 'Required' {
  return r.quantifier === 'forall' ? (r.ok ? 'Required' : 'Allowed') : r.positive > 0 ? 'Allowed' : 'Forbidden';
}

/** herd7's words for one result. */
export function formatLitmus(r: LitmusResult, knobs: string): string {
  const verdict = litmusVerdict(r);
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
