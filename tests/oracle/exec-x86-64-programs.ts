// Programs for the x86-64 interpreter's comparison with this machine's own CPU: hand-written and random ones.
//
// Every program is a function with a global label, called once per argument list. Results never depend
// on load addresses: they are computed values, loaded values, or pc-relative differences. A program
// whose memory a call changes is called once, so the order the calls run in does not matter. Flags are
// observed through jcc (each condition skips a flag-neutral lea) and adc/sbb, never read directly.

import fc from 'fast-check';
import type { QemuCall } from '../support/qemu.js';

export interface Program {
  readonly source: string;
  readonly calls: readonly QemuCall[];
}

/** rax = (((rax·2 + r1)·2 + r2)·2 + …): every register weighs in, so a wrong one changes the sum. */
export function fold(regs: readonly string[]): string[] {
  return regs.flatMap((r) => ['\tadd %rax,%rax', `\tadd ${r},%rax`]);
}

/** rax = 9·rax + r11: odd, so a difference in any r11 folded in survives to the end. */
const MIX_R11 = ['\tlea (%r11,%rax,8),%r11', '\tadd %r11,%rax'];

const CONDITIONS = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'] as const;

/** r11 = one bit per condition of `conds` that holds now, taken without disturbing the flags (mov, lea). */
function flagBits(conds: readonly string[] = CONDITIONS): string[] {
  const out = ['\tmov $0,%r11d'];
  conds.forEach((c, i) => out.push(`\tj${invert(c)} 1f`, `\tlea ${1 << i}(%r11),%r11`, '1:'));
  return out;
}

function invert(c: string): string {
  const i = CONDITIONS.indexOf(c as (typeof CONDITIONS)[number]);
  return CONDITIONS[i ^ 1];
}

const EDGE_ARGS = [0n, 1n, -1n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n,
  -0x8000000000000000n, 0x7fffffffffffffffn, 0x0123456789abcdefn];

function calls(entry: string, argLists: readonly (readonly bigint[])[]): QemuCall[] {
  return argLists.map((args) => ({ entry, args }));
}

const pairs = (step: number) => EDGE_ARGS.flatMap((a, i) => [[a, EDGE_ARGS[(i * step + 3) % EDGE_ARGS.length]], [a, a], [a, 0n]]);

/** Straight-line arithmetic over two arguments at every size, with the flags of each step folded in. */
function arithmetic(): Program {
  const step = (lines: string[]) => [...lines, ...flagBits(), ...MIX_R11];
  const source = [
    '\t.globl fx_arith', 'fx_arith:', '\tpush %rbx', '\tmov $0x5a5a5a5a,%eax',
    ...step(['\tmov %rdi,%rcx', '\tadd %rsi,%rcx']),
    ...step(['\tmov %rdi,%rdx', '\tsub %rsi,%rdx']),
    ...step(['\tmov %edi,%r8d', '\tadd %esi,%r8d']),
    ...step(['\tmov %rdi,%r9', '\tadc $0x12345,%r9']),
    ...step(['\tmov %rsi,%r10', '\tsbb $-3,%r10']),
    ...step(['\tmov %rdi,%rbx', '\tsub %si,%bx']),
    ...step(['\tadd %sil,%bl']),
    ...step(['\tmov %rsi,%rbx', '\tadc %cl,%bh']),
    ...step(['\tcmp %rsi,%rdi']),
    ...step(['\tcmp %esi,%edi']),
    ...step(['\tcmp %si,%di']),
    ...step(['\tcmp %sil,%dil']),
    ...step(['\tcmp $-1,%rdi']),
    ...step(['\tcmp $0x7fffffff,%edi']),
    ...step(['\ttest %rsi,%rdi']),
    ...step(['\ttest $0x80,%dil']),
    ...step(['\tmov %rdi,%rbx', '\tand %rsi,%rbx']),
    ...step(['\tor %esi,%ebx']),
    ...step(['\txor $0x5555,%bx']),
    ...step(['\tinc %rbx']),
    ...step(['\tdec %ebx']),
    ...step(['\tmov %rsi,%rbx', '\tdec %bl']),
    ...step(['\tsbb %rbx,%rbx']),
    ...step(['\tmov %rdi,%rbx', '\tadd $0x80000000,%ebx']),
    ...step(['\tsub $0x7fffffff,%rbx']),
    ...fold(['%rcx', '%rdx', '%r8', '%r9', '%r10', '%rbx']), '\tpop %rbx', '\tret',
  ].join('\n');
  return { source, calls: calls('fx_arith', pairs(5)) };
}

