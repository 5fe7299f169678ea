// Every x86-64 table entry executed, against values worked out by hand from the Intel SDM (vol. 1 appendix A, vol. 2).
import { DATA, execMemory, PC0, registerView } from '../../../tests/support/insn.js';
import { describe, expect, it } from 'vitest';
import { assemble, textBytes } from '../../isa/asm/assembler.js';
import type { X86Insn } from '../../isa/x86-64/index.js';
import type { ExecOutcome } from '../arch.js';
import { newCpu } from '../cpu.js';
import { dataBus } from '../load.js';
import { X86_OPS } from '../../isa/x86-64/table-forms.js';
import { classifyX86 } from './execute.js';
import { x86_64Machine } from './index.js';


/** RFLAGS from flag names; bit 1 always set. */
const BITS = { CF: 0x1, PF: 0x4, AF: 0x10, ZF: 0x40, SF: 0x80, IF: 0x200, DF: 0x400, OF: 0x800 } as const;
const fl = (...names: (keyof typeof BITS)[]): bigint => BigInt(names.reduce((f, n) => f | BITS[n], 2));

type Regs = Readonly<Record<string, bigint>>;
interface Extra {
  /** Bytes at DATA before, and the ones expected there after. */
  readonly mem?: readonly number[];
  readonly memAfter?: readonly number[];
  readonly out?: ExecOutcome;
  /** irqEnabled and irqShadow before, and after when they change. */
  readonly irq?: readonly [boolean, boolean];
  readonly irqAfter?: readonly [boolean, boolean];
}
/**
 * [instruction (GNU as text, or `hex:` and its bytes), registers before, registers after, extra]. The
 * instruction sits at PC0; pc after is PC0 + its length unless named; rflags is 0x2 unless named.
 * Registers not named after keep their value.
 */
type Case = readonly [string, Regs, Regs, Extra?];

const UNDEFINED: ExecOutcome = { kind: 'trap', trap: 'undefined', code: 6 };
const fault = (address: bigint, access: 'read' | 'write', reason: 'unmapped' | 'not-writable'): Extra =>
  ({ out: { kind: 'fault', fault: { kind: 'fault', address, access, reason } } });

const NAMES = x86_64Machine.registers.names;
const hex = (v: bigint) => '0x' + v.toString(16);


function instruction(src: string): X86Insn {
  let bytes: Uint8Array;
  if (src.startsWith('hex:')) bytes = Uint8Array.from(src.slice(4).trim().split(/\s+/).map((b) => parseInt(b, 16)));
  else {
    const asm = assemble(src + '\n', x86_64Machine.isa, 'case.s');
    expect(asm.diagnostics.map((d) => d.message)).toEqual([]);
    bytes = textBytes(asm.object);
  }
  const insn = x86_64Machine.isa.decode(bytes, 0);
  expect(insn, src).toBeDefined();
  expect(insn!.length, `${src}: one instruction`).toBe(bytes.length);
  return insn!;
}

const view = (regs: BigUint64Array, pc: bigint) => registerView(NAMES, regs, pc);

function runCase([src, before, after, extra = {}]: Case): void {
  const mem = execMemory();
  if (extra.mem) mem.writePhys(0x1000, Uint8Array.from(extra.mem));
  const insn = instruction(src);
  const cpu = newCpu(NAMES.length, PC0);
  const want = newCpu(NAMES.length, PC0 + BigInt(insn.length));
  for (const c of [cpu, want]) c.regs[NAMES.indexOf('rflags')] = 2n;
  for (const [target, values] of [[cpu, before], [want, before], [want, after]] as const) {
    for (const [name, v] of Object.entries(values)) {
      if (name === 'pc') target.pc = v;
      else {
        expect(NAMES).toContain(name);
        target.regs[NAMES.indexOf(name)] = v;
      }
    }
  }
  [cpu.irqEnabled, cpu.irqShadow] = extra.irq ?? [true, false];
  const out = x86_64Machine.execute(cpu, insn, insn.length, dataBus(mem, 'little'));
  expect(out).toEqual(extra.out ?? { kind: 'next' });
  expect(view(cpu.regs, cpu.pc)).toEqual(view(want.regs, want.pc));
  if (extra.memAfter) expect(Array.from(mem.readPhysBytes(0x1000, extra.memAfter.length))).toEqual(extra.memAfter);
  expect([cpu.irqEnabled, cpu.irqShadow]).toEqual(extra.irqAfter ?? [extra.irq?.[0] ?? true, false]);
}

const title = (c: Case) => `${c[0]} ${JSON.stringify(c[1], (_, v) => (typeof v === 'bigint' ? hex(v) : v))}`;

function cases(list: readonly Case[]): void {
  for (const c of list) it(title(c), () => runCase(c));
}

