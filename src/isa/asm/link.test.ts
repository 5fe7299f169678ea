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
