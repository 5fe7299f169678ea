// The reference tools (GNU as/objdump from Debian's cross binutils, llvm-mc-14): run them, read their output.
// Used by scripts/gen-golden.ts to make the committed vectors and by tests/oracle/ for the live comparison.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchName } from '../../src/isa/types.js';

interface ToolSet {
  readonly as: string;
  readonly asFlags: readonly string[];
  readonly objdump: string;
  readonly objdumpFlags: readonly string[];
  readonly objcopy: string;
  readonly llvmTriple: string;
  readonly llvmFlags: readonly string[];
}

export const TOOLS: Readonly<Record<ArchName, ToolSet>> = Object.freeze({
  'x86-64': {
    as: 'x86_64-linux-gnu-as', asFlags: ['--64'], objdump: 'x86_64-linux-gnu-objdump',
    objdumpFlags: ['--insn-width=16'], objcopy: 'x86_64-linux-gnu-objcopy', llvmTriple: 'x86_64-linux-gnu', llvmFlags: [],
  },
  arm64: {
    as: 'aarch64-linux-gnu-as', asFlags: ['-march=armv8.5-a'], objdump: 'aarch64-linux-gnu-objdump', objdumpFlags: [],
    objcopy: 'aarch64-linux-gnu-objcopy', llvmTriple: 'aarch64-linux-gnu', llvmFlags: ['-mattr=+bti'],
  },
  ppc32: {
    as: 'powerpc-linux-gnu-as', asFlags: ['-a32', '-mbig', '-mregnames'], objdump: 'powerpc-linux-gnu-objdump', objdumpFlags: [],
    objcopy: 'powerpc-linux-gnu-objcopy', llvmTriple: 'powerpc-linux-gnu', llvmFlags: [],
  },
  ppc64: {
    as: 'powerpc64le-linux-gnu-as', asFlags: ['-a64', '-mlittle', '-mregnames'], objdump: 'powerpc64le-linux-gnu-objdump', objdumpFlags: [],
    objcopy: 'powerpc64le-linux-gnu-objcopy', llvmTriple: 'powerpc64le-linux-gnu', llvmFlags: [],
  },
  riscv64: {
    as: 'riscv64-linux-gnu-as', asFlags: ['-march=rv64imac_zicsr_zifencei'], objdump: 'riscv64-linux-gnu-objdump', objdumpFlags: [],
    objcopy: 'riscv64-linux-gnu-objcopy', llvmTriple: 'riscv64-linux-gnu', llvmFlags: ['-mattr=+m,+a,+c'],
  },
});

function withTemp<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'patchlab-oracle-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface GasResult {
  /** Bytes of .text, or undefined when GNU as rejected the source. */
  readonly text: Uint8Array | undefined;
  readonly stderr: string;
}

