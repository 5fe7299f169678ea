// `patchlab replay FILE TRACE`: re-execute a trace (a `check --trace-out` file, or action indices 0,2,1) and report it.

import { dirname, join } from 'node:path';
import { formatDiagnostic, makeDiagnostic, type MessageCode } from '../../base/diagnostics.js';
import { renderTrace } from '../../verify/world-model.js';
import { BOUND_NAMES, formatBounds, formatKnobs, KNOB_NAMES } from '../../verify/world-report.js';
import type { Bounds } from '../../kernel/spec.js';
import { KernelWorld } from '../../kernel/world.js';
import type { FetchKnobs } from '../../machine/fetch.js';
import { UsageError } from '../args.js';
import { reportMail } from '../check-mail.js';
import { reportJson, reportText, verdictLine, withSourceText } from '../check-report.js';
import { writeTracePage } from '../html-out.js';
import { EXIT, type Host } from '../host.js';
import { readInput } from '../input.js';
import { boundOutOfRange, loadScenario, NO_OVERRIDES, type KnobSettings, type Overrides } from '../scenario-input.js';
import { TRACE_SCHEMA } from './check.js';

export interface ReplayCliOptions {
  readonly json: boolean;
  /** Absent: text. */
  readonly format?: 'text' | 'mail';
  readonly bound: Overrides['bounds'];
  readonly knob: Overrides['knobs'];
  /** Write the trace page here (`-`: standard output, instead of the report); `view` defaults it to `-`. */
  readonly html?: string;
}

interface TraceFile {
  readonly scenario?: string;
  /** The scenario file the trace was checked from, as a path from the working directory (from `file`, relative to the trace file). */
  readonly file?: string;
  readonly overrides: Overrides;
  readonly trace: readonly number[];
  /** Where problems with the trace are reported. */
  readonly where: string;
}

/**
 * Replay `traceArg` over the scenario `file`. Without `file` (`patchlab view TRACE.json`), the scenario is
 * the one the trace file names.
 */
export async function runReplay(host: Host, opts: ReplayCliOptions, given: string | undefined, traceArg: string): Promise<number> {
  const tf = readTrace(host, traceArg);
  if (!tf) return EXIT.badInput;
  const file = given ?? tf.file;
  if (file === undefined) {
    if (tf.where === '<command line>') throw new UsageError('PL6111', [traceArg], traceArg);
    host.err(formatDiagnostic(makeDiagnostic('PL6111', { file: tf.where, line: 1, col: 1 }, tf.where)) + '\n');
    return EXIT.badInput;
  }
  const overrides: Overrides = { bounds: { ...tf.overrides.bounds, ...opts.bound }, knobs: { ...tf.overrides.knobs, ...opts.knob } };
  const loaded = loadScenario(host, file, overrides);
  if (!loaded) return EXIT.badInput;
  const fail = (code: MessageCode, ...args: string[]) => {
    if (tf.where === '<command line>') throw new UsageError(code, args, traceArg);
    host.err(formatDiagnostic(makeDiagnostic(code, { file: tf.where, line: 1, col: 1 }, ...args)) + '\n');
    return EXIT.badInput;
  };
  if (tf.scenario !== undefined && tf.scenario !== loaded.scenario.name) return fail('PL6106', tf.scenario, loaded.scenario.name);
  const world = new KernelWorld(loaded.spec);
  const r = renderTrace(world, tf.trace);
  if ('error' in r) return fail('PL6105', r.error);
  const report = {
    mode: 'replay' as const, name: loaded.scenario.name, file: loaded.file, spec: loaded.spec, fileSpec: loaded.scenario.spec, expect: loaded.scenario.expect,
    verdict: r.violation ? ('unsafe' as const) : ('safe' as const), violation: r.violation,
    actions: tf.trace.slice(0, r.steps.length), steps: withSourceText(r.steps, loaded.text), timing: false,
  };
  if (opts.html !== '-') host.out(opts.json ? reportJson(report) : opts.format === 'mail' ? reportMail(report) : reportText(report));
  if (opts.html !== undefined) {
    const bad = writeTracePage(host, world, opts.html, {
      name: loaded.scenario.name, file: loaded.file, arch: loaded.spec.arch, headline: verdictLine(report),
      bounds: formatBounds(loaded.spec.bounds, loaded.spec), knobs: formatKnobs(loaded.spec.knobs), actions: report.actions,
    }, loaded.text);
    if (bad !== undefined) return bad;
  }
  return r.violation ? EXIT.unsafe : EXIT.ok;
}

