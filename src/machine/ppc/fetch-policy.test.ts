// Power's concurrent-modification rule (MODEL.md section 3) through fetchInstruction, on both byte orders.
import { describe, expect, it } from 'vitest';
import type { PpcInsn } from '../../isa/ppc/table.js';
import { DEFAULT_KNOBS, fetchInstruction, packUnit, type FetchKnobs } from '../fetch.js';
import { FetchWindows } from '../fetch-window.js';
import { Memory } from '../memory.js';
import { ppc32Machine, ppc64Machine } from './index.js';

const TEXT = 0x1000;
const SITE = 0x1100;
const WORD_ATOMIC: FetchKnobs = { ...DEFAULT_KNOBS, powerWordAtomicFetch: true };

const BLR: PpcInsn = { op: 'bclr', bo: 20, bi: 0, bh: 0 };
const B_FWD: PpcInsn = { op: 'b', li: 0x40 };
/** Another `b` whose two halfwords both differ from B_FWD's: any mix of their halves is a `b` too. */
const B_FAR: PpcInsn = { op: 'b', li: 0x12340 };
const NOP: PpcInsn = { op: 'nop' };
const ORI_NOT_NOP: PpcInsn = { op: 'ori', ra: 1, rs: 1, ui: 0 };

describe.each([['ppc32', ppc32Machine], ['ppc64', ppc64Machine]] as const)('%s instruction fetch', (_, machine) => {
  const bytes = (insn: PpcInsn) => machine.isa.encode(insn);

  /** Two CPUs; the word at SITE holds `from`, then each store in `pieces` writes [offset, bytes] of `to`. */
  function patched(from: PpcInsn, to: PpcInsn, pieces: readonly (readonly [number, number])[] = [[0, 4]]) {
    const memory = Memory.create([
      { name: 'text', kind: 'text', base: TEXT, size: 0x1000, phys: 0, perms: { read: true, write: false, exec: true } },
    ], 0x1000);
    const windows = FetchWindows.create(4, 2);
    const phys = SITE - TEXT;
    memory.writePhys(phys, bytes(from));
    const target = bytes(to);
    for (const [offset, length] of pieces) {
      const before = packUnit(memory.readPhysBytes(phys, 4), 0, 4);
      memory.writePhys(phys + offset, target.subarray(offset, offset + length));
      windows.recordStore(phys, before, packUnit(memory.readPhysBytes(phys, 4), 0, 4), length === 4);
    }
    const fetch = (cpu: number, knobs: FetchKnobs = DEFAULT_KNOBS) => fetchInstruction(memory, windows, cpu, SITE, machine.fetchPolicy, knobs);
    const seen = (cpu: number, knobs?: FetchKnobs) => {
      const r = fetch(cpu, knobs);
      return r.kind === 'ok' ? r.options.map((o) => machine.isa.decode(o.bytes, 0)) : r.kind;
    };
    return { windows, phys, fetch, seen };
  }

  it('makes blr → b unpredictable: blr is not in the patch class', () => {
    expect(patched(BLR, B_FWD).seen(0)).toBe('unpredictable');
  });

  it('fetches blr → b old-or-new under power.wordAtomicFetch', () => {
    expect(patched(BLR, B_FWD).seen(0, WORD_ATOMIC)).toEqual([BLR, B_FWD]);
  });

  it('fetches b → nop old-or-new without the knob: both are in the patch class', () => {
    expect(patched(B_FWD, NOP).seen(0)).toEqual([B_FWD, NOP]);
    expect(patched(NOP, B_FAR).seen(1)).toEqual([NOP, B_FAR]);
  });

  it('counts only the preferred no-op ori 0,0,0 as a nop', () => {
    expect(patched(ORI_NOT_NOP, B_FWD).seen(0)).toBe('unpredictable');
  });

  it('makes a word written as two 2-byte halves unpredictable, even between b and b, even with the knob', () => {
    const p = patched(B_FWD, B_FAR, [[0, 2], [2, 2]]);
    const r = p.fetch(0);
    expect(r.kind).toBe('unpredictable');
    // every value in the window is a `b`: only the split store makes it undefined
    if (r.kind === 'unpredictable') expect(r.values.map((v) => machine.isa.decode(v, 0)?.op)).toEqual(['b', 'b', 'b']);
    expect(p.seen(0, WORD_ATOMIC)).toBe('unpredictable');
  });

  it('sees only the new value after the writer\'s maintenance (closeEverywhere)', () => {
    const p = patched(BLR, B_FWD);
    p.windows.closeEverywhere(p.phys);
    expect(p.seen(0)).toEqual([B_FWD]);
    expect(p.seen(1)).toEqual([B_FWD]);
  });

  it('sees only the new value on a CPU that context-synchronized; the other still has both', () => {
    const p = patched(B_FWD, NOP);
    p.windows.synchronize(0);
    expect(p.seen(0)).toEqual([NOP]);
    expect(p.seen(1)).toEqual([B_FWD, NOP]);
  });

  it('gives an instruction length only to words that decode', () => {
    expect(machine.fetchPolicy.length(bytes(NOP))).toBe(4);
    expect(machine.fetchPolicy.length(new Uint8Array(4))).toBeUndefined();
    expect(machine.fetchPolicy).toMatchObject({ unit: 4, maxLength: 4, endian: machine.isa.endian });
  });
});
