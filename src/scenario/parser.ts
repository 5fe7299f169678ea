// Scenario text to a syntax tree: header lines, the `code` block, keys, tasks, the patcher. Records errors
// and keeps going; never throws on bad input.

import type { Diagnostic } from '../base/diagnostics.js';
import { KEY_VISIBILITIES, type KeyVisibility } from '../kernel/spec.js';
import type { Bound, CodeBlock, Expectation, GroupDecl, KeyDecl, ModuleDecl, PatcherDecl, ScenarioAst, SectionPlacement, TaskDecl, Word } from './ast.js';
import type { LineCursor } from './cursor.js';
import { parsePatcherBody } from './parse-patcher.js';
import { parseTaskBody } from './parse-task.js';
import { ScenarioParser, type Line } from './reader.js';

interface Draft {
  name?: Word;
  arch?: Word;
  knobs: Word[];
  bounds: Bound[];
  expect?: Expectation;
  sections: SectionPlacement[];
  code?: CodeBlock;
  keys: KeyDecl[];
  groups: GroupDecl[];
  modules: ModuleDecl[];
  tasks: TaskDecl[];
  nmi?: ScenarioAst['nmi'];
  irq?: ScenarioAst['irq'];
  patchers: PatcherDecl[];
}

/** Parse a scenario file. Diagnostics are sorted by position. */
export function parseScenario(text: string, file: string): { ast: ScenarioAst; diagnostics: Diagnostic[] } {
  const p = new ScenarioParser(text, file);
  const d: Draft = { knobs: [], bounds: [], sections: [], keys: [], groups: [], modules: [], tasks: [], patchers: [] };
  for (let line = p.nextLine(); line; line = p.nextLine()) topLevel(p, d, line);
  const diagnostics = [...p.sink.list].sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col);
  return { ast: { file, ...d }, diagnostics };
}

/** Report a second `arch` (etc.) and keep the first. */
function once<T>(p: ScenarioParser, prev: T | undefined, head: Word): boolean {
  if (prev === undefined) return true;
  p.sink.report('PL7028', head.span, head.text);
  return false;
}

