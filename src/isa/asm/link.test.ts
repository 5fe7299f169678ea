import { describe, expect, it } from 'vitest';
import { isaFor } from '../registry.js';
import type { ArchName } from '../types.js';
import { assemble } from './assembler.js';
import { link } from './link.js';

const layout = { textBase: 0x10000n, rodataBase: 0x20000n, dataBase: 0x30000n };

describe('link: externals resolve what the object only references', () => {
  const rows: { arch: ArchName; src: string; hex: string }[] = [
    // call to 0x10100 from 0x10000: rel32 = 0x100 - 5
    { arch: 'x86-64', src: 'call ext', hex: 'e8fb000000' },
    // b to 0x10100 from 0x10000: imm26 = 0x40
    { arch: 'arm64', src: 'b ext', hex: '40000014' },
    { arch: 'ppc32', src: 'b ext', hex: '48000100' },
  ];
  it.each(rows)('$arch: $src', ({ arch, src, hex }) => {
    const isa = isaFor(arch);
    const { object, diagnostics } = assemble(src, isa);
    expect(diagnostics).toEqual([]);
    const { image, errors } = link(object, isa, layout, new Map([['ext', 0x10100n]]));
    expect(errors).toEqual([]);
    expect(Buffer.from(image.sections[0].bytes).toString('hex')).toBe(hex);
  });

  it('without externals the symbol stays undefined', () => {
    const isa = isaFor('arm64');
    const { errors } = link(assemble('b ext', isa).object, isa, layout);
    expect(errors.map((e) => e.message)).toEqual(['undefined symbol `ext`']);
  });

  it('a symbol defined in the object wins over an external of the same name', () => {
    const isa = isaFor('arm64');
    const { image } = link(assemble('b ext\next: ret', isa).object, isa, layout, new Map([['ext', 0x90000n]]));
    expect(Buffer.from(image.sections[0].bytes.subarray(0, 4)).toString('hex')).toBe('01000014');
  });
});

describe('ppc64 ELFv2 local entries', () => {
  const isa = isaFor('ppc64');
  const SRC = [
    '.globl f, g, t', 'caller: bl f', 'nop', 'b g', 'bl t', 'blr',
    'f: addis 2,12,(.TOC.-f)@ha', 'addi 2,2,(.TOC.-f)@l', '.localentry f, .-f', 'blr',
    'g: blr', '.localentry g, 0',
    't: ld 2, 16(13)', 'blr', '.localentry t, 1',
  ].join('\n');
  const built = () => {
    const { object, diagnostics } = assemble(SRC, isa);
    expect(diagnostics).toEqual([]);
    const { image, errors } = link(object, isa, layout);
    expect(errors).toEqual([]);
    return { object, image };
  };
  const word = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at, true);

  it('the object keeps the st_other field: `.localentry f, .-f` (8 bytes) is 3, `.localentry t, 1` is 1, not a byte offset', () => {
    const { object } = built();
    const field = (n: string) => object.symbols.find((s) => s.name === n)?.localEntry;
    expect([field('f'), field('g'), field('t'), field('caller')]).toEqual([3, 0, 1, undefined]);
    expect(built().image.localEntries).toEqual(new Map([['f', 8], ['g', 0], ['t', 0]]));
  });

  it('a direct branch (R_PPC64_REL24) goes to the local entry, as GNU ld does; value 1 and 0 add nothing', () => {
    const { image } = built();
    const t = image.sections[0].bytes;
    const at = (n: string) => Number(image.symbols.get(n)! - 0x10000n);
    expect(word(t, 0)).toBe(0x48000001 + at('f') + 8);     // bl f  → f+8
    expect(word(t, 8)).toBe(0x48000000 + at('g') - 8);     // b g   → g
    expect(word(t, 12)).toBe(0x48000001 + at('t') - 12);   // bl t  → t (r2 not preserved: no offset)
  });

  it('other values are errors, as in GNU as (and 1 is the only value that is not a byte count)', () => {
    const { diagnostics } = assemble('f: blr\n.localentry f, 12', isa);
    expect(diagnostics.map((d) => d.code)).toEqual(['PL1024']);
  });
});
