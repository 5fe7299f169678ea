// The files a catalogue check covers: each argument in order; a directory stands for every `.scn` file under it.

import { makeDiagnostic, type Diagnostic } from '../base/diagnostics.js';
import { hostIsDirectory, hostListDirectory, type Host } from './host.js';

/**
 * A file to check, or a directory that gave none: with no scenario file in it, or one that cannot be listed
 * (bad input, like a file that cannot be read).
 */
export type CatalogueItem = { readonly file: string } | { readonly file: string; readonly problem: Diagnostic };

export const SCENARIO_SUFFIX = '.scn';

/**
 * Arguments to files. A directory is searched recursively and its `.scn` files come sorted by path (code
 * unit order, the same on every machine); a file named on its own is checked whatever its name. An unreadable
 * path is kept, to be reported as that file's problem.
 */
export function catalogueFiles(host: Host, args: readonly string[]): CatalogueItem[] {
  const items: CatalogueItem[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    if (!seen.has(file)) items.push({ file }), seen.add(file);
  };
  for (const arg of args) {
    if (!hostIsDirectory(host, arg)) {
      add(arg);
      continue;
    }
    const problems: Diagnostic[] = [];
    const found = scenariosUnder(host, arg, problems);
    if (found.length === 0 && problems.length === 0) problems.push(makeDiagnostic('PL6201', { file: arg, line: 1, col: 1 }, arg));
    for (const problem of problems) items.push({ file: problem.span.file, problem });
    found.forEach(add);
  }
  return items;
}

function scenariosUnder(host: Host, dir: string, problems: Diagnostic[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = hostListDirectory(host, d);
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      problems.push(makeDiagnostic('PL6002', { file: d, line: 1, col: 1 }, d, String(reason)));
      return;
    }
    for (const e of entries) {
      const path = d.endsWith('/') ? d + e.name : `${d}/${e.name}`;
      if (e.directory) walk(path);
      else if (e.name.endsWith(SCENARIO_SUFFIX)) out.push(path);
    }
  };
  walk(dir);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
