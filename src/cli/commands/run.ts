// `patchlab run FILE`: one forward execution with a seeded random schedule; what each task's calls reached,
// the patcher's steps, and any violation on the way.

import { InternalError } from '../../base/assert.js';
import { formatCallDone, formatBounds, formatKnobs, formatTraceColumns, formatViolation, knobsOn, stepLines } from '../../verify/world-report.js';
import { simulate } from '../../checker/random.js';
import { renderTrace, type TraceStep } from '../../verify/world-model.js';
import { KernelWorld } from '../../kernel/world.js';
import { withSourceText } from '../check-report.js';
import { EXIT, type Host } from '../host.js';
import { loadScenario, type Overrides } from '../scenario-input.js';
import { formatCost, measureCost } from './cost.js';

export interface RunCliOptions {
  readonly seed: number;
  readonly steps: number;
  readonly json: boolean;
  readonly cost: boolean;
  readonly trace: boolean;
  readonly bound: Overrides['bounds'];
  readonly knob: Overrides['knobs'];
}

export function runRun(host: Host, opts: RunCliOptions, file: string): number {
  const loaded = loadScenario(host, file, { bounds: opts.bound, knobs: opts.knob });
  if (!loaded) return EXIT.badInput;
  const { spec, scenario } = loaded;
  const world = new KernelWorld(spec);
  const sim = simulate(world, opts.seed, opts.steps, { describe: false });
  const run = { trace: sim.trace, violation: sim.violation, outcome: sim.end === 'max-steps' ? ('steps' as const) : sim.end };
  const r = renderTrace(world, run.trace);
  if ('error' in r) throw new InternalError(`run: the random trace does not replay: ${r.error}`);
  const used = r.final.used;
  const patcher = r.steps.filter((s) => s.kind === 'patcher');
  const calls = r.steps.filter((s) => s.callDone);
  const cost = opts.cost ? measureCost(world) : undefined;
  const outcome = run.outcome === 'finished' ? 'completed: every task and the patcher finished'
    : run.outcome === 'steps' ? `stopped after ${opts.steps} steps (raise --steps)`
    : `violation: ${formatViolation(run.violation!)}`;
  if (opts.json) {
    host.out(JSON.stringify({
      schema: 'patchlab.run/1', scenario: { name: scenario.name, file: loaded.file, arch: spec.arch }, seed: opts.seed,
      bounds: spec.bounds, knobs: knobsOn(spec.knobs), outcome: run.outcome,
      violation: run.violation ? { kind: run.violation.kind, message: run.violation.message, cpu: run.violation.cpu ?? null, task: run.violation.task ?? null } : null,
      steps: r.steps.length, used, actions: run.trace,
      patcher: patcher.map((s) => ({ step: s.index + 1, cpu: s.column, label: s.text, ...(s.store ? { store: s.store } : {}) })),
      calls: calls.map((s) => ({ step: s.index + 1, ...s.callDone! })),
      ...(opts.trace ? { trace: r.steps } : {}),
      ...(cost ? { cost } : {}),
    }, null, 2) + '\n');
  } else {
    const out: string[] = [
      `run ${scenario.name} (${loaded.file}, ${spec.arch}) with seed ${opts.seed}: ${r.steps.length} steps`,
      `bounds    ${formatBounds(spec.bounds, spec)} (used: interrupts=${used.interrupts} preemptions=${used.preemptions} nmis=${used.nmis})`,
      `knobs     ${formatKnobs(spec.knobs)}`,
      // A section per patcher, on its CPU (patcher i runs on CPU i).
      ...spec.patchers.flatMap((p, i) => {
        const mine = patcher.filter((s) => s.column === i);
        return ['', spec.patchers.length === 1 ? 'patcher (CPU 0):' : `patcher ${p.name} (CPU ${i}):`, ...(mine.length ? mine.flatMap((s) => indentStep(s)) : ['  (no steps)'])];
      }),
      '', 'calls:',
      ...(calls.length ? calls.map((s) => `  step ${String(s.index + 1).padStart(4)}  ${s.callDone!.runner} on CPU ${s.callDone!.cpu}: ${formatCallDone(s.callDone!)}`) : ['  (none returned)']),
    ];
    if (opts.trace) out.push('', 'trace:', formatTraceColumns(withSourceText(r.steps, loaded.text), spec).trimEnd());
    out.push('', outcome);
    if (cost) out.push('', formatCost(cost, spec.bounds.cpus, spec.patchers.length).trimEnd());
    host.out(out.join('\n') + '\n');
  }
  return run.outcome === 'finished' ? EXIT.ok : run.outcome === 'violation' ? EXIT.unsafe : EXIT.incomplete;
}

function indentStep(s: TraceStep): string[] {
  const [first, ...rest] = stepLines(s);
  return [`  step ${String(s.index + 1).padStart(4)}  ${first}`, ...rest.map((l) => `             ${l}`)];
}
