// The built-in word patchers against the same steps written by hand: every example that uses
// patch_instruction or aarch64_insn_patch_text_nosync as a statement is checked again with each such
// statement replaced by a raw store and the kernel's maintenance, one step per instruction. The
// built-ins do those instructions back to back in one transition; the hand-written steps let the CPUs
// run between them. MODEL.md section 3 makes a CPU certain only once the whole sequence completed, so
// the extra interleavings must change no verdict and no violation kind.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import { replay } from '../src/checker/replay.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';

const EXAMPLES = join(import.meta.dirname, '..', 'examples');
const BUILT_IN = /^(\s*)(patch_instruction|aarch64_insn_patch_text_nosync)\s+(.+?),\s*(".*")\s*(#.*)?$/;

/** The kernel's maintenance after one word store, as statements (arm64 without the ISB: see text-patching.ts). */
const BY_HAND: Readonly<Record<string, (address: string) => string[]>> = {
  patch_instruction: (a) => [`dcbst ${a}`, 'sync', `icbi ${a}`, 'sync', 'isync'],
  aarch64_insn_patch_text_nosync: (a) => [`dc_cvau ${a}`, 'dsb_ish', `ic_ivau ${a}`, 'dsb_ish'],
};

function byHand(text: string): string {
  return text.split('\n').flatMap((line) => {
    const m = BUILT_IN.exec(line);
    if (!m) return [line];
    const [, indent, primitive, address, insn] = m;
    return [`store ${address}, ${insn}`, ...BY_HAND[primitive](address)].map((s) => indent + s);
  }).join('\n');
}

function check(text: string, file: string) {
  const lowered = parseAndLower(text, file);
  if (!lowered.ok) throw new Error(lowered.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  const world = new KernelWorld(lowered.scenario.spec);
  return { world, result: bfs(world, { maxStates: 3_000_000 }), expected: lowered.scenario.expect };
}

const files = ['seeds', 'visibility'].flatMap((folder) => readdirSync(join(EXAMPLES, folder)).filter((f) => f.endsWith('.scn')).sort()
  .map((f) => join(folder, f)))
  .filter((f) => readFileSync(join(EXAMPLES, f), 'utf8').split('\n').some((l) => BUILT_IN.test(l)));

describe('built-in word patchers = the same maintenance written as steps', () => {
  it('finds the examples that use them', () => expect(files.length).toBeGreaterThanOrEqual(10));

  it.each(files)('%s: the same verdict and kind with the steps written out; the trace replays', (file) => {
    const text = readFileSync(join(EXAMPLES, file), 'utf8');
    const rewritten = byHand(text);
    expect(rewritten).not.toBe(text);
    const original = check(text, file).result;
    const { world, result, expected } = check(rewritten, file);
    expect(result.verdict, result.violation?.message).toBe(original.verdict);
    expect(result.violation?.kind).toBe(original.violation?.kind);
    expect(result.verdict).toBe(expected.verdict);
    if (result.violation) {
      const again = replay(world, result.trace, { describe: false });
      expect(again.ok && again.violation?.kind).toBe(result.violation.kind);
    }
  }, 120_000);
});
