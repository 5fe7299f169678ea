// AT&T operands as GNU as writes them: %reg, $imm, seg:disp(base,index,scale), *indirect, bare targets.

import type { SourceSpan } from '../../base/diagnostics.js';
import type { Expr, Token } from '../asm/expr.js';
import type { ParseContext } from '../types.js';
import { isRegister, REGISTERS, type X86Reg } from './table.js';

export type SegmentName = 'cs' | 'ds' | 'es' | 'ss' | 'fs' | 'gs';
/** In ModRM.reg order: their index is their number. */
const SEGMENT_REGISTERS: readonly string[] = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];

/** A memory operand as written; checked for a valid base/index pair, not yet encoded. */
export interface MemSyntax {
  readonly seg: SegmentName | undefined;
  readonly disp: Expr | undefined;
  /** The displacement's value when it is a constant already (GNU as picks disp8 on that). */
  readonly dispNow: bigint | undefined;
  readonly base: X86Reg | undefined;
  readonly index: X86Reg | 'riz' | 'eiz' | undefined;
  readonly scale: 1 | 2 | 4 | 8;
  readonly ripRelative: boolean;
  readonly addressSize: 32 | 64;
  /** No parentheses: `0x1234`, `foo` (an absolute address, or a branch target). */
  readonly bare: boolean;
}

export type Operand =
  | { readonly kind: 'reg'; readonly reg: X86Reg; readonly star: boolean; readonly span: SourceSpan }
  /** %es … %gs without a `:` after it: only mov from a segment register takes one. */
  | { readonly kind: 'sreg'; readonly num: number; readonly span: SourceSpan }
  /** %cr0 … %cr15: only mov to and from control registers takes one. */
  | { readonly kind: 'cr'; readonly num: number; readonly span: SourceSpan }
  | { readonly kind: 'imm'; readonly expr: Expr; readonly now: bigint | undefined; readonly span: SourceSpan }
  | { readonly kind: 'mem'; readonly mem: MemSyntax; readonly star: boolean; readonly span: SourceSpan };

const isPunct = (t: Token | undefined, text: string): boolean => t?.kind === 'punct' && t.text === text;

/** `$foo` scans as one identifier; split it so that `$` is always punctuation. */
function splitDollar(tokens: readonly Token[]): readonly Token[] {
  const t = tokens[0];
  if (t?.kind !== 'ident' || !t.text.startsWith('$') || t.text.length < 2) return tokens;
  const rest: Token = { kind: 'ident', text: t.text.slice(1), span: { ...t.span, col: t.span.col + 1 } };
  return [{ kind: 'punct', text: '$', span: t.span }, rest, ...tokens.slice(1)];
}

/** Tokens split at commas outside parentheses; `at` is where an empty operand is (its comma). */
export function splitAtCommas(tokens: readonly Token[]): { tokens: Token[]; at: SourceSpan | undefined }[] {
  if (tokens.length === 0) return [];
  const out: { tokens: Token[]; at: SourceSpan | undefined }[] = [{ tokens: [], at: undefined }];
  let depth = 0;
  for (const t of tokens) {
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth = Math.max(0, depth - 1);
    else if (isPunct(t, ',') && depth === 0) {
      out[out.length - 1].at ??= t.span;
      out.push({ tokens: [], at: undefined });
      continue;
    }
    out[out.length - 1].tokens.push(t);
  }
  return out;
}

function registerAt(tokens: readonly Token[], i: number, ctx: ParseContext): { name: string; span: SourceSpan } | undefined {
  const t = tokens[i + 1];
  if (t?.kind !== 'ident') {
    ctx.report('PL1003', (t ?? tokens[i]).span, 'a register name after `%`', t?.text ?? 'end of operand');
    return undefined;
  }
  return { name: t.text.toLowerCase(), span: tokens[i].span };
}

/**
 * Parse one operand (its tokens, without the separating commas). Reports and returns undefined when
 * bad; an empty operand is reported at `at` (its comma), else at the end of the statement.
 */
