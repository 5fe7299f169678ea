// The arithmetic of add, sub and the logic operations at 8, 16, 32 and 64 bits, with the status flags they set.
//
// Values are (lo, hi) pairs of 32-bit Numbers; below 64 bits hi is 0 and lo holds the whole value.
// Each operation leaves the result in `alu.lo`/`alu.hi` and the six status flags in `alu.flags`
// (Intel SDM vol. 1, 3.4.3.1 and appendix A):
//
//   flag | add / adc                    | sub / sbb / cmp              | and / or / xor / test
//   CF   | carry out of the top bit     | borrow: a < b + CF (unsigned) | 0
//   OF   | sign(a) = sign(b) ≠ sign(r)  | sign(a) ≠ sign(b), sign(r) ≠ sign(a) | 0
//   AF   | carry out of bit 3: (a^b^r) bit 4, for sub the borrow the same way | 0 (undefined; what Intel CPUs give)
//   SF, ZF, PF | top bit of r; r = 0; even parity of r's low byte

import * as registers from './registers.js';

// Module-local copies of the imports the hot path uses, read once: an imported binding is re-read on every
// use (through its module natively, through a getter under tsx, which `npm run bench` uses).
const { AF, CF, OF, PF, SF, ZF } = registers;

/** The result and flags of the last operation. */
export const alu = { lo: 0, hi: 0, flags: 0 };

/** PF for each low byte: set when the count of 1 bits is even. */
const PARITY: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) {
    let n = 0;
    for (let v = b; v; v >>= 1) n += v & 1;
    t[b] = n % 2 === 0 ? PF : 0;
  }
  return t;
})();

const MASK = [0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0xffff] as const;

/** SF, ZF and PF of a result. */
export function szp(size: number, lo: number, hi: number): number {
  const top = size === 64 ? hi >>> 31 : (lo >>> (size - 1)) & 1;
  return (top ? SF : 0) | ((lo | hi) === 0 ? ZF : 0) | PARITY[lo & 0xff];
}

/** a + b + carry (carry 0 or 1). */
export function add(size: number, aLo: number, aHi: number, bLo: number, bHi: number, carry: number): void {
  let lo: number, hi = 0, cf: boolean, of: number;
  if (size === 64) {
    const l = aLo + bLo + carry;
    lo = l >>> 0;
    const h = aHi + bHi + (l > 0xffffffff ? 1 : 0);
    hi = h >>> 0;
    cf = h > 0xffffffff;
    of = ((aHi ^ hi) & (bHi ^ hi)) >>> 31;
  } else {
    const s = aLo + bLo + carry;
    lo = size === 32 ? s >>> 0 : s & MASK[size];
    cf = s !== lo;
    of = (((aLo ^ lo) & (bLo ^ lo)) >>> (size - 1)) & 1;
  }
  alu.lo = lo;
  alu.hi = hi;
  alu.flags = (cf ? CF : 0) | (of ? OF : 0) | ((aLo ^ bLo ^ lo) & AF) | szp(size, lo, hi);
}

/** a − b − borrow (borrow 0 or 1). */
export function sub(size: number, aLo: number, aHi: number, bLo: number, bHi: number, borrow: number): void {
  let lo: number, hi = 0, cf: boolean, of: number;
  if (size === 64) {
    const l = aLo - bLo - borrow;
    lo = l >>> 0;
    const h = aHi - bHi - (l < 0 ? 1 : 0);
    hi = h >>> 0;
    cf = h < 0;
    of = ((aHi ^ bHi) & (aHi ^ hi)) >>> 31;
  } else {
    const d = aLo - bLo - borrow;
    lo = size === 32 ? d >>> 0 : d & MASK[size];
    cf = d < 0;
    of = (((aLo ^ bLo) & (aLo ^ lo)) >>> (size - 1)) & 1;
  }
  alu.lo = lo;
  alu.hi = hi;
  alu.flags = (cf ? CF : 0) | (of ? OF : 0) | ((aLo ^ bLo ^ lo) & AF) | szp(size, lo, hi);
}

/** The flags of a logic result (already within `size`): CF = OF = AF = 0. */
export function logic(size: number, lo: number, hi: number): void {
  alu.lo = lo >>> 0;
  alu.hi = hi >>> 0;
  alu.flags = szp(size, alu.lo, alu.hi);
}

/**
 * Is condition `cc` (the jcc's low opcode nibble) true under `f`? Pairs: even cc tests, odd cc negates.
 *   0 O: OF   2 B: CF   4 E: ZF   6 BE: CF|ZF   8 S: SF   10 P: PF   12 L: SF≠OF   14 LE: ZF | SF≠OF
 */
export function condition(cc: number, f: number): boolean {
  let t: boolean;
  switch (cc >> 1) {
    case 0: t = (f & OF) !== 0; break;
    case 1: t = (f & CF) !== 0; break;
    case 2: t = (f & ZF) !== 0; break;
    case 3: t = (f & (CF | ZF)) !== 0; break;
    case 4: t = (f & SF) !== 0; break;
    case 5: t = (f & PF) !== 0; break;
    case 6: t = ((f & SF) !== 0) !== ((f & OF) !== 0); break;
    default: t = (f & ZF) !== 0 || ((f & SF) !== 0) !== ((f & OF) !== 0); break;
  }
  return (cc & 1) === 0 ? t : !t;
}
