// Keys, their targets and group generations, tracked while the patcher's updates are lowered in order.
//
// Generation rule (for `torn-group`): generation 0 is every key's initial target. A group *round* is
// complete once every key of the group has been updated since the previous round completed. An update of
// a grouped key gives its new target generation (completed rounds + 1): switching `lock` then `unlock`
// gives both new targets generation 1, the next pair generation 2. A target keeps the first generation it
// was given (a key switched back to an earlier target keeps that target's old generation).

import type { JumpEntry, KeySpec, Target } from '../kernel/spec.js';
import type { GroupDecl, KeyDecl } from './ast.js';
import type { StaticCallBackendApi } from './patching-bridge.js';

interface GroupState {
  readonly name: string;
  readonly keys: readonly string[];
  readonly updatedThisRound: Set<string>;
  completedRounds: number;
}

export interface KeyState {
  readonly decl: KeyDecl;
  readonly initial: Target;
  readonly targets: Target[];
  current: Target;
  readonly group?: GroupState;
  readonly generation: Map<Target, number>;
  /** Set for a `static_call` key whose back end exists. */
  readonly backend?: StaticCallBackendApi;
  /** Set for a static key (`static_key`): its static_branch sites, from `__jump_table`. */
  readonly jumpEntries?: readonly JumpEntry[];
}

export class KeyTable {
  readonly byName = new Map<string, KeyState>();

  constructor(decls: readonly { decl: KeyDecl; initial: Target; backend?: StaticCallBackendApi; jumpEntries?: readonly JumpEntry[] }[], groups: readonly GroupDecl[]) {
    const groupOf = new Map<string, GroupState>();
    for (const g of groups) {
      const state: GroupState = { name: g.name.text, keys: g.keys.map((k) => k.text), updatedThisRound: new Set(), completedRounds: 0 };
      for (const k of g.keys) if (!groupOf.has(k.text)) groupOf.set(k.text, state);
    }
    for (const { decl, initial, backend, jumpEntries } of decls) {
      const group = groupOf.get(decl.name.text);
      this.byName.set(decl.name.text, {
        decl, initial, targets: [initial], current: initial, group, backend, ...(jumpEntries ? { jumpEntries } : {}),
        generation: new Map(group ? [[initial, 0]] : []),
      });
    }
  }

  /** Record that `key` now targets `to` (after its update-end). */
  update(key: KeyState, to: Target): void {
    if (!key.targets.includes(to)) key.targets.push(to);
    key.current = to;
    const g = key.group;
    if (!g) return;
    if (!key.generation.has(to)) key.generation.set(to, g.completedRounds + 1);
    g.updatedThisRound.add(key.decl.name.text);
    if (g.keys.every((k) => g.updatedThisRound.has(k))) {
      g.completedRounds++;
      g.updatedThisRound.clear();
    }
  }

  specs(): KeySpec[] {
    return [...this.byName.values()].map((k): KeySpec => {
      const base: KeySpec = {
        name: k.decl.name.text, initial: k.initial, targets: [...k.targets],
        ...(k.decl.visibility === 'eventually' ? { visibility: 'eventually' } : {}),
        ...(k.jumpEntries ? { jumpEntries: k.jumpEntries } : {}),
        // The kernel's APIs serialize their updates: static_call_update under static_call_mutex,
        // static_branch_enable/disable under jump_label_mutex. A plain `key` is the scenario's own.
        ...(k.backend ? { updateMutex: 'static_call_mutex' } : k.decl.staticKey ? { updateMutex: 'jump_label_mutex' } : {}),
      };
      return k.group ? { ...base, group: k.group.name, generation: new Map(k.generation) } : base;
    });
  }
}
