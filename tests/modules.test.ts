// Modules loaded and unloaded with their init sections, static_call_cond sites and static_call_query:
// the examples under examples/modules checked (verdict, kind, replay), and small scenarios for each rule.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import { replay } from '../src/checker/replay.js';
import type { KernelOp } from '../src/kernel/spec.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';

const MODULES = join(import.meta.dirname, '..', 'examples', 'modules');

function lower(text: string, file = 'test.scn') {
  const r = parseAndLower(text, file);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  return r.scenario;
}

function check(text: string, file = 'test.scn', reductions = true) {
  const scenario = lower(text, file);
  const world = new KernelWorld(scenario.spec);
  const result = bfs(world, { por: reductions, symmetry: reductions, collapse: reductions, maxStates: 1_000_000 });
  return { world, result, expected: scenario.expect, spec: scenario.spec };
}

describe('examples/modules', () => {
  const files = readdirSync(MODULES).filter((f) => f.endsWith('.scn')).sort();
  it('has the module scenario and its broken variant', () => {
    expect(files).toEqual(['x86-64-module-init-patched.scn', 'x86-64-module.scn']);
  });
  it.each(files)('%s: verdict and kind as the file says; the trace replays; reductions change nothing', (file) => {
    const text = readFileSync(join(MODULES, file), 'utf8');
    const on = check(text, file);
    expect(on.result.verdict, on.result.violation?.message).toBe(on.expected.verdict);
    if (on.expected.verdict === 'unsafe') {
      const kind = on.result.violation!.kind;
      expect(on.expected.kinds).toContain(kind);
      const again = replay(on.world, on.result.trace, { describe: false });
      expect(again.ok && again.violation?.kind).toBe(kind);
    }
    const off = check(text, file, false);
    expect(off.result.verdict).toBe(on.result.verdict);
    expect(off.result.violation?.kind).toBe(on.result.violation?.kind);
  }, 120_000);

  it('the broken variant faults on the patcher\'s store into freed init text, and says so', () => {
    const on = check(readFileSync(join(MODULES, 'x86-64-module-init-patched.scn'), 'utf8'));
    expect(on.result.violation?.message).toMatch(/patcher's store to 0x[0-9a-f]+ faulted: unmapped \(section \.init\.text\.m is not mapped/);
  });

  it('each update patches exactly the sites that exist then: kernel and module, then without init, then kernel only', () => {
    const { spec } = check(readFileSync(join(MODULES, 'x86-64-module.scn'), 'utf8'));
    const sym = (n: string) => spec.image.symbols.get(n)!;
    const batches: bigint[][] = [];
    for (const op of spec.patchers[0].program) {
      if (op.op === 'update-begin') batches.push([]);
      if (op.op === 'bp-arm') batches.at(-1)!.push(op.address);
    }
    // The first is static_call_init at boot (no pokes: the early path).
    expect(batches.slice(1)).toEqual([
      [sym('__SCT__sc'), sym('caller'), sym('m_caller'), sym('m_init')],
      [sym('__SCT__sc'), sym('caller'), sym('m_caller')],
      [sym('__SCT__sc'), sym('caller')],
    ]);
    const load = spec.patchers[0].program.filter((op) => op.step.startsWith('module_load m 2/3'));
    expect(load.length).toBeGreaterThan(0);
    expect(load.every((op) => op.op === 'store')).toBe(true);
  });
});

const MODULE_CODE = `
code
        .text
        .globl func_a, func_b
func_a: lea 1(%rdi), %rax
        ret
        .size func_a, .-func_a
func_b: lea 2(%rdi), %rax
        ret
        .size func_b, .-func_b
        .section .text.m, "ax"
m_caller:
        call __SCT__sc
        ret
        .size m_caller, .-m_caller
        .section .data.m, "aw"
m_data: .quad 0
end
static_call sc = func_a inline
module m .text.m .data.m
`;

const moduleScenario = (task: string, patcher: string, expect = 'safe') =>
  `scenario t\narch x86-64\nbounds cpus=2\nexpect ${expect}\n${MODULE_CODE}\ntask T1\n${task}\nend\npatcher\n${patcher}\nend\n`;

describe('modules in the kernel world', () => {
  it('a task calling into a module before it is loaded faults', () => {
    const r = check(moduleScenario('    call m_caller(1) key=sc', '    module_load m', 'unsafe fault'));
    expect(r.result.verdict).toBe('unsafe');
    expect(r.result.violation?.kind).toBe('fault');
  });

  it('a task calling into an unloaded module faults', () => {
    const r = check(moduleScenario('    wait_module m\n    call m_caller(1) key=sc\n    wait_update sc 1\n    call m_caller(1) key=sc',
      '    module_load m\n    wait_calls T1 1\n    module_unload m\n    static_call_update sc, func_b', 'unsafe fault'));
    expect(r.result.violation?.kind).toBe('fault');
    expect(r.result.violation?.message).toMatch(/T1/);
  });

  it('a module loaded after an update runs the current target; a task waiting for it is safe', () => {
    const r = check(moduleScenario('    wait_module m\n    call m_caller(1) key=sc expect=3',
      '    static_call_update sc, func_b\n    module_load m'));
    expect(r.result.verdict, r.result.violation?.message).toBe('safe');
  });

  it('the sections start unmapped and map in the order of the load, in the memory fingerprint', () => {
    const { world, spec } = check(moduleScenario('    wait_module m', '    module_load m\n    module_unload m'));
    const s0 = world.initial();
    expect(s0.smp.machine.memory.isMapped('.text.m')).toBe(false);
    expect(s0.smp.machine.memory.isMapped('.data.m')).toBe(false);
    const maps = spec.patchers[0].program.filter((o): o is Extract<KernelOp, { op: 'map' }> => o.op === 'map');
    expect(maps.map((m) => [m.on, [...m.regions]])).toEqual([
      [true, ['.text.m@alias', '.data.m']],
      [true, ['.text.m']],
      [false, ['.text.m', '.text.m@alias', '.data.m']],
    ]);
  });
});

const COND_CODE = (initial: string) => `
code
        .text
        .globl func_a
func_a: lea 1(%rdi), %rax
        ret
        .size func_a, .-func_a
caller: call __SCT__sc
        ret
        .size caller, .-caller
end
static_call sc = ${initial} inline
`;

describe('static_call_cond', () => {
  const scenario = (initial: string, call: string, expect: string, patcher = '') =>
    `scenario t\narch x86-64\nbounds cpus=2\nexpect ${expect}\n${COND_CODE(initial)}\ntask T1\n    ${call}\nend\npatcher\n${patcher}\nend\n`;

  it('a call_cond through a NULL key runs no function: fine', () => {
    expect(check(scenario('NULL', 'call_cond caller(1) key=sc', 'safe')).result.verdict).toBe('safe');
  });

  it('a plain call through a NULL key is wrong-target: static_call() of NULL is not allowed', () => {
    const r = check(scenario('NULL', 'call caller(1) key=sc', 'unsafe wrong-target'));
    expect(r.result.violation?.kind).toBe('wrong-target');
    expect(r.result.violation?.message).toMatch(/static_call\(\) of a NULL target/);
  });

  it('a plain call racing an update from NULL may run no function: wrong-target; call_cond: safe', () => {
    const update = '    static_call_update sc, func_a';
    expect(check(scenario('NULL', 'call caller(1) key=sc', 'unsafe', update)).result.violation?.kind).toBe('wrong-target');
    expect(check(scenario('NULL', 'call_cond caller(1) key=sc', 'safe', update)).result.verdict).toBe('safe');
  });
});

describe('static_call_query', () => {
  const scenario = (task: string, expect: string) =>
    `scenario t\narch x86-64\nbounds cpus=2\nexpect ${expect}\n${COND_CODE('func_a')}\ntask T1\n${task}\nend\npatcher\n    static_call_update sc, NULL\nend\n`;

  it('after the update returned, the query gives the new target', () => {
    const r = check(scenario('    wait_update sc 1\n    query sc expect=NULL', 'safe'));
    expect(r.result.verdict, r.result.violation?.message).toBe('safe');
  });

  it('racing the update, it may give either: expecting the old one is wrong-target', () => {
    const r = check(scenario('    query sc expect=func_a', 'unsafe wrong-target'));
    expect(r.result.violation?.kind).toBe('wrong-target');
    expect(r.result.violation?.message).toMatch(/static_call_query\(sc\) returned NULL, expected func_a/);
  });

  it('a query without expect only checks that the value is a valid target', () => {
    expect(check(scenario('    query sc\n    query sc', 'safe')).result.verdict).toBe('safe');
  });

  it('the key gets a func word in data, written when an update begins', () => {
    const { spec } = check(scenario('    query sc', 'safe'));
    expect(spec.keys[0].funcAddress).toBe(spec.image.symbols.get('__SCK__sc'));
  });
});
