// GNU as operand syntax to instruction templates: the mnemonic's spellings tried in GNU's order, the first that reads the operands wins.

import type { Expr } from '../asm/expr.js';
import type { AsmValue, BuildEnv, BuildResult, Fixup, InsnStatement, InsnTemplate, ParseContext } from '../types.js';
import { encodable, type RiscvCode } from './encode.js';
import { branchTemplate, isBranchOp } from './syntax-branch.js';
import { MACROS } from './syntax-macros.js';
import { csrNumber, fenceSet, parseOperand, type Operand } from './syntax-operands.js';
import { CANDIDATES, finalInsn, type Candidate, type Match, type Pending } from './syntax-spellings.js';
import { isFailure, slotValue, type SlotFailure } from './syntax-values.js';
import { FORM_BY_OP, makeInsn } from './table-layout.js';
import type { FieldName, RiscvInsn } from './table.js';

interface Mismatch {
  readonly at: number;
  readonly failure: SlotFailure;
}

const STORES = new Set(['sb', 'sh', 'sw', 'sd']);

function setField(fields: Partial<Record<FieldName, number>>, field: FieldName, v: number): boolean {
  if (fields[field] !== undefined && fields[field] !== v) return false;
  fields[field] = v;
  return true;
}

/** Read the operands as spelling `c` writes them, or say where they stop fitting. */
function match(c: Candidate, operands: readonly Operand[], stmt: InsnStatement): Match | Mismatch {
  if (operands.length !== c.items.length) {
    return { at: -1, failure: { code: 'PL2002', span: stmt.span, args: [c.mnemonic, c.items.length, operands.length] } };
  }
  const fields: Partial<Record<FieldName, number>> = { ...c.fixed };
  const pending: Pending[] = [];
  for (let k = 0; k < operands.length; k++) {
    const item = c.items[k], o = operands[k];
    const fail = (what: string): Mismatch => ({ at: k, failure: { code: 'PL2003', span: o.span, args: [c.mnemonic, what] } });
    switch (item.kind) {
      case 'reg':
        if (o.kind !== 'reg') return fail('expected a register');
        if (!setField(fields, item.field, o.reg)) return fail('this register is not allowed here');
        break;
      case 'mem':
        if (o.kind !== 'mem') return fail('expected `offset(register)`');
        setField(fields, 'rs1', o.base);
        if (o.offset) pending.push({ slot: 'imm', value: o.offset });
        break;
      case 'amo':
        if (o.kind !== 'mem') return fail('expected `(register)`');
        setField(fields, 'rs1', o.base);
        // GNU as takes `0(a0)` here as well as `(a0)`; any other offset is checked when built.
        if (o.offset) pending.push({ slot: 'imm', value: o.offset });
        break;
      case 'value': {
        if (o.kind !== 'value') return fail('expected an expression');
        if (item.slot === 'pred' || item.slot === 'succ') {
          const set = fenceSet(o.name);
          if (set === undefined) return fail('expected a fence set (`rw`, `iorw` …)');
          setField(fields, item.slot, set);
          break;
        }
        const csr = item.slot === 'csr' ? csrNumber(o.name) : undefined;
        if (csr !== undefined) setField(fields, 'csr', csr);
        else pending.push({ slot: item.slot, value: o.value });
        break;
      }
    }
  }
  return { c, fields, pending };
}

type Evaluate = (expr: Expr) => AsmValue | undefined;

