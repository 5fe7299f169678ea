// The adder family (add, subf, neg, the carrying, extended and immediate forms, with their `.`, `o` and `o.`) in both modes: XER after each.
//
// Values worked out from Power ISA Book I 3.3.9, and where ppc64's CA32/OV32 differ from CA/OV, checked
// against qemu-ppc64le (POWER9). ppc32 is a pre-3.0 CPU: no CA32 or OV32.

import { describe, expect, it } from 'vitest';
import { cases, instruction, type Case } from '../../../tests/support/ppc-exec.js';
import type { PpcOp } from '../../isa/ppc/table.js';
import { ADDER_OPS } from './execute-add.js';

const SO = 0x8000_0000n;
const OV = 0x4000_0000n;
const CA = 0x2000_0000n;
const OV32 = 0x8_0000n;
const CA32 = 0x4_0000n;
const M64 = 0xffff_ffff_ffff_ffffn;
const MIN64 = 0x8000_0000_0000_0000n;
const MAX64 = 0x7fff_ffff_ffff_ffffn;

const CASES: readonly Case[] = [
  // add, subf (RB − RA), neg; without OE XER stays, overflow shows only in the sign
  [32, 'add. 3,4,5', { r4: 0x7fffffffn, r5: 1n }, { r3: 0x80000000n, cr: 0x80000000n }],
  [64, 'add. 3,4,5', { r4: 0x7fffffffn, r5: 1n }, { r3: 0x80000000n, cr: 0x40000000n }],
  [32, 'add. 3,4,5', { r4: 0xffffffffn, r5: 1n }, { r3: 0n, cr: 0x20000000n }],
  [64, 'add. 3,4,5', { r4: 0xffffffffn, r5: 1n }, { r3: 0x100000000n, cr: 0x40000000n }],
  [64, 'add 3,4,5', { r4: 0xffffffffffffffffn, r5: 2n }, { r3: 1n }],
  [32, 'subf 3,4,5', { r4: 5n, r5: 3n }, { r3: 0xfffffffen }],
  [64, 'subf. 3,4,5', { r4: 5n, r5: 3n }, { r3: 0xfffffffffffffffen, cr: 0x80000000n }],
  [64, 'sub 3,4,5', { r4: 5n, r5: 3n }, { r3: 2n }],
  [32, 'neg. 3,4', { r4: 0x80000000n }, { r3: 0x80000000n, cr: 0x80000000n }],
  [64, 'neg 3,4', { r4: 1n }, { r3: 0xffffffffffffffffn }],
  [64, 'neg. 3,4', { r4: 0n }, { r3: 0n, cr: 0x20000000n }],
  // record forms copy XER[SO] into cr0 and leave the other fields alone
  [64, 'add. 3,4,5', { r4: 1n, r5: 1n, xer: 0x80000000n, cr: 0x0abcdef0n }, { r3: 2n, cr: 0x5abcdef0n }],
  [32, 'subf. 3,3,3', { r3: 9n, xer: 0xc0000000n }, { r3: 0n, cr: 0x30000000n }],
  // add, subf, neg: XER only with OE; OV is set or cleared, SO only ever set
  [64, 'addo 3,4,5', { r4: MAX64, r5: 1n }, { r3: MIN64, xer: SO | OV }],
  [64, 'addo 3,4,5', { r4: 0x7fff_ffffn, r5: 1n }, { r3: 0x8000_0000n, xer: OV32 }],
  [32, 'addo 3,4,5', { r4: 0x7fff_ffffn, r5: 1n }, { r3: 0x8000_0000n, xer: SO | OV }],
  ['both', 'addo. 3,4,5', { r4: 1n, r5: 2n, xer: SO | OV }, { r3: 3n, xer: SO, cr: 0x5000_0000n }],
  [64, 'add 3,4,5', { r4: MAX64, r5: 1n, xer: CA }, { r3: MIN64 }],
  [64, 'subfo 3,4,5', { r4: MIN64, r5: 0n }, { r3: MIN64, xer: SO | OV }],
  [64, 'subfo. 3,4,5', { r4: 0x8000_0000n, r5: 0n }, { r3: 0xffff_ffff_8000_0000n, xer: OV32, cr: 0x8000_0000n }],
  [32, 'subfo. 3,4,5', { r4: 0x8000_0000n, r5: 0n }, { r3: 0x8000_0000n, xer: SO | OV, cr: 0x9000_0000n }],
  // subo rt,ra,rb is subfo rt,rb,ra
  ['both', 'subo 3,4,5', { r4: 5n, r5: 3n, xer: OV }, { r3: 2n, xer: 0n }],
  [32, 'nego 3,4', { r4: 0x8000_0000n }, { r3: 0x8000_0000n, xer: SO | OV }],
  [64, 'nego 3,4', { r4: 0x8000_0000n }, { r3: 0xffff_ffff_8000_0000n, xer: OV32 }],
  [64, 'nego. 3,4', { r4: MIN64 }, { r3: MIN64, xer: SO | OV, cr: 0x9000_0000n }],
  [32, 'nego. 3,4', { r4: 1n, xer: OV }, { r3: 0xffff_ffffn, xer: 0n, cr: 0x8000_0000n }],
  // addc, subfc: CA is the carry out (for subfc: no borrow)
  [64, 'addc 3,4,5', { r4: M64, r5: 1n }, { r3: 0n, xer: CA | CA32 }],
  [64, 'addc 3,4,5', { r4: 0xffff_ffffn, r5: 1n }, { r3: 0x1_0000_0000n, xer: CA32 }],
  [32, 'addc 3,4,5', { r4: 0xffff_ffffn, r5: 1n }, { r3: 0n, xer: CA }],
  ['both', 'addc. 3,4,5', { r4: 1n, r5: 2n, xer: SO | CA }, { r3: 3n, xer: SO, cr: 0x5000_0000n }],
  [64, 'addco 3,4,5', { r4: MIN64, r5: MIN64 }, { r3: 0n, xer: SO | OV | CA }],
  [32, 'addco. 3,4,5', { r4: 0x8000_0000n, r5: 0x8000_0000n }, { r3: 0n, xer: SO | OV | CA, cr: 0x3000_0000n }],
  [32, 'subfc 3,4,5', { r4: 3n, r5: 3n }, { r3: 0n, xer: CA }],
  [64, 'subfc 3,4,5', { r4: 3n, r5: 3n }, { r3: 0n, xer: CA | CA32 }],
  [32, 'subfc 3,4,5', { r4: 4n, r5: 3n, xer: CA }, { r3: 0xffff_ffffn, xer: 0n }],
  [64, 'subfc 3,4,5', { r4: MIN64, r5: 0n }, { r3: MIN64, xer: CA32 }],
  // subc rt,ra,rb is subfc rt,rb,ra
  [32, 'subc 3,4,5', { r4: 3n, r5: 4n }, { r3: 0xffff_ffffn, xer: 0n }],
  [32, 'subfc. 3,4,5', { r4: 1n, r5: 2n }, { r3: 1n, xer: CA, cr: 0x4000_0000n }],
  [64, 'subfc. 3,4,5', { r4: 1n, r5: 2n }, { r3: 1n, xer: CA | CA32, cr: 0x4000_0000n }],
  [64, 'subfco. 3,4,5', { r4: 1n, r5: MIN64 }, { r3: MAX64, xer: SO | OV | CA, cr: 0x5000_0000n }],
  [32, 'subfco 3,4,5', { r4: 1n, r5: 0x8000_0000n }, { r3: 0x7fff_ffffn, xer: SO | OV | CA }],
  // adde, subfe: the carry in is CA
  [64, 'adde 3,4,5', { r4: 0xffff_ffff_ffff_fffen, r5: 1n, xer: CA }, { r3: 0n, xer: CA | CA32 }],
  [32, 'adde 3,4,5', { r4: 2n, r5: 3n, xer: CA }, { r3: 6n, xer: 0n }],
  ['both', 'adde. 3,4,5', { r4: 0n, r5: 0n }, { r3: 0n, cr: 0x2000_0000n }],
  [32, 'addeo 3,4,5', { r4: 0x7fff_ffffn, r5: 0n, xer: CA }, { r3: 0x8000_0000n, xer: SO | OV }],
  [64, 'addeo. 3,4,5', { r4: 0x7fff_ffffn, r5: 0n, xer: CA }, { r3: 0x8000_0000n, xer: OV32, cr: 0x4000_0000n }],
  [32, 'subfe 3,4,5', { r4: 3n, r5: 3n }, { r3: 0xffff_ffffn }],
  [32, 'subfe 3,4,5', { r4: 3n, r5: 3n, xer: CA }, { r3: 0n, xer: CA }],
  [64, 'subfe. 3,4,5', { r4: 3n, r5: 5n, xer: CA }, { r3: 2n, xer: CA | CA32, cr: 0x4000_0000n }],
  [32, 'subfeo 3,4,5', { r4: 1n, r5: 0x8000_0000n, xer: CA }, { r3: 0x7fff_ffffn, xer: SO | OV | CA }],
  [64, 'subfeo. 3,4,5', { r4: M64, r5: MAX64, xer: CA }, { r3: MIN64, xer: SO | OV | CA32, cr: 0x9000_0000n }],
  // addme, subfme: −1 and the carry in
  [32, 'addme 3,4', { r4: 0n }, { r3: 0xffff_ffffn }],
  [32, 'addme 3,4', { r4: 0n, xer: CA }, { r3: 0n, xer: CA }],
  [64, 'addme. 3,4', { r4: 5n }, { r3: 4n, xer: CA | CA32, cr: 0x4000_0000n }],
  [64, 'addmeo 3,4', { r4: MIN64 }, { r3: MAX64, xer: SO | OV | CA }],
  [32, 'addmeo. 3,4', { r4: 0x8000_0000n }, { r3: 0x7fff_ffffn, xer: SO | OV | CA, cr: 0x5000_0000n }],
  [32, 'subfme 3,4', { r4: 0xffff_ffffn, xer: CA }, { r3: 0n, xer: CA }],
  [64, 'subfme. 3,4', { r4: 0n }, { r3: 0xffff_ffff_ffff_fffen, xer: CA | CA32, cr: 0x8000_0000n }],
  [64, 'subfmeo 3,4', { r4: MAX64 }, { r3: MAX64, xer: SO | OV | CA }],
  [32, 'subfmeo. 3,4', { r4: 0x7fff_ffffn }, { r3: 0x7fff_ffffn, xer: SO | OV | CA, cr: 0x5000_0000n }],
  // addze, subfze: 0 and the carry in
  [32, 'addze 3,4', { r4: 0xffff_ffffn, xer: CA }, { r3: 0n, xer: CA }],
  [64, 'addze 3,4', { r4: 0xffff_ffffn, xer: CA }, { r3: 0x1_0000_0000n, xer: CA32 }],
  ['both', 'addze. 3,4', { r4: 7n }, { r3: 7n, cr: 0x4000_0000n }],
  [64, 'addzeo 3,4', { r4: MAX64, xer: CA }, { r3: MIN64, xer: SO | OV | CA32 }],
  [32, 'addzeo. 3,4', { r4: 0x7fff_ffffn, xer: CA }, { r3: 0x8000_0000n, xer: SO | OV, cr: 0x9000_0000n }],
  [32, 'subfze 3,4', { r4: 0n, xer: CA }, { r3: 0n, xer: CA }],
  [64, 'subfze 3,4', { r4: 1n }, { r3: 0xffff_ffff_ffff_fffen }],
  [64, 'subfze. 3,4', { r4: 0n, xer: CA }, { r3: 0n, xer: CA | CA32, cr: 0x2000_0000n }],
  [64, 'subfzeo 3,4', { r4: MIN64, xer: CA }, { r3: MIN64, xer: SO | OV | CA32 }],
  [32, 'subfzeo. 3,4', { r4: 0x8000_0000n, xer: CA }, { r3: 0x8000_0000n, xer: SO | OV, cr: 0x9000_0000n }],
  // addic, addic., subfic (and subic, subic.: addic of the negated immediate); RA = 0 is r0
  [64, 'addic 3,4,1', { r4: M64 }, { r3: 0n, xer: CA | CA32 }],
  [64, 'addic 3,4,1', { r4: 0xffff_ffffn }, { r3: 0x1_0000_0000n, xer: CA32 }],
  [32, 'addic 3,4,1', { r4: 0xffff_ffffn }, { r3: 0n, xer: CA }],
  [32, 'addic 3,0,-1', { r0: 5n }, { r3: 4n, xer: CA }],
  [32, 'addic. 3,4,-1', { r4: 1n, xer: SO }, { r3: 0n, xer: SO | CA, cr: 0x3000_0000n }],
  [64, 'addic. 3,4,-1', { r4: 1n, xer: SO }, { r3: 0n, xer: SO | CA | CA32, cr: 0x3000_0000n }],
  [32, 'subic 3,4,1', { r4: 0n, xer: CA }, { r3: 0xffff_ffffn, xer: 0n }],
  [64, 'subic. 3,4,1', { r4: 1n }, { r3: 0n, xer: CA | CA32, cr: 0x2000_0000n }],
  [32, 'subfic 3,4,0', { r4: 0n }, { r3: 0n, xer: CA }],
  [64, 'subfic 3,4,-1', { r4: 0n }, { r3: M64, xer: CA | CA32 }],
  [64, 'subfic 3,4,5', { r4: 6n, xer: CA }, { r3: M64, xer: 0n }],
  [32, 'subfic 3,4,5', { r4: 0xffff_ffffn }, { r3: 6n }],
];

describe('ppc adds and subtracts: XER[CA, OV, SO] and, on ppc64, CA32 and OV32', () => cases(CASES));

describe('ppc adder coverage', () => {
  it('runs every entry the adder runs in some case', () => {
    const ran = new Set<PpcOp>();
    for (const c of CASES) for (const bits of c[0] === 'both' ? ([32, 64] as const) : [c[0]]) ran.add(instruction(bits, c[1]).op);
    expect(ADDER_OPS.filter((op) => !ran.has(op))).toEqual([]);
  });
});
