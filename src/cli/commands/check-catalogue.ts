// `patchlab check FILE… DIR…`: every scenario file in turn in one process, a row each, and an exit status that
// says whether every verdict is what its file's `expect` line says (catalogue-report.ts).

import { formatDiagnostic, makeDiagnostic } from '../../base/diagnostics.js';
import { UsageError } from '../args.js';
import { catalogueFiles } from '../catalogue-files.js';
import { catalogueJson, catalogueStatus, catalogueText, type CatalogueEntry } from '../catalogue-report.js';
import { EXIT, type Host } from '../host.js';
import { lowerLimits } from '../memory-budget.js';
import { readScenario, type Overrides } from '../scenario-input.js';
import { checkLoaded, writeJunit, type CheckCliOptions } from './check-scenario.js';

export async function runCatalogue(host: Host, opts: CheckCliOptions, paths: readonly string[]): Promise<number> {
  // One file's outputs have no place in a table: refused before anything runs.
  if (opts.traceOut !== undefined) throw new UsageError('PL6202', ['--trace-out', paths.length === 1 ? 'a directory was' : `${paths.length} were`], '--trace-out');
  if (opts.format === 'mail') throw new UsageError('PL6202', ['--format mail', paths.length === 1 ? 'a directory was' : `${paths.length} were`], 'mail');
  if (opts.html !== undefined) throw new UsageError('PL6202', ['--html', paths.length === 1 ? 'a directory was' : `${paths.length} were`], '--html');
  const items = catalogueFiles(host, paths);
  const overrides: Overrides = { bounds: opts.bound, knobs: opts.knob };
  const entries: CatalogueEntry[] = [];
  for (const [i, item] of items.entries()) {
    const { file } = item;
    if ('problem' in item) {
      host.err(formatDiagnostic(item.problem) + '\n');
      entries.push({ file, diagnostics: [item.problem] });
      continue;
    }
    host.progress?.(`[${i + 1}/${items.length}] ${file}`);
    let loaded;
    try {
      loaded = readScenario(host, file, overrides, lowerLimits(opts.maxMemory, opts.workers));
    } catch (e) {
      // A --bound this file's world cannot have (cpus=1 with tasks) is this file's problem, not the others'.
      if (!(e instanceof UsageError) || e.code === 'PL6007') throw e;
      loaded = { diagnostics: [makeDiagnostic(e.code, { file, line: 1, col: 1 }, ...e.args)] };
    }
    if ('diagnostics' in loaded) {
      for (const d of loaded.diagnostics) host.err(formatDiagnostic(d) + '\n');
      entries.push({ file: file === '-' ? '<stdin>' : file, diagnostics: loaded.diagnostics });
      continue;
    }
    const { report } = await checkLoaded(host, loaded, overrides, opts);
    entries.push({ file: loaded.file, report, diagnostics: [] });
  }
  host.progress?.(undefined);
  host.out(opts.json ? catalogueJson(entries, opts.timing) : catalogueText(entries, opts.timing));
  const status = catalogueStatus(entries);
  if (opts.junit !== undefined && !writeJunit(host, opts, entries)) return EXIT.badInput;
  return status;
}
