// Integer computation of RV64I and M: register-register and register-immediate, 64-bit and the W forms.
//
// Values are 64-bit patterns (unsigned bigints); a W form computes on the low 32 bits and sign-extends
// the 32-bit result. Division never traps (RISC-V has no divide exception): by zero it gives all ones
// (the quotient) and the dividend (the remainder); the one overflow, −2^(XLEN−1) / −1, gives the dividend
// and a remainder of 0.

import type { RiscvInsn } from '../../isa/riscv64/index.js';
import type { CpuState } from '../cpu.js';
import { setX } from './registers.js';

const s64 = (v: bigint) => BigInt.asIntN(64, v);
const u64 = (v: bigint) => BigInt.asUintN(64, v);
const s32 = (v: bigint) => BigInt.asIntN(32, v);
const u32 = (v: bigint) => BigInt.asUintN(32, v);

function divide(a: bigint, b: bigint, bits: 32 | 64, signed: boolean, remainder: boolean): bigint {
  const wrap = signed ? (v: bigint) => BigInt.asIntN(bits, v) : (v: bigint) => BigInt.asUintN(bits, v);
  const x = wrap(a), y = wrap(b);
  if (y === 0n) return remainder ? x : -1n;
  // −2^(bits−1) / −1: the quotient overflows to the dividend, the remainder is 0.
  if (signed && y === -1n && x === -(1n << BigInt(bits - 1))) return remainder ? 0n : x;
  return remainder ? x % y : x / y;
}

/** The value of a register-register operation of the base ISA or M on two 64-bit patterns. */
export function registerOperation(op: string, a: bigint, b: bigint): bigint | undefined {
  switch (op) {
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'sll': return a << (b & 63n);
    case 'slt': return s64(a) < s64(b) ? 1n : 0n;
    case 'sltu': return a < b ? 1n : 0n;
    case 'xor': return a ^ b;
    case 'srl': return a >> (b & 63n);
    case 'sra': return s64(a) >> (b & 63n);
    case 'or': return a | b;
    case 'and': return a & b;
    case 'addw': return s32(a + b);
    case 'subw': return s32(a - b);
    case 'sllw': return s32(a << (b & 31n));
    case 'srlw': return s32(u32(a) >> (b & 31n));
    case 'sraw': return s32(a) >> (b & 31n);
    case 'mul': return a * b;
    case 'mulh': return (s64(a) * s64(b)) >> 64n;
    case 'mulhsu': return (s64(a) * b) >> 64n;
    case 'mulhu': return (a * b) >> 64n;
    case 'div': return divide(a, b, 64, true, false);
    case 'divu': return divide(a, b, 64, false, false);
    case 'rem': return divide(a, b, 64, true, true);
    case 'remu': return divide(a, b, 64, false, true);
    case 'mulw': return s32(a * b);
    case 'divw': return s32(divide(a, b, 32, true, false));
    case 'divuw': return s32(divide(a, b, 32, false, false));
    case 'remw': return s32(divide(a, b, 32, true, true));
    case 'remuw': return s32(divide(a, b, 32, false, true));
    default: return undefined;
  }
}

/** The value of a register-immediate operation; `imm` is the entry's immediate (a shift amount for the shifts). */
export function immediateOperation(op: string, a: bigint, imm: bigint): bigint | undefined {
  switch (op) {
    case 'addi': return a + imm;
    case 'slti': return s64(a) < imm ? 1n : 0n;
    case 'sltiu': return a < u64(imm) ? 1n : 0n;
    case 'xori': return a ^ u64(imm);
    case 'ori': return a | u64(imm);
    case 'andi': return a & u64(imm);
    case 'slli': return a << imm;
    case 'srli': return a >> imm;
    case 'srai': return s64(a) >> imm;
    case 'addiw': return s32(a + imm);
    case 'slliw': return s32(a << imm);
    case 'srliw': return s32(u32(a) >> imm);
    case 'sraiw': return s32(a) >> imm;
    default: return undefined;
  }
}

/** rd ← rs1 op rs2, or rd ← rs1 op imm; false when `op` is neither kind. */
export function compute(cpu: CpuState, op: string, insn: RiscvInsn): boolean {
  const a = cpu.regs[insn.rs1];
  const r = registerOperation(op, a, cpu.regs[insn.rs2]) ?? immediateOperation(op, a, BigInt(insn.imm));
  if (r === undefined) return false;
  setX(cpu, insn.rd, r);
  return true;
}
