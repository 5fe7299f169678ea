// A scenario file read, lowered and adjusted by the command line (`--bound`, `--knob`), for check, run, replay and cost.

import { formatDiagnostic, type Diagnostic } from '../base/diagnostics.js';
import { BOUND_NAMES, KNOB_NAMES } from '../verify/world-report.js';
import type { Bounds, WorldSpec } from '../kernel/spec.js';
import type { FetchKnobs } from '../machine/fetch.js';
import { parseAndLower, type LoweredScenario, type LowerLimits } from '../scenario/lower.js';
import { UsageError } from './args.js';
import type { Host } from './host.js';
import { tryReadInput } from './input.js';

/** What the command line changes in a scenario; plain data, so a worker can apply it again. */
export interface Overrides {
  readonly bounds: Partial<Record<keyof Bounds, number>>;
  /** Knobs set on (`--knob NAME`) or off (`--knob NAME=off`); a knob not named keeps the file's setting. */
  readonly knobs: KnobSettings;
}

export type KnobSettings = Readonly<Partial<Record<keyof FetchKnobs, boolean>>>;

export const NO_OVERRIDES: Overrides = { bounds: {}, knobs: {} };

export interface LoadedScenario {
  /** The file as named in diagnostics. */
  readonly file: string;
  readonly text: string;
  readonly scenario: LoweredScenario;
  /** The scenario's spec with the overrides applied. */
  readonly spec: WorldSpec;
}

/** A bound beyond this is a typo, not a model anyone can check (as in the scenario language). */
const MAX_BOUND = 64;

/** The one range rule for `--bound` and a trace file's bounds: PL6102's arguments when N is out of range. */
export function boundOutOfRange(name: string, n: number): [string, string, number] | undefined {
  if (n < 0) return [name, 'at least 0', n];
  if (n > MAX_BOUND) return [name, `at most ${MAX_BOUND}`, n];
  return undefined;
}

/** `--bound NAME=N`, repeatable: commander's argParser. */
export function parseBound(v: string, prev: Overrides['bounds'] = {}): Overrides['bounds'] {
  const m = /^\s*([a-z]+)\s*=\s*([0-9]+)\s*$/.exec(v);
  if (!m || !(BOUND_NAMES as readonly string[]).includes(m[1])) throw new UsageError('PL6101', [v, BOUND_NAMES.join(', ')], v);
  const n = Number(m[2]);
  const range = boundOutOfRange(m[1], n);
  if (range) throw new UsageError('PL6102', range, v);
  return { ...prev, [m[1]]: n };
}

/** `--knob NAME` (or `NAME=on`) turns a knob on, `--knob NAME=off` off; repeatable, the last setting of a knob wins. */
export function parseKnob(v: string, prev: KnobSettings = {}): KnobSettings {
  const m = /^\s*([A-Za-z0-9_.]+)\s*(?:=\s*([A-Za-z]*)\s*)?$/.exec(v);
  if (!m || (m[2] !== undefined && m[2] !== 'on' && m[2] !== 'off')) throw new UsageError('PL6200', [v], v);
  const field = (Object.keys(KNOB_NAMES) as (keyof FetchKnobs)[]).find((k) => KNOB_NAMES[k] === m[1]);
  if (!field) throw new UsageError('PL6103', [m[1], Object.values(KNOB_NAMES).join(', ')], v);
  return { ...prev, [field]: m[2] !== 'off' };
}

/** The spec with the bounds replaced and the knobs set; a bound the world cannot have is a usage error. */
export function applyOverrides(spec: WorldSpec, o: Overrides): WorldSpec {
  const cpus = o.bounds.cpus;
  const min = spec.tasks.length > 0 ? 2 : 1;
  if (cpus !== undefined && cpus < min) throw new UsageError('PL6102', ['cpus', `at least ${min} (the patcher's CPU and one for the tasks)`, cpus], `cpus=${cpus}`);
  const knobs = { ...spec.knobs };
  for (const k of Object.keys(o.knobs) as (keyof FetchKnobs)[]) knobs[k] = o.knobs[k] === true;
  return { ...spec, bounds: { ...spec.bounds, ...o.bounds }, knobs };
}

/** Read and lower FILE, printing diagnostics on failure (the caller exits 2). */
export function loadScenario(host: Host, path: string, o: Overrides): LoadedScenario | undefined {
  const r = readScenario(host, path, o);
  if ('diagnostics' in r) {
    for (const d of r.diagnostics) host.err(formatDiagnostic(d) + '\n');
    return undefined;
  }
  return r;
}

/**
 * Read and lower FILE; its problems come back as diagnostics, not printed (a catalogue check lists them per
 * file). A file that cannot be read is PL6002 at its line 1; a bound the world cannot have stays a UsageError.
 */
export function readScenario(host: Host, path: string, o: Overrides, limits: LowerLimits = {}): LoadedScenario | { readonly diagnostics: readonly Diagnostic[] } {
  const input = tryReadInput(host, path);
  if ('diagnostic' in input) return { diagnostics: [input.diagnostic] };
  const r = parseAndLower(input.text, input.name, undefined, limits);
  if (!r.ok) return { diagnostics: r.diagnostics };
  return { file: input.name, text: input.text, scenario: r.scenario, spec: applyOverrides(r.scenario.spec, o) };
}
