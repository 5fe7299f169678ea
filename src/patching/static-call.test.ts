import { describe, expect, it } from 'vitest';
import { ARCH_NAMES } from '../isa/types.js';
import { staticCallBackend } from './static-call.js';

describe('staticCallBackend', () => {
  const rows = ARCH_NAMES.flatMap((arch) => (['ool', 'inline', 'ool-module'] as const).map((kind) => ({ arch, kind })));
  const exists = new Set(['x86-64/ool', 'x86-64/inline', 'arm64/ool', 'ppc32/ool', 'ppc32/inline', 'ppc64/ool', 'ppc64/ool-module', 'riscv64/ool']);
  it.each(rows)('$arch $kind', ({ arch, kind }) => {
    const be = staticCallBackend(arch, kind);
    expect(be !== undefined).toBe(exists.has(`${arch}/${kind}`));
    if (be) expect([be.arch, be.kind]).toEqual([arch, kind]);
  });
});
