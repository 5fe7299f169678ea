// Task statements to the harness program a task runs: repeats unrolled, names checked, values evaluated.

import { assertNever } from '../base/assert.js';
import type { TaskOp } from '../kernel/spec.js';
import type { PlainTaskOp, TaskStmt } from './ast.js';
import { registerValue, resolveTarget, type LowerContext } from './lower-context.js';

const PLAIN: Readonly<Record<PlainTaskOp, TaskOp>> = {
  preempt_disable: { op: 'preempt-disable' },
  preempt_enable: { op: 'preempt-enable' },
  irq_disable: { op: 'irq-disable' },
  irq_enable: { op: 'irq-enable' },
  rcu_read_lock: { op: 'rcu-read-lock' },
  rcu_read_unlock: { op: 'rcu-read-unlock' },
};

/** Nested repeats multiply: a bounded model needs a bounded program. */
export const MAX_UNROLLED = 4096;

export interface TaskNames {
  readonly keys: ReadonlySet<string>;
  /** The keys declared with `static_key`. */
  readonly staticKeys: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
  readonly modules: ReadonlySet<string>;
}

/** The program of a task (or of the NMI / IRQ handler). `inCritical` rejects a nested critical section. */
export function lowerTaskBody(ctx: LowerContext, names: TaskNames, body: readonly TaskStmt[], inCritical = false): TaskOp[] {
  const out: TaskOp[] = [];
  for (const s of body) out.push(...lowerTaskStmt(ctx, names, s, inCritical));
  return out;
}

function lowerTaskStmt(ctx: LowerContext, names: TaskNames, s: TaskStmt, inCritical: boolean): TaskOp[] {
  switch (s.kind) {
    case 'plain':
      return [PLAIN[s.op]];
    case 'set': {
      const value = registerValue(ctx, s.value);
      return value === undefined ? [] : [{ op: 'set', reg: s.reg.text, value, span: s.span }];
    }
    case 'call': {
      if (!ctx.built.image.symbols.has(s.entry.text)) ctx.sink.report('PL7009', s.entry.span, s.entry.text);
      if (s.key && !names.keys.has(s.key.text)) ctx.sink.report('PL7010', s.key.span, s.key.text);
      else if (s.key && s.branch && !names.staticKeys.has(s.key.text)) ctx.sink.report('PL7100', s.key.span, s.key.text, '`static_branch` passes the sites of a `static_key`');
      else if (s.key && !s.branch && names.staticKeys.has(s.key.text)) ctx.sink.report('PL7101', s.key.span, s.key.text, `pass its sites with \`static_branch ${s.entry.text} key=${s.key.text}\``);
      if (s.branch && !s.key) ctx.sink.report('PL7037', s.span, 'static_branch', '`key=KEY`: the static key whose sites the call passes');
      if (s.cond && !s.key) ctx.sink.report('PL7037', s.span, 'call_cond', '`key=KEY`: the static call whose NULL target makes it a no-op');
      if (s.cond && s.expect) ctx.sink.report('PL7026', s.expect.span, 'expect=', 'on `call_cond`: static_call_cond() calls a function returning nothing');
      const args = s.args.map((a) => registerValue(ctx, a));
      const expect = s.expect && registerValue(ctx, s.expect);
      if (args.some((a) => a === undefined) || (s.expect && expect === undefined)) return [];
      const call: TaskOp = { op: 'call', entry: s.entry.text, args: args as bigint[], span: s.span };
      if (s.branch) return s.key ? [{ ...call, branch: s.key.text, ...(expect !== undefined ? { expect } : {}) }] : [];
      return [{ ...call, ...(s.key ? { key: s.key.text } : {}), ...(expect !== undefined ? { expect } : {}), ...(s.cond ? { cond: true } : {}) }];
    }
    case 'query': {
      if (!names.keys.has(s.key.text)) ctx.sink.report('PL7010', s.key.span, s.key.text);
      else if (names.staticKeys.has(s.key.text)) ctx.sink.report('PL7101', s.key.span, s.key.text, '`query` reads a static call\'s target');
      const expect = s.expect && resolveTarget(ctx, s.expect);
      if (s.expect && expect === undefined) return [];
      return [{ op: 'query', key: s.key.text, ...(expect !== undefined ? { expect } : {}), span: s.span }];
    }
    case 'wait_module':
      if (!names.modules.has(s.module.text)) ctx.sink.report('PL7034', s.module.span, s.module.text);
      return [{ op: 'wait-module', module: s.module.text, span: s.span }];
    case 'repeat': {
      const once = lowerTaskBody(ctx, names, s.body, inCritical);
      if (once.length * s.count > MAX_UNROLLED) {
        ctx.sink.report('PL7027', s.span, 'an unrolled task program', `at most ${MAX_UNROLLED} steps`, once.length * s.count);
        return once;
      }
      const out: TaskOp[] = [];
      for (let i = 0; i < s.count; i++) out.push(...once);
      return out;
    }
    case 'wait_update':
      if (!names.keys.has(s.key.text)) ctx.sink.report('PL7010', s.key.span, s.key.text);
      return [{ op: 'wait-update', key: s.key.text, count: s.count, span: s.span }];
    case 'critical': {
      if (inCritical) ctx.sink.report('PL7026', s.span, 'critical', 'inside another critical section');
      if (!names.groups.has(s.group.text)) ctx.sink.report('PL7011', s.group.span, s.group.text);
      const body = lowerTaskBody(ctx, names, s.body, true);
      return [{ op: 'critical-begin', group: s.group.text }, ...body, { op: 'critical-end' }];
    }
    default:
      return assertNever(s, 'task statement');
  }
}
