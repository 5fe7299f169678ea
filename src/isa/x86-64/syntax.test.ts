// GNU as AT&T syntax: what GNU as 2.40 makes of each line (bytes and relocations copied from its
// output), patchlab's documented deviations, and the diagnostics for what it rejects.

import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../base/bits.js';
import { assemble, textBytes } from '../asm/assembler.js';
import { x86_64Isa } from './index.js';

function bytes(source: string): string {
  const r = assemble(source, x86_64Isa, 't.s');
  if (r.diagnostics.length) return r.diagnostics.map((d) => `${d.code}@${d.span.col}`).join(' ');
  return bytesToHex(textBytes(r.object));
}

function relocs(source: string): string[] {
  const r = assemble(source, x86_64Isa, 't.s');
  expect(r.diagnostics).toEqual([]);
  const text = r.object.sections.find((s) => s.name === '.text')!;
  return text.relocations.map((x) => `${x.offset} ${x.type} ${x.symbol}${x.addend < 0n ? '-' : '+'}0x${(x.addend < 0n ? -x.addend : x.addend).toString(16)}`);
}

describe('GNU as syntax to bytes', () => {
  it.each([
    // the short immediate GNU picks: 83 ib, then the accumulator forms, then 81 iz
    ['add $1,%eax', '83 c0 01'], ['add $0x80,%eax', '05 80 00 00 00'], ['add $0x80,%al', '04 80'],
    ['add $-1,%rax', '48 83 c0 ff'], ['add $0x7fffffff,%rax', '48 05 ff ff ff 7f'], ['add $0x1234,%bx', '66 81 c3 34 12'],
    ['add $0xffffffff,%eax', '83 c0 ff'], ['add $0xff,%ax', '66 05 ff 00'], ['cmp $0xffffffffffffff80,%rax', '48 83 f8 80'],
    ['addq $0x1000,(%rax)', '48 81 00 00 10 00 00'], ['add %eax,%ebx', '01 c3'], ['add (%rax),%ebx', '03 18'],
    ['add.s %eax,%ebx', '03 d8'], ['add %spl,%al', '40 00 e0'], ['xor %eax,%eax', '31 c0'],
    // moves
    ['mov $1,%eax', 'b8 01 00 00 00'], ['mov $1,%rax', '48 c7 c0 01 00 00 00'], ['mov $0xffffffff,%rax', '48 b8 ff ff ff ff 00 00 00 00'],
    ['mov $0xffffffffffffffff,%rax', '48 c7 c0 ff ff ff ff'], ['movabs $1,%rax', '48 b8 01 00 00 00 00 00 00 00'],
    ['mov $1,%ax', '66 b8 01 00'], ['mov $1,%spl', '40 b4 01'], ['mov %ah,%al', '88 e0'], ['mov.s %eax,%ebx', '8b d8'],
    ['mov 0x10(,%rax,8),%rcx', '48 8b 0c c5 10 00 00 00'], ['mov 0x1234,%eax', '8b 04 25 34 12 00 00'],
    ['mov 8(%rip),%eax', '8b 05 08 00 00 00'], ['mov %fs:8,%eax', '64 8b 04 25 08 00 00 00'], ['mov %es:(%rax),%eax', '26 8b 00'],
    ['mov %ds:(%rax),%eax', '8b 00'], ['mov %ss:(%rsp),%eax', '8b 04 24'], ['mov %ds:(%rbp),%eax', '3e 8b 45 00'],
    ['mov (%eax),%eax', '67 8b 00'], ['mov 0x10(%eip),%eax', '67 8b 05 10 00 00 00'],
    ['movabs 0x1234,%al', 'a0 34 12 00 00 00 00 00 00'], ['movabs %rax,0x1234', '48 a3 34 12 00 00 00 00 00 00'],
    ['mov 0x80000000,%eax', 'a1 00 00 00 80 00 00 00 00'], ['mov 0xffffffff80000000,%eax', '8b 04 25 00 00 00 80'],
    ['addr32 mov 0x10,%eax', '67 a1 10 00 00 00'], ['addr32 mov 0x10,%ebx', '67 8b 1c 25 10 00 00 00'],
    ['movabs %fs:0x10,%rax', '64 48 a1 10 00 00 00 00 00 00 00'], ['movabs %ax,%fs:0x10', '64 66 a3 10 00 00 00 00 00 00 00'],
    ['mov %al,0xffffffff', 'a2 ff ff ff ff 00 00 00 00'], ['mov 0x100000000,%ax', '66 a1 00 00 00 00 01 00 00 00'],
    ['addr32 mov %ax,0xffffffff', '67 66 a3 ff ff ff ff'],
    ['lea (%rbp),%rax', '48 8d 45 00'], ['lea (%r13),%rax', '49 8d 45 00'], ['lea (%rsp),%rax', '48 8d 04 24'],
    ['lea (%r12),%rax', '49 8d 04 24'], ['lea (%rax),%bx', '66 8d 18'], ['mov -8 ( %rbp ),%eax', '8b 45 f8'],
    ['mov (%rax,%rbx,8+0),%eax', '8b 04 d8'], ['mov (%r13,%rax),%eax', '41 8b 44 05 00'], ['mov 0(%rax),%eax', '8b 00'],
    // test, inc, dec, push, pop
    ['test %eax,%ebx', '85 c3'], ['test (%rax),%eax', '85 00'], ['test $1,%al', 'a8 01'], ['test $1,%eax', 'a9 01 00 00 00'],
    ['test $1,%ebx', 'f7 c3 01 00 00 00'], ['testq $-1,(%rax)', '48 f7 00 ff ff ff ff'],
    ['inc %eax', 'ff c0'], ['incb (%rax)', 'fe 00'], ['dec %r8w', '66 41 ff c8'],
    ['push %rax', '50'], ['push %ax', '66 50'], ['push %r12', '41 54'], ['pop %r15', '41 5f'],
    // branches, returns, traps
    ['jmp .+2', 'eb 00'], ['jmp .+129', 'eb 7f'], ['jmp .-126', 'eb 80'], ['jmp .+130', 'e9 7d 00 00 00'], ['jmp.d32 .+2', 'e9 fd ff ff ff'],
    ['jnae .+0x100', '0f 82 fa 00 00 00'], ['jz .+2', '74 00'], ['je,pt .+2', '3e 74 ff'], ['call .+5', 'e8 00 00 00 00'],
    ['call *%rax', 'ff d0'], ['call *8(%rax)', 'ff 50 08'], ['jmp *%r11', '41 ff e3'], ['jmp *(%rip)', 'ff 25 00 00 00 00'],
    ['jmp %rax', 'ff e0'], ['callw *(%rax)', '66 ff 10'], ['jmp *0x1234', 'ff 24 25 34 12 00 00'],
    ['ret', 'c3'], ['retq', 'c3'], ['retw', '66 c3'], ['ret $8', 'c2 08 00'], ['ret $-1', 'c2 ff ff'],
    ['iret', 'cf'], ['iretq', '48 cf'], ['iretw', '66 cf'], ['int3', 'cc'], ['ud2', '0f 0b'], ['ud1 %esp,%ecx', '0f b9 cc'],
    ['ud1 (%rax),%rax', '48 0f b9 00'], ['ud2b %eax,%eax', '0f b9 c0'],
    ['cpuid', '0f a2'], ['serialize', '0f 01 e8'], ['lfence', '0f ae e8'], ['mfence', '0f ae f0'], ['pause', 'f3 90'],
    ['hlt', 'f4'], ['sti', 'fb'], ['cli', 'fa'], ['cld', 'fc'], ['std', 'fd'], ['endbr64', 'f3 0f 1e fa'], ['swapgs', '0f 01 f8'],
    // the kernel's instructions: stack, shifts (by one, by cl, by an immediate), bit tests, atomics
    ['pushf', '9c'], ['pushfq', '9c'], ['pushfw', '66 9c'], ['popf', '9d'], ['popfw', '66 9d'],
    ['push $1', '6a 01'], ['push $0x80', '68 80 00 00 00'], ['pushq $-1', '6a ff'], ['pushw $0x1234', '66 68 34 12'],
    ['pushq (%rax)', 'ff 30'], ['push 8(%rsp)', 'ff 74 24 08'], ['pushw (%rax)', '66 ff 30'],
    ['shl %eax', 'd1 e0'], ['shl $1,%eax', 'd1 e0'], ['sal $1,%rax', '48 d1 e0'], ['shl $3,%rax', '48 c1 e0 03'],
    ['shl %cl,%eax', 'd3 e0'], ['sar %cl,%al', 'd2 f8'], ['shr $7,%bl', 'c0 eb 07'], ['shlq (%rax)', '48 d1 20'], ['sarw %cl,(%rax)', '66 d3 38'],
    ['bt %eax,%ebx', '0f a3 c3'], ['bt $3,%eax', '0f ba e0 03'], ['bts %rax,(%rbx)', '48 0f ab 03'], ['btr $5,%cx', '66 0f ba f1 05'],
    ['lock btsq $63,(%rax)', 'f0 48 0f ba 28 3f'], ['xadd %eax,%ebx', '0f c1 c3'], ['lock xadd %rax,(%rbx)', 'f0 48 0f c1 03'],
    ['cmpxchg %cl,(%rdx)', '0f b0 0a'], ['lock cmpxchg %rcx,(%rdx)', 'f0 48 0f b1 0a'],
    ['xchg %rax,(%rbx)', '48 87 03'], ['xchg (%rbx),%eax', '87 03'], ['xchg %al,%bl', '86 c3'], ['xchg %eax,%ebx', '93'],
    ['xchg %ecx,%eax', '91'], ['xchg %r8,%rax', '49 90'], ['xchg %eax,%eax', '87 c0'], ['xchg %ecx,%edx', '87 ca'],
    ['mov %cr0,%rax', '0f 20 c0'], ['mov %rax,%cr3', '0f 22 d8'], ['mov %cr4,%r8', '41 0f 20 e0'], ['mov %r9,%cr8', '45 0f 22 c1'],
    ['movq %cr0,%rax', '0f 20 c0'], ['mov %ss,%eax', '8c d0'], ['mov %cs,%ax', '66 8c c8'], ['mov %fs,%r9d', '41 8c e1'], ['mov %ss,%rax', '8c d0'], ['mov %ds,%r15', '41 8c df'],
    // nops
    ['nop', '90'], ['xchg %ax,%ax', '66 90'], ['nop %eax', '0f 1f c0'], ['nopw %ax', '66 0f 1f c0'], ['nopl (%rax)', '0f 1f 00'],
    ['nopq (%rax)', '48 0f 1f 00'], ['nopl.d8 (%rax)', '0f 1f 40 00'], ['nopl.d32 0x0(%rax)', '0f 1f 80 00 00 00 00'],
    // prefixes, in GNU's order
    ['lock addl $1,(%rax)', 'f0 83 00 01'], ['lock cs add %ax,(%rax)', '2e 66 f0 01 00'], ['lock fs addr32 addw $1,(%eax)', '64 67 66 f0 83 00 01'],
    ['notrack call *%rax', '3e ff d0'], ['bnd ret', 'f2 c3'], ['rep ret', 'f3 c3'], ['data16 hlt', '66 f4'], ['fs mov (%rax),%eax', '64 8b 00'],
    ['xacquire lock addl $1,(%rax)', 'f2 f0 83 00 01'], ['ds je .+2', '3e 74 ff'], ['cs jne .+2', '2e 75 ff'],
    ['addr32 mov (%eax),%eax', '67 8b 00'], ['notrack jmp *%ds:(%rbp)', '3e ff 65 00'],
    ['cs', '2e'], ['lock', 'f0'], ['rex.W', '48'], ['lock; addl $1,(%rax)', 'f0 83 00 01'],
  ])('%s', (src, hex) => {
    expect(bytes(src)).toBe(hex);
  });
});