/** Stores of each width, loads back, merges into 8- and 16-bit registers, every addressing mode. */
function memory(): Program {
  const source = [
    '\t.globl fx_mem', 'fx_mem:', '\tlea fx_mem_data(%rip),%r11',
    '\tmov %edi,(%r11)', '\tmov %si,4(%r11)', '\tmov %dil,7(%r11)', '\tmov %sil,6(%r11)', '\tmov %rdi,8(%r11)',
    '\tmovb $0x7f,16(%r11)', '\tmovw $-2,17(%r11)', '\tmovl $0x89abcdef,19(%r11)', '\tmovq $-0x12345678,24(%r11)',
    '\tmov $-1,%rdx', '\tmov 7(%r11),%dl', '\tmov %r11,%rax', '\tmov 6(%rax),%dh',
    '\tmov $-1,%rax', '\tmov (%r11),%eax', '\tmov $-1,%rcx', '\tmov 4(%r11),%cx',
    '\tmov $2,%r8d', '\tmov 16(%r11,%r8,4),%r9', '\tmov -8(%r11,%r8,8),%r10', '\tmov 32(%r11),%esi', '\tmov fx_mem_data+40(%rip),%edi',
    '\tmovabs fx_mem_data+44,%al', '\tmovabs fx_mem_data+48,%eax', '\tmovabs %rax,fx_mem_data+56', '\tmov fx_mem_data+56(%rip),%r8',
    '\tmov fx_mem_data+36,%r11d', '\tlea fx_mem_data(%rip),%rsi', '\tadd %r11,(%rsi)', '\tincl 4(%rsi)', '\tdecw 10(%rsi)',
    '\tlock subq $5,8(%rsi)', '\tlock xor %r9,16(%rsi)', '\tlock andb $0x5f,25(%rsi)',
    '\tmov (%rsi),%r11', '\tadd 8(%rsi),%r11', '\tsub 16(%rsi),%r11', '\txor 24(%rsi),%r11', '\tmov 32(%rsi),%esi',
    ...fold(['%rcx', '%rdx', '%r8', '%r9', '%r10', '%rsi', '%rdi', '%r11']), '\tret',
    '\t.data', '\t.p2align 3', 'fx_mem_data:', '\t.quad 0,0,0,0',
    '\t.quad 0x0123456789abcdef,0x8badf00dfeedface,0x7fff80007fff8000,0xffffffff00000001', '\t.text',
  ].join('\n');
  return { source, calls: calls('fx_mem', [[0x11223344n, 0x8899aabbn]]) };
}

/** Loops and compare-and-branch: counted with dec/jnz, fib, signed and unsigned min. */
function loops(): Program {
  const source = [
    '\t.globl fx_sum_to', 'fx_sum_to:', '\txor %eax,%eax', '\ttest %rdi,%rdi', '\tje 2f', '1:\tadd %rdi,%rax', '\tdec %rdi', '\tjnz 1b', '2:\tret',
    '\t.globl fx_fib', 'fx_fib:', '\txor %eax,%eax', '\tmov $1,%ecx',
    '1:\tcmp $0,%rdi', '\tjle 2f', '\tlea (%rax,%rcx),%rdx', '\tmov %rcx,%rax', '\tmov %rdx,%rcx', '\tsub $1,%rdi', '\tjmp 1b', '2:\tret',
    '\t.globl fx_min', 'fx_min:', '\tmov %rdi,%rax', '\tcmp %rsi,%rdi', '\tjl 1f', '\tmov %rsi,%rax', '1:\tret',
    '\t.globl fx_minu', 'fx_minu:', '\tmov %rdi,%rax', '\tcmp %rsi,%rdi', '\tjb 1f', '\tmov %rsi,%rax', '1:\tret',
    // a loop with a rel32 back edge: 128 bytes of nops in its body
    '\t.globl fx_far', 'fx_far:', '\txor %eax,%eax', '1:\tadd %rdi,%rax', ...Array.from({ length: 32 }, () => '\tnopl 0x0(%rax)'), '\tsub $1,%esi', '\tjg 1b', '\tret',
  ].join('\n');
  return {
    source,
    calls: [
      ...calls('fx_sum_to', [[0n], [1n], [10n], [1000n]]),
      ...calls('fx_fib', [[0n], [1n], [2n], [50n], [90n]]),
      ...calls('fx_min', [[3n, 5n], [5n, 3n], [-1n, 1n], [0x8000000000000000n, 1n]]),
      ...calls('fx_minu', [[3n, 5n], [5n, 3n], [-1n, 1n], [0x8000000000000000n, 1n]]),
      ...calls('fx_far', [[3n, 100n], [-7n, 1n], [5n, 0n]]),
    ],
  };
}

