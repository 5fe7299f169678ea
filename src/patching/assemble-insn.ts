// Assemble the bytes a patch writes: instructions as they will be encoded at their final address.
//
// A patcher computes new instruction bytes for one place in an image already linked (`call func_b` at a
// site, `b .+20` in a trampoline). We assemble the text as a one-section object and link it with its text
// at exactly `address` and the image's symbols as externals, so every relocation (pc-relative branches
// and calls, ppc `@ha`/`@l`/`@h`, arm64 pages and `:lo12:`) is resolved by the same code that linked
// the image — no second encoder that could drift from it.

import { assemble } from '../isa/asm/assembler.js';
import { link } from '../isa/asm/link.js';
import { isaFor } from '../isa/registry.js';
import type { ArchName } from '../isa/types.js';

/** ppc64: `.TOC.` is the base of the data bucket plus 0x8000 (see link.ts). */
const TOC_BIAS = 0x8000n;

/**
 * Assemble `text` (one or more newline-separated instructions or data directives, all in `.text`) as
 * if placed at `address`, resolving references to `symbols` to their absolute addresses. `.` is
 * `address` at the first instruction, so `b .+20` means address + 20.
 */
export function assembleInsn(
  arch: ArchName, text: string, address: bigint, symbols: ReadonlyMap<string, bigint>,
): { bytes: Uint8Array } | { error: string } {
  const isa = isaFor(arch);
  const { object, diagnostics } = assemble(text, isa, '<patch>');
  if (diagnostics.length > 0) {
    const d = diagnostics[0];
    return { error: `line ${d.span.line}: ${d.message}` };
  }
  const other = object.sections.find((s) => s.name !== '.text' && (s.bytes.length > 0 || s.relocations.length > 0));
  if (other) return { error: `a patch is code at one address: section \`${other.name}\` is not allowed` };
  const toc = symbols.get('.TOC.');
  const layout = {
    textBase: address,
    rodataBase: 0n,
    dataBase: toc === undefined ? 0n : toc - TOC_BIAS,
    addresses: new Map([['.text', address]]),
  };
  const { image, errors } = link(object, isa, layout, symbols);
  if (errors.length > 0) return { error: errors[0].message };
  const text0 = image.sections.find((s) => s.name === '.text');
  return { bytes: text0?.bytes ?? new Uint8Array(0) };
}
