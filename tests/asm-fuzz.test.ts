// Thousands of malformed source lines through the whole assembler of every arch: diagnostics, never a throw.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/isa/asm/assembler.js';
import { isaFor } from '../src/isa/registry.js';
import { ARCH_NAMES, type ArchName } from '../src/isa/types.js';

const COMMON = [
  '.text', '.data', '.section', '.pushsection', '.popsection', '.align', '.p2align', '.balign', '.byte', '.short',
  '.long', '.quad', '.globl', '.type', '.size', '.set', '.localentry', '.ascii', '.skip', '.frob',
  'foo', 'bar', '1f', '1b', '2', '1:', 'foo:', '.', '$', '%', '#', '@', '@ha', '@l', '@toc@ha', ':lo12:', '(', ')', '[', ']', ']!',
  ',', ',', '+', '-', '*', '/', '<<', '>>', '"str', '"s"', "'a", '0x', '0xffffffffffffffffff', '-1', '0', '4095', '65536',
  '/*', '*/', ';', '\\', '`', '\t', ' ',
];
const PPC = ['b', 'bl', 'bc', 'beq', 'bdnz', 'bcl', 'blr', 'bctr', 'mtctr', 'mflr', 'li', 'lis', 'addi', 'ori', 'nop', 'mr', 'cmpwi', 'lwz',
  'stwu', 'ld', 'std', 'sync', 'isync', 'icbi', 'tw', 'sc', 'r0', 'r12', 'r32', '%r3', 'cr7', '4*cr7+eq', '20', '31', '8(r1)', '-4(r1)'];
const VOCAB: Readonly<Record<ArchName, string[]>> = {
  'x86-64': ['jmp', 'call', 'mov', 'movq', 'lea', 'nopl', 'nopw', 'cs', 'lock', 'ret', 'int3', 'ud1', 'push', 'pop', 'add', 'cmp', 'je', 'jne',
    '%rax', '%eax', '%al', '%r12', '%rip', '%rsp', '%cs:', '$0x10', '$-1', '*%rax', '*', '0x8(%rbp)', '(,%rax,8)', '(%rax,%rbx,3)'],
  arm64: ['b', 'bl', 'b.eq', 'cbz', 'tbz', 'br', 'ret', 'nop', 'bti', 'c', 'jc', 'dsb', 'ish', 'dc', 'cvau', 'ic', 'ivau', 'ldr', 'str', 'ldp',
    'stp', 'adrp', 'add', 'movk', 'lsl', 'x0', 'w1', 'x16', 'sp', 'xzr', 'x31', '#1', '#-1', '#0x1000', 'orr', 'and', 'cmp'],
  ppc32: PPC,
  ppc64: PPC,
  riscv64: ['j', 'jal', 'jalr', 'jr', 'ret', 'call', 'tail', 'beqz', 'bne', 'li', 'la', 'lla', 'mv', 'addi', 'lui', 'auipc', 'ld', 'sd',
    'fence', 'fence.i', 'csrr', 'amoadd.w.aqrl', 'a0', 't0', 'sp', 'zero', 'x31', 'x32', 'sstatus', '%hi(x)', '%lo(x)', '8(sp)', '(a0)', 'rw'],
};

function lineArb(arch: ArchName): fc.Arbitrary<string> {
  const word = fc.constantFrom(...VOCAB[arch], ...COMMON);
  const junk = fc.string({ maxLength: 6 });
  return fc.array(fc.oneof({ weight: 6, arbitrary: word }, { weight: 1, arbitrary: junk }), { minLength: 1, maxLength: 7 })
    .chain((ws) => fc.constantFrom(' ', ',', '').map((sep) => ws.join(sep)));
}

describe.each(ARCH_NAMES)('assembler fuzz on %s', (arch) => {
  it('gives diagnostics inside the input, never an exception', () => {
    const isa = isaFor(arch);
    let rejected = 0;
    fc.assert(
      fc.property(fc.array(lineArb(arch), { minLength: 1, maxLength: 4 }), (lines) => {
        const src = lines.join('\n');
        const r = assemble(src, isa, 'fuzz.s');
        const nLines = src.split('\n').length;
        for (const d of r.diagnostics) {
          expect(d.span.file).toBe('fuzz.s');
          expect(d.span.line).toBeGreaterThanOrEqual(1);
          expect(d.span.line).toBeLessThanOrEqual(nLines);
          expect(d.span.col).toBeGreaterThanOrEqual(1);
          expect(d.message).not.toMatch(/undefined|\{\d\}/);
        }
        if (r.diagnostics.length > 0) rejected++;
      }),
      { seed: 20261121, numRuns: 3000 },
    );
    // Most generated lines are nonsense: the assembler must have said so.
    expect(rejected).toBeGreaterThan(1500);
  });
});
