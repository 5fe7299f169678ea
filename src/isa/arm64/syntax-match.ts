// Parse time: match a statement's tokens against one spelling's template; registers and names become fields, expressions wait.

import type { MessageCode, SourceSpan } from '../../base/diagnostics.js';
import type { Expr, Token } from '../asm/expr.js';
import type { InsnStatement } from '../types.js';
import type { Fields, Piece } from './table-layout.js';
import {
  BARRIER_OPTIONS, BTI_TARGETS, CONDITIONS, EXTENDS, REGISTER_ALIASES, SHIFTS, SLOTS, SYSREG_BY_NAME, sysregField, type RegisterSlot, type SlotName,
} from './table-names.js';

/** A reason a candidate does not fit. `pos` ranks failures: the one that got furthest is reported. */
export interface Failure {
  readonly pos: number;
  readonly code: MessageCode;
  readonly span: SourceSpan;
  readonly args: readonly (string | number | bigint)[];
}

/** An operand whose value waits for the build: an expression, or an extend with an optional amount. */
export type Binding =
  | { readonly kind: 'expr'; readonly slot: SlotName; readonly expr: Expr; readonly span: SourceSpan }
  | { readonly kind: 'extend'; readonly slot: 'extend' | 'ldst-extend'; readonly option: number | 'lsl'; readonly amount: Expr | undefined; readonly span: SourceSpan };

/** What matching found: fields known now, bindings for later, and the registers' widths. */
export interface MatchState {
  readonly pos: number;
  readonly fields: Fields;
  readonly bindings: readonly Binding[];
  /** Width of each register operand by field (true: X). */
  readonly regX: Readonly<Record<string, boolean>>;
  readonly regSpan: Readonly<Record<string, SourceSpan>>;
}

export interface Register {
  readonly n: number;
  readonly x: boolean;
  readonly sp: boolean;
  readonly zr: boolean;
}

export function parseRegister(text: string): Register | undefined {
  const t = text.toLowerCase();
  if (t === 'sp' || t === 'wsp') return { n: 31, x: t === 'sp', sp: true, zr: false };
  if (t === 'xzr' || t === 'wzr') return { n: 31, x: t === 'xzr', sp: false, zr: true };
  if (t in REGISTER_ALIASES) return { n: REGISTER_ALIASES[t], x: true, sp: false, zr: false };
  const m = /^([xw])([0-9]{1,2})$/.exec(t);
  if (!m || Number(m[2]) > 30) return undefined;
  return { n: Number(m[2]), x: m[1] === 'x', sp: false, zr: false };
}

/** Looks like a register but is none (`x31`, `w32`): an unknown register rather than a symbol. */
function looksLikeRegister(text: string): boolean {
  return /^[xw][0-9]+$/i.test(text);
}

/** Template pieces as the parser walks them: punctuation, an optional `#`, words, slots, groups. */
export type Item =
  | { readonly kind: 'punct'; readonly text: string }
  | { readonly kind: 'hash' }
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'slot'; readonly slot: SlotName }
  | { readonly kind: 'optional'; readonly items: readonly Item[] };

