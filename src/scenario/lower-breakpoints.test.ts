// Breakpoints as state: what `bp_arm` and `bp_disarm` lower to, that text_poke_bp and text_poke_bp_batch
// are exactly these steps with raw stores and syncs in between (same ops, same transitions, same
// verdict), and every misuse's diagnostic at its file:line:col.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bfs } from '../checker/bfs.js';
import { replay } from '../checker/replay.js';
import { formatDiagnostic } from '../base/diagnostics.js';
import type { KernelOp } from '../kernel/spec.js';
import { KernelWorld } from '../kernel/world.js';
import { parseAndLower } from './lower.js';

/**
 * An x86-64 scenario (or `arch`) with two 5-byte sites, `tramp` and `tramp2`, jumping to func_a; func_b is
 * far away, so its rel32 differs from func_a's in three bytes.
 */
function scenario(body: string, arch: 'x86-64' | 'arm64' = 'x86-64', expect = 'safe'): string {
  const code = arch === 'x86-64'
    ? `func_a: lea 1(%rdi), %rax\n  ret\n  .size func_a, .-func_a\n  .p2align 3\ntramp: {disp32} jmp func_a\n  .size tramp, .-tramp\n  .p2align 3\ntramp2: {disp32} jmp func_a\n  .size tramp2, .-tramp2\ncaller: call tramp\n  ret`
    : `func_a: add x0, x0, #1\n  ret\n  .size func_a, .-func_a\ntramp: b func_a\n  .size tramp, .-tramp\ntramp2: b func_a\n  .size tramp2, .-tramp2\ncaller: stp x29, x30, [sp, #-16]!\n  bl tramp\n  ldp x29, x30, [sp], #16`;
  const far = arch === 'x86-64' ? 'func_b: lea 2(%rdi), %rax\n  ret' : 'func_b: add x0, x0, #2\n  ret\n  ret';
  return `scenario s\narch ${arch}\nbounds cpus=2\nsection .text.far at 0x1000000\nexpect ${expect}\ncode\n  .text\n  .globl func_a, func_b\n${code}\n  .section .text.far, "ax"\n${far}\n  .size func_b, .-func_b\nend\nkey sc = func_a\ntask T1\n  call caller(1) key=sc\nend\npatcher\n${body}\nend\n`;
}

function lowered(body: string, arch: 'x86-64' | 'arm64' = 'x86-64', expect = 'safe') {
  const r = parseAndLower(scenario(body, arch, expect), 't.scn');
  if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  return r.scenario;
}

const patcher = (body: string) => lowered(body).spec.patchers[0].program;

/** The line of the patcher's first statement. */
const FIRST = (arch: 'x86-64' | 'arm64' = 'x86-64') => scenario('', arch).split('\n').indexOf('patcher') + 2;

