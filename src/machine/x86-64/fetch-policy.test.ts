// x86's instruction fetch (MODEL.md section 3): byte by byte, torn rewrites seen mixed, serializing events, the knob.
import { describe, expect, it } from 'vitest';
import { DEFAULT_KNOBS, fetchInstruction, type FetchKnobs, type FetchResult } from '../fetch.js';
import { FetchWindows, storeId } from '../fetch-window.js';
import { Memory } from '../memory.js';
import { atomicPieces } from '../store.js';
import { x86_64Machine } from './index.js';

const TEXT = 0x1000;
/** 8-byte aligned: a 5-byte instruction here lies inside one aligned 8-byte unit. */
const SITE = 0x1100;
const ALIGNED_ATOMIC: FetchKnobs = { ...DEFAULT_KNOBS, x86AlignedAtomicFetch: true };
const STRICT: FetchKnobs = { ...DEFAULT_KNOBS, strictFetch: true };

const JMP_OLD = [0xe9, 0x11, 0x22, 0x33, 0x44];
const JMP_NEW = [0xe9, 0xaa, 0xbb, 0xcc, 0xdd];
/** What follows the site: nops, so an 8-byte store of the jmp and 3 nops leaves them as they were. */
const TAIL = [0x90, 0x90, 0x90];
const hex = (b: ArrayLike<number>) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

/** Two CPUs; the site holds `from` then TAIL; each store of `pieces` writes bytes at an offset of the site. */
function patched(from: readonly number[], pieces: readonly (readonly [offset: number, bytes: readonly number[]])[]) {
  const memory = Memory.create([
    { name: 'text', kind: 'text', base: TEXT, size: 0x1000, phys: 0, perms: { read: true, write: false, exec: true } },
  ], 0x1000);
  const windows = FetchWindows.create(1, 2);
  const phys = SITE - TEXT;
  memory.writePhys(phys, Uint8Array.from([...from, ...TAIL]));
  // Each byte is its own fetch unit, and a store always covers a unit whole.
  for (const [offset, bytes] of pieces) {
    const before = memory.readPhysBytes(phys + offset, bytes.length);
    memory.writePhys(phys + offset, Uint8Array.from(bytes));
    const id = storeId(phys + offset, bytes.length);
    bytes.forEach((b, i) => windows.recordStore(phys + offset + i, before[i], b, true, id));
  }
  const fetch = (cpu: number, knobs: FetchKnobs = DEFAULT_KNOBS): FetchResult =>
    fetchInstruction(memory, windows, cpu, SITE, x86_64Machine.fetchPolicy, knobs);
  /** Every option's instruction bytes, as hex (an option without open windows carries all bytes fetchable). */
  const seen = (cpu: number, knobs?: FetchKnobs): string[] => {
    const r = fetch(cpu, knobs);
    expect(r.kind).toBe('ok');
    return r.kind === 'ok' ? r.options.map((o) => hex(o.bytes.subarray(0, x86_64Machine.fetchPolicy.length(o.bytes)))) : [];
  };
  return { memory, windows, phys, fetch, seen };
}

/** A 5-byte copy at an 8-aligned address, as a memcpy does it: an aligned 4-byte store, then 1 byte. */
const TORN = atomicPieces(SITE, Uint8Array.from(JMP_NEW)).map((p) => [p.address - SITE, Array.from(p.bytes)] as const);