/** The 32-bit instruction (and its relocation) with every pending value evaluated, or why not. */
function resolve(m: Match, evaluate: Evaluate, stmt: InsnStatement): { insn: RiscvInsn; fixup?: Fixup } | SlotFailure | undefined {
  const fields = { ...m.fields };
  let fixup;
  const amo = m.c.items.some((i) => i.kind === 'amo');
  for (const p of m.pending) {
    const v = evaluate(p.value.expr);
    if (!v) return undefined;
    if (p.slot === 'target') continue;
    const r = slotValue(p.slot === 'shamt' ? 'imm' : p.slot, p.value, v, STORES.has(m.c.op));
    if (isFailure(r)) return r;
    if (amo) {
      if (r.value !== 0 || r.fixup) return { code: 'PL2003', span: p.value.span, args: [m.c.mnemonic, 'the address takes no offset'] };
      continue;
    }
    if (r.fixup) fixup = r.fixup;
    fields[p.slot === 'csr' ? 'csr' : 'imm'] = r.value;
  }
  const insn = makeInsn(m.c.op, fields);
  const form = FORM_BY_OP[m.c.op];
  if (!encodable(form, insn)) return rangeFailure(m, insn, stmt);
  return fixup ? { insn, fixup } : { insn };
}

/** The diagnostic for a value no field of the entry can hold. */
function rangeFailure(m: Match, insn: RiscvInsn, stmt: InsnStatement): SlotFailure {
  const form = FORM_BY_OP[m.c.op];
  const p = m.pending.find((q) => q.slot !== 'target');
  const span = p?.value.span ?? stmt.span;
  if (p?.slot === 'csr') return { code: 'PL2005', span, args: [insn.csr, '[0, 4095]'] };
  const bits = form.immBits;
  const lo = form.signed ? -(2 ** (bits - 1)) : 0, hi = form.signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  return { code: 'PL2005', span, args: [insn.imm, `[${lo}, ${hi}]`] };
}

function fixedTemplate(m: Match, stmt: InsnStatement, ctx: ParseContext): InsnTemplate<RiscvCode> | undefined {
  // GNU as compresses only what it knows at parse time: constants. A symbol keeps the 32-bit form.
  const constant = m.pending.every((p) => ctx.constantNow(p.value.expr) !== undefined);
  if (constant) {
    const r = resolve(m, (e) => ({ kind: 'const', value: ctx.constantNow(e)! }), stmt);
    if (!r) return undefined;
    if (isFailure(r)) {
      ctx.report(r.code, r.span, ...r.args);
      return undefined;
    }
    const insn = r.fixup || ctx.compress === false ? r.insn : finalInsn(m.c, r.insn);
    return { sizes: [FORM_BY_OP[insn.op].length], build: () => ({ insn, fixups: r.fixup ? [r.fixup] : [] }) };
  }
  return {
    sizes: [4],
    build: (env: BuildEnv): BuildResult<RiscvCode> => {
      const r = resolve(m, (e) => env.evaluate(e), stmt);
      if (!r) return env.final ? 'error' : { insn: makeInsn('addi', {}), fixups: [] };
      if (isFailure(r)) {
        env.report(r.code, r.span, ...r.args);
        return env.final ? 'error' : { insn: makeInsn('addi', {}), fixups: [] };
      }
      return { insn: r.insn, fixups: r.fixup ? [r.fixup] : [] };
    },
  };
}

export function parseInstruction(stmt: InsnStatement, ctx: ParseContext): InsnTemplate<RiscvCode> | undefined {
  const mnemonic = stmt.mnemonic.toLowerCase();
  const operands: Operand[] = [];
  for (const tokens of stmt.operands) {
    if (tokens.length === 0) {
      ctx.report('PL1003', stmt.end, 'an operand', ',');
      return undefined;
    }
    const o = parseOperand(tokens, ctx);
    if (!o) return undefined;
    operands.push(o);
  }
  const macro = MACROS[mnemonic];
  if (macro) return macro(stmt, operands, ctx);
  const candidates = CANDIDATES.get(mnemonic);
  if (!candidates) {
    ctx.report('PL2001', stmt.span, stmt.mnemonic);
    return undefined;
  }
  let best: Mismatch | undefined;
  for (const c of candidates) {
    const m = match(c, operands, stmt);
    if ('failure' in m) {
      if (!best || m.at > best.at) best = m;
      continue;
    }
    return isBranchOp(c.op) ? branchTemplate(m, stmt, ctx.compress !== false) : fixedTemplate(m, stmt, ctx);
  }
  ctx.report(best!.failure.code, best!.failure.span, ...best!.failure.args);
  return undefined;
}
