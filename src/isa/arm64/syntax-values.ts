// Build time: evaluate a matched candidate's expressions into fields, with GNU as's range checks, or a fixup.

import { assertNever } from '../../base/assert.js';
import type { MessageCode, SourceSpan } from '../../base/diagnostics.js';
import type { Expr } from '../asm/expr.js';
import type { AsmValue, BuildEnv, Fixup } from '../types.js';
import { encodeBitmask, isWideConstant } from './table-bitmask.js';
import { FORM_BY_OP, accessSize, type Fields, type Form } from './table-layout.js';
import { SLOTS } from './table-names.js';
import { pcrelField } from './print.js';
import { ldstLo12 } from './relocs.js';
import type { Binding, MatchState } from './syntax-match.js';

/** Why a candidate could not be built: a diagnostic to report if no other candidate can. */
export interface ValueFailure {
  readonly code: MessageCode;
  readonly span: SourceSpan;
  readonly args: readonly (string | number | bigint)[];
  /** The failing operand was a `mov` immediate (reported as "cannot be moved" when every form fails). */
  readonly wide?: boolean;
}

/** evaluate() said undefined: it has reported, or will in the final pass. */
export const UNRESOLVED = 'unresolved';

export type Resolved = { readonly form: Form; readonly fields: Fields; readonly fixups: readonly Fixup[] };
type Result<T> = T | ValueFailure | typeof UNRESOLVED;
const bad = (r: unknown): r is ValueFailure | typeof UNRESOLVED => r === UNRESOLVED || (typeof r === 'object' && r !== null && 'code' in r);

/** Evaluations of one build, shared by its candidates so each expression reports at most once. */
export type EvalCache = Map<Expr, AsmValue | undefined>;

interface Ctx {
  readonly env: BuildEnv;
  readonly cache: EvalCache;
  readonly form: Form;
  readonly fields: Record<string, number>;
  readonly fixups: Fixup[];
}

const range = (lo: bigint | number, hi: bigint | number): string => `[${lo}, ${hi}]`;

function evaluate(c: Ctx, expr: Expr): AsmValue | undefined {
  if (!c.cache.has(expr)) c.cache.set(expr, c.env.evaluate(expr));
  return c.cache.get(expr);
}

/** A constant, or the failure GNU as gives for a symbol where a number must be. */
function constant(c: Ctx, b: { expr: Expr; span: SourceSpan }): Result<bigint> {
  const v = evaluate(c, b.expr);
  if (v === undefined) return UNRESOLVED;
  if (v.kind === 'const') return v.value;
  if (v.kind === 'reloc') return { code: 'PL1016', span: b.span, args: [] };
  return v.section === undefined ? { code: 'PL1005', span: b.span, args: [v.name] } : { code: 'PL1009', span: b.span, args: [] };
}

function inRange(v: bigint, lo: number, hi: number, span: SourceSpan, code: MessageCode = 'PL2005'): ValueFailure | undefined {
  return v < BigInt(lo) || v > BigInt(hi) ? { code, span, args: [v, range(lo, hi)] } : undefined;
}

/** A 32-bit operation takes a value whose upper half is all zeros or all ones, as GNU as does. */
function toWidth(v: bigint, x: boolean, span: SourceSpan): Result<bigint> {
  if (x) return BigInt.asUintN(64, v);
  const upper = BigInt.asIntN(64, v) >> 32n;
  if (upper !== 0n && upper !== -1n) return { code: 'PL2005', span, args: [v, range(-(2n ** 32n), 2n ** 32n - 1n)] };
  return BigInt.asUintN(32, v);
}

/** A relocation against `target`; a difference with a label of this section (`g - .`) has none. */
function symbolFixup(c: Ctx, type: string, target: AsmValue & { kind: 'symbol' }, span: SourceSpan): ValueFailure | undefined {
  if (target.minus !== undefined) return { code: 'PL1017', span, args: [`\`${target.name}\` minus a label cannot be relocated by ${type}`] };
  c.fixups.push({ offset: 0, type, target, addend: target.addend });
  return undefined;
}

function relocName(c: Ctx): string {
  const r = c.form.spec.reloc!;
  return r === 'R_AARCH64_LDST_ABS_LO12_NC' ? ldstLo12(accessSize(c.form, c.fields)) : r;
}

