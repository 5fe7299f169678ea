// Passes over static_branch sites (MODEL.md §5), whole scenarios on arm64: the direction a pass takes
// means a value of the key (by the entry's branch bit), which must have been the key's during the pass,
// and the new one for a pass that began after the update returned, unless the key is visible eventually.

import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import { replay } from '../src/checker/replay.js';
import { formatDiagnostic } from '../src/base/diagnostics.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';

/** f: static_branch_unlikely (its site at f+4)(&sk) (`nop`, branch bit 0); h: static_branch_likely(&sk) of a false key (`b`, branch bit 1). */
const CODE = `code
        .text
f:      mov x1, #0                     // a task can stand at the site before it passes it
        .pushsection __jump_table, "aw"
        .align 3
        .long 1f - ., .Lf_true - .
        .quad sk - .
        .popsection
1:      nop
        mov x0, #0
        ret
.Lf_true:
        mov x0, #1
        ret
        .size f, .-f
h:      .pushsection __jump_table, "aw"
        .align 3
        .long 2f - ., .Lh_false - .
        .quad sk + 1 - .
        .popsection
2:      b .Lh_false
        mov x0, #1
        ret
.Lh_false:
        mov x0, #0
        ret
        .size h, .-h
g:      mov x0, #7
        ret
        .size g, .-g
end
`;

function check(key: string, task: string, patcher: string, bounds = 'cpus=2') {
  const text = `scenario t\narch arm64\nbounds ${bounds}\nexpect safe\n${CODE}${key}\ntask T1\n${task}\nend\npatcher\n${patcher}\nend\n`;
  const r = parseAndLower(text, 't.scn');
  if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  const world = new KernelWorld(r.scenario.spec);
  const result = bfs(world, { por: true, symmetry: true, collapse: true, maxStates: 100_000 });
  if (result.verdict === 'unsafe') {
    const again = replay(world, result.trace, { describe: false });
    expect(again.ok && again.violation?.kind).toBe(result.violation!.kind);
  }
  return { verdict: result.verdict, kind: result.violation?.kind, message: result.violation?.message ?? '' };
}

describe('a pass over a static_branch site', () => {
  it('that jumps where no update made the key true is wrong-target', () => {
    const r = check('static_key sk = false', '    static_branch f key=sk', '    aarch64_insn_patch_text_nosync f+4, "b .Lf_true"\n    sync_core');
    expect(r).toMatchObject({ verdict: 'unsafe', kind: 'wrong-target' });
    expect(r.message).toMatch(/passed sk's static_branch site at 0x10004 jumping to 0x10010 \(sk true\); sk was false/);
  });

  it('that takes either direction during the update that makes the key true is fine', () => {
    const r = check('static_key sk = false', '    static_branch f key=sk', '    update sk -> true\n        aarch64_insn_patch_text_nosync f+4, "b .Lf_true"\n        sync_core\n    end');
    expect(r.verdict).toBe('safe');
  });

  it('reads a jump at a likely site (branch bit 1) as false: after an update to true that wrote nothing, stale-after-update', () => {
    const r = check('static_key sk = false', '    wait_update sk 1\n    static_branch h key=sk', '    update sk -> true\n    end');
    expect(r).toMatchObject({ verdict: 'unsafe', kind: 'stale-after-update' });
    expect(r.message).toMatch(/site at 0x10018 jumping to 0x10024 \(sk false\); sk was true \(the pass began after the update returned\)/);
  });

  it('…and the same is allowed for a key visible eventually', () => {
    const r = check('static_key sk = false visible=eventually', '    wait_update sk 1\n    static_branch h key=sk', '    update sk -> true\n    end');
    expect(r.verdict).toBe('safe');
  });

  it('that leaves the site for neither successor is wrong-target, even at a function entry', () => {
    const r = check('static_key sk = false', '    static_branch f key=sk', '    update sk -> true\n        aarch64_insn_patch_text_nosync f+4, "b g"\n        sync_core\n    end');
    expect(r).toMatchObject({ verdict: 'unsafe', kind: 'wrong-target' });
    expect(r.message).toMatch(/and went to 0x1002c: neither its jump target 0x10010 nor the instruction after it/);
  });

  it('is not checked in a plain call (no key): only `static_branch` watches the sites', () => {
    const r = check('static_key sk = false', '    call f', '    aarch64_insn_patch_text_nosync f+4, "b .Lf_true"\n    sync_core');
    expect(r.verdict).toBe('safe');
  });

  it('of a likely site by the library: static_branch_enable turns its `b` into `nop`, and the task sees true', () => {
    const r = check('static_key sk = false', '    wait_update sk 1\n    static_branch h key=sk expect=1', '    static_branch_enable sk', 'cpus=2 preemptions=1');
    expect(r.verdict).toBe('safe');
  });

  it('in a module loaded after the key changed: jump_label_add_module writes the module\'s site for the current value', () => {
    const text = `scenario t\narch arm64\nknobs strictFetch\nbounds cpus=2\nexpect safe\nmodule m .text.m
code
        .section .text.m, "ax"
m_f:    mov x0, #0
        .pushsection __jump_table, "aw"
        .align 3
        .long 1f - ., .Lm_true - .
        .quad sk - .
        .popsection
1:      nop
        ret
.Lm_true:
        mov x0, #1
        ret
        .size m_f, .-m_f
end
static_key sk = false
task T1
    wait_module m
    static_branch m_f key=sk expect=1
end
patcher
    static_branch_enable sk
    module_load m
end
`;
    const r = parseAndLower(text, 't.scn');
    if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
    const steps = r.scenario.spec.patchers[0].program.map((o) => o.step);
    // The enable skips the site (the module is not loaded); the load writes it, early, for `true`.
    expect(steps).toEqual([
      'static_branch_enable(sk): begin', 'static_branch_enable(sk): return',
      'module_load m 1/3: its sections copied in (not executable yet)',
      'module_load m 2/3: jump_label_add_module: text_poke_early: memcpy while nothing runs',
      'module_load m 3/3: its text executable; the module is live',
    ]);
    const result = bfs(new KernelWorld(r.scenario.spec), { por: true, symmetry: true, collapse: true, maxStates: 100_000 });
    expect(result.verdict, result.violation?.message).toBe('safe');
  });
});