describe('zero displacements, as GNU as 2.40 treats them', () => {
  it.each([
    // GNU drops a written zero displacement: objdump's text of the 5-byte nop assembles to 4 bytes…
    ['nopl 0x0(%rax,%rax,1)', '0f 1f 04 00'],
    ['nopw 0x0(%rax,%rax,1)', '66 0f 1f 04 00'],
    ['nopl 0x0(%rax)', '0f 1f 00'],
    // …and the recommended forms are asked for with {disp8} or the .d8 suffix.
    ['nopl.d8 0x0(%rax,%rax,1)', '0f 1f 44 00 00'],
    ['{disp8} nopw 0x0(%rax,%rax,1)', '66 0f 1f 44 00 00'],
    ['{disp32} jmp .+5', 'e9 00 00 00 00'],
  ])('%s', (src, hex) => {
    expect(bytes(src)).toBe(hex);
  });
});

describe('patchlab beyond GNU as (documented deviations)', () => {
  it.each([
    // repeated prefixes, which GNU as rejects: the kernel's RET0 patch and GNU's own 11-byte nop
    ['cs cs cs xor %eax,%eax', '2e 2e 2e 31 c0'],
    ['data16 cs nopw.d32 0x0(%rax,%rax,1)', '66 66 2e 0f 1f 84 00 00 00 00 00'],
    ['data16 xchg %ax,%ax', '66 66 90'],
    // riz/eiz without .allow_index_reg
    ['mov (%rax,%riz,1),%eax', '8b 04 20'],
    ['mov (%rsp,%riz,1),%eax', '8b 04 24'],
    ['mov 0x8(,%riz,2),%eax', '8b 04 65 08 00 00 00'],
  ])('%s', (src, hex) => {
    expect(bytes(src)).toBe(hex);
  });
});