// Status flags are worked out by hand: CF unsigned carry/borrow, OF signed overflow, AF carry/borrow out of
// bit 3, SF the top bit, ZF zero, PF even parity of the low byte. Logic operations clear CF, OF and AF.
const ALU_CASES: readonly Case[] = [
  ['add %rbx,%rax', { rax: 0xffffffffffffffffn, rbx: 1n }, { rax: 0n, rflags: fl('CF', 'PF', 'AF', 'ZF') }],
  ['add %ebx,%eax', { rax: 0xdead00007fffffffn, rbx: 1n }, { rax: 0x80000000n, rflags: fl('PF', 'AF', 'SF', 'OF') }],
  ['add %bl,%al', { rax: 0x1234567890abcd80n, rbx: 0x80n }, { rax: 0x1234567890abcd00n, rflags: fl('CF', 'PF', 'ZF', 'OF') }],
  ['add $1,%ah', { rax: 0xff00n }, { rax: 0n, rflags: fl('CF', 'PF', 'AF', 'ZF') }],
  ['add %bx,%ax', { rax: 0xaaaabbbbccccffffn, rbx: 1n }, { rax: 0xaaaabbbbcccc0000n, rflags: fl('CF', 'PF', 'AF', 'ZF') }],
  ['add $-1,%rax', { rax: 1n }, { rax: 0n, rflags: fl('CF', 'PF', 'AF', 'ZF') }],
  ['add $0x7fffffff,%rax', { rax: 1n }, { rax: 0x80000000n, rflags: fl('PF', 'AF') }],
  // imm32 sign-extends to 64 bits
  ['add $-0x80000000,%rax', { rax: 0x80000000n }, { rax: 0n, rflags: fl('CF', 'PF', 'ZF') }],
  ['add $0x7f,%r9b', { r9: 0x101n }, { r9: 0x180n, rflags: fl('AF', 'SF', 'OF') }],
  ['adc %rbx,%rax', { rax: 0xffffffffffffffffn, rflags: fl('CF') }, { rax: 0n, rflags: fl('CF', 'PF', 'AF', 'ZF') }],
  ['adc %ebx,%eax', { rax: 0x7fffffffn, rflags: fl('CF') }, { rax: 0x80000000n, rflags: fl('PF', 'AF', 'SF', 'OF') }],
  ['adc $0,%al', { rax: 0x80n }, { rflags: fl('SF') }],
  ['adc %rbx,%rax', { rax: 0xffffffffn, rflags: fl('CF') }, { rax: 0x100000000n, rflags: fl('PF', 'AF') }],
  ['sub %rbx,%rax', { rbx: 1n }, { rax: 0xffffffffffffffffn, rflags: fl('CF', 'PF', 'AF', 'SF') }],
  ['sub %ebx,%eax', { rax: 0x80000000n, rbx: 1n }, { rax: 0x7fffffffn, rflags: fl('PF', 'AF', 'OF') }],
  ['sub %rax,%rax', { rax: 0x1234n, rflags: fl('CF', 'OF') }, { rax: 0n, rflags: fl('PF', 'ZF') }],
  ['sub $1,%al', { rax: 0x5500n }, { rax: 0x55ffn, rflags: fl('CF', 'PF', 'AF', 'SF') }],
  ['sub %rbx,%rax', { rax: 0x100000000n, rbx: 1n }, { rax: 0xffffffffn, rflags: fl('PF', 'AF') }],
  ['sbb %rbx,%rax', { rflags: fl('CF') }, { rax: 0xffffffffffffffffn, rflags: fl('CF', 'PF', 'AF', 'SF') }],
  ['sbb %ebx,%eax', { rax: 0x80000000n, rflags: fl('CF') }, { rax: 0x7fffffffn, rflags: fl('PF', 'AF', 'OF') }],
  ['sbb %eax,%eax', { rax: 0x123456789n, rflags: fl('CF') }, { rax: 0xffffffffn, rflags: fl('CF', 'PF', 'AF', 'SF') }],
  ['sbb %eax,%eax', { rax: 0x123456789n }, { rax: 0n, rflags: fl('PF', 'ZF') }],
  ['cmp %rbx,%rax', { rax: 1n, rbx: 2n }, { rflags: fl('CF', 'PF', 'AF', 'SF') }],
  ['cmp $0x80,%al', { rax: 0x80n }, { rflags: fl('PF', 'ZF') }],
  ['cmp %rbx,%rax', { rax: 0x8000000000000000n, rbx: 1n }, { rflags: fl('PF', 'AF', 'OF') }],
  ['cmp $-1,%ecx', { rcx: 0xffffffff00000000n }, { rflags: fl('CF', 'AF') }],
  ['and %rbx,%rax', { rax: 0xff00ff00ff00ff00n, rbx: 0xf0f0f0f0f0f0f0f0n, rflags: fl('CF', 'AF', 'OF') }, { rax: 0xf000f000f000f000n, rflags: fl('PF', 'SF') }],
  ['and $0xf,%eax', { rax: 0xffffffffffffffffn }, { rax: 0xfn, rflags: fl('PF') }],
  ['or %ebx,%eax', { rax: 0x5555555580000000n, rbx: 1n }, { rax: 0x80000001n, rflags: fl('SF') }],
  ['xor %eax,%eax', { rax: 0xffffffffffffffffn }, { rax: 0n, rflags: fl('PF', 'ZF') }],
  ['xor $0xff,%al', { rax: 0x0fn }, { rax: 0xf0n, rflags: fl('PF', 'SF') }],
  ['test %rax,%rax', { rflags: fl('CF', 'OF', 'AF') }, { rflags: fl('PF', 'ZF') }],
  ['test $0x80,%al', { rax: 0x80n }, { rflags: fl('SF') }],
  ['test $0x100,%eax', { rax: 0x100n }, { rflags: fl('PF') }],
  ['test %ch,%cl', { rcx: 0x0ff0n }, { rflags: fl('PF', 'ZF') }],
  // inc and dec keep CF
  ['inc %rax', { rax: 0xffffffffffffffffn, rflags: fl('CF') }, { rax: 0n, rflags: fl('CF', 'PF', 'AF', 'ZF') }],
  ['inc %eax', { rax: 0x7fffffffn }, { rax: 0x80000000n, rflags: fl('PF', 'AF', 'SF', 'OF') }],
  ['dec %al', { rax: 0x80n }, { rax: 0x7fn, rflags: fl('AF', 'OF') }],
  ['dec %ecx', { rcx: 0x100000000n, rflags: fl('CF') }, { rcx: 0xffffffffn, rflags: fl('CF', 'PF', 'AF', 'SF') }],
  ['dec %dh', { rdx: 0x100n, rflags: fl('CF', 'SF') }, { rdx: 0n, rflags: fl('CF', 'PF', 'ZF') }],
];

/** At DATA: qword 0x0706058403020180, then qword 0x123456789abcdef0. */
const M = { mem: [0x80, 0x01, 0x02, 0x03, 0x84, 0x05, 0x06, 0x07, 0xf0, 0xde, 0xbc, 0x9a, 0x78, 0x56, 0x34, 0x12] } as const;
const STAY = { pc: PC0 };
const withM = (e: Extra): Extra => ({ ...M, ...e });