/** All sixteen conditions after compares and tests of every size. */
function conditions(): Program {
  const source = [
    '\t.globl fx_cond', 'fx_cond:', '\txor %eax,%eax',
    ...['%rsi,%rdi', '%esi,%edi', '%si,%di', '%sil,%dil'].flatMap((ops) => [
      `\tcmp ${ops}`, ...flagBits(), ...MIX_R11,
      `\ttest ${ops}`, ...flagBits(['e', 's', 'p', 'le', 'g', 'o', 'b']), ...MIX_R11,
    ]),
    '\tret',
  ].join('\n');
  return { source, calls: calls('fx_cond', pairs(7)) };
}

/** Calls: direct, through a register and through memory, callee-saved pushes, ret $n, recursion, tail jumps. */
function callsAndReturns(): Program {
  const source = [
    '\t.globl fx_g', 'fx_g:', '\tlea 7(%rdi,%rdi,2),%rax', '\tret',
    '\t.globl fx_pop8', 'fx_pop8:', '\tmov 8(%rsp),%rax', '\tadd %rdi,%rax', '\tret $8',
    '\t.globl fx_call', 'fx_call:', '\tpush %rbx', '\tpush %r12', '\tpush %rbp', '\tmov %rdi,%rbx',
    '\tcall fx_g', '\tmov %rax,%r12', '\tlea 1(%rbx),%rdi', '\tlea fx_g(%rip),%rcx', '\tcall *%rcx', '\tadd %rax,%r12',
    '\tlea 2(%rbx),%rdi', '\tcall *fx_ptr(%rip)', '\tadd %rax,%r12', '\tlea fx_ptr(%rip),%rbp', '\tmov %rbx,%rdi', '\tcall *(%rbp)',
    '\tadd %rax,%r12', '\tmov $0x1234,%ecx', '\tpush %rcx', '\tmov %rbx,%rdi', '\tcall fx_pop8', '\tadd %r12,%rax',
    '\tpop %rbp', '\tpop %r12', '\tpop %rbx', '\tret',
    '\t.globl fx_rsum', 'fx_rsum:', '\txor %eax,%eax', '\ttest %rdi,%rdi', '\tjle 1f', '\tpush %rdi', '\tdec %rdi', '\tcall fx_rsum', '\tpop %rdi', '\tadd %rdi,%rax', '1:\tret',
    '\t.globl fx_tail', 'fx_tail:', '\tcmp $1,%rdi', '\tje 1f', '\tlea fx_g(%rip),%rax', '\tjmp *%rax', '1:\tjmp *fx_ptr(%rip)',
    // push %rsp pushes the rsp before the push; 16-bit push and pop move 2 bytes and merge
    '\t.globl fx_stack', 'fx_stack:', '\tmov %rsp,%rcx', '\tpush %rdi', '\tpush %rsp', '\tpop %rax', '\tsub %rax,%rcx', '\tpop %rdx', '\tadd %rdx,%rcx',
    '\tmov %rsi,%rax', '\tpush %di', '\tpop %ax', '\tadd %rax,%rcx', '\tpush %si', '\tpop %dx', '\tadd %rdx,%rcx', '\tmov %rcx,%rax', '\tret',
    '\t.data', '\t.p2align 3', 'fx_ptr:', '\t.quad fx_g', '\t.text',
  ].join('\n');
  return {
    source,
    calls: [...calls('fx_call', [[5n], [-1n], [0x7fffffffn]]), ...calls('fx_rsum', [[0n], [1n], [30n], [500n]]),
      ...calls('fx_tail', [[1n], [2n]]), ...calls('fx_stack', [[0x1111222233334444n, 0xaaaabbbbccccddddn]])],
  };
}

/** pc-relative addresses: call/pop pc discovery, lea of labels, a jump table of rip-relative offsets. */
function addressing(): Program {
  const source = [
    '\t.globl fx_pc', 'fx_pc:', '\tcall 1f', '1:\tpop %rax', '\tlea 1b(%rip),%rcx', '\tsub %rcx,%rax',
    '\tlea fx_pc(%rip),%rdx', '\tlea 2f(%rip),%rsi', '\tsub %rdx,%rsi', '\tadd %rsi,%rax', '2:\tlea fx_pc_word(%rip),%rdi', '\tadd (%rdi),%rax', '\tret',
    'fx_pc_word:', '\t.quad 0x1234567800000000',
    // a jump table of 32-bit offsets from fx_base
    '\t.globl fx_switch', 'fx_switch:', '\tand $3,%edi', '\tlea fx_table(%rip),%rcx', '\tmov (%rcx,%rdi,4),%eax', '\tlea fx_base(%rip),%rcx',
    '\tadd %rcx,%rax', '\tlea 0(,%rdi,8),%rdx', '\tjmp *%rax',
    'fx_base:', '3:\tlea 100(%rdx),%rax', '\tret', '4:\tlea 200(%rdx),%rax', '\tret', '5:\tlea 300(%rdx),%rax', '\tret', '6:\tlea 400(%rdx),%rax', '\tret',
    '\t.p2align 2', 'fx_table:', '\t.long 3b-fx_base, 4b-fx_base, 5b-fx_base, 6b-fx_base',
  ].join('\n');
  return { source, calls: [...calls('fx_pc', [[]]), ...calls('fx_switch', [[0n], [1n], [2n], [3n], [6n]])] };
}

