import { describe, expect, it } from 'vitest';
import type { KernelOp } from '../../kernel/spec.js';
import { inBranchRange, patchBranch, patchInstruction, patchUlong } from './text-patching.js';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const brief = (ops: KernelOp[]) => ops.map((o) => (o.op === 'store' ? `store@${o.address.toString(16)}:${hex(o.bytes)}` : o.op === 'maintain' ? `maintain@${o.address.toString(16)}+${o.size}` : o.op));

describe('ppc text patching', () => {
  it('patch_instruction is one aligned store, then the maintenance', () => {
    const ops = patchInstruction(0x1000n, Uint8Array.of(0x60, 0, 0, 0));
    expect(brief(ops)).toEqual(['store@1000:60000000', 'maintain@1000+4']);
    expect(ops.map((o) => o.step)).toEqual(['patch_instruction 1/2: store through the alias', 'patch_instruction 2/2: dcbst; sync; icbi; sync; isync']);
  });

  const branches = [
    { arch: 'ppc32' as const, at: 0x10000n, to: 0x10100n, want: ['store@10000:48000100', 'maintain@10000+4'] },
    { arch: 'ppc64' as const, at: 0x10000n, to: 0x10100n, want: ['store@10000:00010048', 'maintain@10000+4'] },
    { arch: 'ppc32' as const, at: 0x2000000n, to: 0x10n, want: ['store@2000000:4a000010', 'maintain@2000000+4'] },
  ];
  it.each(branches)('patch_branch $arch $at → $to', ({ arch, at, to, want }) => {
    const ops = patchBranch(arch, at, to);
    expect(Array.isArray(ops) && brief(ops)).toEqual(want);
  });

  it('patch_branch beyond ±32 MB is an error', () => {
    expect(patchBranch('ppc32', 0x10000n, 0x10000n + (1n << 25n))).toHaveProperty('error');
    expect(inBranchRange(0x10000n + (1n << 25n), 0x10000n)).toBe(true);
    expect(inBranchRange(0x10000n, 0x10000n + (1n << 25n) - 4n)).toBe(true);
  });

  const ulongs = [
    { arch: 'ppc32' as const, value: 0x12345678n, want: ['store@1000:12345678'] },
    { arch: 'ppc64' as const, value: 0x12345678n, want: ['store@1000:7856341200000000'] },
  ];
  it.each(ulongs)('patch_ulong $arch: one store in the arch byte order, no maintenance', ({ arch, value, want }) => {
    expect(brief(patchUlong(arch, 0x1000n, value))).toEqual(want);
  });
});

describe('patch_branch with BRANCH_SET_LINK', () => {
  it('writes bl', () => {
    const ops = patchBranch('ppc32', 0x10000n, 0x10100n, { link: true });
    expect(Array.isArray(ops) && brief(ops)).toEqual(['store@10000:48000101', 'maintain@10000+4']);
  });
});
