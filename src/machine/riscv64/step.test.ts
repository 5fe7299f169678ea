// A riscv64 hart's fetches through the SMP step: not monotonic before its FENCE.I (CoFF), and FENCE.I
// makes it certain of the stores before its last data access (without Ziccid) or before it (with Ziccid).
// The rems-project RISC-V ifetch models allow CoFF, and CoFF+fencei, on Zifencei (and Ziccif) hardware.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../isa/asm/assembler.js';
import { link } from '../../isa/asm/link.js';
import { newCpu } from '../cpu.js';
import { DEFAULT_KNOBS, type FetchKnobs } from '../fetch.js';
import { defaultLayout, loadImage } from '../load.js';
import { withCpu } from '../state.js';
import { fetchOptions, fetchWindowsFor, initialSmp, stepCpu, storePiece, type SmpState } from '../step.js';
import { riscv64Machine } from './index.js';

const ALIAS = 0x4000_0000n;
const SRC = '\t.option norvc\n\t.globl site\nsite:\tli t6, 1\n\t.globl sync\nsync:\tfence.i\n\t.globl other\nother:\tli t5, 1\n' +
  '\t.globl load\nload:\tlw t4, 0(t3)\n';
const ZICCIF: FetchKnobs = { ...DEFAULT_KNOBS, riscvZiccif: true };
const ZICCID: FetchKnobs = { ...DEFAULT_KNOBS, riscvZiccif: true, riscvZiccid: true };

/**
 * Hart 1 at the site, its t3 the site's address (for `load`); the writer has stored over the site (unless
 * `store` is false). `futures`: the instruction words a later store may write at the site (late fetch).
 */
function setup(knobs: FetchKnobs = ZICCIF, store = true, futures?: readonly number[]) {
  const asm = assemble(SRC, riscv64Machine.isa, 'coff.s');
  expect(asm.diagnostics).toEqual([]);
  const { image } = link(asm.object, riscv64Machine.isa, defaultLayout(asm.object));
  const { memory } = loadImage(image, { stacks: 2, stackSize: 0x1000, aliasOffset: ALIAS });
  const site = image.symbols.get('site')!, sync = image.symbols.get('sync')!;
  const n = riscv64Machine.registers.names.length;
  const cpus = [newCpu(n, 0n), newCpu(n, site)];
  cpus[1].regs[28] = site;
  const windows = fetchWindowsFor(riscv64Machine, 2, knobs);
  let s: SmpState = initialSmp({ memory, windows: futures ? windows.withFutures({ sites: [memory.translate(Number(site), 4)!.phys], words: futures }) : windows, cpus });
  if (!store) return { s, site, sync, other: image.symbols.get('other')!, load: image.symbols.get('load')! };
  // The writer stores `li t6, 2` over the site with one aligned 4-byte store (addi t6, zero, 2).
  const next = storePiece(s, riscv64Machine, { address: Number(site + ALIAS), bytes: Uint8Array.of(0x93, 0x0f, 0x20, 0x00) });
  if ('kind' in next) throw new Error('store faulted');
  s = next;
  return { s, site, sync, other: image.symbols.get('other')!, load: image.symbols.get('load')! };
}

/** Then `li t5, 2` over `other`: a second store, after the first in the global order. */
function second(s: SmpState, other: bigint): SmpState {
  const next = storePiece(s, riscv64Machine, { address: Number(other + ALIAS), bytes: Uint8Array.of(0x13, 0x0f, 0x20, 0x00) });
  if ('kind' in next) throw new Error('store faulted');
  return next;
}

const at = (s: SmpState, pc: bigint): SmpState => {
  const machine = { ...s.machine, cpus: s.machine.cpus.slice() };
  withCpu(machine, 1).pc = pc;
  return { ...s, machine };
};
/** The instructions hart 1 may fetch at its pc. */
const values = (s: SmpState, knobs = ZICCIF) => {
  const f = fetchOptions(s, riscv64Machine, 1, knobs);
  return f.kind === 'ok' ? f.options.map((o) => Buffer.from(o.bytes).toString('hex')) : f.kind;
};

