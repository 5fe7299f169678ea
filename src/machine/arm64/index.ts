// The arm64 machine: AAPCS64, Arm's concurrent-modification rule for fetch, and the semantics of every table entry.

import { arm64Isa, type Arm64Insn } from '../../isa/arm64/index.js';
import type { ArchMachine } from '../arch.js';
import { arm64Abi } from './abi.js';
import { classifyArm64, executeArm64 } from './execute.js';
import { arm64FetchPolicy } from './fetch-policy.js';
import { ARM64_REGISTERS } from './registers.js';

export const arm64Machine: ArchMachine<Arm64Insn> = Object.freeze({
  isa: arm64Isa,
  registers: ARM64_REGISTERS,
  abi: arm64Abi,
  fetchPolicy: arm64FetchPolicy,
  execute: executeArm64,
  classify: classifyArm64,
} satisfies ArchMachine<Arm64Insn>);
