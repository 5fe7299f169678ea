// The patcher's statements to KernelOps: protocols come from the patching layer, waits and raw stores
// are written here. Every op carries the span of the statement it came from.

import { assertNever } from '../base/assert.js';
import type { SourceSpan } from '../base/diagnostics.js';
import { writeUint } from '../base/bits.js';
import type { ArchName } from '../isa/types.js';
import type { BreakpointHandler, KernelOp } from '../kernel/spec.js';
import { storePieces, type StorePiece } from '../machine/store.js';
import type { HandlerChoice, InsnText, InsnWrite, PatcherStmt, PokeSite, ValueWrite, WaitOp } from './ast.js';
import { evaluate, inImage, resolveTarget, type LowerContext } from './lower-context.js';
import { jumpLabelAddModule, staticBranchUpdate, staticKeyValue } from './lower-jump-labels.js';
import type { KeyState, KeyTable } from './lower-keys.js';
import type { ModuleTable } from './lower-modules.js';
import { ArmedSites, lowerBpArm, lowerBpDisarm } from './lower-breakpoints.js';
import { FLUSH_ICACHE_RANGE_ARCHES, flushRange, lowerCacheOp, stpPieces } from './lower-maintenance.js';
import type { PatchResult, PokeSiteBytes } from './patching-bridge.js';

/** The widest raw `store`: one cache line (MODEL.md's 64 bytes). */
const MAX_STORE_WIDTH = 64;

/** Which arches a primitive belongs to; absent = every arch. */
const PRIMITIVE_ARCHES: Readonly<Partial<Record<string, { readonly family: string; readonly arches: readonly ArchName[] }>>> = {
  text_poke_bp: { family: 'x86-64', arches: ['x86-64'] },
  text_poke_late: { family: 'x86-64', arches: ['x86-64'] },
  patch_instruction: { family: 'powerpc', arches: ['ppc32', 'ppc64'] },
  patch_branch: { family: 'powerpc', arches: ['ppc32', 'ppc64'] },
  patch_ulong: { family: 'powerpc', arches: ['ppc32', 'ppc64'] },
  aarch64_insn_patch_text_nosync: { family: 'arm64', arches: ['arm64'] },
  aarch64_insn_write_literal_u64: { family: 'arm64', arches: ['arm64'] },
  patch_insn_write: { family: 'riscv', arches: ['riscv64'] },
  patch_text_nosync: { family: 'riscv', arches: ['riscv64'] },
  patch_text: { family: 'riscv', arches: ['riscv64'] },
  flush_icache_all: { family: 'riscv', arches: ['riscv64'] },
  stp: { family: 'arm64', arches: ['arm64'] },
  flush_icache_range: FLUSH_ICACHE_RANGE_ARCHES,
};

/** Primitives that write exactly one 4-byte instruction word. */
const WORD_WRITES: readonly InsnWrite[] = ['patch_instruction', 'aarch64_insn_patch_text_nosync', 'patch_insn_write', 'patch_text_nosync'];

/** riscv64 primitives whose instruction is the kernel's 32-bit encoding: assembled under `.option norvc`. */
const UNCOMPRESSED_WRITES: readonly InsnWrite[] = ['patch_insn_write', 'patch_text_nosync', 'patch_text'];

const WAITS: Readonly<Record<WaitOp, KernelOp>> = {
  sync_core: { op: 'sync-core', step: 'sync_core on every CPU' },
  // The same IPI, waited for: on arm64 and Power its exception entry and return context-synchronize each CPU.
  kick_all_cpus_sync: { op: 'sync-core', step: 'kick_all_cpus_sync: IPI every other CPU and wait' },
  // riscv64: the IPI's handler executes FENCE.I on each hart (trap entry alone would not synchronize fetch).
  flush_icache_all: { op: 'sync-core', step: 'flush_icache_all: FENCE.I on every other hart (IPI), waited for' },
  synchronize_rcu: { op: 'synchronize-rcu', step: 'synchronize_rcu' },
  synchronize_rcu_tasks: { op: 'synchronize-rcu-tasks', step: 'synchronize_rcu_tasks' },
};

