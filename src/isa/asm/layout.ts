// Relaxation and emission: choose every instruction's size, place every fragment, write the bytes.

import { writeUint } from '../../base/bits.js';
import type { DiagnosticSink } from '../../base/diagnostics.js';
import { assert } from '../../base/assert.js';
import type { AsmValue, BuildEnv, Fixup, Isa } from '../types.js';
import { evaluateExpr, fitsData, type EvalContext, type Placement } from './evaluate.js';
import { type Fragment, type SectionState, type SymbolState, isCodeSection } from './fragments.js';
import type { AsmSection, ListingEntry, Relocation } from './object.js';
import { displaySymbol } from './object.js';

const MAX_PASSES = 64;

/** Section name → start address of each fragment, plus one entry for the section's end. */
type Addresses = Map<string, bigint[]>;

function alignPadding(at: bigint, f: Fragment & { kind: 'align' }): number {
  const pad = Number((BigInt(f.align) - (at % BigInt(f.align))) % BigInt(f.align));
  return f.max !== undefined && pad > f.max ? 0 : pad;
}

function fragSize(f: Fragment, at: bigint): number {
  switch (f.kind) {
    case 'bytes': return f.bytes.length;
    case 'data': return f.size * f.exprs.length;
    case 'insn': return f.template.sizes[f.sizeIndex];
    case 'align': return alignPadding(at, f);
  }
}

function place(sections: readonly SectionState[]): Addresses {
  const out: Addresses = new Map();
  for (const s of sections) {
    const addrs: bigint[] = [];
    let at = 0n;
    for (const f of s.frags) {
      addrs.push(at);
      at += BigInt(fragSize(f, at));
    }
    addrs.push(at);
    out.set(s.name, addrs);
  }
  return out;
}

function placement(addrs: Addresses, section: string, dot: bigint): Placement {
  return {
    section,
    dot,
    fragAddress: (sec, frag) => addrs.get(sec)?.[frag] ?? 0n,
  };
}

export interface LayoutInput {
  readonly isa: Isa;
  readonly sections: readonly SectionState[];
  readonly symbols: ReadonlyMap<string, SymbolState>;
  readonly sink: DiagnosticSink;
}

function buildEnv(input: LayoutInput, addrs: Addresses, section: string, address: bigint, final: boolean): BuildEnv {
  const ctx: EvalContext = { symbols: input.symbols, sink: input.sink, quiet: !final, placement: placement(addrs, section, address) };
  return {
    final,
    address,
    section,
    evaluate: (expr, extra) => evaluateExpr(expr, ctx, extra),
    pcDisplacement: (v: AsmValue, from: bigint) => {
      if (v.kind === 'const') return v.value - from;
      if (v.kind !== 'symbol' || v.minus !== undefined || v.section !== section) return undefined;
      if (v.weak || (v.global && !input.isa.resolvesGlobalPcrel)) return undefined;
      return v.offset + v.addend - from;
    },
    report: (code, span, ...args) => {
      if (final) input.sink.report(code, span, ...args);
    },
  };
}

/** Grow instructions until nothing changes, as GNU as does (sizes only grow, so this ends). */
export function relax(input: LayoutInput): Addresses {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const addrs = place(input.sections);
    let changed = false;
    for (const s of input.sections) {
      const a = addrs.get(s.name)!;
      s.frags.forEach((f, i) => {
        if (f.kind !== 'insn' || f.sizeIndex + 1 >= f.template.sizes.length) return;
        const r = f.template.build(buildEnv(input, addrs, s.name, a[i], false), f.template.sizes[f.sizeIndex]);
        if (r === 'grow') {
          f.sizeIndex++;
          changed = true;
        }
      });
    }
    if (!changed) return addrs;
  }
  const first = input.sections.flatMap((s) => s.frags).find((f) => f.kind === 'insn');
  if (first?.kind === 'insn') input.sink.report('PL1018', first.span, MAX_PASSES);
  return place(input.sections);
}

