// Arm's concurrent-modification rule and the fetch windows (MODEL.md section 3) through fetchInstruction.
import { describe, expect, it } from 'vitest';
import { assemble, textBytes } from '../../isa/asm/assembler.js';
import { arm64Isa, type Arm64Insn } from '../../isa/arm64/index.js';
import { DEFAULT_KNOBS, fetchInstruction, packUnit, type FetchKnobs } from '../fetch.js';
import { FetchWindows } from '../fetch-window.js';
import { Memory } from '../memory.js';
import { arm64FetchPolicy } from './fetch-policy.js';

const TEXT = 0x1000;
const SITE = 0x1100;
const STRICT: FetchKnobs = { ...DEFAULT_KNOBS, strictFetch: true };

/** One instruction's bytes, assembled at SITE's offset so that `b .+N` means SITE + N. */
function bytes(src: string): Uint8Array {
  const asm = assemble(src + '\n', arm64Isa, 'site.s');
  expect(asm.diagnostics).toEqual([]);
  return textBytes(asm.object).slice(0, 4);
}

const show = (insn: Arm64Insn | undefined) => JSON.stringify(insn);

/**
 * Two CPUs; the word at SITE holds `versions[0]`, then each later version is stored over it, as
 * [offset, length] pieces of the new word (one whole 4-byte store unless said otherwise).
 */
function patched(versions: readonly string[], pieces: readonly (readonly [number, number])[] = [[0, 4]]) {
  const memory = Memory.create([
    { name: 'text', kind: 'text', base: TEXT, size: 0x1000, phys: 0, perms: { read: true, write: false, exec: true } },
  ], 0x1000);
  const windows = FetchWindows.create(4, 2);
  const phys = SITE - TEXT;
  memory.writePhys(phys, bytes(versions[0]));
  for (const v of versions.slice(1)) {
    const target = bytes(v);
    for (const [offset, length] of pieces) {
      const before = packUnit(memory.readPhysBytes(phys, 4), 0, 4);
      memory.writePhys(phys + offset, target.subarray(offset, offset + length));
      windows.recordStore(phys, before, packUnit(memory.readPhysBytes(phys, 4), 0, 4), length === 4);
    }
  }
  const fetch = (cpu: number, knobs: FetchKnobs = DEFAULT_KNOBS) => fetchInstruction(memory, windows, cpu, SITE, arm64FetchPolicy, knobs);
  /** What `cpu` may fetch, decoded and printed, or 'unpredictable'. */
  const seen = (cpu: number, knobs?: FetchKnobs) => {
    const r = fetch(cpu, knobs);
    return r.kind === 'ok' ? r.options.map((o) => show(arm64Isa.decode(o.bytes, 0))) : r.kind;
  };
  /** `cpu` fetches option `choice`, and (unless strictFetch) may never fetch older values there again, as a CPU step does. */
  const take = (cpu: number, choice: number, knobs: FetchKnobs = DEFAULT_KNOBS) => {
    const r = fetch(cpu, knobs);
    if (r.kind !== 'ok') throw new Error(r.kind);
    if (!knobs.strictFetch) for (const [unit, index] of r.options[choice].picks) windows.fetched(cpu, unit, index);
    return show(arm64Isa.decode(r.options[choice].bytes, 0));
  };
  return { windows, phys, seen, take };
}

const decoded = (...srcs: string[]) => srcs.map((s) => show(arm64Isa.decode(bytes(s), 0)));