const MOVE_CASES: readonly Case[] = [
  // a 32-bit destination zero-extends; 8- and 16-bit destinations merge
  ['mov %ebx,%eax', { rax: 0xffffffffffffffffn, rbx: 0x123456789n }, { rax: 0x23456789n }],
  ['mov %bl,%ah', { rax: 0x1111n, rbx: 0x2233n }, { rax: 0x3311n }],
  ['mov %bx,%ax', { rax: 0xffffffffffffffffn, rbx: 0x1234n }, { rax: 0xffffffffffff1234n }],
  ['mov %sil,%dil', { rsi: 0x1abn, rdi: 0x300n }, { rdi: 0x3abn }],
  ['movabs $0x123456789abcdef0,%rax', {}, { rax: 0x123456789abcdef0n }],
  ['mov $-1,%rax', {}, { rax: 0xffffffffffffffffn }],
  ['mov $0xffffffff,%eax', { rax: 0x5555555555555555n }, { rax: 0xffffffffn }],
  ['mov $0x12,%r8b', { r8: 0xffffn }, { r8: 0xff12n }],
  ['mov $0x1234,%cx', { rcx: 0xffffffffffffffffn }, { rcx: 0xffffffffffff1234n }],
  ['mov (%rbx),%rax', { rbx: DATA }, { rax: 0x0706058403020180n }, M],
  ['mov 8(%rbx),%eax', { rax: 0xffffffffffffffffn, rbx: DATA }, { rax: 0x9abcdef0n }, M],
  ['mov -1(%rbx,%rcx,2),%al', { rbx: DATA, rcx: 1n }, { rax: 0x01n }, M],
  ['mov (%rbx,%rcx,8),%r10', { rbx: DATA + 16n, rcx: 0xffffffffffffffffn }, { r10: 0x123456789abcdef0n }, M],
  ['movb $0x7f,(%rbx,%rcx,2)', { rbx: DATA, rcx: 2n }, {}, { memAfter: [0, 0, 0, 0, 0x7f, 0] }],
  ['mov %eax,4(%rbx)', { rax: 0x5511223344n, rbx: DATA }, {}, { memAfter: [0, 0, 0, 0, 0x44, 0x33, 0x22, 0x11, 0] }],
  ['mov %rax,(%rbx)', { rax: 0x0102030405060708n, rbx: DATA }, {}, { memAfter: [8, 7, 6, 5, 4, 3, 2, 1, 0] }],
  ['movw $0xbeef,2(%rbx)', { rbx: DATA }, {}, { memAfter: [0, 0, 0xef, 0xbe, 0] }],
  ['movq $-2,(%rbx)', { rbx: DATA }, {}, { memAfter: [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0] }],
  ['mov %ah,(%rbx)', { rax: 0xabcdn, rbx: DATA }, {}, { memAfter: [0xab, 0] }],
  ['mov 0x2000,%eax', {}, { rax: 0x03020180n }, M],
  // pc-relative from the end of the instruction: 0x1000 + 7 + 0x1001 = DATA + 8
  ['mov 0x1001(%rip),%rax', {}, { rax: 0x123456789abcdef0n }, M],
  ['movabs 0x2000,%al', { rax: 0x5500n }, { rax: 0x5580n }, M],
  ['movabs 0x2008,%eax', { rax: 0xffffffffffffffffn }, { rax: 0x9abcdef0n }, M],
  ['movabs %rax,0x2000', { rax: 0x0102030405060708n }, {}, { memAfter: [8, 7, 6, 5, 4, 3, 2, 1, 0] }],
  ['movabs %al,0x2003', { rax: 0x99n }, {}, { memAfter: [0, 0, 0, 0x99, 0] }],
  // addr32 truncates the address to 32 bits; fs and gs have base 0 in the flat model
  ['mov (%ebx),%eax', { rbx: 0xffffffff00002000n }, { rax: 0x03020180n }, M],
  ['mov %fs:(%rbx),%eax', { rbx: DATA }, { rax: 0x03020180n }, M],
  // a fault changes nothing and leaves the pc on the instruction
  ['mov (%rbx),%rax', { rbx: 0x9000n }, STAY, fault(0x9000n, 'read', 'unmapped')],
  ['mov %rax,(%rbx)', { rbx: PC0 }, STAY, fault(PC0, 'write', 'not-writable')],
  // lea: the address, cut to the operand size, no access
  ['lea 8(%rax,%rbx,4),%rcx', { rax: 0x100n, rbx: 0x10n }, { rcx: 0x148n }],
  ['lea -1(%rax),%ecx', { rcx: 0xffffffffffffffffn }, { rcx: 0xffffffffn }],
  ['lea -8(%rax),%rcx', {}, { rcx: 0xfffffffffffffff8n }],
  ['lea 0x10(%rip),%rax', {}, { rax: 0x1017n }],
  ['lea (%rax,%rbx),%cx', { rax: 0xfff0n, rbx: 0x20n, rcx: 0xffffffffffffffffn }, { rcx: 0xffffffffffff0010n }],
  ['lea 1(%eax),%ecx', { rax: 0xffffffffffffffffn }, { rcx: 0n }],
  ['lea 0x9000(%rsp,%rbp,8),%rdx', { rsp: 0x8000000000000000n, rbp: 0x1000000000000000n }, { rdx: 0x9000n }],
  // read-modify-write through memory
  ['add %eax,(%rbx)', { rax: 0x7fn, rbx: DATA }, { rflags: fl('PF') }, withM({ memAfter: [0xff, 0x01, 0x02, 0x03, 0x84] })],
  ['lock add %eax,(%rbx)', { rax: 0x7fn, rbx: DATA }, { rflags: fl('PF') }, withM({ memAfter: [0xff, 0x01, 0x02, 0x03, 0x84] })],
  ['add 8(%rbx),%rax', { rax: 0x10n, rbx: DATA }, { rax: 0x123456789abcdf00n, rflags: fl('PF') }, M],
  ['incl (%rbx)', { rbx: DATA }, { rflags: fl('PF') }, withM({ memAfter: [0x81, 0x01] })],
  ['decb 4(%rbx)', { rbx: DATA }, { rflags: fl('SF') }, withM({ memAfter: [0x80, 1, 2, 3, 0x83, 5] })],
  ['subq $1,8(%rbx)', { rbx: DATA }, { rflags: fl('AF') }, withM({ memAfter: [0x80, 1, 2, 3, 0x84, 5, 6, 7, 0xef, 0xde, 0xbc, 0x9a] })],
  ['cmpb $0x80,(%rbx)', { rbx: DATA }, { rflags: fl('PF', 'ZF') }, withM({ memAfter: M.mem })],
  ['test %eax,4(%rbx)', { rax: 0xffn, rbx: DATA }, { rflags: fl('PF') }, M],
  ['xor %r11w,(%rbx)', { r11: 0x0180n, rbx: DATA }, { rflags: fl('PF', 'ZF') }, withM({ memAfter: [0, 0, 2] })],
  // the load succeeds, the store faults: no flag changes either
  ['add %eax,(%rbx)', { rbx: PC0, rflags: fl('CF') }, STAY, fault(PC0, 'write', 'not-writable')],
  ['adc (%rbx),%eax', { rbx: 0x2ffen }, STAY, fault(0x2ffen, 'read', 'unmapped')],
];

