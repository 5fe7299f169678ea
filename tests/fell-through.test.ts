// `fell-through` as src/kernel/execute.ts raises it (docs/scenario-language.md, "Code objects"): leaving
// an object sequentially names the object the pc entered, or says the bytes belong to none; a step that
// begins in bytes of no object says so. Each case: the verdict, the kind, the message, and the replay.

import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import { replay } from '../src/checker/replay.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';

function check(code: string) {
  const text = `scenario t\narch x86-64\nexpect unsafe fell-through\ncode\n        .text\n${code}\nend\ntask T1\n    call f(1)\nend\n`;
  const r = parseAndLower(text, 't.scn');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  const world = new KernelWorld(r.scenario.spec);
  const result = bfs(world);
  expect(result.verdict).toBe('unsafe');
  expect(result.violation?.kind).toBe('fell-through');
  const again = replay(world, result.trace, { describe: false });
  expect(again.ok && again.violation?.kind).toBe('fell-through');
  return result.violation!.message;
}

describe('fell-through', () => {
  it('names the object the pc ran into when it leaves one sequentially', () => {
    // f has a size: its last instruction is not a return, so the CPU runs on into g.
    const msg = check('f:      nop\n        .size f, .-f\ng:      ret\n        .size g, .-g');
    expect(msg).toMatch(/^T1 ran past the end of f at 0x[0-9a-f]+, into g$/);
  });

  it('says the bytes belong to nothing when the pc runs into bytes outside every object', () => {
    // The second nop follows f's size and precedes g: it is in no object.
    const msg = check('f:      nop\n        .size f, .-f\n        nop\ng:      ret\n        .size g, .-g');
    expect(msg).toMatch(/^T1 ran past the end of f at 0x[0-9a-f]+, into bytes that belong to no function or trampoline$/);
  });

  it('says so when a step begins in bytes of no object (a return may go anywhere)', () => {
    // f returns to .Lpad, which is in no object; the next step there is the violation.
    const msg = check('f:      lea .Lpad(%rip), %rax\n        push %rax\n        ret\n        .size f, .-f\n.Lpad:  nop\ng:      ret\n        .size g, .-g');
    expect(msg).toMatch(/^T1 executed 0x[0-9a-f]+, bytes that belong to no function or trampoline$/);
  });
});
