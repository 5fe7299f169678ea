// Branches, calls, returns, push, pop and iret: everything that moves rip or rsp.
//
// Near branches are 64-bit whatever the prefixes: Intel 64 ignores a 66 prefix on jmp, jcc, call and
// ret in 64-bit mode (checked on this machine's Xeon: `66 c3` pops 8 bytes, `66 ff d0` pushes 8 and
// calls the whole of rax; AMD would honour it). push and pop do honour 66: they move 2 bytes.
// Each instruction does every access that can fault before it changes a register.

import { InternalError } from '../../base/assert.js';
import type { X86Insn } from '../../isa/x86-64/index.js';
import type { AccessFault, DataBus, ExecOutcome } from '../arch.js';
import type { CpuState } from '../cpu.js';
import * as executeAlu from './execute-alu.js';
import * as flags from './flags.js';
import * as operands from './operands.js';
import type { PcMove, RegLoc } from './operands.js';
import * as outcomes from './outcomes.js';
import type { Step } from './outcomes.js';
import * as registers from './registers.js';

// Module-local copies of the imports the hot path uses, read once: an imported binding is re-read on every
// use (through its module natively, through a getter under tsx, which `npm run bench` uses).
const { advance, FLAGS } = executeAlu;
const { condition } = flags;
const { hiIndex, loadAt, locate, loIndex, read, regLoc, moved, pcMove, storeAt, toBig, val, writeReg } = operands;
const { faulted, NEXT, SERIALIZE, UNSUPPORTED } = outcomes;
const { FIXED1, IF, IRET_WRITABLE, POPF_WRITABLE, REG_SLOTS, RF, RSP, VM } = registers;

const SP_LO = loIndex(RSP);
const SP_HI = hiIndex(RSP);
const TWO32 = 4294967296;

/** rsp + delta into `val` (delta a small signed number). */
function stackPointer(r: Uint32Array, delta: number): void {
  const l = r[SP_LO] + delta;
  val.lo = l >>> 0;
  val.hi = (r[SP_HI] + (l - val.lo) / TWO32) >>> 0;
}

function setStackPointer(r: Uint32Array, lo: number, hi: number): void {
  r[SP_LO] = lo;
  r[SP_HI] = hi;
}

/** The branch displacement of a rel8/rel32 form, from the instruction's start. */
function relTarget(insn: X86Insn): bigint {
  const op = insn.operands[0];
  if (op.kind !== 'rel') throw new InternalError(`${insn.op}: no displacement`);
  return BigInt(insn.length + op.disp);
}

export function compileJmp(insn: X86Insn): Step {
  const target = pcMove(relTarget(insn));
  return (cpu) => {
    cpu.pc = moved(cpu.pc, target);
    return NEXT;
  };
}

export function compileJcc(insn: X86Insn, next: PcMove): Step {
  const target = pcMove(relTarget(insn));
  const cc = insn.cond!;
  return (cpu, r) => {
    cpu.pc = moved(cpu.pc, condition(cc, r[FLAGS]) ? target : next);
    return NEXT;
  };
}

/** Push the return address, then go to `target`: shared by the direct and indirect calls. */
function call(cpu: CpuState, r: Uint32Array, bus: DataBus, next: PcMove, target: bigint): ExecOutcome {
  stackPointer(r, -8);
  const lo = val.lo, hi = val.hi;
  const f = bus.store(toBig(lo, hi), 8, moved(cpu.pc, next));
  if (f) return faulted(f);
  setStackPointer(r, lo, hi);
  cpu.pc = target;
  return NEXT;
}

export function compileCall(insn: X86Insn, next: PcMove): Step {
  const target = pcMove(relTarget(insn));
  return (cpu, r, bus) => call(cpu, r, bus, next, moved(cpu.pc, target));
}

/** The 64-bit target of `jmp *` / `call *`: a register read whole (a 66 prefix named its low 16 bits). */
function indirectTarget(insn: X86Insn): (cpu: CpuState, r: Uint32Array, bus: DataBus) => AccessFault | undefined {
  const op = insn.operands[0];
  const loc = op.kind === 'reg' ? regLoc(REG_SLOTS[op.reg].slot, 64) : locate(op, 64, insn.length);
  return (cpu, r, bus) => read(loc, cpu, r, bus);
}

export function compileJmpIndirect(insn: X86Insn): Step {
  const target = indirectTarget(insn);
  return (cpu, r, bus) => {
    const f = target(cpu, r, bus);
    if (f) return faulted(f);
    cpu.pc = toBig(val.lo, val.hi);
    return NEXT;
  };
}

export function compileCallIndirect(insn: X86Insn, next: PcMove): Step {
  const target = indirectTarget(insn);
  return (cpu, r, bus) => {
    const f = target(cpu, r, bus);
    if (f) return faulted(f);
    return call(cpu, r, bus, next, toBig(val.lo, val.hi));
  };
}

/** ret and ret $imm16: pop rip, then release imm16 more bytes. */
export function compileRet(insn: X86Insn): Step {
  const op = insn.operands[0];
  const release = 8 + (op?.kind === 'imm' ? Number(op.value) : 0);
  return (cpu, r, bus) => {
    stackPointer(r, 0);
    const f = loadAt(bus, toBig(val.lo, val.hi), 8);
    if (f) return faulted(f);
    cpu.pc = toBig(val.lo, val.hi);
    stackPointer(r, release);
    setStackPointer(r, val.lo, val.hi);
    return NEXT;
  };
}