describe('relaxation and relocations', () => {
  it('relaxes jmp and jcc to labels as GNU as does', () => {
    expect(bytes('jmp 1f\n1: jmp 2f\n.skip 200\n2: nop')).toBe(`eb 00 e9 c8 00 00 00 ${'00 '.repeat(200)}90`);
    expect(bytes('1: .skip 126\n je 1b')).toBe(`${'00 '.repeat(126)}74 80`);
    expect(bytes('1: .skip 127\n je 1b')).toBe(`${'00 '.repeat(127)}0f 84 7b ff ff ff`);
  });

  it('leaves GNU as relocations for what it cannot resolve', () => {
    expect(relocs('call foo')).toEqual(['1 R_X86_64_PLT32 foo-0x4']);
    expect(relocs('jmp foo')).toEqual(['1 R_X86_64_PLT32 foo-0x4']);
    expect(relocs('je foo')).toEqual(['2 R_X86_64_PLT32 foo-0x4']);
    expect(relocs('call foo@plt')).toEqual(['1 R_X86_64_PLT32 foo-0x4']);
    expect(relocs('jmp 0x1234')).toEqual(['1 R_X86_64_PC32 *ABS*+0x1230']);
    expect(relocs('lea foo(%rip),%rax')).toEqual(['3 R_X86_64_PC32 foo-0x4']);
    expect(relocs('movl $1,foo(%rip)')).toEqual(['2 R_X86_64_PC32 foo-0x8']);
    expect(relocs('movw $1,foo(%rip)')).toEqual(['3 R_X86_64_PC32 foo-0x6']);
    expect(relocs('add $foo,%eax')).toEqual(['1 R_X86_64_32 foo+0x0']);
    expect(relocs('add $foo,%rax')).toEqual(['2 R_X86_64_32S foo+0x0']);
    expect(relocs('mov $foo,%rax')).toEqual(['3 R_X86_64_32S foo+0x0']);
    expect(relocs('movabs $foo,%rax')).toEqual(['2 R_X86_64_64 foo+0x0']);
    expect(relocs('add $foo,%al')).toEqual(['1 R_X86_64_8 foo+0x0']);
    expect(relocs('ret $foo')).toEqual(['1 R_X86_64_16 foo+0x0']);
    expect(relocs('mov foo(%rax),%eax')).toEqual(['2 R_X86_64_32S foo+0x0']);
    expect(relocs('movabs foo,%eax')).toEqual(['1 R_X86_64_64 foo+0x0']);
    expect(relocs('mov $foo-.,%eax')).toEqual(['1 R_X86_64_PC32 foo+0x1']);
    expect(relocs('mov foo@GOTPCREL(%rip),%rax')).toEqual(['3 R_X86_64_REX_GOTPCRELX foo-0x4']);
    expect(relocs('mov foo@GOTPCREL(%rip),%eax')).toEqual(['2 R_X86_64_GOTPCRELX foo-0x4']);
    expect(relocs('call *foo@GOTPCREL(%rip)')).toEqual(['2 R_X86_64_GOTPCRELX foo-0x4']);
    expect(relocs('lea foo@GOTPCREL(%rip),%rax')).toEqual(['3 R_X86_64_GOTPCREL foo-0x4']);
  });

  it('resolves what GNU as resolves: locals, and jmp (not call) to a global of the section', () => {
    expect(relocs('.globl g\ng: nop\ncall g\njmp g\nje g\nlea l(%rip),%rax\nlea g(%rip),%rax\nl: ret')).toEqual([
      '2 R_X86_64_PLT32 g-0x4', '20 R_X86_64_PC32 g-0x4',
    ]);
    expect(bytes('.globl g\ng: nop\njmp g\nlea l(%rip),%rax\nl: ret')).toBe('90 eb fd 48 8d 05 00 00 00 00 c3');
    expect(relocs('call other\n.section .text.other,"ax"\nother: ret')).toEqual(['1 R_X86_64_PC32 .text.other-0x4']);
  });
});