function topLevel(p: ScenarioParser, d: Draft, line: Line): void {
  const { cursor: c, head } = line;
  switch (head.text) {
    case 'scenario': {
      const w = c.word('a scenario name');
      if (w && once(p, d.name, head)) d.name = w;
      break;
    }
    case 'arch': {
      const w = c.word('an arch (x86-64, arm64, ppc32, ppc64, riscv64)');
      if (w && once(p, d.arch, head)) d.arch = w;
      break;
    }
    case 'knobs':
      while (!c.atEnd()) {
        const w = c.word('a knob');
        if (!w) break;
        d.knobs.push(w);
      }
      break;
    case 'bounds':
      while (!c.atEnd()) {
        const name = c.word('a bound (cpus=N …)');
        if (!name || !c.expectPunct('=')) break;
        const n = c.number(`a number for ${name.text}`);
        if (!n) break;
        d.bounds.push({ name, value: n.value, span: name.span });
      }
      break;
    case 'expect': {
      const e = expectation(c, head);
      if (e && once(p, d.expect, head)) d.expect = e;
      break;
    }
    case 'section': {
      const name = c.word('a section name');
      const at = name && c.word('`at`');
      if (at && at.text !== 'at') p.sink.report('PL7006', at.span, '`at`', at.text);
      const address = at?.text === 'at' ? c.expr('an address') : undefined;
      if (name && address) d.sections.push({ name, address, span: head.span });
      break;
    }
    case 'code': {
      c.finish();
      const block = p.rawBlock(head);
      if (once(p, d.code, head)) d.code = block;
      return;
    }
    case 'key':
    case 'static_call': {
      const name = c.ident('a key name');
      const eq = name && c.expectPunct('=');
      const initial = eq ? c.word('a target (a symbol, NULL or RET0)') : undefined;
      const backend = initial && head.text === 'static_call' ? c.word('a back end (ool, inline or ool-module)') : undefined;
      if (!name || !initial || (head.text === 'static_call' && !backend)) break;
      const opts = c.options(['visible']);
      const visibility = keyVisibility(c, opts?.get('visible')?.value);
      if (opts && visibility !== null) d.keys.push({ name, initial, backend, ...(visibility ? { visibility } : {}), span: head.span });
      break;
    }
    case 'static_key': {
      // static_key NAME = false|true [visible=…]: DEFINE_STATIC_KEY_FALSE(NAME) / DEFINE_STATIC_KEY_TRUE(NAME).
      const name = c.ident('a key name');
      const initial = name && c.expectPunct('=') ? c.word('`false` or `true`') : undefined;
      if (!name || !initial) break;
      if (initial.text !== 'false' && initial.text !== 'true') {
        p.sink.report('PL7006', initial.span, '`false` or `true`', initial.text);
        break;
      }
      const opts = c.options(['visible']);
      const visibility = keyVisibility(c, opts?.get('visible')?.value);
      if (opts && visibility !== null) d.keys.push({ name, initial, staticKey: true, ...(visibility ? { visibility } : {}), span: head.span });
      break;
    }
    case 'group': {
      const name = c.ident('a group name');
      const keys: Word[] = [];
      while (name && !c.atEnd()) {
        const k = c.ident('a key name');
        if (!k) break;
        keys.push(k);
      }
      if (name && keys.length === 0) c.expected('the keys of the group');
      if (name) d.groups.push({ name, keys, span: head.span });
      break;
    }
    case 'module': {
      // module NAME SECTION… [init SECTION…]
      const name = c.ident('a module name');
      const sections: Word[] = [], init: Word[] = [];
      let list = sections;
      while (name && !c.atEnd()) {
        const w = c.word('a section name (or `init`)');
        if (!w) break;
        if (w.text === 'init' && list === sections) list = init;
        else list.push(w);
      }
      if (name && sections.length + init.length === 0) c.expected('the sections of the module');
      else if (name) d.modules.push({ name, sections, init, span: head.span });
      break;
    }
    case 'task': {
      const names: Word[] = [];
      while (!c.atEnd()) {
        const w = c.ident('a task name');
        if (!w) break;
        names.push(w);
      }
      if (names.length === 0) c.expected('a task name');
      c.finish();
      const body = parseTaskBody(p, head);
      if (names.length > 0) d.tasks.push({ names, body, span: head.span });
      return;
    }
    case 'nmi':
    case 'irq': {
      c.finish();
      const body = { body: parseTaskBody(p, head), span: head.span };
      if (once(p, d[head.text], head)) d[head.text] = body;
      return;
    }
    case 'patcher': {
      // `patcher` or `patcher NAME`: several patchers are kernel threads of their own, each on its CPU.
      const name = c.atEnd() ? undefined : c.ident('a patcher name');
      c.finish();
      const decl: PatcherDecl = { ...(name ? { name } : {}), body: parsePatcherBody(p, head), span: head.span };
      const label = name?.text ?? 'patcher';
      if (d.patchers.some((q) => (q.name?.text ?? 'patcher') === label)) p.sink.report('PL7028', name?.span ?? head.span, name ? `patcher ${label}` : 'patcher');
      else d.patchers.push(decl);
      return;
    }
    case 'end':
      p.sink.report('PL7018', head.span);
      break;
    default:
      p.sink.report('PL7001', head.span, head.text, 'the scenario header');
      return;
  }
  c.finish();
}

/** `visible=on-return|eventually` (undefined when absent; null after reporting a bad value). */
function keyVisibility(c: LineCursor, w: Word | undefined): KeyVisibility | undefined | null {
  if (!w) return undefined;
  if ((KEY_VISIBILITIES as readonly string[]).includes(w.text)) return w.text as KeyVisibility;
  c.sink.report('PL7006', w.span, KEY_VISIBILITIES.map((v) => `\`${v}\``).join(' or '), w.text);
  return null;
}

function expectation(c: LineCursor, head: Word): Expectation | undefined {
  const verdict = c.word('`safe` or `unsafe`');
  if (!verdict) return undefined;
  if (verdict.text === 'safe') return { verdict: 'safe', span: head.span };
  if (verdict.text !== 'unsafe') {
    c.sink.report('PL7006', verdict.span, '`safe` or `unsafe`', verdict.text);
    return undefined;
  }
  const kinds: Word[] = [];
  while (!c.atEnd()) {
    const k = c.word('a violation kind');
    if (!k) break;
    kinds.push(k);
    if (!c.atEnd() && !c.expectPunct('|')) break;
  }
  return { verdict: 'unsafe', kinds, span: head.span };
}
