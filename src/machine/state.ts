// The whole simulated machine as one value: memory, fetch windows and CPUs; cloned and fingerprinted by the checker.

import { Hasher } from '../base/hash.js';
import { cloneCpu, hashCpu, type CpuState } from './cpu.js';
import type { FetchWindows } from './fetch-window.js';
import type { Memory } from './memory.js';

export interface MachineState {
  readonly memory: Memory;
  readonly windows: FetchWindows;
  readonly cpus: readonly CpuState[];
}

/**
 * Shares memory pages and window histories until either side writes, and shares every CpuState: a
 * CpuState reachable from a state is never mutated, so a step that changes a CPU first takes its own
 * copy with `withCpu`. (A step changes one CPU; copying the others would dominate the checker's cost.)
 */
export function cloneMachine(m: MachineState): MachineState {
  return { memory: m.memory.clone(), windows: m.windows.clone(), cpus: m.cpus.slice() };
}

/** Give `m` (a fresh clone) its own copy of CPU `i`, to mutate. */
export function withCpu(m: MachineState, i: number): CpuState {
  const own = cloneCpu(m.cpus[i]);
  (m.cpus as CpuState[])[i] = own;
  return own;
}

/**
 * A 64-bit fingerprint of everything that decides the machine's future. `banks: false` leaves out the
 * banked stacks' bytes, for a caller that hashes each bank with the context that owns it (symmetry).
 */
export function fingerprintMachine(m: MachineState, h = new Hasher(0x5eed), options: { banks?: boolean } = {}): Hasher {
  const [m0, m1] = m.memory.fingerprint(options);
  h.word(m0).word(m1);
  m.windows.hashInto(h);
  for (const c of m.cpus) hashCpu(h, c);
  return h;
}
