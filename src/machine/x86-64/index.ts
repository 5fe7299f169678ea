// The x86-64 machine: System V AMD64 calls, byte-wise instruction fetch, and the semantics of every table entry.

import { x86_64Isa, type X86Insn } from '../../isa/x86-64/index.js';
import type { ArchMachine } from '../arch.js';
import { x86_64Abi } from './abi.js';
import { classifyX86, executeX86 } from './execute.js';
import { x86_64FetchPolicy } from './fetch-policy.js';
import { X86_REGISTERS } from './registers.js';

export const x86_64Machine: ArchMachine<X86Insn> = Object.freeze({
  isa: x86_64Isa,
  registers: X86_REGISTERS,
  abi: x86_64Abi,
  fetchPolicy: x86_64FetchPolicy,
  execute: executeX86,
  classify: classifyX86,
} satisfies ArchMachine<X86Insn>);