/** Little-endian bytes of 64-bit words, for stack contents. */
const qwords = (...vs: bigint[]) => vs.flatMap((v) => Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn)));
const words = (size: 2 | 4, ...vs: number[]) => vs.flatMap((v) => Array.from({ length: size }, (_, i) => (v >>> (8 * i)) & 0xff));
/** iret to ring 0, the same level: serializing, it goes on at the popped rip (MODEL.md section 3). */
const IRET_SERIALIZES: Extra = { out: { kind: 'sync', what: 'serialize' } };
const UNSUPPORTED: ExecOutcome = { kind: 'trap', trap: 'unsupported', code: 13 };

const BRANCH_CASES: readonly Case[] = [
  ['jmp .+0x10', {}, { pc: 0x1010n }],
  ['jmp .-0x1000', {}, { pc: 0n }],
  ['jmp .-0x1001', {}, { pc: 0xffffffffffffffffn }],
  ['je .+0x20', { rflags: fl('ZF') }, { pc: 0x1020n }],
  ['je .+0x20', {}, {}],
  ['jne .+0x1000', {}, { pc: 0x2000n }],
  ['jne .+0x1000', { rflags: fl('ZF') }, {}],
  ['jmp *%rax', { rax: 0x123456789n }, { pc: 0x123456789n }],
  ['jmp *(%rbx)', { rbx: DATA }, { pc: 0x0706058403020180n }, M],
  ['jmp *8(%rbx)', { rbx: 0x9000n }, STAY, fault(0x9008n, 'read', 'unmapped')],
  ['call .+0x100', { rsp: DATA + 16n }, { rsp: DATA + 8n, pc: 0x1100n }, { memAfter: [...qwords(0n, 0x1005n)] }],
  ['call *%rax', { rax: 0x3000n, rsp: DATA + 8n }, { rsp: DATA, pc: 0x3000n }, { memAfter: qwords(0x1002n) }],
  ['call *8(%rbx)', { rbx: DATA, rsp: DATA + 0x20n }, { rsp: DATA + 0x18n, pc: 0x123456789abcdef0n }, withM({ memAfter: [...M.mem, ...qwords(0n, 0x1003n)] })],
  // call *(%rsp) reads its target before it pushes
  ['call *(%rsp)', { rsp: DATA + 8n }, { rsp: DATA, pc: 0x123456789abcdef0n }, withM({ memAfter: qwords(0x1003n, 0x123456789abcdef0n) })],
  // Intel 64 ignores 66 on near branches: callw pushes 8 bytes and jumps to all of rax; retw pops 8
  ['callw *%ax', { rax: 0x12345n, rsp: DATA + 8n }, { rsp: DATA, pc: 0x12345n }, { memAfter: qwords(0x1003n) }],
  ['retw', { rsp: DATA }, { rsp: DATA + 8n, pc: 0x0706058403020180n }, M],
  ['call .+0x100', { rsp: 0x9008n }, STAY, fault(0x9000n, 'write', 'unmapped')],
  ['ret', { rsp: DATA }, { rsp: DATA + 8n, pc: 0x0706058403020180n }, M],
  ['ret $0x10', { rsp: DATA }, { rsp: DATA + 0x18n, pc: 0x0706058403020180n }, M],
  ['bnd ret', { rsp: DATA + 8n }, { rsp: DATA + 16n, pc: 0x123456789abcdef0n }, M],
  ['ret', { rsp: 0x9000n }, STAY, fault(0x9000n, 'read', 'unmapped')],
  ['push %rax', { rax: 0x1122334455667788n, rsp: DATA + 16n }, { rsp: DATA + 8n }, { memAfter: qwords(0n, 0x1122334455667788n) }],
  ['push %rsp', { rsp: DATA + 8n }, { rsp: DATA }, { memAfter: qwords(DATA + 8n) }],
  ['push %r12', { r12: 5n, rsp: DATA + 8n }, { rsp: DATA }, { memAfter: qwords(5n) }],
  ['push %ax', { rax: 0xaabbn, rsp: DATA + 16n }, { rsp: DATA + 14n }, { memAfter: [...qwords(0n), 0, 0, 0, 0, 0, 0, 0xbb, 0xaa] }],
  ['push %rax', { rsp: 0x9008n }, STAY, fault(0x9000n, 'write', 'unmapped')],
  ['pop %rbx', { rsp: DATA }, { rbx: 0x0706058403020180n, rsp: DATA + 8n }, M],
  ['pop %rsp', { rsp: DATA + 8n }, { rsp: 0x123456789abcdef0n }, M],
  ['pop %r15', { rsp: DATA + 8n }, { r15: 0x123456789abcdef0n, rsp: DATA + 16n }, M],
  ['pop %ax', { rax: 0xffffffffffffffffn, rsp: DATA }, { rax: 0xffffffffffff0180n, rsp: DATA + 2n }, M],
  ['pop %rax', { rsp: 0x9000n }, STAY, fault(0x9000n, 'read', 'unmapped')],
  // iret pops rip, cs, rflags, rsp, ss; RFLAGS keeps bit 1, drops VM (17) and the reserved bit 3
  ['iretq', { rsp: DATA }, { pc: 0x1234n, rsp: 0x5000n, rflags: 0xad7n },
    { mem: qwords(0x1234n, 0x10n, 0x8d5n | 0x200n | 0x20000n | 0x8n, 0x5000n, 0x18n), irq: [false, false], irqAfter: [true, false], ...IRET_SERIALIZES }],
  ['iret', { rsp: DATA }, { pc: 0x1234n, rsp: 0x5000n, rflags: fl('IF') },
    { mem: words(4, 0x1234, 0x10, 0x202, 0x5000, 0x18), irq: [false, false], irqAfter: [true, false], ...IRET_SERIALIZES }],
  ['iretw', { rsp: DATA, rflags: fl('IF') }, { pc: 0x1234n, rsp: 0x5000n, rflags: fl('CF', 'PF', 'ZF') },
    { mem: words(2, 0x1234, 0x10, 0x45, 0x5000, 0x18), irqAfter: [false, false], ...IRET_SERIALIZES }],
  ['iretq', { rsp: 0x2ff0n }, STAY, fault(0x3000n, 'read', 'unmapped')],
  // to ring 3 (cs 0x33): outside the model, nothing changes
  ['iretq', { rsp: DATA }, STAY, { mem: qwords(0x1234n, 0x33n, 0x202n, 0x5000n, 0x2bn), out: UNSUPPORTED }],
  // pushf reads RF and VM as 0; popf at ring 0 loads IF (no shadow), not RF, VM or the reserved bit 3
  ['pushf', { rsp: DATA + 8n, rflags: fl('IF', 'CF') | 0x10000n }, { rsp: DATA }, { memAfter: qwords(0x203n) }],
  ['pushfw', { rsp: DATA + 16n, rflags: fl('OF', 'ZF') }, { rsp: DATA + 14n }, { memAfter: [...qwords(0n), 0, 0, 0, 0, 0, 0, 0x42, 0x08] }],
  ['popf', { rsp: DATA }, { rsp: DATA + 8n, rflags: fl('CF', 'ZF', 'IF') },
    { mem: qwords(0x30249n | 0x8n), irq: [false, false], irqAfter: [true, false] }],
  ['popf', { rsp: DATA, rflags: fl('IF', 'SF') | 0x10000n }, { rsp: DATA + 8n, rflags: fl('CF') }, { mem: qwords(1n), irqAfter: [false, false] }],
  ['popfw', { rsp: DATA, rflags: fl('IF') | 0x40000n }, { rsp: DATA + 2n, rflags: fl('CF') | 0x40000n }, { mem: [0x01, 0x00], irqAfter: [false, false] }],
  ['popf', { rsp: 0x9000n }, STAY, fault(0x9000n, 'read', 'unmapped')],
  // push of an immediate sign-extends it to 64 bits (pushw: 16); push of memory reads before rsp moves
  ['push $0x12', { rsp: DATA + 8n }, { rsp: DATA }, { memAfter: qwords(0x12n) }],
  ['push $-2', { rsp: DATA + 8n }, { rsp: DATA }, { memAfter: qwords(0xfffffffffffffffen) }],
  ['push $-0x12345678', { rsp: DATA + 8n }, { rsp: DATA }, { memAfter: qwords(0xffffffffedcba988n) }],
  ['pushw $0x1234', { rsp: DATA + 16n }, { rsp: DATA + 14n }, { memAfter: [...qwords(0n), 0, 0, 0, 0, 0, 0, 0x34, 0x12] }],
  ['pushq 8(%rbx)', { rbx: DATA, rsp: DATA + 0x20n }, { rsp: DATA + 0x18n }, withM({ memAfter: [...M.mem, ...qwords(0n, 0x123456789abcdef0n)] })],
  ['pushq (%rsp)', { rsp: DATA + 8n }, { rsp: DATA }, withM({ memAfter: qwords(0x123456789abcdef0n, 0x123456789abcdef0n) })],
  ['pushq (%rbx)', { rbx: 0x9000n, rsp: DATA + 8n }, STAY, fault(0x9000n, 'read', 'unmapped')],
];

