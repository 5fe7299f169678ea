// The whole pipeline on mutated seed scenarios: whatever lowers cleanly must build a world and check
// (within a small state limit) without an exception — bad input is a diagnostic, an odd scenario is a
// verdict, never a stack trace. Mutations keep most files lowering, so the kernel sees odd worlds:
// other bounds, knobs, numbers, dropped or duplicated statements.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import { replay } from '../src/checker/replay.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';

const SEEDS = join(import.meta.dirname, '..', 'examples', 'seeds');
const BASES = readdirSync(SEEDS).filter((f) => f.endsWith('.scn')).sort().map((f) => readFileSync(join(SEEDS, f), 'utf8'));

/** One edit of a scenario's lines, chosen to stay mostly well-formed. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('number' as const), at: fc.nat(), value: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constantFrom(0x7fffffff, 0x10000, 4096, 63, 64)) }),
  fc.record({ kind: fc.constant('bounds' as const), line: fc.constantFrom('bounds cpus=3 preemptions=1', 'bounds cpus=2 nmis=1 interrupts=1', 'bounds cpus=4', 'bounds cpus=2 preemptions=2') }),
  fc.record({ kind: fc.constant('knobs' as const), line: fc.constantFrom('knobs strictFetch', 'knobs power.wordAtomicFetch x86.alignedAtomicFetch', 'knobs') }),
);

interface Edit {
  readonly kind: string;
  readonly at?: number;
  readonly value?: number;
  readonly line?: string;
}

function mutate(text: string, edits: readonly Edit[]): string {
  let lines = text.split('\n');
  for (const e of edits) {
    const at = (e.at ?? 0) % Math.max(1, lines.length);
    switch (e.kind) {
      case 'drop':
        lines.splice(at, 1);
        break;
      case 'dup':
        lines.splice(at, 0, lines[at]);
        break;
      case 'number':
        lines[at] = lines[at].replace(/\b\d+\b/, String(e.value));
        break;
      case 'bounds':
      case 'knobs': {
        const head = e.kind === 'bounds' ? /^bounds\b/ : /^knobs\b/;
        const i = lines.findIndex((l) => head.test(l));
        if (i >= 0) lines[i] = e.line!;
        else lines = [lines[0], e.line!, ...lines.slice(1)];
        break;
      }
    }
  }
  return lines.join('\n');
}

describe('the whole pipeline never throws on a mutated scenario', () => {
  it('lowers, builds a world, checks within 300 states and replays any trace found', () => {
    let lowered = 0;
    fc.assert(
      fc.property(fc.nat({ max: BASES.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 3 }), (base, edits) => {
        const text = mutate(BASES[base], edits);
        const r = parseAndLower(text, 'fuzz.scn');
        if (!r.ok) {
          const lines = text.split('\n').length;
          for (const d of r.diagnostics) expect(d.span.line).toBeLessThanOrEqual(lines + 1);
          return;
        }
        lowered++;
        const world = new KernelWorld(r.scenario.spec);
        const result = bfs(world, { maxStates: 300 });
        expect(['safe', 'unsafe', 'incomplete']).toContain(result.verdict);
        if (result.verdict === 'unsafe') {
          const again = replay(world, result.trace, { describe: true });
          expect(again.ok && again.violation?.kind).toBe(result.violation!.kind);
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: Number(process.env.FUZZ_SEED ?? 0x5eed) },
    );
    // Most mutants must reach the kernel, or this test checks only the parser.
    expect(lowered).toBeGreaterThan(100);
  }, 300_000);
});
