// Run functions on a real CPU model: link them into a static Linux binary with a tiny _start, run it under
// qemu-user (natively on x86-64), read back each function's return value. Used by tests/oracle/exec-*.test.ts.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchName } from '../../src/isa/types.js';
import { TOOLS } from './binutils.js';

export interface QemuCall {
  /** A global label in the source. */
  readonly entry: string;
  /** Up to 4 arguments, in the ABI's argument registers. */
  readonly args: readonly bigint[];
}

const RUNNER: Readonly<Record<ArchName, string[]>> = {
  'x86-64': [], arm64: ['qemu-aarch64'], ppc32: ['qemu-ppc'], ppc64: ['qemu-ppc64le'], riscv64: ['qemu-riscv64'],
};

const hex = (v: bigint) => '0x' + BigInt.asUintN(64, v).toString(16);

/** _start: call each function with its arguments, store its result in `results`, write them all, exit 0. */
function start(arch: ArchName, calls: readonly QemuCall[]): string {
  const lines: string[] = ['\t.text', '\t.globl _start', '_start:'];
  const argRegs: Record<ArchName, string[]> = {
    'x86-64': ['%rdi', '%rsi', '%rdx', '%rcx'], arm64: ['x0', 'x1', 'x2', 'x3'], ppc32: ['3', '4', '5', '6'], ppc64: ['3', '4', '5', '6'],
    riscv64: ['a0', 'a1', 'a2', 'a3'],
  };
  if (arch === 'x86-64') lines.push('\tand $-16, %rsp');
  // Without .abiversion 2 the static binary is taken for ELFv1 and its entry for a function descriptor.
  if (arch === 'ppc64') lines.unshift('\t.abiversion 2');
  if (arch === 'ppc64') lines.push('\tlis 2, .TOC.@ha', '\taddi 2, 2, .TOC.@l');
  if (arch === 'ppc32' || arch === 'ppc64') lines.push(`\tstdu 1, -128(1)`.replace('stdu', arch === 'ppc32' ? 'stwu' : 'stdu'));
  calls.forEach((c, i) => {
    c.args.forEach((a, k) => {
      const r = argRegs[arch][k];
      if (arch === 'x86-64') lines.push(`\tmovabs $${hex(a)}, ${r}`);
      else if (arch === 'arm64') lines.push(`\tldr ${r}, =${hex(a)}`);
      else if (arch === 'riscv64') lines.push(`\tli ${r}, ${hex(a)}`);
      else if (arch === 'ppc32') lines.push(`\tlis ${r}, ${hex(a & 0xffffffffn)}@h`, `\tori ${r}, ${r}, ${hex(a & 0xffffffffn)}@l`);
      else lines.push(`\tlis ${r}, ${hex(a)}@highest`, `\tori ${r}, ${r}, ${hex(a)}@higher`, `\tsldi ${r}, ${r}, 32`,
        `\toris ${r}, ${r}, ${hex(a)}@h`, `\tori ${r}, ${r}, ${hex(a)}@l`);
    });
    if (arch === 'x86-64') lines.push(`\tcall ${c.entry}`, `\tmov %rax, results+${8 * i}(%rip)`);
    else if (arch === 'arm64') lines.push(`\tbl ${c.entry}`, '\tadrp x9, results', '\tadd x9, x9, :lo12:results', `\tstr x0, [x9, #${8 * i}]`);
    else if (arch === 'riscv64') lines.push(`\tcall ${c.entry}`, `\tlla t0, results+${8 * i}`, '\tsd a0, 0(t0)');
    else if (arch === 'ppc32') lines.push(`\tbl ${c.entry}`, '\tlis 9, results@ha', '\taddi 9, 9, results@l', `\tstw 3, ${4 * i}(9)`);
    else lines.push(`\tlis 12, ${c.entry}@ha`, `\taddi 12, 12, ${c.entry}@l`, '\tmtctr 12', '\tbctrl', '\tlis 2, .TOC.@ha', '\taddi 2, 2, .TOC.@l',
      '\tlis 9, results@ha', '\taddi 9, 9, results@l', `\tstd 3, ${8 * i}(9)`);
  });
  const n = calls.length * (arch === 'ppc32' ? 4 : 8);
  if (arch === 'x86-64') lines.push('\tmov $1, %eax', '\tmov $1, %edi', '\tlea results(%rip), %rsi', `\tmov $${n}, %edx`, '\tsyscall', '\tmov $60, %eax', '\txor %edi, %edi', '\tsyscall');
  else if (arch === 'riscv64') lines.push('\tli a0, 1', '\tlla a1, results', `\tli a2, ${n}`, '\tli a7, 64', '\tecall', '\tli a0, 0', '\tli a7, 93', '\tecall');
  else if (arch === 'arm64') lines.push('\tmov x0, #1', '\tadrp x1, results', '\tadd x1, x1, :lo12:results', `\tldr x2, =${n}`, '\tmov x8, #64', '\tsvc #0', '\tmov x0, #0', '\tmov x8, #93', '\tsvc #0', '\t.ltorg');
  else lines.push('\tli 0, 4', '\tli 3, 1', '\tlis 4, results@ha', '\taddi 4, 4, results@l', `\tli 5, ${n}`, '\tsc', '\tli 0, 1', '\tli 3, 0', '\tsc');
  lines.push('\t.data', '\t.p2align 3', `results: .skip ${n}`);
  return lines.join('\n') + '\n';
}

/** Assemble `source` plus a _start calling `calls`, run it, return each call's result (32-bit on ppc32). */
export function runUnderQemu(arch: ArchName, source: string, calls: readonly QemuCall[]): bigint[] {
  const t = TOOLS[arch];
  const dir = mkdtempSync(join(tmpdir(), 'patchlab-qemu-'));
  try {
    const objs: string[] = [];
    for (const [name, text] of [['prog', source], ['start', start(arch, calls)]] as const) {
      writeFileSync(join(dir, `${name}.s`), text);
      execFileSync(t.as, [...t.asFlags, '-o', join(dir, `${name}.o`), join(dir, `${name}.s`)], { stdio: ['ignore', 'pipe', 'pipe'] });
      objs.push(join(dir, `${name}.o`));
    }
    const exe = join(dir, 'prog');
    // riscv64: no linker relaxation, which would address `results` from gp (never set up here).
    const relax = arch === 'riscv64' ? ['--no-relax'] : [];
    execFileSync(t.as.replace(/as$/, 'ld'), ['-static', ...relax, '-e', '_start', '-o', exe, ...objs], { stdio: ['ignore', 'pipe', 'pipe'] });
    const [cmd, ...pre] = RUNNER[arch].length ? RUNNER[arch] : [exe];
    const out = execFileSync(cmd, RUNNER[arch].length ? [...pre, exe] : [], { timeout: 60_000, maxBuffer: 1 << 26 });
    const size = arch === 'ppc32' ? 4 : 8;
    const little = arch !== 'ppc32';
    const res: bigint[] = [];
    for (let i = 0; i + size <= out.length; i += size) {
      let v = 0n;
      for (let k = 0; k < size; k++) v = (v << 8n) | BigInt(out[little ? i + size - 1 - k : i + k]);
      res.push(v);
    }
    return res;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
