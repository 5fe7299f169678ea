// The litmus reader's second pass: a parsed test as a machine ready to run (`loadLitmus`). The initial
// state's entries set registers and locations; each thread is assembled at its own labels (`P1:L0` names
// thread 1's `L0`), locations are 8-byte data words, a page-table alias maps a location's virtual address
// onto another location's or an instruction's physical word; a thread's fault handler is assembled after
// the threads, under the thread's labels; every thread's CPU starts at its code. The
// condition's values are resolved once, and `holds` tells whether a final state satisfies its body.

import { makeDiagnostic, type Diagnostic } from '../base/diagnostics.js';
import { assemble } from '../isa/asm/assembler.js';
import { link } from '../isa/asm/link.js';
import { newCpu } from '../machine/cpu.js';
import type { FetchKnobs } from '../machine/fetch.js';
import { defaultLayout } from '../machine/load.js';
import { Memory, type Region } from '../machine/memory.js';
import type { ArchMachine } from '../machine/arch.js';
import type { FetchWindows } from '../machine/fetch-window.js';
import { fetchWindowsFor, initialSmp, type SmpState } from '../machine/step.js';
import type { FaultRecord } from './litmus-faults.js';
import { lineCol, type Cell, type Litmus, type LitmusArch } from './litmus-syntax.js';
import { evalCondition, parseCondition, parseInit, type Atom, type Cond, type InitEntry, type Value } from './litmus-values.js';

/** A test ready to run: its first state, where each thread ends, and its condition on a final state. */
export interface LitmusImage {
  readonly s0: SmpState;
  /** Past the last instruction of each thread's code and each handler's: a thread has ended when its pc is at any of them. */
  readonly ends: readonly bigint[];
  /** Per thread, the end of its own code (where a fault without a handler leaves it). */
  readonly threadEnds: readonly bigint[];
  /** Per thread, its fault handler's code, [start, end), or undefined. */
  readonly handlers: readonly ({ readonly start: bigint; readonly end: bigint } | undefined)[];
  /** Does the condition's body hold in final state `s`, after the faults `faults`? */
  holds(s: SmpState, faults: readonly FaultRecord[]): boolean;
}

/**
 * An instruction value's encoding: assembled on its own, so only `.`-relative branches (`B .+12`) name a
 * target; `label` when it names a label (RISC-V tests place it: `encodeAtSites`).
 */
function encodeInstr(text: string, file: string, arch: LitmusArch): { word: bigint } | { why: string; label?: true } {
  const asm = assemble([...arch.prelude, '\t.text', `\t${text.toLowerCase()}`, ''].join('\n'), arch.machine.isa, file);
  if (asm.diagnostics.length > 0) return { why: `cannot assemble \`${text}\`: ${asm.diagnostics[0].message}` };
  const sec = asm.object.sections.find((s) => s.name === '.text');
  if (!sec || sec.bytes.length !== 4) return { why: `\`${text}\` is not one instruction` };
  if (sec.relocations.length > 0) {
    const where = arch.header === 'RISCV' ? 'the test neither stores it through a label value nor has it in its code' : 'only a `.`-relative target (`B .+12`) is taken';
    return { why: `\`${text}\` names a label: an instruction value has no address of its own, and ${where}`, label: true };
  }
  return { word: BigInt(sec.bytes[0] | (sec.bytes[1] << 8) | (sec.bytes[2] << 16)) | (BigInt(sec.bytes[3]) << 24n) };
}

/** An instruction's text compared as written: case, and spaces around operands, do not count. */
const sameInsn = (a: string, b: string) => {
  const norm = (x: string) => x.trim().toLowerCase().replace(/\s*,\s*/g, ',').replace(/\s+/g, ' ');
  return norm(a) === norm(b);
};

/** A RISC-V store of a register through a base register and offset (`sw t0,0(a1)`), as a test writes it. */
const RISCV_STORE = /^s[bhwd]\s+(\w+)\s*,\s*(-?(?:0x[0-9a-f]+|\d+))?\s*\(\s*(\w+)\s*\)\s*$/i;

