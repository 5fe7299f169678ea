// Loads, stores, and the A extension: LR/SC with a reservation, and the AMOs as one indivisible step.
//
// A data access is sequentially consistent and a step is atomic (MODEL.md section 1), so an AMO is its
// load and store together and the aq/rl bits add nothing. LR reserves its address; SC succeeds (rd = 0)
// only on the reserved address, and any SC drops the reservation. **(not yet)** another CPU's store to
// the reserved address does not break the reservation: programs that race LR/SC are not modelled.

import type { RiscvInsn } from '../../isa/riscv64/index.js';
import type { DataBus, ExecOutcome } from '../arch.js';
import type { CpuState } from '../cpu.js';
import { faultOutcome } from './outcomes.js';
import { RESERVATION, setX } from './registers.js';

type Size = 1 | 2 | 4 | 8;

/** Loads: bytes, and whether the value is sign-extended. */
export const LOADS: Readonly<Record<string, readonly [Size, boolean]>> = {
  lb: [1, true], lh: [2, true], lw: [4, true], ld: [8, true], lbu: [1, false], lhu: [2, false], lwu: [4, false],
};
export const STORES: Readonly<Record<string, Size>> = { sb: 1, sh: 2, sw: 4, sd: 8 };

const address = (cpu: CpuState, insn: RiscvInsn) => BigInt.asUintN(64, cpu.regs[insn.rs1] + BigInt(insn.imm));
const extend = (v: bigint, size: Size, signed: boolean) => (signed ? BigInt.asIntN(size * 8, v) : v);

/** A fault leaves the pc on the instruction; anything else is undefined (the caller moves on). */
export function load(cpu: CpuState, bus: DataBus, insn: RiscvInsn, op: string): ExecOutcome | undefined {
  const [size, signed] = LOADS[op];
  const v = bus.load(address(cpu, insn), size);
  if (typeof v !== 'bigint') return faultOutcome(v);
  setX(cpu, insn.rd, extend(v, size, signed));
  return undefined;
}

export function store(cpu: CpuState, bus: DataBus, insn: RiscvInsn, op: string): ExecOutcome | undefined {
  const size = STORES[op];
  const fault = bus.store(address(cpu, insn), size, BigInt.asUintN(size * 8, cpu.regs[insn.rs2]));
  return fault ? faultOutcome(fault) : undefined;
}

const AMO: Readonly<Record<string, (old: bigint, src: bigint, size: Size) => bigint>> = {
  amoswap: (_o, s) => s,
  amoadd: (o, s) => o + s,
  amoxor: (o, s) => o ^ s,
  amoand: (o, s) => o & s,
  amoor: (o, s) => o | s,
  amomin: (o, s, n) => (BigInt.asIntN(n * 8, o) < BigInt.asIntN(n * 8, s) ? o : s),
  amomax: (o, s, n) => (BigInt.asIntN(n * 8, o) > BigInt.asIntN(n * 8, s) ? o : s),
  amominu: (o, s, n) => (BigInt.asUintN(n * 8, o) < BigInt.asUintN(n * 8, s) ? o : s),
  amomaxu: (o, s, n) => (BigInt.asUintN(n * 8, o) > BigInt.asUintN(n * 8, s) ? o : s),
};

/** lr.w/d, sc.w/d and the AMOs (`op` is the table entry: `amoadd_w`, `lr_d` …). Misaligned: a fault. */
export function atomic(cpu: CpuState, bus: DataBus, insn: RiscvInsn, op: string): ExecOutcome | undefined {
  const [name, width] = op.split('_');
  const size: Size = width === 'w' ? 4 : 8;
  const at = cpu.regs[insn.rs1];
  if (at % BigInt(size) !== 0n) return faultOutcome({ kind: 'fault', address: at, access: name === 'lr' ? 'read' : 'write', reason: 'misaligned' });
  if (name === 'sc') {
    const reserved = cpu.regs[RESERVATION] === (at | 1n);
    cpu.regs[RESERVATION] = 0n;
    if (reserved) {
      const fault = bus.store(at, size, BigInt.asUintN(size * 8, cpu.regs[insn.rs2]));
      if (fault) return faultOutcome(fault);
    }
    setX(cpu, insn.rd, reserved ? 0n : 1n);
    return undefined;
  }
  const old = bus.load(at, size);
  if (typeof old !== 'bigint') return faultOutcome(old);
  if (name === 'lr') {
    cpu.regs[RESERVATION] = at | 1n;
  } else {
    const fault = bus.store(at, size, BigInt.asUintN(size * 8, AMO[name](old, cpu.regs[insn.rs2], size)));
    if (fault) return faultOutcome(fault);
  }
  setX(cpu, insn.rd, BigInt.asIntN(size * 8, old));
  return undefined;
}
