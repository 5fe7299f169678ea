// A linked image laid into simulated memory: text read-execute with its writable alias, rodata, data, stacks.

import type { AsmObject } from '../isa/asm/object.js';
import type { LinkedImage, LinkLayout } from '../isa/asm/link.js';
import type { AccessFault, DataBus } from './arch.js';
import { Memory, type Region, type RegionKind } from './memory.js';

const PAGE = 0x1000n;
const up = (v: bigint, a: bigint) => ((v + a - 1n) / a) * a;

/** Text from 0x10000, then rodata and data each on a fresh 64-KiB boundary, far from address 0. */
export function defaultLayout(object: AsmObject): LinkLayout {
  const size = (pred: (f: string, nobits: boolean) => boolean) =>
    object.sections.filter((s) => pred(s.flags, s.nobits)).reduce((n, s) => n + BigInt(s.bytes.length) + 64n, 0n);
  const textBase = 0x10000n;
  const rodataBase = up(textBase + size((f) => f.includes('x')) + 1n, 0x10000n);
  const dataBase = up(rodataBase + size((f, nb) => !f.includes('x') && !f.includes('w') && !nb) + 1n, 0x10000n);
  return { textBase, rodataBase, dataBase };
}

export interface LoadOptions {
  /** Stacks to create, each `stackSize` bytes, placed above everything else. */
  readonly stacks: number;
  readonly stackSize: number;
  /**
   * Consecutive groups of stacks, each group sharing one virtual range, stack i being bank i: a CPU
   * sees the bank of the context it runs (see Memory). Stacks in no group get ranges of their own.
   */
  readonly stackGroups?: readonly number[];
  /** Where the patcher's writable alias of text starts (text's own mapping stays read-execute). */
  readonly aliasOffset: bigint;
}

export interface LoadedMachine {
  readonly memory: Memory;
  /** Top of stack i (the initial stack pointer, 16-byte aligned). */
  readonly stackTops: readonly bigint[];
}

function kindOf(flags: string): RegionKind {
  return flags.includes('x') ? 'text' : flags.includes('w') ? 'data' : 'rodata';
}

export function loadImage(image: LinkedImage, opts: LoadOptions): LoadedMachine {
  const regions: Region[] = [];
  let phys = 0;
  let top = 0n;
  for (const s of image.sections) {
    // Whole 16-byte units, but never into the next section: regions must not overlap.
    const following = image.sections.filter((o) => o.address > s.address).reduce((m, o) => (o.address < m ? o.address : m), s.address + up(BigInt(Math.max(s.bytes.length, 1)), 16n));
    const size = Number(following - s.address);
    const kind = kindOf(s.flags);
    regions.push({
      name: s.name, kind, base: Number(s.address), size, phys,
      perms: { read: true, write: kind === 'data', exec: kind === 'text' },
    });
    if (kind === 'text') {
      regions.push({
        name: `${s.name}@alias`, kind: 'alias', base: Number(s.address + opts.aliasOffset), size, phys,
        perms: { read: true, write: true, exec: false },
      });
    }
    phys += size;
    const end = s.address + BigInt(size);
    if (end > top) top = end;
  }
  const stackTops: bigint[] = [];
  let base = up(top + opts.aliasOffset + PAGE, 0x10000n);
  // Stacks start on a 64-byte physical boundary: a bank must own whole fingerprint leaves.
  phys = Number(up(BigInt(phys), 64n));
  // The index of the last stack of each group: the range moves on after it.
  const groupEnds = new Set<number>();
  let banked = 0;
  for (const n of opts.stackGroups ?? []) if (n > 0) groupEnds.add((banked += n) - 1);
  for (let i = 0; i < opts.stacks; i++) {
    const bank = i < banked ? { bank: i } : {};
    regions.push({ name: `stack${i}`, kind: 'stack', base: Number(base), size: opts.stackSize, phys, perms: { read: true, write: true, exec: false }, ...bank });
    phys += opts.stackSize;
    stackTops.push(base + BigInt(opts.stackSize) - 64n);
    if (i >= banked || groupEnds.has(i)) base = up(base + BigInt(opts.stackSize) + PAGE, PAGE);
  }
  const memory = Memory.create(regions, phys);
  for (const s of image.sections) {
    memory.writePhys(regions.find((r) => r.name === s.name)!.phys, s.bytes);
  }
  return { memory, stackTops };
}

/** Loads and stores against region permissions, in the arch's byte order. */
export function dataBus(memory: Memory, endian: 'little' | 'big', onStore?: (phys: number, size: number) => void, bank = -1): DataBus {
  return new MemoryBus(memory, endian === 'little', onStore, bank);
}

function fault(address: bigint, access: 'read' | 'write', reason: AccessFault['reason']): AccessFault {
  return { kind: 'fault', address, access, reason };
}

/** A class, not an object of closures: the checker makes one per step. */
class MemoryBus implements DataBus {
  constructor(
    private readonly memory: Memory,
    private readonly little: boolean,
    private readonly onStore: ((phys: number, size: number) => void) | undefined,
    /** The stack bank the accessing context sees. */
    private readonly bank: number,
  ) {}

  load(va: bigint, size: 1 | 2 | 4 | 8): bigint | AccessFault {
    const memory = this.memory;
    if (va < 0n || va > 0xffffffffffffn) return fault(va, 'read', 'unmapped');
    const t = memory.translate(Number(va), size, this.bank);
    if (!t) return fault(va, 'read', 'unmapped');
    if (!t.region.perms.read) return fault(va, 'read', 'not-readable');
    let v = 0n;
    for (let i = 0; i < size; i++) {
      const b = BigInt(memory.readPhys(t.phys + (this.little ? size - 1 - i : i)));
      v = (v << 8n) | b;
    }
    return v;
  }

  store(va: bigint, size: 1 | 2 | 4 | 8, value: bigint): AccessFault | undefined {
    const memory = this.memory;
    if (va < 0n || va > 0xffffffffffffn) return fault(va, 'write', 'unmapped');
    const t = memory.translate(Number(va), size, this.bank);
    if (!t) return fault(va, 'write', 'unmapped');
    if (!t.region.perms.write) return fault(va, 'write', 'not-writable');
    const bytes = new Uint8Array(size);
    let v = BigInt.asUintN(size * 8, value);
    for (let i = 0; i < size; i++) {
      bytes[this.little ? i : size - 1 - i] = Number(v & 0xffn);
      v >>= 8n;
    }
    memory.writePhys(t.phys, bytes);
    this.onStore?.(t.phys, size);
    return undefined;
  }
}
