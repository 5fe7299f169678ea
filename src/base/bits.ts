// Bit fields, ranges and byte order: the arithmetic every instruction table leans on.

export type Endian = 'little' | 'big';

/** Bits [lo, lo+width) of `word` (a 32-bit unsigned value). */
export function field(word: number, lo: number, width: number): number {
  return width === 32 ? word >>> 0 : (word >>> lo) & ((1 << width) - 1) >>> 0;
}

/** `word` with bits [lo, lo+width) replaced by `value` (which must fit). */
export function setField(word: number, lo: number, width: number, value: number): number {
  const mask = width === 32 ? 0xffffffff : ((1 << width) - 1) << lo;
  return ((word & ~mask) | ((value << lo) & mask)) >>> 0;
}

export function signExtend(value: number, bits: number): number {
  const shift = 32 - bits;
  return bits >= 32 ? value | 0 : (value << shift) >> shift;
}

export function signExtendBig(value: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, value);
}

export function fitsSigned(value: bigint | number, bits: number): boolean {
  const v = BigInt(value);
  const half = 1n << BigInt(bits - 1);
  return v >= -half && v < half;
}

export function fitsUnsigned(value: bigint | number, bits: number): boolean {
  const v = BigInt(value);
  return v >= 0n && v < 1n << BigInt(bits);
}

/** Value fits `bits` either as signed or as unsigned (what GNU as accepts for `.long -1`). */
export function fitsEither(value: bigint | number, bits: number): boolean {
  return fitsSigned(value, bits) || fitsUnsigned(value, bits);
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

export function readUint(bytes: Uint8Array, offset: number, size: number, endian: Endian): bigint {
  let v = 0n;
  for (let i = 0; i < size; i++) {
    const b = BigInt(bytes[endian === 'little' ? offset + size - 1 - i : offset + i]);
    v = (v << 8n) | b;
  }
  return v;
}

export function writeUint(bytes: Uint8Array, offset: number, size: number, value: bigint, endian: Endian): void {
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) {
    const b = Number(v & 0xffn);
    bytes[endian === 'little' ? offset + i : offset + size - 1 - i] = b;
    v >>= 8n;
  }
}

export function readU32(bytes: Uint8Array, offset: number, endian: Endian): number {
  return endian === 'little'
    ? (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0
    : ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

export function u32Bytes(word: number, endian: Endian): Uint8Array {
  const out = new Uint8Array(4);
  writeUint(out, 0, 4, BigInt(word >>> 0), endian);
  return out;
}

export function hex(value: bigint | number, width = 0): string {
  const v = BigInt(value);
  const s = (v < 0n ? -v : v).toString(16).padStart(width, '0');
  return v < 0n ? `-0x${s}` : `0x${s}`;
}

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
