// x86-64 golden cases: one GNU as line per case, every form of src/isa/x86-64/table-forms.ts and the
// edges of every field (registers, scales, disp8/disp32 limits, immediate limits, rel8/rel32 limits).
//
// llvm-mc-14 gives GNU's bytes for every case it takes. Left out because llvm-mc differs (tested in
// src/isa/x86-64/syntax.test.ts instead): `ds je .+2` / `cs jne .+2` (llvm-mc takes `.` after the hint
// prefix), `addr32 mov (%eax),%eax` (llvm-mc emits the 67 twice), GNU's implicit a0–a3 (`mov 0x80000000,%eax`,
// `addr32 mov 0x10,%eax`: llvm-mc keeps ModRM and truncates the address) and `movabs %ax,%fs:0x10` (llvm-mc
// puts the 66 before the 64). It rejects `.s` on arithmetic,
// 16-bit indirect branches, `bnd`, the `,pt`/`,pn` hints, `lock cs …`, `lock fs addr32 …`, `rex.W; ret`.

import type { ArchName } from '../../src/isa/types.js';

const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'] as const;
const CONDITIONS = [
  ['o'], ['no'], ['b', 'c', 'nae'], ['ae', 'nb', 'nc'], ['e', 'z'], ['ne', 'nz'], ['be', 'na'], ['a', 'nbe'],
  ['s'], ['ns'], ['p', 'pe'], ['np', 'po'], ['l', 'nge'], ['ge', 'nl'], ['le', 'ng'], ['g', 'nle'],
];
const R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w'];
const R8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', 'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'];
const HIGH8 = ['ah', 'ch', 'dh', 'bh'];

function arithmetic(): string[] {
  const out: string[] = [];
  for (const op of ALU) {
    out.push(
      // 83 /k ib at its edges, at each size; 04/05 for the accumulator; 80/81 otherwise.
      `${op} $1,%eax`, `${op} $-128,%rax`, `${op} $127,%r15w`, `${op} $0xffffffff,%ecx`, `${op}q $-1,(%rsp)`,
      `${op} $0x80,%al`, `${op} $-128,%al`, `${op} $0xff,%al`, `${op} $0x80,%eax`, `${op} $0x7fffffff,%eax`,
      `${op} $-0x80000000,%rax`, `${op} $0x7fffffff,%rax`, `${op} $0x1234,%ax`, `${op} $0xffff,%ax`,
      `${op}b $0xff,(%rax)`, `${op} $0x80,%bl`, `${op} $1,%r12b`, `${op} $0x100,%ebx`, `${op}l $0x12345678,0x10(%rsp)`,
      `${op}w $0x8000,(%r13)`, `${op}q $0x7fffffff,-8(%rbp)`,
      `${op} %eax,%ebx`, `${op} %r8,%r15`, `${op} %r8b,%r9b`, `${op} %spl,%dil`, `${op} %ah,%bh`, `${op} %cx,%r10w`,
      `${op} (%rax),%ecx`, `${op} 8(%rsp),%dl`, `${op} %esi,(%rdi)`, `${op} %bl,-1(%rbp,%rcx,2)`, `${op}.s %eax,%ebx`,
    );
  }
  return out;
}