// Shifts set AF (undefined in the SDM; what this machine's Xeon gives) whenever the count is not 0.
const KERNEL_CASES: readonly Case[] = [
  ['shl %eax', { rax: 0x80000001n }, { rax: 2n, rflags: fl('CF', 'OF', 'AF') }],
  ['shl $4,%rax', { rax: 0x1fn }, { rax: 0x1f0n, rflags: fl('PF', 'AF') }],
  ['shl %cl,%al', { rax: 0x81n, rcx: 8n }, { rax: 0n, rflags: fl('CF', 'OF', 'AF', 'ZF', 'PF') }],
  ['shl %cl,%al', { rax: 0x81n, rcx: 9n }, { rax: 0n, rflags: fl('ZF', 'AF', 'PF') }],
  // a count of 0 (0x20 masked to 5 bits) changes no flag, but a 32-bit register is written: zero-extended
  ['shl %cl,%eax', { rax: 0xffffffff00000001n, rcx: 0x20n, rflags: fl('CF') }, { rax: 1n }],
  ['shr %rax', { rax: 0x8000000000000001n }, { rax: 0x4000000000000000n, rflags: fl('CF', 'OF', 'AF', 'PF') }],
  ['shr %cl,%rax', { rax: 0x8000000000000001n, rcx: 2n }, { rax: 0x2000000000000000n, rflags: fl('AF', 'PF') }],
  ['sar %cl,%eax', { rax: 0x80000000n, rcx: 0x21n }, { rax: 0xc0000000n, rflags: fl('SF', 'PF', 'AF') }],
  ['sar $3,%bl', { rbx: 0x84n }, { rbx: 0xf0n, rflags: fl('CF', 'SF', 'PF', 'AF') }],
  ['sarb (%rbx)', { rbx: DATA }, { rflags: fl('SF', 'PF', 'AF') }, withM({ memAfter: [0xc0] })],
  ['shlw $2,(%rbx)', { rbx: DATA }, { rflags: fl('PF', 'AF') }, withM({ memAfter: [0x00, 0x06] })],
  ['shrl %cl,(%rbx)', { rbx: PC0, rcx: 1n }, STAY, fault(PC0, 'write', 'not-writable')],
  ['shl %dl', { rdx: 0x40n }, { rdx: 0x80n, rflags: fl('SF', 'OF', 'AF') }],
  ['shl $7,%dh', { rdx: 0x0300n }, { rdx: 0x8000n, rflags: fl('CF', 'SF', 'AF') }],
  ['shr %al', { rax: 0x81n }, { rax: 0x40n, rflags: fl('CF', 'OF', 'AF') }],
  ['shr %cl,%bl', { rbx: 0xf0n, rcx: 4n }, { rbx: 0x0fn, rflags: fl('PF', 'AF') }],
  ['shrb $2,(%rbx)', { rbx: DATA }, { rflags: fl('AF') }, withM({ memAfter: [0x20] })],
  ['shr $32,%rax', { rax: 0x123456789n }, { rax: 1n, rflags: fl('AF') }],
  ['sar %rdx', { rdx: 0xffffffffffffffffn }, { rflags: fl('CF', 'SF', 'PF', 'AF') }],
  ['sar %cl,%ah', { rax: 0x8000n, rcx: 7n }, { rax: 0xff00n, rflags: fl('SF', 'PF', 'AF') }],
  ['sar $31,%eax', { rax: 0x80000000n }, { rax: 0xffffffffn, rflags: fl('SF', 'PF', 'AF') }],
  // bt/bts/btr: CF is the bit, the other flags stay; a register offset into memory reaches beyond the operand
  ['bt %rcx,%rax', { rax: 0x10n, rcx: 0x44n, rflags: fl('ZF', 'OF') }, { rflags: fl('ZF', 'OF', 'CF') }],
  ['bt $35,%eax', { rax: 0xffffffff00000008n }, { rflags: fl('CF') }],
  ['bts $0,%eax', { rax: 0xffffffff00000000n, rflags: fl('CF') }, { rax: 1n, rflags: fl() }],
  ['btr %rcx,(%rbx)', { rbx: DATA, rcx: 68n }, { rflags: fl('CF') }, withM({ memAfter: [...M.mem.slice(0, 8), 0xe0] })],
  ['lock btsl $1,4(%rbx)', { rbx: DATA }, {}, withM({ memAfter: [...M.mem.slice(0, 4), 0x86] })],
  ['bts %ecx,%eax', { rcx: 33n }, { rax: 2n }],
  ['btrw $8,(%rbx)', { rbx: DATA }, { rflags: fl('CF') }, withM({ memAfter: [0x80, 0x00] })],
  ['btr %rcx,(%rbx)', { rbx: DATA, rcx: -1n }, STAY, fault(DATA - 8n, 'write', 'not-writable')],
  // xchg swaps (zero-extending 32-bit registers); with memory it is one atomic load and store
  ['xchg %rax,%rbx', { rax: 1n, rbx: 2n }, { rax: 2n, rbx: 1n }],
  ['xchg %ecx,%edx', { rcx: 0xffffffff00000001n, rdx: 0xffffffff00000002n }, { rcx: 2n, rdx: 1n }],
  ['xchg %al,%bh', { rax: 0x11n, rbx: 0x2200n }, { rax: 0x22n, rbx: 0x1100n }],
  ['xchg %rax,8(%rbx)', { rax: 5n, rbx: DATA }, { rax: 0x123456789abcdef0n }, withM({ memAfter: [...M.mem.slice(0, 8), ...qwords(5n)] })],
  ['xchg %eax,(%rbx)', { rbx: PC0 }, STAY, fault(PC0, 'write', 'not-writable')],
  // xadd: the sum to the destination, the destination's old value to the source
  ['xadd %rax,%rbx', { rax: 1n, rbx: 0xffffffffffffffffn }, { rax: 0xffffffffffffffffn, rbx: 0n, rflags: fl('CF', 'PF', 'AF', 'ZF') }],
  ['xadd %eax,%eax', { rax: 0x40000000n }, { rax: 0x80000000n, rflags: fl('SF', 'OF', 'PF') }],
  ['lock xadd %cl,(%rbx)', { rbx: DATA, rcx: 0x80n }, { rcx: 0x80n, rflags: fl('CF', 'OF', 'ZF', 'PF') }, withM({ memAfter: [0x00] })],
  // cmpxchg: only the register named is written (a failing 32-bit one leaves the destination's high half)
  ['cmpxchg %ecx,%edx', { rax: 1n, rdx: 0xffffffff00000002n, rcx: 7n }, { rax: 2n, rflags: fl('CF', 'PF', 'AF', 'SF') }],
  ['cmpxchg %ecx,%edx', { rax: 0xffffffff00000002n, rdx: 0xffffffff00000002n, rcx: 7n }, { rdx: 7n, rflags: fl('ZF', 'PF') }],
  ['cmpxchg %bl,%cl', { rax: 5n, rcx: 5n, rbx: 0x77n }, { rcx: 0x77n, rflags: fl('ZF', 'PF') }],
  ['lock cmpxchg %rcx,(%rbx)', { rax: 0x0706058403020180n, rbx: DATA, rcx: 9n }, { rflags: fl('ZF', 'PF') }, withM({ memAfter: qwords(9n) })],
  ['lock cmpxchg %rcx,(%rbx)', { rax: 0n, rbx: DATA, rcx: 9n }, { rax: 0x0706058403020180n, rflags: fl('CF', 'SF') }, M],
];

