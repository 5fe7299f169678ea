// decode ∘ encode is the identity on every form over its whole field ranges; print ∘ decode is stable.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { insnArb, prefixInsnArb, X86_INSN_OPS } from '../../../tests/support/arb-x86-64.js';
import { bytesToHex } from '../../base/bits.js';
import { decode } from './decode.js';
import { encode } from './encode.js';
import { print } from './print.js';

const hexBytes = (s: string) => Uint8Array.from(s.split(' '), (b) => parseInt(b, 16));

describe('x86-64 decode(encode(i))', () => {
  it.each(X86_INSN_OPS)('%s round-trips', (op) => {
    fc.assert(
      fc.property(insnArb(op), (insn) => {
        const bytes = encode(insn);
        expect(bytes.length).toBe(insn.length);
        expect(decode(bytes, 0)).toEqual(insn);
      }),
      { numRuns: 300, seed: 0x86 },
    );
  });

  it('decodes a lone prefix where the bytes end', () => {
    fc.assert(fc.property(prefixInsnArb, (insn) => {
      expect(decode(encode(insn), 0)).toEqual(insn);
    }), { seed: 1 });
  });

  it('decodes at an offset, and prints the same text twice', () => {
    fc.assert(
      fc.property(fc.constantFrom(...X86_INSN_OPS).chain(insnArb), fc.integer({ min: 0, max: 7 }), (insn, pad) => {
        const bytes = new Uint8Array(pad + insn.length);
        bytes.set(encode(insn), pad);
        const d = decode(bytes, pad);
        expect(d).toEqual(insn);
        expect(print(d!, 0x1000n)).toEqual(print(insn, 0x1000n));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});

describe('x86-64 decode of any bytes', () => {
  it('never throws, and what it decodes encodes back to the same bytes', () => {
    const prefixed = fc.tuple(
      fc.array(fc.constantFrom(0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x40, 0x48, 0x4f), { maxLength: 4 }),
      fc.uint8Array({ minLength: 0, maxLength: 16 }),
    ).map(([p, rest]) => Uint8Array.from([...p, ...rest]));
    let decoded = 0;
    fc.assert(
      fc.property(prefixed, (bytes) => {
        const insn = decode(bytes, 0);
        if (!insn) return;
        decoded++;
        expect(bytesToHex(encode(insn))).toBe(bytesToHex(bytes.subarray(0, insn.length)));
        print(insn, 0n);
      }),
      { numRuns: 20000, seed: 0x66 },
    );
    expect(decoded).toBeGreaterThan(2000);
  });
});

describe('x86-64 decode declines what it does not know', () => {
  it.each([
    ['0f 04', 'an unknown opcode'],
    ['8d c0', 'lea of a register'],
    ['66 e9 00 00', 'a rel16 jmp'],
    ['0f 1e fa', 'endbr64 without its f3 (a hint nop)'],
    ['f2 f3 0f 1e fa', 'endbr64 after f2 … f3'],
    ['0f 1f 48 00', 'a nop hint with reg field 1'],
    ['66 0f ae e8', 'a fence with 66'],
    ['48 66 01 c0', 'a REX before another prefix'],
    ['8b', 'a ModRM cut short'],
    ['e8 00 00', 'an immediate cut short'],
    ['66 66 66 66 66 66 66 66 66 66 66 66 66 66 01 c0', 'more than 15 bytes'],
  ])('%s (%s)', (hex) => {
    expect(decode(hexBytes(hex), 0)).toBeUndefined();
  });

  it('keeps the bytes of what it decodes, e.g. the kernel RET0 patch', () => {
    const bytes = hexBytes('2e 2e 2e 31 c0');
    const insn = decode(bytes, 0)!;
    expect(insn).toMatchObject({ op: 'xor_rm_r', prefixes: [0x2e, 0x2e, 0x2e], length: 5 });
    expect(bytesToHex(encode(insn))).toBe('2e 2e 2e 31 c0');
  });
});
