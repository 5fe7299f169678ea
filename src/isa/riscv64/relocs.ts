// The ELF relocations riscv64 code and data use (RISC-V psABI), and how patchlab's linker applies each.
//
// patchlab's linker does not relax, and it applies each relocation on its own. So the `%pcrel_lo` half
// of an AUIPC pair names the pair's target itself (GNU names the AUIPC's label and the linker looks the
// HI20 up there): its addend carries the distance back to the AUIPC, and X = S + A − P is then the same
// pc-relative value the AUIPC's half was computed from.

import { readU32, writeUint } from '../../base/bits.js';
import { FORM_BY_OP } from './table-layout.js';
import type { Op } from './table.js';

/**
 * How to compute and store one relocation: X = S + A or X = S + A − P, bounded by `min`/`max`, stored
 * as data of `data` bytes or into the immediate of table entry `op`. `part` takes the AUIPC pair's
 * halves apart: `hi` is (X + 0x800) with the low 12 bits cleared, `lo` is what is left of X.
 */
interface RelocSpec {
  readonly value: 'abs' | 'pcrel';
  readonly min?: bigint;
  readonly max?: bigint;
  readonly data?: 4 | 8;
  readonly op?: Op;
  readonly part?: 'hi' | 'lo' | 'pair';
  readonly align?: number;
}

const s = (bits: number): { min: bigint; max: bigint } => ({ min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits - 1)) - 1n });
/** Data relocations accept a value that fits either signed or unsigned. */
const either = (bits: number): { min: bigint; max: bigint } => ({ min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits)) - 1n });
/** The AUIPC/LUI pair reaches ±2 GiB, less the rounding of the low half. */
const PAIR = { min: -(1n << 31n) - 0x800n, max: (1n << 31n) - 0x801n };

export const RELOCATIONS = {
  R_RISCV_64: { value: 'abs', data: 8 },
  R_RISCV_32: { value: 'abs', data: 4, ...either(32) },
  R_RISCV_32_PCREL: { value: 'pcrel', data: 4, ...s(32) },
  // `.dword sym - .` (a __jump_table entry's key): GNU as emits an R_RISCV_ADD64/R_RISCV_SUB64 pair for
  // it; patchlab's linker, which applies each relocation on its own, takes it as one S + A − P.
  R_RISCV_64_PCREL: { value: 'pcrel', data: 8 },
  R_RISCV_BRANCH: { value: 'pcrel', ...s(13), op: 'beq', align: 2 },
  R_RISCV_JAL: { value: 'pcrel', ...s(21), op: 'jal', align: 2 },
  R_RISCV_RVC_BRANCH: { value: 'pcrel', ...s(9), op: 'c_beqz', align: 2 },
  R_RISCV_RVC_JUMP: { value: 'pcrel', ...s(12), op: 'c_j', align: 2 },
  R_RISCV_CALL_PLT: { value: 'pcrel', ...PAIR, part: 'pair' },
  R_RISCV_PCREL_HI20: { value: 'pcrel', ...PAIR, op: 'auipc', part: 'hi' },
  R_RISCV_PCREL_LO12_I: { value: 'pcrel', op: 'addi', part: 'lo' },
  R_RISCV_PCREL_LO12_S: { value: 'pcrel', op: 'sd', part: 'lo' },
  R_RISCV_HI20: { value: 'abs', ...PAIR, op: 'lui', part: 'hi' },
  R_RISCV_LO12_I: { value: 'abs', op: 'addi', part: 'lo' },
  R_RISCV_LO12_S: { value: 'abs', op: 'sd', part: 'lo' },
} as const satisfies Readonly<Record<string, RelocSpec>>;

export type RelocName = keyof typeof RELOCATIONS;

/** The upper half of an AUIPC/LUI pair, as the value the U-type immediate adds (a multiple of 4096). */
export function hiPart(x: bigint): bigint {
  return BigInt.asIntN(32, (x + 0x800n) & ~0xfffn);
}

/** The lower half: what the I- or S-type immediate adds after the upper half. */
export function loPart(x: bigint): bigint {
  return BigInt.asIntN(12, x);
}

export function dataRelocation(size: 1 | 2 | 4 | 8, pcrel: boolean): string | undefined {
  if (pcrel) return size === 4 ? 'R_RISCV_32_PCREL' : size === 8 ? 'R_RISCV_64_PCREL' : undefined;
  return size === 8 ? 'R_RISCV_64' : size === 4 ? 'R_RISCV_32' : undefined;
}

const hexOf = (v: bigint): string => (v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);

/** Put `v` into the immediate bits of entry `op` in the 16- or 32-bit instruction at image[offset]. */
function patchImmediate(image: Uint8Array, offset: number, op: Op, v: bigint): void {
  const form = FORM_BY_OP[op];
  const value = Number(BigInt.asUintN(32, v));
  let word = form.length === 2 ? image[offset] | (image[offset + 1] << 8) : readU32(image, offset, 'little');
  for (const sl of form.slices) {
    if (sl.field !== 'imm') continue;
    const mask = (2 ** sl.width - 1) * 2 ** sl.lo;
    word = ((word & ~mask) | (((value / 2 ** sl.valueLo) & (2 ** sl.width - 1)) * 2 ** sl.lo)) >>> 0;
  }
  writeUint(image, offset, form.length, BigInt(word), 'little');
}

/** Patch the relocated place; an error message on overflow, misalignment or an unknown type. */
export function applyRelocation(type: string, image: Uint8Array, offset: number, S: bigint, A: bigint, P: bigint): string | undefined {
  if (!(type in RELOCATIONS)) return `unknown relocation ${type}`;
  const spec: RelocSpec = RELOCATIONS[type as RelocName];
  const x = spec.value === 'abs' ? S + A : S + A - P;
  if ((spec.min !== undefined && x < spec.min) || (spec.max !== undefined && x > spec.max)) {
    return `${type}: ${hexOf(x)} is out of range [${hexOf(spec.min ?? 0n)}, ${hexOf(spec.max ?? 0n)}]`;
  }
  const size = spec.data ?? (spec.part === 'pair' ? 8 : FORM_BY_OP[spec.op!].length);
  if (offset < 0 || offset + size > image.length) return `${type}: place ${offset} is outside the image`;
  if (spec.data !== undefined) {
    writeUint(image, offset, spec.data, x, 'little');
    return undefined;
  }
  if (spec.align !== undefined && x % BigInt(spec.align) !== 0n) return `${type}: ${hexOf(x)} is not a multiple of ${spec.align}`;
  if (spec.part === 'pair') {
    patchImmediate(image, offset, 'auipc', hiPart(x));
    patchImmediate(image, offset + 4, 'jalr', loPart(x));
  } else {
    patchImmediate(image, offset, spec.op!, spec.part === 'hi' ? hiPart(x) : spec.part === 'lo' ? loPart(x) : x);
  }
  return undefined;
}