/** A pc-relative target: resolved to a field here, or left to a relocation. */
function label(c: Ctx, b: { expr: Expr; span: SourceSpan }): Result<void> {
  const v = evaluate(c, b.expr);
  if (v === undefined) return UNRESOLVED;
  if (v.kind === 'reloc') return { code: 'PL1016', span: b.span, args: [] };
  const pc = pcrelField(c.form)!;
  const d = c.env.pcDisplacement(v, c.env.address);
  if (d === undefined) {
    const failed = v.kind === 'symbol' ? symbolFixup(c, c.form.spec.reloc!, v, b.span) : undefined;
    if (failed) return failed;
    c.fields[pc.name] = 0;
    return;
  }
  if (d % BigInt(pc.scale) !== 0n) return { code: 'PL2007', span: b.span, args: [`.${d < 0n ? '' : '+'}${d}`, pc.scale] };
  const bits = pc.name === 'imm26' ? 26 : pc.name === 'imm14' ? 14 : pc.name === 'imm19' ? 19 : 21;
  const half = 2 ** (bits - 1) * pc.scale;
  const out = inRange(d, -half, half - pc.scale, b.span, 'PL2006');
  if (out) return out;
  c.fields[pc.name] = Number(d / BigInt(pc.scale));
}

/** adrp: GNU as always leaves the page to the linker, even for a constant. */
function page(c: Ctx, b: { expr: Expr; span: SourceSpan }): Result<void> {
  const v = evaluate(c, b.expr);
  if (v === undefined) return UNRESOLVED;
  if (v.kind === 'reloc' && v.op !== 'pg_hi21') return { code: 'PL1016', span: b.span, args: [] };
  const target = v.kind === 'reloc' ? v.target
    : v.kind === 'symbol' ? v
      : { kind: 'symbol' as const, name: '*ABS*', section: undefined, offset: 0n, global: true, addend: v.value };
  const failed = symbolFixup(c, c.form.spec.reloc!, target, b.span);
  if (failed) return failed;
  c.fields.imm21 = 0;
}

/** An immediate, or a `:lo12:` value left to a relocation (add, and unsigned-offset loads/stores). */
function lo12OrConstant(c: Ctx, b: { expr: Expr; span: SourceSpan }): Result<bigint | 'fixup'> {
  const v = evaluate(c, b.expr);
  // Only add and the unsigned-offset loads/stores name a `:lo12:` relocation (sub, adds … do not, as in GNU as).
  if (v?.kind === 'reloc' && v.op === 'lo12' && c.form.spec.reloc !== undefined) {
    return symbolFixup(c, relocName(c), v.target, b.span) ?? 'fixup';
  }
  return constant(c, b);
}

