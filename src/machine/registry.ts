// The five machines by arch name.

import type { ArchName } from '../isa/types.js';
import type { ArchMachine } from './arch.js';
import { arm64Machine } from './arm64/index.js';
import { ppc32Machine, ppc64Machine } from './ppc/index.js';
import { riscv64Machine } from './riscv64/index.js';
import { x86_64Machine } from './x86-64/index.js';

const MACHINES: Readonly<Record<ArchName, ArchMachine>> = Object.freeze({
  'x86-64': x86_64Machine as ArchMachine,
  arm64: arm64Machine as ArchMachine,
  ppc32: ppc32Machine as ArchMachine,
  ppc64: ppc64Machine as ArchMachine,
  riscv64: riscv64Machine as ArchMachine,
});

export function machineFor(arch: ArchName): ArchMachine {
  return MACHINES[arch];
}
