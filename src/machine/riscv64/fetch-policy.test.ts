// The riscv64 fetch rules (MODEL.md section 3, Zifencei only) through fetchInstruction: one test per rule.
import { describe, expect, it } from 'vitest';
import { makeInsn } from '../../isa/riscv64/table-layout.js';
import type { RiscvInsn } from '../../isa/riscv64/index.js';
import { newCpu } from '../cpu.js';
import { DEFAULT_KNOBS, fetchInstruction, packUnit } from '../fetch.js';
import { FetchWindows, storeId } from '../fetch-window.js';
import { Memory } from '../memory.js';
import { riscv64Machine } from './index.js';

const TEXT = 0x1000;
const SITE = 0x1100;

/** The jump-label site's two forms: `jal zero, +0x40` and `nop`, each one 4-byte word of two parcels. */
const JAL: RiscvInsn = makeInsn('jal', { imm: 0x40 });
const NOP: RiscvInsn = makeInsn('addi', {});
const C_NOP: RiscvInsn = makeInsn('c_addi', {});
const C_J: RiscvInsn = makeInsn('c_j', { imm: 0x20 });

const bytes = (...insns: RiscvInsn[]) => Uint8Array.from(insns.flatMap((i) => [...riscv64Machine.isa.encode(i)]));

/** Two harts; SITE holds `from`, then one store of `to` (or of the pieces [offset, length] of it). */
function patched(from: Uint8Array, to: Uint8Array, pieces: readonly (readonly [number, number])[] = [[0, to.length]], knobs = DEFAULT_KNOBS) {
  const memory = Memory.create([
    { name: 'text', kind: 'text', base: TEXT, size: 0x1000, phys: 0, perms: { read: true, write: false, exec: true } },
  ], 0x1000);
  const windows = FetchWindows.create(2, 2);
  const phys = SITE - TEXT;
  memory.writePhys(phys, from);
  for (const [offset, length] of pieces) {
    const before = memory.readPhysBytes(phys, to.length);
    memory.writePhys(phys + offset, to.subarray(offset, offset + length));
    for (let u = offset - (offset % 2); u < offset + length; u += 2) {
      const whole = offset <= u && offset + length >= u + 2;
      windows.recordStore(phys + u, packUnit(before, u, 2), packUnit(memory.readPhysBytes(phys, to.length), u, 2), whole, storeId(phys + offset, length));
    }
  }
  const fetch = (cpu: number, at = SITE) => fetchInstruction(memory, windows, cpu, at, riscv64Machine.fetchPolicy, knobs);
  const seen = (cpu: number, at = SITE) => {
    const r = fetch(cpu, at);
    return r.kind === 'ok' ? r.options.map((o) => Array.from(o.bytes, (b) => b.toString(16).padStart(2, '0')).join('')) : r.kind;
  };
  return { windows, fetch, seen };
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('riscv64 instruction fetch', () => {
  it('fetches each 16-bit parcel from its own window: a 4-byte instruction may be seen half old, half new', () => {
    const jal = bytes(JAL), nop = bytes(NOP);
    const mixes = patched(nop, jal).seen(0) as string[];
    const expected = [hex(nop), hex(Uint8Array.of(nop[0], nop[1], jal[2], jal[3])), hex(Uint8Array.of(jal[0], jal[1], nop[2], nop[3])), hex(jal)];
    expect(new Set(mixes)).toEqual(new Set(expected));
  });

  it('under riscv.ziccif fetches an aligned 4-byte instruction written by one store old or new as a whole', () => {
    const jal = bytes(JAL), nop = bytes(NOP);
    const ziccif = { ...DEFAULT_KNOBS, riscvZiccif: true };
    expect(new Set(patched(nop, jal, [[0, 4]], ziccif).seen(0) as string[])).toEqual(new Set([hex(nop), hex(jal)]));
    // Written as two 2-byte stores (as a misaligned copy would be), the parcels may still mix: the knob
    // promises atomic fetch, not an order of the stores.
    expect((patched(nop, jal, [[0, 2], [2, 2]], ziccif).seen(0) as string[]).length).toBe(4);
  });

  it('under riscv.ziccif still mixes the parcels of a 4-byte instruction that is not naturally aligned', () => {
    // A c.nop first: the 4-byte instruction starts 2 bytes into the word.
    const from = bytes(C_NOP, NOP, C_NOP), to = bytes(C_NOP, JAL, C_NOP);
    const ziccif = { ...DEFAULT_KNOBS, riscvZiccif: true };
    expect((patched(from, to, [[0, 8]], ziccif).seen(0, SITE + 2) as string[]).length).toBe(4);
  });

  it('takes the length from the first parcel: a compressed instruction does not fetch the next parcel', () => {
    const from = bytes(C_NOP, C_NOP), to = bytes(C_J, C_J);
    expect(patched(from, to).seen(1)).toEqual([hex(bytes(C_NOP)), hex(bytes(C_J))]);
  });

  it('reports no mix as unpredictable: whatever the parcels make is fetched, decodable or not', () => {
    const r = patched(bytes(NOP), bytes(JAL), [[0, 2], [2, 2]]).fetch(0);
    expect(r.kind).toBe('ok');
  });

  it('makes a hart certain only by FENCE.I: its windows close, another hart keeps its own', () => {
    const p = patched(bytes(NOP), bytes(JAL));
    const cpu = newCpu(riscv64Machine.registers.names.length, BigInt(SITE));
    const bus = { load: () => 0n, store: () => undefined };
    const out = riscv64Machine.execute(cpu, riscv64Machine.isa.decode(bytes(makeInsn('fence_i', {})), 0)!, 4, bus);
    expect(out).toEqual({ kind: 'sync', what: 'context-sync' });
    p.windows.synchronize(0);
    expect(p.seen(0)).toEqual([hex(bytes(JAL))]);
    expect((p.seen(1) as string[]).length).toBe(4);
  });

  it('does not synchronize instruction fetch on ecall or a plain FENCE', () => {
    const bus = { load: () => 0n, store: () => undefined };
    for (const insn of [makeInsn('ecall', {}), makeInsn('fence', { pred: 15, succ: 15 })]) {
      const cpu = newCpu(riscv64Machine.registers.names.length, BigInt(SITE));
      expect(riscv64Machine.execute(cpu, insn, 4, bus).kind).not.toBe('sync');
    }
  });

  it('fetches at any even address and faults at an odd one', () => {
    const p = patched(bytes(C_NOP, C_NOP, C_NOP), bytes(C_NOP, C_NOP, C_NOP));
    expect(p.fetch(0, SITE + 2).kind).toBe('ok');
    expect(p.fetch(0, SITE + 1)).toMatchObject({ kind: 'fault', reason: 'misaligned' });
  });
});
