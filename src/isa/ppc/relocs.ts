// The ELF relocations ppc templates and data emit (R_PPC_* on ppc32, R_PPC64_* on ppc64), and how a linker applies them.

import { foldRelocOp } from '../asm/expr.js';
import { assertNever } from '../../base/assert.js';
import { fitsEither, fitsSigned, readUint, writeUint, type Endian } from '../../base/bits.js';

/**
 * Per relocation (its name after `R_PPC_` / `R_PPC64_`): which modes have it, what it computes
 * (S+A, S+A−P, or S+A−TOC), which 16 bits it keeps, where it writes, and what overflows it.
 *   half16   the 16-bit field of a D-form instruction, at r_offset (the halfword itself)
 *   half16ds the same, keeping the low 2 bits (the DS form's extended opcode)
 *   low24/low14  the LI/BD field of the branch word at r_offset
 */
interface RelocSpec {
  readonly modes: 32 | 64 | 'both';
  readonly base: 'abs' | 'pc' | 'toc';
  readonly pick: 'all' | 'lo' | 'hi' | 'ha' | 'higher' | 'highera' | 'highest' | 'highesta';
  readonly field: 'word32' | 'word64' | 'half16' | 'half16ds' | 'low24' | 'low14';
  readonly check: 'signed' | 'either' | 'none';
}

export const RELOCATIONS = {
  ADDR32: { modes: 'both', base: 'abs', pick: 'all', field: 'word32', check: 'either' },
  REL32: { modes: 'both', base: 'pc', pick: 'all', field: 'word32', check: 'signed' },
  ADDR64: { modes: 64, base: 'abs', pick: 'all', field: 'word64', check: 'none' },
  REL64: { modes: 64, base: 'pc', pick: 'all', field: 'word64', check: 'none' },
  ADDR24: { modes: 'both', base: 'abs', pick: 'all', field: 'low24', check: 'signed' },
  ADDR14: { modes: 'both', base: 'abs', pick: 'all', field: 'low14', check: 'signed' },
  REL24: { modes: 'both', base: 'pc', pick: 'all', field: 'low24', check: 'signed' },
  PLTREL24: { modes: 32, base: 'pc', pick: 'all', field: 'low24', check: 'signed' },
  REL14: { modes: 'both', base: 'pc', pick: 'all', field: 'low14', check: 'signed' },
  ADDR16: { modes: 'both', base: 'abs', pick: 'all', field: 'half16', check: 'signed' },
  ADDR16_LO: { modes: 'both', base: 'abs', pick: 'lo', field: 'half16', check: 'none' },
  ADDR16_HI: { modes: 'both', base: 'abs', pick: 'hi', field: 'half16', check: 'none' },
  ADDR16_HA: { modes: 'both', base: 'abs', pick: 'ha', field: 'half16', check: 'none' },
  ADDR16_HIGH: { modes: 64, base: 'abs', pick: 'hi', field: 'half16', check: 'none' },
  ADDR16_HIGHA: { modes: 64, base: 'abs', pick: 'ha', field: 'half16', check: 'none' },
  ADDR16_HIGHER: { modes: 64, base: 'abs', pick: 'higher', field: 'half16', check: 'none' },
  ADDR16_HIGHERA: { modes: 64, base: 'abs', pick: 'highera', field: 'half16', check: 'none' },
  ADDR16_HIGHEST: { modes: 64, base: 'abs', pick: 'highest', field: 'half16', check: 'none' },
  ADDR16_HIGHESTA: { modes: 64, base: 'abs', pick: 'highesta', field: 'half16', check: 'none' },
  ADDR16_DS: { modes: 64, base: 'abs', pick: 'all', field: 'half16ds', check: 'signed' },
  ADDR16_LO_DS: { modes: 64, base: 'abs', pick: 'lo', field: 'half16ds', check: 'none' },
  REL16: { modes: 'both', base: 'pc', pick: 'all', field: 'half16', check: 'signed' },
  REL16_LO: { modes: 'both', base: 'pc', pick: 'lo', field: 'half16', check: 'none' },
  REL16_HI: { modes: 'both', base: 'pc', pick: 'hi', field: 'half16', check: 'none' },
  REL16_HA: { modes: 'both', base: 'pc', pick: 'ha', field: 'half16', check: 'none' },
  TOC16: { modes: 64, base: 'toc', pick: 'all', field: 'half16', check: 'signed' },
  TOC16_LO: { modes: 64, base: 'toc', pick: 'lo', field: 'half16', check: 'none' },
  TOC16_HI: { modes: 64, base: 'toc', pick: 'hi', field: 'half16', check: 'none' },
  TOC16_HA: { modes: 64, base: 'toc', pick: 'ha', field: 'half16', check: 'none' },
  TOC16_DS: { modes: 64, base: 'toc', pick: 'all', field: 'half16ds', check: 'signed' },
  TOC16_LO_DS: { modes: 64, base: 'toc', pick: 'lo', field: 'half16ds', check: 'none' },
} as const satisfies Record<string, RelocSpec>;

