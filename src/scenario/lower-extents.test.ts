// What a patch statement may overwrite (lower-extents.ts): past its object's end is PL7038, into part of
// an old instruction it does not replace is PL7042; whole instructions, a shorter instruction, and raw
// `store`s lower. The old code is the code the patcher's earlier statements left.

import { describe, expect, it } from 'vitest';
import { parseAndLower } from './lower.js';

/** x86-64, f at line 6: `jmp g` (2 bytes), `lea 1(%rdi), %rax` (4), `ret`; g; far h. The patcher starts at line 16. */
const X86 = (patcher: string, f = '        jmp g\n        lea 1(%rdi), %rax\n        ret') => `scenario s
arch x86-64
expect safe
section .text.far at 0x1000000
code
f:
${f}
        .size f, .-f
g:      lea 1(%rdi), %rax
        ret
        .size g, .-g
        .section .text.far, "ax"
h:      ret
        .size h, .-h
end
patcher
${patcher}
end
`;
/** The line of the patcher's first statement. */
const AT = (f = '1\n2\n3') => 16 + f.split('\n').length;

function diagnostics(text: string) {
  const r = parseAndLower(text, 't.scn');
  return r.ok ? [] : r.diagnostics.map((d) => ({ code: d.code, line: d.span.line, col: d.span.col, message: d.message }));
}

describe('a patch statement overwrites only the instructions it replaces', () => {
  it.each([
    ['text_poke', '    text_poke f, "jmp h"'],
    ['memcpy', '    memcpy f, "jmp h"'],
    ['text_poke_bp', '    text_poke_bp f, "jmp h"'],
    ['text_poke_bp_batch', '    text_poke_bp_batch\n        f, "jmp h"\n    end'],
    ['text_poke_late', '    text_poke_late\n        f, "jmp h"\n    end'],
  ])('%s of a 5-byte jmp over a 2-byte one cuts the next instruction: PL7042 at the statement', (_what, stmt) => {
    const d = diagnostics(X86(stmt));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ code: 'PL7042', line: AT(), col: 5 });
    expect(d[0].message).toMatch(/^this step writes 5 byte\(s\) at 0x[0-9a-f]+, ending 3 byte\(s\) into `lea 0x1\(%rdi\),%rax` at 0x[0-9a-f]+ in `f`/);
  });

  it('past the end of the object is PL7038', () => {
    const d = diagnostics(X86('    text_poke f, "jmp h"', '        jmp g'));
    expect(d).toMatchObject([{ code: 'PL7038', line: AT('        jmp g'), col: 5 }]);
  });

  it.each([
    ['whole instructions: 6 bytes over jmp and lea', '    text_poke f, "movabs $0, %rax"', '        jmp g\n        lea 1(%rdi), %rax\n        ret\n        ret\n        ret\n        ret'],
    ['a shorter instruction over a longer one', '    text_poke f, "nop"', undefined],
    ['a displacement only', '    text_poke f+1, ".byte 0"', undefined],
    ['one instruction replaced exactly', '    text_poke f, "xchg %ax, %ax"', undefined],
  ])('lowers %s', (_what, stmt, f) => {
    const text = X86(stmt, f);
    expect(diagnostics(text)).toEqual([]);
  });

  it('leaves raw stores alone: the user means those bytes, even past the object', () => {
    expect(diagnostics(X86('    store f, "jmp h"'))).toEqual([]);
    expect(diagnostics(X86('    store f, 4, 0', '        jmp g'))).toEqual([]);
  });

  it('reads the old code as the earlier statements left it', () => {
    // Eight 1-byte nops: a 3-byte write at f replaces three of them. After a raw store makes f+2 the
    // start of one long nop, the same write cuts it.
    const f = '        nop\n        nop\n        nop\n        nop\n        nop\n        nop\n        nop\n        nop\n        ret';
    const poke = '    text_poke f, "nopl (%rax)"';
    expect(diagnostics(X86(poke, f))).toEqual([]);
    const d = diagnostics(X86(`    store f+2, "nopl 0(%rax,%rax,1)"\n${poke}`, f));
    expect(d).toMatchObject([{ code: 'PL7042', line: AT(f) + 1, col: 5 }]);
    expect(d[0].message).toContain('ending 1 byte(s) into `nopl (%rax,%rax,1)`');
  });

  it('checks only the object\'s end on the fixed-width arches (their writes are whole aligned words)', () => {
    const ppc = (stmt: string) => `scenario s\narch ppc32\nexpect safe\ncode\nf: nop\n  .size f, .-f\ng: blr\nend\npatcher\n${stmt}\nend\n`;
    expect(diagnostics(ppc('  patch_instruction f, "b g"'))).toEqual([]);
    expect(diagnostics(ppc('  patch_ulong f, 0'))).toEqual([]);
    expect(diagnostics(ppc('  text_poke f, ".long 0, 0"'))).toMatchObject([{ code: 'PL7038', line: 10, col: 3 }]);
  });
});