export function parseOperand(raw: readonly Token[], ctx: ParseContext, end: SourceSpan, at?: SourceSpan): Operand | undefined {
  const tokens = splitDollar(raw);
  if (tokens.length === 0) {
    ctx.report('PL1003', at ?? end, 'an operand', at ? '`,`' : 'end of line');
    return undefined;
  }
  let i = 0;
  const star = isPunct(tokens[0], '*');
  if (star) i++;
  const span = tokens[0].span;
  const t = tokens[i];
  if (!t) {
    ctx.report('PL1003', end, 'an operand after `*`', 'end of operand');
    return undefined;
  }
  if (isPunct(t, '$') && !star) {
    const e = ctx.parseExpr(tokens, i + 1);
    if (!e) return undefined;
    if (!atEnd(tokens, e.next, ctx)) return undefined;
    return { kind: 'imm', expr: e.expr, now: ctx.constantNow(e.expr), span };
  }
  if (isPunct(t, '%')) {
    const r = registerAt(tokens, i, ctx);
    if (!r) return undefined;
    if (SEGMENT_REGISTERS.includes(r.name) && isPunct(tokens[i + 2], ':')) {
      const mem = parseMemory(tokens, i + 3, r.name as SegmentName, ctx, end);
      return mem && { kind: 'mem', mem, star, span };
    }
    const sreg = SEGMENT_REGISTERS.indexOf(r.name);
    if (sreg >= 0 && !star) {
      if (!atEnd(tokens, i + 2, ctx)) return undefined;
      return { kind: 'sreg', num: sreg, span };
    }
    const cr = /^cr([0-9]|1[0-5])$/.exec(r.name);
    if (cr && !star) {
      if (!atEnd(tokens, i + 2, ctx)) return undefined;
      return { kind: 'cr', num: Number(cr[1]), span };
    }
    if (!isRegister(r.name)) {
      ctx.report('PL2004', r.span, `%${r.name}`);
      return undefined;
    }
    if (!atEnd(tokens, i + 2, ctx)) return undefined;
    return { kind: 'reg', reg: r.name, star, span };
  }
  const mem = parseMemory(tokens, i, undefined, ctx, end);
  return mem && { kind: 'mem', mem, star, span };
}

function atEnd(tokens: readonly Token[], i: number, ctx: ParseContext): boolean {
  if (i >= tokens.length) return true;
  ctx.report('PL1002', tokens[i].span, tokens[i].text);
  return false;
}

/** `disp`, `disp(base)`, `(base,index,scale)`, `(,index)` …, after any `%seg:`. */
function parseMemory(
  tokens: readonly Token[], i: number, seg: SegmentName | undefined, ctx: ParseContext, end: SourceSpan,
): MemSyntax | undefined {
  let disp: Expr | undefined;
  const groupStarts = (k: number) => isPunct(tokens[k], '(') && (isPunct(tokens[k + 1], '%') || isPunct(tokens[k + 1], ','));
  if (!groupStarts(i)) {
    if (i >= tokens.length) {
      ctx.report('PL1003', end, 'a memory operand', 'end of operand');
      return undefined;
    }
    const e = ctx.parseExpr(tokens, i);
    if (!e) return undefined;
    disp = e.expr;
    i = e.next;
  }
  const dispNow = disp && ctx.constantNow(disp);
  if (i >= tokens.length) {
    if (!disp) return undefined;
    return { seg, disp, dispNow, base: undefined, index: undefined, scale: 1, ripRelative: false, addressSize: 64, bare: true };
  }
  if (!groupStarts(i)) {
    ctx.report('PL1002', tokens[i].span, tokens[i].text);
    return undefined;
  }
  const group = parseBaseIndex(tokens, i + 1, ctx, end);
  if (!group) return undefined;
  if (!atEnd(tokens, group.next, ctx)) return undefined;
  return { seg, disp, dispNow, ...group.mem, bare: false };
}

type BaseIndex = Pick<MemSyntax, 'base' | 'index' | 'scale' | 'ripRelative' | 'addressSize'>;

