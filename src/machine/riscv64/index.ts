// The riscv64 machine: the LP64 ABI, 16-bit fetch parcels made certain by FENCE.I, and the semantics of every table entry.

import { riscv64Isa, type RiscvCode } from '../../isa/riscv64/index.js';
import type { ArchMachine } from '../arch.js';
import { riscv64Abi } from './abi.js';
import { classifyRiscv64, executeRiscv64 } from './execute.js';
import { riscv64FetchPolicy } from './fetch-policy.js';
import { RISCV64_REGISTERS } from './registers.js';

export const riscv64Machine: ArchMachine<RiscvCode> = Object.freeze({
  isa: riscv64Isa,
  registers: RISCV64_REGISTERS,
  abi: riscv64Abi,
  fetchPolicy: riscv64FetchPolicy,
  execute: executeRiscv64,
  classify: classifyRiscv64,
} satisfies ArchMachine<RiscvCode>);
