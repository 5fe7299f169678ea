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
}

export function runFunction(arch: ArchMachine, image: LinkedImage, opts: ExecOptions): ExecResult {
  const { memory, stackTops } = loadImage(image, { stacks: 1, stackSize: 0x10000, aliasOffset: 0x4000_0000n });
  // Decoded instructions by address; text is read-execute here, so nothing invalidates them but an alias store.
  const decoded = new Map<bigint, Cached>();
  const bus = dataBus(memory, arch.isa.endian, (phys) => {
    if (memory.regions.some((r) => r.kind === 'text' && phys >= r.phys && phys < r.phys + r.size)) decoded.clear();
  });
  const windows = FetchWindows.create(arch.fetchPolicy.unit, 1);
  const cpu = newCpu(arch.registers.names.length, opts.entry);
  const setup = arch.abi.prepareCall(cpu, opts.entry, opts.args, RETURN_SENTINEL, stackTops[0], bus);
  if (setup) return { cpu, steps: 0, stop: { kind: 'fault', address: setup.address, pc: opts.entry, reason: setup.reason, bytes: '' } };
  let steps = 0;
  while (steps < opts.maxSteps) {
    if (cpu.pc === RETURN_SENTINEL) return { cpu, steps, stop: { kind: 'returned' } };
    const pc = cpu.pc;
    let c = decoded.get(pc);
    if (!c) {
      const f = fetchInstruction(memory, windows, 0, Number(pc), arch.fetchPolicy, DEFAULT_KNOBS);
      if (f.kind !== 'ok') return { cpu, steps, stop: { kind: 'fault', address: pc, pc, reason: f.kind === 'fault' ? f.reason : 'unpredictable', bytes: '' } };
      const bytes = f.options[0].bytes;
      const insn = arch.isa.decode(bytes, 0);
      if (insn === undefined) {
        const len = Math.min(bytes.length, arch.isa.insnAlign === 1 ? 4 : 4);
        return { cpu, steps, stop: { kind: 'trap', trap: 'undefined', address: pc, bytes: bytesToHex(bytes.subarray(0, len)) } };
      }
      c = { insn, length: arch.isa.length(insn) };
      decoded.set(pc, c);
    }
    const out = arch.execute(cpu, c.insn, c.length, bus);
    steps++;
    switch (out.kind) {
      case 'next':
      case 'sync':
      case 'barrier':
      case 'cache':
        continue;
      case 'trap': {
        const bytes = bytesToHex(memory.readPhysBytes(memory.translate(Number(pc), c.length)!.phys, c.length));
        return { cpu, steps, stop: { kind: 'trap', trap: out.trap, address: pc, bytes } };
      }
      case 'fault': {
        const bytes = bytesToHex(memory.readPhysBytes(memory.translate(Number(pc), c.length)!.phys, c.length));
        return { cpu, steps, stop: { kind: 'fault', address: out.fault.address, pc, reason: `${out.fault.access} ${out.fault.reason}`, bytes } };
      }
      case 'exception-return':
        return { cpu, steps, stop: { kind: 'trap', trap: 'exception-return outside an exception', address: pc, bytes: '' } };
    }
  }
  return { cpu, steps, stop: { kind: 'max-steps' } };
}
