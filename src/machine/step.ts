// One step of one CPU of an SMP machine, and one atomic store piece of the patcher: the checker's transitions.
//
// A step never mutates the state it is given: it clones, applies, and returns the successor with what
// happened. A fetch with more than one possible result is a choice: `fetchOptions` lists them and
// `stepCpu` takes the index of the one to follow (the checker branches; a forward run picks by seed).

import type { Hasher } from '../base/hash.js';
import type { AccessFault, ArchMachine, DataBus, ExecOutcome } from './arch.js';
import type { CpuState } from './cpu.js';
import { FetchWindows, storeId } from './fetch-window.js';
import type { Memory } from './memory.js';
import { DEFAULT_KNOBS, fetchInstruction, packUnit, type FetchKnobs, type FetchResult } from './fetch.js';
import { dataBus } from './load.js';
import { add, barrier, clean, hashMaintenance, invalidate, invalidateAll, LINE, NO_MAINTENANCE, type Maintenance } from './maintenance.js';
import { cloneMachine, fingerprintMachine, withCpu, type MachineState } from './state.js';
import { isAtomicStore, type StorePiece } from './store.js';

export interface SmpState {
  readonly machine: MachineState;
  /** Per CPU: its cache maintenance in flight. */
  readonly maintenance: readonly Maintenance[];
  /** Fetch units whose clean to the point of unification completed, and not written since. */
  readonly cleanUnits: readonly number[];
}

export function initialSmp(machine: MachineState): SmpState {
  return { machine, maintenance: machine.cpus.map(() => NO_MAINTENANCE), cleanUnits: [] };
}

export function fingerprintSmp(s: SmpState, h?: Hasher, options: { banks?: boolean } = {}): Hasher {
  const out = fingerprintMachine(s.machine, h, options);
  for (const m of s.maintenance) hashMaintenance(out, m);
  out.word(s.cleanUnits.length);
  for (const u of s.cleanUnits) out.word(u);
  return out;
}

/** Mutable during one step; frozen in spirit once returned. */
interface SmpDraft {
  readonly machine: MachineState;
  readonly maintenance: Maintenance[];
  cleanUnits: readonly number[];
  /** false: the machine's windows are still shared with the state stepped from (`draftWindows` clones them). */
  ownWindows?: boolean;
}

/** The draft's windows, to change: cloned on first use when still shared. */
function draftWindows(d: SmpDraft): FetchWindows {
  if (d.ownWindows === false) {
    (d.machine as { windows: FetchWindows }).windows = d.machine.windows.clone();
    d.ownWindows = true;
  }
  return d.machine.windows;
}

function cloneSmp(s: SmpState): SmpDraft {
  return { machine: cloneMachine(s.machine), maintenance: s.maintenance.slice(), cleanUnits: s.cleanUnits };
}

/**
 * Decoded instructions by their bytes, per arch: the checker fetches the same few instructions millions
 * of times. Decoded instructions are plain data nobody mutates, so sharing them is safe. Keyed by a hash
 * of the bytes, each entry keeping its bytes to compare (a colliding entry is replaced): a hit allocates
 * nothing.
 */
interface DecodeEntry {
  readonly bytes: Uint8Array;
  readonly result: { insn: unknown; length: number } | undefined;
}
const decodeCache = new WeakMap<ArchMachine, Map<number, DecodeEntry>>();
const DECODE_CACHE_LIMIT = 1 << 16;
let decodeArch: ArchMachine | undefined;
let decodeMap = new Map<number, DecodeEntry>();

