// GNU as AT&T statements for x86-64: prefix words, mnemonic (with suffix, `.d8`/`.d32`/`.s`), operands.

import type { SourceSpan } from '../../base/diagnostics.js';
import type { Token } from '../asm/expr.js';
import type { InsnStatement, InsnTemplate, ParseContext } from '../types.js';
import { makeTemplate, type Written } from './syntax-build.js';
import { parseOperand, splitAtCommas, type Operand } from './syntax-operands.js';
import { lookupMnemonic, selectForm, type Selection } from './syntax-select.js';
import { X86_FORMS, type X86Op } from './table-forms.js';
import { PREFIXES, prefixNamed, rexPrefixBits, type X86Insn as X86InsnOf } from './table.js';

type X86Insn = X86InsnOf<X86Op>;

interface Word {
  readonly text: string;
  readonly span: SourceSpan;
}

const HINTS: ReadonlyMap<string, number> = new Map([['pt', 0x3e], ['pn', 0x2e]]);

/** Prefix words before the mnemonic; returns the mnemonic word and the tokens after it. */
function takePrefixes(
  stmt: InsnStatement, ctx: ParseContext,
): { written: Written['prefixes'][number][]; rex: number | undefined; head: Word | undefined; rest: readonly Token[] } | undefined {
  const written: Written['prefixes'][number][] = [];
  let rex: number | undefined;
  let head: Word = { text: stmt.mnemonic.toLowerCase(), span: stmt.span };
  let rest = stmt.tokens;
  for (;;) {
    const p = prefixNamed(head.text);
    const r = rexPrefixBits(head.text);
    if (p) written.push({ byte: p.byte, group: p.group, span: head.span });
    else if (r !== undefined) rex = (rex ?? 0) | r;
    else return { written, rex, head, rest };
    if (rest.length === 0) return { written, rex, head: undefined, rest };
    const next = rest[0];
    if (next.kind !== 'ident') {
      ctx.report('PL1003', next.span, 'an instruction after the prefix', next.text);
      return undefined;
    }
    head = { text: next.text.toLowerCase(), span: next.span };
    rest = rest.slice(1);
  }
}

/** Prefix words alone on a line: GNU as emits just their bytes. */
function prefixOnly(written: Written['prefixes'], rex: number | undefined): InsnTemplate<X86Insn> {
  const prefixes = written.map((p) => p.byte);
  const length = prefixes.length + (rex === undefined ? 0 : 1);
  const insn: X86Insn = { op: 'prefix', prefixes, rex: rex === undefined ? 0 : 0x40 | rex, opsize: 0, cond: undefined, operands: [], length };
  return { sizes: [length], build: () => ({ insn, fixups: [] }) };
}

const MODIFIERS: Readonly<Record<string, { disp?: 1 | 4; swap?: true }>> = { d8: { disp: 1 }, d32: { disp: 4 }, s: { swap: true } };

export function parseInstruction(stmt: InsnStatement, ctx: ParseContext): InsnTemplate<X86Insn> | undefined {
  const taken = takePrefixes(stmt, ctx);
  if (!taken) return undefined;
  const { head } = taken;
  let { rest } = taken;
  if (!head) return prefixOnly(taken.written, taken.rex);
  const written = [...taken.written];
  const dot = /^(.+)\.(d8|d32|s)$/.exec(head.text);
  const name = dot ? dot[1] : head.text;
  const modifier = dot ? MODIFIERS[dot[2]] : {};
  const entry = lookupMnemonic(name);
  if (!entry) {
    ctx.report('PL2001', head.span, head.text);
    return undefined;
  }
  // `je,pt target`: a branch hint is a segment prefix.
  const hint = rest[0]?.text === ',' && rest[1]?.kind === 'ident' ? HINTS.get(rest[1].text.toLowerCase()) : undefined;
  if (entry.cond !== undefined && hint !== undefined) {
    written.push({ byte: hint, group: 'seg', span: rest[1].span });
    rest = rest.slice(2);
  }
  const operands: Operand[] = [];
  for (const part of splitAtCommas(rest)) {
    const o = parseOperand(part.tokens, ctx, stmt.end, part.at);
    if (!o) return undefined;
    operands.push(o);
  }
  const addr32 = written.some((p) => p.byte === PREFIXES.addr32.byte);
  const sel = selectForm(name, entry, operands, { swapped: modifier.swap === true, addr32 }, head.span, ctx);
  if (!sel) return undefined;
  const w: Written = { prefixes: written, rex: taken.rex, disp: modifier.disp, span: head.span };
  const { short, long } = branchForms(sel, w, ctx);
  return makeTemplate(short, w, long, ctx);
}

/**
 * jmp and jcc to a label start short and may grow (GNU as relaxes them); to a constant address, or
 * with `.d32`, they are long from the start (GNU as then leaves a relocation against *ABS*).
 */
function branchForms(sel: Selection, w: Written, ctx: ParseContext): { short: Selection; long: Selection | undefined } {
  const longOp = sel.op === 'jmp_rel8' ? 'jmp_rel32' : sel.op === 'jcc_rel8' ? 'jcc_rel32' : undefined;
  if (!longOp) return { short: sel, long: undefined };
  const long: Selection = { ...sel, op: longOp, spec: X86_FORMS[longOp] };
  const target = sel.operands[0];
  const constant = target.kind === 'mem' && target.mem.disp !== undefined && ctx.constantNow(target.mem.disp) !== undefined;
  if (constant || w.disp === 4) return { short: long, long: undefined };
  return { short: sel, long };
}
