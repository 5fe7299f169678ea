import { describe, expect, it } from 'vitest';
import { assemble } from '../../isa/asm/assembler.js';
import { link } from '../../isa/asm/link.js';
import { isaFor } from '../../isa/registry.js';
import type { KernelOp, Target } from '../../kernel/spec.js';
import { defaultLayout } from '../../machine/load.js';
import type { StaticCallBackend } from '../static-call-backend.js';
import { ppc32StaticCallInline, ppc32StaticCallOutOfLine } from './static-call.js';
import { functionToc, ppc64StaticCallOutOfLine, ppc64StaticCallOutOfLineModule } from './static-call-elfv2.js';

const USER = 'caller: bl __SCT__k\ntail: b __SCT__k\nfunc_a: blr\nfunc_b: blr\n.section .text.far, "ax"\nfunc_far: blr\n';

function build(arch: 'ppc32' | 'ppc64', be: StaticCallBackend = arch === 'ppc32' ? ppc32StaticCallOutOfLine : ppc64StaticCallOutOfLine, initial: Target = 'func_a') {
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

describe('ppc64 ELFv2 out-of-line: the kernel (ool) and module (ool-module) trampolines', () => {
  const forms = [
    { be: ppc64StaticCallOutOfLine, inst: 4, ret0: 24, data: 32, size: 40 },
    { be: ppc64StaticCallOutOfLineModule, inst: 28, ret0: 44, data: 56, size: 64 },
  ];
  it.each(forms)('$be.kind: .localentry 1 (one entry, r2 not preserved), li r3,0 at +$ret0, literal at +$data', ({ be, inst, ret0, data, size }) => {
    const { ctx, sym } = build('ppc64', be);
    expect(ctx.object.symbols.find((s) => s.name === '__SCT__k')).toMatchObject({ localEntry: 1, size: BigInt(size) });
    expect(ctx.image.localEntries.get('__SCT__k')).toBe(0);
    const t = sym('__SCT__k');
    const s = ctx.image.sections.find((x) => t >= x.address && t < x.address + BigInt(x.bytes.length))!;
    const off = Number(t - s.address);
    const hex = (at: number, n: number) => Buffer.from(s.bytes.subarray(off + at, off + at + n)).toString('hex');
    expect(hex(ret0, 4)).toBe('00006038');
    expect(hex(inst, 4)).toBe(Buffer.from(Uint32Array.of(0x48000000 + Number((sym('func_a') - t - BigInt(inst)) & 0x3fffffcn)).buffer).toString('hex'));
    expect(s.bytes.subarray(off + data, off + data + 8)).toEqual(Uint8Array.of(...[0, 0, 0, 0, 0, 0, 0, 0].map((_, i) => Number((sym('func_a') >> BigInt(8 * i)) & 0xffn))));
    if (be.kind === 'ool') expect(hex(0, 4)).toBe('10004de8'); // ld r2, 16(r13)
  });
  it.each(forms)('$be.kind far update: the 8-byte literal first, then the patched instruction becomes a nop', ({ be, inst, data }) => {
    const { ctx, sym } = build('ppc64', be);
    expect(brief(be.update(ctx, 'k', 'func_a', 'func_far'), sym('__SCT__k'))).toEqual([`store+${data.toString(16)}:0000000400000000`, `store+${inst.toString(16)}:00000060`, `maintain+${inst.toString(16)}`]);
  });
});

describe('ppc64 ELFv2: which targets the trampoline may branch to (shares_toc)', () => {
  const isa = isaFor('ppc64');
  const SRC = [
    'same: addis 2, 12, (.TOC.-same)@ha', 'addi 2, 2, (.TOC.-same)@l', '.localentry same, .-same', 'blr',
    'other: lis 2, toc_b@ha', 'addi 2, 2, toc_b@l', '.localentry other, .-other', 'blr',
    'plain: blr',
    '.data', 'toc_b: .quad 0',
  ].join('\n');
  const { object } = assemble(SRC + ppc64StaticCallOutOfLine.trampolineSource('k', 'plain'), isa);
  const { image } = link(object, isa, defaultLayout(object));
  const ctx = { image, object };
  const sym = (n: string) => image.symbols.get(n)!;
  const branchTo = (r: KernelOp[] | { error: string }) => {
    if (!Array.isArray(r)) throw new Error(r.error);
    const st = r.filter((o) => o.op === 'store');
    if (st.length !== 1 || st[0].op !== 'store') return 'literal';
    const w = new DataView(st[0].bytes.buffer, st[0].bytes.byteOffset).getUint32(0, true);
    return st[0].address + BigInt((w << 6) >> 6 & ~3);
  };
  it('the TOC a global entry sets up is read from its two words', () => {
    expect(functionToc(image, sym('same'))).toBe(image.tocBase);
    expect(functionToc(image, sym('other'))).toBe(sym('toc_b'));
    expect(functionToc(image, sym('plain'))).toBeUndefined();
  });
  it('same TOC: b to the local entry; another TOC: the literal (global entry, r12 set); no TOC: b to it', () => {
    expect(branchTo(ppc64StaticCallOutOfLine.update(ctx, 'k', 'plain', 'same'))).toBe(sym('same') + 8n);
    expect(branchTo(ppc64StaticCallOutOfLine.update(ctx, 'k', 'plain', 'other'))).toBe('literal');
    expect(branchTo(ppc64StaticCallOutOfLine.update(ctx, 'k', 'same', 'plain'))).toBe(sym('plain'));
  });
});
