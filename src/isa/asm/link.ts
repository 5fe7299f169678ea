// Place an object's sections at addresses and apply its relocations: the image a simulated machine loads.

import type { Isa } from '../types.js';
import { displaySymbol, localEntryOffset, type AsmObject, type AsmSection } from './object.js';

export interface LinkedSection {
  readonly name: string;
  readonly flags: string;
  readonly address: bigint;
  readonly bytes: Uint8Array;
}

export interface LinkedImage {
  readonly sections: readonly LinkedSection[];
  /** Every defined symbol's address, by the name users wrote. */
  readonly symbols: ReadonlyMap<string, bigint>;
  /**
   * ppc64 ELFv2: bytes from the global entry to the local entry, for each symbol given a `.localentry`
   * (0 for `.localentry NAME, 0` and for `.localentry NAME, 1`, a single entry that does not preserve r2).
   */
  readonly localEntries: ReadonlyMap<string, number>;
  /** ppc64: the value of `.TOC.` (start of .toc/.got/.data plus 0x8000); 0 elsewhere. */
  readonly tocBase: bigint;
}

export interface LinkError {
  readonly section: string;
  readonly offset: number;
  readonly message: string;
}

/** Where each kind of section goes, unless `addresses` names a section explicitly. */
export interface LinkLayout {
  readonly textBase: bigint;
  readonly rodataBase: bigint;
  readonly dataBase: bigint;
  readonly addresses?: ReadonlyMap<string, bigint>;
}

function alignUp(v: bigint, a: number): bigint {
  const A = BigInt(Math.max(1, a));
  return ((v + A - 1n) / A) * A;
}

function bucket(s: AsmSection): 'text' | 'rodata' | 'data' {
  if (s.flags.includes('x')) return 'text';
  if (s.flags.includes('w') || s.nobits) return 'data';
  return 'rodata';
}

/**
 * `externals`: addresses of symbols this object references but does not define (a patch assembled to
 * sit inside an image already linked); a symbol the object defines itself wins over them.
 */
export function link(
  object: AsmObject, isa: Isa, layout: LinkLayout, externals?: ReadonlyMap<string, bigint>,
): { image: LinkedImage; errors: LinkError[] } {
  const next = { text: layout.textBase, rodata: layout.rodataBase, data: layout.dataBase };
  const addr = new Map<string, bigint>();
  const used = object.sections.filter((s) => s.bytes.length > 0 || s.nobits);
  for (const s of used) {
    const fixed = layout.addresses?.get(s.name);
    if (fixed !== undefined) {
      addr.set(s.name, fixed);
      continue;
    }
    const b = bucket(s);
    // At least 16-byte aligned, as code sections are: a fresh section starts a new fetch block.
    const at = alignUp(next[b], Math.max(s.align, 16));
    addr.set(s.name, at);
    next[b] = at + BigInt(s.bytes.length);
  }
  const symbols = new Map<string, bigint>();
  const localEntries = new Map<string, number>();
  for (const sym of object.symbols) {
    if (sym.section === undefined) {
      if (!sym.global && !sym.weak) symbols.set(displaySymbol(sym.name), sym.value);
      continue;
    }
    symbols.set(displaySymbol(sym.name), (addr.get(sym.section) ?? 0n) + sym.value);
    if (sym.localEntry !== undefined) localEntries.set(displaySymbol(sym.name), localEntryOffset(sym.localEntry));
  }
  const tocSection = ['.toc', '.got', '.data'].map((n) => addr.get(n)).find((a) => a !== undefined) ?? layout.dataBase;
  const tocBase = isa.arch === 'ppc64' ? tocSection + 0x8000n : 0n;
  if (isa.arch === 'ppc64') symbols.set('.TOC.', tocBase);

  const errors: LinkError[] = [];
  const sections = used.map((s): LinkedSection => {
    const bytes = s.bytes.slice();
    const base = addr.get(s.name)!;
    for (const r of s.relocations) {
      const S = addr.get(r.symbol) ?? symbols.get(r.symbol) ?? externals?.get(r.symbol);
      if (S === undefined) {
        errors.push({ section: s.name, offset: r.offset, message: `undefined symbol \`${r.symbol}\`` });
        continue;
      }
      const err = isa.applyRelocation(r.type, bytes, r.offset, S + branchToLocalEntry(r.type, r.symbol), r.addend, base + BigInt(r.offset), tocBase);
      if (err) errors.push({ section: s.name, offset: r.offset, message: `${r.type} against \`${r.symbol}\`: ${err}` });
    }
    return { name: s.name, flags: s.flags, address: base, bytes };
  });
  return { image: { sections, symbols, localEntries, tocBase }, errors };

  /**
   * GNU ld's rule for a direct branch on ppc64 (`b`/`bl`, R_PPC64_REL24): it goes to the callee's local
   * entry, since the caller's r2 already holds the TOC (one image, one TOC; a call needing another TOC
   * would need a linker stub, which this linker does not make). A section-relative target has none.
   */
  function branchToLocalEntry(type: string, symbol: string): bigint {
    if (isa.arch !== 'ppc64' || type !== 'R_PPC64_REL24' || addr.has(symbol)) return 0n;
    return BigInt(localEntries.get(symbol) ?? 0);
  }
}