function moves(): string[] {
  const out: string[] = [];
  // Every register, of every size, in both ModRM fields.
  for (const regs of [R64, R32, R16, R8]) {
    regs.forEach((r, i) => out.push(`mov %${r},%${regs[(i + 5) % 16]}`));
  }
  for (const h of HIGH8) out.push(`mov %${h},%al`, `mov %cl,%${h}`);
  out.push(
    'mov $0,%eax', 'mov $0xffffffff,%r11d', 'mov $0x1234,%r8w', 'mov $0xff,%r9b', 'mov $-1,%ah', 'mov $1,%spl',
    'mov $1,%rax', 'mov $-0x80000000,%rsp', 'mov $0x7fffffff,%r15', 'mov $0x80000000,%rax', 'mov $-0x80000001,%rbx',
    'movabs $0x1122334455667788,%rax', 'movabs $1,%r12', 'movabs $-1,%rdi',
    'movb $0xff,-1(%rax)', 'movw $0xffff,(%rax)', 'movl $0x80000000,(%rax)', 'movq $0x7fffffff,(%rax)', 'movq $-0x80000000,(%r8)',
    'mov %rax,%rbx', 'mov (%rax),%rbx', 'mov %rax,(%rbx)', 'mov (%r8),%r9b', 'mov %r10b,(%r11)', 'mov.s %eax,%ebx',
    'mov 0x10(,%rax,8),%rcx', 'mov 0x1234,%eax', 'mov -1,%eax', 'mov 0x7fffffff,%rax', 'mov -0x80000000,%r8',
    'mov 0x10(%rip),%rax', 'mov -0x80000000(%rip),%eax', 'mov 0x7fffffff(%rip),%eax', 'mov %rax,%fs:0x28', 'mov %gs:0x28,%rax',
    'movabs 0x1234,%al', 'movabs 0x1122334455667788,%rax', 'movabs %eax,0xffffffffffffffff', 'movabs %al,0', 'movabs %ax,0x10',
    'lea 1(%rdi),%rax', 'lea (%rax,%rbx,4),%rcx', 'lea -8(%rbp),%r8', 'lea 0x10(%rip),%rax', 'lea (%rax),%bx', 'leaq 8(%r12),%r13', 'lea (%eax,%ebx),%ecx',
  );
  return out;
}

function addressing(): string[] {
  const out: string[] = [];
  // Every base (rsp/r12 need a SIB, rbp/r13 a displacement), every index, every scale, the disp edges.
  for (const b of R64) out.push(`mov (%${b}),%eax`, `mov 0x7f(%${b}),%eax`, `mov -0x80(%${b}),%eax`);
  for (const x of R64.filter((r) => r !== 'rsp')) out.push(`mov (%rax,%${x},2),%ecx`, `mov 0x10(,%${x},8),%ecx`);
  for (const s of [1, 2, 4, 8]) out.push(`mov (%rsp,%rbp,${s}),%edx`, `mov (%r13,%r12,${s}),%edx`);
  for (const d of ['0x80', '-0x81', '0x7fffffff', '-0x80000000', '0']) out.push(`mov ${d}(%rbx),%esi`, `mov ${d}(%r12,%r9,4),%esi`);
  out.push(
    'mov (%rbp),%eax', 'mov (%r13),%eax', 'mov (%rbp,%rax),%eax', 'mov (%r13,%rax),%eax', 'mov (,%rax),%eax', 'mov (,%rax,1),%eax',
    'mov %es:(%rax),%eax', 'mov %cs:(%rax),%eax', 'mov %ss:(%rax),%eax', 'mov %ds:(%rbp),%eax', 'mov %fs:(%rax),%eax', 'mov %gs:8(%rsp),%eax',
    'mov (%eax),%eax', 'mov 0x10(%r8d,%r15d,8),%ecx', 'mov 0(%ebp),%ebx', 'mov 0x10(%eip),%eax', 'mov %fs:(%eax),%eax',
  );
  return out;
}

function branches(): string[] {
  const out = [
    'jmp .+2', 'jmp .+129', 'jmp .-126', 'jmp .+130', 'jmp .-127', 'jmp .+0x100', 'jmp .', 'jmp.d32 .+5',
    'jmp .+0x80000004', 'jmp .-0x7ffffffb', 'call .+5', 'call .', 'call .-0x1000', 'call .+0x80000004', 'call .-0x7ffffffb', 'callq .+5',
    'call *%rax', 'call *%r11', 'call *(%rax)', 'call *8(%rax)', 'call *0x10(%rip)', 'call *%gs:0x10', 'callq *(%r12)', 'callw *(%rax)', 'call *%ax',
    'jmp *%rax', 'jmp *%r11', 'jmp *(%rax)', 'jmp *0x0(%rip)', 'jmp *-8(%rbp,%rcx,8)', 'jmpq *%rax', 'jmpw *(%rax)', 'jmp *%r8w', 'jmp *0x1234',
    'ret', 'retq', 'retw', 'ret $8', 'ret $0', 'ret $0xffff', 'retw $2',
    'notrack call *%rax', 'notrack jmp *(%rax)', 'bnd jmp *%rax', 'bnd call .+5', 'bnd ret', 'bnd je .+2', 'rep ret', 'repz ret $8',
    'je,pt .+2', 'je,pn .+0x100',
  ];
  CONDITIONS.forEach((names) => {
    for (const n of names) out.push(`j${n} .+2`);
    out.push(`j${names[0]} .+129`, `j${names[0]} .-126`, `j${names[0]} .+0x100`, `j${names[0]} .-0x7ffffffa`);
  });
  return out;
}