/**
 * push of a register, an immediate (sign-extended to the operand size by the decoder) or memory: the
 * value first (push %rsp pushes the old rsp; a memory operand's address uses the old rsp), then the
 * store, then rsp.
 */
export function compilePush(insn: X86Insn, next: PcMove): Step {
  const bytes = insn.opsize === 16 ? 2 : 8;
  const src = locate(insn.operands[0], insn.opsize === 16 ? 16 : 64, insn.length);
  return (cpu, r, bus) => {
    const fs = read(src, cpu, r, bus);
    if (fs) return faulted(fs);
    const vLo = val.lo, vHi = val.hi;
    return pushValue(cpu, r, bus, bytes, vLo, vHi, next);
  };
}

function pushValue(cpu: CpuState, r: Uint32Array, bus: DataBus, bytes: 2 | 8, lo: number, hi: number, next: PcMove): ExecOutcome {
  stackPointer(r, -bytes);
  const f = storeAt(bus, toBig(val.lo, val.hi), bytes, lo, hi);
  if (f) return faulted(f);
  setStackPointer(r, val.lo, val.hi);
  advance(cpu, next);
  return NEXT;
}

/** pushf: RFLAGS with VM and RF read as 0 (pushfw: its low 16 bits). */
export function compilePushf(insn: X86Insn, next: PcMove): Step {
  const bytes = insn.opsize === 16 ? 2 : 8;
  return (cpu, r, bus) => pushValue(cpu, r, bus, bytes, (r[FLAGS] & ~(VM | RF)) & (bytes === 2 ? 0xffff : 0xffffffff), 0, next);
}

/**
 * popf at ring 0 of 64-bit mode (Intel SDM vol. 2, POPF): every flag but VIP, VIF and VM may change, RF
 * is cleared, reserved bits stay; popfw changes only the low 16 bits. IF goes to `irqEnabled`: popf may
 * enable interrupts, with no shadow (only sti and mov/pop ss block the next instruction).
 */
export function compilePopf(insn: X86Insn, next: PcMove): Step {
  const bytes = insn.opsize === 16 ? 2 : 8;
  const writable = bytes === 2 ? POPF_WRITABLE & 0xffff : POPF_WRITABLE;
  return (cpu, r, bus) => {
    stackPointer(r, 0);
    const f = loadAt(bus, toBig(val.lo, val.hi), bytes);
    if (f) return faulted(f);
    const popped = val.lo;
    stackPointer(r, bytes);
    setStackPointer(r, val.lo, val.hi);
    r[FLAGS] = ((r[FLAGS] & ~writable & ~RF) | (popped & writable) | FIXED1) >>> 0;
    cpu.irqEnabled = (r[FLAGS] & IF) !== 0;
    advance(cpu, next);
    return NEXT;
  };
}

/** pop: rsp moves before the register is written, so `pop %rsp` leaves the loaded value. */
export function compilePop(insn: X86Insn, next: PcMove): Step {
  const bytes = insn.opsize === 16 ? 2 : 8;
  const dst = locate(insn.operands[0], insn.opsize === 16 ? 16 : 64, insn.length) as RegLoc;
  return (cpu, r, bus) => {
    stackPointer(r, 0);
    const f = loadAt(bus, toBig(val.lo, val.hi), bytes);
    if (f) return faulted(f);
    const vLo = val.lo, vHi = val.hi;
    stackPointer(r, bytes);
    setStackPointer(r, val.lo, val.hi);
    writeReg(dst, r, vLo, vHi);
    advance(cpu, next);
    return NEXT;
  };
}

/**
 * iret/iretd/iretq in 64-bit mode (Intel SDM vol. 2, IRET, IA-32e mode): pop rip, cs, rflags, rsp and
 * ss, each of the operand size (2, 4 or 8 bytes), always all five. The CPU runs at ring 0 with flat
 * segments, so only cs's privilege (its low two bits) matters: to ring 0, the same level, it is the
 * serializing return sync_core() makes to itself (MODEL.md section 3): rip, rsp and RFLAGS (the bits ring 0
 * may write; iretw only the low 16) are loaded, IF goes to `irqEnabled`, and this CPU's fetch windows
 * close. A return to another ring is outside the model: `unsupported`, and nothing changes.
 */
export function compileIret(insn: X86Insn): Step {
  const bytes = (insn.opsize / 8) as 2 | 4 | 8;
  const popped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  return (cpu, r, bus) => {
    for (let i = 0; i < 5; i++) {
      stackPointer(r, i * bytes);
      const f = loadAt(bus, toBig(val.lo, val.hi), bytes);
      if (f) return faulted(f);
      popped[2 * i] = val.lo;
      popped[2 * i + 1] = val.hi;
    }
    if ((popped[2] & 3) !== 0) return UNSUPPORTED;
    cpu.pc = toBig(popped[0], popped[1]);
    const flags = bytes === 2 ? (r[FLAGS] & ~0xffff) | popped[4] : popped[4];
    r[FLAGS] = (flags & IRET_WRITABLE) | FIXED1;
    cpu.irqEnabled = (r[FLAGS] & IF) !== 0;
    setStackPointer(r, popped[6], popped[7]);
    return SERIALIZE;
  };
}
