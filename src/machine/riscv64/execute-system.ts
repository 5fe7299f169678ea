// Zicsr on the one CSR the model has, sstatus.SIE (the kernel's local_irq_disable/enable), and the system instructions.
//
// `csrc sstatus, SR_SIE` is how Linux masks interrupts on RISC-V: the CPU's interrupt-enable flag is
// sstatus bit 1 here, and reads of sstatus see only that bit. Any other CSR is not modelled (an
// `unsupported` trap), as are sret, mret, wfi and sfence.vma. Neither a trap nor its return makes a
// hart's instruction fetch certain on RISC-V: only FENCE.I does (MODEL.md section 3).

import type { RiscvInsn } from '../../isa/riscv64/index.js';
import type { ExecOutcome } from '../arch.js';
import type { CpuState } from '../cpu.js';
import { UNSUPPORTED } from './outcomes.js';
import { setX } from './registers.js';

const SSTATUS = 0x100;
const SIE = 2n;

/** csrrw/csrrs/csrrc and their immediate forms on sstatus; undefined when done, else the trap. */
export function csrAccess(cpu: CpuState, insn: RiscvInsn, op: string): ExecOutcome | undefined {
  if (insn.csr !== SSTATUS) return UNSUPPORTED;
  const old = cpu.irqEnabled ? SIE : 0n;
  const immediate = op.endsWith('i');
  const src = immediate ? BigInt(insn.imm) : cpu.regs[insn.rs1];
  const kind = op.slice(0, 5);
  // csrrs/csrrc with x0 (or an immediate 0) only read: they do not write the CSR.
  const writes = kind === 'csrrw' || (immediate ? insn.imm !== 0 : insn.rs1 !== 0);
  const value = kind === 'csrrw' ? src : kind === 'csrrs' ? old | src : old & ~src;
  if (writes) cpu.irqEnabled = (value & SIE) !== 0n;
  setX(cpu, insn.rd, old);
  return undefined;
}

/** ecall: the call is taken with the pc past the instruction (sepc points at it; the handler adds 4). */
export const ECALL: ExecOutcome = Object.freeze({ kind: 'trap', trap: 'syscall', code: 0 });

/** ebreak and c.ebreak: a breakpoint, the pc on the instruction. */
export const EBREAK: ExecOutcome = Object.freeze({ kind: 'trap', trap: 'breakpoint', code: 0 });