/** `0,2,1` from the command line, or a `check --trace-out` file. */
function readTrace(host: Host, arg: string): TraceFile | undefined {
  if (/^\s*\d+(\s*,\s*\d+)*\s*$/.test(arg)) {
    return { overrides: NO_OVERRIDES, trace: arg.split(',').map((x) => Number(x.trim())), where: '<command line>' };
  }
  if (/^[\d,\s]*$/.test(arg) && !arg.trim()) return { overrides: NO_OVERRIDES, trace: [], where: '<command line>' };
  const input = readInput(host, arg);
  if (!input) return undefined;
  const bad = (why: string) => {
    host.err(formatDiagnostic(makeDiagnostic('PL6104', { file: input.name, line: 1, col: 1 }, input.name, why)) + '\n');
    return undefined;
  };
  let j: unknown;
  try {
    j = JSON.parse(input.text);
  } catch (e) {
    return bad(`not JSON (${(e as Error).message})`);
  }
  if (typeof j !== 'object' || j === null) return bad('expected a JSON object');
  const o = j as Record<string, unknown>;
  if (o.schema !== undefined && o.schema !== TRACE_SCHEMA) return bad(`schema ${JSON.stringify(o.schema)}, expected ${TRACE_SCHEMA}`);
  if (!Array.isArray(o.trace) || !o.trace.every((x) => Number.isInteger(x) && x >= 0)) return bad('`trace` must be a list of action indices');
  if (o.scenario !== undefined && typeof o.scenario !== 'string') return bad('`scenario` must be a string');
  if (o.file !== undefined && (typeof o.file !== 'string' || o.file === '')) return bad('`file` must be a path');
  const bounds: Partial<Record<keyof Bounds, number>> = {};
  if (o.bounds !== undefined) {
    if (typeof o.bounds !== 'object' || o.bounds === null) return bad('`bounds` must be an object');
    for (const [k, v] of Object.entries(o.bounds)) {
      if (!(BOUND_NAMES as readonly string[]).includes(k) || !Number.isInteger(v)) return bad(`bound ${k}=${JSON.stringify(v)}`);
      // Held to --bound's range: a trace file with cpus=100000 would otherwise run out of memory.
      const range = boundOutOfRange(k, v as number);
      if (range) {
        host.err(formatDiagnostic(makeDiagnostic('PL6102', { file: input.name, line: 1, col: 1 }, ...range)) + '\n');
        return undefined;
      }
      bounds[k as keyof Bounds] = v as number;
    }
  }
  // The file lists every knob that was on: those on, the others off (a knob the scenario sets may have been
  // turned off with --knob NAME=off). Without a list, the scenario's knobs stand.
  const knobs: Partial<Record<keyof FetchKnobs, boolean>> = {};
  if (Array.isArray(o.knobs)) for (const k of Object.keys(KNOB_NAMES) as (keyof FetchKnobs)[]) knobs[k] = false;
  for (const name of Array.isArray(o.knobs) ? o.knobs : []) {
    const field = (Object.keys(KNOB_NAMES) as (keyof FetchKnobs)[]).find((k) => KNOB_NAMES[k] === name);
    if (!field) return bad(`unknown knob ${JSON.stringify(name)}`);
    knobs[field] = true;
  }
  const file = typeof o.file === 'string' ? (arg === '-' ? o.file : join(dirname(arg), o.file)) : undefined;
  return { scenario: o.scenario as string | undefined, ...(file !== undefined ? { file } : {}), overrides: { bounds, knobs }, trace: o.trace as number[], where: input.name };
}
