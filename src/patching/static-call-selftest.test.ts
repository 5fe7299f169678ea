// The kernel's static call self-test, on every arch and back end: func_a(x) = x+1, func_b(x) = x+2, a key
// defined on func_a; call with 2 → 3, update to func_b → 4, back → 3; then NULL (the call runs no
// function, so the argument register comes back: 2), RET0 (0), and on Power a target beyond ±32 MB.
// Updates run sequentially: their stores are applied to the image, then one CPU calls through the site.

import { describe, expect, it } from 'vitest';
import { assemble } from '../isa/asm/assembler.js';
import { link, type LinkedImage } from '../isa/asm/link.js';
import { isaFor } from '../isa/registry.js';
import type { ArchName } from '../isa/types.js';
import type { KernelOp, Target } from '../kernel/spec.js';
import { defaultLayout } from '../machine/load.js';
import { machineFor } from '../machine/registry.js';
import { runFunction } from '../machine/run.js';
import { staticCallBackend, type StaticCallKind } from './static-call.js';

const FAR = 0x0400_0000n;

const CODE: Record<ArchName, string> = {
  'x86-64': `
	.text
caller:	mov %edi, %eax
	call __SCT__sc
	ret
tail_caller:
	mov %edi, %eax
	jmp __SCT__sc
func_a:	lea 1(%rdi), %eax
	ret
func_b:	lea 2(%rdi), %eax
	ret
`,
  arm64: `
	.text
caller:	stp x29, x30, [sp, #-16]!
	bl __SCT__sc
	ldp x29, x30, [sp], #16
	ret
tail_caller:
	b __SCT__sc
func_a:	add x0, x0, #1
	ret
func_b:	add x0, x0, #2
	ret
`,
  ppc32: `
	.text
caller:	mflr 0
	stw 0, 4(1)
	stwu 1, -16(1)
	bl __SCT__sc
	addi 1, 1, 16
	lwz 0, 4(1)
	mtlr 0
	blr
tail_caller:
	b __SCT__sc
func_a:	addi 3, 3, 1
	blr
func_b:	addi 3, 3, 2
	blr
	.section .text.far, "ax"
func_far:
	addi 3, 3, 3
	blr
`,
  ppc64: `
	.text
caller:	addis 2, 12, (.TOC.-caller)@ha
	addi 2, 2, (.TOC.-caller)@l
	.localentry caller, .-caller
	mflr 0
	std 0, 16(1)
	stdu 1, -32(1)
	addis 13, 2, paca@toc@ha	# r13 is the paca in the kernel; runFunction sets up no per-CPU state
	addi 13, 13, paca@toc@l
	std 2, 24(1)	# the trampolines are .localentry 1: the linker's stub saves r2 ...
	bl __SCT__sc
	ld 2, 24(1)	# ... and the nop after the call reloads it
	addi 1, 1, 32
	ld 0, 16(1)
	mtlr 0
	blr
func_a:	addi 3, 3, 1
	blr
func_b:	addi 3, 3, 2
	blr
	.section .text.far, "ax"
func_far:
	addi 3, 3, 3
	blr
	.data
	.p2align 3
paca:	.quad 0, 0, .TOC.	# PACATOC at 16
`,
  riscv64: `
	.text
caller:	addi sp, sp, -16
	sd ra, 8(sp)
	call __SCT__sc
	ld ra, 8(sp)
	addi sp, sp, 16
	ret
tail_caller:
	tail __SCT__sc
func_a:	addi a0, a0, 1
	ret
func_b:	addi a0, a0, 2
	ret
`,
};

/** What a call with 2 returns, by target. */
const RESULT: Record<string, bigint> = { func_a: 3n, func_b: 4n, func_far: 5n, NULL: 2n, RET0: 0n };

