// Code padding: the nops (and, past 87 bytes, the jmp) GNU as 2.40 puts in .text for `.p2align`.

import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../base/bits.js';
import { decode } from './decode.js';
import { codeFill } from './encode.js';

// `.byte` fill then `.p2align`, assembled by GNU as 2.40: the padding bytes, by length.
const GNU_FILL: Readonly<Record<number, string>> = {
  1: '90', 2: '66 90', 3: '0f 1f 00', 4: '0f 1f 40 00', 5: '0f 1f 44 00 00', 6: '66 0f 1f 44 00 00',
  7: '0f 1f 80 00 00 00 00', 8: '0f 1f 84 00 00 00 00 00', 9: '66 0f 1f 84 00 00 00 00 00',
  10: '66 2e 0f 1f 84 00 00 00 00 00', 11: '66 66 2e 0f 1f 84 00 00 00 00 00',
  12: '66 66 2e 0f 1f 84 00 00 00 00 00 90', 17: '66 66 2e 0f 1f 84 00 00 00 00 00 66 0f 1f 44 00 00',
  22: '66 66 2e 0f 1f 84 00 00 00 00 00 66 66 2e 0f 1f 84 00 00 00 00 00',
  31: '66 66 2e 0f 1f 84 00 00 00 00 00 66 66 2e 0f 1f 84 00 00 00 00 00 66 0f 1f 84 00 00 00 00 00',
};
const LONGEST = '66 66 2e 0f 1f 84 00 00 00 00 00';

describe('codeFill', () => {
  it.each(Object.entries(GNU_FILL))('%s bytes', (n, hex) => {
    expect(bytesToHex(codeFill(Number(n)))).toBe(hex);
  });

  it('is 11-byte nops then the rest, up to 87 bytes', () => {
    expect(bytesToHex(codeFill(87))).toBe(`${`${LONGEST} `.repeat(7)}${GNU_FILL[10]}`);
  });

  it('jumps over longer padding: jmp rel8 up to 129 bytes, then jmp rel32', () => {
    expect(bytesToHex(codeFill(88))).toBe(`eb 56 ${`${LONGEST} `.repeat(7)}${GNU_FILL[9]}`);
    expect(bytesToHex(codeFill(129)).slice(0, 5)).toBe('eb 7f');
    expect(bytesToHex(codeFill(130)).slice(0, 14)).toBe('e9 7d 00 00 00');
    expect(codeFill(300).length).toBe(300);
  });

  it('decodes to whole instructions for every length', () => {
    for (let n = 1; n <= 200; n++) {
      const b = codeFill(n);
      let at = 0;
      while (at < n) {
        const insn = decode(b, at);
        expect(insn, `fill ${n} at ${at}`).toBeDefined();
        at += insn!.length;
      }
      expect(at).toBe(n);
    }
  });
});
