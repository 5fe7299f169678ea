// Copy-on-write memory: clones are independent, fingerprints follow content, not history.
import { describe, expect, it } from 'vitest';
import { Memory, type Region } from './memory.js';

const rx = { read: true, write: false, exec: true };
const rw = { read: true, write: true, exec: false };
const regions: Region[] = [
  { name: 'text', kind: 'text', base: 0x1000, size: 0x1000, phys: 0, perms: rx },
  { name: 'text_alias', kind: 'alias', base: 0x9000, size: 0x1000, phys: 0, perms: rw },
  { name: 'stack', kind: 'stack', base: 0x20000, size: 0x2000, phys: 0x1000, perms: rw },
];

describe('Memory', () => {
  it('maps the writable alias onto the same physical bytes as text', () => {
    const m = Memory.create(regions, 0x3000);
    const t = m.translate(0x1010, 4)!, a = m.translate(0x9010, 4)!;
    expect(t.phys).toBe(a.phys);
    expect(t.region.perms.exec && !t.region.perms.write).toBe(true);
    expect(m.translate(0x1ffe, 4)).toBeUndefined(); // runs off the end of text
    expect(m.regionAt(0x5000)).toBeUndefined();
  });

  it('keeps a clone and its parent independent after either writes', () => {
    const a = Memory.create(regions, 0x3000);
    a.writePhys(0x10, Uint8Array.of(1, 2, 3));
    const b = a.clone();
    b.writePhys(0x11, Uint8Array.of(9));
    a.writePhys(0x12, Uint8Array.of(7));
    expect(Array.from(a.readPhysBytes(0x10, 3))).toEqual([1, 2, 7]);
    expect(Array.from(b.readPhysBytes(0x10, 3))).toEqual([1, 9, 3]);
  });

  it('gives equal fingerprints to equal contents reached by different writes, across leaf boundaries', () => {
    const a = Memory.create(regions, 0x3000);
    const b = a.clone();
    a.writePhys(0x3e, Uint8Array.of(5, 6, 7, 8)); // straddles two 64-byte leaves
    b.writePhys(0x40, Uint8Array.of(7, 8));
    b.writePhys(0x3e, Uint8Array.of(5, 6));
    expect(a.fingerprint()).toEqual(b.fingerprint());
    b.writePhys(0x1800, Uint8Array.of(1));
    expect(a.fingerprint()).not.toEqual(b.fingerprint());
    b.writePhys(0x1800, Uint8Array.of(0));
    expect(a.fingerprint()).toEqual(b.fingerprint());
  });

  it('distinguishes the same bytes at different addresses', () => {
    const a = Memory.create(regions, 0x3000), b = a.clone();
    a.writePhys(0x0, Uint8Array.of(1));
    b.writePhys(0x40, Uint8Array.of(1));
    expect(a.fingerprint()).not.toEqual(b.fingerprint());
  });

  it('unmaps and maps regions per clone: translate skips them, the fingerprint counts them', () => {
    const a = Memory.create(regions, 0x3000);
    a.writePhys(0x10, Uint8Array.of(0xc3));
    expect(a.regionAt(0x1010)?.name).toBe('text'); // cached as the last region
    const b = a.clone();
    expect(b.setMapped('text', false)).toBe(true);
    expect(b.translate(0x1010, 1)).toBeUndefined();
    expect(b.regionAt(0x1010)).toBeUndefined();
    expect(b.regionLaidOutAt(0x1010)?.name).toBe('text');
    expect(b.isMapped('text')).toBe(false);
    expect(b.translate(0x9010, 1)?.phys).toBe(0x10); // the alias is a region of its own
    expect(a.translate(0x1010, 1)?.phys).toBe(0x10); // the parent still maps it
    expect(b.fingerprint()).not.toEqual(a.fingerprint());
    const c = b.clone();
    c.setMapped('text', true);
    expect(c.fingerprint()).toEqual(a.fingerprint());
    expect(b.readPhys(0x10)).toBe(0xc3); // bytes survive unmapping
    expect(b.setMapped('nowhere', false)).toBe(false);
  });
});
