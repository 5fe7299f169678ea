// The machine's part of a packed state (base/layout.ts): CPUs, memory as its difference from the loaded
// image, fetch windows and cache maintenance in flight.

import { field, i32, u32, u64, type Field, type WordReader, type WordWriter } from '../base/layout.js';
import { derived, list, record, sized } from '../base/layout-shapes.js';
import { cpuWith, newCpu, packRegisters, unpackRegisters, type CpuState } from './cpu.js';
import { FetchWindows } from './fetch-window.js';
import { NO_MAINTENANCE, type Maintenance } from './maintenance.js';
import { Memory } from './memory.js';
import type { MachineState } from './state.js';
import type { SmpState } from './step.js';

/**
 * A CPU: a mask of its non-zero registers, then those registers (most are zero in a patching scenario),
 * the pc and the interrupt flags. The stack bank is packed but never varied: the fingerprint leaves it
 * out, because which context owns the registers decides it.
 */
export function cpuField(registerCount: number): Field<CpuState> {
  const bank = derived(i32);
  return field({
    pack: (w: WordWriter, c: CpuState) => {
      packRegisters(w, c.regs);
      w.u64(c.pc);
      // The hash lanes travel along when computed: a cache of the fields above, not a field.
      const lanes = w.essential || !w.caches ? undefined : c.lanes;
      w.u32((c.irqEnabled ? 1 : 0) | (c.irqShadow ? 2 : 0) | (lanes ? 4 : 0));
      if (lanes) {
        w.u32(lanes[0]);
        w.u32(lanes[1]);
      }
      bank.pack(w, c.stackBank);
    },
    unpack: (r: WordReader) => {
      const regs = unpackRegisters(r, registerCount);
      const pc = r.u64();
      const flags = r.u32();
      const lanes = flags & 4 ? ([r.u32(), r.u32()] as const) : undefined;
      return cpuWith(regs, pc, (flags & 1) !== 0, (flags & 2) !== 0, bank.unpack(r), lanes);
    },
    variants: (c: CpuState) => {
      const out: CpuState[] = [];
      const copy = (change: (d: CpuState) => void): void => {
        const d = newCpu(registerCount, c.pc, c.stackBank);
        d.regs.set(c.regs);
        d.irqEnabled = c.irqEnabled;
        d.irqShadow = c.irqShadow;
        change(d);
        out.push(d);
      };
      for (let i = 0; i < registerCount; i++) copy((d) => (d.regs[i] = BigInt.asUintN(64, c.regs[i] + 1n)));
      copy((d) => (d.pc = u64.variants(c.pc)[0]));
      copy((d) => (d.irqEnabled = !c.irqEnabled));
      copy((d) => (d.irqShadow = !c.irqShadow));
      return out;
    },
  });
}

/** Memory as what it holds beyond `base`, the loaded image every state's memory was cloned from. */
export function memoryField(base: Memory): Field<Memory> {
  return field({
    pack: (w: WordWriter, m: Memory) => m.packDelta(w, base),
    unpack: (r: WordReader) => Memory.unpackDelta(r, base),
    variants: (m: Memory) => m.variants(),
  });
}

/** Fetch windows like `like` (the initial state's: unit size, CPUs and ordering are fixed for a run). */
export function windowsField(like: FetchWindows): Field<FetchWindows> {
  return field({
    pack: (w: WordWriter, fw: FetchWindows) => fw.pack(w),
    unpack: (r: WordReader) => FetchWindows.unpack(r, like),
    variants: (fw: FetchWindows) => fw.variants(),
  });
}

const lines = list(u32);

/** A CPU's maintenance in flight; none unpacks to the shared NO_MAINTENANCE. */
const maintenanceField: Field<Maintenance> = (() => {
  const inner = record<Maintenance>({ cleaning: lines, invalidating: lines });
  const normal = (m: Maintenance): Maintenance => (m.cleaning.length === 0 && m.invalidating.length === 0 ? NO_MAINTENANCE : m);
  return field({
    pack: inner.pack,
    unpack: (r: WordReader) => normal(inner.unpack(r)),
    skip: inner.skip,
    unpackLike: (r: WordReader, ref: WordReader, like: Maintenance) => normal(inner.unpackLike!(r, ref, like)),
    packLike: inner.packLike,
    variants: (m: Maintenance) => [...inner.variants(m), { cleaning: [...m.cleaning, 0x40], invalidating: m.invalidating }],
  });
})();

export interface MachineShape {
  /** The loaded image: every state's memory is a clone of it. */
  readonly memory: Memory;
  readonly registerCount: number;
  /** The initial state's fetch windows: every state's are made like them. */
  readonly windows: FetchWindows;
}

/** The SMP machine's layout for one run. */
export function smpField(shape: MachineShape): Field<SmpState> {
  // The large variable parts carry their length: each is then compared with a reference state's in one span.
  const machine = record<MachineState>({
    memory: sized(memoryField(shape.memory)),
    windows: sized(windowsField(shape.windows)),
    cpus: list(sized(cpuField(shape.registerCount)), true),
  });
  return record<SmpState>({ machine, maintenance: list(sized(maintenanceField), true), cleanUnits: lines });
}