describe('diagnostics', () => {
  it.each([
    ['frob %eax', 'PL2001@1'],
    ['ret $1,$2', 'PL2002@1'],
    ['int3 $1', 'PL2002@1'],
    ['lea %rax,%rbx', 'PL2003@5'],
    ['xchg %eax,%ebx,%ecx', 'PL2002@1'],
    ['shl %dl,%eax', 'PL2010@9'],
    ['shll $1,%ax', 'PL2010@1'],
    ['push $0x80000000', 'PL2005@6'],
    ['pushl (%rax)', 'PL2001@1'],
    ['mov %cr0,%eax', 'PL2003@5'],
    ['add %cr0,%rax', 'PL2003@5'],
    ['mov %eax,%foo', 'PL2004@10'],
    ['mov (%rax,%foo),%eax', 'PL2004@11'],
    ['add $0x100,%al', 'PL2005@5'],
    ['mov $0x100000000,%eax', 'PL2005@5'],
    ['add $0xffffffff,%rax', 'PL2005@5'],
    ['ret $0x10000', 'PL2005@5'],
    ['call .+0x80000005', 'PL2006@6'],
    ['mov 0xffffffff(%rax),%eax', 'PL2008@5'],
    ['mov 0x80000000,%ebx', 'PL2008@5'],
    ['movabs 0x10,%ebx', 'PL2003@8'],
    ['mov %eax,%bx', 'PL2010@10'],
    ['movq %eax,%ebx', 'PL2010@1'],
    ['push %eax', 'PL2003@6'],
    ['mov (%rax,%rsp),%eax', 'PL2014@11'],
    ['mov (%eax,%rbx),%eax', 'PL2014@11'],
    ['mov (%rip,%rax),%eax', 'PL2014@11'],
    ['mov (%ax),%eax', 'PL2014@6'],
    ['mov %ah,%r8b', 'PL2016@5'],
    ['lock mov %eax,(%rax)', 'PL3001@1'],
    ['lock add %eax,%eax', 'PL3001@1'],
    ['addr32 call .+6', 'PL3001@1'],
    ['mov (%rax,%rbx,3),%eax', 'PL3002@16'],
    ['add $1,(%rax)', 'PL3003@1'],
    ['inc (%rax)', 'PL3003@1'],
    ['mov (%rax,),%eax', 'PL1003@11'],
    ['mov %eax %ebx', 'PL1002@10'],
    ['mov %eax,', 'PL1003@10'],
    ['lock $1', 'PL1003@6'],
    ['jmpq .+5', 'PL2003@6'],
    ['jmpl *%rax', 'PL2001@1'],
    ['call foo@GOTPCREL', 'PL1016@6'],
    ['constructor %eax', 'PL2001@1'],
    ['toString', 'PL2001@1'],
    ['mov %constructor,%eax', 'PL2004@5'],
    ['mov (%__proto__),%eax', 'PL2004@6'],
    ['je,constructor .+2', 'PL1003@3'],
  ])('%s', (src, diag) => {
    expect(bytes(src)).toBe(diag);
  });
});
