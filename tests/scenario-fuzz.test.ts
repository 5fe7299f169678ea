// Thousands of mutated scenario texts through the parser and lowering: diagnostics inside the input, never an exception.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAndLower } from '../src/scenario/lower.js';

const PPC32 = `scenario ppc32-ool-4insn   # seed 000
arch ppc32
knobs power.wordAtomicFetch
bounds cpus=2 interrupts=0 preemptions=0 nmis=0
expect unsafe fell-through|wrong-target
section .text.far at 0x4000000
code
    .text
    .globl func_a
func_a: addi 3,3,1
        blr
        .size func_a, .-func_a
tramp:  blr
        nop
        nop
        nop
        .size tramp, .-tramp
        .section .text.far, "ax"
far_a:  addi 3,3,2
        blr
end
key sc = NULL
static_call sc2 = func_a ool
group pv sc sc2
task T1 T2
    set r2 = func_a+4
    call tramp(2) key=sc expect=3
    repeat 2
        call tramp(5) key=sc
    end
    critical pv
        call tramp key=sc
    end
    preempt_disable
    preempt_enable
end
nmi
    call tramp key=sc
end
patcher
    boot
        static_call_update sc2, func_a
    end
    update sc -> far_a
        patch_instruction tramp+0, "lis 12, far_a@ha"
        patch_instruction tramp+4, "addi 12, 12, far_a@l"
        store tramp+8, 4, 0x7d8903a6
        patch_branch tramp+12, func_a
    end
    static_call_update sc2, NULL
    synchronize_rcu_tasks
    stop_machine
        mutex_lock text_mutex
        mutex_unlock text_mutex
    end
end
`;

const X86 = `scenario x86-ool
arch x86-64
expect safe
code
func_a: ret
rt:     push %rax
        jmp func_a
        .p2align 3
tramp:  {disp32} jmp func_a
        .size tramp, 5
end
key sc = func_a
task T1
    call tramp key=sc
end
patcher
    update sc -> RET0
        text_poke_bp tramp, "jmp func_a" handler=rax-trampoline:rt skip_sync
        text_poke_bp_batch handler=emulate
            tramp, "nop"
        end
        text_poke_late nmi_sync=off
            tramp, "jmp func_a"
        end
        memcpy tramp, "jmp func_a"
        text_poke tramp+1, "nop"
        store tramp, "int3"
        sync_core
        bp_arm tramp, "jmp func_a" handler=wait-and-reexecute nmi_sync=off
        bp_disarm tramp
        stop_machine
            patch_sync PATCH_SYNC_0
        end
    end
end
`;

const ARM64 = `scenario arm64-literal
arch arm64
expect unsafe
code
t:  ret
tramp: b t
    .section .rodata
    .p2align 3
lit: .quad t
end
key k = t
task T
    call tramp key=k
end
patcher
    aarch64_insn_patch_text_nosync tramp, "b t"
    aarch64_insn_write_literal_u64 lit, t
end
`;

const SEEDS = [PPC32, X86, ARM64];
const WORDS = [
  'end', 'task', 'code', 'patcher', 'boot', 'update', 'repeat', 'critical', 'call', 'set', 'key', 'static_call', 'group', 'nmi', 'irq',
  'store', 'expect', 'unsafe', 'safe', 'bounds', 'cpus=', 'arch', 'ppc32', 'x86-64', '->', '=', ',', '(', ')', '|', '"', '"nop"', '#',
  '0x', '0x10', '-1', '99999999999999999999', 'tramp', 'NULL', 'RET0', 'key=', 'expect=', 'handler=', 'skip_sync', 'bp_arm', 'bp_disarm', 'patch_sync', 'nmi_sync=', '+', '*', '~', '\t', '',
];

/** One edit of the text: delete, duplicate or replace a line; delete, duplicate or replace a token. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dup-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('replace-token' as const), at: fc.nat(), word: fc.constantFrom(...WORDS) }),
  fc.record({ kind: fc.constant('delete-token' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert-junk' as const), at: fc.nat(), junk: fc.string({ maxLength: 5 }) }),
);
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, e: Edit): string {
  const lines = text.split('\n');
  const li = e.at % lines.length;
  switch (e.kind) {
    case 'delete-line':
      lines.splice(li, 1);
      return lines.join('\n');
    case 'dup-line':
      lines.splice(li, 0, lines[li]);
      return lines.join('\n');
    case 'swap-lines': {
      const lj = e.to % lines.length;
      [lines[li], lines[lj]] = [lines[lj], lines[li]];
      return lines.join('\n');
    }
    case 'replace-token':
    case 'delete-token': {
      const tokens = text.split(/(\s+)/);
      const words = tokens.map((t, i) => (/\S/.test(t) ? i : -1)).filter((i) => i >= 0);
      if (words.length === 0) return text;
      tokens[words[e.at % words.length]] = e.kind === 'replace-token' ? e.word : '';
      return tokens.join('');
    }
    case 'insert-junk': {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + e.junk + text.slice(at);
    }
  }
}

/** Every diagnostic is at a line of the input and a column within that line (or just past its end). */
function insideInput(text: string, diagnostics: readonly { span: { file: string; line: number; col: number } }[]): boolean {
  const lines = text.split('\n');
  return diagnostics.every((d) => {
    const line = lines[d.span.line - 1];
    return d.span.file === 'f.scn' && line !== undefined && d.span.col >= 1 && d.span.col <= line.length + 1;
  });
}

describe('scenario fuzz', () => {
  it('the seeds lower without diagnostics', () => {
    for (const s of SEEDS) {
      const r = parseAndLower(s, 'f.scn');
      expect(r.ok ? [] : r.diagnostics).toEqual([]);
    }
  });

  it('mutated scenarios give diagnostics inside the input, never an exception', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(edit, { minLength: 1, maxLength: 6 }), (seed, edits) => {
        const text = edits.reduce(apply, seed);
        const r = parseAndLower(text, 'f.scn');
        if (!r.ok) {
          expect(r.diagnostics.length).toBeGreaterThan(0);
          expect(insideInput(text, r.diagnostics)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('random lines of scenario words never throw', () => {
    const line = fc.array(fc.constantFrom(...WORDS), { maxLength: 8 }).map((ws) => ws.join(' '));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const text = lines.join('\n');
        const r = parseAndLower(text, 'f.scn');
        if (!r.ok) expect(insideInput(text, r.diagnostics)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
