// SMP steps on ppc32: a patch store opens other CPUs' windows; the writer's maintenance or their own isync closes them.
import { describe, expect, it } from 'vitest';
import { u32Bytes } from '../base/bits.js';
import { assemble } from '../isa/asm/assembler.js';
import { link } from '../isa/asm/link.js';
import { arm64Isa } from '../isa/arm64/index.js';
import { ppc32Isa } from '../isa/ppc/index.js';
import { arm64Machine } from './arm64/index.js';
import { newCpu } from './cpu.js';
import { DEFAULT_KNOBS, type FetchKnobs } from './fetch.js';
import { FetchWindows } from './fetch-window.js';
import { defaultLayout, loadImage } from './load.js';
import { ppc32Machine } from './ppc/index.js';
import { withCpu } from './state.js';
import { fetchOptions, fingerprintSmp, initialSmp, maintenanceStep, stepCpu, storePiece, type MaintenanceEvent, type SmpState } from './step.js';

const SRC = `
	.globl tramp
tramp:	blr
	.globl target
target:	li 3, 7
	blr
	# The writer's half of patch_instruction: r3 holds the patched address.
	.globl writer
writer:	dcbst 0, 3
	sync
	icbi 0, 3
	sync
	blr
	.globl resync
resync:	isync
	blr
`;
const ALIAS = 0x4000_0000n;

function setup(): { s: SmpState; sym: (n: string) => bigint } {
  const asm = assemble(SRC, ppc32Isa, 'step.s');
  expect(asm.diagnostics).toEqual([]);
  const { image } = link(asm.object, ppc32Isa, defaultLayout(asm.object));
  const { memory } = loadImage(image, { stacks: 2, stackSize: 0x1000, aliasOffset: ALIAS });
  const sym = (n: string) => image.symbols.get(n)!;
  const cpus = [newCpu(ppc32Machine.registers.names.length, sym('writer')), newCpu(ppc32Machine.registers.names.length, sym('tramp'))];
  cpus[0].regs[3] = sym('tramp');
  return { s: initialSmp({ memory, windows: FetchWindows.create(4, 2), cpus }), sym };
}

/** Patch `tramp` from `blr` to `b target` with one atomic word store through the alias. */
function patch(s: SmpState, sym: (n: string) => bigint): SmpState {
  const word = (0x48000000 | Number(sym('target') - sym('tramp'))) >>> 0;
  const next = storePiece(s, ppc32Machine, { address: Number(sym('tramp') + ALIAS), bytes: u32Bytes(word, 'big') });
  if ('kind' in next) throw new Error('store faulted');
  return next;
}

/** A copy of `s` with CPU `cpu` at `pc`. */
function withPc(s: SmpState, cpu: number, pc: bigint): SmpState {
  const machine = { ...s.machine, memory: s.machine.memory.clone(), windows: s.machine.windows.clone(), cpus: s.machine.cpus.slice() };
  withCpu(machine, cpu).pc = pc;
  return { ...s, machine };
}

const knobs = (k: Partial<FetchKnobs>): FetchKnobs => ({ ...DEFAULT_KNOBS, ...k });

/** How many values CPU 1 may fetch at its pc (or why it may not fetch). */
const choices = (s: SmpState, k: FetchKnobs): number | string => {
  const f = fetchOptions(s, ppc32Machine, 1, k);
  return f.kind === 'ok' ? f.options.length : f.kind;
};

