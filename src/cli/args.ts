// Command-line values turned into checked values, with diagnostics that point into the command line.

import { formatDiagnostic, makeDiagnostic, type Diagnostic, type MessageCode } from '../base/diagnostics.js';
import { isArchName } from '../isa/registry.js';
import { ARCH_NAMES, type ArchName } from '../isa/types.js';
import type { Host } from './host.js';

/** A bad command-line value: reported as `<command line>:1:COL` where COL is where it starts. */
export class UsageError extends Error {
  constructor(readonly code: MessageCode, readonly args: (string | number)[], readonly value: string) {
    super(code);
  }
}

export function reportUsage(host: Host, argv: readonly string[], e: UsageError): Diagnostic {
  const line = argv.join(' ');
  const idx = e.value ? line.indexOf(e.value) : -1;
  const d = makeDiagnostic(e.code, { file: '<command line>', line: 1, col: idx < 0 ? 1 : idx + 1 }, ...e.args);
  host.err(formatDiagnostic(d) + '\n');
  return d;
}

export function parseArch(v: string): ArchName {
  if (!isArchName(v)) throw new UsageError('PL6001', [v, ARCH_NAMES.join(', ')], v);
  return v;
}

export function parseAddress(v: string, what: string): bigint {
  const t = v.trim().toLowerCase();
  if (!/^(0x[0-9a-f]+|[0-9]+)$/.test(t)) throw new UsageError('PL6004', [v, what], v);
  const n = BigInt(t);
  if (n >= 1n << 64n) throw new UsageError('PL6004', [v, what], v);
  return n;
}

/** `e9 00 00`, `e9000000`, `0xe9` — every argument a run of whole bytes in hex. */
export function parseHexBytes(args: readonly string[]): Uint8Array {
  const out: number[] = [];
  for (const a of args) {
    for (const word of a.split(/[\s,]+/).filter(Boolean)) {
      const w = word.toLowerCase().replace(/^0x/, '');
      if (!/^([0-9a-f]{2})+$/.test(w)) throw new UsageError('PL6003', [word], word);
      for (let i = 0; i < w.length; i += 2) out.push(parseInt(w.slice(i, i + 2), 16));
    }
  }
  return Uint8Array.from(out);
}

export function parseCount(v: string, what: string): number {
  const t = v.trim().replace(/_/g, '');
  if (!/^[0-9]+$/.test(t) || Number(t) < 1 || Number(t) > Number.MAX_SAFE_INTEGER) throw new UsageError('PL6004', [v, what], v);
  return Number(t);
}
