// Fetch windows in isolation: histories open on stores, close on synchronization, and are forgotten when closed.
import { describe, expect, it } from 'vitest';
import { Hasher } from '../base/hash.js';
import { WordReader, WordWriter } from '../base/layout.js';
import { FetchWindows } from './fetch-window.js';
import { atomicPieces } from './store.js';

const fp = (w: FetchWindows) => {
  const h = new Hasher();
  w.hashInto(h);
  return h.digest();
};

describe('FetchWindows', () => {
  it('opens a window on every CPU when a unit is stored to', () => {
    const w = FetchWindows.create(4, 2);
    w.recordStore(0x100, 0xaa, 0xbb, true);
    expect(w.window(0, 0x100)?.values).toEqual([0xaa, 0xbb]);
    expect(w.window(1, 0x100)?.values).toEqual([0xaa, 0xbb]);
  });

  it('closes only the synchronizing CPU, and forgets the history once all are certain', () => {
    const w = FetchWindows.create(4, 2);
    const empty = fp(w);
    w.recordStore(0x100, 1, 2, true);
    w.synchronize(0);
    expect(w.window(0, 0x100)).toBeUndefined();
    expect(w.window(1, 0x100)?.values).toEqual([1, 2]);
    w.synchronize(1);
    expect(w.openUnits()).toEqual([]);
    expect(fp(w)).toBe(empty);
  });

  it('never offers an older value than one already fetched (monotonic fetch)', () => {
    const w = FetchWindows.create(1, 1);
    w.recordStore(7, 1, 2, true);
    w.recordStore(7, 2, 3, true);
    w.fetched(0, 7, 1);
    expect(w.window(0, 7)?.values).toEqual([2, 3]);
  });

  it('closes a unit on every CPU when the writer’s maintenance completes', () => {
    const w = FetchWindows.create(4, 3);
    w.recordStore(0x100, 1, 2, true);
    w.recordStore(0x104, 1, 2, true);
    w.closeEverywhere(0x100);
    expect(w.openUnits()).toEqual([0x104]);
  });

  it('binding windows: a fetch of a value stored after a maintenance completed binds the CPU to what it completed for', () => {
    const w = FetchWindows.create(4, 2, false, true);
    w.recordStore(0x100, 1, 2, true);
    w.markMaintained(0x100);
    w.recordStore(0x100, 2, 3, true); // stored after the maintenance: fetching it binds
    w.recordStore(0x104, 7, 8, true);
    // A value stored after the maintenance (0x104's 8) binds CPU 0 at 0x100: 2 or 3, never 1 again.
    w.fetchedAfterMaintenance(0, w.seqOf(0x104, 1));
    expect(w.window(0, 0x100)?.values).toEqual([2, 3]);
    expect(w.window(1, 0x100)?.values).toEqual([1, 2, 3]);
    // The original value (no store made it) binds nothing.
    w.fetchedAfterMaintenance(1, w.seqOf(0x100, 0));
    expect(w.window(1, 0x100)?.values).toEqual([1, 2, 3]);
  });

  it('binding windows: a value stored before the maintenance binds nothing, and only the order of stores and maintenance is state', () => {
    const before = FetchWindows.create(4, 1, false, true);
    before.recordStore(0x104, 7, 8, true);
    before.recordStore(0x100, 1, 2, true);
    before.markMaintained(0x100);
    before.fetchedAfterMaintenance(0, before.seqOf(0x104, 1));
    expect(before.window(0, 0x100)?.values).toEqual([1, 2]);
    // The same stores, another order among those that no maintenance separates: the same state.
    const other = FetchWindows.create(4, 1, false, true);
    other.recordStore(0x100, 1, 2, true);
    other.recordStore(0x104, 7, 8, true);
    other.markMaintained(0x100);
    expect(fp(other)).toBe(fp(before));
    // After the maintenance instead: another state.
    const after = FetchWindows.create(4, 1, false, true);
    after.recordStore(0x100, 1, 2, true);
    after.markMaintained(0x100);
    after.recordStore(0x104, 7, 8, true);
    expect(fp(after)).not.toBe(fp(before));
  });

  it('holds a CPU\'s own store back from its own synchronization until its DSB (ownSync), and no other CPU\'s', () => {
    const w = FetchWindows.create(4, 2, false, true);
    const empty = fp(w);
    w.recordStore(0x100, 1, 2, true);
    w.markMaintained(0x100);
    w.holdOwnSync(0x100, 0);
    w.synchronize(0, true);
    w.synchronize(1, true);
    expect(w.window(0, 0x100)?.values).toEqual([1, 2]);
    expect(w.window(1, 0x100)).toBeUndefined();
    expect(w.holdsOwnSync(0)).toBe(true);
    w.releaseOwnSync(0);
    expect(w.holdsOwnSync(0)).toBe(false);
    w.synchronize(0, true);
    expect(w.openUnits()).toEqual([]);
    expect(fp(w)).toBe(empty);
  });

  it('packs binding windows (places, completed maintenance, own-store limits) and reads them back as the same windows', () => {
    const w = FetchWindows.create(4, 2, false, true);
    w.recordStore(0x100, 1, 2, true);
    w.markMaintained(0x100);
    w.recordStore(0x100, 2, 3, true);
    w.holdOwnSync(0x100, 1);
    const out = new WordWriter(64);
    w.pack(out);
    const back = FetchWindows.unpack(new WordReader(out.take()), FetchWindows.create(4, 2, false, true));
    expect(fp(back)).toBe(fp(w));
    expect(back.history(0x100)).toEqual(w.history(0x100));
    // Each variant is another state.
    for (const v of w.variants()) expect(fp(v)).not.toBe(fp(w));
  });

  it('anchored windows: a synchronization makes a CPU certain only of what was stored before its last access', () => {
    const w = FetchWindows.create(2, 2, false, false, true);
    w.recordStore(0x100, 1, 2, true);
    w.synchronizeToAccess(0); // no access since the store: nothing
    expect(w.window(0, 0x100)?.values).toEqual([1, 2]);
    w.accessedNow(0);
    w.recordStore(0x100, 2, 3, true); // after the access: not covered
    expect(w.needsSyncToAccess(1)).toBe(false);
    w.synchronizeToAccess(0);
    expect(w.window(0, 0x100)?.values).toEqual([2, 3]);
    expect(w.window(1, 0x100)?.values).toEqual([1, 2, 3]);
    // Packed and read back: the same windows; each variant (a CPU's last access among them) another state.
    w.accessedNow(1);
    const out = new WordWriter(64);
    w.pack(out);
    const back = FetchWindows.unpack(new WordReader(out.take()), FetchWindows.create(2, 2, false, false, true));
    expect(fp(back)).toBe(fp(w));
    expect(back.history(0x100)).toEqual(w.history(0x100));
    for (const v of w.variants()) expect(fp(v)).not.toBe(fp(w));
  });

  it('windows with futures keep late fetches as promises: kept by a store of their value, packed, hashed in any order alike', () => {
    const futures = { sites: [0x100], words: [0x00200f93] };
    const w = FetchWindows.create(2, 2, false, false, true).withFutures(futures);
    const empty = fp(w);
    w.promise([{ cpu: 1, phys: 0x102, size: 2, value: 0x0020, cover: false }, { cpu: 0, phys: 0x100, size: 4, value: 0x00200f93, cover: true }]);
    const other = FetchWindows.create(2, 2, false, false, true).withFutures(futures);
    other.promise([{ cpu: 0, phys: 0x100, size: 4, value: 0x00200f93, cover: true }]);
    other.promise([{ cpu: 1, phys: 0x102, size: 2, value: 0x0020, cover: false }]);
    expect(fp(other)).toBe(fp(w));
    const out = new WordWriter(64);
    w.pack(out);
    const back = FetchWindows.unpack(new WordReader(out.take()), FetchWindows.create(2, 2, false, false, true).withFutures(futures));
    expect(back.promises).toEqual(w.promises);
    expect(fp(back)).toBe(fp(w));
    for (const v of w.variants()) expect(fp(v)).not.toBe(fp(w));
    const memory = new Map([[0x100, 0x0f93], [0x102, 0x0020]]);
    const read = (at: number, size: 2 | 4) => (size === 2 ? memory.get(at)! : memory.get(at)! | (memory.get(at + 2)! << 16));
    // Two 2-byte stores write the word: each keeps the parcel's promise, neither the one of a single store.
    w.keepPromises(0x102, 2, true, read);
    expect(w.promises.map((p) => p.cpu)).toEqual([0]);
    w.keepPromises(0x100, 2, true, read);
    expect(w.promises.map((p) => p.cpu)).toEqual([0]);
    w.keepPromises(0x100, 4, true, read);
    expect(w.promises).toEqual([]);
    expect(fp(w)).toBe(empty);
  });

  it('leaves a clone unaffected by later stores to the parent', () => {
    const a = FetchWindows.create(4, 1);
    const b = a.clone();
    a.recordStore(0x100, 1, 2, true);
    expect(b.openUnits()).toEqual([]);
    expect(fp(a)).not.toBe(fp(b));
  });
});

describe('atomicPieces', () => {
  it('keeps a naturally aligned store whole and cuts the rest into aligned pieces', () => {
    const sizes = (addr: number, n: number, max?: 1 | 2 | 4 | 8) => atomicPieces(addr, new Uint8Array(n), max).map((p) => [p.address, p.bytes.length]);
    expect(sizes(0x1000, 8)).toEqual([[0x1000, 8]]);
    expect(sizes(0x1000, 5)).toEqual([[0x1000, 4], [0x1004, 1]]);
    expect(sizes(0x1001, 4)).toEqual([[0x1001, 1], [0x1002, 2], [0x1004, 1]]);
    expect(sizes(0x1000, 8, 4)).toEqual([[0x1000, 4], [0x1004, 4]]);
  });
});