interface Where {
  readonly inBoot: boolean;
  readonly inUpdate: boolean;
  readonly inStopMachine: boolean;
}

/** Statements that hold others: their steps are their body's, checked statement by statement. */
const BLOCKS: ReadonlySet<PatcherStmt['kind']> = new Set(['boot', 'stop_machine', 'update']);

/** A statement's name for diagnostics about its steps. */
function statementName(s: PatcherStmt): string {
  if (s.kind === 'insn-write' || s.kind === 'value-write') return s.primitive;
  if (s.kind === 'module') return s.op;
  if (s.kind === 'cache-op') return s.op;
  return s.kind.startsWith('store') ? 'store' : s.kind;
}

export class PatcherLowering {
  /** The ops of raw `store` statements: the user's own bytes, which lower-extents.ts does not check. */
  readonly rawStores = new Set<KernelOp>();
  private readonly armed: ArmedSites;

  /**
   * `several`: the scenario has several patchers. Which modules are loaded when an update runs, and a key's
   * target when a module loads, are then the checker's to choose, not program order's: an update is
   * lowered for every call site, each step on a module's site guarded by the module's memory being there,
   * and a load writes its sites for each target the key can have, each guarded by that target.
   */
  constructor(private readonly ctx: LowerContext, private readonly keys: KeyTable, private readonly modules: ModuleTable, private readonly several = false) {
    this.armed = new ArmedSites(ctx);
  }

  /** What the back ends are given: the image, and which call sites exist at this point of the program. */
  private backendContext(live: (address: bigint) => boolean = (a) => this.modules.live(a)) {
    return { image: this.ctx.built.image, object: this.ctx.built.object, live };
  }

  /** An update's sites: those that exist now, or with several patchers every one (see `guardSites`). */
  private updateContext() {
    return this.several ? this.backendContext(() => true) : this.backendContext();
  }

  /**
   * With several patchers, each step of an update on a module's call site runs only while the module is
   * live (its text mapped): the load wrote the site under the update mutex before making it live.
   */
  private guardSites(ops: KernelOp[]): KernelOp[] {
    if (!this.several) return ops;
    return ops.map((o) => {
      const address = o.op === 'store' || o.op === 'maintain' || o.op === 'bp-arm' || o.op === 'bp-disarm' ? o.address
        : o.op === 'cache' && 'address' in o.insn ? o.insn.address : undefined;
      const at = address === undefined ? undefined : this.modules.holder(address);
      return at ? { ...o, guard: { kind: 'mapped', region: at.region, module: at.module } } : o;
    });
  }

  /**
   * The whole program. Inline static call keys first get their call sites patched to the initial target
   * while nothing runs (the kernel's static_call_init): at the start of the `boot` block, or in a boot
   * phase of their own when the patcher has none. Only the first patcher (`boots`) does either: the
   * others are threads that start once boot is over.
   */
  program(body: readonly PatcherStmt[], boots = true): KernelOp[] {
    body.forEach((s, i) => {
      if (s.kind === 'boot' && !boots) this.ctx.sink.report('PL7043', s.span, 'boot');
      else if (s.kind === 'boot' && i > 0) this.ctx.sink.report('PL7026', s.span, 'boot', 'here: only as the patcher\'s first statement');
    });
    const where: Where = { inBoot: false, inUpdate: false, inStopMachine: false };
    if (!boots) return this.block(body, where);
    const init = this.staticCallInit();
    if (body[0]?.kind === 'boot') return [...init, ...this.block(body, where)];
    if (init.length === 0) return this.block(body, where);
    return [...init, { op: 'boot-done', step: 'boot done: tasks start' }, ...this.block(body, where)];
  }