export function loadLitmus(t: Litmus, knobs: FetchKnobs): { ok: true; image: LitmusImage } | { ok: false; diagnostics: Diagnostic[] } {
  const fail = (code: 'PL1161' | 'PL1162' | 'PL1163' | 'PL1165' | 'PL1166' | 'PL1171', at: { line: number; col: number }, ...args: string[]) =>
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
  if ('why' in cond) return fail(cond.code, lineCol(t.cond.text, cond.at, t.cond.line, t.cond.col), ...(cond.subject === undefined ? [cond.why] : [cond.subject, cond.why]));
  // A thread's labels, its fault handler's among them (the handler names the thread's, `ADR X9,L0`, as its own).
  const labels = t.threads.map((cells, i) => new Set([...cells, ...(t.handlers[i] ?? [])].map((c) => /^(\w+):/.exec(c.text)?.[1]).filter((l): l is string => l !== undefined)));
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
  for (const a of condAtoms) {
    if (a.kind === 'fault') { if (a.loc !== undefined) locs.add(a.loc); continue; }
    if (a.kind === 'loc') locs.add(a.loc);
    valueLoc(a.value);
  }
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
  // Source: each thread's code under its own labels, its fault handler's after it, then one data word per
  // location that is not an alias.
  const src: string[] = [...t.arch.prelude, '\t.text'];
  const origin: Cell[] = [...t.arch.prelude.map(() => ({ text: '', line: 1, col: 1 })), { text: '', line: 1, col: 1 }];
  const emit = (i: number, cells: readonly Cell[], start: string, done: string, cell: string) => {
    src.push(start);
    origin.push(cells[0] ?? origin[0]);
    for (const c of cells) {
      let text = c.text;
      const m = /^(\w+):\s*(.*)$/.exec(text);
      if (m) { src.push(`t${i}_${m[1].toLowerCase()}:`); origin.push(c); text = m[2]; }
      if (!text) continue;
      // Each instruction's own label: where an instruction value naming a label is placed (`encodeAtSites`).
      src.push(`t${i}__${cell}${cells.indexOf(c)}:`);
      origin.push(c);
      src.push('\t' + text.replace(/\b\w+\b/g, (w) => (labels[i].has(w) ? `t${i}_${w.toLowerCase()}` : w.toLowerCase())));
      origin.push(c);
    }
    src.push(done, `\t${t.arch.halt}`);
    origin.push(origin[origin.length - 1], origin[origin.length - 1]);
  };
  t.threads.forEach((cells, i) => emit(i, cells, `t${i}__start:`, `t${i}__done:`, 'cell'));
  t.handlers.forEach((cells, i) => { if (cells) emit(i, cells, `t${i}__handler:`, `t${i}__handler_done:`, 'handler_cell'); });
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
  /**
   * A RISC-V instruction value that names a label is the instruction as assembled where the test places it:
   * where a thread stores the register holding it (`holder`) through a register holding a label value
   * (`sw t0,0(a1)` with `a1=P1:mod`); else where the test's code has the same instruction; else where the test
   * stores a register it gives the same instruction (a condition's value). Its labels are those of the thread
   * whose code it is placed in.
   */
  const storeSites = (holder: { thread: number; reg: number }) => t.threads[holder.thread].flatMap((c) => {
    const m = RISCV_STORE.exec(c.text.replace(/^\w+:\s*/, ''));
    if (!m || t.arch.register(m[1]) !== holder.reg) return [];
    const base = init.find(({ entry: e }) => e.kind === 'reg' && e.thread === holder.thread && e.reg === t.arch.register(m[3]))?.entry;
    if (base?.kind !== 'reg' || base.value?.kind !== 'label' || !labels[base.value.thread]?.has(base.value.label)) return [];
    return [{ thread: base.value.thread, address: sym(`t${base.value.thread}_${base.value.label.toLowerCase()}`)! + BigInt(m[2] ?? 0) }];
  });
  const encodeAtSites = (text: string, holder: { thread: number; reg: number } | undefined, why: string): bigint | string => {
    let sites = holder ? storeSites(holder) : [];
    if (sites.length === 0) {
      sites = t.threads.flatMap((cells, i) => cells.flatMap((c, k) => (sameInsn(c.text.replace(/^\w+:\s*/, ''), text) ? [{ thread: i, address: sym(`t${i}__cell${k}`)! }] : [])));
    }
    if (sites.length === 0) {
      sites = init.flatMap(({ entry: e }) => (e.kind === 'reg' && e.value?.kind === 'instr' && sameInsn(e.value.text, text) ? storeSites({ thread: e.thread, reg: e.reg }) : []));
    }
    if (sites.length === 0) return why;
    const words = new Set<bigint>();
    for (const site of sites) {
      // Each label of the site's thread as a `.`-relative target, from the site.
      const placed = text.trim().replace(/^(\S+)(.*)$/, (_, op: string, rest: string) => op + rest.replace(/\b[A-Za-z_]\w*\b/g, (w) => {
        if (!labels[site.thread].has(w)) return w;
        const d = sym(`t${site.thread}_${w.toLowerCase()}`)! - site.address;
        return d < 0n ? `.-${-d}` : `.+${d}`;
      }));
      const e = encodeInstr(placed, t.file, t.arch);
      if ('word' in e) words.add(e.word);
      else if (!e.label) return e.why; // (a label of another thread: not this site's instruction)
    }
    if (words.size === 0) return why;
    return words.size === 1 ? [...words][0] : `\`${text}\` names a label and the test places it where it encodes differently`;
  };
  const resolve = (v: Value, holder?: { thread: number; reg: number }): bigint | string => {
    switch (v.kind) {
      case 'int': return v.v;
      case 'loc': return locAddr.get(v.name)!;
      case 'instr': {
        const e = encodeInstr(v.text, t.file, t.arch);
        if ('word' in e) return e.word;
        return e.label && t.arch.header === 'RISCV' ? encodeAtSites(v.text, holder, e.why) : e.why;
      }
      case 'label': return (v.thread < t.threads.length && labels[v.thread].has(v.label) ? sym(`t${v.thread}_${v.label.toLowerCase()}`) : undefined)
        ?? `thread ${v.thread} has no label \`${v.label}\``;
    }
  };
  for (const { cell, entry: e } of init) {
    if (e.kind === 'pte' || e.value === undefined) continue; // a declaration: the register or location holds 0
    const v = resolve(e.value, e.kind === 'reg' ? { thread: e.thread, reg: e.reg } : undefined);
    if (typeof v === 'string') return fail('PL1165', cell, cell.text, v);
    if (e.kind === 'reg') cpus[e.thread].regs[e.reg] = v;
    else memory.writePhys(memory.translate(Number(locAddr.get(e.name)!), 8)!.phys, Uint8Array.from({ length: 8 }, (_, b) => Number((v >> BigInt(8 * b)) & 0xffn)));
  }
  // The condition's values, once: a register's or location's value; a fault atom's instruction and location.
  const wants = new Map<Atom, { value?: bigint; pc?: bigint; address?: bigint }>();
  for (const a of condAtoms) {
    const at = lineCol(t.cond.text, a.at, t.cond.line, t.cond.col);
    if (a.kind !== 'loc' && a.thread >= t.threads.length) return fail(a.kind === 'fault' ? 'PL1171' : 'PL1163', at, ...(a.kind === 'fault' ? [a.text] : []), `the test has no thread ${a.thread}`);
    if (a.kind === 'fault') {
      const pc = a.label === undefined ? undefined : resolve({ kind: 'label', thread: a.thread, label: a.label });
      if (typeof pc === 'string') return fail('PL1171', at, a.text, pc);
      wants.set(a, { pc, address: a.loc === undefined ? undefined : locAddr.get(a.loc) });
      continue;
    }
    const v = resolve(a.value);
    if (typeof v === 'string') return fail('PL1165', at, a.text, v);
    wants.set(a, { value: BigInt.asUintN(32, v) });
  }
  const atomValue = (a: Atom, s: SmpState, faults: readonly FaultRecord[]): boolean => {
    const want = wants.get(a)!;
    if (a.kind === 'fault') {
      return faults.some((f) => f.thread === a.thread && (want.pc === undefined || f.pc === want.pc) && (a.type === undefined || f.type === a.type) && (want.address === undefined || f.address === want.address));
    }
    if (a.kind === 'reg') return BigInt.asUintN(32, s.machine.cpus[a.thread].regs[a.reg]) === want.value;
    const b = s.machine.memory.readPhysBytes(memory.translate(Number(locAddr.get(a.loc)!), 4)!.phys, 4);
    return (BigInt(b[0] | (b[1] << 8) | (b[2] << 16)) | (BigInt(b[3]) << 24n)) === want.value;
  };
  const threadEnds = cpus.map((_, i) => sym(`t${i}__done`)!);
  const handlers = t.handlers.map((h, i) => (h ? { start: sym(`t${i}__handler`)!, end: sym(`t${i}__handler_done`)! } : undefined));
  const ends = [...threadEnds, ...handlers.flatMap((h) => (h ? [h.end] : []))];
  const s0 = initialSmp({ memory, windows: lateFetchFutures(fetchWindowsFor(machine, t.threads.length, knobs), machine, knobs, init, resolve, textBase), cpus });
  return { ok: true, image: { s0, ends, threadEnds, handlers, holds: (s, faults) => evalCondition(cond.cond, (a) => atomValue(a, s, faults)) } };
}

