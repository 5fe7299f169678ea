// herd7 litmus tests for AArch64 instruction fetch, run on patchlab's machine: parse a test, assemble its
// threads, explore every interleaving and every fetch choice (depth-first, states merged by fingerprint),
// and say whether its `exists` condition is reachable. Used by tests/oracle/herd-arm64.test.ts.

import { readFileSync } from 'node:fs';
import { assemble } from '../../src/isa/asm/assembler.js';
import { link } from '../../src/isa/asm/link.js';
import { arm64Machine } from '../../src/machine/arm64/index.js';
import type { ArchMachine } from '../../src/machine/arch.js';
import { newCpu } from '../../src/machine/cpu.js';
import type { FetchKnobs } from '../../src/machine/fetch.js';
import { FetchWindows } from '../../src/machine/fetch-window.js';
import { defaultLayout } from '../../src/machine/load.js';
import { Memory } from '../../src/machine/memory.js';
import { fetchOptions, fingerprintSmp, initialSmp, stepCpu, type SmpState } from '../../src/machine/step.js';

const NOP = 0xd503201fn;
const arch = arm64Machine as unknown as ArchMachine;

export interface Litmus { name: string; init: string[]; rows: string[][]; threads: number; cond: string }

export function parseLitmus(text: string): Litmus {
  text = text.replace(/\(\*[\s\S]*?\*\)/g, '');
  const lines = text.split('\n');
  const name = lines[0].trim().split(/\s+/)[1];
  const open = text.indexOf('{'), close = text.indexOf('}', open);
  const init = text.slice(open + 1, close).split(';').map((s) => s.trim()).filter(Boolean);
  const rest = text.slice(close + 1).split('\n').map((l) => l.trim()).filter(Boolean);
  const condAt = rest.findIndex((l) => /^(~?exists|forall|locations)/.test(l));
  const table = rest.slice(0, condAt);
  const header = table[0].replace(/;\s*$/, '').split('|').map((s) => s.trim());
  const rows = table.slice(1).map((l) => l.replace(/;\s*$/, '').split('|').map((s) => s.trim()));
  return { name, init, rows, threads: header.length, cond: rest.slice(condAt).join(' ') };
}

function build(t: Litmus) {
  const labels: Set<string>[] = Array.from({ length: t.threads }, () => new Set());
  for (const row of t.rows) row.forEach((cell, i) => { const m = /^(\w+):/.exec(cell); if (m) labels[i].add(m[1]); });
  const locs = new Set<string>();
  const valueOf = (v: string): string | undefined => {
    if (/^-?(0x[0-9a-f]+|\d+)$/i.test(v)) return undefined;
    if (v === 'NOP' || /^P\d+:\w+$/.test(v)) return undefined;
    return v;
  };
  for (const e of t.init) { const m = /=(.+)$/.exec(e); const loc = m && valueOf(m[1].trim()); if (loc) locs.add(loc); const mm = /^\[(\w+)\]/.exec(e); if (mm) locs.add(mm[1]); }
  for (const m of t.cond.matchAll(/\[(\w+)\]/g)) locs.add(m[1]);
  const src: string[] = ['\t.text'];
  for (let i = 0; i < t.threads; i++) {
    src.push(`t${i}__start:`);
    for (const row of t.rows) {
      let cell = (row[i] ?? '').trim();
      if (!cell) continue;
      const m = /^(\w+):\s*(.*)$/.exec(cell);
      if (m) { src.push(`t${i}_${m[1].toLowerCase()}:`); cell = m[2]; }
      if (!cell) continue;
      const ins = cell.replace(/\b\w+\b/g, (w) => (labels[i].has(w) ? `t${i}_${w.toLowerCase()}` : w.toLowerCase()));
      src.push(`\t${ins}`);
    }
    src.push(`t${i}__done:`, "\tb .");
  }
  src.push('\t.data', '\t.p2align 4');
  for (const l of locs) src.push(`loc_${l}: .quad 0`);
  return { source: src.join('\n') + '\n', locs };
}

function resolve(v: string, sym: (s: string) => bigint | undefined): bigint {
  v = v.trim();
  if (v === 'NOP') return NOP;
  if (/^-?(0x[0-9a-f]+|\d+)$/i.test(v)) return BigInt.asUintN(64, BigInt(v));
  const m = /^P(\d+):(\w+)$/.exec(v);
  const s = m ? sym(`t${m[1]}_${m[2].toLowerCase()}`) : sym(`loc_${v}`);
  if (s === undefined) throw new Error(`value ${v}`);
  return s;
}

export interface Verdict { allowed: boolean; unpredictable: boolean; stuck: boolean; states: number }

