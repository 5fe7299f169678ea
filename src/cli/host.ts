// The CLI's window on the world: output streams and files, swappable in tests.

import { readFileSync } from 'node:fs';

export interface Host {
  out(text: string): void;
  err(text: string): void;
  /** Read a file, or standard input for `-`; throws a Node error on failure. */
  readFile(path: string): Uint8Array;
}

export const nodeHost: Host = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  readFile: (path) => new Uint8Array(readFileSync(path === '-' ? 0 : path)),
};

/** Exit statuses other tools script against. */
export const EXIT = Object.freeze({ ok: 0, unsafe: 1, badInput: 2, incomplete: 3 });
