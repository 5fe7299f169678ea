// GNU as syntax for ppc: a mnemonic (with its +/- hint) to a plan, its operands to a template that builds the instruction.

import { assertNever } from '../../base/assert.js';
import type { SourceSpan } from '../../base/diagnostics.js';
import { fitsSigned } from '../../base/bits.js';
import type { Expr, Token } from '../asm/expr.js';
import type { BuildEnv, BuildResult, Fixup, InsnStatement, InsnTemplate, ParseContext } from '../types.js';
import { ALIASES, valueBits } from './encode.js';
import { relocType } from './relocs.js';
import { immediateValue, parseOperand, placeFixup, smallValue, type Pending } from './syntax-operands.js';
import { BO_ALWAYS, BRANCH_CONDITIONS, BRANCH_STEMS, hintBits64, validBo, type Hint } from './table-branch.js';
import { ROTATE_MNEMONICS, rotateFields, type RotateMnemonic } from './table-rotate.js';
import { FIELDS, PPC_TABLE, type EntrySpec, type FieldName, type OperandSpec, type PpcInsn, type PpcOp } from './table.js';

type Mode = 32 | 64;

/** How a mnemonic becomes an instruction: the entry, its operands in written order, the fields it implies. */
interface Plan {
  readonly op: PpcOp;
  readonly operands: readonly OperandSpec[];
  readonly when: Partial<Readonly<Record<FieldName, number>>>;
  readonly same?: readonly [FieldName, FieldName];
  /** Conditional branches: the +/- hint, whether an extended mnemonic, the CR bit a `crN` operand picks. */
  readonly branch?: { readonly hint: Hint; readonly extended: boolean; readonly cond?: number };
  /** Rotate mnemonics (table-rotate.ts): the number operands are read into PARAMS, then the fields computed. */
  readonly rotate?: RotateMnemonic;
}

/**
 * Where a rotate mnemonic's number operands are held until its fields are computed: names that are no
 * field of the word (the cast only lets them travel through the operand readers).
 */
const PARAMS = ['param0', 'param1'] as unknown as readonly FieldName[];

/** Plans for the rotate mnemonics and their record forms (`slwi.` on `rlwinm.`). */
function rotatePlans(mode: Mode): [string, Plan][] {
  const out: [string, Plan][] = [];
  for (const m of ROTATE_MNEMONICS) {
    if (m.asm === 'none' || (m.asm === '64' && mode === 32)) continue;
    const operands: OperandSpec[] = [['gpr', 'ra'], ['gpr', 'rs'], ...(m.rb ? [['gpr', 'rb'] as const] : []), ...m.params.map((k, i) => [k, PARAMS[i]] as const)];
    for (const dot of ['', '.']) out.push([m.mnemonic + dot, { op: `${m.op}${dot}` as PpcOp, operands, when: {}, rotate: m }]);
  }
  return out;
}

const B_FORMS = [['bc', ''], ['bcl', 'l'], ['bca', 'a'], ['bcla', 'la']] as const;
const REG_FORMS = [['bclr', 'lr'], ['bclrl', 'lrl'], ['bcctr', 'ctr'], ['bcctrl', 'ctrl']] as const;
const HINTS: readonly Hint[] = ['', '+', '-'];

/** The last operand of a branch form: its target, or the optional BH of bclr/bcctr. */
const lastOperand = (op: PpcOp): OperandSpec => {
  const ops: readonly OperandSpec[] = PPC_TABLE[op].operands;
  return ops[ops.length - 1];
};

/** Extended branch mnemonics GNU as accepts in `mode` (beq, bnelr+, bdnz, bdnzt, bt, blr…), derived from table-branch.ts. */
function branchPlans(mode: Mode): [string, Plan][] {
  const out: [string, Plan][] = [];
  const forms = [...B_FORMS, ...REG_FORMS];
  for (const [name, bit, ifSet] of BRANCH_CONDITIONS) {
    for (const [op, sfx] of forms) {
      for (const hint of HINTS) {
        out.push([`b${name}${sfx}${hint}`, {
          op, operands: [['crf?', 'bi'], lastOperand(op)], when: { bo: ifSet ? 12 : 4 }, branch: { hint, extended: true, cond: bit },
        }]);
      }
    }
  }
  for (const [stem, s] of Object.entries(BRANCH_STEMS)) {
    for (const [op, sfx] of forms) {
      if (op.startsWith('bcc') && !s.ctr) continue;
      for (const hint of HINTS) {
        if (hint && mode === 64 && !s.hint64) continue;
        const bi: OperandSpec[] = s.bi === 'crb' ? [['crb', 'bi']] : [];
        out.push([`b${stem}${sfx}${hint}`, {
          op, operands: [...bi, lastOperand(op)], when: s.bi === 'none' ? { bo: s.bo, bi: 0 } : { bo: s.bo }, branch: { hint, extended: true },
        }]);
      }
    }
  }
  for (const [op, sfx] of REG_FORMS) {
    out.push([`b${sfx}`, { op, operands: [['bh?', 'bh']], when: { bo: BO_ALWAYS, bi: 0 }, branch: { hint: '', extended: true } }]);
  }
  return out;
}

