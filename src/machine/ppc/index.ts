// The ppc machines: ppc32 (big-endian, 32-bit registers) and ppc64 (little-endian ELFv2), one implementation with a mode.

import { ppc32Isa, ppc64Isa } from '../../isa/ppc/index.js';
import type { PpcInsn } from '../../isa/ppc/table.js';
import type { ArchMachine } from '../arch.js';
import { ppc32Abi, ppc64Abi } from './abi.js';
import { classifyPpc, executePpc } from './execute.js';
import { ppcFetchPolicy } from './fetch-policy.js';
import { PPC_REGISTERS } from './registers.js';

export const ppc32Machine: ArchMachine<PpcInsn> = Object.freeze({
  isa: ppc32Isa,
  registers: PPC_REGISTERS,
  abi: ppc32Abi,
  fetchPolicy: ppcFetchPolicy('big', ppc32Isa.decode),
  execute: (cpu, insn, _length, bus) => executePpc(cpu, insn, bus, false),
  classify: classifyPpc,
} satisfies ArchMachine<PpcInsn>);

export const ppc64Machine: ArchMachine<PpcInsn> = Object.freeze({
  isa: ppc64Isa,
  registers: PPC_REGISTERS,
  abi: ppc64Abi,
  fetchPolicy: ppcFetchPolicy('little', ppc64Isa.decode),
  execute: (cpu, insn, _length, bus) => executePpc(cpu, insn, bus, true),
  classify: classifyPpc,
} satisfies ArchMachine<PpcInsn>);
