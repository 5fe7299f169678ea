// A world state told as plain data for the trace viewer (trace-page.ts): every CPU's registers, the fetch
// windows still open, and the kernel's own state (tasks, CPUs, the patcher, keys). Values are strings as
// the reports print them, so that the page compares them as text to mark what a step changed.

import type { KernelWorld } from '../kernel/world.js';
import type { WorldState } from '../kernel/state.js';
import { whoOn } from './world-model.js';

export interface CpuSnapshot {
  readonly cpu: number;
  readonly who: string;
  /** `pc` first, then the arch's registers as objdump names them, as hex. */
  readonly registers: readonly (readonly [string, string])[];
  readonly irq: 'on' | 'off';
}

/** One open fetch window: the unit's address (virtual, where code lives), and what each CPU may still fetch. */
export interface WindowSnapshot {
  readonly address: string;
  readonly values: readonly string[];
  /** Per CPU (1..n-1), the indices into `values` it may fetch; absent CPUs are certain of the last one. */
  readonly open: readonly { readonly cpu: number; readonly from: number }[];
}

export interface StateSnapshot {
  readonly cpus: readonly CpuSnapshot[];
  readonly windows: readonly WindowSnapshot[];
  /** The kernel's state, a line per item: `name: value`, compared by name between steps. */
  readonly kernel: readonly (readonly [string, string])[];
}

const hex = (v: bigint | number) => `0x${v.toString(16)}`;

function virtualOf(world: KernelWorld, s: WorldState, phys: number): string {
  for (const r of s.smp.machine.memory.regions) {
    if (r.bank === undefined && phys >= r.phys && phys < r.phys + r.size) return hex(r.base + (phys - r.phys));
  }
  return `phys ${hex(phys)}`;
}

export function snapshotWorld(world: KernelWorld, s: WorldState): StateSnapshot {
  const m = s.smp.machine;
  const names = world.t.arch.registers.names;
  const cpus = m.cpus.map((c, i): CpuSnapshot => ({
    cpu: i,
    who: whoOn(world, s, i),
    registers: [['pc', hex(c.pc)], ...names.map((n, r) => [n, hex(c.regs[r])] as const)],
    irq: c.irqEnabled ? 'on' : 'off',
  }));
  const unitBytes = world.t.arch.fetchPolicy.unit;
  const windows: WindowSnapshot[] = [];
  for (const unit of m.windows.openUnits()) {
    const h = m.windows.history(unit);
    if (!h) continue;
    const open: { cpu: number; from: number }[] = [];
    for (let c = world.spec.patchers.length; c < m.cpus.length; c++) {
      const w = m.windows.window(c, unit);
      if (w) open.push({ cpu: c, from: w.first });
    }
    if (open.length === 0) continue;
    windows.push({ address: virtualOf(world, s, unit), values: h.values.map((v) => v.toString(16).padStart(unitBytes * 2, '0')), open });
  }
  const kernel: [string, string][] = [];
  s.tasks.forEach((t, i) => {
    const name = world.spec.tasks[i].name;
    const where = t.done ? 'done' : t.cpu >= 0 ? `on CPU ${t.cpu}` : 'ready';
    kernel.push([`task ${name}`, `${where}, op ${t.op}, preempt count ${t.preemptCount}${t.rcuDepth > 0 ? `, in rcu_read_lock ×${t.rcuDepth}` : ''}${t.call ? ', in a call' : ''}`]);
  });
  s.cpus.forEach((k, i) => {
    if (i < world.spec.patchers.length) return;
    kernel.push([`CPU ${i}`, `${whoOn(world, s, i)}${k.ipiPending ? ', IPI pending' : ''}`]);
  });
  s.patchers.forEach((p, i) => {
    const label = world.spec.patchers.length === 1 ? 'patcher' : `patcher ${world.spec.patchers[i].name}`;
    kernel.push([label, `op ${p.op}${p.waiting ? `, waiting (${p.waiting})` : ''}${p.mutexes.length > 0 ? `, holds ${p.mutexes.join(', ')}` : ''}${s.stopper === i ? ', in stop_machine' : ''}`]);
  });
  s.keys.forEach((k, i) => {
    const spec = world.spec.keys[i];
    const target = (j: number) => String(spec.targets[j] ?? j);
    kernel.push([`key ${spec.name}`, `${target(k.current)}${k.updater >= 0 ? ' (updating)' : ''}, ${k.updatesDone} update${k.updatesDone === 1 ? '' : 's'} done`]);
  });
  return { cpus, windows, kernel };
}
