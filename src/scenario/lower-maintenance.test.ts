// Cache maintenance, barriers, flush_icache_range, kick_all_cpus_sync, wide stores and stp: what each
// statement lowers to, that the built-ins are the hand-written steps, and every misuse's diagnostic.

import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../base/diagnostics.js';
import type { KernelOp } from '../kernel/spec.js';
import { parseAndLower } from './lower.js';

/** A scenario of `arch` whose patcher is `body`; the patcher's first statement is on line 11. */
function scenario(arch: 'arm64' | 'ppc32' | 'ppc64' | 'x86-64', body: string): string {
  const ret = arch === 'x86-64' ? 'ret' : arch === 'arm64' ? 'ret' : 'blr';
  return `scenario s\narch ${arch}\nexpect safe\ncode\nf: nop\n  ${ret}\n  .p2align 7\ng: .space 128\nend\npatcher\n${body}\nend\n`;
}

function patcher(arch: 'arm64' | 'ppc32' | 'ppc64' | 'x86-64', body: string): readonly KernelOp[] {
  const r = parseAndLower(scenario(arch, body), 't.scn');
  if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  return r.scenario.spec.patchers[0].program;
}

/** `op step` per op; a store as `store@ADDR/N`. */
const brief = (ops: readonly KernelOp[]) => ops.map((o) => (o.op === 'store' ? `store@${o.address.toString(16)}/${o.bytes.length}` : `${o.op} ${o.step}`));
const insns = (ops: readonly KernelOp[]) => ops.flatMap((o) => (o.op === 'cache' ? [o.insn] : o.op === 'maintain' ? o.insns : []));

describe('maintenance and barriers, one step each', () => {
  it('arm64: dc_cvau, dsb_ish, ic_ivau, isb', () => {
    expect(brief(patcher('arm64', '  dc_cvau f+4\n  dsb_ish\n  ic_ivau f\n  isb'))).toEqual([
      'cache dc cvau 0x10004', 'cache dsb ish', 'cache ic ivau 0x10000', 'cache isb',
    ]);
  });
  it('ppc: dcbst, sync, icbi, isync; each op carries its statement\'s span', () => {
    const ops = patcher('ppc64', '  dcbst f\n  sync\n  icbi f\n  isync');
    expect(insns(ops).map((i) => i.kind)).toEqual(['clean', 'barrier', 'invalidate', 'context-sync']);
    expect(ops.map((o) => o.span?.line)).toEqual([11, 12, 13, 14]);
  });
  it('kick_all_cpus_sync is the IPI to every other CPU, waited for (sync_core\'s op) on every arch', () => {
    for (const arch of ['arm64', 'ppc32', 'x86-64'] as const) expect(patcher(arch, '  kick_all_cpus_sync').map((o) => o.op)).toEqual(['sync-core']);
  });
});

describe('flush_icache_range, the kernel\'s sequence over the lines', () => {
  it('arm64: dc cvau per line, dsb, ic ivau per line, dsb, isb, then kick_all_cpus_sync', () => {
    expect(brief(patcher('arm64', '  flush_icache_range f+4, g'))).toEqual([
      'cache flush_icache_range 1/8: dc cvau 0x10000', 'cache flush_icache_range 2/8: dc cvau 0x10040',
      'cache flush_icache_range 3/8: dsb ish',
      'cache flush_icache_range 4/8: ic ivau 0x10000', 'cache flush_icache_range 5/8: ic ivau 0x10040',
      'cache flush_icache_range 6/8: dsb ish', 'cache flush_icache_range 7/8: isb',
      'sync-core flush_icache_range 8/8: kick_all_cpus_sync',
    ]);
  });
  it('ppc: dcbst per line, sync, icbi per line, sync, isync; no IPI', () => {
    expect(brief(patcher('ppc32', '  flush_icache_range f, f+4'))).toEqual([
      'cache flush_icache_range 1/5: dcbst 0x10000', 'cache flush_icache_range 2/5: sync', 'cache flush_icache_range 3/5: icbi 0x10000',
      'cache flush_icache_range 4/5: sync', 'cache flush_icache_range 5/5: isync',
    ]);
  });
});

describe('the built-ins are the hand-written steps done in one transition', () => {
  it('patch_instruction = store; dcbst; sync; icbi; sync; isync', () => {
    const builtIn = patcher('ppc32', '  patch_instruction f, "b g"');
    const byHand = patcher('ppc32', '  store f, "b g"\n  dcbst f\n  sync\n  icbi f\n  sync\n  isync');
    expect(builtIn.map((o) => o.op)).toEqual(['store', 'maintain']);
    expect(insns(builtIn)).toEqual(insns(byHand));
    expect(brief(builtIn.filter((o) => o.op === 'store'))).toEqual(brief(byHand.filter((o) => o.op === 'store')));
  });
  it('aarch64_insn_patch_text_nosync = store; dc_cvau; dsb_ish; ic_ivau; dsb_ish (its ISB only syncs the patcher\'s CPU)', () => {
    const builtIn = patcher('arm64', '  aarch64_insn_patch_text_nosync f, "b g"');
    const byHand = patcher('arm64', '  store f, "b g"\n  dc_cvau f\n  dsb_ish\n  ic_ivau f\n  dsb_ish');
    expect(insns(builtIn)).toEqual(insns(byHand));
  });
});

