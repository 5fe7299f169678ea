// GNU as operand syntax to instruction templates: every spelling of the mnemonic is tried in table order, the first that builds wins.

import { assert } from '../../base/assert.js';
import type { BuildEnv, BuildResult, InsnStatement, InsnTemplate, ParseContext } from '../types.js';
import { decodeWord } from './decode.js';
import { encodeWord } from './encode.js';
import { ALIAS_TESTS, FORMS, type Arm64Insn, type Fields, type Form, type Spelling } from './table-layout.js';
import { CONDITIONS } from './table-names.js';
import { isFailure, matchItems, operandCount, templateItems, type Failure, type Item, type MatchState } from './syntax-match.js';
import { resolveBindings, UNRESOLVED, type EvalCache, type ValueFailure } from './syntax-values.js';

/** One way a mnemonic can be read: an entry's spelling with the fields it fixes (alias conditions, `b.<cond>`). */
interface Candidate {
  readonly form: Form;
  readonly spelling: Spelling;
  readonly items: readonly Item[];
  readonly fixed: Fields;
  readonly expected: string;
}

/** Mnemonic → its candidates, in table order (aliases after the entry's own spelling). */
const CANDIDATES: ReadonlyMap<string, readonly Candidate[]> = (() => {
  const map = new Map<string, Candidate[]>();
  const add = (mnemonic: string, form: Form, spelling: Spelling, fixed: Fields): void => {
    const items = templateItems(spelling.pieces);
    const list = map.get(mnemonic) ?? [];
    list.push({ form, spelling, items, fixed, expected: operandCount(items) });
    map.set(mnemonic, list);
  };
  const addSpelling = (mnemonic: string, form: Form, spelling: Spelling): void => {
    if (!mnemonic.includes('<cond>')) return add(mnemonic, form, spelling, spelling.when);
    CONDITIONS.forEach((c, cond) => {
      for (const name of [c.name, ...c.also]) add(mnemonic.replace('<cond>', name), form, spelling, { cond });
      for (const name of c.legacy) add(mnemonic.replace('.<cond>', name), form, spelling, { cond });
    });
  };
  for (const form of FORMS) {
    addSpelling(form.own.mnemonic, form, form.own);
    for (const alias of form.aliases) addSpelling(alias.mnemonic, form, alias);
    if (form.spec.gnuAlso) addSpelling(form.spec.gnuAlso, form, form.own);
  }
  return map;
})();

/** What a template builds in a relaxation pass when an operand is not resolvable yet: size is all that matters. */
const PROVISIONAL: Arm64Insn = Object.freeze({ op: 'udf', imm16: 0 });

/** Checks across operands that need the whole match: the width of an extended or offset register. */
function crossCheck(c: Candidate, st: MatchState): MatchState | Failure {
  const has = (slot: string) => c.items.some((i) => i.kind === 'slot' && i.slot === slot);
  const ext = st.bindings.find((b) => b.kind === 'extend');
  const at = (field: string): Failure => ({ pos: st.pos, code: 'PL2010', span: st.regSpan[field], args: [] });
  if (has('Rm|ext')) {
    const plain = ext?.kind !== 'extend' || ext.option === 'lsl';
    if (st.fields.sf === 0 && st.regX.rm) return { ...at('rm'), args: ['a 64-bit register in a 32-bit operation'] };
    if (st.fields.sf === 1 && !st.regX.rm && plain) return { ...at('rm'), args: ['a 32-bit register needs an extend (uxtw, sxtw …)'] };
  }
  if (has('Rm|ldst')) {
    const option = ext?.kind === 'extend' ? ext.option : 'lsl';
    if (option !== 'lsl' && (option & 2) === 0) return { pos: st.pos, code: 'PL2012', span: ext!.span, args: [ext!.kind === 'extend' ? `${option}` : ''] };
    const wantX = option === 'lsl' || (option & 1) === 1;
    if (st.regX.rm !== wantX) return { ...at('rm'), args: [`a ${wantX ? '64' : '32'}-bit offset register goes with ${wantX ? 'lsl/sxtx' : 'uxtw/sxtw'}`] };
  }
  return st;
}

