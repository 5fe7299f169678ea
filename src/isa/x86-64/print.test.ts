// objdump's text for bytes (copied from objdump 2.40 -d of an object without symbols), prefixes and all.

import { describe, expect, it } from 'vitest';
import { decode } from './decode.js';
import { print, undecodable } from './print.js';

const fromHex = (hex: string) => Uint8Array.from(hex.split(' '), (b) => parseInt(b, 16));

function text(hex: string, address = 0n): string {
  const insn = decode(fromHex(hex), 0);
  if (!insn) return 'undecoded';
  const p = print(insn, address);
  return p.operands ? `${p.mnemonic} ${p.operands}` : p.mnemonic;
}

describe('objdump text', () => {
  it.each([
    ['2e 2e 2e 31 c0', 'cs cs cs xor %eax,%eax'],
    ['2e 66 0f 1f 84 00 00 00 00 00', 'cs nopw 0x0(%rax,%rax,1)'],
    ['66 66 2e 0f 1f 84 00 00 00 00 00', 'data16 cs nopw 0x0(%rax,%rax,1)'],
    ['0f 1f 44 00 00', 'nopl 0x0(%rax,%rax,1)'],
    ['0f 1f 44 20 00', 'nopl 0x0(%rax,%riz,1)'],
    ['4f 0f 1f 44 20 00', 'rex.WRXB nopq 0x0(%r8,%r12,1)'],
    ['3e ff e0', 'notrack jmp *%rax'],
    ['3e 66 ff 15 00 00 00 00', 'ds callw *0x0(%rip)        # 0x8'],
    ['48 90', 'rex.W nop'],
    ['66 90', 'xchg %ax,%ax'],
    ['66 66 90', 'data16 xchg %ax,%ax'],
    ['40 c3', 'rex ret'],
    ['40 88 c3', 'rex mov %al,%bl'],
    ['40 88 e0', 'mov %spl,%al'],
    ['43 89 c3', 'rex.XB mov %eax,%r11d'],
    ['41 8b 04 25 00 00 00 00', 'mov 0x0,%eax'],
    ['f3 90', 'pause'],
    ['f3 66 90', 'data16 pause'],
    ['48 cf', 'iretq'], ['cf', 'iret'], ['66 cf', 'iretw'], ['66 c3', 'retw'], ['c2 08 00', 'ret $0x8'],
    ['0f b9 cc', 'ud1 %esp,%ecx'],
    ['f0 2e 66 01 00', 'lock cs add %ax,(%rax)'],
    ['64 48 8b 04 25 28 00 00 00', 'mov %fs:0x28,%rax'],
    ['65 2e 48 8b 00', 'gs mov %gs:(%rax),%rax'],
    ['2e 65 48 8b 00', 'cs mov %gs:(%rax),%rax'],
    ['66 48 01 c0', 'data16 add %rax,%rax'],
    ['3e 74 00', 'je,pt 0x3'],
    ['2e 2e 74 00', 'cs je,pn 0x4'],
    ['2e 3e 74 00', 'cs ds je 0x4'],
    ['f2 c3', 'bnd ret'],
    ['f2 f2 c3', 'repnz bnd ret'],
    ['f3 c3', 'repz ret'],
    ['f2 3e ff d0', 'bnd notrack call *%rax'],
    ['f3 f0 01 00', 'xrelease lock add %eax,(%rax)'],
    ['f2 f0 83 00 01', 'xacquire lock addl $0x1,(%rax)'],
    ['f3 89 00', 'xrelease mov %eax,(%rax)'],
    ['f3 f2 89 00', 'repz repnz mov %eax,(%rax)'],
    ['f3 01 00', 'repz add %eax,(%rax)'],
    ['66 48 53', 'data16 rex.W push %rbx'],
    ['67 8b 00', 'mov (%eax),%eax'],
    ['67 8b 04 25 ff ff ff ff', 'mov 0xffffffff(,%eiz,1),%eax'],
    ['67 90', 'addr32 nop'],
    ['8b 04 25 ff ff ff ff', 'mov 0xffffffffffffffff,%eax'],
    ['8b 04 c5 f0 ff ff ff', 'mov -0x10(,%rax,8),%eax'],
    ['8b 04 65 00 00 00 00', 'mov 0x0(,%riz,2),%eax'],
    ['8b 04 64', 'mov (%rsp,%riz,2),%eax'],
    ['48 83 c0 ff', 'add $0xffffffffffffffff,%rax'],
    ['66 83 c0 ff', 'add $0xffff,%ax'],
    ['48 b8 88 77 66 55 44 33 22 11', 'movabs $0x1122334455667788,%rax'],
    ['83 00 01', 'addl $0x1,(%rax)'], ['fe 00', 'incb (%rax)'], ['66 ff 10', 'callw *(%rax)'], ['ff 10', 'call *(%rax)'],
    ['66 ff e0', 'jmp *%ax'],
    ['a0 34 12 00 00 00 00 00 00', 'movabs 0x1234,%al'], ['48 a3 88 77 66 55 44 33 22 11', 'movabs %rax,0x1122334455667788'],
    ['67 a1 34 12 00 00', 'addr32 mov 0x1234,%eax'], ['64 a1 34 12 00 00 00 00 00 00', 'movabs %fs:0x1234,%eax'],
    ['41 a0 00 00 00 00 00 00 00 00', 'rex.B movabs 0x0,%al'],
  ])('%s', (hex, expected) => {
    expect(text(hex)).toBe(expected);
  });

  it('writes branch targets and rip-relative comments from the address', () => {
    expect(text('eb 00', 5n)).toBe('jmp 0x7');
    expect(text('eb 80', 4n)).toBe('jmp 0xffffffffffffff86');
    expect(text('e8 fb ef ff ff', 0x10n)).toBe('call 0xfffffffffffff010');
    expect(text('48 8d 05 10 00 00 00', 0xe6n)).toBe('lea 0x10(%rip),%rax        # 0xfd');
    expect(text('8b 05 f0 ff ff ff', 0x16n)).toBe('mov -0x10(%rip),%eax        # 0xc');
  });

  it('shows what it does not decode as objdump does where it can', () => {
    expect(undecodable(fromHex('48 66 01 c0'), 0)).toEqual({ length: 1, text: { mnemonic: 'rex.W', operands: '' } });
    expect(undecodable(fromHex('0f 04'), 0)).toEqual({ length: 1, text: { mnemonic: '(bad)', operands: '' } });
    expect(text('2e')).toBe('cs');
    expect(text('48')).toBe('rex.W');
  });
});