const ROWS: { arch: ArchName; kind: StaticCallKind; targets: Target[]; callers: string[] }[] = [
  { arch: 'x86-64', kind: 'ool', targets: ['func_b', 'func_a', 'NULL', 'func_b', 'RET0', 'func_a'], callers: ['caller', 'tail_caller'] },
  { arch: 'x86-64', kind: 'inline', targets: ['func_b', 'func_a', 'NULL', 'func_b', 'RET0', 'func_a'], callers: ['caller', 'tail_caller'] },
  { arch: 'arm64', kind: 'ool', targets: ['func_b', 'func_a', 'NULL', 'func_b', 'RET0', 'func_a'], callers: ['caller', 'tail_caller'] },
  { arch: 'riscv64', kind: 'ool', targets: ['func_b', 'func_a', 'NULL', 'func_b', 'RET0', 'func_a'], callers: ['caller', 'tail_caller'] },
  { arch: 'ppc32', kind: 'ool', targets: ['func_b', 'func_a', 'func_far', 'func_b', 'NULL', 'func_far', 'RET0', 'func_a'], callers: ['caller', 'tail_caller'] },
  { arch: 'ppc32', kind: 'inline', targets: ['func_b', 'func_a', 'func_far', 'func_b', 'NULL', 'func_far', 'RET0', 'func_a'], callers: ['caller', 'tail_caller'] },
  { arch: 'ppc64', kind: 'ool', targets: ['func_b', 'func_a', 'func_far', 'func_b', 'NULL', 'func_far', 'RET0', 'func_a'], callers: ['caller'] },
  { arch: 'ppc64', kind: 'ool-module', targets: ['func_b', 'func_a', 'func_far', 'func_b', 'NULL', 'func_far', 'RET0', 'func_a'], callers: ['caller'] },
];

function applyStores(image: LinkedImage, ops: readonly KernelOp[]): void {
  for (const op of ops) {
    if (op.op !== 'store') continue;
    const s = image.sections.find((x) => op.address >= x.address && op.address + BigInt(op.bytes.length) <= x.address + BigInt(x.bytes.length));
    if (!s) throw new Error(`store at 0x${op.address.toString(16)} outside every section`);
    s.bytes.set(op.bytes, Number(op.address - s.address));
  }
}

function call(arch: ArchName, image: LinkedImage, entry: string): bigint | string {
  const machine = machineFor(arch);
  const r = runFunction(machine, image, { entry: image.symbols.get(entry)!, args: [2n], maxSteps: 1000 });
  if (r.stop.kind !== 'returned') return JSON.stringify(r.stop, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));
  return BigInt.asUintN(32, r.cpu.regs[machine.abi.returnReg]);
}

describe('static call self-test', () => {
  it.each(ROWS)('$arch $kind: func_a → $targets', ({ arch, kind, targets, callers }) => {
    const backend = staticCallBackend(arch, kind)!;
    expect(backend).toBeDefined();
    const isa = isaFor(arch);
    const asm = assemble(CODE[arch] + backend.trampolineSource('sc', 'func_a'), isa, 'selftest.s');
    expect(asm.diagnostics).toEqual([]);
    const layout = { ...defaultLayout(asm.object), addresses: new Map([['.text.far', FAR]]) };
    const { image, errors } = link(asm.object, isa, layout);
    expect(errors).toEqual([]);
    const ctx = { image, object: asm.object };
    const check = (target: Target) => {
      for (const c of callers) expect(call(arch, image, c), `${c} with ${target}`).toBe(RESULT[target]);
    };

    check('func_a'); // through the trampoline, as linked
    if (kind === 'inline') {
      expect(backend.sites(asm.object, image, 'sc')).toHaveLength(callers.length);
      const boot = backend.update(ctx, 'sc', 'func_a', 'func_a', true);
      expect(boot).not.toHaveProperty('error');
      applyStores(image, boot as KernelOp[]);
      check('func_a'); // the sites now call func_a directly
    }
    let from: Target = 'func_a';
    for (const to of targets) {
      const ops = backend.update(ctx, 'sc', from, to);
      if ('error' in ops) throw new Error(ops.error);
      expect(ops[0]).toMatchObject({ op: 'update-begin', key: 'sc', target: to });
      expect(ops.at(-1)).toMatchObject({ op: 'update-end', key: 'sc' });
      applyStores(image, ops);
      check(to);
      from = to;
    }
  });

  it('inline sites really are rewritten (no call reaches the trampoline after boot)', () => {
    const backend = staticCallBackend('x86-64', 'inline')!;
    const isa = isaFor('x86-64');
    const asm = assemble(CODE['x86-64'] + backend.trampolineSource('sc', 'func_a'), isa);
    const { image } = link(asm.object, isa, defaultLayout(asm.object));
    applyStores(image, backend.update({ image, object: asm.object }, 'sc', 'func_a', 'func_a', true) as KernelOp[]);
    // Break the trampoline: a call that still went through it would now trap.
    applyStores(image, [{ op: 'store', step: 'test', address: image.symbols.get('__SCT__sc')!, bytes: Uint8Array.of(0x0f, 0x0b) }]);
    expect(call('x86-64', image, 'caller')).toBe(3n);
  });
});