describe('arm64 instruction fetch of a word being changed', () => {
  it('fetches b → b old-or-new, on either CPU', () => {
    const p = patched(['b .+0x40', 'b .+0x80']);
    expect(p.seen(0)).toEqual(decoded('b .+0x40', 'b .+0x80'));
    expect(p.seen(1)).toEqual(decoded('b .+0x40', 'b .+0x80'));
  });

  it.each([
    ['b .+0x40', 'nop'], ['nop', 'bl .+0x40'], ['bl .+8', 'brk #0x800'], ['brk #1', 'svc #0'], ['hvc #0', 'smc #0'], ['isb', 'b .-4'],
  ])('fetches %s → %s old-or-new: both are in the permitted set', (from, to) => {
    expect(patched([from, to]).seen(0)).toEqual(decoded(from, to));
  });

  it.each([
    ['b .+0x40', 'ldr x16, .+8'], ['b .+0x40', 'br x16'], ['nop', 'add x0, x0, #1'], ['ldr x16, .+8', 'b .+0x40'], ['bl .+8', 'blr x16'],
    ['nop', 'udf #0'], ['b .+8', 'b.eq .+8'],
  ])('makes %s → %s unpredictable: not both in the permitted set', (from, to) => {
    expect(patched([from, to]).seen(0)).toBe('unpredictable');
  });

  it('requires every value the window holds, not only the first and the last', () => {
    expect(patched(['b .+0x40', 'ret', 'b .+0x80']).seen(0)).toBe('unpredictable');
    expect(patched(['b .+0x40', 'nop', 'b .+0x80']).seen(0)).toEqual(decoded('b .+0x40', 'nop', 'b .+0x80'));
  });

  it('judges the halves of a word written by two 2-byte stores by the word each leaves', () => {
    // b → b in halves: the mixed word is a b too, so all three are permitted.
    const both = patched(['b .+0x40', 'b .+0x4000080'], [[0, 2], [2, 2]]);
    const r = both.seen(0);
    expect(r).toHaveLength(3);
    expect(r).toEqual(expect.arrayContaining(decoded('b .+0x40', 'b .+0x4000080')));
    // nop → b in halves leaves 0xd5030010 between them, which is none of the permitted instructions.
    expect(patched(['nop', 'b .+0x40']).seen(0)).toEqual(decoded('nop', 'b .+0x40'));
    expect(patched(['nop', 'b .+0x40'], [[0, 2], [2, 2]]).seen(0)).toBe('unpredictable');
  });

  it('never offers an older value after a newer one was fetched, unless strictFetch (coFF: new, then old)', () => {
    const p = patched(['b .+0x40', 'b .+0x80']);
    expect(p.take(0, 1)).toEqual(decoded('b .+0x80')[0]);
    expect(p.seen(0)).toEqual(decoded('b .+0x80'));
    const strict = patched(['b .+0x40', 'b .+0x80']);
    expect(strict.take(0, 1, STRICT)).toEqual(decoded('b .+0x80')[0]);
    expect(strict.seen(0, STRICT)).toEqual(decoded('b .+0x40', 'b .+0x80'));
    expect(strict.take(0, 0, STRICT)).toEqual(decoded('b .+0x40')[0]);
  });

  it("sees only the new value once the writer's DC CVAU; DSB; IC IVAU; DSB completed (closeEverywhere)", () => {
    const p = patched(['b .+0x40', 'ldr x16, .+8']);
    expect(p.seen(1)).toBe('unpredictable');
    p.windows.closeEverywhere(p.phys);
    expect(p.seen(0)).toEqual(decoded('ldr x16, .+8'));
    expect(p.seen(1)).toEqual(decoded('ldr x16, .+8'));
  });

  it('sees only the new value on a CPU that context-synchronized (ISB); the other still has both', () => {
    const p = patched(['b .+0x40', 'nop']);
    p.windows.synchronize(0);
    expect(p.seen(0)).toEqual(decoded('nop'));
    expect(p.seen(1)).toEqual(decoded('b .+0x40', 'nop'));
  });

  it('gives an instruction length only to words that decode', () => {
    expect(arm64FetchPolicy.length(bytes('nop'))).toBe(4);
    expect(arm64FetchPolicy.length(new Uint8Array(4))).toBe(4);
    expect(arm64FetchPolicy.length(Uint8Array.of(0xff, 0xff, 0xff, 0xff))).toBeUndefined();
    expect(arm64FetchPolicy).toMatchObject({ unit: 4, maxLength: 4, endian: 'little' });
  });
});
