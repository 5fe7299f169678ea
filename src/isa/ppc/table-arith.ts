// Fixed-point add, subtract, negate and multiply (Power ISA Book I 3.3.9–3.3.10): entries spread into PPC_TABLE.
//
// Each XO-form entry comes four times: plain, record (`.`, Rc = 1), overflow-enabled (`o`, OE = 1:
// XER[OV] and XER[SO], and on ISA 3.0 OV32) and both (`o.`). The carrying forms (addc, subfc, adde,
// subfe, addme, subfme, addze, subfze, addic, addic., subfic) also set XER[CA] (and CA32). mulhw,
// mulhwu, mulhd and mulhdu have no OE bit: objdump shows the word with it set as `.long`. Read off
// GNU as and objdump in both modes: `subc`, `sub` and `subic` are assembled, never printed.

// No import of table.ts's types (that would be a cycle): PPC_TABLE's `satisfies` checks these entries.

const GPR3 = [['gpr', 'rt'], ['gpr', 'ra'], ['gpr', 'rb']] as const;
const GPR2 = [['gpr', 'rt'], ['gpr', 'ra']] as const;
const IMM = [['gpr', 'rt'], ['gpr', 'ra'], ['si', 'si']] as const;

/** `sub rt,ra,rb` is `subf rt,rb,ra` (and `subc` is `subfc`). */
const swapped = (mnemonic: string) =>
  ({ mnemonic, operands: [['gpr', 'rt'], ['gpr', 'rb'], ['gpr', 'ra']], print: false, asm: 'both' }) as const;
/** `subic rt,ra,v` is `addic rt,ra,-v`: objdump prints addic. */
const negated = (mnemonic: string) =>
  ({ mnemonic, operands: [['gpr', 'rt'], ['gpr', 'ra'], ['sineg', 'si']], print: false, asm: 'both' }) as const;

