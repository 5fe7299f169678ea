// Run the CLI in-process with files given as strings or bytes (the rest read from disk): status, stdout, stderr.

import { readFileSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import type { Host } from '../../src/cli/host.js';

export async function runCli(argv: string[], files: Record<string, string | Uint8Array> = {}) {
  let out = '', err = '';
  const host: Host = {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    readFile: (p) => {
      if (p in files) {
        const f = files[p];
        return typeof f === 'string' ? new TextEncoder().encode(f) : f;
      }
      if (p === '-') throw Object.assign(new Error('no stdin'), { code: 'EBADF' });
      return new Uint8Array(readFileSync(p));
    },
  };
  const status = await main(argv, host);
  return { status, out, err };
}