  private staticCallInit(): KernelOp[] {
    return [...this.keys.byName.values()].flatMap((k) => {
      if (!k.backend?.inline) return [];
      // No module is loaded yet: only the kernel's own sites.
      const r = k.backend.update(this.backendContext(), k.decl.name.text, k.initial, k.initial, true);
      return this.fromLibrary(r, 'static_call_init', k.decl.span);
    });
  }

  private block(body: readonly PatcherStmt[], where: Where): KernelOp[] {
    return body.flatMap((s) => {
      const ops = this.statement(s, where);
      if (!BLOCKS.has(s.kind)) this.armed.note(ops, statementName(s), s.span, s.kind === 'bp_arm' ? s.site.address : s.kind === 'bp_disarm' ? s.address : undefined);
      return ops;
    });
  }

  private statement(s: PatcherStmt, where: Where): KernelOp[] {
    const { ctx } = this;
    const span = s.span;
    const name = s.kind === 'insn-write' || s.kind === 'value-write' ? s.primitive : s.kind === 'wait' ? s.op : s.kind;
    const arches = PRIMITIVE_ARCHES[name];
    if (arches && !arches.arches.includes(ctx.isa.arch)) {
      ctx.sink.report('PL7014', span, name, arches.family, ctx.isa.arch);
      return [];
    }
    switch (s.kind) {
      case 'boot':
        if (where.inBoot || where.inUpdate || where.inStopMachine) ctx.sink.report('PL7026', span, 'boot', 'inside another block');
        return [...this.block(s.body, { ...where, inBoot: true }), { op: 'boot-done', step: 'boot done: tasks start', span }];
      case 'stop_machine': {
        if (where.inStopMachine) ctx.sink.report('PL7026', span, 'stop_machine', 'inside stop_machine');
        const body = this.block(s.body, { ...where, inStopMachine: true });
        return [{ op: 'stop-machine-begin', step: 'stop_machine: gather every CPU', span }, ...body, { op: 'stop-machine-end', step: 'stop_machine: release the CPUs', span }];
      }
      case 'update':
        return this.rawUpdate(s, where);
      case 'static_call_update':
        return this.staticCallUpdate(s, where);
      case 'static_branch':
        return this.staticBranch(s, where);
      case 'wait':
        return [{ ...WAITS[s.op], span }];
      case 'wait_calls':
        return [{ op: 'wait-calls', task: s.task.text, count: s.count, step: `wait until ${s.task.text} has made ${s.count} call(s)`, span }];
      case 'mutex':
        return [{ op: s.op === 'lock' ? 'mutex-lock' : 'mutex-unlock', mutex: s.name.text, step: `mutex_${s.op}(${s.name.text})`, span }];
      case 'store-value':
        return this.storeValue(s);
      case 'store-insn': {
        const address = this.address(s.address, 1);
        const bytes = address === undefined ? undefined : this.assembleAt(s.insn, address);
        return address === undefined || !bytes ? [] : this.rawStore(storePieces(ctx.isa.arch, Number(address), bytes), span);
      }
      case 'stp': {
        const pieces = stpPieces(ctx, s, (e, n) => this.address(e, n));
        return pieces ? this.rawStore(pieces, span, 'stp') : [];
      }
      case 'cache-op':
        return lowerCacheOp(ctx, s, (e, n) => this.address(e, n));
      case 'flush_icache_range': {
        const range = flushRange(ctx, s, (e, n) => this.address(e, n));
        return range ? this.fromLibrary(ctx.lib.flushIcacheRange(ctx.isa.arch, range.start, range.end), 'flush_icache_range', span) : [];
      }
      case 'insn-write':
        // patch_text is a stop_machine of its own: inside another it would wait for itself.
        if (s.primitive === 'patch_text' && where.inStopMachine) ctx.sink.report('PL7026', span, s.primitive, 'inside stop_machine');
        return this.insnWrite(s.primitive, s.address, s.insn, span);
      case 'value-write': {
        const address = this.address(s.address, s.primitive === 'patch_branch' ? 4 : s.primitive === 'patch_ulong' ? ctx.isa.addressBits / 8 : 8);
        const value = evaluate(ctx, s.value);
        if (address === undefined || value === undefined) return [];
        return this.fromLibrary(ctx.lib.valueWrite(s.primitive, ctx.isa.arch, address, value), s.primitive, span);
      }
      case 'text_poke_bp': {
        const sites = this.sites(s.sites);
        const handler = this.handler(s.handler);
        if (!sites || !handler) return [];
        return this.fromLibrary(ctx.lib.textPokeBp(sites, handler, s.skipSync), 'text_poke_bp', span);
      }
      case 'bp_arm':
        return lowerBpArm(ctx, s, {
          address: (e, n) => this.address(e, n),
          assemble: (insn, at) => this.assembleAt(insn, at),
          handler: (x) => this.handler(x.handler),
        });
      case 'bp_disarm':
        return lowerBpDisarm(s, (e, n) => this.address(e, n));
      case 'patch_sync':
        // Only stopped CPUs (and ones waiting in the breakpoint handler) ack: anywhere else nobody would.
        if (!where.inStopMachine) ctx.sink.report('PL7026', span, 'patch_sync', 'outside `stop_machine`');
        return [{ op: 'patch-state', state: s.state.text, step: `patch_sync ${s.state.text}: publish, wait for every ack`, span }];
      case 'text_poke_late': {
        const sites = this.sites(s.sites);
        return sites ? this.fromLibrary(ctx.lib.textPokeLate(sites, s.nmiSync), 'text_poke_late', span) : [];
      }
      case 'module':
        if (where.inBoot || where.inUpdate || where.inStopMachine) {
          ctx.sink.report('PL7026', span, s.op, 'inside a block: only at the patcher\'s top level');
          return [];
        }
        return this.unlockOnceLive(this.modules.statement(s.op, s.name, span, () => this.addModuleSites(s.name.text, span)));
      default:
        return assertNever(s, 'patcher statement');
    }
  }