const BREAKPOINT: ExecOutcome = { kind: 'trap', trap: 'breakpoint', code: 3 };
const SERIALIZE: Extra = { out: { kind: 'sync', what: 'serialize' } };
const barrier = (what: string): Extra => ({ out: { kind: 'barrier', what } });

const SYSTEM_CASES: readonly Case[] = [
  // int3 is a trap (rip after it), ud2/ud1 faults (rip on it); the kernel's handler relies on regs->ip - 1
  ['int3', {}, {}, { out: BREAKPOINT }],
  ['ud2', {}, STAY, { out: UNDEFINED }],
  ['ud1 %eax,%ecx', {}, STAY, { out: UNDEFINED }],
  ['hlt', {}, {}, { out: { kind: 'trap', trap: 'halt', code: 0 } }],
  ['cli', { rflags: fl('IF', 'CF') }, { rflags: fl('CF') }, { irqAfter: [false, false] }],
  // sti opens interrupts after the next instruction, only when they were closed
  ['sti', {}, { rflags: fl('IF') }, { irq: [false, false], irqAfter: [true, true] }],
  ['sti', { rflags: fl('IF') }, {}, { irqAfter: [true, false] }],
  ['nop', { rflags: fl('IF') }, {}, { irq: [true, true], irqAfter: [true, false] }],
  // cpuid: "patchlab x86", leaves up to 7; above the highest, leaf 7
  ['cpuid', { rax: 0xffffffff00000000n }, { rax: 7n, rbx: 0x63746170n, rdx: 0x62616c68n, rcx: 0x36387820n }, SERIALIZE],
  ['cpuid', { rax: 1n, rbx: 5n }, { rax: 0n, rbx: 0n, rdx: 0x6000000n }, SERIALIZE],
  ['cpuid', { rax: 7n, rcx: 0n }, { rax: 0n, rdx: 0x4000n }, SERIALIZE],
  ['cpuid', { rax: 7n, rcx: 1n, rdx: 9n }, { rax: 0n, rcx: 0n, rdx: 0n }, SERIALIZE],
  ['cpuid', { rax: 0x12n }, { rax: 0n, rdx: 0x4000n }, SERIALIZE],
  ['cpuid', { rax: 0x80000000n }, { rax: 0x80000000n }, SERIALIZE],
  ['cpuid', { rax: 0x80000001n }, { rax: 0n, rdx: 0x4000n }, SERIALIZE],
  ['cpuid', { rax: 3n, rdx: 1n }, { rax: 0n, rdx: 0n }, SERIALIZE],
  ['serialize', {}, {}, SERIALIZE],
  ['lfence', {}, {}, barrier('lfence')],
  ['mfence', {}, {}, barrier('mfence')],
  ['sfence', {}, {}, barrier('sfence')],
  ['pause', {}, {}, barrier('pause')],
  ['nop', {}, {}],
  ['nopl 0x10(%rax)', { rax: 0x9000n }, {}],
  ['nopw 0x0(%rax,%rax,1)', {}, {}],
  ['xchg %ax,%ax', { rax: 0x1234n }, {}],
  ['cs nop', {}, {}],
  ['endbr64', {}, {}],
  ['cld', { rflags: fl('DF', 'CF') }, { rflags: fl('CF') }],
  ['std', {}, { rflags: fl('DF') }],
  ['swapgs', {}, STAY, { out: UNSUPPORTED }],
  ['mov %cr3,%rax', { rax: 5n }, STAY, { out: UNSUPPORTED }],
  // the selectors of ring 0: __KERNEL_CS, __KERNEL_DS; a 32-bit destination zero-extends, 16 bits merge
  ['mov %ss,%eax', { rax: 0xffffffffffffffffn }, { rax: 0x18n }],
  ['mov %cs,%r9w', { r9: 0xffffffffffffffffn }, { r9: 0xffffffffffff0010n }],
  ['hex: 48 8c d8', { rax: 7n }, { rax: 0n }],
  ['mov %rax,%cr3', {}, STAY, { out: UNSUPPORTED }],
  // lock: only a lockable form with a memory destination; a prefix the bytes end after is no instruction
  ['hex: f0 01 c3', {}, STAY, { out: UNDEFINED }],
  ['hex: f0 89 03', { rbx: DATA }, STAY, { out: UNDEFINED }],
  ['hex: f0 39 03', { rbx: DATA }, STAY, { out: UNDEFINED }],
  ['hex: f0', {}, STAY, { out: UNDEFINED }],
  ['hex: 2e', {}, STAY, { out: UNDEFINED }],
];

