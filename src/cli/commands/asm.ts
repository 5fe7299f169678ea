// `patchlab asm` and `patchlab disasm`.

import { bytesToHex } from '../../base/bits.js';
import { formatDiagnostic } from '../../base/diagnostics.js';
import { assemble, textBytes } from '../../isa/asm/assembler.js';
import { formatListing } from '../../isa/asm/listing.js';
import { disassemble, formatDisasmLine } from '../../isa/disasm.js';
import { isaFor } from '../../isa/registry.js';
import type { ArchName } from '../../isa/types.js';
import { parseHexBytes, UsageError } from '../args.js';
import { EXIT, type Host } from '../host.js';
import { readInput } from '../input.js';

export function runAsm(host: Host, opts: { arch: ArchName; format: 'hex' | 'listing' }, file: string | undefined): number {
  const input = readInput(host, file ?? '-');
  if (input === undefined) return EXIT.badInput;
  const result = assemble(input.text, isaFor(opts.arch), input.name);
  if (result.diagnostics.length > 0) {
    for (const d of result.diagnostics) host.err(formatDiagnostic(d) + '\n');
    return EXIT.badInput;
  }
  if (opts.format === 'hex') {
    const hex = bytesToHex(textBytes(result.object));
    host.out(hex ? hex + '\n' : '');
  } else host.out(formatListing(result.object));
  return EXIT.ok;
}

export function runDisasm(host: Host, opts: { arch: ArchName; address: bigint; file?: string }, hex: readonly string[]): number {
  let bytes: Uint8Array;
  if (opts.file !== undefined) {
    const input = readInput(host, opts.file);
    if (input === undefined) return EXIT.badInput;
    bytes = input.bytes;
  } else {
    if (hex.length === 0) throw new UsageError('PL6005', [], '');
    bytes = parseHexBytes(hex);
  }
  const lines = disassemble(isaFor(opts.arch), bytes, opts.address);
  host.out(lines.map((l) => formatDisasmLine(l) + '\n').join(''));
  return EXIT.ok;
}
