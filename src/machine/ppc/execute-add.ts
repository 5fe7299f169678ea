// Additions and subtractions through one adder (Power ISA Book I 3.3.9): add, subf, neg, their carrying, extended and immediate forms, and what they set in XER.
//
// Each is A + B + carry-in in the mode's width (¬RA + RB + 1 is RB − RA):
//
//   entry          A     B          carry in   sets CA
//   add            RA    RB         0          no
//   subf           ¬RA   RB         1          no
//   neg            ¬RA   0          1          no
//   addc           RA    RB         0          yes
//   subfc          ¬RA   RB         1          yes
//   adde           RA    RB         CA         yes
//   subfe          ¬RA   RB         CA         yes
//   addme          RA    −1         CA         yes
//   subfme         ¬RA   −1         CA         yes
//   addze          RA    0          CA         yes
//   subfze         ¬RA   0          CA         yes
//   addic, addic.  RA    EXTS(SI)   0          yes
//   subfic         ¬RA   EXTS(SI)   1          yes
//
// CA is the carry out of the mode's width (ppc32 32 bits, ppc64 64). With OE = 1 (the `o` forms) OV is
// whether A + B + carry-in, taken as signed numbers, does not fit the width, and SO |= OV. ppc64 is an
// ISA 3.0 CPU (POWER9, as qemu-ppc64le runs it): whatever sets CA or OV also sets CA32 or OV32, the same
// of the low words; ppc32 (a 750, as qemu-ppc runs it) has neither. A record form sets CR0 last, so its
// SO is XER[SO] after the instruction.

import { PPC_TABLE, type EntrySpec, type PpcOp } from '../../isa/ppc/table.js';
import type { CpuState } from '../cpu.js';
import { recordCr0 } from './execute-alu.js';
import type { Insn } from './insn.js';
import { XER, XER_CA, XER_CA32, xerAfterOverflow } from './registers.js';

interface AdderSpec {
  readonly invertRa: boolean;
  readonly b: 'rb' | 'si' | 'zero' | 'minusOne';
  readonly carryIn: 0 | 1 | 'ca';
  readonly setsCa: boolean;
}

/** The adder's inputs per entry (the truth table above), without its record and `o` forms. */
const ADDERS = {
  add: { invertRa: false, b: 'rb', carryIn: 0, setsCa: false },
  subf: { invertRa: true, b: 'rb', carryIn: 1, setsCa: false },
  neg: { invertRa: true, b: 'zero', carryIn: 1, setsCa: false },
  addc: { invertRa: false, b: 'rb', carryIn: 0, setsCa: true },
  subfc: { invertRa: true, b: 'rb', carryIn: 1, setsCa: true },
  adde: { invertRa: false, b: 'rb', carryIn: 'ca', setsCa: true },
  subfe: { invertRa: true, b: 'rb', carryIn: 'ca', setsCa: true },
  addme: { invertRa: false, b: 'minusOne', carryIn: 'ca', setsCa: true },
  subfme: { invertRa: true, b: 'minusOne', carryIn: 'ca', setsCa: true },
  addze: { invertRa: false, b: 'zero', carryIn: 'ca', setsCa: true },
  subfze: { invertRa: true, b: 'zero', carryIn: 'ca', setsCa: true },
  addic: { invertRa: false, b: 'si', carryIn: 0, setsCa: true },
  subfic: { invertRa: true, b: 'si', carryIn: 1, setsCa: true },
} as const satisfies Record<string, AdderSpec>;

/** Every table entry the adder runs: an ADDERS key with its `o`, `.` and `o.` forms where the table has them. */
export type AdderOp = Extract<PpcOp, `${keyof typeof ADDERS}${'' | 'o' | '.' | 'o.'}`>;

interface AdderEntry extends AdderSpec {
  /** OE = 1: sets OV (OV32) and SO. */
  readonly overflow: boolean;
  readonly record: boolean;
}

/** Per entry, derived from the table: the adder spec of its base name, OE from its fixed bits, Rc from its name. */
const ADDER_ENTRIES: Readonly<Record<AdderOp, AdderEntry>> = (() => {
  const out: Partial<Record<string, AdderEntry>> = {};
  for (const op of Object.keys(PPC_TABLE)) {
    const base = op.replace(/o?\.?$/, '');
    if (!(base in ADDERS)) continue;
    const fixed = (PPC_TABLE[op as PpcOp] as EntrySpec).fixed;
    out[op] = Object.freeze({ ...ADDERS[base as keyof typeof ADDERS], overflow: fixed.oe === 1, record: op.endsWith('.') });
  }
  return Object.freeze(out as Record<AdderOp, AdderEntry>);
})();

/** The entries addWithCarry runs, in table order. */
export const ADDER_OPS: readonly AdderOp[] = Object.freeze(Object.keys(ADDER_ENTRIES) as AdderOp[]);

const ALL32 = 0xffffffffn;
const ALL64 = (1n << 64n) - 1n;

export function addWithCarry(cpu: CpuState, insn: Insn<AdderOp>, is64: boolean): void {
  const e = ADDER_ENTRIES[insn.op];
  const r = cpu.regs;
  const x = insn as unknown as { readonly rt: number; readonly ra: number; readonly rb?: number; readonly si?: number };
  const all = is64 ? ALL64 : ALL32;
  const a = e.invertRa ? r[x.ra] ^ all : r[x.ra];
  const b = e.b === 'rb' ? r[x.rb!] : e.b === 'si' ? BigInt(x.si!) & all : e.b === 'minusOne' ? all : 0n;
  const carryIn = e.carryIn === 'ca' ? ((r[XER] & XER_CA) === 0n ? 0n : 1n) : BigInt(e.carryIn);
  const sum = a + b + carryIn;
  const result = sum & all;
  let xer = r[XER];
  if (e.setsCa) {
    xer = sum > all ? xer | XER_CA : xer & ~XER_CA;
    if (is64) xer = (a & ALL32) + (b & ALL32) + carryIn > ALL32 ? xer | XER_CA32 : xer & ~XER_CA32;
  }
  if (e.overflow) {
    const width = is64 ? 64 : 32;
    const ov = BigInt.asIntN(width, sum) !== BigInt.asIntN(width, a) + BigInt.asIntN(width, b) + carryIn;
    const ov32 = BigInt.asIntN(32, sum) !== BigInt.asIntN(32, a) + BigInt.asIntN(32, b) + carryIn;
    xer = xerAfterOverflow(xer, ov, ov32, is64);
  }
  r[XER] = xer;
  r[x.rt] = result;
  if (e.record) recordCr0(cpu, result, is64);
}