/** cpuid, the fences, pause and every nop form, locked read-modify-writes: none may change what it does not name. */
function system(): Program {
  const source = [
    '\t.globl fx_sys', 'fx_sys:', '\tpush %rbx', '\tmov %rdi,%r8', '\tmov %rsi,%r9', '\txor %eax,%eax', '\tcpuid',
    '\tmov $1,%eax', '\tcpuid', '\tlfence', '\tmfence', '\tsfence', '\tpause', '\tnop', '\txchg %ax,%ax', '\tnopl 0(%rax)',
    '\tnopw 0x0(%rax,%rax,1)', '\tcs nop', '\t.byte 0x66,0x66,0x2e,0x0f,0x1f,0x84,0,0,0,0,0', '\t.byte 0x0f,0x1f,0x44,0,0', '\tds jmp 1f', '1:',
    '\tlea fx_sys_data(%rip),%rdx', '\tlock add %r8,(%rdx)', '\tlock incl 8(%rdx)', '\tlock decw 12(%rdx)', '\tlock orb $0x81,14(%rdx)',
    '\tlock sbb %r9d,16(%rdx)', '\tlock adc %r8,(%rdx)', '\txrelease movl $7,20(%rdx)', '\tmov (%rdx),%rax', '\tadd 8(%rdx),%rax', '\tadd 16(%rdx),%rax',
    '\tadd %r8,%rax', '\tadd %r9,%rax', '\tpop %rbx', '\tret',
    '\t.data', '\t.p2align 3', 'fx_sys_data:', '\t.quad 0x1111,0x2222,0x3333', '\t.text',
  ].join('\n');
  return { source, calls: calls('fx_sys', [[0x5a5a1234n, 0xabcdn]]) };
}

/**
 * The kernel's instructions: endbr64, cld, pushf/popf (status flags only: at ring 3 the CPU keeps IF and
 * IOPL, and AC would turn on alignment checks), push of immediates and memory, shifts by 1, cl and an
 * immediate at every size, bt/bts/btr (a register offset reaching past the operand), xadd, cmpxchg that
 * succeeds and fails, xchg with memory. Flags after each through jcc, CF through adc.
 */
