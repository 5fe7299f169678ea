// What the assembler produces: an ELF-like relocatable object (sections, symbols, relocations, listing).

import type { ArchName } from '../types.js';

export interface Relocation {
  /** Offset of the relocated field within its section. */
  readonly offset: number;
  /** ELF name, e.g. `R_X86_64_PLT32`. */
  readonly type: string;
  /** A global or undefined symbol's name, or a section's name for a symbol local to this file. */
  readonly symbol: string;
  readonly addend: bigint;
}

export interface AsmSection {
  readonly name: string;
  /** ELF flags as `.section` spells them: `a` alloc, `w` write, `x` exec. */
  readonly flags: string;
  readonly nobits: boolean;
  readonly bytes: Uint8Array;
  /** Largest alignment asked for inside it. */
  readonly align: number;
  readonly relocations: readonly Relocation[];
}

export type SymbolType = 'function' | 'object' | 'notype';

export interface AsmSymbol {
  readonly name: string;
  /** Undefined for a symbol referenced but not defined here, or an absolute equate. */
  readonly section: string | undefined;
  /** Section offset (or the absolute value of an equate). */
  readonly value: bigint;
  readonly global: boolean;
  readonly weak: boolean;
  readonly type: SymbolType;
  readonly size: bigint | undefined;
  /** ppc64 ELFv2 `.localentry NAME, N`, as the 3-bit st_other field it sets (see localEntryField). */
  readonly localEntry: number | undefined;
}

/**
 * The ELFv2 st_other local-entry field (bits 5–7), as binutils' `include/elf/ppc64.h` defines it:
 *   0      one entry point; no requirement on r12 or r2; r2 preserved
 *   1      one entry point; no requirement on r12 or r2; r2 NOT preserved (callers treat it as volatile)
 *   2..6   the local entry is 4, 8, 16, 32, 64 bytes after the global entry; r2 preserved through it
 *   7      reserved
 * `.localentry NAME, N` takes 1 as that value and anything else as a byte offset, so `.localentry f, 1`
 * is not "one byte in". Undefined for an N that is neither.
 */
export function localEntryField(n: bigint): number | undefined {
  if (n === 1n) return 1;
  const field = [0n, 4n, 8n, 16n, 32n, 64n].indexOf(n);
  return field < 0 ? undefined : field === 0 ? 0 : field + 1;
}

/** Bytes from the global entry to the local one for a st_other local-entry field (0 for fields 0 and 1). */
export function localEntryOffset(field: number): number {
  return field >= 2 ? 4 << (field - 2) : 0;
}

export interface ListingEntry {
  readonly line: number;
  readonly section: string;
  readonly offset: number;
  readonly bytes: Uint8Array;
  readonly source: string;
}

export interface AsmObject {
  readonly arch: ArchName;
  readonly sections: readonly AsmSection[];
  readonly symbols: readonly AsmSymbol[];
  readonly listing: readonly ListingEntry[];
}

/** The bytes of the first section with code in it (GNU as always creates `.text` first). */
export function textBytes(object: AsmObject): Uint8Array {
  return object.sections.find((s) => s.flags.includes('x'))?.bytes ?? new Uint8Array(0);
}

/** Numeric local labels carry an internal name `N\u0002K` (K-th definition of N); users see `N`. */
export function displaySymbol(name: string): string {
  const i = name.indexOf('\u0002');
  return i < 0 ? name : name.slice(0, i);
}
