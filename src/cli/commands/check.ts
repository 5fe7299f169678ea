// `patchlab check FILE`: explore every interleaving within the bounds; report safe, unsafe with a trace, or incomplete.
// Several files or a directory: each in turn, as a catalogue (check-catalogue.ts).

import { dirname, relative, sep } from 'node:path';
import { formatDiagnostic } from '../../base/diagnostics.js';
import { formatBounds, formatKnobs, knobsOn } from '../../verify/world-report.js';
import { UsageError } from '../args.js';
import { diagnosticsJson } from '../catalogue-report.js';
import { reportMail } from '../check-mail.js';
import { reportJson, reportText, verdictLine } from '../check-report.js';
import { writeTracePage } from '../html-out.js';
import { EXIT, hostIsDirectory, sameExistingFile, type Host } from '../host.js';
import { lowerLimits, searchBudgetBytes } from '../memory-budget.js';
import { readScenario, type Overrides } from '../scenario-input.js';
import { runCatalogue } from './check-catalogue.js';
import { checkLoaded, writeJunit, writeReportFile, type CheckCliOptions } from './check-scenario.js';

export type { CheckCliOptions };

export const TRACE_SCHEMA = 'patchlab.trace/1';

export async function runCheck(host: Host, opts: CheckCliOptions, paths: readonly string[]): Promise<number> {
  // A budget the process cannot run in is refused before anything is read (PL6140).
  if (opts.maxMemory !== undefined) searchBudgetBytes(opts.maxMemory, opts.workers);
  if (paths.length === 1 && !opts.catalogue && !hostIsDirectory(host, paths[0])) return runOne(host, opts, paths[0]);
  return runCatalogue(host, opts, paths);
}

/** One file: its report (text, mail or JSON), the trace file, and the exit status of its verdict. */
async function runOne(host: Host, opts: CheckCliOptions, file: string): Promise<number> {
  // Refused before the search: writing the trace would destroy the scenario it came from.
  if (opts.traceOut !== undefined && file !== '-' && sameExistingFile(file, opts.traceOut)) throw new UsageError('PL6109', [opts.traceOut, file], opts.traceOut);
  const overrides: Overrides = { bounds: opts.bound, knobs: opts.knob };
  const loaded = readScenario(host, file, overrides, lowerLimits(opts.maxMemory, opts.workers));
  if ('diagnostics' in loaded) {
    for (const d of loaded.diagnostics) host.err(formatDiagnostic(d) + '\n');
    if (opts.json) host.out(diagnosticsJson(loaded.diagnostics));
    if (opts.junit !== undefined) writeJunit(host, opts, [{ file: file === '-' ? '<stdin>' : file, diagnostics: loaded.diagnostics }]);
    return EXIT.badInput;
  }
  const { report, result, world } = await checkLoaded(host, loaded, overrides, opts);
  if (opts.html !== '-') host.out(opts.json ? reportJson(report) : opts.format === 'mail' ? reportMail(report) : reportText(report));
  if (opts.html !== undefined) {
    const { spec, scenario } = loaded;
    const l = result.loop;
    const bad = writeTracePage(host, world, opts.html, {
      name: scenario.name, file: loaded.file, arch: spec.arch, headline: verdictLine(report),
      bounds: formatBounds(spec.bounds, spec), knobs: formatKnobs(spec.knobs),
      actions: l ? [...result.trace, ...l.lead, ...l.cycle] : result.trace,
      ...(l ? { loop: { leadAt: result.trace.length, cycleAt: result.trace.length + l.lead.length } } : {}),
    }, loaded.text);
    if (bad !== undefined) return bad;
  }
  if (opts.traceOut !== undefined) {
    const { spec, scenario } = loaded;
    // The scenario file, relative to the trace file, so that `patchlab view TRACE.json` finds it alone.
    const at = file !== '-' && opts.traceOut !== '-' ? { file: relative(dirname(opts.traceOut), file).split(sep).join('/') } : {};
    const body = { schema: TRACE_SCHEMA, scenario: scenario.name, ...at, bounds: spec.bounds, knobs: knobsOn(spec.knobs), verdict: result.verdict, violation: result.violation?.kind ?? null, trace: result.trace };
    if (!writeReportFile(host, opts.traceOut, JSON.stringify(body) + '\n')) return EXIT.badInput;
  }
  if (opts.junit !== undefined && !writeJunit(host, opts, [{ file: loaded.file, report, diagnostics: [] }])) return EXIT.badInput;
  return result.verdict === 'safe' ? EXIT.ok : result.verdict === 'unsafe' ? EXIT.unsafe : EXIT.incomplete;
}

