// Task statements: what a task (or the NMI / IRQ handler) does between the calls the checker watches.

import { PLAIN_TASK_OPS, type Expr, type PlainTaskOp, type TaskStmt, type Word } from './ast.js';
import type { Line, ScenarioParser } from './reader.js';

/** Unrolling cap: a scenario is a bounded model, and a typo like `repeat 10000000` must not hang lowering. */
export const MAX_REPEAT = 64;

/** The statements of a block opened by `opener`, up to its `end`. */
export function parseTaskBody(p: ScenarioParser, opener: Word): TaskStmt[] {
  return p.block(opener, (line) => parseTaskStmt(p, line));
}

export function parseTaskStmt(p: ScenarioParser, line: Line): TaskStmt | undefined {
  const { cursor: c, head } = line;
  const span = head.span;
  if ((PLAIN_TASK_OPS as readonly string[]).includes(head.text)) {
    c.finish();
    return { kind: 'plain', op: head.text as PlainTaskOp, span };
  }
  switch (head.text) {
    case 'set': {
      const reg = c.ident('a register name');
      const value = reg && c.expectPunct('=') ? c.expr('a number or symbol') : undefined;
      c.finish();
      return reg && value && { kind: 'set', reg, value, span };
    }
    case 'call':
    case 'call_cond':
    case 'static_branch':
      return parseCall(line, head.text);
    case 'query': {
      const key = c.ident('a key name');
      const opts = key && c.options(['expect']);
      return key && opts ? { kind: 'query', key, expect: opts.get('expect')?.value, span } : undefined;
    }
    case 'wait_module': {
      const module = c.ident('a module name');
      c.finish();
      return module && { kind: 'wait_module', module, span };
    }
    case 'repeat': {
      const n = c.number('a repeat count');
      c.finish();
      const body = parseTaskBody(p, head);
      if (!n) return undefined;
      if (n.value < 1n || n.value > BigInt(MAX_REPEAT)) {
        p.sink.report('PL7027', n.span, 'a repeat count', `1 to ${MAX_REPEAT}`, n.value);
        return undefined;
      }
      return { kind: 'repeat', count: Number(n.value), body, span };
    }
    case 'wait_update': {
      const key = c.ident('a key name');
      const n = key && c.number('a number of updates');
      c.finish();
      return key && n ? { kind: 'wait_update', key, count: Number(n.value), span } : undefined;
    }
    case 'critical': {
      const group = c.ident('a group name');
      c.finish();
      const body = parseTaskBody(p, head);
      return group && { kind: 'critical', group, body, span };
    }
    default:
      p.sink.report('PL7001', head.span, head.text, 'a task');
      return undefined;
  }
}

/** `call ENTRY[(ARG, …)] [key=KEY] [expect=VALUE]`, and `call_cond` and `static_branch` likewise. */
function parseCall(line: Line, how: 'call' | 'call_cond' | 'static_branch'): TaskStmt | undefined {
  const { cursor: c, head } = line;
  const entry = c.ident('the function or code address to call');
  if (!entry) return undefined;
  const args: Expr[] = [];
  if (c.eat('(')) {
    if (!c.eat(')')) {
      for (;;) {
        const a = c.expr('an argument');
        if (!a) return undefined;
        args.push(a);
        if (c.eat(')')) break;
        if (!c.expectPunct(',')) return undefined;
      }
    }
  }
  let key: Word | undefined;
  let expect: Expr | undefined;
  while (!c.atEnd()) {
    const opt = c.ident('`key=…` or `expect=…`');
    if (!opt) return undefined;
    if (opt.text !== 'key' && opt.text !== 'expect') {
      c.sink.report('PL7006', opt.span, '`key=…` or `expect=…`', opt.text);
      return undefined;
    }
    if ((opt.text === 'key' ? key : expect) !== undefined) c.sink.report('PL7028', opt.span, opt.text);
    if (!c.expectPunct('=')) return undefined;
    if (opt.text === 'key') key = c.ident('a key name');
    else expect = c.expr('the expected return value');
    if ((opt.text === 'key' ? key : expect) === undefined) return undefined;
  }
  const cond = how === 'call_cond';
  return { kind: 'call', entry, args, key, expect, cond, ...(how === 'static_branch' ? { branch: true } : {}), span: head.span };
}
