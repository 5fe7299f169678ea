// riscv64's patching statements (patch_insn_write, patch_text_nosync, patch_text, flush_icache_all), the
// static key protocol on riscv64, and their bad uses at file:line:col.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bfs } from '../checker/bfs.js';
import { replay } from '../checker/replay.js';
import { formatDiagnostic } from '../base/diagnostics.js';
import { KernelWorld } from '../kernel/world.js';
import { parseAndLower } from './lower.js';

const example = (name: string) => readFileSync(new URL(`../../examples/riscv/${name}`, import.meta.url), 'utf8');

function lower(text: string) {
  const r = parseAndLower(text, 't.scn');
  return r.ok ? { spec: r.scenario.spec, diagnostics: [] as string[] } : { spec: undefined, diagnostics: r.diagnostics.map(formatDiagnostic) };
}

/** A riscv64 (or `arch`) scenario with a 4-aligned word `site` and `body` as its patcher. */
const scenario = (body: string, arch = 'riscv64') => `scenario s
arch ${arch}
expect safe
code
        .text
        .align 2
site:   ${arch === 'riscv64' ? '.4byte 0x00000013' : arch === 'x86-64' ? 'nop; nop; nop; nop' : 'nop'}
        .size site, .-site
end
patcher
${body}
end
`;

describe('riscv64 patching statements', () => {
  it('patch_insn_write assembles the kernel\'s 32-bit instruction (never the compressed form) and stores it whole', () => {
    const { spec, diagnostics } = lower(scenario('    patch_insn_write site, "nop"'));
    expect(diagnostics).toEqual([]);
    const [op] = spec!.patchers[0].program;
    expect(op.op === 'store' && Buffer.from(op.bytes).toString('hex')).toBe('13000000');
  });

  it('patch_text_nosync is the write and a FENCE.I round; patch_text a stop_machine with FENCE.I on every parked hart', () => {
    expect(lower(scenario('    patch_text_nosync site, "nop"')).spec!.patchers[0].program.map((o) => o.op)).toEqual(['store', 'sync-core']);
    expect(lower(scenario('    patch_text site, "nop"')).spec!.patchers[0].program.map((o) => o.op)).toEqual(['stop-machine-begin', 'store', 'stopper-sync', 'stop-machine-end']);
    expect(lower(scenario('    flush_icache_all')).spec!.patchers[0].program.map((o) => o.op)).toEqual(['sync-core']);
  });

  it.each([
    ['patch_insn_write on x86-64', '    patch_insn_write site, "nop"', 'x86-64', 'PL7014', 5],
    ['flush_icache_all on arm64', '    flush_icache_all', 'arm64', 'PL7014', 5],
    ['patch_text inside stop_machine', '    stop_machine\n        patch_text site, "nop"\n    end', 'riscv64', 'PL7026', 9],
    ['patch_insn_write of a misaligned word', '    patch_insn_write site + 2, "nop"', 'riscv64', 'PL7022', 5],
    ['patch_insn_write of two instructions', '    patch_insn_write site, "nop; nop"', 'riscv64', 'PL7033', 28],
  ])('%s: %s at its line and column', (_what, body, arch, code, col) => {
    const text = scenario(body, arch);
    const { diagnostics } = lower(text);
    const line = text.split('\n').findIndex((l) => l.includes(body.split('\n').at(-2) ?? body) || (body.includes('patch_text site') && l.includes('patch_text site'))) + 1;
    expect(diagnostics.some((d) => d.includes(`t.scn:${line}:${col}:`) && d.includes(code)), diagnostics.join('\n')).toBe(true);
  });
});

describe('riscv64 protocols', () => {
  it('patch_text keeps the AUIPC+JALR pair safe on a kernel without preemption; without its FENCE.I step, not (a return from the stopper is no FENCE.I on riscv)', () => {
    const { spec } = lower(example('ftrace-pair-stop-machine.scn'));
    expect(bfs(new KernelWorld(spec!), {}).verdict).toBe('safe');
    const program = spec!.patchers[0].program.filter((o) => o.op !== 'stopper-sync');
    const world = new KernelWorld({ ...spec!, patchers: [{ ...spec!.patchers[0], program }] });
    const r = bfs(world, {});
    expect([r.verdict, r.violation?.kind]).toEqual(['unsafe', 'wrong-target']);
    const again = replay(world, r.trace, { describe: false });
    expect(again.ok && again.violation?.kind).toBe('wrong-target');
  });

  it('riscv.ziccif is what keeps the far jump label safe: off, a hart takes the jal\'s low parcel alone', () => {
    const text = example('jump-label-far-no-ziccif.scn');
    const off = bfs(new KernelWorld(lower(text).spec!), {});
    expect([off.verdict, off.violation?.kind]).toEqual(['unsafe', 'wrong-target']);
    const on = bfs(new KernelWorld(lower(text.replace('arch riscv64\n', 'arch riscv64\nknobs riscv.ziccif\n')).spec!), {});
    expect(on.verdict).toBe('safe');
  });

  it('the jump label\'s flush_icache_all is what makes the new direction visible on return', () => {
    const text = example('jump-label.scn');
    expect(bfs(new KernelWorld(lower(text).spec!), {}).verdict).toBe('safe');
    const r = bfs(new KernelWorld(lower(text.replace('static_branch_enable sk', 'static_branch_enable sk skip_sync')).spec!), {});
    expect([r.verdict, r.violation?.kind]).toEqual(['unsafe', 'stale-after-update']);
  });
});