function kernelOps(): Program {
  // The flags of the last line of `lines` are observed, then `after` folds its results in.
  const step = (lines: string[], after: string[] = []) => [...lines, ...flagBits(), ...MIX_R11, ...after];
  const source = [
    '\t.globl fx_kernel', 'fx_kernel:', '\tendbr64', '\tpush %rbx', '\tcld', '\tlea fx_kernel_data(%rip),%rbx', '\tmov $0x5a5a5a5a,%eax',
    '\tmov %rdi,(%rbx)', '\tmov %rsi,8(%rbx)',
    ...step(['\tcmp %rsi,%rdi', '\tpushfq', '\tpop %rcx', '\tand $0x8d5,%ecx'], ['\tadd %rcx,%rax']),
    ...step(['\tmov %rdi,%rcx', '\tand $0x8d5,%ecx', '\tor $0x202,%ecx', '\tpush %rcx', '\tpopfq']),
    ...step(['\tmov %rsi,%rcx', '\tand $0x8d5,%ecx', '\tor $0x202,%ecx', '\tpushw %cx', '\tpopfw']),
    '\tpush $-5', '\tpop %rcx', '\tadd %rcx,%rax', '\tpush $0x12345678', '\tpop %rcx', '\tadd %rcx,%rax',
    '\tmov %rdi,%rcx', '\tpushw $0x1234', '\tpop %cx', '\tadd %rcx,%rax', '\tpushq 8(%rbx)', '\tpop %rcx', '\tadd %rcx,%rax',
    '\tmov %rdi,%rdx', '\tpushw (%rbx)', '\tpopw %dx', '\tadd %rdx,%rax', '\tpush %rsi', '\tpush (%rsp)', '\tpop %rcx', '\tpop %rdx', '\tadd %rcx,%rax', '\tadd %rdx,%rax',
    ...['%rdx', '%edx', '%dx', '%dl', '%dh'].flatMap((r) => ['shl', 'shr', 'sar'].flatMap((op) => [
      ...step(['\tmov %rdi,%rdx', '\tmov %esi,%ecx', `\t${op} %cl,${r}`], ['\tadd %rdx,%rax']),
      ...step(['\tmov %rsi,%rdx', `\t${op} ${r}`], ['\tadd %rdx,%rax']),
      ...step(['\tmov %rdi,%rdx', `\t${op} $${r === '%rdx' ? 37 : 5},${r}`], ['\tadd %rdx,%rax']),
    ])),
    ...step(['\tmov %esi,%ecx', '\tsarq %cl,(%rbx)'], ['\tadd (%rbx),%rax']),
    ...step(['\tshlw $3,8(%rbx)'], ['\tadd 8(%rbx),%rax']),
    ...step(['\tbt %rsi,%rdi'], ['\tadc $0,%rax']),
    ...step(['\tmov %rdi,%rdx', '\tbts %esi,%edx'], ['\tadc %rdx,%rax']),
    ...step(['\tmov %rdi,%rdx', '\tbtr $45,%rdx'], ['\tadc %rdx,%rax']),
    ...step(['\tmov %rsi,%rcx', '\tand $127,%ecx', '\tsub $64,%rcx', '\tlock bts %rcx,8(%rbx)'], ['\tadc 8(%rbx),%rax', '\tadc (%rbx),%rax', '\tadc 16(%rbx),%rax']),
    ...step(['\tmov %rdi,%rcx', '\tand $63,%ecx', '\tbtr %cx,(%rbx)'], ['\tadc (%rbx),%rax']),
    ...step(['\tlock btsl $33,4(%rbx)'], ['\tadc 4(%rbx),%rax']),
    ...step(['\tmov %rdi,%rcx', '\tmov %rsi,%rdx', '\txadd %rcx,%rdx'], ['\tadd %rcx,%rax', '\tadd %rdx,%rax']),
    ...step(['\tmov %rsi,%rcx', '\tlock xadd %ecx,(%rbx)'], ['\tadd %rcx,%rax', '\tadd (%rbx),%rax']),
    ...step(['\tmov %rsi,%rcx', '\txadd %cl,%ch'], ['\tadd %rcx,%rax']),
    '\tmov %rax,%r8',
    ...step(['\tmov %rdi,%rax', '\tmov %rdi,%rdx', '\tmov %rsi,%rcx', '\tcmpxchg %ecx,%edx'], ['\tadd %rdx,%r8', '\tadd %rax,%r8']),
    ...step(['\tmov %rsi,%rax', '\tmov %rdi,%rdx', '\tmov %rsi,%rcx', '\tcmpxchg %ecx,%edx'], ['\tadd %rdx,%r8', '\tadd %rax,%r8']),
    ...step(['\tmov (%rbx),%rax', '\tlock cmpxchg %rsi,(%rbx)'], ['\tadd %rax,%r8', '\tadd (%rbx),%r8']),
    ...step(['\tmov %rdi,%rax', '\tlock cmpxchg %rdi,(%rbx)'], ['\tadd %rax,%r8', '\tadd (%rbx),%r8']),
    ...step(['\tmov %rdi,%rax', '\tcmpxchg %sil,%al'], ['\tadd %rax,%r8']),
    '\tmov %r8,%rax',
    '\tmov %rdi,%rcx', '\txchg %rcx,8(%rbx)', '\tadd %rcx,%rax', '\tadd 8(%rbx),%rax', '\txchg %si,(%rbx)', '\tadd %rsi,%rax',
    '\tmov %rdi,%rcx', '\txchg %ecx,%eax', '\tadd %rcx,%rax', '\txchg %rdi,%rdx', '\tadd %rdx,%rax', '\txchg %al,%ah', '\tadd %rdi,%rax',
    // sync_core()'s IRET-to-self, to the same ring (3 here, 0 in the model: the selectors differ, never the result);
    // the cmp gives the flags iretq restores a value that does not depend on where the stack is; the xor
    // changes them before the iretq, so only a restore shows the cmp's
    '\tmov %rax,%r8', '\tmov %ss,%eax', '\tpushq %rax', '\tpushq %rsp', '\taddq $8,(%rsp)', '\tcmp %rsi,%rdi', '\tpushfq', '\txor %eax,%eax', '\tmov %cs,%eax', '\tpushq %rax',
    '\tlea 3f(%rip),%rax', '\tpushq %rax', '\tmov %r8,%rax', '\tiretq', '3:', ...flagBits(), ...MIX_R11,
    '\tpop %rbx', '\tret',
    '\t.data', '\t.p2align 3', 'fx_kernel_data:', '\t.quad 0,0,0x0123456789abcdef', '\t.text',
  ].join('\n');
  return { source, calls: calls('fx_kernel', pairs(3)) };
}

