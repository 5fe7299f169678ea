// The assembler's working state: sections as lists of fragments, and the symbol table.

import type { SourceSpan } from '../../base/diagnostics.js';
import type { InsnTemplate } from '../types.js';
import type { Expr } from './expr.js';
import type { SymbolType } from './object.js';

/**
 * A piece of a section. Fixed pieces know their size when parsed; an instruction's size is chosen
 * by relaxation among its template's sizes; an alignment's size follows from where it lands.
 */
export type Fragment =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array; readonly line: number; readonly source: string }
  | {
      readonly kind: 'data';
      readonly size: 1 | 2 | 4 | 8;
      readonly exprs: readonly Expr[];
      readonly line: number;
      readonly source: string;
    }
  | {
      readonly kind: 'insn';
      readonly template: InsnTemplate<unknown>;
      /** Index into template.sizes; only grows. */
      sizeIndex: number;
      readonly span: SourceSpan;
      readonly source: string;
    }
  | {
      readonly kind: 'align';
      /** Alignment in bytes (a power of two). */
      readonly align: number;
      /** Explicit fill byte, or undefined for the section's default (code fill in code sections). */
      readonly fill: number | undefined;
      /** Skip nothing if more than this many bytes would be needed. */
      readonly max: number | undefined;
      readonly line: number;
    };

export interface SectionState {
  readonly name: string;
  flags: string;
  nobits: boolean;
  align: number;
  readonly frags: Fragment[];
}

export type SymbolDef =
  /** A label: the position just before fragment `frag` of `section` (frag may be frags.length). */
  | { readonly kind: 'label'; readonly section: string; readonly frag: number; readonly span: SourceSpan }
  /** `.set` / `=`: evaluated where used. */
  | { readonly kind: 'equate'; readonly expr: Expr; readonly span: SourceSpan; readonly section: string; readonly frag: number };

export interface SymbolState {
  def: SymbolDef | undefined;
  global: boolean;
  weak: boolean;
  type: SymbolType;
  /** `.size NAME, expr` and where it stood (for `.` in `.-NAME`). */
  size: { readonly expr: Expr; readonly section: string; readonly frag: number } | undefined;
  localEntry: { readonly expr: Expr; readonly section: string; readonly frag: number } | undefined;
  /** Where it was first referenced or declared: for "not defined" diagnostics. */
  firstSpan: SourceSpan;
}

export function isCodeSection(s: SectionState): boolean {
  return s.flags.includes('x');
}

/** ELF defaults GNU as gives well-known section names when `.section` names no flags. */
export function defaultSectionFlags(name: string): { flags: string; nobits: boolean } {
  if (name === '.bss' || name.startsWith('.bss.') || name === '.sbss' || name.startsWith('.tbss')) return { flags: 'aw', nobits: true };
  if (name === '.text' || name.startsWith('.text.') || /^\.(init|exit|sched|noinstr|entry|cpuidle|ref)\.text/.test(name)) {
    return { flags: 'ax', nobits: false };
  }
  if (name === '.data' || name.startsWith('.data.') || name.startsWith('.init.data') || name === '.got' || name === '.toc') {
    return { flags: 'aw', nobits: false };
  }
  if (name === '.rodata' || name.startsWith('.rodata.')) return { flags: 'a', nobits: false };
  return { flags: '', nobits: false };
}
