// objdump's text for a decoded instruction: its first spelling whose condition holds, operands as objdump writes them.

import { assertNever } from '../../base/assert.js';
import { readU32 } from '../../base/bits.js';
import type { PrintedInsn } from '../types.js';
import { parcelLength } from './decode.js';
import { CSR_NAMES } from './table-csr.js';
import { FORM_BY_OP, type PrintSpelling } from './table-layout.js';
import { ORDERING_SUFFIXES, REGISTER_NAMES, fenceSetName, type RiscvInsn } from './table.js';

/** The operand slots a spelling may use. */
export type Slot = 'rd' | 'rs1' | 'rs2' | 'imm' | 'shamt' | 'hi20' | 'target' | 'csr' | 'pred' | 'succ';

const hex = (v: number | bigint) => `0x${v.toString(16)}`;

/** objdump prints a fence set of no bits as `unknown`; the others as their letters (iorw). */
const fenceSet = (bits: number) => (bits === 0 ? 'unknown' : fenceSetName(bits));

function slotText(slot: Slot, insn: RiscvInsn, address: bigint): string {
  switch (slot) {
    case 'rd': case 'rs1': case 'rs2': return REGISTER_NAMES[insn[slot]];
    case 'imm': return String(insn.imm);
    case 'shamt': return hex(insn.imm);
    case 'hi20': return hex((insn.imm >>> 12) & 0xfffff);
    // A pc-relative target prints as the bare address, wrapping at 64 bits.
    case 'target': return BigInt.asUintN(64, address + BigInt(insn.imm)).toString(16);
    case 'csr': return CSR_NAMES.get(insn.csr) ?? hex(insn.csr);
    case 'pred': return fenceSet(insn.pred);
    case 'succ': return fenceSet(insn.succ);
    default: return assertNever(slot, 'riscv64 operand slot');
  }
}

export function renderOperands(syntax: string, insn: RiscvInsn, address: bigint): string {
  return syntax.replace(/<(\w+)>/g, (_, slot: Slot) => slotText(slot, insn, address));
}

/** The spelling objdump uses for this instruction. */
export function spellingOf(insn: RiscvInsn): PrintSpelling {
  const form = FORM_BY_OP[insn.op];
  return form.print.find((s) => s.holds(insn)) ?? form.print[form.print.length - 1];
}

export function print(insn: RiscvInsn, address: bigint): PrintedInsn {
  const s = spellingOf(insn);
  const mnemonic = s.mnemonic.replace('<ord>', ORDERING_SUFFIXES[insn.aq * 2 + insn.rl]);
  return { mnemonic, operands: renderOperands(s.syntax, insn, address) };
}

/** What objdump prints for a parcel or word it cannot decode: `.2byte`/`.4byte` and the value; a lone tail byte as `.byte`. */
export function undecodable(bytes: Uint8Array, offset: number): { readonly length: number; readonly text: PrintedInsn } {
  if (offset + 2 > bytes.length) return { length: 1, text: { mnemonic: '.byte', operands: hex(bytes[offset]) } };
  const low = bytes[offset] | (bytes[offset + 1] << 8);
  if (parcelLength(low) === 4 && offset + 4 <= bytes.length) {
    return { length: 4, text: { mnemonic: '.4byte', operands: hex(readU32(bytes, offset, 'little')) } };
  }
  return { length: 2, text: { mnemonic: '.2byte', operands: hex(low) } };
}
