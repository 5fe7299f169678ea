import { describe, expect, it } from 'vitest';
import type { KernelOp } from '../../kernel/spec.js';
import { textPokeBp, textPokeBpSkipSync, textPokeLate } from './text-patching.js';

/** A compact trace: `poke-begin@A`, `store@A:hex`, `sync`, `state:X` … */
function shape(ops: KernelOp[]): string[] {
  return ops.map((o) => {
    switch (o.op) {
      case 'store': return `store@${o.address.toString(16)}:${Array.from(o.bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
      case 'bp-arm': return `begin@${o.address.toString(16)}`;
      case 'bp-disarm': return `end@${o.address.toString(16)}`;
      case 'sync-core': return 'sync';
      case 'patch-state': return `state:${o.state}`;
      default: return o.op;
    }
  });
}

const jmp = Uint8Array.of(0xe9, 0x10, 0x20, 0x30, 0x40);

describe('textPokeBp', () => {
  it('a 5-byte insn: INT3, sync, tail, sync, first byte, sync — exactly three sync_core', () => {
    const ops = textPokeBp([{ address: 0x1000n, insn: jmp }]);
    expect(shape(ops)).toEqual([
      'begin@1000', 'store@1000:cc', 'sync', 'store@1001:10', 'store@1002:2030', 'store@1004:40', 'sync', 'store@1000:e9', 'sync', 'end@1000',
    ]);
    expect(ops.filter((o) => o.op === 'sync-core')).toHaveLength(3);
    expect(ops.map((o) => o.step).filter((s) => s.startsWith('text_poke_bp 2/6'))).toEqual(['text_poke_bp 2/6: sync_core']);
  });

  it('batches: every INT3 before the first sync, every tail before the second', () => {
    const ops = textPokeBp([{ address: 0x1000n, insn: jmp }, { address: 0x2000n, insn: Uint8Array.of(0xc3) }]);
    expect(shape(ops)).toEqual([
      'begin@1000', 'begin@2000', 'store@1000:cc', 'store@2000:cc', 'sync',
      'store@1001:10', 'store@1002:2030', 'store@1004:40', 'sync',
      'store@1000:e9', 'store@2000:c3', 'sync', 'end@1000', 'end@2000',
    ]);
  });

  const rows = [
    { name: 'one-byte insns only: no tail, so no second sync', sites: [{ address: 0x10n, insn: Uint8Array.of(0xc3) }], syncs: 2 },
    { name: 'a site already holding the insn is skipped', sites: [{ address: 0x10n, insn: jmp, current: jmp.slice() }], syncs: 0 },
    { name: 'a new first byte that is INT3 is not rewritten: no third sync', sites: [{ address: 0x10n, insn: Uint8Array.of(0xcc, 0x90) }], syncs: 2 },
  ];
  it.each(rows)('$name', ({ sites, syncs }) => expect(textPokeBp(sites).filter((o) => o.op === 'sync-core')).toHaveLength(syncs));

  it('the handler emulates `emulate` when given (xor5rax emulated as the call)', () => {
    const call = Uint8Array.of(0xe8, 0, 0, 0, 0);
    const [begin] = textPokeBp([{ address: 0x10n, insn: Uint8Array.of(0x2e, 0x2e, 0x2e, 0x31, 0xc0), emulate: call }]);
    expect(begin.op === 'bp-arm' && Array.from(begin.insn)).toEqual(Array.from(call));
  });

  it('the skip-sync variant leaves out step 4 only', () => {
    expect(shape(textPokeBpSkipSync([{ address: 0x1000n, insn: jmp }]))).toEqual([
      'begin@1000', 'store@1000:cc', 'sync', 'store@1001:10', 'store@1002:2030', 'store@1004:40', 'store@1000:e9', 'sync', 'end@1000',
    ]);
  });
});

describe('textPokeLate (seed 004)', () => {
  it('runs the PATCH_SYNC states around each stage of each site, inside stop_machine', () => {
    const ops = textPokeLate([{ address: 0x1000n, insn: jmp }, { address: 0x2000n, insn: Uint8Array.of(0x90) }], { syncInNmi: false });
    expect(shape(ops)).toEqual([
      'stop-machine-begin',
      'begin@1000', 'store@1000:cc', 'state:PATCH_SYNC_0', 'store@1001:10', 'store@1002:2030', 'store@1004:40', 'state:PATCH_SYNC_1',
      'store@1000:e9', 'state:PATCH_SYNC_2', 'state:PATCH_SYNC_DONE', 'end@1000',
      'begin@2000', 'store@2000:cc', 'state:PATCH_SYNC_0', 'state:PATCH_SYNC_1', 'store@2000:90', 'state:PATCH_SYNC_2', 'state:PATCH_SYNC_DONE', 'end@2000',
      'state:PATCH_DONE', 'stop-machine-end',
    ]);
    const begin = ops.find((o) => o.op === 'bp-arm');
    expect(begin?.op === 'bp-arm' && begin.handler).toEqual({ kind: 'wait-and-reexecute', syncInNmi: false });
  });
});