  /**
   * `update KEY -> TARGET [, KEY2 -> TARGET2 …] … end`: the raw steps of one logical update, between
   * update-begin and update-end of every key it names (several keys: switched together, as a group's
   * pair under one text_poke_late). Keys are recorded in the order written.
   */
  private rawUpdate(s: Extract<PatcherStmt, { kind: 'update' }>, where: Where): KernelOp[] {
    const { ctx } = this;
    if (where.inUpdate) ctx.sink.report('PL7026', s.span, 'update', 'inside another update');
    const changes = s.changes.flatMap((c) => {
      const key = this.keys.byName.get(c.key.text);
      if (!key) ctx.sink.report('PL7010', c.key.span, c.key.text);
      // A static key's targets are its values.
      const target = key?.jumpEntries ? staticKeyValue(ctx, c.target) : resolveTarget(ctx, c.target);
      return key && target !== undefined ? [{ key, target }] : [];
    });
    const body = this.block(s.body, { ...where, inUpdate: true });
    if (changes.length !== s.changes.length) return body;
    for (const { key, target } of changes) this.keys.update(key, target);
    return [
      ...changes.map(({ key, target }): KernelOp => ({ op: 'update-begin', key: key.decl.name.text, target, step: `update ${key.decl.name.text} -> ${target}: begin`, span: s.span })),
      ...body,
      ...changes.map(({ key }): KernelOp => ({ op: 'update-end', key: key.decl.name.text, step: `update ${key.decl.name.text}: end`, span: s.span })),
    ];
  }

