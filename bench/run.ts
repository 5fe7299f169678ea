// `npm run bench`: figures printed, never asserted. Each section says what it measures.
// Sections: machine (interpreter and state clone/hash), seeds (bench/seeds.ts), spin (bench/spin.ts).
// `npm run bench -- --section seeds` (repeatable, or comma-separated) runs only those; `--seconds N` caps
// each search (default 4); `--no-plain` skips the reductions-off runs; `--only id,id` limits the seeds and the
// SPIN rows (the SPIN rows at big bounds run only when named: `--only big` names them all).
// See bench/README.md.

import { performance } from 'node:perf_hooks';
import { assemble } from '../src/isa/asm/assembler.js';
import { link } from '../src/isa/asm/link.js';
import { isaFor } from '../src/isa/registry.js';
import { ARCH_NAMES, type ArchName } from '../src/isa/types.js';
import { newCpu } from '../src/machine/cpu.js';
import { FetchWindows } from '../src/machine/fetch-window.js';
import { defaultLayout, loadImage } from '../src/machine/load.js';
import { machineFor } from '../src/machine/registry.js';
import { runFunction } from '../src/machine/run.js';
import { cloneMachine, fingerprintMachine, withCpu, type MachineState } from '../src/machine/state.js';
import { seedsSection, type SeedFigures } from './seeds.js';
import { spinSection } from './spin.js';

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0));

/** A counted loop: about 3 instructions per iteration, 2 million iterations. */
const LOOPS: Readonly<Record<ArchName, string>> = {
  'x86-64': '.globl loop\nloop: mov %rdi, %rax\n1: add $3, %rax\n dec %rdi\n jne 1b\n ret\n',
  arm64: '.globl loop\nloop: mov x1, x0\n1: add x0, x0, #3\n subs x1, x1, #1\n b.ne 1b\n ret\n',
  ppc32: '.globl loop\nloop: mtctr 3\n1: addi 3, 3, 3\n bdnz 1b\n blr\n',
  ppc64: '.globl loop\nloop: mtctr 3\n1: addi 3, 3, 3\n bdnz 1b\n blr\n',
  riscv64: '.globl loop\nloop: mv a1, a0\n1: addi a0, a0, 3\n addi a1, a1, -1\n bnez a1, 1b\n ret\n',
};

function interpreterSpeed(arch: ArchName): void {
  const isa = isaFor(arch);
  const asm = assemble(LOOPS[arch], isa, 'loop.s');
  if (asm.diagnostics.length) throw new Error(asm.diagnostics.map((d) => d.message).join('\n'));
  const { image } = link(asm.object, isa, defaultLayout(asm.object));
  // One warm-up run (the JIT settles), then the best of three.
  let best = Infinity;
  let r = runFunction(machineFor(arch), image, { entry: image.symbols.get('loop')!, args: [200_000n], maxSteps: 100_000_000 });
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    r = runFunction(machineFor(arch), image, { entry: image.symbols.get('loop')!, args: [2_000_000n], maxSteps: 100_000_000 });
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  console.log(`  ${arch.padEnd(7)} ${fmt(r.steps / best)}instructions/s  (${r.steps} steps in ${best.toFixed(2)} s, best of 3, ${r.stop.kind})`);
}

function cloneHashSpeed(arch: ArchName): void {
  const isa = isaFor(arch);
  const asm = assemble(LOOPS[arch], isa, 'loop.s');
  const { image } = link(asm.object, isa, defaultLayout(asm.object));
  const { memory } = loadImage(image, { stacks: 4, stackSize: 0x2000, aliasOffset: 0x4000_0000n });
  const regs = machineFor(arch).registers.names.length;
  let state: MachineState = { memory, windows: FetchWindows.create(machineFor(arch).fetchPolicy.unit, 4), cpus: [0, 1, 2, 3].map(() => newCpu(regs)) };
  const stack = memory.region('stack0')!;
  const n = 300_000;
  const t0 = performance.now();
  let sink = 0n;
  for (let i = 0; i < n; i++) {
    const next = cloneMachine(state);
    // One CPU step's worth of change: one CPU's register and a stack word.
    withCpu(next, i & 3).regs[1] += 1n;
    next.memory.writePhys(stack.phys + ((i * 8) & 0x1ff8), Uint8Array.of(i & 0xff));
    sink ^= fingerprintMachine(next).digest();
    state = next;
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`  ${arch.padEnd(7)} ${fmt(n / s)}clone+write+hash/s  (4 CPUs, ${memory.physSize} bytes of memory; ${sink & 1n})`);
}

const SECTIONS = ['machine', 'seeds', 'spin'] as const;
type Section = (typeof SECTIONS)[number];

function parseArgs(argv: readonly string[]): { sections: Set<Section>; seconds: number; plain: boolean; only: string[] } {
  const sections = new Set<Section>();
  let seconds = 4, plain = true;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--section') {
      for (const s of value().split(',')) {
        if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`unknown section ${s} (sections: ${SECTIONS.join(', ')})`);
        sections.add(s as Section);
      }
    } else if (a === '--seconds') seconds = Number(value());
    else if (a === '--no-plain') plain = false;
    else if (a === '--only') only.push(...value().split(','));
    else throw new Error(`unknown option ${a} (options: --section ${SECTIONS.join('|')}, --seconds N, --no-plain, --only id,id)`);
  }
  if (sections.size === 0) for (const s of SECTIONS) sections.add(s);
  return { sections, seconds, plain, only };
}

const args = parseArgs(process.argv.slice(2));
const started = performance.now();
if (args.sections.has('machine')) {
  console.log('interpreter, one CPU, counted loop:');
  for (const a of ARCH_NAMES) interpreterSpeed(a);
  console.log('machine state clone + fingerprint:');
  for (const a of ARCH_NAMES) cloneHashSpeed(a);
}
let seeds: Map<string, SeedFigures> = new Map();
if (args.sections.has('seeds')) seeds = seedsSection({ maxSeconds: args.seconds, plain: args.plain, only: args.only });
if (args.sections.has('spin')) spinSection(seeds, args.seconds, args.only);
console.log(`(bench took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
