// The kernel's sync_core() on x86-64: IRET to itself (arch/x86/include/asm/sync_core.h, iret_to_self)
// serializes the CPU that runs it, closing its fetch windows (MODEL.md section 3) and nobody else's.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../isa/asm/assembler.js';
import { link } from '../../isa/asm/link.js';
import { x86_64Isa } from '../../isa/x86-64/index.js';
import { newCpu } from '../cpu.js';
import { FetchWindows } from '../fetch-window.js';
import { defaultLayout, loadImage } from '../load.js';
import { runFunction } from '../run.js';
import { fetchOptions, initialSmp, stepCpu, storePiece, type SmpState } from '../step.js';
import { atomicPieces } from '../store.js';
import { x86_64Machine } from './index.js';
import { RFLAGS, RSP } from './registers.js';

// The frame iretq pops, pushed in the kernel's order: ss, the rsp before the frame, rflags, cs, rip.
const SRC = `
	.globl site
site:	jmp.d32 1f
1:	ret
	.globl sync_core
sync_core:
	mov %ss,%eax
	pushq %rax
	pushq %rsp
	addq $8,(%rsp)
	pushfq
	mov %cs,%eax
	pushq %rax
	pushq $2f
	iretq
2:	ret
`;

function setup(): { s: SmpState; sym: (n: string) => bigint; top: bigint } {
  const asm = assemble(SRC, x86_64Isa, 'sync-core.s');
  expect(asm.diagnostics).toEqual([]);
  const { image } = link(asm.object, x86_64Isa, defaultLayout(asm.object));
  const { memory, stackTops } = loadImage(image, { stacks: 2, stackSize: 0x1000, aliasOffset: 0x4000_0000n });
  const sym = (n: string) => image.symbols.get(n)!;
  const names = x86_64Machine.registers.names.length;
  const cpus = [newCpu(names, sym('site')), newCpu(names, sym('sync_core'))];
  cpus.forEach((c, i) => {
    c.regs[RSP] = stackTops[i];
    c.regs[RFLAGS] = 0x246n;
  });
  let s = initialSmp({ memory, windows: FetchWindows.create(1, 2), cpus });
  // The patcher rewrites site's jmp rel32 with a 4-byte and a 1-byte store: both CPUs may see it torn.
  const bytes = Uint8Array.of(0xe9, 0x10, 0x20, 0x30, 0x40);
  for (const piece of atomicPieces(Number(sym('site')), bytes)) {
    const next = storePiece(s, x86_64Machine, piece, true);
    if ('kind' in next) throw new Error('store faulted');
    s = next;
  }
  return { s, sym, top: stackTops[1] };
}

/** How many byte strings CPU `cpu` may fetch at `site`. */
function choicesAtSite(s: SmpState, cpu: number, site: bigint): number {
  const machine = { ...s.machine, cpus: s.machine.cpus.map((c, i) => (i === cpu ? { ...c, pc: site } : c)) };
  const f = fetchOptions({ ...s, machine }, x86_64Machine, cpu);
  return f.kind === 'ok' ? f.options.length : -1;
}

describe("sync_core()'s IRET-to-self", () => {
  it('serializes the CPU that runs it: its windows close at the iretq, not before; the other CPU keeps its own', () => {
    const { s: s0, sym, top } = setup();
    let s = s0;
    expect(choicesAtSite(s, 1, sym('site'))).toBeGreaterThan(2);
    for (let i = 0; i < 8; i++) {
      const r = stepCpu(s, x86_64Machine, 1, 0);
      expect(r.event.kind === 'executed' && r.event.outcome.kind).toBe('next');
      s = r.state;
    }
    // the two movs, the five pushes and the addq: still uncertain of every byte the patcher wrote
    expect(choicesAtSite(s, 1, sym('site'))).toBeGreaterThan(2);
    const flagsPushed = s.machine.cpus[1].regs[RFLAGS];
    const iret = stepCpu(s, x86_64Machine, 1, 0);
    expect(iret.event.kind === 'executed' && iret.event.outcome).toEqual({ kind: 'sync', what: 'serialize' });
    s = iret.state;
    const cpu = s.machine.cpus[1];
    // back at the label after iretq, with the stack it had and the flags pushfq saved (the addq's, IF on)
    expect(cpu.pc).toBe(sym('sync_core') + 20n); // 2 + 1 + 1 + 5 + 1 + 2 + 1 + 5 + 2 bytes
    expect(cpu.regs[RSP]).toBe(top);
    expect(cpu.regs[RFLAGS]).toBe(flagsPushed);
    expect(cpu.irqEnabled).toBe(true);
    expect(choicesAtSite(s, 1, sym('site'))).toBe(1);
    expect(choicesAtSite(s, 0, sym('site'))).toBeGreaterThan(2);
  });

  it('runs to its return under `patchlab exec` (runFunction), one step per instruction', () => {
    const asm = assemble(SRC, x86_64Isa, 'sync-core.s');
    const { image } = link(asm.object, x86_64Isa, defaultLayout(asm.object));
    const r = runFunction(x86_64Machine, image, { entry: image.symbols.get('sync_core')!, args: [], maxSteps: 100 });
    expect(r.stop).toEqual({ kind: 'returned' });
    expect(r.steps).toBe(10);
  });

  it('is outside the model when the frame returns to another ring: unsupported, nothing changes', () => {
    const src = SRC.replace('mov %cs,%eax', 'mov $0x33,%eax');
    const asm = assemble(src, x86_64Isa, 'sync-core.s');
    const { image } = link(asm.object, x86_64Isa, defaultLayout(asm.object));
    const r = runFunction(x86_64Machine, image, { entry: image.symbols.get('sync_core')!, args: [], maxSteps: 100 });
    expect(r.stop).toMatchObject({ kind: 'trap', trap: 'unsupported', bytes: '48 cf' });
  });
});