describe('riscv64 fetch through the step', () => {
  it('may fetch the old instruction after the new one (CoFF), across a FENCE.I with no data access to anchor it (CoFF+fencei)', () => {
    for (const knobs of [DEFAULT_KNOBS, ZICCIF]) {
      const { s, site, sync, load } = setup(knobs);
      // The window holds the old and the new instruction, oldest first.
      expect(values(s, knobs)).toHaveLength(2);
      // Take the new value (`li t6, 2`), go back to the site: the old value is still offered.
      const took = stepCpu(s, riscv64Machine, 1, 1, knobs).state;
      expect(took.machine.cpus[1].regs[31]).toBe(2n);
      expect(values(at(took, site), knobs)).toHaveLength(2);
      // FENCE.I orders the hart's earlier loads and stores before its later fetches: it has made none since
      // the store, so the old instruction is still offered…
      const fenced = stepCpu(at(took, sync), riscv64Machine, 1, 0, knobs).state;
      expect(values(at(fenced, site), knobs)).toHaveLength(2);
      // …until a load after the store (here of the site itself) and then a FENCE.I: only the new one.
      const loaded = stepCpu(at(fenced, load), riscv64Machine, 1, 0, knobs).state;
      expect(values(at(loaded, site), knobs)).toHaveLength(2);
      const anchored = stepCpu(at(loaded, sync), riscv64Machine, 1, 0, knobs).state;
      expect(values(at(anchored, site), knobs)).toHaveLength(1);
    }
  });

  it('a FENCE.I anchors on the last data access before it, not on stores after that access', () => {
    const { s, site, sync, load, other } = setup();
    // The load comes before the second store: a FENCE.I after both is certain of the first store only.
    const loaded = stepCpu(at(s, load), riscv64Machine, 1, 0, ZICCIF).state;
    const fenced = stepCpu(at(second(loaded, other), sync), riscv64Machine, 1, 0, ZICCIF).state;
    expect(values(at(fenced, other))).toHaveLength(2);
    expect(values(at(fenced, site))).toHaveLength(1);
  });

  it('under riscv.ziccid FENCE.I makes the hart certain of every store before it, data access or not', () => {
    const { s, site, sync } = setup(ZICCID);
    const fenced = stepCpu(at(s, sync), riscv64Machine, 1, 0, ZICCID).state;
    expect(values(at(fenced, site), ZICCID)).toHaveLength(1);
  });

  const ziccid = ZICCID;

  it('under riscv.ziccid never fetches the old instruction after the new one (CoFF forbidden)', () => {
    const { s, site } = setup(ZICCID);
    const took = stepCpu(s, riscv64Machine, 1, 1, ziccid).state;
    expect(values(at(took, site), ziccid)).toHaveLength(1);
  });

  it('under riscv.ziccid fetches follow the order of the stores across sites (MP.FF forbidden; allowed without)', () => {
    for (const [knobs, after] of [[ziccid, 1], [ZICCIF, 2]] as const) {
      const { s, site, other } = setup(knobs);
      // The hart fetches the second store's new instruction first…
      const took = stepCpu(at(second(s, other), other), riscv64Machine, 1, 1, knobs).state;
      expect(took.machine.cpus[1].regs[30]).toBe(2n);
      // …then the first site: under Ziccid only its new instruction, without it the old one too.
      expect(values(at(took, site), knobs)).toHaveLength(after);
    }
  });

  /** `li t6, 2` and `lw t6, 0(t3)`, as words. */
  const LI2 = 0x00200f93, LW = 0x000e2f83;
  const write = (s: SmpState, at: bigint, word: number): SmpState => {
    const next = storePiece(s, riscv64Machine, { address: Number(at + ALIAS), bytes: Uint8Array.of(word & 0xff, (word >> 8) & 0xff, (word >> 16) & 0xff, word >>> 24) });
    if ('kind' in next) throw new Error('store faulted');
    return next;
  };

  it('without Ziccid may fetch, as a promise, an instruction with no access of its own that a later store writes (late fetch)', () => {
    for (const knobs of [DEFAULT_KNOBS, ZICCIF]) {
      const { s, site } = setup(knobs, false, [LI2, LW]);
      // Nothing stored yet: the old `li t6, 1`, and `li t6, 2` as a promise; not the load (its fetch comes
      // before its own access, so it cannot read a store that comes later).
      const f = fetchOptions(s, riscv64Machine, 1, knobs);
      expect(f.kind === 'ok' && f.options.map((o) => [Buffer.from(o.bytes).toString('hex'), (o.promises ?? []).length])).toEqual(
        [['930f1000', 0], ['930f2000', 1]]);
      const late = stepCpu(s, riscv64Machine, 1, 1, knobs).state;
      expect(late.machine.cpus[1].regs[31]).toBe(2n);
      expect(late.machine.windows.promises).toHaveLength(1);
      // A store of another value keeps no promise; one of `li t6, 2` keeps it.
      expect(write(late, site, LW).machine.windows.promises).toHaveLength(1);
      expect(write(late, site, LI2).machine.windows.promises).toHaveLength(0);
    }
  });

  it('under riscv.ziccid fetches nothing late: fetches are in program order, each before its instruction\'s accesses', () => {
    const { s } = setup(ZICCID, false, [LI2]);
    expect(values(s, ZICCID)).toEqual(['930f1000']);
  });
});
