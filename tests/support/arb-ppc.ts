// Random ppc instructions per table entry over whole field ranges, and their GNU as source form.

import fc from 'fast-check';
import { ALIASES, LAYOUTS, encodeWord, fieldRange, holds } from '../../src/isa/ppc/encode.js';
import { branchSpelling, validBo } from '../../src/isa/ppc/table-branch.js';
import { FIELDS, PPC_TABLE, type EntrySpec, type FieldName, type PpcInsn, type PpcOp } from '../../src/isa/ppc/table.js';

export const PPC_OPS = Object.keys(PPC_TABLE) as PpcOp[];

const v = (insn: PpcInsn) => insn as unknown as Readonly<Record<string, number>>;

/**
 * Does the word belong to `op` by the table's own rules (not by asking the decoder)? Not when a
 * narrower entry claims its bits (`ori 0,0,0` is `nop`), nor when it is a reserved form.
 */
export function ownedBy(insn: PpcInsn): boolean {
  const spec: EntrySpec = PPC_TABLE[insn.op];
  const word = encodeWord(insn);
  const mine = LAYOUTS[insn.op];
  for (const other of Object.values(LAYOUTS)) {
    const narrower = other !== mine && ((other.mask & mine.mask) >>> 0) === mine.mask && other.mask !== mine.mask;
    if (narrower && ((word & other.mask) >>> 0) === other.match) return false;
  }
  if (spec.invalid?.some((c) => holds(c, insn))) return false;
  if (spec.update && (v(insn).ra === 0 || (spec.update === 'load' && v(insn).ra === v(insn).rt))) {
    if (!ALIASES[insn.op].some((a) => a.print && holds(a, insn))) return false;
  }
  if (spec.branch && !branchSpelling(spec.branch, v(insn).bo, v(insn).bi)) return false;
  return true;
}

function fieldArb(name: FieldName): fc.Arbitrary<number> {
  const r = fieldRange(FIELDS[name]);
  const ends = [r.min, r.max, 0].filter((x) => x >= r.min && x <= r.max);
  const any = fc.integer({ min: r.min / r.step, max: r.max / r.step }).map((k) => k * r.step);
  return fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...ends) }, { weight: 6, arbitrary: any });
}

/** Any instruction of entry `op` whose word the table gives to `op`. */
export function insnArb(op: PpcOp): fc.Arbitrary<PpcInsn> {
  const fields = LAYOUTS[op].fields;
  const record: Record<string, fc.Arbitrary<number>> = {};
  for (const f of fields) record[f] = fieldArb(f);
  return fc.record(record).map((r) => ({ op, ...r }) as unknown as PpcInsn).filter(ownedBy);
}

export const anyInsnArb: fc.Arbitrary<PpcInsn> = fc.constantFrom(...PPC_OPS).chain(insnArb);

/**
 * Can GNU as assemble `sourceOf(insn)` in this mode? Not the 64-bit-only entries with -a32, nor BO
 * values that mode's dialect reserves, nor update forms GNU rejects, nor `sync 2` with -a32.
 */
export function assemblable(insn: PpcInsn, mode: 32 | 64): boolean {
  const spec: EntrySpec = PPC_TABLE[insn.op];
  const x = v(insn);
  if (spec.only64 && mode === 32) return false;
  if (spec.update && (x.ra === 0 || (spec.update === 'load' && x.ra === x.rt))) return false;
  if (spec.branch && (!validBo(x.bo, mode) || (spec.branch === 'ctr' && (x.bo & 4) === 0))) return false;
  if (insn.op === 'sync' && mode === 32 && x.l2 > 1) return false;
  return true;
}

/** GNU as source for the entry itself (never an alias): `addi 3,0,5`, `bc 12,2,.+8`, `lwz 3,-4(1)`. */
export function sourceOf(insn: PpcInsn): string {
  const spec: EntrySpec = PPC_TABLE[insn.op];
  const x = v(insn);
  const ops = spec.operands.map((o) => {
    const value = x[o[1]];
    switch (o[0]) {
      case 'mem': case 'memds': return `${value}(${x[o[2] as FieldName]})`;
      case 'rel': return value < 0 ? `.-${-value}` : `.+${value}`;
      default: return String(value);
    }
  });
  return ops.length ? `${insn.op} ${ops.join(',')}` : insn.op;
}
