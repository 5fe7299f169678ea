// What a world spec implies and never changes during a run: address maps, stacks, register roles.

import { assert } from '../base/assert.js';
import { writeUint } from '../base/bits.js';
import { add, EMPTY_SET, type BitSet } from '../base/bitset.js';
import type { ArchMachine } from '../machine/arch.js';
import { newCpu, type CpuState } from '../machine/cpu.js';
import type { FetchKnobs } from '../machine/fetch.js';
import { machineFor } from '../machine/registry.js';
import { loadImage, type LoadedMachine } from '../machine/load.js';
import { strictCodeSync } from '../machine/step.js';
import type { KernelOp, WorldSpec } from './spec.js';

export interface TargetEntry {
  readonly key: number;
  readonly target: number;
}

export interface WorldTables {
  readonly spec: WorldSpec;
  readonly arch: ArchMachine;
  readonly knobs: FetchKnobs;
  /** Object starts and ends, sorted by start, for `objectAt`. */
  readonly objectStarts: readonly bigint[];
  readonly objectEnds: readonly bigint[];
  /** Every symbol address and ppc64 local entry: where a branch may leave its object to. */
  readonly entries: ReadonlySet<bigint>;
  /** Function entries that are some key's target. */
  readonly targetsAt: ReadonlyMap<bigint, readonly TargetEntry[]>;
  /** static_branch sites: the static key (index) and its jump entry (index) at each site address. */
  readonly jumpSites: ReadonlyMap<bigint, { readonly key: number; readonly entry: number }>;
  readonly symbols: ReadonlyMap<string, bigint>;
  /** Per key: bit of NULL and of RET0 among its targets (0 when absent). */
  readonly nullBits: readonly BitSet[];
  readonly ret0Bits: readonly BitSet[];
  /** Group index of each key (-1 none) and each target's generation in it. */
  readonly keyGroup: readonly number[];
  readonly groups: readonly string[];
  readonly cpuCount: number;
  /** An idle CPU's registers: one shared value, so idle CPUs hash alike. */
  readonly idleCpu: CpuState;
  /** Register index of x86 RFLAGS (IF mirrors irqEnabled), or -1. */
  readonly rflags: number;
  /** A register's index in the arch's register file, by name (a breakpoint detour's named link register). */
  registerIndex(name: string): number;
  /** Task index of each task's twin class: tasks with identical programs share one (symmetry). */
  readonly taskClass: readonly number[];
  /** Each patcher's program (patcher i runs on CPU i). */
  readonly patchers: readonly (readonly KernelOp[])[];
  /** The patcher whose program has the boot (boot-done), or -1. */
  readonly bootPatcher: number;
  /** The image in memory, with a stack per task and then one per CPU for its interrupt handlers. */
  readonly loaded: LoadedMachine;
  readonly stackTops: readonly bigint[];
  /**
   * Per patcher: for each physical byte one of its stores writes, the index of the last op that does. Once
   * the patcher's next op is past it, that patcher never writes the byte again. Bytes, not granules: a
   * two-slot trampoline ends one slot and begins the other in one 8-byte granule, and a store to the end
   * of one slot leaves the other's first instruction as it was.
   */
  readonly lastStoreOp: readonly ReadonlyMap<number, number>[];
  /**
   * Returning to a preempted task makes its CPU certain of every unit's newest value (x86, arm64 and Power
   * outside strictFetch; not riscv64, where no return synchronizes, nor strictFetch, where synchronizing
   * makes a CPU certain only of maintained values). Where it does not, a task resumed on another CPU may
   * fetch there what its own CPU no longer would.
   */
  readonly resumeSyncs: boolean;
  /**
   * Granules that change by other means than a patcher's store op, so never settled (world.ts): modules'
   * sections (mapped and unmapped) and keys' `func` words (written as an update begins).
   */
  readonly changingGranules: ReadonlySet<number>;
  /** Physical ranges of the stacks: private to the context that runs on each. */
  readonly stackRanges: readonly (readonly [number, number])[];
  /** Physical ranges no CPU can store to (text, rodata): only the patcher changes them. */
  readonly readOnlyRanges: readonly (readonly [number, number])[];
  /** Per key: the value its `func` word holds for each of its targets (KeySpec.funcAddress), in target order. */
  readonly funcValues: readonly (readonly bigint[])[];
  /** Bytes of a pointer: the width of a key's `func` word. */
  readonly pointerBytes: number;
}

