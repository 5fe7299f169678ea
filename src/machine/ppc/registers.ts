// The ppc register file as one typed array: r0…r31, then LR, CTR, CR and XER, with the bits of CR and XER.
//
// Both modes share the layout. ppc32 keeps every register within 32 bits (the upper half is always 0);
// ppc64 uses all 64. CR is the 32-bit condition register (8 fields of 4 bits, cr0 in the top nibble).

import type { RegisterInfo } from '../arch.js';

export const GPR_COUNT = 32;
export const LR = 32;
export const CTR = 33;
export const CR = 34;
export const XER = 35;

export const PPC_REGISTERS: RegisterInfo = Object.freeze({
  names: Object.freeze([...Array.from({ length: GPR_COUNT }, (_, i) => `r${i}`), 'lr', 'ctr', 'cr', 'xer']),
  pcName: 'pc',
});

/**
 * The bits of one CR field, as a nibble: the Power ISA numbers them 0..3 from the left (LT, GT, EQ, SO),
 * so field f holds them at bits 31−4f … 28−4f counting from the least significant bit.
 */
export const CR_LT = 8;
export const CR_GT = 4;
export const CR_EQ = 2;
export const CR_SO = 1;

/**
 * XER (Power ISA Book I 3.2.2), counted from the least significant bit: SO 31, OV 30, CA 29, then on
 * ISA 3.0 (ppc64) OV32 19 and CA32 18, and the byte count of the string instructions in bits 0..6.
 * The other bits are reserved: writes ignore them and they read as 0.
 */
export const XER_SO = 1n << 31n;
export const XER_OV = 1n << 30n;
export const XER_CA = 1n << 29n;
export const XER_OV32 = 1n << 19n;
export const XER_CA32 = 1n << 18n;
export const XER_BYTE_COUNT = 0x7fn;

/** The XER bits mtxer keeps, per mode: ppc32 (a pre-3.0 32-bit CPU) has no OV32/CA32. */
export const XER_WRITABLE_32 = XER_SO | XER_OV | XER_CA | XER_BYTE_COUNT;
export const XER_WRITABLE_64 = XER_WRITABLE_32 | XER_OV32 | XER_CA32;

/** CR with field `bf` (0..7) replaced by `nibble`. */
export function setCrField(cr: bigint, bf: number, nibble: number): bigint {
  const shift = BigInt(28 - 4 * bf);
  return (cr & ~(0xfn << shift)) | (BigInt(nibble) << shift);
}

/** CR bit `bi` in the Power ISA's numbering (0 = cr0.LT, the most significant bit of the 32). */
export function crBit(cr: bigint, bi: number): boolean {
  return ((cr >> BigInt(31 - bi)) & 1n) !== 0n;
}

/**
 * XER after an instruction with OE = 1 (the `o` forms): OV is whether it overflowed, set or cleared,
 * SO is sticky (set with OV, never cleared here), and on ppc64 (ISA 3.0) OV32 is the same of the low word.
 */
export function xerAfterOverflow(xer: bigint, ov: boolean, ov32: boolean, is64: boolean): bigint {
  let out = ov ? xer | XER_OV | XER_SO : xer & ~XER_OV;
  if (is64) out = ov32 ? out | XER_OV32 : out & ~XER_OV32;
  return out;
}
