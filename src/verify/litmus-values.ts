// The litmus reader's values, initial-state entries and conditions, as herd7 writes them: a number, a
// location, a label (`P1:L0`, `label:"P1:L0"`) or an instruction (`NOP`, `instr:"B .+12"`); entries
// `0:X1=v`, `[x]=v`, typed (`ins_t *z`) or a page-table alias (`pte_A=(oa:phy_B)`); a condition's body as a
// tree of atoms `T:Xn=v`, `[x]=v`, `x=v`, `fault(P0:L0,UndefinedInstruction)` joined by `/\`, `\/`, `~` and parentheses.

import { FAULT_TYPES, type FaultType } from './litmus-faults.js';
import type { LitmusArch } from './litmus-syntax.js';

/**
 * A value as herd7 writes it: a number, a location's address (`x`), a thread's label (`P1:L0`,
 * `label:"P1:L0"`), or an instruction's encoding (`NOP`, `instr:"B .+12"`).
 */
export type Value =
  | { readonly kind: 'int'; readonly v: bigint }
  | { readonly kind: 'loc'; readonly name: string }
  | { readonly kind: 'label'; readonly thread: number; readonly label: string }
  | { readonly kind: 'instr'; readonly text: string };

export function parseValue(s: string): Value | undefined {
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
export type InitEntry =
  | { readonly kind: 'reg'; readonly thread: number; readonly reg: number; readonly value?: Value }
  | { readonly kind: 'loc'; readonly name: string; readonly value?: Value }
  | { readonly kind: 'pte'; readonly name: string; readonly oa?: string; readonly raw: string };

export function parseInit(text: string, arch: LitmusArch): InitEntry | undefined {
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

/**
 * An atom of the condition: `T:Xn=v`, `[x]=v` or `x=v`; or herd7's fault atom `fault(P0:L0,x,MMU:Translation)`,
 * its label, location and type each optional (a fault of that thread, at that instruction, on that location,
 * of that type, was taken). `at` is its offset in the condition's text.
 */
export type Atom = (
  | { readonly kind: 'reg'; readonly thread: number; readonly reg: number; readonly value: Value }
  | { readonly kind: 'loc'; readonly loc: string; readonly value: Value }
  | { readonly kind: 'fault'; readonly thread: number; readonly label?: string; readonly loc?: string; readonly type?: FaultType }
) & { readonly at: number; readonly text: string };
export type Cond = { readonly op: 'atom'; readonly atom: Atom } | { readonly op: 'not'; readonly arg: Cond } | { readonly op: 'and' | 'or'; readonly left: Cond; readonly right: Cond } | { readonly op: 'true' | 'false' };
/** Why a condition is not one: its message's code, what it is about (`subject`, for PL1165 and PL1171), and where. */
export type CondError = { readonly why: string; readonly subject?: string; readonly at: number; readonly code: 'PL1163' | 'PL1165' | 'PL1171' };

/** `fault(P0:L0,x,MMU:Translation)` (herd7 writes `fault` or `Fault`) from `text` at `start`: the atom and its end, or why not. */
function parseFaultAtom(text: string, start: number): { atom: Atom; end: number } | CondError {
  const close = text.indexOf(')', start);
  const atomText = text.slice(start, close < 0 ? undefined : close + 1);
  const bad = (why: string): CondError => ({ why, subject: atomText, at: start, code: 'PL1171' });
  if (close < 0) return bad('the `(` is not closed');
  const parts = text.slice(text.indexOf('(', start) + 1, close).split(',').map((x) => x.trim());
  const who = /^P(\d+)(?::(\w+))?$/.exec(parts[0]);
  if (!who) return bad('names no thread first (`P0` or `P0:L0`)');
  let loc: string | undefined, type: FaultType | undefined;
  for (const part of parts.slice(1)) {
    if ((FAULT_TYPES as readonly string[]).includes(part) && type === undefined) type = part as FaultType;
    else if (/^[A-Za-z_]\w*$/.test(part) && loc === undefined && type === undefined) loc = part;
    else return bad(`\`${part}\` is neither a location nor a fault type (${FAULT_TYPES.join(', ')})`);
  }
  return { atom: { kind: 'fault', thread: Number(who[1]), label: who[2], loc, type, at: start, text: atomText }, end: close + 1 };
}

/** The condition's body as a tree, or why it is not one (and where, as an offset in `text`). */
export function parseCondition(text: string, arch: LitmusArch): { cond: Cond } | CondError {
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
    if (/^[Ff]ault\s*\(/.test(text.slice(p))) {
      const f = parseFaultAtom(text, start);
      if ('why' in f) return f;
      p = f.end;
      return { op: 'atom', atom: f.atom };
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
    if (!value) return { ...err(`not a value: a number, a location, a label (\`P1:L0\`, \`label:"P1:L0"\`) or an instruction (\`NOP\`, \`instr:"B .+12"\`)`, valueAt, 'PL1165'), subject: vm[0] };
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

export function evalCondition(c: Cond, atom: (a: Atom) => boolean): boolean {
  switch (c.op) {
    case 'true': return true;
    case 'false': return false;
    case 'atom': return atom(c.atom);
    case 'not': return !evalCondition(c.arg, atom);
    case 'and': return evalCondition(c.left, atom) && evalCondition(c.right, atom);
    case 'or': return evalCondition(c.left, atom) || evalCondition(c.right, atom);
  }
}
