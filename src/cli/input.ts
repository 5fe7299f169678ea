// Reading the user's files, with a diagnostic (not a stack trace) when that fails.

import { formatDiagnostic, makeDiagnostic, type Diagnostic } from '../base/diagnostics.js';
import { UsageError } from './args.js';
import type { Host } from './host.js';

export interface Input {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly text: string;
}

export function readInput(host: Host, path: string): Input | undefined {
  const r = tryReadInput(host, path);
  if ('diagnostic' in r) {
    host.err(formatDiagnostic(r.diagnostic) + '\n');
    return undefined;
  }
  return r;
}

/** readInput without printing: a file that cannot be read is a PL6002 diagnostic at its line 1. */
export function tryReadInput(host: Host, path: string): Input | { readonly diagnostic: Diagnostic } {
  // An empty argument (`check ''`, an unset shell variable) would give a diagnostic with no file name.
  if (path === '') throw new UsageError('PL6007', [], '');
  const name = path === '-' ? '<stdin>' : path;
  try {
    const bytes = host.readFile(path);
    return { name, bytes, text: new TextDecoder().decode(bytes) };
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return { diagnostic: makeDiagnostic('PL6002', { file: name, line: 1, col: 1 }, name, String(reason)) };
  }
}
