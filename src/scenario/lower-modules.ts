// Modules: their sections checked, their state followed in the patcher's program order, and what each of
// module_load / module_init_done / module_unload becomes.
//
// The patcher is one thread, so lowering knows at every statement which modules are loaded and which init
// sections are freed: each static_call_update is given exactly the call sites that exist then (the kernel
// keeps per-module site tables and drops a module's, or its init sites, when they go away).
//
//   state      module_load      module_init_done   module_unload
//   absent     → live           out of order       out of order
//   live       out of order     → init freed       → gone
//   init freed out of order     out of order       → gone
//   gone       out of order     out of order       out of order

import type { DiagnosticSink } from '../base/diagnostics.js';
import type { LinkedImage } from '../isa/asm/link.js';
import type { KernelOp, ModuleSpec } from '../kernel/spec.js';
import { aliasRegion } from '../kernel/tables.js';
import type { ModuleDecl, ModuleOp, Word } from './ast.js';

type ModuleState = 'absent' | 'live' | 'init-freed' | 'gone';

interface Module {
  readonly decl: ModuleDecl;
  readonly core: readonly Section[];
  readonly init: readonly Section[];
  state: ModuleState;
}

interface Section {
  readonly name: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly text: boolean;
}

export class ModuleTable {
  private readonly modules = new Map<string, Module>();

  constructor(decls: readonly ModuleDecl[], image: LinkedImage, private readonly sink: DiagnosticSink) {
    const owner = new Map<string, string>();
    const section = (w: Word, module: string): Section[] => {
      const s = image.sections.find((x) => x.name === w.text);
      if (!s) {
        sink.report('PL7006', w.span, 'a section of the code', w.text);
        return [];
      }
      const prev = owner.get(w.text);
      if (prev !== undefined) {
        sink.report('PL7035', w.span, w.text, prev);
        return [];
      }
      owner.set(w.text, module);
      return [{ name: s.name, start: s.address, end: s.address + BigInt(s.bytes.length), text: s.flags.includes('x') }];
    };
    for (const d of decls) {
      if (this.modules.has(d.name.text)) {
        sink.report('PL7008', d.name.span, 'module', d.name.text);
        continue;
      }
      if (d.sections.length === 0) sink.report('PL7037', d.span, `module ${d.name.text}`, 'at least one section before `init` (what stays loaded)');
      const core = d.sections.flatMap((w) => section(w, d.name.text));
      const init = d.init.flatMap((w) => section(w, d.name.text));
      this.modules.set(d.name.text, { decl: d, core, init, state: 'absent' });
    }
  }

  has(name: string): boolean {
    return this.modules.has(name);
  }

  specs(): ModuleSpec[] {
    return [...this.modules.values()].map((m) => ({ name: m.decl.name.text, sections: m.core.map((s) => s.name), init: m.init.map((s) => s.name) }));
  }

  /** Does a call site at `address` exist now: outside every module, or in a live module's live sections? */
  live(address: bigint): boolean {
    for (const m of this.modules.values()) {
      const inside = (s: Section) => address >= s.start && address < s.end;
      if (m.core.some(inside)) return m.state === 'live' || m.state === 'init-freed';
      if (m.init.some(inside)) return m.state === 'live';
    }
    return true;
  }

  /**
   * The module whose section holds `address`, and that section's region, mapped while the module is live:
   * a text section's is mapped (executable) once the load has written its call sites, and unmapped when its
   * init is freed or it is unloaded. Undefined outside every module.
   */
  holder(address: bigint): { module: string; region: string } | undefined {
    for (const m of this.modules.values()) {
      const s = [...m.core, ...m.init].find((x) => address >= x.start && address < x.end);
      if (s) return { module: m.decl.name.text, region: s.name };
    }
    return undefined;
  }

  /** Is `address` in one of module `name`'s sections (for its load: its own sites only)? */
  inModule(name: string, address: bigint): boolean {
    const m = this.modules.get(name)!;
    return [...m.core, ...m.init].some((s) => address >= s.start && address < s.end);
  }

  /**
   * The ops of one module statement, with `addSites` called between mapping the module's memory writable
   * and making its text executable (module_load only). Reports unknown modules and statements out of order.
   */
  statement(op: ModuleOp, name: Word, span: KernelOp['span'], addSites: () => KernelOp[]): KernelOp[] {
    const m = this.modules.get(name.text);
    if (!m) {
      this.sink.report('PL7034', name.span, name.text);
      return [];
    }
    const n = name.text;
    const wrongState = (why: string) => {
      this.sink.report('PL7036', span ?? name.span, op, n, why);
      return [];
    };
    const regions = (sections: readonly Section[], which: 'memory' | 'text' | 'all') =>
      sections.flatMap((s) => (which === 'text' ? (s.text ? [s.name] : []) : which === 'memory' ? [s.text ? aliasRegion(s.name) : s.name] : s.text ? [s.name, aliasRegion(s.name)] : [s.name]));
    const all = [...m.core, ...m.init];
    switch (op) {
      case 'module_load': {
        if (m.state !== 'absent') return wrongState(m.state === 'gone' ? 'the module was unloaded (it cannot be loaded again)' : 'the module is already loaded');
        m.state = 'live';
        return [
          { op: 'map', regions: regions(all, 'memory'), on: true, step: `module_load ${n} 1/3: its sections copied in (not executable yet)`, span },
          ...addSites().map((o) => ({ ...o, step: `module_load ${n} 2/3: ${o.step}` })),
          { op: 'map', regions: regions(all, 'text'), on: true, step: `module_load ${n} 3/3: its text executable; the module is live`, span },
        ];
      }
      case 'module_init_done':
        if (m.state !== 'live') return wrongState(m.state === 'absent' ? 'the module is not loaded' : m.state === 'gone' ? 'the module was unloaded' : 'its init sections are already freed');
        m.state = 'init-freed';
        return [{ op: 'map', regions: regions(m.init, 'all'), on: false, step: `module_init_done ${n}: its init sections freed`, span }];
      case 'module_unload': {
        if (m.state === 'absent' || m.state === 'gone') return wrongState(m.state === 'absent' ? 'the module is not loaded' : 'the module is already unloaded');
        const freed = m.state === 'init-freed';
        m.state = 'gone';
        return [{ op: 'map', regions: regions(freed ? m.core : all, 'all'), on: false, step: `module_unload ${n}: its sections unmapped`, span }];
      }
    }
  }
}
