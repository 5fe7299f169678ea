// The five arches by name: the one place that knows them all.

import { arm64Isa } from './arm64/index.js';
import { ppc32Isa, ppc64Isa } from './ppc/index.js';
import { riscv64Isa } from './riscv64/index.js';
import type { ArchName, Isa } from './types.js';
import { ARCH_NAMES } from './types.js';
import { x86_64Isa } from './x86-64/index.js';

const ISAS: Readonly<Record<ArchName, Isa>> = Object.freeze({
  'x86-64': x86_64Isa as Isa,
  arm64: arm64Isa as Isa,
  ppc32: ppc32Isa as Isa,
  ppc64: ppc64Isa as Isa,
  riscv64: riscv64Isa as Isa,
});

export function isArchName(name: string): name is ArchName {
  return (ARCH_NAMES as readonly string[]).includes(name);
}

export function isaFor(arch: ArchName): Isa {
  return ISAS[arch];
}
