// herd7-style litmus tests on patchlab's machine (`patchlab litmus`): parse a test in the catalogue's
// syntax (litmus-syntax.ts, litmus-values.ts), load it (litmus-load.ts), explore every interleaving and
// every fetch choice (states merged by fingerprint), and count the final states that satisfy the
// condition, as herd7 does. A thread ends when it runs past the last instruction of the code it runs, its
// own or another thread's that it branched into (herd7 runs the code at a branch's target), or at a fault
// it has no handler for (litmus-faults.ts; the faults taken are part of the state); depth first over
// distinct states; a final state counts as positive when the condition's body holds in it.
// The machine is the arm64 model of docs/model.md section 3, under strictFetch (herd7's `-variant ifetch`)
// and the knobs the test's CacheType names. A `RISCV NAME` test runs on the riscv64 model instead (its
// threads assembled under `.option norvc`, registers by their ABI or x names), under the riscv knobs
// given (`riscv.ziccif`, `riscv.ziccid`; none: Zifencei only).

import type { Diagnostic } from '../base/diagnostics.js';
import { DEFAULT_KNOBS, type FetchKnobs } from '../machine/fetch.js';
import { fetchOptions, fingerprintSmp, stepCpu, type SmpState } from '../machine/step.js';
import { faultKey, raisedFault, returnFromFault, takeFault, withFault, type FaultRecord } from './litmus-faults.js';
import { loadLitmus } from './litmus-load.js';
import { AARCH64, type Litmus } from './litmus-syntax.js';

/** A thread that has not ended after this many steps of one execution is reported (a loop herd7 would unroll). */
const MAX_DEPTH = 400;

/** The knobs a test runs under: strictFetch (herd7's model), and its CacheType (DIC implies IDC, as the catalogue's folders say). */
export function litmusKnobs(t: Litmus, base: FetchKnobs = DEFAULT_KNOBS): FetchKnobs {
  if (t.arch !== AARCH64) return base;
  return { ...base, strictFetch: true, arm64Idc: /\b(IDC|DIC)\b/.test(t.cacheType) || base.arm64Idc, arm64Dic: /\bDIC\b/.test(t.cacheType) || base.arm64Dic };
}

export interface LitmusResult {
  readonly name: string;
  readonly quantifier: Litmus['quantifier'];
  readonly condition: string;
  /** Distinct final states, and how many satisfy the condition's body. */
  readonly states: number;
  readonly positive: number;
  readonly negative: number;
  /** Some execution fetched a word outside Arm's permitted set while its window held two values. */
  readonly unpredictable: boolean;
  /** Some execution could not go on (a stop that is no fault herd7 names, or past the depth limit): the counts miss it. */
  readonly stuck: boolean;
  /** herd7's words: `Ok` when the condition holds as quantified. */
  readonly ok: boolean;
  readonly observation: 'Never' | 'Sometimes' | 'Always';
}

export function runLitmus(t: Litmus, knobs: FetchKnobs): { ok: true; result: LitmusResult } | { ok: false; diagnostics: Diagnostic[] } {
  const loaded = loadLitmus(t, knobs);
  if (!loaded.ok) return loaded;
  const { s0, ends, threadEnds, handlers, holds } = loaded.image;
  const machine = t.arch.machine;
  const cpus = s0.machine.cpus;
  const seen = new Set<string>();
  const finals = new Set<string>();
  let positive = 0, negative = 0, unpredictable = false, stuck = false;
  // A state of the search: the machine and the faults taken so far (herd7's final states list them).
  const stack: [SmpState, readonly FaultRecord[], number][] = [[s0, [], 0]];
  while (stack.length > 0) {
    const [s, faults, depth] = stack.pop()!;
    const key = fingerprintSmp(s).digest().toString() + faults.map(faultKey).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    const live = s.machine.cpus.map((c) => !ends.includes(c.pc));
    if (!live.some(Boolean)) {
      // A late fetch no store kept: not an execution (docs/model.md section 3).
      if (s.machine.windows.promises.length > 0) continue;
      finals.add(key);
      if (holds(s, faults)) positive++;
      else negative++;
      continue;
    }
    if (depth > MAX_DEPTH) { stuck = true; continue; }
    for (let i = 0; i < cpus.length; i++) {
      if (!live[i]) continue;
      const f = fetchOptions(s, machine, i, knobs);
      if (f.kind === 'unpredictable') { unpredictable = true; continue; }
      if (f.kind !== 'ok') { stuck = true; continue; }
      const pc = s.machine.cpus[i].pc;
      for (let c = 0; c < f.options.length; c++) {
        const r = stepCpu(s, machine, i, c, knobs);
        const out = r.event.kind === 'executed' ? r.event.outcome.kind : undefined;
        if (out === 'next' || out === 'sync' || out === 'barrier' || out === 'cache') { stack.push([r.state, faults, depth + 1]); continue; }
        if (out === 'exception-return' && handlers[i]) { stack.push([returnFromFault(r.state, i), faults, depth + 1]); continue; }
        const raised = raisedFault(r.event, pc, r.state.machine.cpus[i].pc);
        if (!raised) { stuck = true; continue; }
        // Into the handler, unless the fault is the handler's own (then, as without one, the thread ends).
        const h = handlers[i];
        const inHandler = h !== undefined && pc >= h.start && pc < h.end;
        const next = takeFault(r.state, machine, i, raised, inHandler ? undefined : h?.start, threadEnds[i], knobs);
        stack.push([next, withFault(faults, { thread: i, pc: raised.pc, type: raised.type, address: raised.address }), depth + 1]);
      }
    }
  }
  const ok = t.quantifier === 'exists' ? positive > 0 : t.quantifier === '~exists' ? positive === 0 : negative === 0;
  const observation = positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes';
  return { ok: true, result: { name: t.name, quantifier: t.quantifier, condition: t.cond.text.replace(/\s+/g, ' '), states: finals.size, positive, negative, unpredictable, stuck, ok, observation } };
}

/** herd7's verdict (its `kinds`): `Required` when a `forall` holds, else whether the condition's body was seen. */
export function litmusVerdict(r: LitmusResult): 'Allowed' | 'Forbidden' | 'Required' {
  return r.quantifier === 'forall' ? (r.ok ? 'Required' : 'Allowed') : r.positive > 0 ? 'Allowed' : 'Forbidden';
}

/** herd7's words for one result. */
export function formatLitmus(r: LitmusResult, knobs: string): string {
  const verdict = litmusVerdict(r);
  const out = [
    `Test ${r.name} ${verdict}`,
    `States ${r.states}`,
    r.ok ? 'Ok' : 'No',
    'Witnesses',
    `Positive: ${r.positive} Negative: ${r.negative}`,
    `Condition ${r.quantifier} ${r.condition}`,
    `Observation ${r.name} ${r.observation} ${r.positive} ${r.negative}`,
  ];
  if (r.unpredictable) out.push('Unpredictable: some execution fetched, while its window held two values, a word outside Arm\'s permitted set (CONSTRAINED UNPREDICTABLE; not counted)');
  if (r.stuck) out.push('Incomplete: some execution could not go on (BRK, an unsupported instruction, a misaligned access, a fetch outside code, or a loop past the depth limit): not counted');
  out.push(`Knobs ${knobs}`);
  return out.join('\n') + '\n';
}
