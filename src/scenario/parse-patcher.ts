// Patcher statements: the kernel's patching primitives, waits, and the blocks that group them.

import { INSN_WRITES, MODULE_OPS, VALUE_WRITES, WAIT_OPS, type HandlerChoice, type InsnWrite, type PatcherStmt, type PokeSite, type ValueWrite, type Word } from './ast.js';
import type { LineCursor } from './cursor.js';
import { isCacheOp, parseCacheOp, parseFlushIcacheRange, parseStp } from './parse-maintenance.js';
import type { Line, ScenarioParser } from './reader.js';

/** The statements of a block opened by `opener`, up to its `end`. */
export function parsePatcherBody(p: ScenarioParser, opener: Word): PatcherStmt[] {
  return p.block(opener, (line) => parsePatcherStmt(p, line));
}

export function parsePatcherStmt(p: ScenarioParser, line: Line): PatcherStmt | undefined {
  const { cursor: c, head } = line;
  const span = head.span;
  if ((WAIT_OPS as readonly string[]).includes(head.text)) {
    c.finish();
    return { kind: 'wait', op: head.text as (typeof WAIT_OPS)[number], span };
  }
  if ((INSN_WRITES as readonly string[]).includes(head.text)) {
    const site = pokeSite(c);
    c.finish();
    return site && { kind: 'insn-write', primitive: head.text as InsnWrite, address: site.address, insn: site.insn, span };
  }
  if ((VALUE_WRITES as readonly string[]).includes(head.text)) {
    const address = c.expr('an address');
    const value = address && c.expectPunct(',') ? c.expr(head.text === 'patch_branch' ? 'a branch target' : 'a value') : undefined;
    c.finish();
    return address && value && { kind: 'value-write', primitive: head.text as ValueWrite, address, value, span };
  }
  if (isCacheOp(head.text)) return parseCacheOp(line, head.text);
  if ((MODULE_OPS as readonly string[]).includes(head.text)) {
    const name = c.ident('a module name');
    c.finish();
    return name && { kind: 'module', op: head.text as (typeof MODULE_OPS)[number], name, span };
  }
  switch (head.text) {
    case 'boot':
    case 'stop_machine': {
      c.finish();
      return { kind: head.text, body: parsePatcherBody(p, head), span };
    }
    case 'update': {
      const changes: { key: Word; target: Word }[] = [];
      let ok = true;
      do {
        const key = c.ident('a key name');
        const target = key && c.expectPunct('->') ? c.word('a target (a symbol, NULL or RET0)') : undefined;
        if (!key || !target) {
          ok = false;
          break;
        }
        changes.push({ key, target });
      } while (c.eat(','));
      c.finish();
      const body = parsePatcherBody(p, head);
      return ok ? { kind: 'update', changes, body, span } : undefined;
    }
    case 'static_call_update': {
      const key = c.ident('a key name');
      const target = key && c.expectPunct(',') ? c.word('a target (a symbol, NULL or RET0)') : undefined;
      c.finish();
      return key && target && { kind: 'static_call_update', key, target, span };
    }
    case 'static_branch_enable':
    case 'static_branch_disable': {
      const key = c.ident('a static key name');
      const opts = key && c.options([], ['skip_sync']);
      const op = head.text === 'static_branch_enable' ? 'enable' : 'disable';
      const skip = opts?.get('skip_sync')?.word;
      return key && opts ? { kind: 'static_branch', op, key, ...(skip ? { skipSync: skip } : {}), span } : undefined;
    }
    case 'wait_calls': {
      const task = c.ident('a task name');
      const n = task && c.number('a number of calls');
      c.finish();
      return task && n ? { kind: 'wait_calls', task, count: Number(n.value), span } : undefined;
    }
    case 'store':
      return parseStore(line);
    case 'stp':
      return parseStp(line);
    case 'flush_icache_range':
      return parseFlushIcacheRange(line);
    case 'mutex_lock':
    case 'mutex_unlock': {
      const name = c.ident('a mutex name');
      c.finish();
      return name && { kind: 'mutex', op: head.text === 'mutex_lock' ? 'lock' : 'unlock', name, span };
    }
    case 'text_poke_bp':
      return parseTextPokeBp(p, line, false);
    case 'text_poke_bp_batch':
      return parseTextPokeBp(p, line, true);
    case 'bp_arm': {
      const site = pokeSite(c);
      const opts = site && c.options(['handler', 'nmi_sync', 'desc']);
      const handler = opts && handlerChoice(c, opts.get('handler')?.value, true, opts.get('nmi_sync'));
      const descriptor = opts?.get('desc')?.value;
      return handler && { kind: 'bp_arm', site: site!, handler, ...(descriptor ? { descriptor } : {}), span };
    }
    case 'patch_sync': {
      const state = c.ident('a PATCH_SYNC state name');
      c.finish();
      return state && { kind: 'patch_sync', state, span };
    }
    case 'bp_disarm': {
      const address = c.expr('an address');
      const opts = address && c.options(['desc']);
      const descriptor = opts?.get('desc')?.value;
      return address && opts && { kind: 'bp_disarm', address, ...(descriptor ? { descriptor } : {}), span };
    }
    case 'text_poke_late': {
      const opts = c.options(['nmi_sync']);
      const nmi = opts?.get('nmi_sync')?.value;
      if (nmi && nmi.text !== 'on' && nmi.text !== 'off') c.sink.report('PL7006', nmi.span, '`on` or `off`', nmi.text);
      const sites = siteBlock(p, line);
      return opts && { kind: 'text_poke_late', sites, nmiSync: nmi?.text !== 'off', span };
    }
    default:
      p.sink.report('PL7001', head.span, head.text, 'the patcher');
      return undefined;
  }
}