/** The region of the patcher's writable alias of a text section (machine/load.ts names it so). */
export function aliasRegion(section: string): string {
  return `${section}@alias`;
}

/** The regions of a module section: the section and, for text, the patcher's writable alias of it. */
export function sectionRegions(section: string): string[] {
  return [section, aliasRegion(section)];
}

/** What a key's `func` word holds for `target`: the function's address, 0 for NULL, 1 for RET0. */
export function funcValue(symbols: ReadonlyMap<string, bigint>, target: string): bigint {
  return target === 'NULL' ? 0n : target === 'RET0' ? 1n : (symbols.get(target) ?? 0n);
}

/** Each task's and each CPU's handler stack. */
const STACK_SIZE = 0x2000;

export function buildTables(spec: WorldSpec): WorldTables {
  const arch = machineFor(spec.arch);
  const objects = [...spec.objects].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const entries = new Set<bigint>(spec.image.symbols.values());
  for (const [name, off] of spec.image.localEntries) {
    const at = spec.image.symbols.get(name);
    if (at !== undefined) entries.add(at + BigInt(off));
  }
  const targetsAt = new Map<bigint, TargetEntry[]>();
  const nullBits: BitSet[] = [], ret0Bits: BitSet[] = [], keyGroup: number[] = [];
  const groups: string[] = [];
  spec.keys.forEach((k, key) => {
    let nb = EMPTY_SET, rb = EMPTY_SET;
    k.targets.forEach((t, target) => {
      // A static key's targets are its values (`false`, `true`), not functions.
      if (k.jumpEntries) return;
      if (t === 'NULL') nb = add(nb, target);
      else if (t === 'RET0') rb = add(rb, target);
      else {
        const at = spec.image.symbols.get(t);
        if (at === undefined) return;
        const local = spec.image.localEntries.get(t);
        for (const a of local ? [at, at + BigInt(local)] : [at]) {
          const list = targetsAt.get(a) ?? [];
          list.push({ key, target });
          targetsAt.set(a, list);
        }
      }
    });
    nullBits.push(nb);
    ret0Bits.push(rb);
    if (k.group === undefined) keyGroup.push(-1);
    else {
      if (!groups.includes(k.group)) groups.push(k.group);
      keyGroup.push(groups.indexOf(k.group));
    }
  });
  const jumpSites = new Map<bigint, { key: number; entry: number }>();
  spec.keys.forEach((k, key) => k.jumpEntries?.forEach((e, entry) => jumpSites.set(e.site, { key, entry })));
  const programs = spec.tasks.map((t) => JSON.stringify(t.program, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
  // A task the patcher names (`wait_calls T`) is not interchangeable with its twins.
  const named = new Set(spec.patchers.flatMap((p) => p.program.flatMap((op) => (op.op === 'wait-calls' ? [op.task] : []))));
  const free = (j: number) => !named.has(spec.tasks[j].name);
  const taskClass = programs.map((p, i) => (free(i) ? programs.findIndex((q, j) => q === p && free(j)) : i));
  const names = arch.registers.names;
  // Task stacks are banks of one range (task i's is bank i), so identical tasks hold identical stack
  // pointers; the CPUs' handler stacks are banks of another (CPU c's is bank tasks + c), so a handler's
  // stack pointer does not depend on its CPU either (see KernelWorld's canonical form).
  const loaded = loadImage(spec.image, { stacks: spec.tasks.length + spec.bounds.cpus, stackGroups: [spec.tasks.length, spec.bounds.cpus], stackSize: STACK_SIZE, aliasOffset: spec.aliasOffset });
  const lastStoreOp = spec.patchers.map((p) => {
    const last = new Map<number, number>();
    p.program.forEach((op, at) => {
      if (op.op !== 'store') return;
      const t = loaded.memory.translate(Number(op.address), op.bytes.length);
      if (t) for (let b = t.phys; b < t.phys + op.bytes.length; b++) last.set(b, at);
    });
    return last;
  });
  const changingGranules = new Set<number>();
  // A module's sections are laid out but not mapped until the patcher loads it. Memory that comes and goes
  // is not read-only for footprints: a fetch there does not commute with the map op that unmaps it.
  for (const m of spec.modules ?? []) {
    for (const sec of [...m.sections, ...m.init]) {
      const region = loaded.memory.region(sec);
      if (region) for (let g = region.phys >>> 3; g <= (region.phys + region.size - 1) >>> 3; g++) changingGranules.add(g);
      for (const r of sectionRegions(sec)) loaded.memory.setMapped(r, false);
    }
  }
  const pointerBytes = arch.isa.addressBits / 8;
  const funcValues = spec.keys.map((k) => k.targets.map((t) => funcValue(spec.image.symbols, t)));
  for (const k of spec.keys) {
    if (k.funcAddress === undefined) continue;
    const at = loaded.memory.translate(Number(k.funcAddress), pointerBytes);
    assert(at !== undefined, `key ${k.name}: its func word is not mapped`);
    const bytes = new Uint8Array(pointerBytes);
    writeUint(bytes, 0, pointerBytes, funcValue(spec.image.symbols, k.initial), arch.isa.endian);
    loaded.memory.writePhys(at.phys, bytes);
    for (let g = at.phys >>> 3; g <= (at.phys + pointerBytes - 1) >>> 3; g++) changingGranules.add(g);
  }
  const stackRanges = loaded.memory.regions.filter((r) => r.kind === 'stack').map((r) => [r.phys, r.phys + r.size] as const);
  const readOnlyRanges = loaded.memory.regions.filter((r) => r.kind !== 'alias' && !r.perms.write).map((r) => [r.phys, r.phys + r.size] as const);
  return {
    spec, arch, knobs: spec.knobs, lastStoreOp, changingGranules, stackRanges, readOnlyRanges, funcValues, pointerBytes,
    objectStarts: objects.map((o) => o.start),
    objectEnds: objects.map((o) => o.end),
    entries, targetsAt, jumpSites, symbols: spec.image.symbols,
    nullBits, ret0Bits, keyGroup, groups,
    cpuCount: spec.bounds.cpus,
    idleCpu: newCpu(names.length, 0n),
    rflags: names.indexOf('rflags'),
    registerIndex: (name: string) => {
      const i = names.indexOf(name);
      assert(i >= 0, `no register ${name} on ${spec.arch}`);
      return i;
    },
    taskClass,
    patchers: spec.patchers.map((p) => p.program),
    // Only the patcher that boots steps before boot is over (-1: no boot, so it is over from the start).
    bootPatcher: spec.patchers.findIndex((p) => p.program.some((op) => op.op === 'boot-done')),
    loaded,
    stackTops: loaded.stackTops,
    resumeSyncs: arch.fetchPolicy.exceptionSync.return && !strictCodeSync(arch, spec.knobs),
  };
}

/** Index of the object holding `pc`, or -1 when the bytes there belong to nothing. */
export function objectAt(t: WorldTables, pc: bigint): number {
  let lo = 0, hi = t.objectStarts.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t.objectStarts[mid] <= pc) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Objects may nest (an alias label inside a function): search back for one that still covers pc.
  for (let i = found; i >= 0; i--) if (pc < t.objectEnds[i]) return i;
  return -1;
}

/** Is `pc` inside object `o`? */
export function inObject(t: WorldTables, o: number, pc: bigint): boolean {
  return o >= 0 && pc >= t.objectStarts[o] && pc < t.objectEnds[o];
}

/** Does one of `ranges` (physical [start, end)) hold the 8-byte granule `g`? */
export function inRanges(ranges: readonly (readonly [number, number])[], g: number): boolean {
  const at = g * 8;
  for (const [lo, hi] of ranges) if (at >= lo && at < hi) return true;
  return false;
}
