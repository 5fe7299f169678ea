// Regenerates tests/golden/<arch>.jsonl from GNU as, objdump and llvm-mc-14 (Debian's cross binutils, llvm-14).
//
//   npm run golden            # every arch
//   npm run golden -- arm64   # one arch
//
// Each line: {"src", "address", "hex", "objdump", "llvm"} — the case's source line, its address in the
// batch object (objdump prints branch targets from it), GNU's bytes, objdump's text, llvm-mc's bytes or null.

import { writeFileSync } from 'node:fs';
import { bytesToHex } from '../src/base/bits.js';
import { ARCH_NAMES, type ArchName } from '../src/isa/types.js';
import { assembleBatch } from '../tests/support/batch.js';
import { normalizeDisasm } from '../tests/support/binutils.js';
import { goldenCases as x86Cases } from './golden/x86-64.js';
import { goldenCases as arm64Cases } from './golden/arm64.js';
import { goldenCases as ppcCases } from './golden/ppc.js';
import { goldenCases as riscv64Cases } from './golden/riscv64.js';

const CASES: Readonly<Record<ArchName, (arch: ArchName) => string[]>> = {
  'x86-64': x86Cases, arm64: arm64Cases, ppc32: ppcCases, ppc64: ppcCases, riscv64: riscv64Cases,
};

function generate(arch: ArchName): void {
  const lines = CASES[arch](arch);
  const gnu = assembleBatch(arch, lines, 'gnu');
  const llvm = assembleBatch(arch, lines, 'llvm');
  const rejected = lines.filter((_, i) => !gnu[i]);
  if (rejected.length > 0) {
    console.error(`${arch}: GNU as rejects ${rejected.length} case(s); fix scripts/golden:\n  ${rejected.slice(0, 20).join('\n  ')}`);
    process.exitCode = 1;
  }
  const out: string[] = [];
  let llvmAgrees = 0, llvmDiffers = 0, llvmRejects = 0;
  lines.forEach((src, i) => {
    const g = gnu[i];
    if (!g) return;
    const l = llvm[i];
    const hex = bytesToHex(g.bytes);
    const lhex = l ? bytesToHex(l.bytes) : null;
    if (lhex === null) llvmRejects++;
    else if (lhex === hex) llvmAgrees++;
    else llvmDiffers++;
    const objdump = g.objdump.map((d) => normalizeDisasm(d.mnemonic, d.operands)).join('\n');
    out.push(JSON.stringify({ src, address: g.address, hex, objdump, llvm: lhex }));
  });
  writeFileSync(new URL(`../tests/golden/${arch}.jsonl`, import.meta.url), out.join('\n') + '\n');
  console.log(`${arch}: ${out.length} vectors; llvm-mc agrees on ${llvmAgrees}, differs on ${llvmDiffers}, rejects ${llvmRejects}`);
}

const wanted = process.argv.slice(2);
for (const arch of ARCH_NAMES) if (wanted.length === 0 || wanted.includes(arch)) generate(arch);
