// The ppc execute tests' case runner: one instruction executed from a given register file, the registers after compared whole.

import { expect, it } from 'vitest';
import type { PpcInsn } from '../../src/isa/ppc/table.js';
import type { ExecOutcome } from '../../src/machine/arch.js';
import { newCpu } from '../../src/machine/cpu.js';
import { dataBus } from '../../src/machine/load.js';
import { ppc32Machine, ppc64Machine } from '../../src/machine/ppc/index.js';
import { PPC_REGISTERS } from '../../src/machine/ppc/registers.js';
import { DATA, decodeOne, execMemory, PC0, registerView } from './insn.js';

export { DATA, PC0 };

type Regs = Readonly<Record<string, bigint>>;
export interface Extra {
  /** Bytes at DATA before, and the ones expected there after. */
  readonly mem?: readonly number[];
  readonly memAfter?: readonly number[];
  /** The outcome, when not `next`. */
  readonly out?: ExecOutcome;
  /** irqEnabled after (MSR[EE]), when the case sets it. */
  readonly irq?: boolean;
}
/**
 * [mode, instruction (GNU as text, or the decoded form for words GNU as rejects), registers before,
 * registers after, extra]. The instruction sits at PC0; pc after is PC0 + 4 unless named. Registers
 * not named after must keep their value. CR is the whole register: cr0 is the top nibble, LT 8 GT 4 EQ 2 SO 1.
 */
export type Case = readonly [32 | 64 | 'both', string | PpcInsn, Regs, Regs, Extra?];

export const UNDEFINED: ExecOutcome = { kind: 'trap', trap: 'undefined', code: 0 };
export const fault = (address: bigint, access: 'read' | 'write', reason: 'unmapped' | 'not-writable'): Extra =>
  ({ out: { kind: 'fault', fault: { kind: 'fault', address, access, reason } } });
export const breakpoint = (code: number): Extra => ({ out: { kind: 'trap', trap: 'breakpoint', code } });
export const STAY = { pc: PC0 };

const NAMES = PPC_REGISTERS.names;
const hex = (v: bigint) => '0x' + v.toString(16);


export function instruction(bits: 32 | 64, src: string | PpcInsn): PpcInsn {
  return typeof src === 'string' ? decodeOne((bits === 32 ? ppc32Machine : ppc64Machine).isa, src) : src;
}

const view = (regs: BigUint64Array, pc: bigint) => registerView(NAMES, regs, pc);

function runCase([, src, before, after, extra = {}]: Case, bits: 32 | 64): void {
  const machine = bits === 32 ? ppc32Machine : ppc64Machine;
  const mem = execMemory();
  if (extra.mem) mem.writePhys(0x1000, Uint8Array.from(extra.mem));
  const cpu = newCpu(NAMES.length, PC0);
  const want = newCpu(NAMES.length, PC0 + 4n);
  for (const [target, values] of [[cpu, before], [want, before], [want, after]] as const) {
    for (const [name, v] of Object.entries(values)) {
      if (name === 'pc') target.pc = v;
      else {
        expect(NAMES).toContain(name);
        target.regs[NAMES.indexOf(name)] = v;
      }
    }
  }
  const out = machine.execute(cpu, instruction(bits, src), 4, dataBus(mem, machine.isa.endian));
  expect(out).toEqual(extra.out ?? { kind: 'next' });
  expect(view(cpu.regs, cpu.pc)).toEqual(view(want.regs, want.pc));
  if (extra.irq !== undefined) expect(cpu.irqEnabled).toBe(extra.irq);
  if (extra.memAfter) expect(Array.from(mem.readPhysBytes(0x1000, extra.memAfter.length))).toEqual(extra.memAfter);
}

const title = (c: Case, bits: number) => `${bits}: ${typeof c[1] === 'string' ? c[1] : JSON.stringify(c[1])} ${JSON.stringify(c[2], (_, v) => (typeof v === 'bigint' ? hex(v) : v))}`;

export function cases(list: readonly Case[]): void {
  for (const c of list) {
    for (const bits of c[0] === 'both' ? ([32, 64] as const) : [c[0]]) it(title(c, bits), () => runCase(c, bits));
  }
}
