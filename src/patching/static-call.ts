// The static call back ends by arch and kind: the one place that knows them all.

import type { ArchName } from '../isa/types.js';
import { arm64StaticCallOutOfLine } from './arm64/static-call.js';
import { ppc32StaticCallInline, ppc32StaticCallOutOfLine } from './ppc/static-call.js';
import { ppc64StaticCallOutOfLine, ppc64StaticCallOutOfLineModule } from './ppc/static-call-elfv2.js';
import { riscv64StaticCallOutOfLine } from './riscv64/static-call.js';
import type { StaticCallBackend } from './static-call-backend.js';
import { x86StaticCallInline, x86StaticCallOutOfLine } from './x86-64/static-call.js';

export type { StaticCallBackend, StaticCallContext, StaticCallSite } from './static-call-backend.js';
export { staticCallSymbols } from './static-call-backend.js';

/** `ool`: the out-of-line trampoline (on ppc64 the kernel's); `inline`: call sites patched; `ool-module`: ppc64's module trampoline. */
export type StaticCallKind = StaticCallBackend['kind'];

const BACKENDS: Readonly<Record<ArchName, Partial<Record<StaticCallKind, StaticCallBackend>>>> = Object.freeze({
  'x86-64': { ool: x86StaticCallOutOfLine, inline: x86StaticCallInline },
  arm64: { ool: arm64StaticCallOutOfLine },
  ppc32: { ool: ppc32StaticCallOutOfLine, inline: ppc32StaticCallInline },
  ppc64: { ool: ppc64StaticCallOutOfLine, 'ool-module': ppc64StaticCallOutOfLineModule },
  riscv64: { ool: riscv64StaticCallOutOfLine },
});

/** The back end of `kind` on `arch`, or undefined where the kernel has none (arm64 and ppc64 inline; ool-module but on ppc64). */
export function staticCallBackend(arch: ArchName, kind: StaticCallKind): StaticCallBackend | undefined {
  return BACKENDS[arch][kind];
}
