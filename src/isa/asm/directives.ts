// The GNU as directives patchlab understands; each reports bad arguments and never throws.

import { writeUint } from '../../base/bits.js';
import type { SourceSpan } from '../../base/diagnostics.js';
import type { Expr, Token } from './expr.js';
import type { AsmState } from './state.js';
import type { Statement } from './lines.js';
import type { SymbolType } from './object.js';

type Args = readonly (readonly Token[])[];
type Handler = (st: AsmState, args: Args, stmt: Statement, span: SourceSpan, name: string) => void;

/** One expression that must use every token of the operand. */
function expr(st: AsmState, toks: readonly Token[], stmt: Statement): Expr | undefined {
  const r = st.parseExpr(toks, 0, stmt.end);
  if (!r) return undefined;
  if (r.next < toks.length) {
    st.sink.report('PL1002', toks[r.next].span, toks[r.next].text);
    return undefined;
  }
  return r.expr;
}

function constant(st: AsmState, toks: readonly Token[], stmt: Statement): bigint | undefined {
  const e = expr(st, toks, stmt);
  if (!e) return undefined;
  const v = st.constantNow(e);
  if (v === undefined) st.sink.report('PL1009', e.span);
  return v;
}

function needArgs(st: AsmState, args: Args, min: number, span: SourceSpan, what: string): boolean {
  if (args.length >= min && args.slice(0, min).every((a) => a.length > 0)) return true;
  st.sink.report('PL1003', args.find((a) => a.length === 0)?.[0]?.span ?? span, what, 'end of line');
  return false;
}

/** A section or symbol name: an identifier or a string. */
function nameOf(st: AsmState, toks: readonly Token[], what: string, span: SourceSpan): string | undefined {
  const t = toks[0];
  if (t && (t.kind === 'ident' || t.kind === 'string') && toks.length === 1) return t.text;
  st.sink.report('PL1003', t?.span ?? span, what, t ? toks.map((x) => x.text).join('') : 'end of line');
  return undefined;
}

function sectionDirective(st: AsmState, args: Args, span: SourceSpan): void {
  if (!needArgs(st, args, 1, span, 'a section name')) return;
  const name = nameOf(st, args[0], 'a section name', span);
  if (!name) return;
  const s = st.section(name);
  const flagsTok = args[1]?.[0];
  if (flagsTok) {
    if (flagsTok.kind !== 'string' || !/^[awxMSGTRoe?]*$/.test(flagsTok.text)) st.sink.report('PL1022', flagsTok.span, flagsTok.text);
    else s.flags = flagsTok.text.replace(/[^awx]/g, '');
    const type = args[2]?.map((t) => t.text).join('') ?? '';
    if (/nobits/.test(type)) s.nobits = true;
  }
  st.switchTo(s);
}

function align(kind: 'bytes' | 'power' | 'arch'): Handler {
  return (st, args, stmt, span) => {
    if (!needArgs(st, args, 1, span, 'an alignment')) return;
    const n = constant(st, args[0], stmt);
    if (n === undefined) return;
    const power = kind === 'power' || (kind === 'arch' && st.isa.syntax.alignIsPowerOfTwo);
    if (power && (n < 0n || n > 31n)) return st.sink.report('PL2005', args[0][0].span, n, '0..31');
    const bytes = power ? 1 << Number(n) : Number(n);
    if (bytes <= 0 || (bytes & (bytes - 1)) !== 0) return st.sink.report('PL1008', args[0][0].span, n);
    const fill = args[1]?.length ? constant(st, args[1], stmt) : undefined;
    const max = args[2]?.length ? constant(st, args[2], stmt) : undefined;
    st.current.align = Math.max(st.current.align, bytes);
    st.current.frags.push({
      kind: 'align', align: bytes, fill: fill === undefined ? undefined : Number(fill & 0xffn),
      max: max === undefined ? undefined : Number(max), line: stmt.line,
    });
  };
}

function data(size: 1 | 2 | 4 | 8 | 'word'): Handler {
  return (st, args, stmt, span) => {
    const bytes = size === 'word' ? st.isa.syntax.wordSize : size;
    if (st.current.nobits) return st.sink.report('PL1023', span);
    const exprs: Expr[] = [];
    for (const a of args) {
      if (a.length === 0) return st.sink.report('PL1003', span, 'an expression', 'nothing');
      const e = expr(st, a, stmt);
      if (!e) return;
      exprs.push(e);
    }
    if (exprs.length > 0) st.current.frags.push({ kind: 'data', size: bytes, exprs, line: stmt.line, source: stmt.text });
  };
}