export function fixedPrograms(): Program[] {
  return [arithmetic(), memory(), loops(), conditions(), callsAndReturns(), addressing(), system(), kernelOps()];
}

// --- random straight-line programs -------------------------------------------------------------

/** The registers random programs compute in, by size; r10 points into the program's data area, r11 is scratch. */
const REGS = {
  64: ['%rax', '%rcx', '%rdx', '%rsi', '%rdi', '%r8', '%r9'],
  32: ['%eax', '%ecx', '%edx', '%esi', '%edi', '%r8d', '%r9d'],
  16: ['%ax', '%cx', '%dx', '%si', '%di', '%r8w', '%r9w'],
  8: ['%al', '%cl', '%dl', '%sil', '%dil', '%r8b', '%r9b'],
} as const;
/** ah, ch, dh go only with registers and instructions that need no REX prefix. */
const LEGACY_BYTES = ['%al', '%cl', '%dl', '%ah', '%ch', '%dh'] as const;
type Size = 8 | 16 | 32 | 64;
const SUFFIX = { 8: 'b', 16: 'w', 32: 'l', 64: 'q' } as const;
/** The data area is 128 bytes; r10 points at its middle, and offsets stay in [−64, 64). */
const AREA = 128;

const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'] as const;
const size = fc.constantFrom<Size>(8, 16, 32, 64);
const regOf = (s: Size) => fc.constantFrom(...REGS[s]);
const line = (...parts: (string | number)[]) => '\t' + parts.join('');

/** An immediate GNU as takes for an operation of `s` bits (64-bit operations take a sign-extended imm32). */
function imm(s: Size): fc.Arbitrary<bigint> {
  const [min, max] = s === 8 ? [-0x80n, 0xffn] : s === 16 ? [-0x8000n, 0xffffn] : s === 32 ? [-0x80000000n, 0xffffffffn] : [-0x80000000n, 0x7fffffffn];
  return fc.oneof(fc.constantFrom(0n, 1n, -1n, 0x7fn, -0x80n, max, min), fc.bigInt({ min: -0x80n, max: 0x7fn }), fc.bigInt({ min, max }));
}
const dollar = (v: bigint) => `$${v < 0n ? '-0x' + (-v).toString(16) : '0x' + v.toString(16)}`;
/** A memory operand for an access of `s` bits inside the area, aligned or not. */
const mem = (s: Size) => fc.integer({ min: -64, max: 64 - s / 8 }).map((d) => `${d}(%r10)`);
const word64 = fc.oneof(fc.constantFrom(...EDGE_ARGS), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }));

function aluOps(): fc.Arbitrary<string[]>[] {
  const op = fc.constantFrom(...ALU, 'test');
  return [
    size.chain((s) => fc.tuple(op, regOf(s), regOf(s))).map(([o, a, b]) => [line(o, ' ', a, ',', b)]),
    size.chain((s) => fc.tuple(op, imm(s), regOf(s))).map(([o, v, r]) => [line(o, ' ', dollar(v), ',', r)]),
    size.chain((s) => fc.tuple(op, regOf(s), mem(s), fc.boolean())).map(([o, r, m, load]) => [line(o, ' ', load ? `${m},${r}` : `${r},${m}`)]),
    size.chain((s) => fc.tuple(op, imm(s), mem(s), fc.constant(SUFFIX[s]))).map(([o, v, m, x]) => [line(o, x, ' ', dollar(v), ',', m)]),
    fc.tuple(fc.constantFrom(...ALU, 'test', 'mov'), fc.constantFrom(...LEGACY_BYTES), fc.constantFrom(...LEGACY_BYTES)).map(([o, a, b]) => [line(o, ' ', a, ',', b)]),
    fc.tuple(fc.constantFrom(...ALU, 'test', 'mov'), imm(8), fc.constantFrom('%ah', '%ch', '%dh')).map(([o, v, r]) => [line(o, ' ', dollar(v), ',', r)]),
    size.chain((s) => fc.tuple(fc.constantFrom('inc', 'dec'), fc.oneof(regOf(s), mem(s)), fc.constant(SUFFIX[s])))
      .map(([o, x, sfx]) => [line(o, x.startsWith('%') ? '' : sfx, ' ', x)]),
    // a locked read-modify-write of memory
    size.chain((s) => fc.tuple(fc.constantFrom('add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor'), regOf(s), mem(s))).map(([o, r, m]) => [line('lock ', o, ' ', r, ',', m)]),
    // a condition observed by a jcc that skips a flag-neutral lea
    fc.tuple(fc.constantFrom(...CONDITIONS), regOf(64), fc.integer({ min: -1000, max: 1000 }))
      .map(([c, r, d]) => [line('j', c, ' 1f'), line('lea ', d, '(', r, '),', r), '1:']),
  ];
}