export type RelocName = keyof typeof RELOCATIONS;

/**
 * Which relocation a 16-bit immediate asks for, by its `@` operator ('' for none): absolute,
 * pc-relative (`sym - .`, `.TOC.-0b`), and in a DS-form displacement (a subset: GNU as rejects the rest).
 */
export const HALF16_RELOCS: Readonly<Record<'abs' | 'pc' | 'ds', Readonly<Record<string, RelocName>>>> = {
  abs: {
    '': 'ADDR16', l: 'ADDR16_LO', h: 'ADDR16_HI', ha: 'ADDR16_HA', high: 'ADDR16_HIGH', higha: 'ADDR16_HIGHA',
    higher: 'ADDR16_HIGHER', highera: 'ADDR16_HIGHERA', highest: 'ADDR16_HIGHEST', highesta: 'ADDR16_HIGHESTA',
    toc: 'TOC16', 'toc@l': 'TOC16_LO', 'toc@h': 'TOC16_HI', 'toc@ha': 'TOC16_HA',
  },
  pc: { '': 'REL16', l: 'REL16_LO', h: 'REL16_HI', ha: 'REL16_HA' },
  ds: { '': 'ADDR16_DS', l: 'ADDR16_LO_DS', toc: 'TOC16_DS', 'toc@l': 'TOC16_LO_DS' },
};

export const relocPrefix = (mode: 32 | 64) => (mode === 32 ? 'R_PPC_' : 'R_PPC64_');

/** The full ELF name of `name` in `mode`, or undefined when that mode has no such relocation. */
export function relocType(name: RelocName, mode: 32 | 64): string | undefined {
  const m = RELOCATIONS[name].modes;
  return m === 'both' || m === mode ? relocPrefix(mode) + name : undefined;
}

export function dataRelocation(size: 1 | 2 | 4 | 8, pcrel: boolean, mode: 32 | 64): string | undefined {
  const name: RelocName | undefined =
    size === 2 ? (pcrel ? 'REL16' : 'ADDR16') : size === 4 ? (pcrel ? 'REL32' : 'ADDR32') : size === 8 ? (pcrel ? 'REL64' : 'ADDR64') : undefined;
  return name && relocType(name, mode);
}

/** The part of a value a relocation keeps: the same arithmetic as the `@l`/`@h`/`@ha`… operators. */
function pick(p: RelocSpec['pick'], v: bigint): bigint {
  if (p === 'all') return v;
  return foldRelocOp(p === 'lo' ? 'l' : p === 'hi' ? 'h' : p, v)!;
}

const FIELD_BITS = { word32: 32, word64: 64, half16: 16, half16ds: 16, low24: 26, low14: 16 } as const;

/** Write a relocation's value into the image; an error message if it overflows or is unknown. */
export function applyRelocation(
  type: string, image: Uint8Array, offset: number, S: bigint, A: bigint, P: bigint, tocBase: bigint, mode: 32 | 64, endian: Endian,
): string | undefined {
  const name = type.startsWith(relocPrefix(mode)) ? type.slice(relocPrefix(mode).length) : '';
  if (!(name in RELOCATIONS) || !relocType(name as RelocName, mode)) return `unknown relocation ${type} on ppc${mode}`;
  const r: RelocSpec = RELOCATIONS[name as RelocName];
  const raw = r.base === 'abs' ? S + A : r.base === 'pc' ? S + A - P : S + A - tocBase;
  const v = pick(r.pick, raw);
  const bits = FIELD_BITS[r.field];
  if (r.check === 'signed' && !fitsSigned(v, bits)) return `${type}: ${v} does not fit ${bits} signed bits`;
  if (r.check === 'either' && !fitsEither(v, bits)) return `${type}: ${v} does not fit ${bits} bits`;
  const aligned = r.field === 'half16ds' || r.field === 'low24' || r.field === 'low14';
  if (aligned && (v & 3n) !== 0n) return `${type}: ${v} is not a multiple of 4`;
  switch (r.field) {
    case 'word32': writeUint(image, offset, 4, v, endian); break;
    case 'word64': writeUint(image, offset, 8, v, endian); break;
    case 'half16': writeUint(image, offset, 2, v, endian); break;
    case 'half16ds': writeUint(image, offset, 2, (readUint(image, offset, 2, endian) & 3n) | (v & 0xfffcn), endian); break;
    case 'low24': writeUint(image, offset, 4, (readUint(image, offset, 4, endian) & ~0x03fffffcn) | (v & 0x03fffffcn), endian); break;
    case 'low14': writeUint(image, offset, 4, (readUint(image, offset, 4, endian) & ~0xfffcn) | (v & 0xfffcn), endian); break;
    default: return assertNever(r.field, 'ppc relocation field');
  }
  return undefined;
}
