// GNU as, the common part: labels, numeric local labels, directives and sections; instructions go to the arch.

import type { Diagnostic } from '../../base/diagnostics.js';
import type { Isa, ParseContext } from '../types.js';
import type { Expr, Token } from './expr.js';
import { evaluateExpr, type EvalContext } from './evaluate.js';
import { emit, relax } from './layout.js';
import { AsmState } from './state.js';
import { splitOperands, splitSource, type Statement } from './lines.js';
import { displaySymbol, localEntryField, type AsmObject, type AsmSymbol } from './object.js';
import { runDirective } from './directives.js';

export interface AsmResult {
  readonly object: AsmObject;
  readonly diagnostics: readonly Diagnostic[];
}

function statement(st: AsmState, stmt: Statement): void {
  const all = stmt.tokens;
  // Labels: `name:` or `N:`, any number of them before the statement (walked by index, then cut once:
  // slicing per label made 40 000 labels on one line quadratic).
  let at = 0;
  while (all.length - at >= 2 && all[at + 1].kind === 'punct' && all[at + 1].text === ':' && (all[at].kind === 'ident' || isLocalDef(all[at]))) {
    if (all[at].kind === 'ident') st.defineLabel(all[at].text, all[at].span);
    else st.defineLocal(all[at].text, all[at].span);
    at += 2;
  }
  const toks = at === 0 ? all : all.slice(at);
  if (toks.length === 0) return;
  const head = toks[0];
  if (head.kind === 'ident' && toks[1]?.kind === 'punct' && toks[1].text === '=') {
    runDirective(st, '.set', [[head], toks.slice(2)], stmt, head.span);
    return;
  }
  if (head.kind === 'punct' && head.text === '{') {
    pseudoPrefixed(st, toks, stmt);
    return;
  }
  if (head.kind !== 'ident') {
    st.sink.report('PL1002', head.span, head.text);
    return;
  }
  if (head.text.startsWith('.') && head.text.length > 1) {
    runDirective(st, head.text.toLowerCase(), splitOperands(toks.slice(1)), stmt, head.span);
    return;
  }
  instruction(st, head, toks.slice(1), stmt);
}

/** `{disp8} nopw 0x0(%rax,%rax,1)`: a GNU as pseudo-prefix, which the arch spells as a mnemonic suffix. */
function pseudoPrefixed(st: AsmState, toks: readonly Token[], stmt: Statement): void {
  const [open, name, close, mnemonic] = toks;
  const suffix = name?.kind === 'ident' ? st.isa.syntax.pseudoPrefixes?.[name.text.toLowerCase()] : undefined;
  if (suffix === undefined || close?.text !== '}') {
    st.sink.report('PL1002', (suffix === undefined ? name : close)?.span ?? open.span, `{${name?.text ?? ''}`);
    return;
  }
  if (mnemonic?.kind !== 'ident') {
    st.sink.report('PL1003', mnemonic?.span ?? stmt.end, 'a mnemonic', mnemonic?.text ?? 'end of line');
    return;
  }
  instruction(st, { ...mnemonic, text: mnemonic.text + suffix }, toks.slice(4), stmt);
}

function isLocalDef(t: Token): boolean {
  return t.kind === 'number' && /^[0-9]+$/.test(t.text);
}

function instruction(st: AsmState, head: Token, rest: readonly Token[], stmt: Statement): void {
  const ctx: ParseContext = {
    report: (code, span, ...args) => st.sink.report(code, span, ...args),
    parseExpr: (tokens, start) => st.parseExpr(tokens, start, stmt.end),
    constantNow: (expr) => st.constantNow(expr),
    ...(st.compress !== undefined ? { compress: st.compress } : {}),
  };
  const template = st.isa.parseInstruction(
    { mnemonic: head.text, span: head.span, tokens: rest, operands: splitOperands(rest), end: stmt.end },
    ctx,
  );
  if (!template) return;
  if (st.current.nobits) {
    st.sink.report('PL1023', head.span);
    return;
  }
  st.current.frags.push({ kind: 'insn', template, sizeIndex: 0, span: head.span, source: stmt.text });
}

/**
 * Assemble GNU as source for `isa` into a relocatable object. Never throws on bad input. `maxImageBytes`:
 * stop at the statement that takes the image past it (PL6141), before memory is spent on it (a check's
 * `--max-memory` says how large an image it can hold).
 */
export function assemble(source: string, isa: Isa, file = '<input>', maxImageBytes = Infinity): AsmResult {
  const st = new AsmState(isa, file);
  let imageBytes = 0;
  for (const stmt of splitSource(source, file, isa.syntax, st.sink)) {
    const section = st.current, before = section?.frags.length ?? 0;
    statement(st, stmt);
    // A statement adds to the section current before it (a `.section` adds nothing); an instruction or
    // an alignment counts as its largest size.
    for (let i = before; i < (section?.frags.length ?? 0); i++) {
      const f = section!.frags[i];
      imageBytes += f.kind === 'bytes' ? f.bytes.length : 16;
    }
    if (imageBytes > maxImageBytes) {
      st.sink.report('PL6141', stmt.tokens[0]?.span ?? { file, line: stmt.line, col: 1 }, maxImageBytes);
      break;
    }
  }
  st.finish();
  const input = { isa, sections: st.sections, symbols: st.symbols, sink: st.sink };
  const addrs = relax(input);
  const { sections, listing } = emit(input, addrs);
  const symbols = resolveSymbols(st, addrs);
  const diagnostics = [...st.sink.list].sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col);
  return { object: { arch: isa.arch, sections, symbols, listing }, diagnostics };
}

/** Symbol values after layout: labels' addresses, equates' values, `.size` and `.localentry` evaluated where they stood. */
function resolveSymbols(st: AsmState, addrs: Map<string, bigint[]>): AsmSymbol[] {
  const at = (section: string, frag: number, quiet: boolean): EvalContext => ({
    symbols: st.symbols, sink: st.sink, quiet,
    placement: { section, dot: addrs.get(section)?.[frag] ?? 0n, fragAddress: (n, f) => addrs.get(n)?.[f] ?? 0n },
  });
  const constAt = (w: { expr: Expr; section: string; frag: number } | undefined): bigint | undefined => {
    if (!w) return undefined;
    const v = evaluateExpr(w.expr, at(w.section, w.frag, false));
    if (v && v.kind !== 'const') st.sink.report('PL1009', w.expr.span);
    return v?.kind === 'const' ? v.value : undefined;
  };
  const out: AsmSymbol[] = [];
  for (const [name, s] of st.symbols) {
    if (!s.def && !s.global && !s.weak) continue;
    let section: string | undefined;
    let value = 0n;
    if (s.def?.kind === 'label') {
      section = s.def.section;
      value = addrs.get(section)?.[s.def.frag] ?? 0n;
    } else if (s.def?.kind === 'equate') {
      const v = evaluateExpr(s.def.expr, at(s.def.section, s.def.frag, true));
      if (v?.kind === 'const') value = v.value;
      else if (v?.kind === 'symbol' && v.section !== undefined && v.minus === undefined) {
        section = v.section;
        value = v.offset + v.addend;
      }
    }
    const le = constAt(s.localEntry);
    const localEntry = le === undefined ? undefined : localEntryField(le);
    if (le !== undefined && localEntry === undefined) st.sink.report('PL1024', s.localEntry!.expr.span, displaySymbol(name), le.toString());
    out.push({ name, section, value, global: s.global, weak: s.weak, type: s.type, size: constAt(s.size), localEntry });
  }
  return out;
}

export { textBytes, displaySymbol } from './object.js';
export type { AsmObject } from './object.js';