/** Fields no operand gave: an omitted extend is uxtx (uxtw for W) or lsl; others take the entry's default or 0. */
function withDefaults(form: Form, spelling: Spelling, fields: Fields): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { name } of form.fields) {
    const same = form.spec.sameAs?.[name] ?? spelling.sameAs[name];
    if (fields[name] !== undefined) out[name] = fields[name];
    else if (same !== undefined) out[name] = fields[same];
    else if (name === 'option') out[name] = form.fields.some((f) => f.name === 'imm3') && fields.sf !== 1 ? 2 : 3;
    else out[name] = form.spec.defaults?.[name] ?? 0;
  }
  return out;
}

/** The instruction exactly as decode gives it for its word (`hint #0` is `nop`). */
function canonical(form: Form, fields: Record<string, number>): Arm64Insn {
  const word = encodeWord({ op: form.op, ...fields } as unknown as Arm64Insn);
  const insn = decodeWord(word);
  assert(insn !== undefined, `${form.op} built the undecodable word ${word.toString(16)}`);
  return insn;
}

function finish(c: Candidate, form: Form, fields: Record<string, number>): Arm64Insn | ValueFailure {
  const span = { file: '', line: 0, col: 0 };
  const when = Object.entries(c.spelling.when).every(([name, v]) => fields[name] === v);
  const test = !c.spelling.testBindsGnu || ALIAS_TESTS[c.spelling.test!](fields);
  if (!when || !test) return { code: 'PL2017', span, args: [`these operands are not a \`${c.spelling.mnemonic}\``] };
  if (form.isInvalid(fields)) return { code: 'PL2017', span, args: ['a reserved encoding'] };
  return canonical(form, fields);
}

function build(stmt: InsnStatement, matches: readonly { c: Candidate; st: MatchState }[], env: BuildEnv): BuildResult<Arm64Insn> {
  const cache: EvalCache = new Map();
  let first: ValueFailure | undefined;
  for (const { c, st } of matches) {
    const r = resolveBindings(env, cache, c.form, st);
    if (r === UNRESOLVED) return env.final ? 'error' : { insn: PROVISIONAL, fixups: [] };
    if ('code' in r) {
      first ??= r;
      continue;
    }
    const insn = finish(c, r.form, withDefaults(r.form, c.spelling, r.fields));
    if ('code' in insn) {
      first ??= { ...insn, span: stmt.span };
      continue;
    }
    return { insn, fixups: r.fixups };
  }
  if (!env.final) return { insn: PROVISIONAL, fixups: [] };
  assert(first !== undefined, 'a matched statement without a failure');
  if (first.wide && first.code !== 'PL1005' && first.code !== 'PL1009') env.report('PL4003', first.span, first.args[0]);
  else env.report(first.code, first.span, ...first.args);
  return 'error';
}

export function parseInstruction(stmt: InsnStatement, ctx: ParseContext): InsnTemplate<Arm64Insn> | undefined {
  const mnemonic = stmt.mnemonic.toLowerCase();
  const candidates = CANDIDATES.get(mnemonic);
  if (!candidates) {
    ctx.report('PL2001', stmt.span, stmt.mnemonic);
    return undefined;
  }
  const memo = new Map<number, ReturnType<ParseContext['parseExpr']>>();
  const expr = (pos: number): ReturnType<ParseContext['parseExpr']> => {
    if (!memo.has(pos)) memo.set(pos, ctx.parseExpr(stmt.tokens, pos));
    return memo.get(pos);
  };
  const matches: { c: Candidate; st: MatchState }[] = [];
  let best: Failure | undefined;
  for (const c of candidates) {
    const width = c.form.spec.width ?? 'sf';
    const start: MatchState = { pos: 0, fields: { ...c.fixed }, bindings: [], regX: {}, regSpan: {} };
    let r = matchItems({ stmt, mnemonic, width, expected: c.expected, expr }, c.items, start);
    if (!isFailure(r)) r = crossCheck(c, r);
    if (!isFailure(r)) matches.push({ c, st: r });
    else if (!best || r.pos > best.pos) best = r;
  }
  // A malformed expression has been reported by the expression parser already.
  if ([...memo.values()].some((m) => m === undefined)) return undefined;
  if (matches.length === 0) {
    ctx.report(best!.code, best!.span, ...best!.args);
    return undefined;
  }
  return { sizes: [4], build: (env) => build(stmt, matches, env) };
}