function moveOps(name: string): fc.Arbitrary<string[]>[] {
  const acc = { 8: '%al', 16: '%ax', 32: '%eax', 64: '%rax' } as const;
  return [
    size.chain((s) => fc.tuple(regOf(s), regOf(s))).map(([a, b]) => [line('mov ', a, ',', b)]),
    size.chain((s) => fc.tuple(imm(s), regOf(s))).map(([v, r]) => [line('mov ', dollar(v), ',', r)]),
    fc.tuple(word64, regOf(64)).map(([v, r]) => [line('movabs ', dollar(BigInt.asUintN(64, v)), ',', r)]),
    size.chain((s) => fc.tuple(regOf(s), mem(s), fc.boolean())).map(([r, m, load]) => [line('mov ', load ? `${m},${r}` : `${r},${m}`)]),
    size.chain((s) => fc.tuple(imm(s), mem(s), fc.constant(SUFFIX[s]))).map(([v, m, x]) => [line('mov', x, ' ', dollar(v), ',', m)]),
    // a0–a3: an absolute 64-bit address; the area is at name_data, r10 at its middle
    size.chain((s) => fc.tuple(fc.constant(acc[s]), fc.integer({ min: 0, max: AREA - s / 8 }), fc.boolean()))
      .map(([a, off, load]) => [line('movabs ', load ? `${name}_data+${off},${a}` : `${a},${name}_data+${off}`)]),
    fc.tuple(fc.constantFrom<Size>(16, 32, 64), regOf(64), regOf(64), fc.constantFrom(1, 2, 4, 8), fc.integer({ min: -0x80000000, max: 0x7fffffff }))
      .chain(([s, b, i, sc, d]) => regOf(s).map((dst) => [line('lea ', d, '(', b, ',', i, ',', sc, '),', dst)])),
    fc.tuple(regOf(32), regOf(32), fc.constantFrom(1, 2, 4, 8), fc.integer({ min: -128, max: 127 }), regOf(32))
      .map(([b, i, sc, d, dst]) => [line('lea ', d, '(', b, ',', i, ',', sc, '),', dst)]),
    fc.tuple(fc.constantFrom<16 | 64>(16, 64), fc.nat(6), fc.nat(6)).map(([s, a, b]) => [line('push ', REGS[s][a]), line('pop ', REGS[s][b])]),
    fc.constantFrom(['\tnop'], ['\tpause'], ['\tlfence'], ['\tmfence'], ['\tsfence'], ['\txchg %ax,%ax'], ['\tnopl 0x10(%rax)'], ['\tnopw 0x0(%rax,%rax,1)']),
  ];
}