export function explore(t: Litmus, knobs: FetchKnobs): Verdict {
  const { source } = build(t);
  const asm = assemble(source, arm64Machine.isa, `${t.name}.s`);
  if (asm.diagnostics.length) throw new Error(asm.diagnostics.map((d) => `${d.span.line}: ${d.message}`).join('; ') + '\n' + source);
  const { image, errors } = link(asm.object, arm64Machine.isa, defaultLayout(asm.object));
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  const sym = (s: string) => image.symbols.get(s);
  const text = image.sections.find((s) => s.flags.includes('x'))!;
  const data = image.sections.find((s) => s.flags.includes('w'));
  const regions = [{ name: '.text', kind: 'text' as const, base: Number(text.address), size: 0x1000, phys: 0, perms: { read: true, write: true, exec: true } }];
  if (data) regions.push({ name: '.data', kind: 'data' as never, base: Number(data.address), size: 0x1000, phys: 0x1000, perms: { read: true, write: true, exec: false } });
  const memory = Memory.create(regions, 0x2000);
  memory.writePhys(0, text.bytes);
  if (data) memory.writePhys(0x1000, data.bytes);
  const cpus = Array.from({ length: t.threads }, (_, i) => newCpu(33, sym(`t${i}__start`)!));
  for (const e of t.init) {
    const r = /^(\d+):[XW](\d+)\s*=\s*(.+)$/.exec(e);
    if (r) { cpus[Number(r[1])].regs[Number(r[2])] = resolve(r[3], sym); continue; }
    const l = /^\[(\w+)\]\s*=\s*(.+)$/.exec(e);
    if (l) { const a = Number(sym(`loc_${l[1]}`)!) - Number(data!.address) + 0x1000; const v = resolve(l[2], sym); memory.writePhys(a, Uint8Array.from({ length: 8 }, (_, k) => Number((v >> BigInt(8 * k)) & 0xffn))); continue; }
    throw new Error(`init ${e}`);
  }
  const ends = cpus.map((_, i) => sym(`t${i}__done`)!);
  const s0: SmpState = initialSmp({ memory, windows: FetchWindows.create(4, t.threads), cpus });
  const holds = (s: SmpState) => evalCond(t.cond.replace(/^exists\s*/, ''), s, sym, data ? Number(data.address) : 0);
  const seen = new Set<string>();
  const v: Verdict = { allowed: false, unpredictable: false, stuck: false, states: 0 };
  const stack: [SmpState, number][] = [[s0, 0]];
  while (stack.length) {
    const [s, depth] = stack.pop()!;
    const key = fingerprintSmp(s).digest().toString();
    if (seen.has(key)) continue;
    seen.add(key);
    v.states++;
    const live = s.machine.cpus.map((c, i) => c.pc !== ends[i]);
    if (!live.some(Boolean)) { if (holds(s)) v.allowed = true; continue; }
    if (depth > 400) { v.stuck = true; continue; }
    for (let i = 0; i < t.threads; i++) {
      if (!live[i]) continue;
      const f = fetchOptions(s, arch, i, knobs);
      if (f.kind === 'unpredictable') { v.unpredictable = true; continue; }
      if (f.kind !== 'ok') { v.stuck = true; continue; }
      for (let k = 0; k < f.options.length; k++) {
        const r = stepCpu(s, arch, i, k, knobs);
        if (r.event.kind !== 'executed' || (r.event.outcome.kind !== 'next' && r.event.outcome.kind !== 'sync' && r.event.outcome.kind !== 'barrier' && r.event.outcome.kind !== 'cache')) { v.stuck = true; continue; }
        stack.push([r.state, depth + 1]);
      }
    }
  }
  return v;
}

function evalCond(c: string, s: SmpState, sym: (s: string) => bigint | undefined, dataBase: number): boolean {
  // Tokens: ( ) /\ \/ ~ and atoms T:Xn=v, [loc]=v
  const toks = c.replace(/\/\\/g, ' & ').replace(/\\\//g, ' | ').replace(/[()~]/g, (m) => ` ${m} `).split(/\s+/).filter(Boolean);
  let p = 0;
  const atom = (a: string): boolean => {
    const r = /^(\d+):[XW](\d+)=(.+)$/.exec(a);
    if (r) return BigInt.asUintN(32, s.machine.cpus[Number(r[1])].regs[Number(r[2])]) === BigInt.asUintN(32, resolve(r[3], sym));
    const l = /^\[(\w+)\]=(.+)$/.exec(a);
    if (l) {
      const at = Number(sym(`loc_${l[1]}`)!) - dataBase + 0x1000;
      const b = s.machine.memory.readPhysBytes(at, 4);
      const v = BigInt(b[0] | (b[1] << 8) | (b[2] << 16)) | (BigInt(b[3]) << 24n);
      return v === BigInt.asUintN(32, resolve(l[2], sym));
    }
    throw new Error(`atom ${a}`);
  };
  const primary = (): boolean => {
    const t = toks[p++];
    if (t === '(') { const v = or(); p++; return v; }
    if (t === '~') return !primary();
    return atom(t);
  };
  const and = (): boolean => { let v = primary(); while (toks[p] === '&') { p++; v = primary() && v; } return v; };
  const or = (): boolean => { let v = and(); while (toks[p] === '|') { p++; v = and() || v; } return v; };
  return or();
}


/** herd7's verdicts: `tests/kinds.txt` lines `NAME Allowed|Forbidden`. */
export function readKinds(path: string): Map<string, string> {
  return new Map(readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/) as [string, string]));
}