describe('stores of any width (MODEL.md section 2)', () => {
  it('a 16-byte store is cut into the largest naturally aligned pieces of at most 8 bytes', () => {
    expect(brief(patcher('arm64', '  store g, 16, 0x1f2003d51f2003d51f2003d51f2003d5'))).toEqual(['store@10080/8', 'store@10088/8']);
    expect(brief(patcher('arm64', '  store g+4, "nop; nop; nop; nop"'))).toEqual(['store@10084/4', 'store@10088/8', 'store@10090/4']);
    expect(brief(patcher('x86-64', '  store g+1, 16, -1'))).toEqual(['store@10081/1', 'store@10082/2', 'store@10084/4', 'store@10088/8', 'store@10090/1']);
  });
  it('x86-64: a 2-, 4- or 8-byte store inside one 64-byte cache line is one atomic event, aligned or not', () => {
    expect(brief(patcher('x86-64', '  store g+1, 4, -1'))).toEqual(['store@10081/4']);
    expect(brief(patcher('x86-64', '  store g+0x37, 8, -1'))).toEqual(['store@100b7/8']);
    expect(brief(patcher('x86-64', '  store g+3, "jmp ."'))).toEqual(['store@10083/2']);
    // Across a line it is pieces, cut as any other store; so is a width other than 2, 4 or 8.
    expect(brief(patcher('x86-64', '  store g+0x3d, 8, -1'))).toEqual(['store@100bd/1', 'store@100be/2', 'store@100c0/4', 'store@100c4/1']);
    expect(brief(patcher('x86-64', '  store g+1, 3, -1'))).toEqual(['store@10081/1', 'store@10082/2']);
    // arm64 and Power have no such rule.
    expect(brief(patcher('arm64', '  store g+1, 4, -1'))).toEqual(['store@10081/1', 'store@10082/2', 'store@10084/1']);
    expect(brief(patcher('ppc32', '  store g+2, 4, -1'))).toEqual(['store@10082/2', 'store@10084/2']);
  });
  it('the value is written in the arch\'s byte order over the whole width', () => {
    const [first, second] = patcher('ppc32', '  store g, 16, 0x0102030405060708_1112131415161718'); // big-endian
    expect(first.op === 'store' && [...first.bytes]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(second.op === 'store' && [...second.bytes]).toEqual([0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18]);
    const [low] = patcher('ppc64', '  store g, 16, 0x0102030405060708_1112131415161718'); // little-endian
    expect(low.op === 'store' && [...low.bytes]).toEqual([0x18, 0x17, 0x16, 0x15, 0x14, 0x13, 0x12, 0x11]);
  });
  it('arm64 stp: two atomic 8-byte pieces, V1 at ADDR and V2 at ADDR+8, little-endian', () => {
    const ops = patcher('arm64', '  stp g, 0x0807060504030201, -1');
    expect(brief(ops)).toEqual(['store@10080/8', 'store@10088/8']);
    expect(ops.map((o) => o.step)).toEqual(['stp (piece 1/2)', 'stp (piece 2/2)']);
    expect(ops[0].op === 'store' && [...ops[0].bytes]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ops[1].op === 'store' && [...ops[1].bytes]).toEqual(new Array(8).fill(0xff));
  });
});

describe('misuses point into the file', () => {
  it.each([
    ['dc_cvau on ppc', 'ppc32', '  dc_cvau f', 'PL7014', 11, 3],
    ['icbi on arm64', 'arm64', '  icbi f', 'PL7014', 11, 3],
    ['isync on x86-64', 'x86-64', '  isync', 'PL7014', 11, 3],
    ['flush_icache_range on x86-64', 'x86-64', '  flush_icache_range f, f+1', 'PL7014', 11, 3],
    ['stp on ppc64', 'ppc64', '  stp g, 1, 2', 'PL7014', 11, 3],
    ['dc_cvau without an address', 'arm64', '  dc_cvau', 'PL7006', 11, 10],
    ['dsb_ish with an operand', 'arm64', '  dsb_ish f', 'PL7031', 11, 11],
    ['icbi outside the image', 'ppc32', '  icbi 0x10', 'PL7032', 11, 8],
    ['stp with one value', 'arm64', '  stp g, 1', 'PL7006', 11, 11],
    ['stp at an address not 8-aligned', 'arm64', '  stp g+4, 1, 2', 'PL7150', 11, 7],
    ['stp of a value wider than 64 bits', 'arm64', '  stp g, 1 << 64, 2', 'PL7020', 11, 10],
    ['flush_icache_range without an end', 'arm64', '  flush_icache_range f', 'PL7006', 11, 23],
    ['flush_icache_range with END before START', 'ppc32', '  flush_icache_range g, f', 'PL7151', 11, 25],
    ['flush_icache_range over too many lines', 'ppc32', '  flush_icache_range f, f + 17*64', 'PL7152', 11, 3],
    ['store of width 0', 'arm64', '  store g, 0, 0', 'PL7019', 11, 12],
    ['store wider than a cache line', 'arm64', '  store g, 65, 0', 'PL7019', 11, 12],
    ['store of a value wider than its width', 'arm64', '  store g, 16, 1 << 128', 'PL7020', 11, 16],
  ] as const)('%s', (_what, arch, body, code, line, col) => {
    const r = parseAndLower(scenario(arch, body), 't.scn');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]).toMatchObject({ code, span: { file: 't.scn', line, col } });
  });
});