describe('SMP steps', () => {
  it('leaves the state it was given untouched, CPUs included', () => {
    const { s, sym } = setup();
    const before = fingerprintSmp(s).digest();
    const cpu1 = { ...s.machine.cpus[1], regs: s.machine.cpus[1].regs.slice() };
    const p = patch(s, sym);
    stepCpu(p, ppc32Machine, 1, 0, knobs({ powerWordAtomicFetch: true }));
    expect(fingerprintSmp(s).digest()).toBe(before);
    expect(s.machine.cpus[1]).toEqual(cpu1);
  });

  it('gives equal states equal fingerprints however they were reached', () => {
    const { s, sym } = setup();
    const k = knobs({ powerWordAtomicFetch: true });
    // CPU 1 runs the old `blr`… then, once the window is closed by the writer, both orders meet.
    let a = patch(s, sym);
    for (let i = 0; i < 4; i++) a = stepCpu(a, ppc32Machine, 0, 0, k).state;
    let b = s;
    for (let i = 0; i < 4; i++) b = stepCpu(b, ppc32Machine, 0, 0, k).state;
    b = patch(b, sym);
    expect(fingerprintSmp(a).digest()).not.toBe(fingerprintSmp(b).digest()); // b's window is still open
    b = stepCpu(withPc(b, 0, sym('writer')), ppc32Machine, 0, 0, k).state;
    for (let i = 0; i < 3; i++) b = stepCpu(b, ppc32Machine, 0, 0, k).state;
    a = stepCpu(withPc(a, 0, sym('writer')), ppc32Machine, 0, 0, k).state;
    for (let i = 0; i < 3; i++) a = stepCpu(a, ppc32Machine, 0, 0, k).state;
    expect(fingerprintSmp(a).digest()).toBe(fingerprintSmp(b).digest());
  });

  it('blr → b under a running CPU is unpredictable on Power, old-or-new with power.wordAtomicFetch', () => {
    const { s, sym } = setup();
    const p = patch(s, sym);
    expect(fetchOptions(p, ppc32Machine, 1).kind).toBe('unpredictable');
    const f = fetchOptions(p, ppc32Machine, 1, knobs({ powerWordAtomicFetch: true }));
    expect(f.kind === 'ok' && f.options.map((o) => ppc32Isa.print(ppc32Isa.decode(o.bytes, 0)!, sym('tramp')).mnemonic)).toEqual(['blr', 'b']);
  });

  it('closes the window everywhere once the writer’s dcbst; sync; icbi; sync completes — not before', () => {
    const { s, sym } = setup();
    let p = patch(s, sym);
    const k = knobs({ powerWordAtomicFetch: true });
    for (let i = 0; i < 3; i++) {
      p = stepCpu(p, ppc32Machine, 0, 0, k).state; // dcbst, sync, icbi: not complete yet
      expect(choices(p, k)).toBe(2);
    }
    p = stepCpu(p, ppc32Machine, 0, 0, k).state; // the second sync completes the invalidate
    const f = fetchOptions(p, ppc32Machine, 1, k);
    expect(f.kind === 'ok' && f.options.length).toBe(1);
    expect(p.machine.windows.openUnits()).toEqual([]);
  });

  it('under strictFetch the writer’s maintenance alone does not make another CPU certain; its own isync does', () => {
    const { s, sym } = setup();
    const k = knobs({ powerWordAtomicFetch: true, strictFetch: true });
    let p = patch(s, sym);
    for (let i = 0; i < 4; i++) p = stepCpu(p, ppc32Machine, 0, 0, k).state;
    expect(choices(p, k)).toBe(2);
    withCpu(p.machine, 1).pc = sym('resync');
    p = stepCpu(p, ppc32Machine, 1, 0, k).state; // isync on CPU 1
    withCpu(p.machine, 1).pc = sym('tramp');
    expect(choices(p, k)).toBe(1);
  });

  it('under strictFetch an isync without the writer’s maintenance does not make a CPU certain', () => {
    const { s, sym } = setup();
    const k = knobs({ powerWordAtomicFetch: true, strictFetch: true });
    let p = patch(s, sym);
    withCpu(p.machine, 1).pc = sym('resync');
    p = stepCpu(p, ppc32Machine, 1, 0, k).state; // isync on CPU 1, no dcbst/icbi by the writer
    withCpu(p.machine, 1).pc = sym('tramp');
    expect(choices(p, k)).toBe(2);
    // …while by default (MODEL.md's rule) the same isync is enough.
    let q = patch(s, sym);
    withCpu(q.machine, 1).pc = sym('resync');
    q = stepCpu(q, ppc32Machine, 1, 0, knobs({ powerWordAtomicFetch: true })).state;
    withCpu(q.machine, 1).pc = sym('tramp');
    expect(choices(q, knobs({ powerWordAtomicFetch: true }))).toBe(1);
  });

  it('follows the chosen fetch option and never offers the older value again (monotonic)', () => {
    const { s, sym } = setup();
    const k = knobs({ powerWordAtomicFetch: true });
    const p = stepCpu(patch(s, sym), ppc32Machine, 1, 1, k).state; // CPU 1 takes the new `b target`
    expect(p.machine.cpus[1].pc).toBe(sym('target'));
    withCpu(p.machine, 1).pc = sym('tramp');
    expect(choices(p, k)).toBe(1);
  });
});