describe('x86-64 instruction fetch', () => {
  it('splits the 5-byte rewrite into 4 + 1 atomic pieces', () => {
    expect(TORN.map(([, b]) => b.length)).toEqual([4, 1]);
  });

  it('can fetch a torn jmp rel32 rewrite mixed: bytes that are neither the old nor the new jmp', () => {
    const options = patched(JMP_OLD, TORN).seen(0);
    expect(options).toContain(hex(JMP_OLD));
    expect(options).toContain(hex(JMP_NEW));
    const mixed = options.filter((o) => o !== hex(JMP_OLD) && o !== hex(JMP_NEW));
    expect(mixed.length).toBeGreaterThan(0);
    // e.g. the new first displacement byte with the old rest: a jmp to a target nobody wrote
    expect(mixed).toContain('e9 aa 22 33 44');
  });

  it('decodes each mix by its own length: int3 over a jmp can be fetched as a 1-byte int3', () => {
    // text_poke_bp's first step writes int3 over the first byte; the tail is still the old one
    const options = patched(JMP_OLD, [[0, [0xcc]]]).seen(1);
    expect(options.sort()).toEqual([hex(JMP_OLD), 'cc'].sort());
  });

  it('fetches only the new jmp after this CPU serializes; the other CPU still sees the mixes', () => {
    const p = patched(JMP_OLD, TORN);
    p.windows.synchronize(0);
    expect(p.seen(0)).toEqual([hex(JMP_NEW)]);
    expect(p.seen(1).length).toBeGreaterThan(2);
  });

  it('fetches old-or-new only, under x86.alignedAtomicFetch, a jmp in one aligned 8-byte unit written by one 8-byte store', () => {
    const store: [number, number[]][] = [[0, [...JMP_NEW, ...TAIL]]];
    expect(patched(JMP_OLD, store).seen(0, ALIGNED_ATOMIC).sort()).toEqual([hex(JMP_OLD), hex(JMP_NEW)].sort());
    // without the knob the same store may still be fetched mixed: the Intel manual promises nothing
    expect(patched(JMP_OLD, store).seen(0).length).toBeGreaterThan(2);
  });

  it('fetches old-or-new only, under x86.alignedAtomicFetch, a jmp whose displacement alone was rewritten by one 4-byte store (HotSpot)', () => {
    // The opcode byte does not change, so it has no window: the changed bytes were all written by one atomic store.
    const store: [number, number[]][] = [[1, JMP_NEW.slice(1)]];
    expect(patched(JMP_OLD, store).seen(0, ALIGNED_ATOMIC).sort()).toEqual([hex(JMP_OLD), hex(JMP_NEW)].sort());
    expect(patched(JMP_OLD, store).seen(0).length).toBeGreaterThan(2);
  });

  it('under x86.alignedAtomicFetch, does not care where the instruction lies, only how its changed bytes were written', () => {
    // A jmp across an aligned 8-byte boundary: written by one store of its 5 bytes, it is old or new.
    const p = patched([0x90, 0x90, 0x90, 0x90, 0x90, 0x90], [[0, [0x90, 0x90, 0x90, 0x90, 0x90, 0x90]]]);
    const memory = p.memory, windows = p.windows;
    const at = 0x1100 + 6 - 0x1000;
    const before = memory.readPhysBytes(at, 5);
    memory.writePhys(at, Uint8Array.from(JMP_NEW));
    JMP_NEW.forEach((b, i) => windows.recordStore(at + i, before[i], b, true, storeId(at, 5)));
    const r = fetchInstruction(memory, windows, 0, 0x1106, x86_64Machine.fetchPolicy, ALIGNED_ATOMIC);
    if (r.kind !== 'ok') throw new Error(r.kind);
    const seen = r.options.map((o) => hex(o.bytes.subarray(0, o.bytes[0] === 0xe9 ? 5 : 1)));
    // old: the first of the nops (one byte); new: the whole jmp; no mix such as e9 followed by old nops
    expect([...new Set(seen)].sort()).toEqual(['90', hex(JMP_NEW)].sort());
  });

  it('still fetches a torn 4 + 1 rewrite mixed under x86.alignedAtomicFetch: no single store wrote the jmp', () => {
    const options = patched(JMP_OLD, TORN).seen(0, ALIGNED_ATOMIC);
    expect(options.filter((o) => o !== hex(JMP_OLD) && o !== hex(JMP_NEW)).length).toBeGreaterThan(0);
  });

  it('is monotonic: once the new bytes are fetched, the old ones are not offered again (unless strictFetch)', () => {
    const p = patched(JMP_OLD, TORN);
    const r = p.fetch(0);
    if (r.kind !== 'ok') throw new Error(r.kind);
    const newest = r.options.find((o) => hex(o.bytes.subarray(0, 5)) === hex(JMP_NEW))!;
    // what the machine does after a fetch without strictFetch: remember the values it used
    for (const [unit, index] of newest.picks) p.windows.fetched(0, unit, index);
    expect(p.seen(0)).toEqual([hex(JMP_NEW)]);
    // under strictFetch the machine does not record the fetch, and the old bytes stay fetchable
    const q = patched(JMP_OLD, TORN);
    q.fetch(0, STRICT);
    expect(q.seen(0, STRICT)).toContain(hex(JMP_OLD));
  });

  it('takes instruction lengths from the decoder, and nothing from undecodable bytes', () => {
    const policy = x86_64Machine.fetchPolicy;
    expect(policy).toMatchObject({ unit: 1, maxLength: 15, endian: 'little' });
    expect(policy.length(Uint8Array.from([...JMP_OLD, 0x90]))).toBe(5);
    expect(policy.length(Uint8Array.of(0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8))).toBe(10);
    expect(policy.length(Uint8Array.of(0x0f, 0x0f))).toBeUndefined();
    expect(policy.length(Uint8Array.of(0xe9, 0x11))).toBeUndefined();
    expect(policy.concurrentFetchDefined([], true, DEFAULT_KNOBS)).toBe(true);
  });
});
