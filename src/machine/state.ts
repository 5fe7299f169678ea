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

/** Shares memory pages and window histories until either side writes; copies the small CPU states. */
export function cloneMachine(m: MachineState): MachineState {
  return { memory: m.memory.clone(), windows: m.windows.clone(), cpus: m.cpus.map(cloneCpu) };
}

/** A 64-bit fingerprint of everything that decides the machine's future. */
export function fingerprintMachine(m: MachineState, h = new Hasher(0x5eed)): Hasher {
  const [m0, m1] = m.memory.fingerprint();
  h.word(m0).word(m1);
  m.windows.hashInto(h);
  for (const c of m.cpus) hashCpu(h, c);
  return h;
}