describe('x86-64 arithmetic and logic', () => cases(ALU_CASES));
describe('x86-64 moves, lea, memory operands', () => cases(MOVE_CASES));
describe('x86-64 branches, calls, stack, iret', () => cases(BRANCH_CASES));
describe('x86-64 traps, interrupt flag, cpuid, fences, no-ops', () => cases(SYSTEM_CASES));
describe('x86-64 shifts, bit tests, exchanges', () => cases(KERNEL_CASES));

/**
 * The arithmetic by its definitions, in BigInt: CF when the unsigned result is out of range, OF when the
 * signed one is, AF when the low nibbles carry or borrow (SDM vol. 1 appendix A, 3.4.3.1).
 */
type Kind = 'add' | 'or' | 'adc' | 'sbb' | 'and' | 'sub' | 'xor' | 'cmp' | 'test' | 'inc' | 'dec';
function reference(kind: Kind, bits: number, a: bigint, b: bigint, cfIn: bigint): { r: bigint; flags: bigint } {
  const n = BigInt(bits);
  const mask = (1n << n) - 1n;
  const signed = (v: bigint) => BigInt.asIntN(bits, v);
  const c = kind === 'adc' || kind === 'sbb' ? cfIn : 0n;
  let r: bigint, cf = false, of = false, af = false;
  switch (kind) {
    case 'add': case 'adc': case 'inc': {
      const full = a + b + c;
      r = full & mask;
      cf = full > mask;
      of = signed(a) + signed(b) + c !== signed(r);
      af = (a & 0xfn) + (b & 0xfn) + c > 0xfn;
      break;
    }
    case 'sub': case 'sbb': case 'cmp': case 'dec': {
      r = (a - b - c) & mask;
      cf = a < b + c;
      of = signed(a) - signed(b) - c !== signed(r);
      af = (a & 0xfn) < (b & 0xfn) + c;
      break;
    }
    case 'and': case 'test': r = a & b; break;
    case 'or': r = a | b; break;
    case 'xor': r = a ^ b; break;
  }
  if (kind === 'inc' || kind === 'dec') cf = cfIn === 1n;
  let ones = 0;
  for (let v = r & 0xffn; v; v >>= 1n) ones += Number(v & 1n);
  const flags = 2n | (cf ? 1n : 0n) | (ones % 2 === 0 ? 4n : 0n) | (af ? 0x10n : 0n) | (r === 0n ? 0x40n : 0n) | (r >> (n - 1n) ? 0x80n : 0n) | (of ? 0x800n : 0n);
  return { r, flags };
}

const ALU_OPS = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'] as const;
const EDGES = [0n, 1n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xfffen, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0x0123456789abcdefn];
const GARBAGE = 0xa5a5a5a5a5a5a5a5n;
const le = (v: bigint, bytes: number) => Array.from({ length: bytes }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn).toString(16)).join(' ');
const sizePrefix = (bits: number) => (bits === 64 ? '48 ' : bits === 16 ? '66 ' : '');

/**
 * Every encoding form of the eight operations, test, inc and dec at every size, by their bytes: the
 * destination is al/ax/eax/rax (rax full of other bits first), the source bl/bx/ebx/rbx or an immediate.
 * Returns [hex, source value as the instruction sees it, bits].
 */