function strings(zeroTerminated: boolean): Handler {
  return (st, args, stmt, span) => {
    if (st.current.nobits) return st.sink.report('PL1023', span);
    const parts: number[] = [];
    for (const a of args) {
      const t = a[0];
      if (!t || t.kind !== 'string' || a.length !== 1) return st.sink.report('PL1003', t?.span ?? span, 'a string', t?.text ?? 'nothing');
      for (const ch of new TextEncoder().encode(t.text)) parts.push(ch);
      if (zeroTerminated) parts.push(0);
    }
    st.current.frags.push({ kind: 'bytes', bytes: Uint8Array.from(parts), line: stmt.line, source: stmt.text });
  };
}

const skip: Handler = (st, args, stmt, span) => {
  if (!needArgs(st, args, 1, span, 'a size')) return;
  const n = constant(st, args[0], stmt);
  const fill = args[1]?.length ? constant(st, args[1], stmt) : 0n;
  if (n === undefined || fill === undefined) return;
  if (n < 0n || n > 1n << 24n) return st.sink.report('PL2005', args[0][0].span, n, '0..16777216');
  st.current.frags.push({ kind: 'bytes', bytes: new Uint8Array(Number(n)).fill(Number(fill & 0xffn)), line: stmt.line, source: stmt.text });
};

/** `.fill repeat, size, value`: `repeat` copies of `value` in `size` bytes (size up to 8, as GNU as). */
const fill: Handler = (st, args, stmt, span) => {
  if (!needArgs(st, args, 1, span, 'a repeat count')) return;
  const repeat = constant(st, args[0], stmt);
  const size = args[1]?.length ? constant(st, args[1], stmt) : 1n;
  const value = args[2]?.length ? constant(st, args[2], stmt) : 0n;
  if (repeat === undefined || size === undefined || value === undefined) return;
  if (repeat < 0n || repeat > 1n << 20n) return st.sink.report('PL2005', args[0][0].span, repeat, '0..1048576');
  if (size < 0n || size > 8n) return st.sink.report('PL2005', args[1][0].span, size, '0..8');
  if (st.current.nobits && value !== 0n) return st.sink.report('PL1023', span);
  const n = Number(size);
  const one = new Uint8Array(n);
  // GNU as writes at most 4 bytes of the value, in the target's byte order, then zeros (either order).
  writeUint(one, 0, Math.min(n, 4), value, st.isa.endian);
  const bytes = new Uint8Array(n * Number(repeat));
  for (let i = 0; i < Number(repeat); i++) bytes.set(one, i * n);
  st.current.frags.push({ kind: 'bytes', bytes, line: stmt.line, source: stmt.text });
};

function visibility(which: 'global' | 'weak' | 'local'): Handler {
  return (st, args, _stmt, span) => {
    if (!needArgs(st, args, 1, span, 'a symbol name')) return;
    for (const a of args) {
      const name = nameOf(st, a, 'a symbol name', span);
      if (!name) continue;
      const s = st.symbol(name, a[0].span);
      if (which === 'global') s.global = true;
      else if (which === 'weak') s.weak = true;
      else s.global = false;
    }
  };
}

const TYPES: Readonly<Record<string, SymbolType>> = Object.freeze({
  function: 'function', stt_func: 'function', gnu_indirect_function: 'function',
  object: 'object', stt_object: 'object', notype: 'notype', stt_notype: 'notype',
});

const typeDirective: Handler = (st, args, _stmt, span) => {
  if (!needArgs(st, args, 2, span, 'a symbol name and a type')) return;
  const name = nameOf(st, args[0], 'a symbol name', span);
  const word = args[1].filter((t) => !['@', '%', '#'].includes(t.text)).map((t) => t.text).join('').toLowerCase();
  const type = TYPES[word];
  if (!type) return st.sink.report('PL1003', args[1][0].span, '@function, @object or @notype', args[1].map((t) => t.text).join(''));
  if (name) st.symbol(name, args[0][0].span).type = type;
};

