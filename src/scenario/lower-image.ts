// The `code` block (plus each static call's generated trampoline) assembled, linked and cut into code objects.

import type { DiagnosticSink, SourceSpan } from '../base/diagnostics.js';
import { bytesToHex } from '../base/bits.js';
import { assemble } from '../isa/asm/assembler.js';
import { link, type LinkedImage } from '../isa/asm/link.js';
import type { AsmObject } from '../isa/asm/object.js';
import type { Isa } from '../isa/types.js';
import type { CodeObject, SourceLine } from '../kernel/spec.js';
import { defaultLayout } from '../machine/load.js';
import type { CodeBlock } from './ast.js';

/** Source appended after the user's code, with the statement it came from (for diagnostics inside it). */
export interface ExtraSource {
  readonly text: string;
  readonly span: SourceSpan;
}

/** `section NAME at ADDRESS`, evaluated. */
export interface Placement {
  readonly name: string;
  readonly address: bigint;
  readonly span: SourceSpan;
}

export interface BuiltImage {
  readonly object: AsmObject;
  readonly image: LinkedImage;
  readonly objects: readonly CodeObject[];
  /** Each instruction of the code block (not of extra sources) with its line in the scenario file. */
  readonly sourceLines: readonly SourceLine[];
}

/**
 * Assemble `code` followed by `extra`, mapping the assembler's lines back to the scenario file: line n of
 * the code block is line firstLine + n − 1 of the file, column unchanged (the block is passed verbatim);
 * a line of an extra source points at the statement that asked for it. Undefined if anything failed.
 */
export function buildImage(
  isa: Isa, file: string, code: CodeBlock, extra: readonly ExtraSource[], placements: readonly Placement[], sink: DiagnosticSink, maxImageBytes = Infinity,
): BuiltImage | undefined {
  const codeLines = code.text.split('\n').length;
  const owners: { from: number; span: SourceSpan }[] = [];
  let source = code.text;
  let next = codeLines + 1;
  for (const e of extra) {
    owners.push({ from: next, span: e.span });
    source += `\n${e.text}`;
    next += e.text.split('\n').length;
  }
  const place = (line: number, col: number): SourceSpan => {
    if (line <= codeLines) return { file, line: code.firstLine + line - 1, col };
    const owner = [...owners].reverse().find((o) => line >= o.from);
    return owner?.span ?? code.span;
  };
  const { object, diagnostics } = assemble(source, isa, file, maxImageBytes);
  for (const d of diagnostics) sink.list.push({ ...d, span: place(d.span.line, d.span.col) });
  if (diagnostics.length > 0) return undefined;

  const known = new Set(object.sections.map((s) => s.name));
  const unknown = placements.filter((p) => !known.has(p.name));
  for (const p of unknown) sink.report('PL7006', p.span, 'a section of the code', p.name);
  if (unknown.length > 0) return undefined;
  const addresses = new Map(placements.map((p) => [p.name, p.address]));
  const { image, errors } = link(object, isa, { ...defaultLayout(object), addresses });
  for (const e of errors) {
    const entry = object.listing.find((l) => l.section === e.section && e.offset >= l.offset && e.offset < l.offset + Math.max(1, l.bytes.length));
    sink.report('PL7023', entry ? place(entry.line, 1) : code.span, e.section, e.offset, e.message);
  }
  if (errors.length > 0) return undefined;
  if (!checkOverlaps(image, placements, code.span, sink)) return undefined;
  const sectionAt = new Map(image.sections.map((s) => [s.name, s.address]));
  const sourceLines: SourceLine[] = [];
  for (const l of object.listing) {
    const base = sectionAt.get(l.section);
    if (base === undefined || l.line > codeLines || l.bytes.length === 0) continue;
    const bytes = bytesToHex(l.bytes);
    sourceLines.push({ address: base + BigInt(l.offset), bytes, line: code.firstLine + l.line - 1, text: l.source.trim() });
  }
  return { object, image, objects: codeObjects(object, image), sourceLines };
}

/**
 * Two sections laid out over the same bytes would load one over the other (and a section far inside
 * another can map past the memory sized for the image): each overlapping pair is reported, at the
 * `section … at` line that placed one of them. False if any overlap.
 */
function checkOverlaps(image: LinkedImage, placements: readonly Placement[], fallback: SourceSpan, sink: DiagnosticSink): boolean {
  const extent = (s: LinkedImage['sections'][number]) => ({ name: s.name, start: s.address, end: s.address + BigInt(s.bytes.length) });
  const laid = image.sections.filter((s) => s.bytes.length > 0).map(extent).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const hex = (v: bigint) => `0x${v.toString(16)}`;
  let ok = true;
  for (let i = 0; i < laid.length; i++) {
    for (let j = i + 1; j < laid.length && laid[j].start < laid[i].end; j++) {
      const [a, b] = [laid[i], laid[j]];
      const placed = placements.find((p) => p.name === b.name) ?? placements.find((p) => p.name === a.name);
      sink.report('PL7041', placed?.span ?? fallback, b.name, hex(b.start), hex(b.end), a.name, hex(a.start), hex(a.end));
      ok = false;
    }
  }
  return ok;
}

/** Internal names of numeric local labels carry \u0002; `.L` labels are assembler-local too. */
function isLocalLabel(name: string): boolean {
  return name.startsWith('.L') || name.includes('\u0002');
}

/**
 * Each symbol that is not an assembler-local label starts a code object, in every section. It ends at
 * start + size when `.size` gave one, else at the next object's start in its section, else at the
 * section's end. A symbol inside an earlier object that has a size (a literal inside its trampoline) is a
 * label of that object, not an object of its own; of symbols at one address the first defined is kept.
 */
export function codeObjects(object: AsmObject, image: LinkedImage): CodeObject[] {
  const out: CodeObject[] = [];
  for (const section of image.sections) {
    const base = section.address;
    const sectionEnd = base + BigInt(section.bytes.length);
    const syms = object.symbols
      .filter((s) => s.section === section.name && !isLocalLabel(s.name))
      .map((s, order) => ({ name: s.name, start: base + s.value, size: s.size, order }))
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.order - b.order));
    const starts: typeof syms = [];
    let coveredTo = base;
    for (const s of syms) {
      if (starts.length > 0 && starts[starts.length - 1].start === s.start) continue;
      if (s.start < coveredTo) continue;
      starts.push(s);
      if (s.size !== undefined) coveredTo = s.start + s.size;
    }
    starts.forEach((s, i) => {
      const following = starts[i + 1]?.start ?? sectionEnd;
      const end = s.size !== undefined ? s.start + s.size : following;
      out.push({ name: s.name, start: s.start, end });
    });
  }
  return out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}
