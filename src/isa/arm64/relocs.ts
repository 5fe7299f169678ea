// The ELF relocations arm64 code and data use (AAELF64), and how a linker applies each.

import { readU32, writeUint } from '../../base/bits.js';
import { FORM_BY_OP, type FieldSlice } from './table-layout.js';
import type { Op } from './table.js';

/**
 * How to compute and store one relocation. `value`: X = S + A, X = S + A − P, or the distance in
 * 4 KiB pages. `min`/`max` bound X (the ELF spec's overflow check; none for the `_NC` ones).
 * Instruction relocations name the table entry and field whose bits they fill, with X shifted right
 * by `shift` first; `align` is the alignment X must have (an error otherwise: the low bits would be lost).
 */
interface RelocSpec {
  readonly value: 'abs' | 'pcrel' | 'page';
  readonly min?: bigint;
  readonly max?: bigint;
  readonly data?: 2 | 4 | 8;
  readonly field?: { readonly op: Op; readonly name: string };
  readonly shift?: number;
  readonly align?: number;
}

const s = (bits: number): { min: bigint; max: bigint } => ({ min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits - 1)) - 1n });
/** Data relocations accept a value that fits either signed or unsigned. */
const either = (bits: number): { min: bigint; max: bigint } => ({ min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits)) - 1n });

export const RELOCATIONS = {
  R_AARCH64_ABS64: { value: 'abs', data: 8 },
  R_AARCH64_ABS32: { value: 'abs', data: 4, ...either(32) },
  R_AARCH64_ABS16: { value: 'abs', data: 2, ...either(16) },
  R_AARCH64_PREL64: { value: 'pcrel', data: 8 },
  R_AARCH64_PREL32: { value: 'pcrel', data: 4, ...either(32) },
  R_AARCH64_PREL16: { value: 'pcrel', data: 2, ...either(16) },
  R_AARCH64_CALL26: { value: 'pcrel', ...s(28), field: { op: 'bl', name: 'imm26' }, shift: 2, align: 4 },
  R_AARCH64_JUMP26: { value: 'pcrel', ...s(28), field: { op: 'b', name: 'imm26' }, shift: 2, align: 4 },
  R_AARCH64_CONDBR19: { value: 'pcrel', ...s(21), field: { op: 'b_cond', name: 'imm19' }, shift: 2, align: 4 },
  R_AARCH64_TSTBR14: { value: 'pcrel', ...s(16), field: { op: 'tbz', name: 'imm14' }, shift: 2, align: 4 },
  R_AARCH64_LD_PREL_LO19: { value: 'pcrel', ...s(21), field: { op: 'ldr_lit', name: 'imm19' }, shift: 2, align: 4 },
  R_AARCH64_ADR_PREL_LO21: { value: 'pcrel', ...s(21), field: { op: 'adr', name: 'imm21' }, shift: 0 },
  R_AARCH64_ADR_PREL_PG_HI21: { value: 'page', ...s(33), field: { op: 'adrp', name: 'imm21' }, shift: 12 },
  R_AARCH64_ADD_ABS_LO12_NC: { value: 'abs', field: { op: 'add_imm', name: 'imm12' }, shift: 0 },
  R_AARCH64_LDST8_ABS_LO12_NC: { value: 'abs', field: { op: 'ldr', name: 'imm12' }, shift: 0 },
  R_AARCH64_LDST16_ABS_LO12_NC: { value: 'abs', field: { op: 'ldr', name: 'imm12' }, shift: 1, align: 2 },
  R_AARCH64_LDST32_ABS_LO12_NC: { value: 'abs', field: { op: 'ldr', name: 'imm12' }, shift: 2, align: 4 },
  R_AARCH64_LDST64_ABS_LO12_NC: { value: 'abs', field: { op: 'ldr', name: 'imm12' }, shift: 3, align: 8 },
  R_AARCH64_LDST128_ABS_LO12_NC: { value: 'abs', field: { op: 'ldr', name: 'imm12' }, shift: 4, align: 16 },
} as const satisfies Readonly<Record<string, RelocSpec>>;

export type RelocName = keyof typeof RELOCATIONS;

/** The LDSTn_ABS_LO12_NC relocation of a load/store moving `access` bytes. */
export function ldstLo12(access: number): RelocName {
  return `R_AARCH64_LDST${access * 8}_ABS_LO12_NC` as RelocName;
}

export function dataRelocation(size: 1 | 2 | 4 | 8, pcrel: boolean): string | undefined {
  if (size === 1) return undefined;
  return `R_AARCH64_${pcrel ? 'PREL' : 'ABS'}${size * 8}`;
}

function slicesOf(op: Op, name: string): readonly FieldSlice[] {
  return FORM_BY_OP[op].slices.filter((sl) => sl.name === name);
}

const hexOf = (v: bigint): string => (v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);

/** Patch the relocated place; an error message on overflow, misalignment or an unknown type. */
export function applyRelocation(type: string, image: Uint8Array, offset: number, S: bigint, A: bigint, P: bigint): string | undefined {
  if (!(type in RELOCATIONS)) return `unknown relocation ${type}`;
  const spec: RelocSpec = RELOCATIONS[type as RelocName];
  const x = spec.value === 'abs' ? S + A : spec.value === 'pcrel' ? S + A - P : ((S + A) & ~0xfffn) - (P & ~0xfffn);
  if ((spec.min !== undefined && x < spec.min) || (spec.max !== undefined && x > spec.max)) {
    return `${type}: ${hexOf(x)} is out of range [${hexOf(spec.min ?? 0n)}, ${hexOf(spec.max ?? 0n)}]`;
  }
  const size = spec.data ?? 4;
  if (offset < 0 || offset + size > image.length) return `${type}: place ${offset} is outside the image`;
  if (spec.data !== undefined) {
    writeUint(image, offset, spec.data, x, 'little');
    return undefined;
  }
  if (spec.align !== undefined && ((spec.value === 'abs' ? x & 0xfffn : x) % BigInt(spec.align)) !== 0n) {
    return `${type}: ${hexOf(x)} is not a multiple of ${spec.align}`;
  }
  const field = spec.field!;
  const v = Number(BigInt.asUintN(32, (spec.value === 'abs' ? x & 0xfffn : x) >> BigInt(spec.shift ?? 0)));
  let word = readU32(image, offset, 'little');
  for (const sl of slicesOf(field.op, field.name)) {
    const mask = (2 ** sl.width - 1) * 2 ** sl.lo;
    word = ((word & ~mask) | (((v >>> sl.valueLo) & (2 ** sl.width - 1)) << sl.lo)) >>> 0;
  }
  writeUint(image, offset, 4, BigInt(word), 'little');
  return undefined;
}
