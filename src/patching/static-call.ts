// The static call back ends by arch and kind: the one place that knows them all.

import type { ArchName } from '../isa/types.js';
import { arm64StaticCallOutOfLine } from './arm64/static-call.js';
import { ppc32StaticCallInline, ppc32StaticCallOutOfLine, ppc64StaticCallOutOfLine } from './ppc/static-call.js';
import type { StaticCallBackend } from './static-call-backend.js';
import { x86StaticCallInline, x86StaticCallOutOfLine } from './x86-64/static-call.js';

export type { StaticCallBackend, StaticCallContext, StaticCallSite } from './static-call-backend.js';
export { staticCallSymbols } from './static-call-backend.js';

const BACKENDS: Readonly<Record<ArchName, { readonly ool?: StaticCallBackend; readonly inline?: StaticCallBackend }>> = Object.freeze({
  'x86-64': { ool: x86StaticCallOutOfLine, inline: x86StaticCallInline },
  arm64: { ool: arm64StaticCallOutOfLine },
  ppc32: { ool: ppc32StaticCallOutOfLine, inline: ppc32StaticCallInline },
  ppc64: { ool: ppc64StaticCallOutOfLine },
});

/** The back end of `kind` on `arch`, or undefined where the kernel has none (arm64 and ppc64 inline). */
export function staticCallBackend(arch: ArchName, kind: 'ool' | 'inline'): StaticCallBackend | undefined {
  return BACKENDS[arch][kind];
}