export const ARITH_TABLE = {
  add: { fixed: { opcd: 31, oe: 0, xo9: 266, rc: 0 }, operands: GPR3 },
  'add.': { fixed: { opcd: 31, oe: 0, xo9: 266, rc: 1 }, operands: GPR3 },
  addo: { fixed: { opcd: 31, oe: 1, xo9: 266, rc: 0 }, operands: GPR3 },
  'addo.': { fixed: { opcd: 31, oe: 1, xo9: 266, rc: 1 }, operands: GPR3 },
  subf: { fixed: { opcd: 31, oe: 0, xo9: 40, rc: 0 }, operands: GPR3, aliases: [swapped('sub')] },
  'subf.': { fixed: { opcd: 31, oe: 0, xo9: 40, rc: 1 }, operands: GPR3, aliases: [swapped('sub.')] },
  subfo: { fixed: { opcd: 31, oe: 1, xo9: 40, rc: 0 }, operands: GPR3, aliases: [swapped('subo')] },
  'subfo.': { fixed: { opcd: 31, oe: 1, xo9: 40, rc: 1 }, operands: GPR3, aliases: [swapped('subo.')] },
  neg: { fixed: { opcd: 31, oe: 0, xo9: 104, rc: 0 }, operands: GPR2 },
  'neg.': { fixed: { opcd: 31, oe: 0, xo9: 104, rc: 1 }, operands: GPR2 },
  nego: { fixed: { opcd: 31, oe: 1, xo9: 104, rc: 0 }, operands: GPR2 },
  'nego.': { fixed: { opcd: 31, oe: 1, xo9: 104, rc: 1 }, operands: GPR2 },
  // --- carrying: XER[CA] is the carry out of RA + RB (addc), ¬RA + RB + 1 (subfc)
  addc: { fixed: { opcd: 31, oe: 0, xo9: 10, rc: 0 }, operands: GPR3 },
  'addc.': { fixed: { opcd: 31, oe: 0, xo9: 10, rc: 1 }, operands: GPR3 },
  addco: { fixed: { opcd: 31, oe: 1, xo9: 10, rc: 0 }, operands: GPR3 },
  'addco.': { fixed: { opcd: 31, oe: 1, xo9: 10, rc: 1 }, operands: GPR3 },
  subfc: { fixed: { opcd: 31, oe: 0, xo9: 8, rc: 0 }, operands: GPR3, aliases: [swapped('subc')] },
  'subfc.': { fixed: { opcd: 31, oe: 0, xo9: 8, rc: 1 }, operands: GPR3, aliases: [swapped('subc.')] },
  subfco: { fixed: { opcd: 31, oe: 1, xo9: 8, rc: 0 }, operands: GPR3, aliases: [swapped('subco')] },
  'subfco.': { fixed: { opcd: 31, oe: 1, xo9: 8, rc: 1 }, operands: GPR3, aliases: [swapped('subco.')] },
  // --- extended: the carry in is XER[CA]; addme/subfme add −1, addze/subfze 0 (RB must be 0)
  adde: { fixed: { opcd: 31, oe: 0, xo9: 138, rc: 0 }, operands: GPR3 },
  'adde.': { fixed: { opcd: 31, oe: 0, xo9: 138, rc: 1 }, operands: GPR3 },
  addeo: { fixed: { opcd: 31, oe: 1, xo9: 138, rc: 0 }, operands: GPR3 },
  'addeo.': { fixed: { opcd: 31, oe: 1, xo9: 138, rc: 1 }, operands: GPR3 },
  subfe: { fixed: { opcd: 31, oe: 0, xo9: 136, rc: 0 }, operands: GPR3 },
  'subfe.': { fixed: { opcd: 31, oe: 0, xo9: 136, rc: 1 }, operands: GPR3 },
  subfeo: { fixed: { opcd: 31, oe: 1, xo9: 136, rc: 0 }, operands: GPR3 },
  'subfeo.': { fixed: { opcd: 31, oe: 1, xo9: 136, rc: 1 }, operands: GPR3 },
  addme: { fixed: { opcd: 31, oe: 0, xo9: 234, rc: 0 }, operands: GPR2 },
  'addme.': { fixed: { opcd: 31, oe: 0, xo9: 234, rc: 1 }, operands: GPR2 },
  addmeo: { fixed: { opcd: 31, oe: 1, xo9: 234, rc: 0 }, operands: GPR2 },
  'addmeo.': { fixed: { opcd: 31, oe: 1, xo9: 234, rc: 1 }, operands: GPR2 },
  subfme: { fixed: { opcd: 31, oe: 0, xo9: 232, rc: 0 }, operands: GPR2 },
  'subfme.': { fixed: { opcd: 31, oe: 0, xo9: 232, rc: 1 }, operands: GPR2 },
  subfmeo: { fixed: { opcd: 31, oe: 1, xo9: 232, rc: 0 }, operands: GPR2 },
  'subfmeo.': { fixed: { opcd: 31, oe: 1, xo9: 232, rc: 1 }, operands: GPR2 },
  addze: { fixed: { opcd: 31, oe: 0, xo9: 202, rc: 0 }, operands: GPR2 },
  'addze.': { fixed: { opcd: 31, oe: 0, xo9: 202, rc: 1 }, operands: GPR2 },
  addzeo: { fixed: { opcd: 31, oe: 1, xo9: 202, rc: 0 }, operands: GPR2 },
  'addzeo.': { fixed: { opcd: 31, oe: 1, xo9: 202, rc: 1 }, operands: GPR2 },
  subfze: { fixed: { opcd: 31, oe: 0, xo9: 200, rc: 0 }, operands: GPR2 },
  'subfze.': { fixed: { opcd: 31, oe: 0, xo9: 200, rc: 1 }, operands: GPR2 },
  subfzeo: { fixed: { opcd: 31, oe: 1, xo9: 200, rc: 0 }, operands: GPR2 },
  'subfzeo.': { fixed: { opcd: 31, oe: 1, xo9: 200, rc: 1 }, operands: GPR2 },
  // --- immediate, carrying (D form): RA is a register even when it is r0
  addic: { fixed: { opcd: 12 }, operands: IMM, aliases: [negated('subic')] },
  'addic.': { fixed: { opcd: 13 }, operands: IMM, aliases: [negated('subic.')] },
  subfic: { fixed: { opcd: 8 }, operands: IMM },
  // --- multiplies
  mulli: { fixed: { opcd: 7 }, operands: IMM },
  mullw: { fixed: { opcd: 31, oe: 0, xo9: 235, rc: 0 }, operands: GPR3 },
  'mullw.': { fixed: { opcd: 31, oe: 0, xo9: 235, rc: 1 }, operands: GPR3 },
  mullwo: { fixed: { opcd: 31, oe: 1, xo9: 235, rc: 0 }, operands: GPR3 },
  'mullwo.': { fixed: { opcd: 31, oe: 1, xo9: 235, rc: 1 }, operands: GPR3 },
  mulhw: { fixed: { opcd: 31, oe: 0, xo9: 75, rc: 0 }, operands: GPR3 },
  'mulhw.': { fixed: { opcd: 31, oe: 0, xo9: 75, rc: 1 }, operands: GPR3 },
  mulhwu: { fixed: { opcd: 31, oe: 0, xo9: 11, rc: 0 }, operands: GPR3 },
  'mulhwu.': { fixed: { opcd: 31, oe: 0, xo9: 11, rc: 1 }, operands: GPR3 },
  mulld: { fixed: { opcd: 31, oe: 0, xo9: 233, rc: 0 }, operands: GPR3, only64: true },
  'mulld.': { fixed: { opcd: 31, oe: 0, xo9: 233, rc: 1 }, operands: GPR3, only64: true },
  mulldo: { fixed: { opcd: 31, oe: 1, xo9: 233, rc: 0 }, operands: GPR3, only64: true },
  'mulldo.': { fixed: { opcd: 31, oe: 1, xo9: 233, rc: 1 }, operands: GPR3, only64: true },
  mulhd: { fixed: { opcd: 31, oe: 0, xo9: 73, rc: 0 }, operands: GPR3, only64: true },
  'mulhd.': { fixed: { opcd: 31, oe: 0, xo9: 73, rc: 1 }, operands: GPR3, only64: true },
  mulhdu: { fixed: { opcd: 31, oe: 0, xo9: 9, rc: 0 }, operands: GPR3, only64: true },
  'mulhdu.': { fixed: { opcd: 31, oe: 0, xo9: 9, rc: 1 }, operands: GPR3, only64: true },
} as const;