  /** `static_call_update KEY, TARGET`: the protocol of the key's back end (early inside `boot`). */
  private staticCallUpdate(s: Extract<PatcherStmt, { kind: 'static_call_update' }>, where: Where): KernelOp[] {
    const { ctx } = this;
    if (where.inUpdate) ctx.sink.report('PL7026', s.span, 'static_call_update', 'inside an update');
    const key = this.keys.byName.get(s.key.text);
    if (!key) ctx.sink.report('PL7010', s.key.span, s.key.text);
    else if (key.jumpEntries) ctx.sink.report('PL7101', s.key.span, s.key.text, 'switch it with `static_branch_enable` or `static_branch_disable`');
    else if (!key.decl.backend) ctx.sink.report('PL7025', s.key.span, s.key.text);
    const target = resolveTarget(ctx, s.target);
    if (!key?.backend || target === undefined) return [];
    const from = key.current;
    const result = key.backend.update(where.inBoot ? this.backendContext() : this.updateContext(), key.decl.name.text, from, target, where.inBoot);
    const ops = this.guardSites(this.fromLibrary(result, 'static_call_update', s.span));
    this.keys.update(key, target);
    if (ops.some((o) => o.op === 'update-begin')) return ops;
    const name = key.decl.name.text;
    return [
      { op: 'update-begin', key: name, target, step: `static_call_update(${name}, ${target}): begin`, span: s.span },
      ...ops,
      { op: 'update-end', key: name, step: `static_call_update(${name}): end`, span: s.span },
    ];
  }

  /** `static_branch_enable KEY` / `static_branch_disable KEY`: the generic part and the arch's protocol (lower-jump-labels.ts). */
  private staticBranch(s: Extract<PatcherStmt, { kind: 'static_branch' }>, where: Where): KernelOp[] {
    const { ctx } = this;
    const what = `static_branch_${s.op}`;
    if (where.inUpdate) ctx.sink.report('PL7026', s.span, what, 'inside an update');
    // skip_sync leaves out the synchronization after the writes: x86's tail sync, arm64's
    // kick_all_cpus_sync, riscv64's flush_icache_all. Power's patch_instruction has none to leave out.
    if (s.skipSync && (ctx.isa.arch === 'ppc32' || ctx.isa.arch === 'ppc64')) {
      ctx.sink.report('PL7109', s.skipSync.span, ctx.isa.arch, 'patch_instruction synchronizes each site itself');
    }
    if (s.skipSync && where.inBoot) ctx.sink.report('PL7109', s.skipSync.span, 'boot', 'nothing runs, so nothing is synchronized');
    const key = this.keys.byName.get(s.key.text);
    if (!key) ctx.sink.report('PL7010', s.key.span, s.key.text);
    else if (!key.jumpEntries) ctx.sink.report('PL7100', s.key.span, s.key.text, `\`${what}\` switches a \`static_key\``);
    if (!key?.jumpEntries) return [];
    const r = staticBranchUpdate(ctx, key, s, where.inBoot, this.several && !where.inBoot ? () => true : (a) => this.modules.live(a));
    this.keys.update(key, s.op === 'enable' ? 'true' : 'false');
    return this.guardSites(this.fromLibrary(r, what, s.span));
  }

  /**
   * static_call_add_module: every static call key's sites in the loading module, for the key's current
   * target; then jump_label_add_module: every static key's sites there, for its current value.
   */
  private addModuleSites(module: string, span: SourceSpan): KernelOp[] {
    const inModule = (a: bigint) => this.modules.inModule(module, a);
    const mine = this.backendContext(inModule);
    const keys = [...this.keys.byName.values()];
    if (this.several) return this.addModuleSitesForEachTarget(module, keys, span);
    const calls = keys.flatMap((k) =>
      k.backend ? this.fromLibrary(k.backend.addModule(mine, k.decl.name.text, k.current), 'static_call_add_module', span) : []);
    const labels = keys.flatMap((k) => (k.jumpEntries ? this.fromLibrary(jumpLabelAddModule(this.ctx, k, inModule), 'jump_label_add_module', span) : []));
    return [
      ...calls.map((o) => ({ ...o, step: `static_call_add_module: ${o.step}` })),
      ...labels.map((o) => ({ ...o, step: `jump_label_add_module: ${o.step}` })),
    ];
  }