function plans(mode: Mode): ReadonlyMap<string, Plan> {
  const out = new Map<string, Plan>();
  const accepts = (asm: 'both' | '64' | 'none') => asm === 'both' || (asm === '64' && mode === 64);
  for (const [op, e] of Object.entries(PPC_TABLE) as [PpcOp, EntrySpec][]) {
    if (e.only64 && mode === 32) continue;
    for (const hint of e.branch ? HINTS : ['' as Hint]) {
      out.set(op + hint, { op, operands: e.operands, when: {}, branch: e.branch ? { hint, extended: false } : undefined });
    }
    for (const a of ALIASES[op]) {
      if (accepts(a.asm) && !out.has(a.mnemonic)) out.set(a.mnemonic, { op, operands: a.operands, when: a.when ?? {}, same: a.same });
    }
  }
  for (const [m, p] of branchPlans(mode)) out.set(m, p);
  for (const [m, p] of rotatePlans(mode)) out.set(m, p);
  return out;
}

const PLANS: Readonly<Record<Mode, ReadonlyMap<string, Plan>>> = { 32: plans(32), 64: plans(64) };

/** Split operand tokens at top-level commas, keeping where each operand (or the gap for an empty one) is. */
function splitOperands(tokens: readonly Token[], end: SourceSpan): { tokens: Token[]; span: SourceSpan }[] {
  if (tokens.length === 0) return [];
  const out: { tokens: Token[]; span: SourceSpan }[] = [{ tokens: [], span: tokens[0].span }];
  let depth = 0;
  tokens.forEach((t, i) => {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth = Math.max(0, depth - 1);
    else if (t.text === ',' && depth === 0) {
      out.push({ tokens: [], span: tokens[i + 1]?.span ?? end });
      return;
    }
    out[out.length - 1].tokens.push(t);
  });
  return out;
}

/** A `+`/`-` written against the mnemonic (`beq+`) is a branch hint, not an operand. */
function hintOf(stmt: InsnStatement): Hint {
  const t = stmt.tokens[0];
  const adjacent = t && t.span.line === stmt.span.line && t.span.col === stmt.span.col + stmt.mnemonic.length;
  return adjacent && (t.text === '+' || t.text === '-') ? t.text : '';
}

export function parseInstruction(stmt: InsnStatement, ctx: ParseContext, mode: Mode): InsnTemplate<PpcInsn> | undefined {
  const hint = hintOf(stmt);
  const name = stmt.mnemonic.toLowerCase() + hint;
  const plan = PLANS[mode].get(name);
  if (!plan) {
    if (PLANS[mode === 32 ? 64 : 32].has(name)) ctx.report('PL2015', stmt.span, mode === 32 ? '32-bit (-a32)' : '64-bit (-a64)');
    else ctx.report('PL2001', stmt.span, name);
    return undefined;
  }
  const given = splitOperands(hint ? stmt.tokens.slice(1) : stmt.tokens, stmt.end);
  const total = plan.operands.length;
  const optional = plan.operands.filter((o) => o[0].endsWith('?')).length;
  if (given.length < total - optional || given.length > total) {
    const span = given.length > total ? given[total].span : stmt.end;
    ctx.report('PL2002', span, name, optional ? `${total - optional} to ${total}` : total, given.length);
    return undefined;
  }
  // Left-out optional operands are the last ones (`beqlr 2` is `beqlr cr2`, `cmpwi 3,5` leaves out cr0).
  let skip = total - given.length;
  const written: OperandSpec[] = [];
  const skipped: FieldName[] = [];
  for (let i = total - 1; i >= 0; i--) {
    const o = plan.operands[i];
    if (skip > 0 && o[0].endsWith('?')) {
      skip--;
      skipped.push(o[1]);
    } else written.unshift(o);
  }
  const pending: Pending[] = [];
  let ok = true;
  written.forEach((spec, i) => {
    const g = given[i];
    if (g.tokens.length === 0) {
      ctx.report('PL1003', g.span, 'an operand', ',');
      ok = false;
      return;
    }
    const p = parseOperand(g.tokens, spec, ctx);
    if (p) pending.push(p);
    else ok = false;
  });
  if (!ok) return undefined;
  return { sizes: [4], build: (env, size) => build(plan, pending, skipped, env, mode, stmt.span, size) };
}

