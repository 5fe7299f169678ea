// `patchlab cost FILE`: what a call through each call site costs (instructions, branches, loads), before and
// after the patcher's updates, and what each update costs (stores, IPIs, maintenance, grace periods, stop_machine).

import { COST_MAX_STEPS, measureCallCosts, updateCosts, type CallCost, type UnfinishedCall, type UpdateCost } from '../../verify/world-model.js';
import { formatBounds, formatCallCosts, formatUpdateCosts, knobsOn } from '../../verify/world-report.js';
import { KernelWorld } from '../../kernel/world.js';
import { EXIT, type Host } from '../host.js';
import { loadScenario, type Overrides } from '../scenario-input.js';

export interface CostReport {
  readonly before: readonly CallCost[];
  readonly after: readonly CallCost[];
  readonly updates: readonly UpdateCost[];
  /** Calls that did not return (before or after the updates): not measured, and said so. */
  readonly unfinished: readonly (UnfinishedCall & { readonly phase: 'before' | 'after' })[];
}

export function measureCost(world: KernelWorld, maxSteps = COST_MAX_STEPS): CostReport {
  const before: UnfinishedCall[] = [], after: UnfinishedCall[] = [];
  const report = { before: measureCallCosts(world, 'before', maxSteps, before), after: measureCallCosts(world, 'after', maxSteps, after), updates: updateCosts(world) };
  return { ...report, unfinished: [...before.map((u) => ({ ...u, phase: 'before' as const })), ...after.map((u) => ({ ...u, phase: 'after' as const }))] };
}

/** `patchers`: how many of the CPUs are patchers' (the IPIs go to the others). */
export function formatCost(c: CostReport, cpus: number, patchers = 1): string {
  const whose = patchers === 1 ? "the patcher's" : `the ${patchers} patchers'`;
  return [
    'cost of a call, before the updates (each task alone, no interrupts):',
    formatCallCosts(c.before).trimEnd(),
    'cost of a call, after the updates:',
    formatCallCosts(c.after).trimEnd(),
    `cost of the updates (${cpus} CPUs: ${whose} and ${cpus - patchers} more):`,
    formatUpdateCosts(c.updates).trimEnd(),
    ...c.unfinished.map((u) => `not measured (${u.phase} the updates): ${u.runner}'s call ${u.entry}: ${u.reason}`),
  ].join('\n') + '\n';
}

export function runCost(host: Host, opts: { json: boolean; maxSteps: number; bound: Overrides['bounds']; knob: Overrides['knobs'] }, file: string): number {
  const loaded = loadScenario(host, file, { bounds: opts.bound, knobs: opts.knob });
  if (!loaded) return EXIT.badInput;
  const world = new KernelWorld(loaded.spec);
  const cost = measureCost(world, opts.maxSteps);
  if (opts.json) {
    host.out(JSON.stringify({ schema: 'patchlab.cost/1', scenario: { name: loaded.scenario.name, file: loaded.file, arch: loaded.spec.arch }, bounds: loaded.spec.bounds, knobs: knobsOn(loaded.spec.knobs), ...cost }, null, 2) + '\n');
  } else {
    host.out(`cost of ${loaded.scenario.name} (${loaded.file}, ${loaded.spec.arch}; bounds ${formatBounds(loaded.spec.bounds, loaded.spec)})\n` + formatCost(cost, loaded.spec.bounds.cpus, loaded.spec.patchers.length));
  }
  // A call that was not measured makes the answer incomplete, as a check that hit a limit.
  return cost.unfinished.length > 0 ? EXIT.incomplete : EXIT.ok;
}