  /**
   * With several patchers a load releases the update mutexes only after its text is live (3/3), so that an
   * update, which holds them, sees the module either with its sites written and live or not there at all:
   * its steps on the module's sites are guarded by the text being mapped (`guardSites`).
   */
  private unlockOnceLive(ops: KernelOp[]): KernelOp[] {
    if (!this.several) return ops;
    const unlocks = ops.filter((o) => o.op === 'mutex-unlock');
    return unlocks.length === 0 ? ops : [...ops.filter((o) => o.op !== 'mutex-unlock'), ...unlocks];
  }

  /**
   * With several patchers, static_call_add_module and jump_label_add_module as the kernel runs them: under
   * the update mutex (static_call_mutex, jump_label_mutex), so no update of the key is half done, each site
   * written for the key's target at that moment. Lowering cannot know it, so the sites are written for each
   * target the key can have (the patchers are lowered with those that load modules last, so every other
   * patcher's targets are known), each write guarded by its target.
   */
  private addModuleSitesForEachTarget(module: string, keys: readonly KeyState[], span: SourceSpan): KernelOp[] {
    const inModule = (a: bigint) => this.modules.inModule(module, a);
    const mine = this.backendContext(inModule);
    const ops: KernelOp[] = [];
    const mutexes = new Set<string>();
    for (const k of keys) {
      const name = k.decl.name.text;
      const targets = k.jumpEntries ? ['false', 'true'] : k.targets;
      for (const target of targets) {
        const written = k.backend
          ? this.fromLibrary(k.backend.addModule(mine, name, target), 'static_call_add_module', span).map((o) => ({ ...o, step: `static_call_add_module: ${o.step}` }))
          : k.jumpEntries ? this.fromLibrary(jumpLabelAddModule(this.ctx, k, inModule, target), 'jump_label_add_module', span).map((o) => ({ ...o, step: `jump_label_add_module: ${o.step}` })) : [];
        if (written.length > 0) mutexes.add(k.backend ? 'static_call_mutex' : 'jump_label_mutex');
        ops.push(...written.map((o): KernelOp => ({ ...o, step: `${o.step} (if ${name} is ${target})`, guard: { kind: 'target', key: name, target } })));
      }
    }
    const order = [...mutexes].sort();
    return [
      ...order.map((m): KernelOp => ({ op: 'mutex-lock', mutex: m, step: `mutex_lock ${m}`, span })),
      ...ops,
      ...order.reverse().map((m): KernelOp => ({ op: 'mutex-unlock', mutex: m, step: `mutex_unlock ${m}`, span })),
    ];
  }

  /**
   * `store ADDR, WIDTH, VALUE`: the value in the arch's byte order, as its atomic pieces (machine/store.ts:
   * on x86-64 an unaligned 2-, 4- or 8-byte store inside one cache line is one). Any width up to a cache
   * line: a store wider than 8 bytes (a 16-byte `stp`, a vector store) is never one atomic event.
   */
  private storeValue(s: Extract<PatcherStmt, { kind: 'store-value' }>): KernelOp[] {
    const { ctx } = this;
    const width = evaluate(ctx, s.width);
    if (width === undefined) return [];
    if (width < 1n || width > BigInt(MAX_STORE_WIDTH)) {
      ctx.sink.report('PL7019', s.width.span, width);
      return [];
    }
    const w = Number(width);
    const address = this.address(s.address, w);
    const value = evaluate(ctx, s.value);
    if (address === undefined || value === undefined) return [];
    if (value < -(1n << BigInt(8 * w - 1)) || value >= 1n << BigInt(8 * w)) {
      ctx.sink.report('PL7020', s.value.span, value, w);
      return [];
    }
    const bytes = new Uint8Array(w);
    writeUint(bytes, 0, w, BigInt.asUintN(8 * w, value), ctx.isa.endian);
    return this.rawStore(storePieces(ctx.isa.arch, Number(address), bytes), s.span);
  }