/** What an op does, without its step text and span: the two ways of writing a protocol must agree on it. */
const effect = (ops: readonly KernelOp[]) => ops.map((o) => {
  const { step: _step, span: _span, ...rest } = o;
  return JSON.stringify(rest, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
});

/** text_poke_bp's steps for `site` (the new `jmp func_b`), written out: the tail in text_poke's 1 + 2 + 1 pieces. */
const TAIL = (site: string) => [
  `  store ${site} + 1, 1, (func_b - (${site} + 5)) & 0xff`,
  `  store ${site} + 2, 2, ((func_b - (${site} + 5)) >> 8) & 0xffff`,
  `  store ${site} + 4, 1, ((func_b - (${site} + 5)) >> 24) & 0xff`,
].join('\n');
const BY_HAND = ['  bp_arm tramp, "jmp func_b" desc=bp_desc', '  store tramp, 1, 0xcc', '  sync_core', TAIL('tramp'), '  sync_core', '  store tramp, 1, 0xe9', '  sync_core', '  bp_disarm tramp desc=bp_desc'].join('\n');

describe('bp_arm and bp_disarm', () => {
  it('bp_arm is one bp-arm step: the site, the instruction its handler emulates, the handler', () => {
    const [op] = patcher('  bp_arm tramp, "jmp func_a"');
    expect(op).toMatchObject({ op: 'bp-arm', address: 0x10008n, handler: { kind: 'emulate' }, step: 'bp_arm 0x10008: the breakpoint handler emulates jmp func_a', span: { line: FIRST(), col: 3 } });
    expect(op.op === 'bp-arm' && Buffer.from(op.insn).toString('hex')).toBe('e9f3ffffff');
  });
  it('a detour names its trampoline and returns past the instruction given', () => {
    const [op] = patcher('  bp_arm tramp, "jmp func_a" handler=rax-trampoline:func_b');
    // Seed 001's hybrid: a detour whose return address goes to %rax.
    expect(op).toMatchObject({ op: 'bp-arm', handler: { kind: 'detour', trampoline: 'func_b', link: 'rax', irqsOff: false } });
    expect(op.op === 'bp-arm' && op.insn.length).toBe(5);
    expect(patcher('  bp_arm tramp, "jmp func_a" handler=sti-trampoline:func_b')[0]).toMatchObject({ handler: { kind: 'detour', link: 'rax', irqsOff: true } });
    // Through the ABI: pushed on x86-64, the link register elsewhere.
    expect(patcher('  bp_arm tramp, "jmp func_a" handler=detour:func_b')[0]).toMatchObject({ handler: { kind: 'detour', trampoline: 'func_b', link: undefined, irqsOff: false } });
    const arm = lowered('  bp_arm tramp, "b func_b" handler=detour:func_b', 'arm64').spec.patchers[0].program[0];
    expect(arm).toMatchObject({ op: 'bp-arm', handler: { kind: 'detour', trampoline: 'func_b', link: undefined } });
  });
  it('bp_disarm is one bp-disarm step', () => {
    expect(patcher('  bp_arm tramp, "nop"\n  bp_disarm tramp')[1]).toMatchObject({ op: 'bp-disarm', address: 0x10008n, step: 'bp_disarm 0x10008', span: { line: FIRST() + 1 } });
  });
  it('arm64: the handler emulates (BRK over a `b` is in the permitted set of concurrent modification)', () => {
    const ops = lowered('  bp_arm tramp, "b func_b"\n  store tramp, "brk #0"\n  bp_disarm tramp', 'arm64').spec.patchers[0].program;
    expect(ops.map((o) => o.op)).toEqual(['bp-arm', 'store', 'bp-disarm']);
  });
});

describe('text_poke_bp is the breakpoint statements with raw stores and syncs in between', () => {
  it('the same steps, op for op', () => {
    expect(effect(patcher('  text_poke_bp tramp, "jmp func_b"'))).toEqual(effect(patcher(BY_HAND)));
  });
  it('text_poke_bp_batch: every site armed, INT3 on each, sync, each tail, sync, each first byte, sync, each disarmed', () => {
    const batch = patcher('  text_poke_bp_batch\n    tramp, "jmp func_b"\n    tramp2, "jmp func_b"\n  end');
    const byHand = patcher([
      '  bp_arm tramp, "jmp func_b" desc=bp_desc', '  bp_arm tramp2, "jmp func_b" desc=bp_desc', '  store tramp, 1, 0xcc', '  store tramp2, 1, 0xcc', '  sync_core',
      TAIL('tramp'), TAIL('tramp2'), '  sync_core', '  store tramp, 1, 0xe9', '  store tramp2, 1, 0xe9', '  sync_core', '  bp_disarm tramp desc=bp_desc', '  bp_disarm tramp2 desc=bp_desc',
    ].join('\n'));
    expect(effect(batch)).toEqual(effect(byHand));
  });
  it('the same states, transitions and verdict when checked', () => {
    const check = (body: string) => {
      const world = new KernelWorld(lowered(`  update sc -> func_b\n${body}\n  end`).spec);
      return bfs(world, {});
    };
    const lib = check('  text_poke_bp tramp, "jmp func_b"');
    const hand = check(BY_HAND);
    expect(lib.verdict).toBe('safe');
    expect(hand.verdict).toBe('safe');
    expect([hand.stats.states, hand.stats.transitions]).toEqual([lib.stats.states, lib.stats.transitions]);
  });
});

describe('a breakpoint with no handler armed is a trap nobody handles', () => {
  it.each([
    ['INT3 stored over a live site', '  store tramp, 1, 0xcc'],
    ['disarmed while a CPU may still fetch INT3', '  bp_arm tramp, "jmp func_a"\n  store tramp, 1, 0xcc\n  sync_core\n  store tramp, 1, 0xe9\n  bp_disarm tramp'],
  ])('%s: fault, and the trace replays to it', (_what, body) => {
    const world = new KernelWorld(lowered(body, 'x86-64', 'unsafe fault').spec);
    const r = bfs(world, {});
    expect(r.verdict).toBe('unsafe');
    expect(r.violation?.kind).toBe('fault');
    expect(r.violation?.message).toMatch(/where no breakpoint handler is armed: a trap nobody handles/);
    const again = replay(world, r.trace, { describe: false });
    expect(again.ok && again.violation?.kind).toBe('fault');
  });
  it('the same INT3 with the handler armed (emulating the old jmp) is safe', () => {
    const r = bfs(new KernelWorld(lowered('  bp_arm tramp, "jmp func_a"\n  store tramp, 1, 0xcc\n  sync_core\n  store tramp, 1, 0xe9\n  sync_core\n  bp_disarm tramp').spec), {});
    expect(r.verdict).toBe('safe');
  });
});

/** An example or seed scenario, lowered. */
function file(path: string, edit: (text: string) => string = (t) => t) {
  const text = edit(readFileSync(new URL(`../../examples/${path}`, import.meta.url), 'utf8'));
  const r = parseAndLower(text, path);
  if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  return r.scenario;
}

describe('seed 004\'s text_poke_late is the breakpoint statements with patch_sync states', () => {
  const byHand = (nmiSync: 'on' | 'off') => file('breakpoints/x86-64-text-poke-late-by-hand.scn',
    (t) => (nmiSync === 'on' ? t : t.replaceAll('handler=wait-and-reexecute', 'handler=wait-and-reexecute nmi_sync=off').replace('expect safe', 'expect unsafe fault')));
  it.each([
    ['on', 'seeds/pvops-stop-machine.scn', 'safe', undefined],
    ['off', 'seeds/pvops-nmi-stale.scn', 'unsafe', 'fault'],
  ] as const)('nmi_sync=%s: the same steps as %s, the same states and transitions, %s', (nmiSync, seed, verdict, kind) => {
    const hand = byHand(nmiSync);
    const lib = file(seed);
    expect(effect(hand.spec.patchers[0].program)).toEqual(effect(lib.spec.patchers[0].program));
    const a = bfs(new KernelWorld(hand.spec), {});
    const b = bfs(new KernelWorld(lib.spec), {});
    expect([a.verdict, a.violation?.kind]).toEqual([verdict, kind]);
    expect([a.stats.states, a.stats.transitions]).toEqual([b.stats.states, b.stats.transitions]);
    if (verdict === 'unsafe') {
      const again = replay(new KernelWorld(hand.spec), a.trace, { describe: false });
      expect(again.ok && again.violation?.kind).toBe(kind);
    }
  });
});

describe('the armed handler is what keeps the hand-written protocols safe', () => {
  // Had the handler never run, emulating a nop instead of the new branch would change nothing.
  it.each([
    ['x86-64-int3-by-hand.scn', '"jmp func_b"', 'fault'],
    ['arm64-brk-by-hand.scn', '"b func_b"', 'fell-through'],
    ['x86-64-int3-emulate-old.scn', '"jmp func_a"', 'fault'],
  ])('%s with the handler emulating a nop: unsafe', (name, insn, kind) => {
    const text = readFileSync(new URL(`../../examples/breakpoints/${name}`, import.meta.url), 'utf8');
    const broken = text.replace(`bp_arm tramp, ${insn}`, 'bp_arm tramp, "nop"');
    expect(broken).not.toBe(text);
    const r = parseAndLower(broken, name);
    if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
    const world = new KernelWorld(r.scenario.spec);
    const result = bfs(world, {});
    expect(result.verdict).toBe('unsafe');
    expect(result.violation?.kind).toBe(kind);
    const again = replay(world, result.trace, { describe: false });
    expect(again.ok && again.violation?.kind).toBe(kind);
  });
});

describe('misuses point into the file', () => {
  it.each([
    ['bp_arm of a site already armed', '  bp_arm tramp, "nop"\n  bp_arm tramp, "nop"', 'PL7200', 1, 10],
    ['text_poke_bp of a site the scenario armed', '  bp_arm tramp, "nop"\n  text_poke_bp tramp, "jmp func_b"', 'PL7200', 1, 3],
    ['bp_disarm of a site never armed', '  bp_disarm tramp2', 'PL7201', 0, 13],
    ['bp_disarm of a site text_poke_bp has disarmed', '  text_poke_bp tramp, "jmp func_b"\n  bp_disarm tramp', 'PL7201', 1, 13],
    ['bp_arm without an instruction', '  bp_arm tramp', 'PL7006', 0, 15],
    ['bp_arm with an unknown handler', '  bp_arm tramp, "nop" handler=magic', 'PL7030', 0, 31],
    ['bp_arm with an option other than handler=', '  bp_arm tramp, "nop" skip_sync', 'PL7006', 0, 23],
    ['bp_arm detouring to an unknown symbol', '  bp_arm tramp, "nop" handler=rax-trampoline:nowhere', 'PL7009', 0, 46],
    ['bp_arm outside every section', '  bp_arm 0x10, "nop"', 'PL7032', 0, 10],
    ['bp_arm of an instruction that does not assemble', '  bp_arm tramp, "jmp"', 'PL7021', 0, 17],
    ['bp_disarm with a second operand', '  bp_disarm tramp, 1', 'PL7006', 0, 18],
    ['bp_disarm without an address', '  bp_disarm', 'PL7006', 0, 12],
    ['nmi_sync without handler=wait-and-reexecute', '  bp_arm tramp, "nop" nmi_sync=off', 'PL7203', 0, 23],
    ['nmi_sync neither on nor off', '  bp_arm tramp, "nop" handler=wait-and-reexecute nmi_sync=maybe', 'PL7006', 0, 59],
    ['text_poke_bp with handler=wait-and-reexecute', '  text_poke_bp tramp, "jmp func_b" handler=wait-and-reexecute', 'PL7030', 0, 44],
    ['patch_sync outside stop_machine', '  patch_sync PATCH_SYNC_0', 'PL7026', 0, 3],
    ['patch_sync without a state', '  patch_sync', 'PL7006', 0, 13],
  ] as const)('%s', (_what, body, code, offset, col) => {
    const r = parseAndLower(scenario(body), 't.scn');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]).toMatchObject({ code, span: { file: 't.scn', line: FIRST() + offset, col } });
  });
  it.each([
    ['a detour through %rax', 'rax-trampoline:func_b'],
    ['a detour that returns with interrupts off', 'sti-trampoline:func_b'],
  ])('%s on arm64', (_what, handler) => {
    const r = parseAndLower(scenario(`  bp_arm tramp, "b func_b" handler=${handler}`, 'arm64'), 't.scn');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]).toMatchObject({ code: 'PL7202', span: { line: FIRST('arm64'), col: 36 } });
  });
});