function decodeCached(arch: ArchMachine, bytes: Uint8Array): { insn: unknown; length: number } | undefined {
  if (arch !== decodeArch) {
    let cache = decodeCache.get(arch);
    if (!cache) decodeCache.set(arch, (cache = new Map()));
    decodeArch = arch;
    decodeMap = cache;
  }
  const n = bytes.length;
  let h = n;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  const hit = decodeMap.get(h);
  if (hit !== undefined && sameBytes(hit.bytes, bytes)) return hit.result;
  const insn = arch.isa.decode(bytes, 0);
  const result = insn === undefined ? undefined : { insn, length: arch.isa.length(insn) };
  if (decodeMap.size >= DECODE_CACHE_LIMIT) decodeMap.clear();
  decodeMap.set(h, { bytes: bytes.slice(), result });
  return result;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Fetch windows for `cpus` CPUs of `arch` under `knobs`: the arch says what orders a CPU's fetches beyond its windows. */
export function fetchWindowsFor(arch: ArchMachine, cpus: number, knobs: FetchKnobs): FetchWindows {
  const p = arch.fetchPolicy;
  return FetchWindows.create(p.unit, cpus, p.orderedFetch?.(knobs) ?? false, p.maintenanceBindsFetch?.(knobs) ?? false, p.syncAnchoredOnAccess?.(knobs) ?? false);
}

/** What `cpu` may fetch at its pc now. */
export function fetchOptions(s: SmpState, arch: ArchMachine, cpu: number, knobs: FetchKnobs = DEFAULT_KNOBS): FetchResult {
  // The checker asks once to list the choices and again to take one: states are immutable, so the
  // answer for (state, CPU, knobs) is kept with the machine state. (A machine under construction in a
  // step is never asked and then changed: a step's own clone is made after its fetch.)
  if (s.machine !== fetchMachine) {
    fetchMachine = s.machine;
    fetchPerCpu.length = 0;
  }
  const perCpu = fetchPerCpu;
  const hit = perCpu[cpu];
  const pc = s.machine.cpus[cpu].pc;
  if (hit && hit.knobs === knobs && hit.pc === pc) return hit.result;
  const result: FetchResult = pc < 0n || pc > 0xffffffffffffn
    ? { kind: 'fault', address: Number(pc & 0xffffffffffffn), reason: 'unmapped' }
    : fetchInstruction(s.machine.memory, s.machine.windows, cpu, Number(pc), arch.fetchPolicy, knobs);
  perCpu[cpu] = { knobs, pc, result };
  return result;
}

/** The fetch results of the last machine asked about (the checker asks about one state at a time). */
let fetchMachine: MachineState | undefined;
const fetchPerCpu: { knobs: FetchKnobs; pc: bigint; result: FetchResult }[] = [];

/** The arch's cache type as the knobs set it (arm64 CTR_EL0.IDC and DIC; false elsewhere). */
interface CacheType {
  readonly idc: boolean;
  readonly dic: boolean;
}

function cacheType(arch: ArchMachine, knobs: FetchKnobs): CacheType {
  const arm64 = arch.isa.arch === 'arm64';
  return { idc: arm64 && knobs.arm64Idc, dic: arm64 && knobs.arm64Dic };
}

/**
 * Record a store's effect on every fetch unit it touched (memory already holds `after`). A store makes its
 * units dirty (not at the point of unification), unless the CPU has IDC: then the store is at the point of
 * unification as it is made (herd7 orders it like the data store it is). With DIC as well it needs no
 * maintenance at all, and each CPU's own context synchronization makes it certain; under strictFetch the
 * storing CPU's (`ownCpu`) only after a DSB of its own (a store is ordered before an ISB only by a DSB).
 */
function recordCodeStore(d: SmpDraft, unitSize: 1 | 2 | 4, phys: number, before: Uint8Array, whole: boolean, cache = NO_CACHE_KNOBS, ownCpu?: number): void {
  const m = d.machine;
  const first = phys - (phys % unitSize);
  const regions = m.memory.regions;
  for (let u = first; u < phys + before.length; u += unitSize) {
    let text = false;
    for (let r = 0; r < regions.length && !text; r++) text = regions[r].kind === 'text' && u >= regions[r].phys && u < regions[r].phys + regions[r].size;
    if (!text) continue;
    // Written again: this unit is no longer clean, unless stores reach the point of unification by themselves.
    if (cache.idc) d.cleanUnits = add(d.cleanUnits, u);
    else if (d.cleanUnits.includes(u)) d.cleanUnits = d.cleanUnits.filter((x) => x !== u);
    // The unit's value before and after, packed little-endian as packUnit does (no byte arrays).
    let was = 0, now = 0;
    for (let i = 0; i < unitSize; i++) {
      const cur = m.memory.readPhys(u + i);
      const k = u + i - phys;
      was |= (k >= 0 && k < before.length ? before[k] : cur) << (8 * i);
      now |= cur << (8 * i);
    }
    const coversUnit = phys <= u && phys + before.length >= u + unitSize;
    draftWindows(d).recordStore(u, was >>> 0, now >>> 0, whole && coversUnit, whole ? storeId(phys, before.length) : -1);
    if (cache.idc && cache.dic) {
      draftWindows(d).markMaintained(u);
      if (ownCpu !== undefined) draftWindows(d).holdOwnSync(u, ownCpu);
    }
  }
  // The late fetches this store keeps (its value is the one they returned).
  if (m.windows.promises.length > 0) draftWindows(d).keepPromises(phys, before.length, whole, (at, size) => packUnit(m.memory.readPhysBytes(at, size), 0, size));
}

const NO_CACHE_KNOBS: CacheType = Object.freeze({ idc: false, dic: false });

export type StepEvent =
  | { readonly kind: 'executed'; readonly insn: unknown; readonly length: number; readonly bytes: Uint8Array; readonly outcome: ExecOutcome }
  | { readonly kind: 'undefined'; readonly bytes: Uint8Array }
  | FetchResult & { kind: 'fault' | 'unpredictable' };

export interface StepResult {
  readonly state: SmpState;
  readonly event: StepEvent;
  /** Physical addresses of the data loads and stores the instruction made (for partial-order reduction). */
  readonly loads: readonly number[];
  readonly stores: readonly number[];
}

/**
 * `cpu` fetches option `choice` of `fetchOptions`, executes it, and the machine applies what followed:
 * windows opened by its stores to text, closed by its synchronization, and its cache maintenance.
 */
export function stepCpu(s: SmpState, arch: ArchMachine, cpu: number, choice: number, knobs: FetchKnobs = DEFAULT_KNOBS): StepResult {
  const f = fetchOptions(s, arch, cpu, knobs);
  const loads: number[] = [], stores: number[] = [];
  if (f.kind !== 'ok') return { state: s, event: f, loads, stores };
  const option = f.options[choice];
  // Memory and windows are shared with the state stepped from until this step changes them.
  const m = { memory: s.machine.memory, windows: s.machine.windows, cpus: s.machine.cpus.slice() };
  const next: SmpDraft = { machine: m, maintenance: s.maintenance.slice(), cleanUnits: s.cleanUnits, ownWindows: false };
  // Fetches are monotonic unless strictFetch (Simner et al.'s coFF), and also then with DIC: instruction
  // fetch reads the point of unification, coherent with data (herd7's DIC1 tests forbid coFF). An arch
  // may say otherwise (riscv64); ordered windows also order them across units, and in binding windows a
  // value stored after some maintenance completed binds the CPU's later fetches to it.
  const monotonic = arch.fetchPolicy.fetchesMonotonic?.(knobs) ?? (!knobs.strictFetch || cacheType(arch, knobs).dic);
  if (monotonic && option.picks.length > 0) for (const [unit, index] of option.picks) draftWindows(next).fetched(cpu, unit, index);
  if ((s.machine.windows.ordered || s.machine.windows.binding) && option.picks.length > 0) {
    const seq = Math.max(...option.picks.map(([unit, index]) => s.machine.windows.seqOf(unit, index)));
    if (s.machine.windows.ordered) draftWindows(next).fetchedInOrder(cpu, seq);
    if (s.machine.windows.binding) draftWindows(next).fetchedAfterMaintenance(cpu, seq);
  }
  // A late fetch: a later store must write what it returned.
  if (option.promises) draftWindows(next).promise(option.promises.map((p) => ({ ...p, cpu })));
  const decoded = decodeCached(arch, option.bytes);
  if (decoded === undefined) return { state: next, event: { kind: 'undefined', bytes: option.bytes }, loads, stores };
  const { insn, length } = decoded;
  const bus = new StepBus(next, m, arch, loads, stores, s.machine.cpus[cpu].stackBank, knobs, cpu);
  const cpuState = withCpu(m, cpu);
  const outcome = arch.execute(cpuState, insn, length, bus);
  applyOutcome(next, arch, cpu, outcome, knobs);
  // The fetched bytes are never written (options are kept with the immutable state they were fetched from): share them.
  return { state: next, event: { kind: 'executed', insn, length, bytes: length === option.bytes.length ? option.bytes : option.bytes.subarray(0, length), outcome }, loads, stores };
}

/**
 * The data bus of one step: records the physical addresses it loads and stores, gives the machine its own
 * memory at the first store, and remembers the bytes a store overwrites, so its code units get their old
 * value in the window. (A class, not closures: one is made per step.)
 */
class StepBus implements DataBus {
  private ownMem = false;
  private inner: DataBus;
  readonly cacheType: CacheType;
  /** strictFetch: a store of this CPU waits for its DSB to be ordered before its own ISB. */
  private readonly strict: boolean;

  constructor(
    private readonly next: SmpDraft,
    private readonly m: { memory: Memory; windows: FetchWindows; cpus: CpuState[] },
    private readonly arch: ArchMachine,
    private readonly loads: number[],
    private readonly stores: number[],
    /** The stack bank the stepping CPU sees. */
    private readonly bank: number,
    knobs: FetchKnobs = DEFAULT_KNOBS,
    private readonly cpu = 0,
  ) {
    this.inner = dataBus(m.memory, arch.isa.endian, undefined, bank);
    this.cacheType = cacheType(arch, knobs);
    this.strict = strictCodeSync(arch, knobs);
  }

  store(va: bigint, size: 1 | 2 | 4 | 8, value: bigint): AccessFault | undefined {
    const m = this.m;
    if (!this.ownMem) {
      m.memory = m.memory.clone();
      this.ownMem = true;
      this.inner = dataBus(m.memory, this.arch.isa.endian, undefined, this.bank);
    }
    const t = m.memory.translate(Number(va & 0xffffffffffffn), size, this.bank);
    let before: Uint8Array | undefined;
    if (t) {
      before = m.memory.readPhysBytes(t.phys, size);
      this.stores.push(t.phys);
    }
    const fault = this.inner.store(va, size, value);
    // A store that went through was translated, to the same place.
    if (fault === undefined && t && before) {
      recordCodeStore(this.next, this.arch.fetchPolicy.unit, t.phys, before, isAtomicStore(this.arch.isa.arch, Number(va & 0xffffffffffffn), size), this.cacheType, this.strict ? this.cpu : undefined);
    }
    if (fault === undefined) this.accessed();
    return fault;
  }

  load(va: bigint, size: 1 | 2 | 4 | 8): bigint | AccessFault {
    const t = this.m.memory.translate(Number(va & 0xffffffffffffn), size, this.bank);
    if (t) this.loads.push(t.phys);
    const value = this.inner.load(va, size);
    if (typeof value === 'bigint') this.accessed();
    return value;
  }

  /** Anchored windows: an explicit data access of this CPU, which its later FENCE.I orders before its fetches. */
  private accessed(): void {
    if (this.next.machine.windows.anchored && this.next.machine.windows.needsAccessMark(this.cpu)) draftWindows(this.next).accessedNow(this.cpu);
  }
}

function applyOutcome(s: SmpDraft, arch: ArchMachine, cpu: number, out: ExecOutcome, knobs: FetchKnobs): void {
  const m = s.machine;
  const maint = s.maintenance;
  const win = draftWindows;
  switch (out.kind) {
    case 'sync':
    case 'exception-return':
      // Anchored windows (riscv64's FENCE.I without Ziccid): certain only of what its last data access followed.
      if (m.windows.anchored) {
        if (m.windows.needsSyncToAccess(cpu)) win(s).synchronizeToAccess(cpu);
        return;
      }
      if (m.windows.needsSync(cpu, strictCodeSync(arch, knobs))) win(s).synchronize(cpu, strictCodeSync(arch, knobs));
      return;
    case 'cache': {
      if (out.op === 'invalidate-icache-all') {
        // `ic ialluis`: every line whose clean completed is invalidated.
        maint[cpu] = invalidateAll(maint[cpu], s.cleanUnits);
        return;
      }
      const t = m.memory.translate(Number(out.address & 0xffffffffffffn), 1, m.cpus[cpu].stackBank);
      if (!t) return;
      maint[cpu] = out.op === 'clean' ? clean(maint[cpu], t.phys) : invalidate(maint[cpu], s.cleanUnits, t.phys);
      return;
    }
    case 'barrier': {
      // A DSB orders this CPU's own stores before its later context synchronization.
      if (out.what === 'dsb' && m.windows.holdsOwnSync(cpu)) win(s).releaseOwnSync(cpu);
      const cleaning = maint[cpu].cleaning;
      const { next, cleanUnits, completed: invalidated } = barrier(maint[cpu], s.cleanUnits, arch.fetchPolicy.unit);
      maint[cpu] = next;
      s.cleanUnits = cleanUnits;
      // With DIC no invalidate is needed: a clean that completes here completes the maintenance too.
      const completed = cacheType(arch, knobs).dic ? [...invalidated, ...cleanedUnits(cleaning, arch.fetchPolicy.unit)] : invalidated;
      // With strictFetch the writer's maintenance alone makes no other CPU certain (Simner et al.): it
      // only lets each CPU's own later context synchronization do so.
      for (const u of completed) {
        if (strictCodeSync(arch, knobs)) win(s).markMaintained(u);
        else win(s).closeEverywhere(u);
      }
      return;
    }
    case 'next':
    case 'trap':
    case 'fault':
      return;
  }
}

/** strictFetch governs the word-fetching arches (arm64, Power); x86 serialization is always certain. */
/** Does a context synchronization make only maintained units certain (herd7's arm64 rule under strictFetch)? */
export function strictCodeSync(arch: ArchMachine, knobs: FetchKnobs): boolean {
  return knobs.strictFetch && arch.fetchPolicy.unit === 4;
}

/**
 * The patcher's store of one atomic piece through a writable mapping (text_poke's alias). `fixmap`: the
 * kernel maps the page writable for the store whatever its permissions (a literal in rodata).
 */
export function storePiece(s: SmpState, arch: ArchMachine, piece: StorePiece, fixmap = false, knobs: FetchKnobs = DEFAULT_KNOBS): SmpState | AccessFault {
  const next = cloneSmp(s);
  const m = next.machine;
  const t = m.memory.translate(piece.address, piece.bytes.length);
  if (!t) return { kind: 'fault', address: BigInt(piece.address), access: 'write', reason: 'unmapped' };
  if (!t.region.perms.write && !fixmap) return { kind: 'fault', address: BigInt(piece.address), access: 'write', reason: 'not-writable' };
  const before = m.memory.readPhysBytes(t.phys, piece.bytes.length);
  m.memory.writePhys(t.phys, piece.bytes);
  // By virtual address: sections are packed in physical memory without keeping their place in a cache line.
  recordCodeStore(next, arch.fetchPolicy.unit, t.phys, before, isAtomicStore(arch.isa.arch, piece.address, piece.bytes.length), cacheType(arch, knobs));
  return next;
}

/** A maintenance instruction as a CPU that fetches nothing performs it: the patcher's own `dc cvau`, `dsb ish`, `isb`. */
export type MaintenanceEvent = Extract<ExecOutcome, { readonly kind: 'cache' | 'barrier' | 'sync' }>;

/**
 * `cpu` performs one cache maintenance instruction, barrier or context synchronization outside any fetched
 * code (the patcher on CPU 0 runs no scenario code): exactly what executing that instruction does on any
 * CPU (`applyOutcome`), without the fetch. Only the windows and the maintenance in flight change.
 */
export function maintenanceStep(s: SmpState, arch: ArchMachine, cpu: number, event: MaintenanceEvent, knobs: FetchKnobs = DEFAULT_KNOBS): SmpState {
  const next: SmpDraft = {
    machine: { memory: s.machine.memory, windows: s.machine.windows, cpus: s.machine.cpus },
    maintenance: s.maintenance.slice(), cleanUnits: s.cleanUnits, ownWindows: false,
  };
  applyOutcome(next, arch, cpu, event, knobs);
  return next;
}

/** The fetch units of the lines a CPU's barrier completes the clean of. */
function cleanedUnits(lines: readonly number[], unitSize: number): number[] {
  const units: number[] = [];
  for (const line of lines) for (let u = line; u < line + LINE; u += unitSize) units.push(u);
  return units;
}
