// Linear disassembly of a byte string, one line per instruction, as objdump walks it.

import type { Isa } from './types.js';

export interface DisasmLine {
  readonly address: bigint;
  readonly bytes: Uint8Array;
  readonly mnemonic: string;
  readonly operands: string;
  /** False where the bytes did not decode (objdump's `(bad)`, `.inst`, `.long`). */
  readonly valid: boolean;
}

export function disassemble(isa: Isa, bytes: Uint8Array, address: bigint): DisasmLine[] {
  const out: DisasmLine[] = [];
  let off = 0;
  while (off < bytes.length) {
    const at = address + BigInt(off);
    const misaligned = off % isa.insnAlign !== 0 || bytes.length - off < isa.insnAlign;
    const insn = misaligned ? undefined : isa.decode(bytes, off);
    if (insn !== undefined && off + isa.length(insn) <= bytes.length) {
      const len = isa.length(insn);
      const text = isa.print(insn, at);
      out.push({ address: at, bytes: bytes.slice(off, off + len), mnemonic: text.mnemonic, operands: text.operands, valid: true });
      off += len;
      continue;
    }
    const bad = isa.undecodable(bytes, off);
    const len = Math.max(1, Math.min(bad.length, bytes.length - off));
    out.push({ address: at, bytes: bytes.slice(off, off + len), mnemonic: bad.text.mnemonic, operands: bad.text.operands, valid: false });
    off += len;
  }
  return out;
}

/** `address:<TAB>hex bytes<TAB>mnemonic operands` — the `patchlab disasm` line other tools script against. */
export function formatDisasmLine(l: DisasmLine): string {
  const hex = Array.from(l.bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = l.operands ? `${l.mnemonic} ${l.operands}` : l.mnemonic;
  return `${l.address.toString(16)}:\t${hex}\t${text}`;
}
