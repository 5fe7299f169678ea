// A static_branch site's two forms per arch, and each arch's protocol for switching sites.

import { describe, expect, it } from 'vitest';
import type { KernelOp } from '../kernel/spec.js';
import { jumpLabelForms, jumpLabelTransform, type JumpLabelSite } from './jump-label.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ops = (r: KernelOp[] | { error: string }) => ('error' in r ? r : r.map((o) => o.op));

describe('jumpLabelForms', () => {
  it.each([
    ['x86-64', 2, 0x1000n, 0x1010n, 'eb0e', '6690'],
    ['x86-64', 2, 0x1000n, 0x0f90n, 'eb8e', '6690'],
    ['x86-64', 5, 0x1000n, 0x1010n, 'e90b000000', '0f1f440000'],
    ['x86-64', 5, 0x1000n, 0x0ff0n, 'e9ebffffff', '0f1f440000'],
    ['arm64', 4, 0x1000n, 0x1010n, '04000014', '1f2003d5'],
    ['ppc64', 4, 0x1000n, 0x1010n, '10000048', '00000060'],
    ['ppc32', 4, 0x1000n, 0x1010n, '48000010', '60000000'],
    // riscv64: the kernel's `jal zero` and 4-byte nop, never c.j / c.nop (GNU as: 0100006f, 0100306f, ff1ff06f).
    ['riscv64', 4, 0x1000n, 0x1010n, '6f000001', '13000000'],
    ['riscv64', 4, 0x1000n, 0x4010n, '6f300001', '13000000'],
    ['riscv64', 4, 0x1004n, 0x0ff4n, '6ff01fff', '13000000'],
  ] as const)('%s, %d bytes at %s to %s: jump %s, nop %s', (arch, length, address, target, jump, nop) => {
    const f = jumpLabelForms(arch, { address, target, length });
    expect('error' in f ? f : [hex(f.jump), hex(f.nop)]).toEqual([jump, nop]);
  });

  it.each([
    ['x86-64', 3, 0x1010n, /2 or 5 bytes/],
    ['x86-64', 2, 0x1100n, /beyond a rel8 jump/],
    ['arm64', 2, 0x1010n, /one 4-byte word/],
  ] as const)('%s, %d bytes to %s: %s', (arch, length, target, message) => {
    const f = jumpLabelForms(arch, { address: 0x1000n, target, length });
    expect('error' in f && f.error).toMatch(message);
  });
});

describe('jumpLabelTransform', () => {
  const site = (address: bigint, length: number, type: 'jump' | 'nop'): JumpLabelSite => ({ address, target: address + 0x20n, length, type });

  it('x86-64: one text_poke_bp batch over every site, under text_mutex', () => {
    const r = jumpLabelTransform('x86-64', [site(0x1000n, 5, 'jump'), site(0x1040n, 2, 'nop')]);
    expect(ops(r)).toEqual([
      'mutex-lock', 'bp-arm', 'bp-arm', 'store', 'store', 'sync-core',
      'store', 'store', 'store', 'store', 'sync-core', 'store', 'store', 'sync-core', 'bp-disarm', 'bp-disarm', 'mutex-unlock',
    ]);
  });

  it('x86-64 skip_sync: no sync_core after the tails', () => {
    const r = jumpLabelTransform('x86-64', [site(0x1000n, 5, 'jump')], { skipSync: true });
    // INT3, sync, the tail in three atomic pieces, the first byte, sync.
    expect(ops(r)).toEqual(['mutex-lock', 'bp-arm', 'store', 'sync-core', 'store', 'store', 'store', 'store', 'sync-core', 'bp-disarm', 'mutex-unlock']);
  });

  it('arm64: aarch64_insn_patch_text_nosync of each site, then kick_all_cpus_sync once (left out with skip_sync)', () => {
    const sites = [site(0x1000n, 4, 'jump'), site(0x1040n, 4, 'nop')];
    expect(ops(jumpLabelTransform('arm64', sites))).toEqual(['store', 'maintain', 'store', 'maintain', 'sync-core']);
    expect(ops(jumpLabelTransform('arm64', sites, { skipSync: true }))).toEqual(['store', 'maintain', 'store', 'maintain']);
  });

  it('ppc64: patch_branch or patch_instruction of nop, site by site', () => {
    const r = jumpLabelTransform('ppc64', [site(0x1000n, 4, 'jump'), site(0x1040n, 4, 'nop')]);
    expect(ops(r)).toEqual(['store', 'maintain', 'store', 'maintain']);
    expect(!('error' in r) && r[0].op === 'store' && hex(r[0].bytes)).toBe('20000048');
  });

  it('riscv64: patch_insn_write of each site under text_mutex, one aligned store each, then flush_icache_all once (left out with skip_sync)', () => {
    const sites = [site(0x1000n, 4, 'jump'), site(0x1040n, 4, 'nop')];
    const r = jumpLabelTransform('riscv64', sites);
    expect(ops(r)).toEqual(['mutex-lock', 'store', 'mutex-unlock', 'mutex-lock', 'store', 'mutex-unlock', 'sync-core']);
    expect(!('error' in r) && r[1].op === 'store' && hex(r[1].bytes)).toBe('6f000002');
    expect(ops(jumpLabelTransform('riscv64', sites, { skipSync: true }))).toEqual(['mutex-lock', 'store', 'mutex-unlock', 'mutex-lock', 'store', 'mutex-unlock']);
  });

  it('no sites: nothing to do', () => expect(jumpLabelTransform('x86-64', [])).toEqual([]));
});