function sizeLike(field: 'size' | 'localEntry'): Handler {
  return (st, args, stmt, span) => {
    if (!needArgs(st, args, 2, span, 'a symbol name and an expression')) return;
    const name = nameOf(st, args[0], 'a symbol name', span);
    const e = expr(st, args[1], stmt);
    if (!name || !e) return;
    st.symbol(name, args[0][0].span)[field] = { expr: e, section: st.current.name, frag: st.current.frags.length };
  };
}

const setDirective: Handler = (st, args, stmt, span) => {
  if (!needArgs(st, args, 2, span, 'a symbol name and an expression')) return;
  const name = nameOf(st, args[0], 'a symbol name', span);
  const e = expr(st, args[1], stmt);
  if (!name || !e) return;
  const s = st.symbol(name, args[0][0].span);
  if (s.def?.kind === 'label') return st.sink.report('PL1004', args[0][0].span, name);
  s.def = { kind: 'equate', expr: e, span: args[0][0].span, section: st.current.name, frag: st.current.frags.length };
};

const ignore: Handler = () => {};

/**
 * riscv64's `.option`: `rvc` / `norvc` allow or forbid the compressed forms (the kernel's static_branch
 * sites are written under `norvc`: one 4-byte instruction each), `push` / `pop` save and restore them.
 * Its other settings (`relax`, `norelax`, `pic`, `arch, …`) change nothing here; on another arch the
 * directive is ignored, as before.
 */
const option: Handler = (st, args, _stmt, span) => {
  if (st.isa.arch !== 'riscv64') return;
  const word = args[0]?.[0]?.text;
  switch (word) {
    case 'rvc':
    case 'norvc':
      st.compress = word === 'rvc';
      return;
    case 'push':
      st.optionStack.push(st.compress);
      return;
    case 'pop':
      if (st.optionStack.length === 0) st.sink.report('PL1026', span);
      else st.compress = st.optionStack.pop();
      return;
    default:
  }
};

const DIRECTIVES: Readonly<Record<string, Handler>> = Object.freeze({
  '.text': (st) => st.switchTo(st.section('.text')),
  '.data': (st) => st.switchTo(st.section('.data')),
  '.bss': (st) => st.switchTo(st.section('.bss')),
  '.section': (st, args, _s, span) => sectionDirective(st, args, span),
  '.pushsection': (st, args, _s, span) => {
    st.sectionStack.push(st.current);
    sectionDirective(st, args, span);
  },
  '.popsection': (st, _a, _s, span) => {
    const s = st.sectionStack.pop();
    if (!s) return st.sink.report('PL1013', span);
    st.switchTo(s);
  },
  '.previous': (st) => {
    if (st.previous) st.switchTo(st.previous);
  },
  '.align': align('arch'),
  '.balign': align('bytes'),
  '.p2align': align('power'),
  '.byte': data(1),
  '.short': data(2), '.hword': data(2), '.2byte': data(2), '.value': data(2),
  '.long': data(4), '.int': data(4), '.4byte': data(4),
  '.word': data('word'),
  '.quad': data(8), '.8byte': data(8), '.xword': data(8), '.dword': data(8),
  '.ascii': strings(false), '.asciz': strings(true), '.string': strings(true),
  '.skip': skip, '.space': skip, '.zero': skip, '.fill': fill,
  '.globl': visibility('global'), '.global': visibility('global'), '.weak': visibility('weak'), '.local': visibility('local'),
  '.hidden': ignore, '.protected': ignore, '.internal': ignore,
  '.type': typeDirective,
  '.size': sizeLike('size'),
  '.localentry': sizeLike('localEntry'),
  '.set': setDirective, '.equ': setDirective,
  '.file': ignore, '.ident': ignore, '.abiversion': ignore, '.machine': ignore, '.arch': ignore,
  '.loc': ignore, '.end': ignore, '.option': option,
});

export function runDirective(st: AsmState, name: string, args: Args, stmt: Statement, span: SourceSpan): void {
  if (name === '.inst' && st.isa.syntax.instDirective) return data(4)(st, args, stmt, span, name);
  const h = DIRECTIVES[name];
  if (h) return h(st, args, stmt, span, name);
  if (name.startsWith('.cfi_')) return;
  st.sink.report('PL1001', span, name);
}
