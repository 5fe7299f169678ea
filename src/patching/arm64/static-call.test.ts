import { describe, expect, it } from 'vitest';
import { assemble } from '../../isa/asm/assembler.js';
import { link } from '../../isa/asm/link.js';
import { isaFor } from '../../isa/registry.js';
import type { KernelOp, Target } from '../../kernel/spec.js';
import { defaultLayout } from '../../machine/load.js';
import { staticCallSymbols } from '../static-call-backend.js';
import { arm64StaticCallOutOfLine as be } from './static-call.js';

function build(initial: Target = 'func_a') {
  const isa = isaFor('arm64');
  const { object, diagnostics } = assemble('caller: bl __SCT__k\nret\nfunc_a: ret\nfunc_b: ret\n' + be.trampolineSource('k', initial), isa);
  expect(diagnostics).toEqual([]);
  const { image, errors } = link(object, isa, defaultLayout(object));
  expect(errors).toEqual([]);
  return { ctx: { image, object }, sym: (n: string) => image.symbols.get(n)! };
}

describe('arm64 out-of-line (literal)', () => {
  it('the trampoline is bti c; adrp; ldr; br and the literal sits aligned in .rodata', () => {
    const { ctx, sym } = build();
    const lit = sym(staticCallSymbols('k').literal);
    const ro = ctx.image.sections.find((s) => s.name === '.rodata')!;
    expect(lit % 8n).toBe(0n);
    expect(lit >= ro.address && lit < ro.address + BigInt(ro.bytes.length)).toBe(true);
    const text = ctx.image.sections.find((s) => s.name === '.text')!;
    const off = Number(sym('__SCT__k') - text.address);
    expect(Buffer.from(text.bytes.subarray(off, off + 4)).toString('hex')).toBe('5f2403d5');
    expect(Buffer.from(text.bytes.subarray(off + 12, off + 16)).toString('hex')).toBe('00021fd6');
  });

  const rows: { to: Target; dest: (k: ReturnType<typeof staticCallSymbols>) => string }[] = [
    { to: 'func_b', dest: () => 'func_b' },
    { to: 'NULL', dest: (k) => k.nop },
    { to: 'RET0', dest: (k) => k.ret0 },
  ];
  it.each(rows)('update to $to is one aligned 8-byte store of the literal, nothing else', ({ to, dest }) => {
    const { ctx, sym } = build();
    const o = be.update(ctx, 'k', 'func_a', to) as KernelOp[];
    const body = o.filter((x) => !['update-begin', 'update-end', 'mutex-lock', 'mutex-unlock'].includes(x.op));
    expect(body).toHaveLength(1);
    const [s] = body as Extract<KernelOp, { op: 'store' }>[];
    expect(s.address).toBe(sym(staticCallSymbols('k').literal));
    expect(s.bytes.length).toBe(8);
    expect(Buffer.from(s.bytes).readBigUInt64LE()).toBe(sym(dest(staticCallSymbols('k'))));
  });

  it('has no inline back end sites', () => {
    const { ctx } = build();
    expect(be.sites(ctx.object, ctx.image, 'k')).toEqual([]);
  });
});
