// One CPU runs one function to its return: the engine behind `patchlab exec` and the qemu-user comparison.

import { bytesToHex } from '../base/bits.js';
import type { LinkedImage } from '../isa/asm/link.js';
import type { ArchMachine } from './arch.js';
import { newCpu, type CpuState } from './cpu.js';
import { DEFAULT_KNOBS, fetchInstruction } from './fetch.js';
import { FetchWindows } from './fetch-window.js';
import { dataBus, loadImage } from './load.js';

/** Returning here ends the run: no region maps it, so nothing else can branch there by accident. */
export const RETURN_SENTINEL = 0x7ff0_0000n;

export type ExecStop =
  | { readonly kind: 'returned' }
  | { readonly kind: 'max-steps' }
  | { readonly kind: 'trap'; readonly trap: string; readonly address: bigint; readonly bytes: string }
  | { readonly kind: 'fault'; readonly address: bigint; readonly pc: bigint; readonly reason: string; readonly bytes: string };

export interface ExecResult {
  readonly cpu: CpuState;
  readonly steps: number;
  readonly stop: ExecStop;
}

export interface ExecOptions {
  readonly entry: bigint;
  readonly args: readonly bigint[];
  readonly maxSteps: number;
}

interface Cached {
  readonly insn: unknown;
  readonly length: number;
  /** The address after it: where straight-line execution goes next. */
  readonly fall: bigint;
  /** The decoded instruction at `fall`, linked on first use, so straight-line code skips the map. */
  next: Cached | undefined;
  /** The last taken branch's target from here, linked too (a loop's back edge). */
  jumpPc: bigint;
  jump: Cached | undefined;
  /** Decoded under this text generation; a store to text starts a new one. */
  readonly generation: number;
}

export function runFunction(arch: ArchMachine, image: LinkedImage, opts: ExecOptions): ExecResult {
  const { memory, stackTops } = loadImage(image, { stacks: 1, stackSize: 0x10000, aliasOffset: 0x4000_0000n });
  // Decoded instructions by address. Text is read-execute here; only a store through its alias changes
  // it, and that starts a new generation so every cached decode (and every link between them) is dropped.
  const decoded = new Map<bigint, Cached>();
  let generation = 0;
  const bus = dataBus(memory, arch.isa.endian, (phys) => {
    if (memory.regions.some((r) => r.kind === 'text' && phys >= r.phys && phys < r.phys + r.size)) {
      decoded.clear();
      generation++;
    }
  });
  const windows = FetchWindows.create(arch.fetchPolicy.unit, 1);
  const cpu = newCpu(arch.registers.names.length, opts.entry);
  const setup = arch.abi.prepareCall(cpu, opts.entry, opts.args, RETURN_SENTINEL, stackTops[0], bus);
  if (setup) return { cpu, steps: 0, stop: { kind: 'fault', address: setup.address, pc: opts.entry, reason: setup.reason, bytes: '' } };

  const bytesAt = (pc: bigint, n: number) => {
    const t = memory.translate(Number(pc), n);
    return t ? bytesToHex(memory.readPhysBytes(t.phys, n)) : '';
  };
  /** Decode at pc, or say why not. */
  const lookup = (pc: bigint): Cached | ExecStop => {
    const hit = decoded.get(pc);
    if (hit) return hit;
    const f = fetchInstruction(memory, windows, 0, Number(pc), arch.fetchPolicy, DEFAULT_KNOBS);
    if (f.kind !== 'ok') return { kind: 'fault', address: pc, pc, reason: f.kind === 'fault' ? f.reason : 'unpredictable', bytes: '' };
    const bytes = f.options[0].bytes;
    const insn = arch.isa.decode(bytes, 0);
    if (insn === undefined) return { kind: 'trap', trap: 'undefined', address: pc, bytes: bytesToHex(bytes.subarray(0, Math.min(bytes.length, 4))) };
    const length = arch.isa.length(insn);
    const c: Cached = { insn, length, fall: pc + BigInt(length), next: undefined, jumpPc: -1n, jump: undefined, generation };
    decoded.set(pc, c);
    return c;
  };

  let steps = 0;
  let c: Cached | undefined;
  while (steps < opts.maxSteps) {
    const pc = cpu.pc;
    if (pc === RETURN_SENTINEL) return { cpu, steps, stop: { kind: 'returned' } };
    if (c === undefined || c.generation !== generation) {
      const l = lookup(pc);
      if (!('insn' in l)) return { cpu, steps, stop: l };
      c = l;
    }
    const out = arch.execute(cpu, c.insn, c.length, bus);
    steps++;
    switch (out.kind) {
      case 'next':
      case 'sync':
      case 'barrier':
      case 'cache':
        break;
      case 'trap':
        return { cpu, steps, stop: { kind: 'trap', trap: out.trap, address: pc, bytes: bytesAt(pc, c.length) } };
      case 'fault':
        return { cpu, steps, stop: { kind: 'fault', address: out.fault.address, pc, reason: `${out.fault.access} ${out.fault.reason}`, bytes: bytesAt(pc, c.length) } };
      case 'exception-return':
        return { cpu, steps, stop: { kind: 'trap', trap: 'exception-return outside an exception', address: pc, bytes: bytesAt(pc, c.length) } };
    }
    // Straight-line code follows the link; anything else (a taken branch, the sentinel) looks up.
    if (cpu.pc === c.fall && cpu.pc !== RETURN_SENTINEL) {
      if (c.next === undefined || c.next.generation !== generation) {
        const l = lookup(cpu.pc);
        if (!('insn' in l)) return { cpu, steps, stop: l };
        c.next = l;
      }
      c = c.next;
    } else if (cpu.pc === c.jumpPc && c.jump !== undefined && c.jump.generation === generation) {
      c = c.jump;
    } else if (cpu.pc !== RETURN_SENTINEL) {
      const l = lookup(cpu.pc);
      if (!('insn' in l)) return { cpu, steps, stop: l };
      c.jumpPc = cpu.pc;
      c.jump = l;
      c = l;
    } else c = undefined;
  }
  return { cpu, steps, stop: { kind: 'max-steps' } };
}