/** A relocation as GNU as writes it: a symbol local to the file becomes its section plus offset. */
function toRelocation(offset: number, type: string, target: AsmValue & { kind: 'symbol' }, addend: bigint): Relocation {
  if (target.section !== undefined && !target.global) {
    return { offset, type, symbol: target.section, addend: addend + target.offset };
  }
  return { offset, type, symbol: displaySymbol(target.name), addend };
}

export function emit(input: LayoutInput, addrs: Addresses): { sections: AsmSection[]; listing: ListingEntry[] } {
  const { isa, sink } = input;
  const listing: ListingEntry[] = [];
  const sections = input.sections.map((s): AsmSection => {
    const a = addrs.get(s.name)!;
    const size = Number(a[a.length - 1]);
    const bytes = new Uint8Array(s.nobits ? 0 : size);
    const relocations: Relocation[] = [];
    s.frags.forEach((f, i) => {
      const at = Number(a[i]);
      const len = Number(a[i + 1] - a[i]);
      if (s.nobits) return;
      switch (f.kind) {
        case 'bytes':
          bytes.set(f.bytes, at);
          break;
        case 'align':
          bytes.set(f.fill === undefined && isCodeSection(s) ? isa.codeFill(len) : new Uint8Array(len).fill(f.fill ?? 0), at);
          break;
        case 'data':
          emitData(input, addrs, s.name, f, at, bytes, relocations);
          break;
        case 'insn': {
          const env = buildEnv(input, addrs, s.name, BigInt(at), true);
          const r = f.template.build(env, len);
          if (r === 'grow') {
            sink.report('PL2017', f.span, 'no encoding of this instruction reaches its operand');
            break;
          }
          if (r === 'error') break;
          const enc = isa.encode(r.insn);
          assert(enc.length === len, `${isa.arch} template size ${len} but encoding is ${enc.length} bytes for \`${f.source}\``);
          bytes.set(enc, at);
          for (const fx of r.fixups) relocations.push(fixupToRelocation(fx, at));
          break;
        }
      }
      if (len > 0) {
        // Padding is listed too, so every byte of the section shows up once.
        const line = f.kind === 'insn' ? f.span.line : f.line;
        const source = f.kind === 'align' ? `(padding to ${f.align} bytes)` : f.source;
        listing.push({ line, section: s.name, offset: at, bytes: bytes.slice(at, at + len), source });
      }
    });
    relocations.sort((x, y) => x.offset - y.offset);
    return { name: s.name, flags: s.flags, nobits: s.nobits, bytes, align: s.align, relocations };
  });
  return { sections, listing };
}

function fixupToRelocation(fx: Fixup, insnAt: number): Relocation {
  return toRelocation(insnAt + fx.offset, fx.type, fx.target, fx.addend);
}

function emitData(
  input: LayoutInput, addrs: Addresses, section: string, f: Fragment & { kind: 'data' }, at: number,
  bytes: Uint8Array, relocations: Relocation[],
): void {
  const { isa, sink } = input;
  f.exprs.forEach((expr, k) => {
    const place = at + k * f.size;
    const ctx: EvalContext = { symbols: input.symbols, sink, quiet: false, placement: placement(addrs, section, BigInt(place)) };
    const v = evaluateExpr(expr, ctx);
    if (!v) return;
    if (v.kind === 'const') {
      if (!fitsData(v.value, f.size)) sink.report('PL1007', expr.span, v.value, f.size);
      else writeUint(bytes, place, f.size, v.value, isa.endian);
      return;
    }
    if (v.kind === 'reloc') {
      sink.report('PL1016', expr.span);
      return;
    }
    const pcrel = v.minus !== undefined;
    const type = isa.dataRelocation(f.size, pcrel);
    if (!type) {
      sink.report('PL1017', expr.span, `no ${f.size}-byte ${pcrel ? 'pc-relative ' : ''}data relocation on ${isa.arch}`);
      return;
    }
    const addend = pcrel ? v.addend + (BigInt(place) - v.minus!) : v.addend;
    relocations.push(toRelocation(place, type, v, addend));
  });
}
