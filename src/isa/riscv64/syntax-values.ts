// Build time: an operand's value into a field, with GNU as's range checks, or a relocation against a symbol.

import type { MessageCode, SourceSpan } from '../../base/diagnostics.js';
import type { AsmValue, Fixup } from '../types.js';
import { hiPart, loPart } from './relocs.js';
import type { RelocOp, Value } from './syntax-operands.js';
import type { Item } from './syntax-spellings.js';

export interface SlotFailure {
  readonly code: MessageCode;
  readonly span: SourceSpan;
  readonly args: readonly (string | number | bigint)[];
}

/** A field's value, or (for a symbol under `%lo`, `%hi`, `%pcrel_hi`) 0 and the relocation that fills it. */
export type SlotValue = { readonly value: number; readonly fixup?: Fixup } | SlotFailure;

export const isFailure = (r: object): r is SlotFailure => 'code' in r;

type ValueSlot = (Item & { kind: 'value' })['slot'];

/** The relocation each operator asks for in each slot (`%lo` in a store is the S-type one). */
function relocFor(op: RelocOp, slot: ValueSlot, store: boolean): string | undefined {
  if (slot === 'hi20') return op === 'hi' ? 'R_RISCV_HI20' : op === 'pcrel_hi' ? 'R_RISCV_PCREL_HI20' : undefined;
  if (slot === 'imm' && op === 'lo') return store ? 'R_RISCV_LO12_S' : 'R_RISCV_LO12_I';
  return undefined;
}

/**
 * The value of an immediate slot. `v` is the operand's expression evaluated (undefined: reported);
 * `hi20` takes the 20 bits as written (`lui a0,0x12`) and gives the value they add (0x12000).
 */
export function slotValue(slot: ValueSlot, operand: Value, v: AsmValue, store: boolean): SlotValue {
  const span = operand.span;
  if (v.kind === 'reloc') return { code: 'PL1016', span, args: [] };
  if (v.kind === 'const') {
    let n = v.value;
    if (operand.reloc === 'hi' || operand.reloc === 'pcrel_hi') {
      if (slot !== 'hi20' || operand.reloc === 'pcrel_hi') return { code: 'PL1016', span, args: [] };
      return { value: Number(hiPart(n)) };
    }
    if (operand.reloc === 'lo') {
      if (slot !== 'imm') return { code: 'PL1016', span, args: [] };
      n = loPart(n);
    } else if (operand.reloc === 'pcrel_lo') {
      return { code: 'PL1015', span, args: ['%pcrel_lo', 'riscv64 (write `lla`, or the pair under one `%pcrel_hi`)'] };
    }
    if (slot === 'hi20') {
      if (n < 0n || n > 0xfffffn) return { code: 'PL2005', span, args: [n, '[0, 0xfffff]'] };
      return { value: Number(BigInt.asIntN(32, n << 12n)) };
    }
    // A number too large for a JS integer is out of every field's range anyway.
    if (n > 1n << 40n || n < -(1n << 40n)) return { code: 'PL2005', span, args: [n, 'of the field'] };
    return { value: Number(n) };
  }
  const type = operand.reloc ? relocFor(operand.reloc, slot, store) : undefined;
  if (!type) {
    if (operand.reloc) return { code: 'PL1015', span, args: [`%${operand.reloc}`, 'this operand'] };
    return v.section === undefined ? { code: 'PL1005', span, args: [v.name] } : { code: 'PL1009', span, args: [] };
  }
  if (v.minus !== undefined) return { code: 'PL1017', span, args: [`\`${v.name}\` minus a label cannot be relocated by ${type}`] };
  return { value: 0, fixup: { offset: 0, type, target: v, addend: v.addend } };
}