/** The kernel's instructions: IBT, the IRET-to-self, flags on the stack, pushes, shifts, bit tests, atomics. */
function kernel(): string[] {
  const out = [
    'endbr64', 'cld', 'std', 'swapgs', 'mov %cr0,%rax', 'mov %rax,%cr0', 'mov %cr3,%r15', 'mov %r8,%cr4', 'mov %cr8,%rcx',
    'mov %rdx,%cr8', 'mov %ss,%eax', 'mov %cs,%eax', 'mov %ds,%ax', 'mov %es,%r15d', 'mov %gs,%r8w', 'mov %fs,%ecx', 'mov %cr2,%rdi', 'movq %cr4,%rax', 'mov %r15,%cr15', 'rex.W; mov %cr0,%rax', 'data16; mov %cr3,%rax', 'pushf', 'pushfq', 'pushfw', 'popf', 'popfq', 'popfw', 'rex.W; pushf',
    'push $1', 'push $-128', 'push $127', 'push $0x80', 'push $-0x80000000', 'push $0x7fffffff', 'pushq $-1', 'pushw $0x1234', 'pushw $-1',
    'pushq (%rax)', 'push 8(%rsp)', 'pushq 0x10(%rip)', 'pushw (%rax)', 'pushq (%r12,%r13,8)', 'pushq %gs:0x10',
    'bt %eax,%ebx', 'bt $3,%eax', 'bt %r8,(%r9)', 'btl $31,(%rax)', 'btw $15,%r15w', 'btq $63,%rdx',
    'bts %rax,(%rbx)', 'bts $0,%ecx', 'lock bts %eax,(%rbx)', 'lock btsq $63,(%rax)', 'btr $5,%cx', 'btr %r11,%r12', 'lock btrl $3,(%rbx)',
    'xadd %eax,%ebx', 'xadd %al,%bl', 'xadd %r8w,%r9w', 'lock xadd %rax,(%rbx)', 'lock xaddb %cl,(%rdx)',
    'cmpxchg %ecx,%edx', 'cmpxchg %cl,(%rdx)', 'lock cmpxchg %rcx,(%rdx)', 'lock cmpxchg %r9w,8(%rsp)', 'cmpxchg %sil,%dil',
    'xchg %rax,(%rbx)', 'xchg (%rbx),%eax', 'xchg %al,%bl', 'xchg %ah,(%rcx)', 'xchg %eax,%ebx', 'xchg %rax,%rbx', 'xchg %ecx,%eax',
    'xchg %r8,%rax', 'xchg %ax,%r15w', 'xchg %eax,%eax', 'xchg %ecx,%edx', 'lock xchg %eax,(%rbx)', 'xacquire xchg %eax,(%rbx)', 'xrelease xchg %al,(%rbx)',
    // the kernel's IRET-to-self (arch/x86/include/asm/sync_core.h)
    'mov %ss,%eax', 'pushq %rax', 'pushq %rsp', 'addq $8,(%rsp)', 'pushfq', 'mov %cs,%eax', 'pushq %rax', 'pushq $.+7', 'iretq',
  ];
  for (const op of ['shl', 'sal', 'shr', 'sar']) {
    out.push(
      `${op} %eax`, `${op} $1,%eax`, `${op} %r9b`, `${op}q (%rax)`, `${op}b $1,(%rax)`, `${op} %cl,%eax`, `${op} %cl,%ah`,
      `${op}w %cl,(%rbx)`, `${op} $0,%rax`, `${op} $2,%bl`, `${op} $31,%r12d`, `${op} $63,%rdx`, `${op} $0xff,%al`, `${op}l $7,8(%rsp)`,
    );
  }
  return out;
}

