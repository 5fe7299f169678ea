// The CLI's window on the world: output streams and files, swappable in tests.

import { readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';

export interface Host {
  out(text: string): void;
  err(text: string): void;
  /** Read a file, or standard input for `-`; throws a Node error on failure. */
  readFile(path: string): Uint8Array;
  /** Write a file; throws a Node error on failure. Absent: written with node:fs. */
  writeFile?(path: string, text: string): void;
  /** Is PATH a directory (symbolic links followed)? Absent: asked of node:fs. */
  isDirectory?(path: string): boolean;
  /** The entries of a directory, with whether each is a directory. Absent: read with node:fs. */
  listDirectory?(path: string): readonly DirectoryEntry[];
  /** Show a transient progress line (a terminal only); absent when stderr is not a terminal. */
  progress?(line: string | undefined): void;
  /**
   * Run a search under `--max-memory` in a worker thread with its heap limited (memory-budget.ts), so that
   * the process stays under the budget. The real CLI does; a host running the CLI in process many times
   * over (tests, the fuzz harness) need not pay a worker's start-up per search: where the search stops is
   * the same either way.
   */
  readonly isolateSearch?: boolean;
}

/**
 * A stream whose reader went away (`patchlab asm big.s | head -1`) reports EPIPE as an 'error' event, which
 * Node turns into a stack trace. The reader chose to stop: drop the rest of the output quietly and keep the
 * exit status the command decides. Any other write error is still thrown.
 */
function quietWhenClosed(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  let watching = false;
  return (text) => {
    if (closed) return;
    if (!watching) {
      watching = true;
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
        closed = true;
      });
    }
    stream.write(text);
  };
}

export const nodeHost: Host = {
  isolateSearch: true,
  out: quietWhenClosed(process.stdout),
  err: quietWhenClosed(process.stderr),
  readFile: (path) => new Uint8Array(readFileSync(path === '-' ? 0 : path)),
  writeFile: (path, text) => writeFileSync(path, text),
  ...(process.stderr.isTTY
    ? {
      // `\r` and clear-to-end-of-line: one line that rewrites itself; undefined erases it.
      progress: (line: string | undefined) => void process.stderr.write(line === undefined ? '\r\x1b[K' : `\r\x1b[K${line}`),
    }
    : {}),
};

export interface DirectoryEntry {
  readonly name: string;
  readonly directory: boolean;
}

/** A path that does not exist, or cannot be looked at, is not a directory: reading it reports why. */
export function hostIsDirectory(host: Host, path: string): boolean {
  if (host.isDirectory) return host.isDirectory(path);
  try {
    return path !== '-' && statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A directory's entries. A symbolic link counts as what it points to, except that a link to a directory is
 * not followed (it could point back up and never end): its files are checked only when named themselves.
 */
export function hostListDirectory(host: Host, path: string): readonly DirectoryEntry[] {
  if (host.listDirectory) return host.listDirectory(path);
  return readdirSync(path, { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() }));
}

export function writeHostFile(host: Host, path: string, text: string): void {
  if (host.writeFile) host.writeFile(path, text);
  else writeFileSync(path, text);
}

/** Do two paths name one existing file (symbolic links, `.` and `..` resolved)? A path that does not exist names none. */
export function sameExistingFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** Exit statuses other tools script against; `internal` is sysexits' EX_SOFTWARE, apart from 1 (unsafe). */
export const EXIT = Object.freeze({ ok: 0, unsafe: 1, badInput: 2, incomplete: 3, internal: 70 });
