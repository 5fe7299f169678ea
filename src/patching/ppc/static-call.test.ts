import { describe, expect, it } from 'vitest';
import { assemble } from '../../isa/asm/assembler.js';
import { link } from '../../isa/asm/link.js';
import { isaFor } from '../../isa/registry.js';
import type { KernelOp, Target } from '../../kernel/spec.js';
import { defaultLayout } from '../../machine/load.js';
import { ppc32StaticCallInline, ppc32StaticCallOutOfLine, ppc64StaticCallOutOfLine } from './static-call.js';

const USER = 'caller: bl __SCT__k\ntail: b __SCT__k\nfunc_a: blr\nfunc_b: blr\n.section .text.far, "ax"\nfunc_far: blr\n';

function build(arch: 'ppc32' | 'ppc64', be = arch === 'ppc32' ? ppc32StaticCallOutOfLine : ppc64StaticCallOutOfLine, initial: Target = 'func_a') {
  const isa = isaFor(arch);
  const { object, diagnostics } = assemble(USER + be.trampolineSource('k', initial), isa);
  expect(diagnostics).toEqual([]);
  const { image, errors } = link(object, isa, { ...defaultLayout(object), addresses: new Map([['.text.far', 0x0400_0000n]]) });
  expect(errors).toEqual([]);
  return { be, ctx: { image, object }, sym: (n: string) => image.symbols.get(n)! };
}
function brief(r: KernelOp[] | { error: string }, base: bigint): string[] {
  if (!Array.isArray(r)) throw new Error(r.error);
  return r.filter((o) => o.op === 'store' || o.op === 'maintain').map((o) => {
    const at = `+${(o.address - base).toString(16)}`;
    return o.op === 'store' ? `store${at}:${Array.from(o.bytes, (x) => x.toString(16).padStart(2, '0')).join('')}` : `maintain${at}`;
  });
}

describe('ppc32 out-of-line', () => {
  const rows: { to: Target; want: (t: bigint, s: (n: string) => bigint) => string[] }[] = [
    // far: the literal (+28) first, then the first word becomes a nop
    { to: 'func_far', want: () => ['store+1c:04000000', 'store+0:60000000', 'maintain+0'] },
    { to: 'NULL', want: () => ['store+0:4e800020', 'maintain+0'] },
    { to: 'RET0', want: () => ['store+0:48000014', 'maintain+0'] },
    { to: 'func_b', want: (t, s) => [`store+0:${(0x48000000 + Number((s('func_b') - t) & 0x3fffffcn)).toString(16)}`, 'maintain+0'] },
  ];
  it.each(rows)('update to $to', ({ to, want }) => {
    const { be, ctx, sym } = build('ppc32');
    const t = sym('__SCT__k');
    expect(brief(be.update(ctx, 'k', 'func_a', to), t)).toEqual(want(t, sym));
  });

  it('the trampoline is the merged 32-byte form: inst; lis; lwz; mtctr; bctr; li r3,0; blr; .long', () => {
    const { ctx, sym } = build('ppc32', ppc32StaticCallOutOfLine, 'NULL');
    const t = sym('__SCT__k');
    const s = ctx.image.sections.find((x) => t >= x.address && t < x.address + BigInt(x.bytes.length))!;
    const words = Array.from({ length: 8 }, (_, i) => Buffer.from(s.bytes.subarray(Number(t - s.address) + 4 * i, Number(t - s.address) + 4 * i + 4)).toString('hex'));
    expect(words[0]).toBe('4e800020');
    expect(words.slice(3, 7)).toEqual(['7d8903a6', '4e800420', '38600000', '4e800020']);
    expect(words[1].startsWith('3d80') && words[2].startsWith('818c')).toBe(true);
  });
});

describe('ppc32 inline', () => {
  it('far target: trampoline literal, trampoline nop, then each site to bl/b the trampoline', () => {
    const { be, ctx, sym } = build('ppc32', ppc32StaticCallInline);
    const t = sym('__SCT__k');
    const o = brief(be.update(ctx, 'k', 'func_a', 'func_far'), 0n);
    const at = (a: bigint) => a.toString(16);
    expect(o).toEqual([
      `store${'+' + at(t + 28n)}:04000000`, `store+${at(t)}:60000000`, `maintain+${at(t)}`,
      `store+${at(sym('caller'))}:${(0x48000001 + Number(t - sym('caller'))).toString(16)}`, `maintain+${at(sym('caller'))}`,
      `store+${at(sym('tail'))}:${(0x48000000 + Number(t - sym('tail'))).toString(16)}`, `maintain+${at(sym('tail'))}`,
    ]);
  });
  it('NULL and RET0 at a call site: nop and li r3,0; at a tail site: blr and b to the RET0 pair', () => {
    const { be, ctx, sym } = build('ppc32', ppc32StaticCallInline);
    const word = (o: string[], a: bigint) => o.find((x) => x.startsWith(`store+${a.toString(16)}:`))?.split(':')[1];
    const nul = brief(be.update(ctx, 'k', 'func_a', 'NULL'), 0n);
    expect([word(nul, sym('caller')), word(nul, sym('tail'))]).toEqual(['60000000', '4e800020']);
    const ret0 = brief(be.update(ctx, 'k', 'func_a', 'RET0'), 0n);
    expect([word(ret0, sym('caller')), word(ret0, sym('tail'))]).toEqual(['38600000', (0x48000000 + Number(sym('__SCT__k') + 20n - sym('tail'))).toString(16)]);
  });
});

describe('ppc64 ELFv2 out-of-line', () => {
  it('layout: TOC set-up, local entry at +8, li r3,0 at +28, literal at +40', () => {
    const { ctx, sym } = build('ppc64');
    expect(ctx.image.localEntries.get('__SCT__k')).toBe(8);
    const t = sym('__SCT__k');
    const s = ctx.image.sections.find((x) => t >= x.address && t < x.address + BigInt(x.bytes.length))!;
    const off = Number(t - s.address);
    expect(Buffer.from(s.bytes.subarray(off + 28, off + 32)).toString('hex')).toBe('00006038');
    expect(s.bytes.subarray(off + 40, off + 48)).toEqual(Uint8Array.of(...[0, 0, 0, 0, 0, 0, 0, 0].map((_, i) => Number((sym('func_a') >> BigInt(8 * i)) & 0xffn))));
  });
  it('far update: the 8-byte literal first, then the instruction at the local entry becomes a nop', () => {
    const { be, ctx, sym } = build('ppc64');
    expect(brief(be.update(ctx, 'k', 'func_a', 'func_far'), sym('__SCT__k'))).toEqual(['store+28:0000000400000000', 'store+8:00000060', 'maintain+8']);
  });
});