function others(): string[] {
  return [
    'int3', 'ud2', 'ud2a', 'ud1 %esp,%ecx', 'ud1 %eax,%ecx', 'ud1 (%rax),%rax', 'ud1l (%rax),%eax', 'ud1 %ax,%bx', 'ud1 %r15,%r8', 'ud2b %eax,%eax',
    'hlt', 'cli', 'sti', 'cpuid', 'serialize', 'lfence', 'mfence', 'sfence', 'pause', 'rep nop', 'iretq', 'iretl', 'iretw',
    'nop', 'xchg %ax,%ax', 'xchgw %ax,%ax', 'nopl (%rax)', 'nopw (%rax)', 'nopq (%rax)', 'nop %eax', 'nopw %ax', 'nop %r8', 'nopl 0x10(%rax)',
    // The recommended multi-byte nops; GNU as drops a written zero displacement, `.d8`/`.d32` keep one.
    'nopl.d8 0x0(%rax)', 'nopl.d8 0x0(%rax,%rax,1)', 'nopw.d8 0x0(%rax,%rax,1)', 'nopl.d32 0x0(%rax)', 'nopl.d32 0x0(%rax,%rax,1)',
    'nopw.d32 0x0(%rax,%rax,1)', 'cs nopw.d32 0x0(%rax,%rax,1)', 'nopl -0x80000000(%r15,%r14,8)',
    // The kernel's RET0 patch and GNU's longest nop: patchlab prints (and reads) them as objdump does.
    '.byte 0x2e,0x2e,0x2e,0x31,0xc0', '.byte 0x66,0x66,0x2e,0x0f,0x1f,0x84,0,0,0,0,0', '.byte 0x66,0x2e,0x0f,0x1f,0x84,0,0,0,0,0',
    '.byte 0x48,0x48,0x01,0xc0', '.byte 0x40,0xc3', '.byte 0x43,0x89,0xc3', '.byte 0x0f,0x1f,0x44,0x20,0x00', '.byte 0x66,0x66,0x90',
    'test %eax,%ebx', 'test %eax,(%rax)', 'test (%rax),%eax', 'test %r8b,%r9b', 'test %ah,%dh', 'test $1,%al', 'test $0xff,%al',
    'test $1,%eax', 'test $0xffffffff,%eax', 'test $-0x80000000,%rax', 'test $0x1234,%ax', 'test $1,%ebx', 'test $1,%r8b',
    'testb $1,(%rax)', 'testw $0xffff,(%r12)', 'testq $-1,(%rax)', 'test $0x12345678,%r13',
    'inc %eax', 'inc %al', 'inc %r8', 'dec %r8w', 'dec %spl', 'incl (%rax)', 'incb (%rax)', 'decq 8(%rsp)', 'decw (%rax,%rax)',
    'push %rax', 'push %r12', 'push %r15', 'pushq %rbx', 'push %ax', 'pushw %r8w', 'pop %rsp', 'pop %r15', 'popq %rbp', 'pop %ax', 'popw %r9w',
    'lock addl $1,(%rax)', 'lock incq (%rsp)', 'lock xorb %al,(%rbx)', 'lock subw $1,(%r8)', 'lock cs addl $1,(%rax)',
    'xacquire lock addl $1,(%rax)', 'xrelease lock decl (%rax)', 'xrelease movl $0,(%rax)', 'xrelease mov %eax,(%rbx)',
    'lock; addl $1,(%rax)', 'cs; nop', 'rex.W; ret', 'data16 hlt', 'data16 cpuid', 'cs nop', 'ds cpuid', 'fs mov (%rax),%eax', 'addr32 nop', 'lock fs addr32 addw $1,(%eax)',
  ];
}

export function goldenCases(arch: ArchName): string[] {
  if (arch !== 'x86-64') return [];
  return [...arithmetic(), ...moves(), ...addressing(), ...branches(), ...others(), ...kernel()];
}
