// The kernel's side of modules, static_call_cond and static_call_query, on a hand-built world: sections
// unmapped until a map op, fresh text closing every window, the patcher's store into unmapped text, the
// NULL rule of plain vs cond calls, and the func word a query reads.

import { describe, expect, it } from 'vitest';
import { assemble } from '../isa/asm/assembler.js';
import { link } from '../isa/asm/link.js';
import { isaFor } from '../isa/registry.js';
import { defaultLayout } from '../machine/load.js';
import { DEFAULT_KNOBS } from '../machine/fetch.js';
import type { WorldAction } from './actions.js';
import { onePatcher, type KernelOp, type TaskOp, type WorldSpec } from './spec.js';
import type { WorldState } from './state.js';
import { KernelWorld } from './world.js';

const SOURCE = `
        .text
func_a: lea 1(%rdi), %rax
        ret
        .size func_a, .-func_a
tramp:  ret
        .size tramp, .-tramp
        .section .text.m, "ax"
m_fn:   lea 5(%rdi), %rax
        ret
        .size m_fn, .-m_fn
        .data
word:   .quad 0
`;

function world(program: TaskOp[], patcher: KernelOp[], keyInitial: 'NULL' | 'func_a' = 'NULL', funcWord = false): KernelWorld {
  const isa = isaFor('x86-64');
  const { object, diagnostics } = assemble(SOURCE, isa);
  expect(diagnostics).toEqual([]);
  const { image, errors } = link(object, isa, defaultLayout(object));
  expect(errors).toEqual([]);
  const spec: WorldSpec = {
    arch: 'x86-64', knobs: DEFAULT_KNOBS, image,
    objects: [['func_a', 6n], ['tramp', 1n], ['m_fn', 5n]].map(([n, size]) => ({ name: n as string, start: image.symbols.get(n as string)!, end: image.symbols.get(n as string)! + (size as bigint) })),
    aliasOffset: 0x4000_0000n, tasks: [{ name: 'T1', program }], nmiProgram: [], irqProgram: [],
    keys: [{ name: 'sc', initial: keyInitial, targets: [keyInitial, keyInitial === 'NULL' ? 'func_a' : 'NULL'], ...(funcWord ? { funcAddress: image.symbols.get('word') } : {}) }],
    modules: [{ name: 'm', sections: ['.text.m'], init: [] }],
    patchers: onePatcher(patcher), bounds: { cpus: 2, interrupts: 0, preemptions: 0, nmis: 0 },
  };
  return new KernelWorld(spec);
}

/** Run one schedule: always the first enabled action of `prefer` kinds, in order, else the first. */
function run(w: KernelWorld, prefer: WorldAction['kind'][] = []): WorldState {
  let s = w.initial();
  for (let i = 0; i < 500 && !s.violation; i++) {
    const acts = w.actions(s);
    if (acts.length === 0) break;
    s = w.next(s, prefer.map((k) => acts.find((a) => a.kind === k)).find((a) => a) ?? acts[0]);
  }
  return s;
}

const map = (regions: string[], on: boolean): KernelOp => ({ op: 'map', regions, on, step: on ? 'map' : 'unmap' });
const call = (entry: string, extra: Partial<TaskOp & { op: 'call' }> = {}): TaskOp => ({ op: 'call', entry, args: [1n], ...extra });

describe('modules in the kernel', () => {
  it('a module section is unmapped until a map op; a call there faults', () => {
    const s = run(world([call('m_fn')], []));
    expect(s.smp.machine.memory.isMapped('.text.m')).toBe(false);
    expect(s.violation?.kind).toBe('fault');
  });

  it('wait-module holds a task until the module text is mapped; then the call runs', () => {
    const w = world([{ op: 'wait-module', module: 'm' }, call('m_fn', { expect: 6n })], [map(['.text.m@alias'], true), map(['.text.m'], true)]);
    const s = run(w, ['step', 'harness']);
    expect(s.violation).toBeUndefined();
    expect(s.tasks[0].done).toBe(true);
  });

  it('the patcher stores into module text through its alias before the text is mapped; mapping closes every window', () => {
    const w = world([], [map(['.text.m@alias'], true), { op: 'store', address: 0n, bytes: Uint8Array.of(0xc3), step: 'store' }, map(['.text.m'], true)]);
    const at = w.spec.image.symbols.get('m_fn')!;
    const spec = { ...w.spec, patchers: onePatcher(w.spec.patchers[0].program.map((o) => (o.op === 'store' ? { ...o, address: at } : o))) };
    const s = run(new KernelWorld(spec));
    expect(s.violation).toBeUndefined();
    expect(s.smp.machine.windows.openUnits()).toEqual([]);
    expect(s.smp.machine.memory.readPhys(s.smp.machine.memory.translate(Number(at), 1)!.phys)).toBe(0xc3);
  });

  it('a store into text that is unmapped again faults, naming the section', () => {
    const w = world([], [map(['.text.m', '.text.m@alias'], true), map(['.text.m', '.text.m@alias'], false), { op: 'store', address: 0n, bytes: Uint8Array.of(0xc3), step: 'store' }]);
    const at = w.spec.image.symbols.get('m_fn')!;
    const s = run(new KernelWorld({ ...w.spec, patchers: onePatcher(w.spec.patchers[0].program.map((o) => (o.op === 'store' ? { ...o, address: at } : o))) }));
    expect(s.violation?.kind).toBe('fault');
    expect(s.violation?.message).toMatch(/section \.text\.m is not mapped/);
  });
});

describe('static_call_cond and static_call_query in the harness', () => {
  it('a call through a NULL key that runs no function: wrong-target for a plain call, fine for a cond call', () => {
    expect(run(world([call('tramp', { key: 'sc' })], [])).violation?.message).toMatch(/static_call\(\) of a NULL target/);
    expect(run(world([call('tramp', { key: 'sc', cond: true })], [])).violation).toBeUndefined();
  });

  it('a query reads the func word update-begin writes, as its own harness transition', () => {
    const update: KernelOp[] = [{ op: 'update-begin', key: 'sc', target: 'NULL', step: 'begin' }, { op: 'update-end', key: 'sc', step: 'end' }];
    const query = (expect: 'NULL' | 'func_a'): TaskOp[] => [{ op: 'wait-update', key: 'sc', count: 1 }, { op: 'query', key: 'sc', expect }];
    const ok = run(world(query('NULL'), update, 'func_a', true), ['patcher']);
    expect(ok.violation).toBeUndefined();
    expect(ok.tasks[0].done).toBe(true);
    const bad = run(world(query('func_a'), update, 'func_a', true), ['patcher']);
    expect(bad.violation?.message).toMatch(/static_call_query\(sc\) returned NULL, expected func_a/);
    // Before any update the word holds the initial target.
    const w = world([{ op: 'query', key: 'sc', expect: 'func_a' }], [], 'func_a', true);
    expect(run(w, ['harness']).violation).toBeUndefined();
  });
});