/** `ADDR, "insn"`. */
function pokeSite(c: LineCursor): PokeSite | undefined {
  const span = c.here();
  const address = c.expr('an address');
  const insn = address && c.expectPunct(',') ? c.string('an instruction in quotes') : undefined;
  return address && insn && { address, insn, span };
}

/** `store ADDR, WIDTH, VALUE` or `store ADDR, "insn"`. */
function parseStore(line: Line): PatcherStmt | undefined {
  const { cursor: c, head } = line;
  const address = c.expr('an address');
  if (!address || !c.expectPunct(',')) return undefined;
  if (c.peek()?.kind === 'string') {
    const insn = c.string('an instruction in quotes')!;
    c.finish();
    return { kind: 'store-insn', address, insn, span: head.span };
  }
  const width = c.expr('a width (1 to 64 bytes) or an instruction in quotes');
  const value = width && c.expectPunct(',') ? c.expr('a value') : undefined;
  c.finish();
  return width && value && { kind: 'store-value', address, width, value, span: head.span };
}

/** `text_poke_bp ADDR, "insn" [handler=…] [skip_sync]`, or the batch form with a block of sites. */
function parseTextPokeBp(p: ScenarioParser, line: Line, batch: boolean): PatcherStmt | undefined {
  const { cursor: c, head } = line;
  const first = batch ? undefined : pokeSite(c);
  if (!batch && !first) return undefined;
  const opts = c.options(['handler'], ['skip_sync']);
  const sites = batch ? siteBlock(p, line) : [first!];
  if (!opts) return undefined;
  const handler = handlerChoice(c, opts.get('handler')?.value, false);
  return handler && { kind: 'text_poke_bp', sites, handler, skipSync: opts.has('skip_sync'), span: head.span };
}

type OptionWord = { text: string; span: Line['span'] };

/**
 * `handler=H`, of `bp_arm` (which also has seed 004's `wait-and-reexecute`, and its `nmi_sync=` option)
 * or of `text_poke_bp`.
 */
function handlerChoice(c: LineCursor, w: OptionWord | undefined, bpArm: boolean, nmiSync?: { word: OptionWord; value?: OptionWord }): HandlerChoice | undefined {
  const nmi = nmiSync?.value;
  if (nmi && nmi.text !== 'on' && nmi.text !== 'off') {
    c.sink.report('PL7006', nmi.span, '`on` or `off`', nmi.text);
    return undefined;
  }
  if (bpArm && w?.text === 'wait-and-reexecute') return { kind: 'wait-and-reexecute', nmiSync: nmi?.text !== 'off', span: w.span };
  if (nmiSync) {
    c.sink.report('PL7203', nmiSync.word.span);
    return undefined;
  }
  if (!w || w.text === 'emulate') return { kind: 'emulate' };
  const m = /^(detour|rax-trampoline|sti-trampoline):([A-Za-z_.$][A-Za-z0-9_.$]*)$/.exec(w.text);
  if (!m) {
    c.sink.report('PL7030', w.span, w.text, `emulate, detour:SYM, rax-trampoline:SYM${bpArm ? ', sti-trampoline:SYM or wait-and-reexecute' : ' or sti-trampoline:SYM'}`);
    return undefined;
  }
  const at = { ...w.span, col: w.span.col + m[1].length + 1 };
  return { kind: m[1] as 'detour' | 'rax-trampoline' | 'sti-trampoline', trampoline: { text: m[2], span: at } };
}

/** A block of `ADDR, "insn"` lines up to `end`. */
function siteBlock(p: ScenarioParser, line: Line): PokeSite[] {
  line.cursor.finish();
  return p.block(line.head, (l) => {
    // The site's address is the line's first word: hand the whole line back to an expression parser.
    const c = l.cursor;
    c.rewind();
    const site = pokeSite(c);
    c.finish();
    return site;
  });
}