  /** The user's own bytes, as the atomic pieces MODEL.md section 2 cuts them into (or as `pieces`, stp's). */
  private rawStore(pieces: readonly StorePiece[], span: SourceSpan, name = 'store'): KernelOp[] {
    const ops = pieces.map((p, i): KernelOp => ({
      op: 'store', address: BigInt(p.address), bytes: p.bytes, span,
      step: pieces.length === 1 ? name : `${name} (piece ${i + 1}/${pieces.length})`,
    }));
    for (const op of ops) this.rawStores.add(op);
    return ops;
  }

  private insnWrite(primitive: InsnWrite, addressExpr: PokeSite['address'], insn: InsnText, span: SourceSpan): KernelOp[] {
    const { ctx } = this;
    const address = this.address(addressExpr, 1);
    const bytes = address === undefined ? undefined : this.assembleAt(insn, address, UNCOMPRESSED_WRITES.includes(primitive));
    if (address === undefined || !bytes) return [];
    if (WORD_WRITES.includes(primitive) && bytes.length !== 4) {
      ctx.sink.report('PL7033', insn.span, insn.text, bytes.length, primitive);
      return [];
    }
    return this.fromLibrary(ctx.lib.insnWrite(primitive, ctx.isa.arch, address, bytes), primitive, span);
  }

  private sites(sites: readonly PokeSite[]): PokeSiteBytes[] | undefined {
    const out: PokeSiteBytes[] = [];
    for (const site of sites) {
      const address = this.address(site.address, 1);
      const insn = address === undefined ? undefined : this.assembleAt(site.insn, address);
      if (address === undefined || !insn) return undefined;
      out.push({ address, insn });
    }
    return out;
  }

  private handler(h: HandlerChoice): BreakpointHandler | undefined {
    if (h.kind === 'emulate') return { kind: 'emulate' };
    if (h.kind === 'wait-and-reexecute') return { kind: h.kind, syncInNmi: h.nmiSync };
    if (!this.ctx.built.image.symbols.has(h.trampoline.text)) {
      this.ctx.sink.report('PL7009', h.trampoline.span, h.trampoline.text);
      return undefined;
    }
    // Seed 001's x86 hybrids are detours with the return address in %rax (the trampoline pushes it).
    if (h.kind === 'detour') return { kind: 'detour', trampoline: h.trampoline.text, link: undefined, irqsOff: false };
    return { kind: 'detour', trampoline: h.trampoline.text, link: 'rax', irqsOff: h.kind === 'sti-trampoline' };
  }

  /** An address that must lie inside the image for `size` bytes. */
  private address(e: PokeSite['address'], size: number): bigint | undefined {
    const a = evaluate(this.ctx, e);
    if (a === undefined) return undefined;
    if (!inImage(this.ctx, a, size)) {
      this.ctx.sink.report('PL7032', e.span, `0x${BigInt.asUintN(64, a).toString(16)}`);
      return undefined;
    }
    return a;
  }

  private assembleAt(insn: InsnText, address: bigint, uncompressed = false): Uint8Array | undefined {
    const text = uncompressed ? `.option norvc\n${insn.text}` : insn.text;
    const r = this.ctx.lib.assembleInsn(this.ctx.isa.arch, text, address, this.ctx.built.image.symbols);
    if ('error' in r) {
      this.ctx.sink.report('PL7021', insn.span, insn.text, `0x${address.toString(16)}`, r.error);
      return undefined;
    }
    return r.bytes;
  }

  private fromLibrary(r: PatchResult, what: string, span: SourceSpan): KernelOp[] {
    if ('ops' in r) return r.ops.map((o) => ({ ...o, span }));
    if ('error' in r) this.ctx.sink.report('PL7022', span, what, r.error);
    else this.ctx.sink.report('PL7024', span, r.missing);
    return [];
  }
}