/**
 * Where the arch lets a fetch be late (riscv64 without Ziccid: docs/model.md section 3), what a later store may
 * write: the test's instruction values, at the instructions its label values name (a test stores an
 * instruction it holds in a register through a label it holds in another). A late fetch of anything else is
 * not offered: the runner would need every value every store could compute.
 */
function lateFetchFutures(windows: FetchWindows, machine: ArchMachine, knobs: FetchKnobs, init: readonly { entry: InitEntry }[], resolve: (v: Value, holder?: { thread: number; reg: number }) => bigint | string, textBase: number): FetchWindows {
  if (!machine.fetchPolicy.lateFetch?.(knobs)) return windows;
  const words = new Set<number>(), sites = new Set<number>();
  for (const { entry: e } of init) {
    if (e.kind === 'pte' || e.value === undefined || (e.value.kind !== 'instr' && e.value.kind !== 'label')) continue;
    const v = resolve(e.value, e.kind === 'reg' ? { thread: e.thread, reg: e.reg } : undefined);
    if (typeof v === 'string') continue;
    if (e.value.kind === 'instr') words.add(Number(BigInt.asUintN(32, v)));
    else sites.add(Number(v) - textBase);
  }
  return words.size === 0 || sites.size === 0 ? windows : windows.withFutures({ sites: [...sites].sort((a, b) => a - b), words: [...words].sort((a, b) => a - b) });
}
