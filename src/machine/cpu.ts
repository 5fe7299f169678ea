// A CPU's architectural state as plain values: a register file in one typed array, cheap to clone and hash.

import { bigHiOfLast, bigLo, finish32, mix32, type Hasher } from '../base/hash.js';
import type { WordReader, WordWriter } from '../base/layout.js';

export interface CpuState {
  /** Every register of the arch in one array; the layout is the arch's `registers` table. */
  readonly regs: BigUint64Array;
  pc: bigint;
  /** Maskable interrupts enabled (x86 IF, arm64 !PSTATE.I, ppc MSR[EE]). */
  irqEnabled: boolean;
  /** x86 STI shadow: interrupts stay blocked until after the next instruction. */
  irqShadow: boolean;
  /**
   * The bank of the banked stack range this CPU sees (see Memory), -1 for none: the context's own stack.
   * Not hashed: it is a function of which context the registers belong to, which the kernel's state says.
   */
  stackBank: number;
  /** Hash lanes, computed on first use (a CpuState reachable from a state is never mutated). */
  lanes?: readonly [number, number] | undefined;
}

/**
 * Register files are carved out of shared 8-KiB slabs. A register file of more than 64 bytes gets an
 * off-heap backing store of its own in V8, and allocating one was 60% of a checker step (measured: a
 * slab view is 11× cheaper than `slice()`). A slab lives while any register file in it does, so one
 * surviving state keeps at most 8 KiB alive.
 */
const SLAB_BYTES = 8192;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

function registerFile(count: number): BigUint64Array {
  const bytes = count * 8;
  if (slabUsed + bytes > slab.byteLength) {
    slab = new ArrayBuffer(Math.max(SLAB_BYTES, bytes));
    slabUsed = 0;
  }
  const regs = new BigUint64Array(slab, slabUsed, count);
  slabUsed += bytes;
  return regs;
}

export function newCpu(registerCount: number, pc = 0n, stackBank = -1): CpuState {
  return { regs: registerFile(registerCount), pc, irqEnabled: true, irqShadow: false, stackBank, lanes: undefined };
}

export function cloneCpu(c: CpuState): CpuState {
  const regs = registerFile(c.regs.length);
  regs.set(c.regs);
  return { regs, pc: c.pc, irqEnabled: c.irqEnabled, irqShadow: c.irqShadow, stackBank: c.stackBank, lanes: undefined };
}

/**
 * Feed a CPU into a fingerprint. Machine states share the CpuState objects of CPUs that did not step
 * (see `withCpu`), and a shared CpuState is never mutated, so its two hash lanes are computed once.
 */
export function hashCpu(h: Hasher, c: CpuState): void {
  let lanes = c.lanes;
  if (!lanes) c.lanes = lanes = cpuLanes(c);
  h.word(lanes[0]).word(lanes[1]);
}

/** Two 32-bit hash lanes over the register words (read through the slab's 32-bit view), pc and flags. */
function cpuLanes(c: CpuState): readonly [number, number] {
  const buf = c.regs.buffer;
  if (buf !== lastBuffer) {
    lastBuffer = buf;
    lastWords = new Uint32Array(buf);
  }
  const words = lastWords;
  const from = c.regs.byteOffset >>> 2, to = from + c.regs.length * 2;
  let a = 0x0c9, b = 0x7f4a7cdc;
  for (let i = from; i < to; i++) {
    a = mix32(a, words[i]);
    b = mix32(b, words[i] ^ 0x2545f491);
  }
  const pcLo = bigLo(c.pc), pcHi = bigHiOfLast();
  const flags = (c.irqEnabled ? 1 : 0) | (c.irqShadow ? 2 : 0);
  a = mix32(mix32(mix32(a, pcLo), pcHi), flags);
  b = mix32(mix32(mix32(b, pcHi), pcLo), flags ^ 0x5bd1e995);
  return [finish32(a), finish32(b)];
}

let lastBuffer: ArrayBufferLike | undefined;
let lastWords: Uint32Array<ArrayBufferLike> = new Uint32Array(0);


/** The 32-bit view of a register file's slab (slabs are few: the view is cached for the last one). */
function wordsOf(regs: BigUint64Array): Uint32Array {
  const buf = regs.buffer;
  if (buf !== lastBuffer) {
    lastBuffer = buf;
    lastWords = new Uint32Array(buf);
  }
  return lastWords as Uint32Array;
}

/**
 * Pack a register file: a mask of its non-zero registers (most are zero in a patching scenario), then
 * those registers as word pairs, read through the slab's word view (no bigint made or taken apart).
 */
export function packRegisters(w: WordWriter, regs: BigUint64Array): void {
  const words = wordsOf(regs);
  const from = regs.byteOffset >>> 2, n = regs.length;
  const at = w.length;
  for (let m = 0; m < n; m += 32) w.u32(0);
  for (let i = 0; i < n; i++) {
    const lo = words[from + 2 * i], hi = words[from + 2 * i + 1];
    if (lo === 0 && hi === 0) continue;
    w.words[at + (i >>> 5)] |= 1 << (i & 31);
    w.u32(lo);
    w.u32(hi);
  }
}

/** Read what `packRegisters` wrote into a fresh register file of `count` registers. */
export function unpackRegisters(r: WordReader, count: number): BigUint64Array {
  const regs = registerFile(count);
  const words = wordsOf(regs);
  const from = regs.byteOffset >>> 2;
  const masks = r.at;
  r.at += (count + 31) >>> 5;
  for (let i = 0; i < count; i++) {
    if (((r.words[masks + (i >>> 5)] >>> (i & 31)) & 1) === 0) {
      words[from + 2 * i] = words[from + 2 * i + 1] = 0;
      continue;
    }
    words[from + 2 * i] = r.u32();
    words[from + 2 * i + 1] = r.u32();
  }
  return regs;
}

/** A CPU around a register file made by `unpackRegisters`. */
export function cpuWith(regs: BigUint64Array, pc: bigint, irqEnabled: boolean, irqShadow: boolean, stackBank: number, lanes: readonly [number, number] | undefined): CpuState {
  return { regs, pc, irqEnabled, irqShadow, stackBank, lanes };
}
