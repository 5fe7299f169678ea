import { describe, expect, it } from 'vitest';
import { assemble } from '../../isa/asm/assembler.js';
import { link } from '../../isa/asm/link.js';
import { isaFor } from '../../isa/registry.js';
import type { KernelOp, Target } from '../../kernel/spec.js';
import { defaultLayout } from '../../machine/load.js';
import { x86StaticCallInline, x86StaticCallOutOfLine } from './static-call.js';

const USER = 'caller: call __SCT__k\n ret\ntail: jmp __SCT__k\nfunc_a: ret\nfunc_b: ret\n';

function build(inline: boolean, initial: Target = 'func_a') {
  const be = inline ? x86StaticCallInline : x86StaticCallOutOfLine;
  const isa = isaFor('x86-64');
  const { object, diagnostics } = assemble(USER + be.trampolineSource('k', initial), isa);
  expect(diagnostics).toEqual([]);
  const { image, errors } = link(object, isa, defaultLayout(object));
  expect(errors).toEqual([]);
  return { be, ctx: { image, object }, sym: (n: string) => image.symbols.get(n)! };
}
const ops = (r: KernelOp[] | { error: string }) => {
  if (!Array.isArray(r)) throw new Error(r.error);
  return r;
};
const stores = (o: KernelOp[]) => o.filter((x) => x.op === 'store');
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('x86-64 static call back ends', () => {
  it('trampoline source: jmp rel32 + ud1, NULL as ret; int3; nop × 3', () => {
    for (const [initial, want] of [['func_a', /^e9.{8}0fb9cc$/], ['NULL', /^c3cc9090900fb9cc$/]] as const) {
      const { ctx, sym } = build(false, initial);
      const s = ctx.image.sections.find((x) => x.name === '.static_call.text')!;
      expect(sym('__SCT__k')).toBe(s.address);
      expect(hex(s.bytes)).toMatch(want);
    }
  });

  it('ool update is one text_poke_bp on the trampoline: INT3, sync, tail, sync, first byte, sync', () => {
    const { be, ctx, sym } = build(false);
    const o = ops(be.update(ctx, 'k', 'func_a', 'func_b'));
    expect(o.map((x) => x.op)).toEqual([
      'update-begin', 'mutex-lock', 'bp-arm', 'store', 'sync-core', 'store', 'store', 'store', 'sync-core', 'store', 'sync-core', 'bp-disarm', 'mutex-unlock', 'update-end',
    ]);
    const s = stores(o) as Extract<KernelOp, { op: 'store' }>[];
    expect(s[0]).toMatchObject({ address: sym('__SCT__k') });
    expect(hex(s[0].bytes)).toBe('cc');
    expect(s.at(-1)!.address).toBe(sym('__SCT__k'));
    expect(hex(s.at(-1)!.bytes)).toBe('e9');
  });

  const forms: { to: Target; site: string; tail: RegExp; tramp: RegExp }[] = [
    { to: 'NULL', site: '0f1f440000', tail: /^c3cccccccc$/, tramp: /^c3cccccccc$/ },
    { to: 'RET0', site: '2e2e2e31c0', tail: /^e9/, tramp: /^e9/ },
    { to: 'func_b', site: 'e8', tail: /^e9/, tramp: /^e9/ },
  ];
  it.each(forms)('inline update to $to batches the trampoline and both sites in one text_poke_bp', ({ to, site, tail, tramp }) => {
    const { be, ctx, sym } = build(true);
    const o = ops(be.update(ctx, 'k', 'func_a', to));
    const begins = o.filter((x) => x.op === 'bp-arm') as Extract<KernelOp, { op: 'bp-arm' }>[];
    expect(begins.map((b) => b.address)).toEqual([sym('__SCT__k'), sym('caller'), sym('tail')]);
    expect(o.filter((x) => x.op === 'sync-core')).toHaveLength(3);
    const whole = (a: bigint) => {
      const bytes = new Uint8Array(5);
      for (const s of stores(o) as Extract<KernelOp, { op: 'store' }>[]) if (s.address >= a && s.address < a + 5n) bytes.set(s.bytes, Number(s.address - a));
      return hex(bytes);
    };
    expect(whole(sym('caller')).startsWith(site)).toBe(true);
    expect(whole(sym('tail'))).toMatch(tail);
    expect(whole(sym('__SCT__k'))).toMatch(tramp);
    // RET0 at a call site: the handler emulates the call to __static_call_return0, not the xor.
    if (to === 'RET0') expect(hex(begins[1].insn)).toMatch(/^e8/);
  });

  it('boot patches the sites from the trampoline call with text_poke_early: no INT3, no sync', () => {
    const { be, ctx, sym } = build(true);
    const o = ops(be.update(ctx, 'k', 'func_a', 'func_a', true));
    expect(o.some((x) => x.op === 'sync-core' || x.op === 'bp-arm')).toBe(false);
    expect(new Set((stores(o) as Extract<KernelOp, { op: 'store' }>[]).map((s) => s.address >= sym('tail')))).toEqual(new Set([false, true]));
    expect(o.every((x) => x.op !== 'store' || x.step.startsWith('text_poke_early'))).toBe(true);
  });

  it('an update to the current target writes nothing', () => {
    const { be, ctx } = build(true);
    expect(ops(be.update(ctx, 'k', 'func_b', 'func_b')).map((x) => x.op)).toEqual(['update-begin', 'mutex-lock', 'mutex-unlock', 'update-end']);
  });

  it('finds sites from relocations, call vs tail', () => {
    const { be, ctx, sym } = build(true);
    expect(be.sites(ctx.object, ctx.image, 'k')).toEqual([{ address: sym('caller'), tail: false }, { address: sym('tail'), tail: true }]);
    expect(x86StaticCallOutOfLine.sites(ctx.object, ctx.image, 'k')).toEqual([]);
  });

  it('an unknown target is an error, not a throw', () => {
    const { be, ctx } = build(false);
    expect(be.update(ctx, 'k', 'func_a', 'nope')).toHaveProperty('error');
  });

  it('an update skips the sites `live` rejects (a module not loaded, freed init text)', () => {
    const { be, ctx, sym } = build(true);
    const o = ops(be.update({ ...ctx, live: (a) => a !== sym('tail') }, 'k', 'func_a', 'func_b'));
    const begins = o.filter((x) => x.op === 'bp-arm') as Extract<KernelOp, { op: 'bp-arm' }>[];
    expect(begins.map((b) => b.address)).toEqual([sym('__SCT__k'), sym('caller')]);
  });

  it('addModule writes the module\'s sites for the current target with text_poke_early, nothing else', () => {
    const { be, ctx, sym } = build(true);
    const o = ops(be.addModule({ ...ctx, live: (a) => a === sym('tail') }, 'k', 'NULL'));
    expect(o.every((x) => x.op === 'store' && x.step.startsWith('text_poke_early'))).toBe(true);
    const s = stores(o) as Extract<KernelOp, { op: 'store' }>[];
    expect(s.every((x) => x.address >= sym('tail') && x.address < sym('tail') + 5n)).toBe(true);
    expect(hex(Uint8Array.from(s.flatMap((x) => Array.from(x.bytes))))).toBe('c3cccccccc');
    expect(x86StaticCallOutOfLine.addModule(ctx, 'k', 'NULL')).toEqual([]);
  });
});
