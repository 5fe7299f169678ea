// One fuzz input through the real CLI, in process, and what it must end in (issue 12): a verdict (0 safe,
// 1 unsafe), `incomplete` (3), or bad input (2) told by a `file:line:col` diagnostic — never an internal
// error (70), an exception out of `main`, a stack trace on any stream, or runaway memory.
//
// The files an input names live in memory (a Host whose readFile serves them), so a run touches no disk
// and the same input always reads the same bytes.

import { main } from '../../src/cli/main.js';
import type { Host } from '../../src/cli/host.js';

/** An invocation of `patchlab`: its arguments and the files they name (text, or raw bytes for `disasm --file`). */
export interface FuzzInput {
  readonly target: string;
  readonly argv: readonly string[];
  readonly files: Readonly<Record<string, string | readonly number[]>>;
}

export interface Outcome {
  readonly status: number;
  readonly out: string;
  readonly err: string;
  /** Set when `main` itself threw (it must not). */
  readonly thrown?: string;
}

/** A memory-backed host: reads the input's files, keeps what the command writes. */
function memoryHost(files: FuzzInput['files'], out: string[], err: string[]): Host {
  const written = new Map<string, string>();
  return {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    readFile: (path) => {
      if (written.has(path)) return new TextEncoder().encode(written.get(path));
      const f = files[path];
      if (f === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
      return typeof f === 'string' ? new TextEncoder().encode(f) : Uint8Array.from(f);
    },
    writeFile: (path, text) => void written.set(path, text),
  };
}

export async function runInput(input: FuzzInput): Promise<Outcome> {
  const out: string[] = [], err: string[] = [];
  try {
    const status = await main(input.argv, memoryHost(input.files, out, err));
    return { status, out: out.join(''), err: err.join('') };
  } catch (e) {
    return { status: -1, out: out.join(''), err: err.join(''), thrown: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

/** A diagnostic line as `formatDiagnostic` prints it. */
const DIAGNOSTIC = /^.+:\d+:\d+: error PL\d{4}: \S/m;
/** The same as JSON (`--json` reports diagnostics on standard output). */
const JSON_DIAGNOSTIC = /"line":\s*\d+,\s*"col":\s*\d+/;
/** A V8 stack frame, as a stack trace would show it. */
const STACK_FRAME = /^\s+at .+[(:]\d+:\d+\)?$/m;

/** Why the outcome breaks the CLI's promise, or undefined when it keeps it. */
export function judge(o: Outcome): string | undefined {
  if (o.thrown !== undefined) return `main threw: ${o.thrown.split('\n')[0]}`;
  if (o.status === 70) return `internal error: ${o.err.split('\n')[0]}`;
  if (![0, 1, 2, 3].includes(o.status)) return `exit status ${o.status}`;
  if (STACK_FRAME.test(o.err) || STACK_FRAME.test(o.out)) return 'a stack trace was printed';
  if (o.status === 2 && !DIAGNOSTIC.test(o.err) && !DIAGNOSTIC.test(o.out) && !JSON_DIAGNOSTIC.test(o.out)) return `exit 2 without a file:line:col diagnostic: ${JSON.stringify(o.err.slice(0, 200))}`;
  return undefined;
}
