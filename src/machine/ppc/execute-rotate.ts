// Rotate-and-mask (Power ISA Book I, fixed-point rotate instructions): rlwinm, rlwimi, rlwnm, rldicl, rldicr, rldic, rldimi, rldcl, rldcr.
//
// Everything is computed on the 64-bit value and cut to the mode's width at the end. The word forms
// rotate the low word doubled (ROTL32 of the ISA: x‖x rotated, so the high word of the result is the low
// word rotated again) and take MASK(mb+32, me+32): with mb > me the mask wraps and keeps high-word bits,
// which ppc32 then drops with the rest of the high word.

import type { CpuState } from '../cpu.js';
import { recordCr0, wrap } from './execute-alu.js';
import type { Insn } from './insn.js';

const ALL64 = (1n << 64n) - 1n;

/** MASK(mb, me) of the ISA, bits numbered 0 (most significant) to 63: mb..me, wrapping when mb > me. */
export function mask64(mb: number, me: number): bigint {
  const run = (a: number, b: number) => ((1n << BigInt(b - a + 1)) - 1n) << BigInt(63 - b);
  return mb <= me ? run(mb, me) : ALL64 ^ (me + 1 <= mb - 1 ? run(me + 1, mb - 1) : 0n);
}

function rotl64(x: bigint, n: number): bigint {
  const s = BigInt(n & 63);
  return s === 0n ? x : ((x << s) | (x >> (64n - s))) & ALL64;
}

/** ROTL32: the low word, doubled to 64 bits, rotated left by n (0..31). */
function rotl32(x: bigint, n: number): bigint {
  const low = x & 0xffffffffn;
  return rotl64((low << 32n) | low, n & 31);
}

export type RotateOp = 'rlwinm' | 'rlwinm.' | 'rlwimi' | 'rlwimi.' | 'rlwnm' | 'rlwnm.'
  | 'rldicl' | 'rldicl.' | 'rldicr' | 'rldicr.' | 'rldic' | 'rldic.' | 'rldimi' | 'rldimi.' | 'rldcl' | 'rldcl.' | 'rldcr' | 'rldcr.';

/** The rotated value, the mask, and whether the bits outside the mask come from RA (the insert forms). */
function rotateAndMask(cpu: CpuState, insn: Insn<RotateOp>): { r: bigint; m: bigint; insert: boolean } {
  const rs = cpu.regs[insn.rs];
  switch (insn.op) {
    case 'rlwinm': case 'rlwinm.': return { r: rotl32(rs, insn.sh), m: mask64(insn.mb + 32, insn.me + 32), insert: false };
    case 'rlwimi': case 'rlwimi.': return { r: rotl32(rs, insn.sh), m: mask64(insn.mb + 32, insn.me + 32), insert: true };
    case 'rlwnm': case 'rlwnm.': return { r: rotl32(rs, Number(cpu.regs[insn.rb] & 31n)), m: mask64(insn.mb + 32, insn.me + 32), insert: false };
    case 'rldicl': case 'rldicl.': return { r: rotl64(rs, insn.sh6), m: mask64(insn.mb6, 63), insert: false };
    case 'rldicr': case 'rldicr.': return { r: rotl64(rs, insn.sh6), m: mask64(0, insn.me6), insert: false };
    case 'rldic': case 'rldic.': return { r: rotl64(rs, insn.sh6), m: mask64(insn.mb6, 63 - insn.sh6), insert: false };
    case 'rldimi': case 'rldimi.': return { r: rotl64(rs, insn.sh6), m: mask64(insn.mb6, 63 - insn.sh6), insert: true };
    case 'rldcl': case 'rldcl.': return { r: rotl64(rs, Number(cpu.regs[insn.rb] & 63n)), m: mask64(insn.mb6, 63), insert: false };
    case 'rldcr': case 'rldcr.': return { r: rotl64(rs, Number(cpu.regs[insn.rb] & 63n)), m: mask64(0, insn.me6), insert: false };
  }
}

export function rotate(cpu: CpuState, insn: Insn<RotateOp>, is64: boolean): void {
  const { r, m, insert } = rotateAndMask(cpu, insn);
  const result = wrap(is64, (r & m) | (insert ? cpu.regs[insn.ra] & (ALL64 ^ m) : 0n));
  cpu.regs[insn.ra] = result;
  if (insn.op.endsWith('.')) recordCr0(cpu, result, is64);
}
