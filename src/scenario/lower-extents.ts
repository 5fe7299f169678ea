// What a patch statement may overwrite: the instructions it replaces, and nothing of the code around them.
//
// A statement's stores (its atomic pieces; a poke's INT3, tail and first byte) that continue one another
// are one *write* [start, end). The code it replaces is the code as the patcher's earlier statements left
// it (the patcher is one thread: its program order is the order of its writes), decoded by the arch from
// the start of the code object the write begins in. (On the fixed-width arches every write a primitive
// allows is whole aligned words: only the object's end can be overrun.)
//
//   the write …                                               →
//   runs past the end of the object it starts in              PL7038 (a 5-byte jmp over a 2-byte one at a trampoline's end)
//   ends inside an old instruction that begins after start    PL7042 (it clobbers part of the next instruction)
//   ends on an old instruction boundary                       fine (it replaces whole instructions)
//   ends inside the old instruction it starts in              fine (a shorter one, or a displacement only)
//
// Raw `store` statements are the user's own bytes ("I mean these bytes"): they are not checked, but what
// they write is the old code of later statements. Writes outside every code object, and the old code
// after bytes that do not decode, say nothing either way: only a proven overlap is reported.

import type { DiagnosticSink } from '../base/diagnostics.js';
import type { LinkedImage } from '../isa/asm/link.js';
import type { Isa } from '../isa/types.js';
import type { CodeObject, KernelOp } from '../kernel/spec.js';

type Store = Extract<KernelOp, { op: 'store' }>;
type Run = [start: bigint, end: bigint];

const hex = (v: bigint) => `0x${v.toString(16)}`;

/**
 * Report patch statements that overwrite more than the instructions they replace (one diagnostic per
 * statement). `raw`: the ops of raw `store` statements.
 */
export function checkPatchExtents(
  patcher: readonly KernelOp[], raw: ReadonlySet<KernelOp>, isa: Isa, image: LinkedImage, objects: readonly CodeObject[], sink: DiagnosticSink,
): void {
  const text = new OldCode(image);
  for (let i = 0; i < patcher.length;) {
    // A statement's ops are consecutive and carry its span.
    const where = spanKey(patcher[i]);
    let j = i + 1;
    while (j < patcher.length && where !== undefined && spanKey(patcher[j]) === where) j++;
    const ops = patcher.slice(i, j);
    const stores = ops.filter((o): o is Store => o.op === 'store');
    const checked = stores.filter((o) => !raw.has(o));
    const span = checked[0]?.span;
    if (span) {
      for (const [start, end] of writeRuns(checked)) {
        if (reportOverwrite(start, end, span, isa, text, objects, sink)) break;
      }
    }
    for (const s of stores) text.write(s.address, s.bytes);
    i = j;
  }
}

function spanKey(op: KernelOp): string | undefined {
  return op.span ? `${op.span.line}:${op.span.col}` : undefined;
}

/** Pieces that continue one another are one write. */
function writeRuns(stores: readonly Store[]): Run[] {
  const runs: Run[] = [];
  for (const op of stores) {
    const end = op.address + BigInt(op.bytes.length);
    const run = runs.find(([, e]) => e === op.address) ?? runs.find(([a]) => a === end);
    if (run) [run[0], run[1]] = [run[0] < op.address ? run[0] : op.address, run[1] > end ? run[1] : end];
    else runs.push([op.address, end]);
  }
  return runs;
}

/** One write checked against the old code; true if it was reported. */
function reportOverwrite(
  start: bigint, end: bigint, span: NonNullable<KernelOp['span']>, isa: Isa, text: OldCode, objects: readonly CodeObject[], sink: DiagnosticSink,
): boolean {
  const o = objects.find((x) => start >= x.start && start < x.end);
  if (!o) return false;
  if (end > o.end) {
    sink.report('PL7038', span, end - start, hex(start), o.name, `${o.end - o.start} bytes`);
    return true;
  }
  // Instructions of a fixed width start at every aligned word, and every write a primitive allows there
  // is aligned whole words (an instruction string assembles only at an aligned address): nothing to cut.
  if (!text.executable(o.start) || isa.insnAlign === isa.maxInsnLength) return false;
  const clipped = oldInstructionCut(start, end, o, isa, text);
  if (!clipped) return false;
  sink.report('PL7042', span, end - start, hex(start), end - clipped.at, clipped.text, hex(clipped.at), o.name);
  return true;
}

/**
 * The old instruction that begins inside (start, end) and ends after `end`, if any: the one the write
 * cuts. Undefined also when the old code does not decode up to `end` (nothing is proven then).
 */
function oldInstructionCut(start: bigint, end: bigint, o: CodeObject, isa: Isa, text: OldCode): { at: bigint; text: string } | undefined {
  for (let at = o.start; at < end;) {
    const { bytes, offset } = text.at(at);
    const insn = isa.decode(bytes, offset);
    if (insn === undefined) return undefined;
    const next = at + BigInt(isa.length(insn));
    if (at > start && next > end) {
      const printed = isa.print(insn, at);
      return { at, text: `${printed.mnemonic} ${printed.operands}`.trim() };
    }
    at = next;
  }
  return undefined;
}

/** The image's sections as the patcher's statements so far have left them (copied when first written). */
class OldCode {
  private readonly copies = new Map<string, Uint8Array>();
  constructor(private readonly image: LinkedImage) {}

  private section(address: bigint) {
    return this.image.sections.find((s) => address >= s.address && address < s.address + BigInt(s.bytes.length));
  }

  executable(address: bigint): boolean {
    return this.section(address)?.flags.includes('x') ?? false;
  }

  /** The bytes of the section holding `address`, and its offset there (empty when in no section). */
  at(address: bigint): { bytes: Uint8Array; offset: number } {
    const s = this.section(address);
    if (!s) return { bytes: new Uint8Array(0), offset: 0 };
    return { bytes: this.copies.get(s.name) ?? s.bytes, offset: Number(address - s.address) };
  }

  write(address: bigint, bytes: Uint8Array): void {
    const s = this.section(address);
    if (!s) return;
    let copy = this.copies.get(s.name);
    if (!copy) this.copies.set(s.name, (copy = s.bytes.slice()));
    const offset = Number(address - s.address);
    copy.set(bytes.subarray(0, Math.max(0, copy.length - offset)), offset);
  }
}
