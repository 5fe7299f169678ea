// `.option rvc` / `norvc` / `push` / `pop`: the compressed forms allowed or forbidden where the source says,
// byte for byte as GNU as 2.40 (-march=rv64imac_zicsr_zifencei) emits them (bytes below taken from its
// output for the same source; the live comparison is tests/oracle/riscv64.test.ts).

import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../base/diagnostics.js';
import { assemble } from '../asm/assembler.js';
import { textBytes } from '../asm/object.js';
import { riscv64Isa } from './index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('riscv64 .option', () => {
  it('norvc inside push/pop keeps 32-bit forms (the kernel\'s static_branch site); rvc again after pop', () => {
    const src = [
      '        .text',
      '        .option push', '        .option norelax', '        .option norvc',
      '1:      nop', '        jal zero, 2f', '        li a0, 5', '        beqz a0, 2f',
      '        .option pop',
      '        nop', '        li a0, 5',
      '2:      ret',
    ].join('\n');
    const r = assemble(src, riscv64Isa, 't.s');
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
    // GNU as: 00000013 0100006f 00500513 00050463 | 0001 4515 | 8082
    expect(hex(textBytes(r.object))).toBe('130000006f0000011305500063040500' + '01001545' + '8280');
  });

  it('without .option, nop and li are compressed as GNU as compresses them', () => {
    const r = assemble('  nop\n  li a0, 5\n', riscv64Isa, 't.s');
    expect(hex(textBytes(r.object))).toBe('01001545');
  });

  it('.option norvc without push stays until rvc', () => {
    const r = assemble('  .option norvc\n  nop\n  .option rvc\n  nop\n', riscv64Isa, 't.s');
    expect(hex(textBytes(r.object))).toBe('130000000100');
  });

  it('.option pop without push is a diagnostic at its line', () => {
    const r = assemble('  nop\n  .option pop\n', riscv64Isa, 't.s');
    expect(r.diagnostics.map(formatDiagnostic)).toEqual(['t.s:2:3: error PL1026: `.option pop` without an `.option push` before it']);
  });
});

describe('riscv64 jump to a symbol left to the linker', () => {
  it('at an odd place (after a .byte) is encoded as GNU as 2.40 does: -P less its bit 0, with its R_RISCV_JAL', () => {
    // Found by the fuzzer: `-1` does not fit a jal's even immediate, and the encoder's assertion fired.
    const r = assemble('        .byte 1\n        j elsewhere\n', riscv64Isa, 'odd.s');
    expect(r.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
    // `riscv64-linux-gnu-as` on the same source: 01, then fffff06f (j with imm -2), R_RISCV_JAL at 1.
    expect(hex(textBytes(r.object))).toBe('016ff0ffff');
    const text = r.object.sections.find((s) => s.name === '.text')!;
    expect(text.relocations.map((x) => [x.offset, x.type])).toEqual([[1, 'R_RISCV_JAL']]);
  });
});