function build(plan: Plan, pending: readonly Pending[], skipped: readonly FieldName[], env: BuildEnv, mode: Mode, span: SourceSpan, size: number): BuildResult<PpcInsn> {
  const fields: Record<string, number> = { ...plan.when };
  // A left-out CR field of `beq` is cr0: BI is just the condition's bit.
  for (const f of skipped) fields[f] = f === 'bi' ? plan.branch?.cond ?? 0 : 0;
  const fixups: Fixup[] = [];
  let ok = true;
  for (const p of pending) ok = operandInto(p, fields, fixups, env, mode, plan) && ok;
  if (!ok || size !== 4) return 'error';
  if (plan.same) fields[plan.same[0]] = fields[plan.same[1]];
  if (plan.rotate) Object.assign(fields, rotateFields(plan.rotate, PARAMS.map((p) => fields[p]), (f) => valueBits(FIELDS[f])));
  const spec: EntrySpec = PPC_TABLE[plan.op];
  if (spec.update && (fields.ra === 0 || (spec.update === 'load' && fields.ra === fields.rt))) {
    env.report('PL2016', pending[pending.length - 1].base?.span ?? span, `r${fields.ra}`, 'invalid register operand when updating');
    return 'error';
  }
  if (plan.branch && !branchOptions(plan, fields, env, mode, span)) return 'error';
  const oneField = fields.fxm !== undefined && fields.fxm !== 0 && (fields.fxm & (fields.fxm - 1)) === 0;
  if ((plan.op === 'mtocrf' || plan.op === 'mfocrf') && !oneField) {
    env.report('PL2005', pending[plan.op === 'mtocrf' ? 0 : 1].span, fields.fxm, 'one CR field (0x01, 0x02 … 0x80)');
    return 'error';
  }
  // GNU as -a64 (POWER4 and later) writes `mtcrf` of a single field as the faster mtocrf.
  const op: PpcOp = plan.op === 'mtcrf' && mode === 64 && oneField ? 'mtocrf' : plan.op;
  const insn = { op } as Record<string, number | string>;
  for (const o of spec.operands) for (const f of o.slice(1) as FieldName[]) insn[f] = fields[f];
  return { insn: insn as unknown as PpcInsn, fixups };
}

/** Evaluate one operand into its field(s); relocations into `fixups`. */
function operandInto(p: Pending, fields: Record<string, number>, fixups: Fixup[], env: BuildEnv, mode: Mode, plan: Plan): boolean {
  const [kind, field] = p.spec;
  const half16 = mode === 32 ? 2 : 0;
  switch (kind) {
    case 'si': case 'sihi': case 'ui': case 'uicmp': case 'mem': case 'memds': {
      const immKind = kind === 'mem' ? 'si' : kind === 'memds' ? 'ds' : kind;
      const r = immediateValue(p.value as Expr, immKind, p.span, env, mode);
      const base = p.base && smallValue(p.base.value, 'gpr0', p.base.span, env, plan.op);
      if (!r || (p.base && base === undefined)) return false;
      fields[field] = r.value;
      if (p.base) fields[p.spec[2] as FieldName] = base!;
      if (r.fixup) fixups.push(placeFixup(r.fixup, half16, env.address));
      return true;
    }
    case 'rel': case 'abs': {
      const r = targetValue(p, env, mode, field === 'li' ? 26 : 16);
      if (!r) return false;
      fields[field] = r.value;
      if (r.fixup) fixups.push(r.fixup);
      return true;
    }
    case 'sineg': {
      // subi/subis/subic/subic.: GNU as negates a constant that fits once negated (−0x7fff..0x8000).
      const v = env.evaluate(p.value as Expr);
      if (!v) return false;
      if (v.kind !== 'const') {
        env.report('PL2003', p.span, plan.op, 'the immediate of subi/subis/subic must be a constant');
        return false;
      }
      if (v.value < -0x7fffn || v.value > 0x8000n) {
        env.report('PL2005', p.span, v.value, '-32767..32768');
        return false;
      }
      fields[field] = Number(BigInt.asIntN(16, -v.value));
      return true;
    }
    case 'gpr': case 'gpr0': case 'crf': case 'crf?': case 'crb': case 'bo': case 'to': case 'l':
    case 'bh?': case 'lev?': case 'l2?': case 'spr': case 'u5': case 'u6': case 'n5': case 'n6': case 'fxm': case 'l1?': {
      const max = kind === 'l2?' && mode === 32 ? 1 : undefined;
      const v = smallValue(p.value, kind, p.span, env, plan.op, max);
      if (v === undefined) return false;
      // `beq cr1,…`: the CR field operand and the mnemonic's condition make BI.
      fields[field] = kind === 'crf?' && plan.branch?.cond !== undefined ? v * 4 + plan.branch.cond : v;
      return true;
    }
    default:
      return assertNever(kind, 'ppc operand kind');
  }
}

