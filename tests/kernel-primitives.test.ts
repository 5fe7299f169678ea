// The waiting rules of MODEL.md section 4, one schedule at a time: each test drives the kernel world by
// hand (which action, in which order) and asserts what may and may not happen next.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bfs } from '../src/checker/bfs.js';
import { stateAfter } from '../src/checker/replay.js';
import type { WorldAction } from '../src/kernel/actions.js';
import type { WorldState } from '../src/kernel/state.js';
import { KernelWorld } from '../src/kernel/world.js';
import { parseAndLower } from '../src/scenario/lower.js';

function world(text: string): KernelWorld {
  const r = parseAndLower(text, 'test.scn');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n'));
  return new KernelWorld(r.scenario.spec);
}

/** Drives one schedule: `has` asks whether an action is enabled, `take` takes it (or fails). */
class Driver {
  s: WorldState;
  constructor(readonly w: KernelWorld) {
    this.s = w.initial();
  }
  find(kind: WorldAction['kind'], cpu?: number): WorldAction | undefined {
    return this.w.actions(this.s).find((a) => a.kind === kind && (cpu === undefined || ('cpu' in a && a.cpu === cpu)));
  }
  has(kind: WorldAction['kind'], cpu?: number): boolean {
    return this.find(kind, cpu) !== undefined;
  }
  take(kind: WorldAction['kind'], cpu?: number): this {
    const a = this.find(kind, cpu);
    if (!a) throw new Error(`${kind}${cpu === undefined ? '' : ' on CPU ' + cpu} is not enabled; enabled: ${this.w.actions(this.s).map((x) => x.kind + ('cpu' in x ? x.cpu : '')).join(' ')}`);
    this.s = this.w.next(this.s, a);
    expect(this.s.violation).toBeUndefined();
    return this;
  }
  steps(n: number, cpu = 1): this {
    for (let i = 0; i < n; i++) this.take('step', cpu);
    return this;
  }
}

const PPC_CALLEE = (patcher: string, extra = '') => `
scenario t
arch ppc32
bounds cpus=2 interrupts=0 preemptions=1 nmis=0
expect safe
code
        .text
        .globl f
f:      nop
        nop
        blr
        .size f, .-f
end
task T1
    ${extra}
    call f(1)
end
patcher
    ${patcher}
end
`;

describe('synchronize_rcu and synchronize_rcu_tasks', () => {
  it('a task preempted inside a call holds up synchronize_rcu_tasks until it runs again and returns', () => {
    const d = new Driver(world(PPC_CALLEE('synchronize_rcu_tasks')));
    d.steps(1).take('preempt', 1).take('patcher');
    expect(d.s.patchers[0].waiting).toBe('rcu-tasks');
    expect(d.has('patcher')).toBe(false);
    d.take('schedule', 1).steps(1);
    expect(d.has('patcher')).toBe(false);
    d.steps(1); // blr: the call returns and the task ends
    expect(d.has('patcher')).toBe(true);
  });

  it('the same preempted task does not hold up synchronize_rcu (preempt count zero)', () => {
    const d = new Driver(world(PPC_CALLEE('synchronize_rcu')));
    d.steps(1).take('preempt', 1).take('patcher');
    expect(d.has('patcher')).toBe(true);
  });

  it('a task in a preempt-disabled section holds up synchronize_rcu, and cannot be preempted', () => {
    const d = new Driver(world(PPC_CALLEE('synchronize_rcu', 'preempt_disable')));
    d.steps(1);
    expect(d.has('preempt', 1)).toBe(false);
    d.take('patcher');
    expect(d.has('patcher')).toBe(false);
  });

  it('a task that has not started its call is at a voluntary switch point for rcu-tasks', () => {
    const d = new Driver(world(PPC_CALLEE('synchronize_rcu_tasks')));
    d.take('patcher');
    expect(d.has('patcher')).toBe(true);
  });
});

const X86_CLI = `
scenario t
arch x86-64
bounds cpus=2 interrupts=0 preemptions=1 nmis=0
expect safe
code
        .text
        .globl f
f:      cli
        nop
        sti
        nop
        nop
        ret
        .size f, .-f
end
task T1
    call f(1)
end
patcher
    sync_core
end
`;

describe('sync_core and interrupt delivery', () => {
  it('a CPU with interrupts off delays the sender; STI opens the window only after the next instruction', () => {
    const d = new Driver(world(X86_CLI));
    d.steps(1).take('patcher'); // cli ran; the IPI is sent
    expect(d.s.cpus[1].ipiPending).toBe(true);
    expect(d.has('ipi', 1)).toBe(false);
    expect(d.has('patcher')).toBe(false);
    d.steps(2); // nop, sti: still in the STI shadow
    expect(d.has('ipi', 1)).toBe(false);
    expect(d.has('preempt', 1)).toBe(false);
    d.steps(1); // the instruction after sti
    expect(d.has('ipi', 1)).toBe(true);
    expect(d.has('preempt', 1)).toBe(true);
    d.take('ipi', 1);
    expect(d.has('patcher')).toBe(true);
  });

  it('an idle CPU takes the IPI at once', () => {
    const d = new Driver(world(X86_CLI.replace('task T1\n    call f(1)\nend', 'task T1\nend')));
    d.take('patcher');
    expect(d.s.cpus[1].ipiPending).toBe(false);
    expect(d.has('patcher')).toBe(true);
  });
});

