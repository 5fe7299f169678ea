// Visibility per key (MODEL.md section 5): `visible=eventually` turns off stale-after-update for one key
// and nothing else. The examples under examples/visibility are checked by examples.test.ts; here, the
// variants that show what each one's verdict rests on. Each unsafe case: verdict, kind, and the replay.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import { replay } from '../src/checker/replay.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';

const DIR = join(import.meta.dirname, '..', 'examples', 'visibility');
const read = (file: string) => readFileSync(join(DIR, file), 'utf8');

/** Replace `from` (which must be there) by `to`. */
function edit(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

function check(text: string) {
  const r = parseAndLower(text, 'test.scn');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  const world = new KernelWorld(r.scenario.spec);
  const result = bfs(world, { maxStates: 1_000_000 });
  return { world, result };
}

function expectUnsafe(text: string, kind: string): string {
  const { world, result } = check(text);
  expect(result.verdict).toBe('unsafe');
  expect(result.violation?.kind, result.violation?.message).toBe(kind);
  const again = replay(world, result.trace, { describe: false });
  expect(again.ok && again.violation?.kind).toBe(kind);
  return result.violation!.message;
}

describe('the ftrace-style key (arm64, strictFetch)', () => {
  const eventual = read('arm64-ftrace-eventual.scn');
  const onReturn = read('arm64-ftrace-on-return.scn');

  it('is the same scenario both ways but for the visibility (and name and expect lines)', () => {
    const strip = (t: string) => t.split('\n').filter((l) => !/^(scenario|expect) /.test(l)).join('\n').replace(' visible=eventually', '');
    expect(strip(eventual)).toBe(strip(onReturn));
  });

  it('eventually: safe; on return: a call that began after the update reached the old tracer', () => {
    expect(check(eventual).result.verdict).toBe('safe');
    const msg = expectUnsafe(onReturn, 'stale-after-update');
    expect(msg).toMatch(/through ftrace_func reached ftrace_stub; its target was my_tracer \(the call began after the update returned\)$/);
  });

  it('`visible=on-return` written out is the default', () => {
    expectUnsafe(edit(eventual, 'ftrace_stub visible=eventually', 'ftrace_stub visible=on-return'), 'stale-after-update');
  });

  /** The example with a second tracer, other_tracer, beside my_tracer. */
  const twoTracers = edit(eventual, 'my_tracer:', 'other_tracer:\n        add w0, w0, #2\n        ret\n        .size other_tracer, .-other_tracer\nmy_tracer:');
  const update = (to: string, word: string) => `    update ftrace_func -> ${to}\n        aarch64_insn_patch_text_nosync ftrace_call, "bl ${word}"\n    end\n`;
  const withUpdates = (...updates: string[]) => edit(twoTracers, update('my_tracer', 'my_tracer'), updates.join(''));

  it('eventually still checks wrong-target: a function the key never had', () => {
    // other_tracer is no target of the key: the call ran none of its targets.
    const msg = expectUnsafe(withUpdates(update('my_tracer', 'other_tracer')), 'wrong-target');
    expect(msg).toMatch(/through ftrace_func returned without running (ftrace_stub or my_tracer|my_tracer)$/);
  });

  it('eventually allows every target the key has had, and no later one', () => {
    // stub → my_tracer → other_tracer → stub, each word written by its own update: safe, old targets included.
    expect(check(withUpdates(update('my_tracer', 'my_tracer'), update('other_tracer', 'other_tracer'), update('ftrace_stub', 'ftrace_stub'))).result.verdict).toBe('safe');
    // The first update writes the second update's word: other_tracer is not a target yet.
    const msg = expectUnsafe(withUpdates(update('my_tracer', 'other_tracer'), update('other_tracer', 'other_tracer')), 'wrong-target');
    expect(msg).toMatch(/reached other_tracer; its target was ftrace_stub or my_tracer$/);
  });
});

describe('a call after an update, without wait_update (x86-64)', () => {
  const text = read('x86-64-call-after-update-no-wait.scn');
  const store = '        store tramp, 8, 0xcccccc << 40 | ((func_b - (tramp + 5)) & 0xffffffff) << 8 | 0xe9\n';

  it('reaches the old target after the update returned: stale-after-update', () => {
    expect(expectUnsafe(text, 'stale-after-update')).toMatch(/through sc reached func_a; its target was func_b \(the call began after the update returned\)$/);
  });

  it('is safe once the update serializes the other CPU (sync_core before it returns)', () => {
    expect(check(edit(text, store, `${store}        sync_core\n`)).result.verdict).toBe('safe');
  });

  it('is safe with the key visible eventually', () => {
    expect(check(edit(text, 'key sc = func_a', 'key sc = func_a visible=eventually')).result.verdict).toBe('safe');
  });
});