/** Inside the parentheses: `%base`, `,%index`, `,scale`, then `)`. */
function parseBaseIndex(
  tokens: readonly Token[], i: number, ctx: ParseContext, end: SourceSpan,
): { mem: BaseIndex; next: number } | undefined {
  let base: { name: string; span: SourceSpan } | undefined;
  let index: { name: string; span: SourceSpan } | undefined;
  let scale: 1 | 2 | 4 | 8 = 1;
  if (isPunct(tokens[i], '%')) {
    base = registerAt(tokens, i, ctx);
    if (!base) return undefined;
    i += 2;
  }
  if (isPunct(tokens[i], ',')) {
    i++;
    if (isPunct(tokens[i], '%')) {
      index = registerAt(tokens, i, ctx);
      if (!index) return undefined;
      i += 2;
    }
    if (isPunct(tokens[i], ',')) {
      const s = parseScale(tokens, i + 1, ctx, end);
      if (!s) return undefined;
      scale = s.scale;
      i = s.next;
    } else if (!index) {
      const u = tokens[i];
      ctx.report('PL1003', u?.span ?? end, 'an index register or scale after `,`', u?.text ?? 'end of operand');
      return undefined;
    }
  }
  if (!isPunct(tokens[i], ')')) {
    const u = tokens[i];
    ctx.report('PL1003', u?.span ?? end, '`)`', u?.text ?? 'end of operand');
    return undefined;
  }
  const mem = checkBaseIndex(base, index, scale, ctx);
  return mem && { mem, next: i + 1 };
}

function parseScale(tokens: readonly Token[], i: number, ctx: ParseContext, end: SourceSpan): { scale: 1 | 2 | 4 | 8; next: number } | undefined {
  const at = tokens[i]?.span ?? end;
  const e = ctx.parseExpr(tokens, i);
  if (!e) return undefined;
  const v = ctx.constantNow(e.expr);
  if (v !== 1n && v !== 2n && v !== 4n && v !== 8n) {
    ctx.report('PL3002', at, v === undefined ? tokens[i].text : v);
    return undefined;
  }
  return { scale: Number(v) as 1 | 2 | 4 | 8, next: e.next };
}

const PSEUDO_BASE: ReadonlyMap<string, 32 | 64> = new Map([['rip', 64], ['eip', 32]]);
const PSEUDO_INDEX: ReadonlyMap<string, 32 | 64> = new Map([['riz', 64], ['eiz', 32]]);

/** A base and index must be general registers of one size (64, or 32 under addr32); rsp is never an index. */
function checkBaseIndex(
  base: { name: string; span: SourceSpan } | undefined, index: { name: string; span: SourceSpan } | undefined,
  scale: 1 | 2 | 4 | 8, ctx: ParseContext,
): BaseIndex | undefined {
  const sizeOf = (r: { name: string; span: SourceSpan }, pseudo: ReadonlyMap<string, 32 | 64>): 32 | 64 | undefined => {
    const p = pseudo.get(r.name);
    if (p) return p;
    if (!isRegister(r.name)) {
      const misplaced = PSEUDO_BASE.has(r.name) || PSEUDO_INDEX.has(r.name);
      ctx.report(misplaced ? 'PL2014' : 'PL2004', r.span, misplaced ? `\`%${r.name}\` is not allowed there` : `%${r.name}`);
      return undefined;
    }
    const info = REGISTERS[r.name];
    if (info.size !== 32 && info.size !== 64) {
      ctx.report('PL2014', r.span, `\`%${r.name}\` cannot address memory: use a 64-bit register`);
      return undefined;
    }
    return info.size;
  };
  const bSize = base && sizeOf(base, PSEUDO_BASE);
  const iSize = index && sizeOf(index, PSEUDO_INDEX);
  if ((base && !bSize) || (index && !iSize)) return undefined;
  if (bSize && iSize && bSize !== iSize) {
    ctx.report('PL2014', index!.span, `\`%${base!.name}\` and \`%${index!.name}\` are of different sizes`);
    return undefined;
  }
  const ripRelative = base !== undefined && PSEUDO_BASE.has(base.name);
  if (ripRelative && index) {
    ctx.report('PL2014', index.span, `\`%${base!.name}\` takes no index`);
    return undefined;
  }
  if (index && (index.name === 'rsp' || index.name === 'esp')) {
    ctx.report('PL2014', index.span, `\`%${index.name}\` cannot be an index`);
    return undefined;
  }
  return {
    base: ripRelative ? undefined : (base?.name as X86Reg | undefined),
    index: index?.name as X86Reg | 'riz' | 'eiz' | undefined,
    scale, ripRelative, addressSize: (bSize ?? iSize ?? 64) as 32 | 64,
  };
}