describe('stop_machine', () => {
  const text = (extra: string) => PPC_CALLEE('stop_machine\n        store f, "nop"\n    end', extra).replace('preemptions=1', 'preemptions=0 nmis=1').replace('nmis=0', '') + '\nnmi\n    call f(7)\nend\n';
  it('a CPU joins the stopper only where it could schedule; NMIs still arrive there', () => {
    const d = new Driver(world(text('preempt_disable')));
    d.take('patcher'); // stop-machine-begin: gathering
    expect(d.has('stop', 1)).toBe(false);
    expect(d.has('patcher')).toBe(false);
    d.steps(3); // the call returns; the task ends and its CPU joins the stopper
    expect(d.s.cpus[1].task).toBe(-2);
    expect(d.has('nmi', 1)).toBe(true);
    expect(d.has('patcher')).toBe(true);
  });
});

describe('between two preempt-disabled sections', () => {
  it('a task can be preempted or gathered by stop_machine, and goes on with a harness step', () => {
    const text = PPC_CALLEE('stop_machine\n    end', 'preempt_disable\n    call f(1)\n    preempt_enable\n    preempt_disable')
      .replace('call f(1)\nend', 'call f(2)\n    preempt_enable\nend');
    const d = new Driver(world(text));
    d.take('patcher'); // stop_machine gathers
    d.steps(1);
    expect(d.has('stop', 1)).toBe(false);
    d.steps(2); // the first call returns: the task stops before its second section
    expect(d.s.tasks[0].call).toBeUndefined();
    expect(d.has('stop', 1)).toBe(true);
    expect(d.has('harness', 1)).toBe(true);
    d.take('stop', 1);
    expect(d.s.cpus[1].task).toBe(-2);
  });
});

describe('deadlock', () => {
  it('a patcher that takes text_mutex twice never finishes: deadlock', () => {
    const w = world(PPC_CALLEE('mutex_lock text_mutex\n    mutex_lock text_mutex'));
    const r = bfs(w);
    expect(r.verdict).toBe('unsafe');
    expect(r.violation?.kind).toBe('deadlock');
  });
});

describe('reductions keep the interleavings a grace period depends on', () => {
  // synchronize_rcu_tasks does not wait for a task that has not yet begun its call. A call's first
  // instruction (here a `nop` nobody patches) therefore does not commute with the grace period beginning:
  // the patcher may begin it first, not wait for T1, and overwrite the next instruction under T1. Taking
  // that first step eagerly (as an invisible step) would hide this and answer a wrong "safe".
  const text = `
scenario t
arch ppc32
knobs power.wordAtomicFetch
bounds cpus=2 interrupts=0 preemptions=0 nmis=0
expect safe
code
        .text
        .p2align 4
        .globl f
f:      nop
        nop
        nop
        blr
        .size f, .-f
end
task T1
    call f(1)
end
patcher
    synchronize_rcu_tasks
    store f+8, 4, 0
end
`;
  it('a grace period that begins before the call is found not to wait for it, with reductions on and off', () => {
    const w = world(text);
    for (const options of [{}, { por: false, symmetry: false, collapse: false }]) {
      const r = bfs(w, options);
      expect(r.verdict).toBe('unsafe');
      expect(r.violation?.kind).toBe('fault');
      expect(w.violation(stateAfter(w, r.trace))?.kind).toBe('fault');
    }
  });
});

describe('a call begins at its first step (MODEL.md §2)', () => {
  // The update block switches the key but writes nothing: the trampoline still jumps to func_a. A call
  // whose first step comes after the update returned must be `stale-after-update`, although the harness
  // set it up (after the previous call) before the update began.
  const text = readFileSync(join(import.meta.dirname, '..', 'examples', 'seeds', 'x86-ool-text-poke-bp.scn'), 'utf8')
    .replace(/^patcher\n[\s\S]*?^end$/m, 'patcher\n    update sc -> func_b\n        sync_core\n    end\nend');
  it('a call that runs entirely after an update that changed nothing reaches the old target: stale-after-update', () => {
    const w = world(text);
    const r = bfs(w);
    expect(r.verdict).toBe('unsafe');
    expect(r.violation?.kind).toBe('stale-after-update');
    expect(w.violation(stateAfter(w, r.trace))?.kind).toBe('stale-after-update');
  });
});

describe('expect= sees the whole return register', () => {
  const text = (expect: string) => `
scenario t
arch x86-64
bounds cpus=2 interrupts=0 preemptions=0 nmis=0
expect safe
code
        .text
        .globl f
f:      movabs $0x100000003, %rax
        ret
        .size f, .-f
end
task T1
    call f(1) expect=${expect}
end
patcher
    sync_core
end
`;
  it('a 64-bit return value that differs above bit 31 is not the expected one', () => {
    const w = world(text('3'));
    const r = bfs(w);
    expect(r.verdict).toBe('unsafe');
    expect(r.violation?.kind).toBe('wrong-target');
    expect(w.violation(stateAfter(w, r.trace))?.kind).toBe('wrong-target');
    expect(bfs(world(text('0x100000003'))).verdict).toBe('safe');
  });
});