function memoryOffset(c: Ctx, b: { expr: Expr; span: SourceSpan }, field: 'imm12' | 'imm9' | 'imm7', scaled: boolean): Result<void> {
  const v = field === 'imm12' ? lo12OrConstant(c, b) : constant(c, b);
  if (bad(v)) return v;
  if (v === 'fixup') {
    c.fields.imm12 = 0;
    return;
  }
  const unit = scaled ? accessSize(c.form, c.fields) : 1;
  if (v % BigInt(unit) !== 0n) return { code: 'PL2009', span: b.span, args: [v, unit] };
  const bits = field === 'imm12' ? 12 : field === 'imm9' ? 9 : 7;
  const [lo, hi] = field === 'imm12' ? [0, 4095] : [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
  const out = inRange(v, lo * unit, hi * unit, b.span, 'PL2008');
  if (out) return out;
  c.fields[field] = Number(v / BigInt(unit));
}

function wide(c: Ctx, b: { expr: Expr; span: SourceSpan }, inverted: boolean): Result<void> {
  const v = constant(c, b);
  if (bad(v)) return v;
  const x = c.fields.sf === 1;
  const value = toWidth(v, x, b.span);
  if (bad(value)) return value === UNRESOLVED ? value : { ...value, wide: true };
  const chunk = BigInt.asUintN(x ? 64 : 32, inverted ? ~value : value);
  if (!isWideConstant(chunk, x ? 64 : 32)) return { code: 'PL4003', span: b.span, args: [v], wide: true };
  const hw = chunk === 0n ? 0 : Math.floor((chunk.toString(2).length - 1) / 16);
  c.fields.hw = hw;
  c.fields.imm16 = Number(chunk >> BigInt(16 * hw));
}

function bitmask(c: Ctx, b: { expr: Expr; span: SourceSpan }): Result<void> {
  const v = constant(c, b);
  if (bad(v)) return v;
  const x = c.fields.sf === 1;
  const value = toWidth(v, x, b.span);
  if (bad(value)) return value;
  const enc = encodeBitmask(value, x ? 64 : 32);
  if (!enc) return { code: 'PL4002', span: b.span, args: [v] };
  Object.assign(c.fields, enc);
}

/** The unsigned immediates: each field's own range (tbz's bit and the shift amount depend on width). */
function immediate(c: Ctx, b: { expr: Expr; span: SourceSpan }, field: string, st: MatchState): Result<void> {
  const v = constant(c, b);
  if (bad(v)) return v;
  const max = field === 'imm16' ? 0xffff : field === 'imm' ? 127 : field === 'crm' ? 15
    : field === 'immr' || field === 'imms' ? (c.fields.sf === 1 ? 63 : 31)
    : field === 'bit' ? (st.regX.rt ? 63 : 31)
      : field === 'imm6' ? (c.fields.sf === 1 ? 63 : 31) : 4095;
  const out = inRange(v, 0, max, b.span);
  if (out) return out;
  c.fields[field] = Number(v);
}

/** add/sub #imm{, lsl #12}: GNU as shifts a multiple of 4096 itself, and turns a negative into the opposite form. */
function addSubImmediate(c: Ctx, imm: { expr: Expr; span: SourceSpan }, sh: { expr: Expr; span: SourceSpan } | undefined): Result<Form> {
  const v = lo12OrConstant(c, imm);
  if (bad(v)) return v;
  let shift = 0;
  if (sh) {
    const amount = constant(c, sh);
    if (bad(amount)) return amount;
    if (amount !== 0n && amount !== 12n) return { code: 'PL2005', span: sh.span, args: [amount, '{0, 12}'] };
    shift = Number(amount);
  }
  if (v === 'fixup') {
    Object.assign(c.fields, { imm12: 0, sh: shift / 12 });
    return c.form;
  }
  const magnitude = v < 0n ? -v : v;
  const form = v < 0n ? FORM_BY_OP[c.form.spec.negated as keyof typeof FORM_BY_OP] : c.form;
  if (!sh && magnitude > 4095n && magnitude % 4096n === 0n && magnitude >> 12n <= 4095n) {
    Object.assign(c.fields, { imm12: Number(magnitude >> 12n), sh: 1 });
    return form;
  }
  const out = inRange(magnitude, 0, 4095, imm.span);
  if (out) return { ...out, args: [v, sh ? range(-4095, 4095) : '[-4095, 4095] or a multiple of 4096 up to 0xfff000'] };
  Object.assign(c.fields, { imm12: Number(magnitude), sh: shift / 12 });
  return form;
}

function extend(c: Ctx, b: Binding & { kind: 'extend' }): Result<void> {
  let amount = 0n;
  if (b.amount) {
    const a = constant(c, { expr: b.amount, span: b.span });
    if (bad(a)) return a;
    amount = a;
  }
  if (b.slot === 'extend') {
    const out = inRange(amount, 0, 4, b.span);
    if (out) return out;
    c.fields.option = b.option === 'lsl' ? (c.fields.sf === 1 ? 3 : 2) : b.option;
    c.fields.imm3 = Number(amount);
    return;
  }
  const scale = Math.log2(accessSize(c.form, c.fields));
  if (amount !== 0n && amount !== BigInt(scale)) return { code: 'PL2005', span: b.span, args: [amount, `{0, ${scale}}`] };
  c.fields.option = b.option === 'lsl' ? 3 : b.option;
  // An explicit `#0` on a byte access sets S (objdump shows it as `lsl #0`).
  c.fields.s = amount !== 0n || (scale === 0 && b.amount !== undefined) ? 1 : 0;
}

function resolveOne(c: Ctx, b: Binding, st: MatchState): Result<void | Form> {
  if (b.kind === 'extend') return extend(c, b);
  const slot = SLOTS[b.slot];
  switch (slot.kind) {
    case 'imm': {
      if (slot.field !== 'imm12') return immediate(c, b, slot.field, st);
      const sh = st.bindings.find((x) => x.slot === 'sh12');
      return addSubImmediate(c, b, sh?.kind === 'expr' ? sh : undefined);
    }
    case 'lsl': return slot.field === 'hw' ? hwShift(c, b) : undefined; // sh goes with imm12
    case 'label': return label(c, b);
    case 'page': return page(c, b);
    case 'offset': return memoryOffset(c, b, slot.field, slot.scaled);
    case 'wide': return wide(c, b, slot.inverted);
    case 'bitmask': return bitmask(c, b);
    case 'barrier': case 'isb-option': return crmNumber(c, b);
    case 'zero': {
      const v = constant(c, b);
      return bad(v) ? v : inRange(v, 0, 0, b.span, 'PL2008');
    }
    // A width goes with its lsb.
    case 'bitfield': return slot.role === 'ins-width' || slot.role === 'ext-width' ? undefined : bitfield(c, b, slot.role, st);
    // Known at parse time: never bound to an expression.
    case 'reg': case 'shift': case 'extend': case 'ldst-extend': case 'targets': case 'cond': case 'sysreg': return undefined;
    default: return assertNever(slot, 'slot');
  }
}

/** Evaluate every binding of a matched candidate; the form may change (add #-1 becomes sub). */
export function resolveBindings(env: BuildEnv, cache: EvalCache, form: Form, st: MatchState): Resolved | ValueFailure | typeof UNRESOLVED {
  const c: Ctx = { env, cache, form, fields: { ...st.fields }, fixups: [] };
  let out = form;
  for (const b of st.bindings) {
    const r = resolveOne(c, b, st);
    if (bad(r)) return r;
    if (r) out = r;
  }
  return { form: out, fields: c.fields, fixups: c.fixups };
}

/**
 * lsl/lsr/asr #n and the lsb, width of bfi/ubfiz/ubfx/bfxil as immr:imms (the inverse of
 * print.ts's bitfieldAmount), with GNU as's ranges: 0 <= lsb < width of the register, 1 <= width <= what is left.
 */
function bitfield(c: Ctx, b: { expr: Expr; span: SourceSpan }, role: 'lsl' | 'lsr' | 'ins-lsb' | 'ext-lsb', st: MatchState): Result<void> {
  const v = constant(c, b);
  if (bad(v)) return v;
  const top = c.fields.sf === 1 ? 63 : 31;
  const out = inRange(v, 0, top, b.span);
  if (out) return out;
  const n = Number(v);
  if (role === 'lsl' || role === 'lsr') {
    Object.assign(c.fields, role === 'lsl' ? { immr: (top + 1 - n) % (top + 1), imms: top - n } : { immr: n, imms: top });
    return;
  }
  const wb = st.bindings.find((x) => x.slot === (role === 'ins-lsb' ? 'ins-width' : 'ext-width'));
  if (wb?.kind !== 'expr') return { code: 'PL2017', span: b.span, args: ['a bitfield without its width'] };
  const w = constant(c, wb);
  if (bad(w)) return w;
  const wout = inRange(w, 1, top + 1 - n, wb.span);
  if (wout) return wout;
  const width = Number(w);
  Object.assign(c.fields, role === 'ins-lsb' ? { immr: (top + 1 - n) % (top + 1), imms: width - 1 } : { immr: n, imms: n + width - 1 });
}

/** movz/movn/movk `lsl #n`: a multiple of 16 inside the register. */
function hwShift(c: Ctx, b: { expr: Expr; span: SourceSpan }): Result<void> {
  const v = constant(c, b);
  if (bad(v)) return v;
  const max = c.fields.sf === 1 ? 48 : 16;
  if (v < 0n || v > BigInt(max) || v % 16n !== 0n) return { code: 'PL2005', span: b.span, args: [v, c.fields.sf === 1 ? '{0, 16, 32, 48}' : '{0, 16}'] };
  c.fields.hw = Number(v / 16n);
}

/** dsb/dmb/isb `#n`. */
function crmNumber(c: Ctx, b: { expr: Expr; span: SourceSpan }): Result<void> {
  const v = constant(c, b);
  if (bad(v)) return v;
  const out = inRange(v, 0, 15, b.span);
  if (out) return out;
  c.fields.crm = Number(v);
}