/** Assemble `source` with GNU as; return the bytes of .text (relocated fields left as GNU as leaves them). */
export function gnuAs(arch: ArchName, source: string): GasResult {
  const t = TOOLS[arch];
  return withTemp((dir) => {
    const src = join(dir, 'in.s'), obj = join(dir, 'in.o'), bin = join(dir, 'text.bin');
    writeFileSync(src, source.endsWith('\n') ? source : source + '\n');
    try {
      execFileSync(t.as, [...t.asFlags, '-o', obj, src], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      return { text: undefined, stderr: String((e as { stderr?: Buffer }).stderr ?? e) };
    }
    execFileSync(t.objcopy, ['-O', 'binary', '--only-section=.text', obj, bin]);
    return { text: new Uint8Array(readFileSync(bin)), stderr: '' };
  });
}

export interface ObjdumpLine {
  readonly address: number;
  readonly bytes: string;
  readonly mnemonic: string;
  readonly operands: string;
}

/**
 * Disassemble `bytes` as objdump does: they are assembled as `.byte` into .text of an ELF object (so
 * objdump picks its default machine and dialect for the arch), then `objdump -d -z` is read back.
 */
export function objdump(arch: ArchName, bytes: Uint8Array, extra: readonly string[] = []): ObjdumpLine[] {
  const t = TOOLS[arch];
  const lines: string[] = [];
  if (arch === 'arm64') {
    // `.byte` in aarch64 code gets a `$d` mapping symbol and objdump prints it as data: use `.inst` words.
    for (let i = 0; i + 4 <= bytes.length; i += 4) {
      const w = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
      lines.push(`.inst 0x${w.toString(16).padStart(8, '0')}`);
    }
    if (bytes.length % 4) lines.push(`.byte ${Array.from(bytes.subarray(bytes.length - (bytes.length % 4))).join(',')}`);
  } else if (arch === 'riscv64') {
    // `.byte` gets a `$d` mapping symbol here too: `.insn` parcels (2 or 4 bytes, by their low bits) are code.
    let i = 0;
    for (; i + 2 <= bytes.length; ) {
      const low = bytes[i] | (bytes[i + 1] << 8);
      const n = (low & 3) === 3 && i + 4 <= bytes.length ? 4 : 2;
      const v = n === 4 ? (low | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0 : low;
      lines.push(`.insn ${n}, 0x${v.toString(16)}`);
      i += n;
    }
    if (i < bytes.length) lines.push(`.byte ${bytes[i]}`);
  } else {
    for (let i = 0; i < bytes.length; i += 16) lines.push(`.byte ${Array.from(bytes.subarray(i, i + 16)).join(',')}`);
  }
  return withTemp((dir) => {
    const src = join(dir, 'in.s'), obj = join(dir, 'in.o');
    writeFileSync(src, lines.join('\n') + '\n');
    execFileSync(t.as, [...t.asFlags, '-o', obj, src]);
    const out = execFileSync(t.objdump, ['-d', '-z', ...t.objdumpFlags, ...extra, obj], { maxBuffer: 1 << 28 }).toString();
    return parseObjdump(out);
  });
}

/** Read objdump -d output: `  addr:\tbytes\tmnemonic operands`, comments and `<sym>` left in operands. */
export function parseObjdump(out: string): ObjdumpLine[] {
  const result: ObjdumpLine[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(.*)$/.exec(line);
    if (!m) continue;
    const text = m[3].trim();
    const sp = /^(\S+)\s*(.*)$/.exec(text);
    result.push({ address: parseInt(m[1], 16), bytes: m[2].trim(), mnemonic: sp ? sp[1] : text, operands: sp ? sp[2].trim() : '' });
  }
  return result;
}

/**
 * The comparable part of an objdump line: mnemonic and operands without the trailing comment
 * (`# 0x13 <g>`, `// #8`, `; undefined`) and without symbol annotations (`<g+0x4>`), spaces collapsed.
 */
export function normalizeDisasm(mnemonic: string, operands: string): string {
  // x86's comment is `# 0x13 <g>` (hash, space); arm64 immediates start with `#`, so only `# ` starts one.
  let ops = operands.replace(/\s+<[^>]*>/g, '').replace(/\s*(#\s|\/\/|;).*$/, '');
  if (mnemonic.startsWith('.')) ops = operands.replace(/\s*(\/\/|;).*$/, '');
  return `${mnemonic} ${ops}`.replace(/\s+/g, ' ').trim();
}

/** llvm-mc's encoding of one instruction line, as bytes; undefined if llvm-mc rejects it. */
export function llvmMc(arch: ArchName, source: string): Uint8Array | undefined {
  const t = TOOLS[arch];
  try {
    const out = execFileSync('llvm-mc-14', [`-triple=${t.llvmTriple}`, ...t.llvmFlags, '-show-encoding'], {
      input: source, stdio: ['pipe', 'pipe', 'pipe'],
    }).toString();
    const bytes: number[] = [];
    for (const m of out.matchAll(/encoding: \[([^\]]*)\]/g)) {
      for (const b of m[1].split(',')) {
        const v = b.trim();
        // Fixup placeholders print as `A`/`B`…; GNU leaves zero there, as do we.
        bytes.push(/^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : 0);
      }
    }
    return new Uint8Array(bytes);
  } catch {
    return undefined;
  }
}

export function toolsPresent(arch: ArchName): boolean {
  try {
    execFileSync(TOOLS[arch].as, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