/** The kernel's instructions (the same rules as kernelOps: pushf/popf see status flags only), iretq and std too. */
function kernelRandomOps(): fc.Arbitrary<string[]>[] {
  const shift = fc.constantFrom('shl', 'sal', 'shr', 'sar');
  const bitOp = fc.constantFrom('bt', 'bts', 'btr');
  const acc = { 8: '%al', 16: '%ax', 32: '%eax', 64: '%rax' } as const;
  return [
    size.chain((s) => fc.tuple(shift, fc.oneof(regOf(s), mem(s)), fc.constantFrom('1', 'cl', 'imm'), fc.integer({ min: 0, max: 255 }), fc.constant(SUFFIX[s])))
      .map(([o, x, how, n, sfx]) => {
        const op = x.startsWith('%') ? o : o + sfx;
        return [how === '1' ? line(op, ' ', x) : how === 'cl' ? line(op, ' %cl,', x) : line(op, ' $', n, ',', x)];
      }),
    fc.constantFrom<Size>(16, 32, 64).chain((s) => fc.tuple(bitOp, regOf(s), regOf(s))).map(([o, a, b]) => [line(o, ' ', a, ',', b)]),
    fc.constantFrom<Size>(16, 32, 64).chain((s) => fc.tuple(bitOp, fc.integer({ min: 0, max: 255 }), fc.oneof(regOf(s), mem(s)), fc.constant(SUFFIX[s]), fc.boolean()))
      .map(([o, n, x, sfx, lock]) => [line(lock && o !== 'bt' && !x.startsWith('%') ? 'lock ' : '', o, x.startsWith('%') ? '' : sfx, ' $', n, ',', x)]),
    size.chain((s) => fc.tuple(fc.constantFrom('xadd', 'cmpxchg', 'xchg'), regOf(s), fc.oneof(regOf(s), mem(s)), fc.boolean()))
      .map(([o, r, x, lock]) => [line(lock && !x.startsWith('%') ? 'lock ' : '', o, ' ', r, ',', x)]),
    size.chain((s) => fc.tuple(regOf(s), fc.constant(acc[s]))).map(([r, a]) => [line('xchg ', a, ',', r)]),
    fc.constantFrom<16 | 64>(16, 64).chain((s) => fc.tuple(fc.constant(s), imm(s), fc.nat(6)))
      .map(([s, v, b]) => [line(s === 16 ? 'pushw ' : 'pushq ', dollar(v)), line('pop ', REGS[s][b])]),
    fc.tuple(fc.constantFrom<16 | 64>(16, 64), mem(64), fc.nat(6)).map(([s, m, b]) => [line(s === 16 ? 'pushw ' : 'pushq ', m), line('pop ', REGS[s][b])]),
    fc.nat(6).map((b) => ['\tpushfq', '\tpop %r11', '\tand $0x8c5,%r11d', line('add %r11,', REGS[64][b])]),
    fc.nat(6).map((b) => [line('mov ', REGS[64][b], ',%r11'), '\tand $0x8d5,%r11d', '\tor $0x202,%r11d', '\tpush %r11', '\tpopfq']),
    fc.constantFrom(['\tendbr64'], ['\tcld']),
    // std seen through pushf's DF, and cleared again at once (the ABI wants DF clear at every call and return)
    fc.nat(6).map((b) => ['\tstd', '\tpushfq', '\tpop %r11', '\tcld', '\tand $0x400,%r11d', line('add %r11,', REGS[64][b])]),
    // iretq to the next instruction at this ring (a native run is at ring 3, patchlab at ring 0; swapgs and
    // mov to or from a control register fault at ring 3, so no random program has them). The frame's flags
    // are those of before; the xor changes them, so only the restore brings them back to the final fold.
    fc.constant([
      '\tpushq $0', '\tpushq $0', '\tpushfq', '\tpushq $0', '\tpushq $0', '\tmov %ss,%r11d', '\tmov %r11,32(%rsp)',
      '\tlea 40(%rsp),%r11', '\tmov %r11,24(%rsp)', '\tmov %cs,%r11d', '\tmov %r11,8(%rsp)', '\tlea 1f(%rip),%r11',
      '\tmov %r11,(%rsp)', '\txor %r11d,%r11d', '\tiretq', '1:',
    ]),
  ];
}

function randomProgram(name: string): fc.Arbitrary<Program> {
  const op = fc.oneof(...aluOps(), ...moveOps(name), ...kernelRandomOps());
  return fc.record({
    ops: fc.array(op, { minLength: 4, maxLength: 32 }),
    init: fc.array(word64, { minLength: 3, maxLength: 3 }),
    data: fc.array(word64, { minLength: AREA / 8, maxLength: AREA / 8 }),
    args: fc.array(word64, { minLength: 4, maxLength: 4 }),
  }).map(({ ops, init, data, args }) => {
    const areaFold = Array.from({ length: AREA / 8 }, (_, k) => [line('mov ', k * 8 - AREA / 2, '(%r10),%r11'), '\tadd %rax,%rax', '\tadd %r11,%rax']).flat();
    const source = [
      `\t.globl ${name}`, `${name}:`, '\txor %r11d,%r11d',
      ...['%rax', '%r8', '%r9'].map((r, i) => line('movabs ', dollar(BigInt.asUintN(64, init[i])), ',', r)),
      `\tlea ${name}_data+${AREA / 2}(%rip),%r10`,
      ...ops.flat(), ...flagBits(), ...MIX_R11, ...areaFold, ...fold(REGS[64].slice(1)), '\tret',
      '\t.data', '\t.p2align 3', `${name}_data:`, '\t.quad ' + data.map((v) => '0x' + BigInt.asUintN(64, v).toString(16)).join(','), '\t.text',
    ].join('\n');
    return { source, calls: [{ entry: name, args }] };
  });
}

/** `count` random programs rp_0 … , the same ones for the same seed. */
export function randomPrograms(seed: number, count: number): Program[] {
  return Array.from({ length: count }, (_, i) => fc.sample(randomProgram(`rp_${i}`), { seed: seed + i, numRuns: 1 })[0]);
}
