// Many one-line cases through a reference assembler in one run: each case gets a label, `nm` finds them.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchName } from '../../src/isa/types.js';
import { objdump, TOOLS } from './binutils.js';

export interface BatchCase {
  /** Address of the case inside the batch object (objdump prints branch targets from it). */
  readonly address: number;
  readonly bytes: Uint8Array;
  /** objdump's lines for these bytes (usually one). */
  readonly objdump: readonly { mnemonic: string; operands: string }[];
}

const nmOf = (arch: ArchName) => TOOLS[arch].as.replace(/as$/, 'nm');

/** Line numbers (1-based) GNU as or llvm-mc complained about. */
function errorLines(stderr: string): Set<number> {
  const out = new Set<number>();
  for (const m of stderr.matchAll(/(?:in\.s|<stdin>):(\d+):(?:\d+:)?\s*(?:Error|error)/g)) out.add(Number(m[1]));
  return out;
}

function source(lines: readonly string[]): string {
  // Case i sits on line 2*i+2, after its label on line 2*i+1.
  return lines.map((l, i) => `case_${i}:\n${l}`).join('\n') + `\ncase_end:\n`;
}

function slice(arch: ArchName, obj: string, text: Uint8Array, n: number): { address: number; bytes: Uint8Array }[] {
  const nm = execFileSync(nmOf(arch), [obj]).toString();
  const addr = new Map<string, number>();
  for (const m of nm.matchAll(/^([0-9a-f]+) \w (case_\w+)$/gm)) addr.set(m[2], parseInt(m[1], 16));
  const out: { address: number; bytes: Uint8Array }[] = [];
  for (let i = 0; i < n; i++) {
    const a = addr.get(`case_${i}`)!;
    const b = addr.get(i + 1 < n ? `case_${i + 1}` : 'case_end')!;
    out.push({ address: a, bytes: text.slice(a, b) });
  }
  return out;
}

type Assembler = 'gnu' | 'llvm';

/**
 * Assemble `lines` (one statement each) with GNU as or llvm-mc into one object. Returns per case its
 * bytes (undefined where the tool rejected that line), and for GNU objdump's text.
 */
export function assembleBatch(arch: ArchName, lines: readonly string[], tool: Assembler): (BatchCase | undefined)[] {
  const t = TOOLS[arch];
  const dir = mkdtempSync(join(tmpdir(), 'patchlab-batch-'));
  try {
    let rejected = new Set<number>();
    for (let attempt = 0; attempt < 3; attempt++) {
      const kept = lines.map((l, i) => (rejected.has(i) ? '' : l));
      const src = join(dir, 'in.s'), obj = join(dir, 'in.o'), bin = join(dir, 'text.bin');
      writeFileSync(src, source(kept));
      try {
        if (tool === 'gnu') execFileSync(t.as, [...t.asFlags, '-o', obj, src], { stdio: ['ignore', 'pipe', 'pipe'] });
        else execFileSync('llvm-mc-14', [`-triple=${t.llvmTriple}`, ...t.llvmFlags, '-filetype=obj', '-o', obj, src], { stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        const bad = errorLines(String((e as { stderr?: Buffer }).stderr ?? ''));
        if (bad.size === 0) throw e;
        for (const ln of bad) rejected.add(Math.floor((ln - 2) / 2));
        rejected = new Set([...rejected].filter((i) => i >= 0 && i < lines.length));
        continue;
      }
      execFileSync(t.objcopy, ['-O', 'binary', '--only-section=.text', obj, bin]);
      const text = new Uint8Array(readFileSync(bin));
      const cases = slice(arch, obj, text, lines.length);
      // objdump spells branch targets with symbols when it has them (`b c <case_1+0x4>`, x86 `jmp 7 <g-0xc>`)
      // and as bare addresses when it has none (`b 0xc`); `patchlab disasm` has none, so the reference is
      // objdump of the same bytes at the same offsets in an object without symbols.
      const dump = tool === 'gnu' ? objdump(arch, text) : [];
      return cases.map((c, i) => {
        if (rejected.has(i)) return undefined;
        const end = c.address + c.bytes.length;
        const objdump = dump.filter((d) => d.address >= c.address && d.address < end).map((d) => ({ mnemonic: d.mnemonic, operands: d.operands }));
        return { address: c.address, bytes: c.bytes, objdump };
      });
    }
    throw new Error(`${tool} kept rejecting lines of the ${arch} batch`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
