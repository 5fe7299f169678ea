// What each riscv64 instruction does: one switch over the 32-bit entries; a compressed one runs as the entry it expands to.
//
// Jumps and taken branches set the pc themselves; everything else moves it past the instruction (2 or 4
// bytes), except where the architecture leaves it on the instruction: a data fault, an illegal
// instruction, ebreak, an instruction patchlab does not model. The link of jal/jalr is the address after
// the instruction, so c.jalr links pc + 2.

import { assertNever } from '../../base/assert.js';
import { BASE_OP, type RiscvCode, type RiscvInsn } from '../../isa/riscv64/index.js';
import type { BaseOp } from '../../isa/riscv64/table.js';
import { type DataBus, type ExecOutcome, type InsnClass, INSN_CLASS } from '../arch.js';
import type { CpuState } from '../cpu.js';
import { compute } from './execute-alu.js';
import { atomic, load, store } from './execute-memory.js';
import { csrAccess, EBREAK, ECALL } from './execute-system.js';
import { FENCE_I, ILLEGAL, NEXT, UNSUPPORTED } from './outcomes.js';
import { setX, signedX } from './registers.js';

function advance(cpu: CpuState, length: number, out: ExecOutcome = NEXT): ExecOutcome {
  cpu.pc = BigInt.asUintN(64, cpu.pc + BigInt(length));
  return out;
}

/** Move past the instruction unless `out` (a fault) stops on it. */
function after(cpu: CpuState, length: number, out: ExecOutcome | undefined): ExecOutcome {
  return out ?? advance(cpu, length);
}

function taken(op: BaseOp, cpu: CpuState, insn: RiscvInsn): boolean {
  const a = cpu.regs[insn.rs1], b = cpu.regs[insn.rs2];
  switch (op) {
    case 'beq': return a === b;
    case 'bne': return a !== b;
    case 'blt': return signedX(cpu, insn.rs1) < signedX(cpu, insn.rs2);
    case 'bge': return signedX(cpu, insn.rs1) >= signedX(cpu, insn.rs2);
    case 'bltu': return a < b;
    default: return a >= b;
  }
}

export function executeRiscv64(cpu: CpuState, code: RiscvCode, length: number, bus: DataBus): ExecOutcome {
  // Only the assembler builds sequences; a fetched instruction is always one.
  if (code.op === 'sequence') return ILLEGAL;
  const insn = code;
  // c.unimp (all zeros) is the one compressed entry with no 32-bit form.
  if (insn.op === 'c_unimp') return ILLEGAL;
  const op = BASE_OP[insn.op] as BaseOp;
  // The ISA reserves c.addi16sp with a zero immediate (objdump still prints it).
  if (insn.op === 'c_addi16sp' && insn.imm === 0) return ILLEGAL;
  switch (op) {
    case 'lui':
      setX(cpu, insn.rd, BigInt(insn.imm));
      return advance(cpu, length);
    case 'auipc':
      setX(cpu, insn.rd, cpu.pc + BigInt(insn.imm));
      return advance(cpu, length);
    case 'jal': {
      const link = cpu.pc + BigInt(length);
      cpu.pc = BigInt.asUintN(64, cpu.pc + BigInt(insn.imm));
      setX(cpu, insn.rd, link);
      return NEXT;
    }
    case 'jalr': {
      const target = (cpu.regs[insn.rs1] + BigInt(insn.imm)) & ~1n;
      setX(cpu, insn.rd, cpu.pc + BigInt(length));
      cpu.pc = BigInt.asUintN(64, target);
      return NEXT;
    }
    case 'beq': case 'bne': case 'blt': case 'bge': case 'bltu': case 'bgeu':
      return advance(cpu, taken(op, cpu, insn) ? insn.imm : length);
    case 'lb': case 'lh': case 'lw': case 'ld': case 'lbu': case 'lhu': case 'lwu':
      return after(cpu, length, load(cpu, bus, insn, op));
    case 'sb': case 'sh': case 'sw': case 'sd':
      return after(cpu, length, store(cpu, bus, insn, op));
    case 'lr_w': case 'sc_w': case 'amoswap_w': case 'amoadd_w': case 'amoxor_w': case 'amoand_w': case 'amoor_w':
    case 'amomin_w': case 'amomax_w': case 'amominu_w': case 'amomaxu_w':
    case 'lr_d': case 'sc_d': case 'amoswap_d': case 'amoadd_d': case 'amoxor_d': case 'amoand_d': case 'amoor_d':
    case 'amomin_d': case 'amomax_d': case 'amominu_d': case 'amomaxu_d':
      return after(cpu, length, atomic(cpu, bus, insn, op));
    case 'addi': case 'slti': case 'sltiu': case 'xori': case 'ori': case 'andi': case 'slli': case 'srli': case 'srai':
    case 'addiw': case 'slliw': case 'srliw': case 'sraiw':
    case 'add': case 'sub': case 'sll': case 'slt': case 'sltu': case 'xor': case 'srl': case 'sra': case 'or': case 'and':
    case 'addw': case 'subw': case 'sllw': case 'srlw': case 'sraw':
    case 'mul': case 'mulh': case 'mulhsu': case 'mulhu': case 'div': case 'divu': case 'rem': case 'remu':
    case 'mulw': case 'divw': case 'divuw': case 'remw': case 'remuw':
      compute(cpu, op, insn);
      return advance(cpu, length);
    // Data accesses are sequentially consistent (MODEL.md section 1): a data fence orders nothing more.
    case 'fence': case 'fence_tso':
      return advance(cpu, length);
    case 'fence_i':
      return advance(cpu, length, FENCE_I);
    case 'ecall':
      return advance(cpu, length, ECALL);
    case 'ebreak':
      return EBREAK;
    case 'csrrw':
      // `unimp` is csrrw x0, cycle, x0: the read-only CSR makes it an illegal instruction.
      if (insn.csr === 0xc00 && insn.rd === 0 && insn.rs1 === 0) return ILLEGAL;
      return after(cpu, length, csrAccess(cpu, insn, op));
    case 'csrrs': case 'csrrc': case 'csrrwi': case 'csrrsi': case 'csrrci':
      return after(cpu, length, csrAccess(cpu, insn, op));
    case 'sret': case 'mret': case 'wfi': case 'sfence_vma':
      return UNSUPPORTED;
    default:
      return assertNever(op, 'riscv64 instruction');
  }
}

const { none: NONE, direct: DIRECT, directCall: DIRECT_CALL, indirect: INDIRECT, indirectCall: INDIRECT_CALL, return: RETURN } = INSN_CLASS;

/** For the cost report: `jalr x0, 0(ra)` (ret) returns; a jal or jalr that links is a call. */
export function classifyRiscv64(code: RiscvCode): InsnClass {
  if (code.op === 'sequence') return NONE;
  const op = BASE_OP[code.op];
  switch (op) {
    case 'jal':
      return code.rd === 0 ? DIRECT : DIRECT_CALL;
    case 'jalr':
      if (code.rd !== 0) return INDIRECT_CALL;
      // A return through ra or t0 (x5): the ISA's link registers, whose `jr` the return-address stack
      // pops. ftrace's entry calls its trampoline with the link in t0 and comes back by `jr t0`.
      return (code.rs1 === 1 || code.rs1 === 5) && code.imm === 0 ? RETURN : INDIRECT;
    case 'beq': case 'bne': case 'blt': case 'bge': case 'bltu': case 'bgeu':
      return DIRECT;
    default:
      return NONE;
  }
}
