// Traps, the interrupt flag, cpuid, serialization, fences and the no-ops.

import { InternalError } from '../../base/assert.js';
import type { X86Insn } from '../../isa/x86-64/index.js';
import type { GprSize } from '../../isa/x86-64/table.js';
import * as outcomes from './outcomes.js';
import type { Step } from './outcomes.js';
import * as executeAlu from './execute-alu.js';
import * as operands from './operands.js';
import type { PcMove } from './operands.js';
import * as registers from './registers.js';

// Module-local copies of the imports the hot path uses, read once: an imported binding is re-read on every
// use (through its module natively, through a getter under tsx, which `npm run bench` uses).
const { barrier, BREAKPOINT, HALT, NEXT, SERIALIZE } = outcomes;
const { advance, FLAGS } = executeAlu;
const { regLoc, writeReg } = operands;
const { DF, IF, REG_SLOTS, SEGMENT_SELECTORS } = registers;

/** int3: #BP is a trap, so rip is already past the int3 (the kernel's handler uses regs->ip - 1). */
export const compileInt3 = (next: PcMove): Step => (cpu) => {
  advance(cpu, next);
  return BREAKPOINT;
};

/** hlt: the CPU stops until an interrupt, whose return address is the next instruction. */
export const compileHlt = (next: PcMove): Step => (cpu) => {
  advance(cpu, next);
  return HALT;
};

export const compileCli = (next: PcMove): Step => (cpu, r) => {
  r[FLAGS] &= ~IF;
  cpu.irqEnabled = false;
  advance(cpu, next);
  return NEXT;
};

/** cld and std: DF, which only string instructions read (the model has none; the kernel clears it on entry). */
export const compileDirection = (set: boolean, next: PcMove): Step => (cpu, r) => {
  r[FLAGS] = set ? r[FLAGS] | DF : r[FLAGS] & ~DF;
  advance(cpu, next);
  return NEXT;
};

/**
 * sti: IF = 1. Only when IF was 0 does it block interrupts until after the next instruction (Intel
 * SDM vol. 3, "Blocking by STI"); `execute` clears the shadow at every other instruction.
 */
export const compileSti = (next: PcMove): Step => (cpu, r) => {
  if ((r[FLAGS] & IF) === 0) cpu.irqShadow = true;
  r[FLAGS] |= IF;
  cpu.irqEnabled = true;
  advance(cpu, next);
  return NEXT;
};

/**
 * The leaves cpuid answers, eax ecx → [eax, ebx, ecx, edx]: a CPU of vendor "patchlab x86" with
 * basic leaves up to 7 and no extended ones. Leaf 1 has SSE and SSE2 (the fences need them), leaf 7
 * SERIALIZE (edx bit 14). A leaf above the highest returns the highest basic leaf, as Intel CPUs do.
 */
const VENDOR = [0x63746170, 0x62616c68, 0x36387820]; // "patc" "hlab" " x86" as ebx, edx, ecx
const MAX_BASIC = 7;
const MAX_EXTENDED = 0x80000000;

export function cpuidLeaf(leaf: number, subleaf: number): readonly [number, number, number, number] {
  const above = leaf >= 0x80000000 ? leaf > MAX_EXTENDED : leaf > MAX_BASIC;
  switch (above ? MAX_BASIC : leaf) {
    case 0: return [MAX_BASIC, VENDOR[0], VENDOR[2], VENDOR[1]];
    case 1: return [0, 0, 0, (1 << 25) | (1 << 26)];
    case 7: return subleaf === 0 ? [0, 0, 0, 1 << 14] : [0, 0, 0, 0];
    case MAX_EXTENDED: return [MAX_EXTENDED, 0, 0, 0];
    default: return [0, 0, 0, 0];
  }
}

const EAX = regLoc(0, 32), ECX = regLoc(1, 32), EDX = regLoc(2, 32), EBX = regLoc(3, 32);

/** cpuid: serializing, so this CPU becomes certain of every code byte. */
export const compileCpuid = (next: PcMove): Step => (cpu, r) => {
  const [a, b, c, d] = cpuidLeaf(r[EAX.lo], r[ECX.lo]);
  writeReg(EAX, r, a, 0);
  writeReg(EBX, r, b, 0);
  writeReg(ECX, r, c, 0);
  writeReg(EDX, r, d, 0);
  advance(cpu, next);
  return SERIALIZE;
};

export const compileSerialize = (next: PcMove): Step => (cpu) => {
  advance(cpu, next);
  return SERIALIZE;
};

/** lfence, mfence, sfence, pause: nothing for the data model (sequentially consistent); the events say what ran. */
export const compileBarrier = (what: 'lfence' | 'mfence' | 'sfence' | 'pause', next: PcMove): Step => {
  const out = barrier(what);
  return (cpu) => {
    advance(cpu, next);
    return out;
  };
};

/** mov from a segment register: its selector, zero-extended into a 32- or 64-bit register, merged into 16. */
export function compileMovSreg(insn: X86Insn, next: PcMove): Step {
  const src = insn.operands[0];
  const dst = insn.operands[1];
  if (src.kind !== 'sreg' || dst.kind !== 'reg') throw new InternalError(`${insn.op}: not a segment and a register`);
  const value = SEGMENT_SELECTORS[src.num];
  const r16 = REG_SLOTS[dst.reg];
  const loc = regLoc(r16.slot, insn.opsize as GprSize);
  return (cpu, r) => {
    writeReg(loc, r, value, 0);
    advance(cpu, next);
    return NEXT;
  };
}

/** nop, nopw/nopl with a memory operand (never accessed), xchg %ax,%ax, and endbr64 (IBT is not modelled). */
export const compileNop = (next: PcMove): Step => (cpu) => {
  advance(cpu, next);
  return NEXT;
};