/** A branch target: the displacement (a constant is one, as in GNU as) or absolute address, or a relocation. */
function targetValue(p: Pending, env: BuildEnv, mode: Mode, bits: 16 | 26): { value: number; fixup?: Fixup } | undefined {
  const absolute = p.spec[0] === 'abs';
  const v = env.evaluate(p.value as Expr);
  if (!v) return undefined;
  let n: bigint | undefined;
  let reloc: string | undefined;
  if (v.kind === 'const') n = v.value;
  else if (v.kind === 'reloc') {
    if (v.op !== 'plt' || bits !== 26 || absolute || mode !== 32) {
      env.report('PL1016', p.span);
      return undefined;
    }
    return { value: 0, fixup: { offset: 0, type: relocType('PLTREL24', 32)!, target: v.target, addend: v.target.addend } };
  } else if (v.minus !== undefined) {
    env.report('PL2003', p.span, 'branch', 'a difference of symbols is not a branch target');
    return undefined;
  } else {
    n = absolute ? undefined : env.pcDisplacement(v, env.address);
    if (n === undefined) reloc = absolute ? (bits === 26 ? 'ADDR24' : 'ADDR14') : bits === 26 ? 'REL24' : 'REL14';
  }
  if (reloc && v.kind === 'symbol') {
    return { value: 0, fixup: { offset: 0, type: relocType(reloc as 'REL24', mode)!, target: v, addend: v.addend } };
  }
  if ((n! & 3n) !== 0n) {
    env.report('PL2007', p.span, `0x${BigInt.asUintN(64, n!).toString(16)}`, 4);
    return undefined;
  }
  if (!fitsSigned(n!, bits)) {
    const half = 1n << BigInt(bits - 1);
    env.report('PL2006', p.span, n!, `${-half}..${half - 4n}`);
    return undefined;
  }
  return { value: Number(n) };
}

/**
 * BO after the +/- hint, checked. ppc64 (ISA 2.x) writes the hint in the `at` bits; ppc32's older
 * dialect sets the `y` bit for "against the static prediction": on a B form that is + for a
 * forward (non-negative) displacement and − for a backward one, on bclr/bcctr it is +.
 */
function branchOptions(plan: Plan, fields: Record<string, number>, env: BuildEnv, mode: Mode, span: SourceSpan): boolean {
  const { hint, extended } = plan.branch!;
  let bo = fields.bo;
  const form = PPC_TABLE[plan.op] as EntrySpec;
  if (hint && extended) {
    if (mode === 64) bo |= hintBits64(bo, hint);
    else if (form.branch === 'b') bo |= (fields.bd < 0) === (hint === '-') ? 1 : 0;
    else bo |= hint === '+' ? 1 : 0;
  } else if (hint) {
    // Raw `bc+ BO,…`: the hint bits must be clear or already say the same.
    const mask = mode === 64 ? hintBits64(bo, '+') : (bo & 0x14) === 0x14 ? 0 : 1;
    const implied = hint === '+' ? mask : mask & ~1;
    if (implied === 0 || ((bo & mask) !== 0 && (bo & mask) !== implied)) {
      env.report('PL2013', span, hint, `${plan.op} with BO ${bo} (it implies no such hint)`);
      return false;
    }
    bo |= implied;
  }
  if (!validBo(bo, mode)) {
    env.report('PL2013', span, `BO ${bo}`, plan.op);
    return false;
  }
  if (form.branch === 'ctr' && (bo & 4) === 0) {
    env.report('PL2013', span, `BO ${bo}`, `${plan.op} (it cannot decrement CTR)`);
    return false;
  }
  fields.bo = bo;
  return true;
}