export function templateItems(pieces: readonly Piece[]): Item[] {
  const out: Item[] = [];
  for (const p of pieces) {
    if (p.kind === 'slot') out.push({ kind: 'slot', slot: p.slot });
    else if (p.kind === 'optional') out.push({ kind: 'optional', items: templateItems(p.pieces) });
    else {
      for (const m of p.text.matchAll(/[a-z]+|[,[\]!#]/g)) {
        const t = m[0];
        out.push(t === '#' ? { kind: 'hash' } : /[a-z]/.test(t) ? { kind: 'word', text: t } : { kind: 'punct', text: t });
      }
    }
  }
  return out;
}

/** How many operands a template takes: `3`, or `3 to 4` with optional ones (commas in `[]` do not count). */
export function operandCount(items: readonly Item[]): string {
  const count = (withOptional: boolean): number => {
    const acc = { commas: 0, depth: 0, any: false };
    const walk = (list: readonly Item[]): void => {
      for (const it of list) {
        if (it.kind === 'optional') {
          if (withOptional) walk(it.items);
        } else if (it.kind === 'punct' && it.text === '[') acc.depth++;
        else if (it.kind === 'punct' && it.text === ']') acc.depth--;
        else if (it.kind === 'punct' && it.text === ',' && acc.depth === 0) acc.commas++;
        else acc.any = true;
      }
    };
    walk(items);
    return acc.any ? acc.commas + 1 : 0;
  };
  const min = count(false), max = count(true);
  return min === max ? String(min) : `${min} to ${max}`;
}

/** What the matcher needs from the statement and the assembler. */
export interface MatchInput {
  readonly stmt: InsnStatement;
  readonly mnemonic: string;
  /** Register width rule of the entry: 'sf' (from the operands) or fixed. */
  readonly width: 'sf' | 'w' | 'x';
  readonly expected: string;
  /** parseExpr, memoized per position so a bad expression is reported once. */
  readonly expr: (pos: number) => { expr: Expr; next: number } | undefined;
}

type Step = MatchState | Failure;
const isFailure = (s: Step): s is Failure => 'code' in s;

function tokenAt(inp: MatchInput, pos: number): Token | undefined {
  return inp.stmt.tokens[pos];
}

function fail(inp: MatchInput, pos: number, code: MessageCode, ...args: (string | number | bigint)[]): Failure {
  return { pos, code, span: tokenAt(inp, pos)?.span ?? inp.stmt.end, args };
}

function expected(inp: MatchInput, pos: number, what: string): Failure {
  const tok = tokenAt(inp, pos);
  if (tok === undefined && inp.stmt.operands.length < parseInt(inp.expected, 10)) return fail(inp, pos, 'PL2002', inp.mnemonic, inp.expected, inp.stmt.operands.length);
  return fail(inp, pos, 'PL1003', what, tok?.text ?? 'end of line');
}

/** Can an expression start here (and is it not a register)? */
function startsExpression(tok: Token | undefined): boolean {
  if (!tok) return false;
  if (tok.kind === 'number' || tok.kind === 'localref') return true;
  if (tok.kind === 'ident') return parseRegister(tok.text) === undefined;
  return tok.kind === 'punct' && ['(', '-', '+', '~', '!', ':'].includes(tok.text);
}

function withField(st: MatchState, pos: number, name: string, value: number): MatchState {
  return { ...st, pos, fields: { ...st.fields, [name]: value } };
}

function matchRegister(inp: MatchInput, st: MatchState, slot: RegisterSlot): Step {
  const tok = tokenAt(inp, st.pos);
  const reg = tok?.kind === 'ident' ? parseRegister(tok.text) : undefined;
  if (!tok || !reg) {
    if (tok?.kind === 'ident' && looksLikeRegister(tok.text)) return fail(inp, st.pos, 'PL2004', tok.text);
    return expected(inp, st.pos, 'a register');
  }
  if (reg.sp && !slot.sp) return fail(inp, st.pos, 'PL2016', tok.text, 'SP cannot be used here');
  if (reg.zr && slot.sp) return fail(inp, st.pos, 'PL2016', tok.text, 'this operand is SP, not the zero register');
  let fields = { ...st.fields, [slot.field]: reg.n };
  const wantX = slot.width === 'x' ? true : slot.width === 'w' ? false : slot.width === 'entry' && inp.width !== 'sf' ? inp.width === 'x' : undefined;
  if (wantX !== undefined) {
    if (reg.x !== wantX) return fail(inp, st.pos, 'PL2010', `\`${tok.text}\` where a ${wantX ? '64' : '32'}-bit register is needed`);
  } else if (slot.width === 'entry') {
    const sf = reg.x ? 1 : 0;
    if (st.fields.sf !== undefined && st.fields.sf !== sf) return fail(inp, st.pos, 'PL2010', `\`${tok.text}\` among ${sf ? '32' : '64'}-bit registers`);
    fields = { ...fields, sf };
  }
  return {
    ...st, pos: st.pos + 1, fields,
    regX: { ...st.regX, [slot.field]: reg.x }, regSpan: { ...st.regSpan, [slot.field]: tok.span },
  };
}

function matchExpr(inp: MatchInput, st: MatchState, slot: SlotName): Step {
  const tok = tokenAt(inp, st.pos);
  if (!startsExpression(tok)) {
    if (tok?.kind === 'ident') return fail(inp, st.pos, 'PL2003', inp.mnemonic, `expected an immediate or address, found register \`${tok.text}\``);
    return expected(inp, st.pos, 'an expression');
  }
  const r = inp.expr(st.pos);
  if (!r) return fail(inp, st.pos, 'PL1009');
  return { ...st, pos: r.next, bindings: [...st.bindings, { kind: 'expr', slot, expr: r.expr, span: tok!.span }] };
}

/** `#expr` or `expr` where a slot allows a number in place of a name (dsb #4, isb #3, uxtw #2). */
function optionalHashExpr(inp: MatchInput, pos: number): { expr: Expr; next: number } | 'absent' | undefined {
  const at = tokenAt(inp, pos)?.text === '#' ? pos + 1 : pos;
  if (!startsExpression(tokenAt(inp, at))) return at === pos ? 'absent' : undefined;
  return inp.expr(at);
}

function matchExtend(inp: MatchInput, st: MatchState, slot: 'extend' | 'ldst-extend'): Step {
  const tok = tokenAt(inp, st.pos);
  const name = tok?.kind === 'ident' ? tok.text.toLowerCase() : '';
  const option = name === 'lsl' ? 'lsl' : (EXTENDS as readonly string[]).indexOf(name);
  if (!tok || option === -1) return tok ? fail(inp, st.pos, 'PL2012', tok.text) : expected(inp, st.pos, 'an extend');
  const amount = optionalHashExpr(inp, st.pos + 1);
  if (amount === undefined) return fail(inp, st.pos + 1, 'PL1009');
  const binding: Binding = { kind: 'extend', slot, option, amount: amount === 'absent' ? undefined : amount.expr, span: tok.span };
  return { ...st, pos: amount === 'absent' ? st.pos + 1 : amount.next, bindings: [...st.bindings, binding] };
}

/** A slot that takes a name from a list, or (`numbered`) a `#number` bound for the build. */
function matchNamed(inp: MatchInput, st: MatchState, slot: SlotName, field: string, names: readonly (string | undefined)[], numbered: boolean): Step {
  const tok = tokenAt(inp, st.pos);
  if (tok?.kind === 'ident') {
    const i = names.indexOf(tok.text.toLowerCase());
    if (i >= 0) return withField(st, st.pos + 1, field, i);
    return fail(inp, st.pos, slot === 'targets' ? 'PL2013' : 'PL4001', tok.text, inp.mnemonic);
  }
  if (!numbered) return expected(inp, st.pos, 'an option');
  const r = optionalHashExpr(inp, st.pos);
  if (r === 'absent' || r === undefined) return r === undefined ? fail(inp, st.pos, 'PL1009') : expected(inp, st.pos, 'an option');
  const span = tokenAt(inp, tok?.text === '#' ? st.pos + 1 : st.pos)!.span;
  return { ...st, pos: r.next, bindings: [...st.bindings, { kind: 'expr', slot, expr: r.expr, span }] };
}

/** A condition operand by any name GNU as takes (`hs`, `lo`, the SVE names); the aliases' field holds its inverse. */
function matchCondition(inp: MatchInput, st: MatchState, inverted: boolean): Step {
  const tok = tokenAt(inp, st.pos);
  if (tok?.kind !== 'ident') return expected(inp, st.pos, 'a condition');
  const name = tok.text.toLowerCase();
  const cond = CONDITIONS.findIndex((c) => c.name === name || (c.also as readonly string[]).includes(name));
  if (cond < 0) return fail(inp, st.pos, 'PL2013', tok.text, inp.mnemonic);
  return withField(st, st.pos + 1, 'cond', inverted ? cond ^ 1 : cond);
}

/** `s<op0>_<op1>_c<CRn>_c<CRm>_<op2>`, GNU as's name for any system register (op0 2 or 3). */
const GENERIC_SYSREG = /^s([23])_([0-7])_c([0-9]|1[0-5])_c([0-9]|1[0-5])_([0-7])$/;

/** A system register by name or generic name. */
function matchSystemRegister(inp: MatchInput, st: MatchState): Step {
  const tok = tokenAt(inp, st.pos);
  if (tok?.kind !== 'ident') return expected(inp, st.pos, 'a system register');
  const name = tok.text.toLowerCase();
  const named = SYSREG_BY_NAME.get(name);
  if (named !== undefined) return withField(st, st.pos + 1, 'sysreg', named);
  const m = GENERIC_SYSREG.exec(name);
  if (!m) return fail(inp, st.pos, 'PL2013', tok.text, inp.mnemonic);
  const [op0, op1, crn, crm, op2] = m.slice(1).map(Number);
  return withField(st, st.pos + 1, 'sysreg', sysregField(op0, op1, crn, crm, op2));
}

const ISB_NAMES: readonly (string | undefined)[] = Object.freeze([...Array<undefined>(15).fill(undefined), 'sy']);

function matchSlot(inp: MatchInput, st: MatchState, name: SlotName): Step {
  const slot = SLOTS[name];
  switch (slot.kind) {
    case 'reg': return matchRegister(inp, st, slot);
    case 'imm': case 'label': case 'page': case 'lsl': case 'bitmask': case 'wide': case 'offset': case 'bitfield': case 'zero':
      return matchExpr(inp, st, name);
    case 'shift': {
      const tok = tokenAt(inp, st.pos);
      const i = tok?.kind === 'ident' ? (SHIFTS as readonly string[]).indexOf(tok.text.toLowerCase()) : -1;
      if (!tok) return expected(inp, st.pos, 'a shift');
      if (i < 0 || (i === 3 && !slot.ror)) return fail(inp, st.pos, 'PL2012', tok.text);
      return withField(st, st.pos + 1, 'shift', i);
    }
    case 'extend': case 'ldst-extend': return matchExtend(inp, st, slot.kind);
    case 'barrier': return matchNamed(inp, st, name, 'crm', BARRIER_OPTIONS, true);
    case 'isb-option': return matchNamed(inp, st, name, 'crm', ISB_NAMES, true);
    case 'targets': return matchNamed(inp, st, name, 'targets', BTI_TARGETS, false);
    case 'cond': return matchCondition(inp, st, slot.inverted);
    case 'sysreg': return matchSystemRegister(inp, st);
  }
}

/** Match items[i..] from state `st`, trying each optional group with and without it. */
export function matchItems(inp: MatchInput, items: readonly Item[], st: MatchState): Step {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const tok = tokenAt(inp, st.pos);
    switch (item.kind) {
      case 'punct':
        if (tok?.text !== item.text) return expected(inp, st.pos, `\`${item.text}\``);
        st = { ...st, pos: st.pos + 1 };
        break;
      case 'hash':
        if (tok?.text === '#') st = { ...st, pos: st.pos + 1 };
        break;
      case 'word':
        if (tok?.kind !== 'ident' || tok.text.toLowerCase() !== item.text) return expected(inp, st.pos, `\`${item.text}\``);
        st = { ...st, pos: st.pos + 1 };
        break;
      case 'slot': {
        const r = matchSlot(inp, st, item.slot);
        if (isFailure(r)) return r;
        st = r;
        break;
      }
      case 'optional': {
        const rest = items.slice(i + 1);
        const withGroup = matchItems(inp, [...item.items, ...rest], st);
        if (!isFailure(withGroup)) return withGroup;
        const without = matchItems(inp, rest, st);
        if (!isFailure(without)) return without;
        return withGroup.pos >= without.pos ? withGroup : without;
      }
    }
  }
  const extra = tokenAt(inp, st.pos);
  if (extra === undefined) return st;
  if (extra.text === ',') return fail(inp, st.pos, 'PL2002', inp.mnemonic, inp.expected, inp.stmt.operands.length);
  return fail(inp, st.pos, 'PL1002', extra.text);
}

export { isFailure };