function forms(kind: Kind, b: bigint): [string, bigint, number][] {
  const out: [string, bigint, number][] = [];
  const simm8 = BigInt.asIntN(8, b & 0xffn), imm32 = BigInt.asIntN(32, b & 0xffffffffn);
  if (kind === 'inc' || kind === 'dec') {
    const d = kind === 'inc' ? 0 : 8;
    out.push([`fe ${(0xc0 + d).toString(16)}`, 1n, 8]);
    for (const bits of [16, 32, 64]) out.push([`${sizePrefix(bits)}ff ${(0xc0 + d).toString(16)}`, 1n, bits]);
    return out;
  }
  if (kind === 'test') {
    out.push([`84 d8`, b, 8], [`a8 ${le(b, 1)}`, b, 8], [`f6 c0 ${le(b, 1)}`, b, 8]);
    for (const bits of [16, 32, 64]) {
      const iz = bits === 16 ? 2 : 4;
      out.push([`${sizePrefix(bits)}85 d8`, b, bits], [`${sizePrefix(bits)}a9 ${le(b, iz)}`, bits === 16 ? b : imm32, bits], [`${sizePrefix(bits)}f7 c0 ${le(b, iz)}`, bits === 16 ? b : imm32, bits]);
    }
    return out;
  }
  const k = ALU_OPS.indexOf(kind);
  const h = (v: number) => v.toString(16);
  out.push([h(8 * k), b, 8], [`${h(8 * k + 2)} c3`, b, 8], [`${h(8 * k + 4)} ${le(b, 1)}`, b, 8], [`80 ${h(0xc0 + 8 * k)} ${le(b, 1)}`, b, 8]);
  out[0][0] += ' d8';
  for (const bits of [16, 32, 64]) {
    const p = sizePrefix(bits), iz = bits === 16 ? 2 : 4;
    const z = bits === 16 ? b : imm32;
    out.push([`${p}${h(8 * k + 1)} d8`, b, bits], [`${p}${h(8 * k + 3)} c3`, b, bits], [`${p}83 ${h(0xc0 + 8 * k)} ${le(b, 1)}`, simm8, bits],
      [`${p}${h(8 * k + 5)} ${le(b, iz)}`, z, bits], [`${p}81 ${h(0xc0 + 8 * k)} ${le(b, iz)}`, z, bits]);
  }
  return out;
}

describe('x86-64 every arithmetic form at every size against the definitions', () => {
  const NO_BUS = { load: () => 0n, store: () => undefined };
  const decoded = new Map<string, X86Insn>();
  for (const kind of [...ALU_OPS, 'test', 'inc', 'dec'] as const) {
    it(kind, () => {
      const bad: string[] = [];
      let checked = 0;
      for (const a of EDGES) for (const b of EDGES) for (const cf of [0n, 1n]) {
        for (const [hexBytes, src, bits] of forms(kind, b)) {
          let insn = decoded.get(hexBytes);
          if (!insn) decoded.set(hexBytes, (insn = instruction(`hex: ${hexBytes}`)));
          const mask = (1n << BigInt(bits)) - 1n;
          const av = a & mask, bv = BigInt.asUintN(bits, src);
          const rax = (GARBAGE & ~mask) | av;
          const { r, flags } = reference(kind, bits, av, bv, cf);
          const writes = kind !== 'cmp' && kind !== 'test';
          const want = !writes ? rax : bits === 32 ? r : (rax & ~mask) | r;
          const cpu = newCpu(NAMES.length, PC0);
          cpu.regs[0] = rax;
          cpu.regs[3] = (GARBAGE & ~mask) | (b & mask);
          cpu.regs[16] = 2n | cf;
          x86_64Machine.execute(cpu, insn, insn.length, NO_BUS);
          if (cpu.regs[0] !== want || cpu.regs[16] !== flags || cpu.pc !== PC0 + BigInt(insn.length)) {
            bad.push(`${hexBytes} a=${hex(av)} b=${hex(bv)} cf=${cf}: rax ${hex(cpu.regs[0])} flags ${hex(cpu.regs[16])}, want ${hex(want)} ${hex(flags)}`);
          }
          checked++;
        }
      }
      expect(bad.slice(0, 5)).toEqual([]);
      expect(checked).toBeGreaterThan(1000);
    });
  }
});

describe('x86-64 jcc on every condition', () => {
  // SDM vol. 2, Jcc: o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g
  const taken = (cc: number, f: { cf: boolean; zf: boolean; sf: boolean; of: boolean; pf: boolean }): boolean =>
    [f.of, !f.of, f.cf, !f.cf, f.zf, !f.zf, f.cf || f.zf, !f.cf && !f.zf, f.sf, !f.sf, f.pf, !f.pf, f.sf !== f.of, f.sf === f.of, f.zf || f.sf !== f.of, !f.zf && f.sf === f.of][cc];
  it.each(Array.from({ length: 16 }, (_, cc) => cc))('condition %i, rel8 and rel32', (cc) => {
    for (let bits = 0; bits < 32; bits++) {
      const f = { cf: !!(bits & 1), zf: !!(bits & 2), sf: !!(bits & 4), of: !!(bits & 8), pf: !!(bits & 16) };
      const rflags = 2n | (f.cf ? 1n : 0n) | (f.zf ? 0x40n : 0n) | (f.sf ? 0x80n : 0n) | (f.of ? 0x800n : 0n) | (f.pf ? 4n : 0n);
      const t = taken(cc, f);
      runCase([`hex: ${(0x70 + cc).toString(16)} 10`, { rflags }, t ? { pc: PC0 + 0x12n } : {}]);
      runCase([`hex: 0f ${(0x80 + cc).toString(16)} 00 f0 ff ff`, { rflags }, t ? { pc: PC0 + 6n - 0x1000n } : {}]);
    }
  });
});

describe('x86-64 coverage and classify', () => {
  it('runs every table entry in some case', () => {
    const ran = new Set<string>();
    for (const c of [...ALU_CASES, ...MOVE_CASES, ...BRANCH_CASES, ...SYSTEM_CASES, ...KERNEL_CASES]) ran.add(instruction(c[0]).op);
    for (const kind of [...ALU_OPS, 'test', 'inc', 'dec'] as const) for (const [h] of forms(kind, 1n)) ran.add(instruction(`hex: ${h}`).op);
    ran.add('jcc_rel8').add('jcc_rel32');
    expect(X86_OPS.filter((op) => !ran.has(op))).toEqual([]);
  });

  it.each([
    ['jmp .+8', 'direct', false], ['je .+8', 'direct', false], ['jne .+0x1000', 'direct', false], ['call .+8', 'direct', true],
    ['jmp *%rax', 'indirect', false], ['call *8(%rax)', 'indirect', true], ['ret', 'return', false], ['ret $8', 'return', false],
    ['iretq', 'return', false], ['add %eax,%eax', 'none', false], ['int3', 'none', false],
  ] as const)('%s is %s, call %s', (src, branch, call) => {
    expect(classifyX86(instruction(src))).toEqual({ branch, call });
  });
});
