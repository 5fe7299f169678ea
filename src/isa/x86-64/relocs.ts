// The ELF relocations x86-64 code and data use, and how a linker applies each.

import { fitsSigned, fitsUnsigned, writeUint } from '../../base/bits.js';

/**
 * Legend: `size` bytes written; `pcrel` subtracts the place P; `range` the overflow check a linker
 * makes ('signed', 'unsigned', 'either' = signed or unsigned, 'none'); `got` needs a GOT entry,
 * which patchlab's linker does not build.
 */
export const X86_RELOCATIONS = Object.freeze({
  R_X86_64_64: { size: 8, pcrel: false, range: 'none' },
  R_X86_64_PC64: { size: 8, pcrel: true, range: 'none' },
  R_X86_64_32: { size: 4, pcrel: false, range: 'unsigned' },
  R_X86_64_32S: { size: 4, pcrel: false, range: 'signed' },
  R_X86_64_PC32: { size: 4, pcrel: true, range: 'signed' },
  R_X86_64_PLT32: { size: 4, pcrel: true, range: 'signed' },
  R_X86_64_16: { size: 2, pcrel: false, range: 'either' },
  R_X86_64_PC16: { size: 2, pcrel: true, range: 'signed' },
  R_X86_64_8: { size: 1, pcrel: false, range: 'either' },
  R_X86_64_PC8: { size: 1, pcrel: true, range: 'signed' },
  R_X86_64_GOTPCREL: { size: 4, pcrel: true, range: 'signed', got: true },
  R_X86_64_GOTPCRELX: { size: 4, pcrel: true, range: 'signed', got: true },
  R_X86_64_REX_GOTPCRELX: { size: 4, pcrel: true, range: 'signed', got: true },
} as const satisfies Record<string, { size: 1 | 2 | 4 | 8; pcrel: boolean; range: 'signed' | 'unsigned' | 'either' | 'none'; got?: true }>);

export type X86RelocType = keyof typeof X86_RELOCATIONS;

const DATA: Readonly<Record<1 | 2 | 4 | 8, readonly [X86RelocType, X86RelocType]>> = Object.freeze({
  1: ['R_X86_64_8', 'R_X86_64_PC8'],
  2: ['R_X86_64_16', 'R_X86_64_PC16'],
  4: ['R_X86_64_32', 'R_X86_64_PC32'],
  8: ['R_X86_64_64', 'R_X86_64_PC64'],
});

/** `.byte/.word/.long/.quad sym` and `sym - .`, as GNU as marks them. */
export function dataRelocation(size: 1 | 2 | 4 | 8, pcrel: boolean): string | undefined {
  return DATA[size][pcrel ? 1 : 0];
}

export function applyRelocation(
  type: string, image: Uint8Array, offset: number, S: bigint, A: bigint, P: bigint, _tocBase: bigint,
): string | undefined {
  if (!Object.hasOwn(X86_RELOCATIONS, type)) return `unknown x86-64 relocation ${type}`;
  const r: (typeof X86_RELOCATIONS)[X86RelocType] = X86_RELOCATIONS[type as X86RelocType];
  if ('got' in r) return `${type} needs a GOT, which patchlab does not build`;
  const value = r.pcrel ? S + A - P : S + A;
  const bits = r.size * 8;
  const fits =
    r.range === 'none' ? true
      : r.range === 'signed' ? fitsSigned(value, bits)
        : r.range === 'unsigned' ? fitsUnsigned(value, bits)
          : fitsSigned(value, bits) || fitsUnsigned(value, bits);
  if (!fits) return `${type} overflow: 0x${BigInt.asUintN(64, value).toString(16)} does not fit ${bits} bits`;
  if (offset < 0 || offset + r.size > image.length) return `${type} at ${offset} is outside the image`;
  writeUint(image, offset, r.size, value, 'little');
  return undefined;
}