describe('maintenance by a CPU that fetches nothing (the patcher\'s own steps)', () => {
  const k = knobs({ powerWordAtomicFetch: true });
  /** What the writer's `dcbst 0,3; sync; icbi 0,3; sync` does, as events (r3 = tramp). */
  const events = (tramp: bigint): MaintenanceEvent[] => [
    { kind: 'cache', op: 'clean', address: tramp }, { kind: 'barrier', what: 'sync' },
    { kind: 'cache', op: 'invalidate-icache', address: tramp }, { kind: 'barrier', what: 'sync' },
  ];

  it('changes windows and maintenance exactly as executing the same instructions does, step by step', () => {
    const { s, sym } = setup();
    let executed = patch(s, sym);
    let stepped = executed;
    for (const e of events(sym('tramp'))) {
      executed = stepCpu(executed, ppc32Machine, 0, 0, k).state;
      stepped = maintenanceStep(stepped, ppc32Machine, 0, e, k);
      expect(stepped.maintenance).toEqual(executed.maintenance);
      expect(stepped.cleanUnits).toEqual(executed.cleanUnits);
      expect(stepped.machine.windows.openUnits()).toEqual(executed.machine.windows.openUnits());
      expect(choices(stepped, k)).toBe(choices(executed, k));
    }
    expect(stepped.machine.windows.openUnits()).toEqual([]);
  });

  it('leaves the state it was given untouched, and without icbi never closes the window', () => {
    const { s, sym } = setup();
    const p = patch(s, sym);
    const before = fingerprintSmp(p).digest();
    let q = p;
    for (const e of events(sym('tramp')).filter((e) => !(e.kind === 'cache' && e.op === 'invalidate-icache'))) q = maintenanceStep(q, ppc32Machine, 0, e, k);
    expect(fingerprintSmp(p).digest()).toBe(before);
    expect(choices(q, k)).toBe(2);
    // CPU 0's own context synchronization changes only CPU 0's view.
    q = maintenanceStep(q, ppc32Machine, 0, { kind: 'sync', what: 'context-sync' }, k);
    expect(choices(q, k)).toBe(2);
  });
});

describe('the step\'s data bus carries the cache type', () => {
  it.each([
    [{}, 0x8444_c004n], [{ arm64Idc: true }, 0x9444_c004n], [{ arm64Idc: true, arm64Dic: true }, 0xb444_c004n],
  ] as const)('arm64 mrs ctr_el0 under %o reads %s', (k, value) => {
    const asm = assemble('\t.globl f\nf:\tmrs x0, ctr_el0\n', arm64Isa, 'ctr.s');
    expect(asm.diagnostics).toEqual([]);
    const { image } = link(asm.object, arm64Isa, defaultLayout(asm.object));
    const { memory } = loadImage(image, { stacks: 1, stackSize: 0x1000, aliasOffset: ALIAS });
    const s = initialSmp({ memory, windows: FetchWindows.create(4, 1), cpus: [newCpu(arm64Machine.registers.names.length, image.symbols.get('f')!)] });
    const r = stepCpu(s, arm64Machine, 0, 0, knobs(k));
    expect(r.event.kind).toBe('executed');
    expect(r.state.machine.cpus[0].regs[0]).toBe(value);
  });
});
