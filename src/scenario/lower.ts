// A parsed scenario to the world the checker explores, and the verdict the file expects.
//
// Order: header (arch, knobs, bounds, expect) → keys' trampolines appended to the code → assemble and
// link → code objects → tasks (repeats unrolled) → the patcher's program (which also collects each key's
// targets and group generations) → what each patch statement overwrites (lower-extents.ts) → WorldSpec. Diagnostics are collected throughout; any error means no spec.

import { DiagnosticSink, type Diagnostic } from '../base/diagnostics.js';
import { isaFor, isArchName } from '../isa/registry.js';
import { ARCH_NAMES, type ArchName } from '../isa/types.js';
import type { Bounds, JumpEntry, PatcherSpec, Target, TaskSpec, WorldSpec } from '../kernel/spec.js';
import { VIOLATION_KINDS, type ViolationKind } from '../kernel/violation.js';
import { DEFAULT_KNOBS, type FetchKnobs } from '../machine/fetch.js';
import { staticCallSymbols } from '../patching/static-call.js';
import type { Expectation, ScenarioAst, TaskStmt } from './ast.js';
import { evaluateIn, resolveTarget, type LowerContext } from './lower-context.js';
import { checkPatchExtents } from './lower-extents.js';
import { buildImage, type ExtraSource, type Placement } from './lower-image.js';
import { readJumpTable, staticKeySource } from './lower-jump-labels.js';
import { KeyTable } from './lower-keys.js';
import { ModuleTable } from './lower-modules.js';
import { PatcherLowering } from './lower-patcher.js';
import { lowerTaskBody } from './lower-tasks.js';
import { patchingLibrary, type PatchingLibrary, type StaticCallBackendApi } from './patching-bridge.js';
import { parseScenario } from './parser.js';

export type ExpectedVerdict = { readonly verdict: 'safe' } | { readonly verdict: 'unsafe'; readonly kinds: readonly ViolationKind[] };

export interface LoweredScenario {
  readonly name: string;
  readonly spec: WorldSpec;
  /** `kinds` empty: unsafe by any kind. */
  readonly expect: ExpectedVerdict;
}

export type LowerResult = { readonly ok: true; readonly scenario: LoweredScenario } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Where the patcher's writable alias of text starts, relative to text. */
export const ALIAS_OFFSET = 0x4000_0000n;

const KNOBS: Readonly<Record<string, keyof FetchKnobs>> = {
  strictFetch: 'strictFetch',
  'power.wordAtomicFetch': 'powerWordAtomicFetch',
  'x86.alignedAtomicFetch': 'x86AlignedAtomicFetch',
  'arm64.idc': 'arm64Idc',
  'arm64.dic': 'arm64Dic',
  'riscv.ziccif': 'riscvZiccif',
  'riscv.ziccid': 'riscvZiccid',
};
const BOUND_NAMES = ['cpus', 'interrupts', 'preemptions', 'nmis'] as const;
/** A bound beyond this is a typo, not a model anyone can check. */
const MAX_BOUND = 64n;

/** The one entry point of the CLI: text to a lowered scenario, or diagnostics (never throws on bad input). */
/** What lowering may spend: `maxImageBytes`, the largest image the code may assemble to (PL6141 past it). */
export interface LowerLimits {
  readonly maxImageBytes?: number;
}

export function parseAndLower(text: string, file: string, lib: PatchingLibrary = patchingLibrary, limits: LowerLimits = {}): LowerResult {
  const { ast, diagnostics } = parseScenario(text, file);
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return lowerScenario(ast, lib, limits);
}

export function lowerScenario(ast: ScenarioAst, lib: PatchingLibrary = patchingLibrary, limits: LowerLimits = {}): LowerResult {
  const sink = new DiagnosticSink();
  const fail = (): LowerResult => ({ ok: false, diagnostics: [...sink.list].sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col) });
  const top = { file: ast.file, line: 1, col: 1 };
  if (!ast.name) sink.report('PL7013', top, 'scenario', 'give the scenario a name');
  if (!ast.arch) sink.report('PL7013', top, 'arch', `one of ${ARCH_NAMES.join(', ')}`);
  if (!ast.code) sink.report('PL7013', top, 'code', 'a `code … end` block with the functions the tasks call');
  if (ast.arch && !isArchName(ast.arch.text)) sink.report('PL7003', ast.arch.span, ast.arch.text, ARCH_NAMES.join(', '));
  const knobs = lowerKnobs(ast, sink);
  const expect = lowerExpect(ast.expect, ast.file, sink);
  checkDuplicates(ast, sink);
  if (!ast.arch || !isArchName(ast.arch.text) || !ast.code) return fail();
  const arch: ArchName = ast.arch.text;
  const isa = isaFor(arch);

  const backends = keyBackends(ast, arch, lib, sink);
  const extra: ExtraSource[] = [];
  for (const k of ast.keys) {
    const b = backends.get(k.name.text);
    if (b) extra.push({ text: b.trampolineSource(k.name.text, k.initial.text as Target), span: k.span });
  }
  // A static key gets its struct static_key in data, which its __jump_table entries refer to.
  for (const k of ast.keys) if (k.staticKey) extra.push({ text: staticKeySource(k), span: k.span });
  // A queried key gets its static_call_key: the pointer-sized `func` word that an update writes first.
  const queried = queriedKeys(ast);
  for (const k of ast.keys) if (queried.has(k.name.text)) extra.push({ text: funcWordSource(k.name.text), span: k.span });
  const placements: Placement[] = [];
  for (const s of ast.sections) {
    const address = evaluateIn(new Map(), sink, s.address);
    if (address !== undefined) placements.push({ name: s.name.text, address, span: s.span });
  }
  const built = buildImage(isa, ast.file, ast.code, extra, placements, sink, limits.maxImageBytes);
  if (!built || sink.count > 0) return fail();

  const ctx: LowerContext = { isa, built, sink, lib };
  const jumpEntries = readJumpTable(ctx, ast.code, ast.keys);
  const keyInits = ast.keys.flatMap((decl): { decl: typeof decl; initial: Target; backend?: StaticCallBackendApi; jumpEntries?: JumpEntry[] }[] => {
    if (decl.staticKey) return [{ decl, initial: decl.initial.text, jumpEntries: jumpEntries.get(decl.name.text) ?? [] }];
    const initial = resolveTarget(ctx, decl.initial);
    return initial === undefined ? [] : [{ decl, initial, backend: backends.get(decl.name.text) }];
  });
  const keys = new KeyTable(keyInits, ast.groups);
  const modules = new ModuleTable(ast.modules, built.image, sink);
  const names = { keys: new Set(ast.keys.map((k) => k.name.text)), staticKeys: new Set(ast.keys.filter((k) => k.staticKey).map((k) => k.name.text)), groups: new Set(ast.groups.map((g) => g.name.text)), modules: new Set(ast.modules.map((m) => m.name.text)) };
  for (const g of ast.groups) for (const k of g.keys) if (!names.keys.has(k.text)) sink.report('PL7010', k.span, k.text);

  const tasks: TaskSpec[] = ast.tasks.flatMap((t) => {
    const program = lowerTaskBody(ctx, names, t.body);
    return t.names.map((n): TaskSpec => ({ name: n.text, program, span: n.span }));
  });
  const nmiProgram = ast.nmi ? lowerTaskBody(ctx, names, ast.nmi.body) : [];
  const irqProgram = ast.irq ? lowerTaskBody(ctx, names, ast.irq.body) : [];
  const patchers = lowerPatchers(ast, ctx, keys, modules);
  const bounds = lowerBounds(ast, tasks.length, patchers.length, sink);
  if (sink.count > 0 || !expect) return fail();

  const spec: WorldSpec = {
    arch, knobs, image: built.image, objects: built.objects, sourceLines: built.sourceLines, aliasOffset: ALIAS_OFFSET,
    tasks, nmiProgram, irqProgram, patchers, bounds,
    keys: keys.specs().map((k) => (queried.has(k.name) ? { ...k, funcAddress: built.image.symbols.get(staticCallSymbols(k.name).key) } : k)),
    ...(ast.modules.length > 0 ? { modules: modules.specs() } : {}),
  };
  return { ok: true, scenario: { name: ast.name!.text, spec, expect } };
}

function lowerKnobs(ast: ScenarioAst, sink: DiagnosticSink): FetchKnobs {
  const knobs: Record<keyof FetchKnobs, boolean> = { ...DEFAULT_KNOBS };
  for (const k of ast.knobs) {
    const field = KNOBS[k.text];
    if (field === undefined || !Object.hasOwn(KNOBS, k.text)) sink.report('PL7004', k.span, k.text, Object.keys(KNOBS).join(', '));
    else knobs[field] = true;
  }
  return knobs;
}

/** A scenario must say what it expects: a missing `expect` line is an error, not a default. */
function lowerExpect(e: Expectation | undefined, file: string, sink: DiagnosticSink): ExpectedVerdict | undefined {
  if (!e) {
    sink.report('PL7013', { file, line: 1, col: 1 }, 'expect', '`expect safe` or `expect unsafe [KIND|…]`');
    return undefined;
  }
  if (e.verdict === 'safe') return { verdict: 'safe' };
  const kinds: ViolationKind[] = [];
  for (const k of e.kinds) {
    if ((VIOLATION_KINDS as readonly string[]).includes(k.text)) kinds.push(k.text as ViolationKind);
    else sink.report('PL7005', k.span, k.text, VIOLATION_KINDS.join(', '));
  }
  return { verdict: 'unsafe', kinds };
}

/**
 * Each `patcher` block to its program, in file order (patcher i runs on CPU i). Without one, a patcher
 * with nothing to do but the boot (CPU 0 stays the patcher's). Only the first patcher boots: the kernel's
 * static_call_init and the `boot` block are its; the others start once boot is over.
 */
function lowerPatchers(ast: ScenarioAst, ctx: LowerContext, keys: KeyTable, modules: ModuleTable): PatcherSpec[] {
  if (ast.patchers.length === 0) return [{ name: 'patcher', program: [] }];
  const decls = ast.patchers;
  const several = decls.length > 1;
  // A module's statements are checked in one program's order (absent, live, init freed, gone): with
  // several patchers they must all be in one of them.
  const loader = new Map<string, number>();
  decls.forEach((decl, i) => {
    for (const s of decl.body) {
      if (s.kind !== 'module') continue;
      const other = loader.get(s.name.text);
      if (other !== undefined && other !== i) ctx.sink.report('PL7045', s.span, s.op, s.name.text, decls[other].name?.text ?? 'patcher');
      else loader.set(s.name.text, i);
    }
  });
  // Patchers that load modules are lowered last: a load writes its sites for every target its keys can
  // have, which the other patchers' updates name (lower-patcher.ts). Each program keeps its place.
  const order = decls.map((_, i) => i).sort((a, b) => Number(hasModules(decls[a])) - Number(hasModules(decls[b])) || a - b);
  const out: PatcherSpec[] = new Array(decls.length);
  for (const i of order) {
    const decl = decls[i];
    const lowering = new PatcherLowering(ctx, keys, modules, several);
    const program = lowering.program(decl.body, i === 0);
    checkPatchExtents(program, lowering.rawStores, ctx.isa, ctx.built.image, ctx.built.objects, ctx.sink);
    out[i] = { name: decl.name?.text ?? 'patcher', program, span: decl.name?.span ?? decl.span };
  }
  return out;
}

function hasModules(decl: ScenarioAst['patchers'][number]): boolean {
  return decl.body.some((s) => s.kind === 'module');
}

/** Defaults: one CPU per task plus the patchers' (at least one for tasks); no interrupts, preemptions or NMIs. */
function lowerBounds(ast: ScenarioAst, tasks: number, patchers: number, sink: DiagnosticSink): Bounds {
  const b: Record<(typeof BOUND_NAMES)[number], number> = { cpus: Math.max(patchers + 1, tasks + patchers), interrupts: 0, preemptions: 0, nmis: 0 };
  const seen = new Set<string>();
  for (const bound of ast.bounds) {
    const name = bound.name.text;
    if (!(BOUND_NAMES as readonly string[]).includes(name)) {
      sink.report('PL7015', bound.name.span, name, BOUND_NAMES.join(', '));
      continue;
    }
    if (seen.has(name)) sink.report('PL7028', bound.name.span, name);
    seen.add(name);
    const min = name === 'cpus' ? BigInt(patchers + (tasks > 0 ? 1 : 0)) : 0n;
    if (bound.value < min || bound.value > MAX_BOUND) {
      sink.report('PL7027', bound.name.span, name, `${min} to ${MAX_BOUND}`, bound.value);
      continue;
    }
    b[name as (typeof BOUND_NAMES)[number]] = Number(bound.value);
  }
  return b;
}

/** Keys, groups and tasks share no names within their kind; a key is in at most one group. */
function checkDuplicates(ast: ScenarioAst, sink: DiagnosticSink): void {
  const unique = (what: string, words: readonly { text: string; span: Diagnostic['span'] }[]) => {
    const seen = new Set<string>();
    for (const w of words) {
      if (seen.has(w.text)) sink.report('PL7008', w.span, what, w.text);
      seen.add(w.text);
    }
  };
  unique('key', ast.keys.map((k) => k.name));
  unique('group', ast.groups.map((g) => g.name));
  unique('task', ast.tasks.flatMap((t) => t.names));
  const groupOf = new Map<string, string>();
  for (const g of ast.groups) {
    for (const k of g.keys) {
      const prev = groupOf.get(k.text);
      if (prev !== undefined) sink.report('PL7029', k.span, k.text, prev);
      else groupOf.set(k.text, g.name.text);
    }
  }
}

/** Keys some task, NMI or IRQ program queries (`query KEY`). */
function queriedKeys(ast: ScenarioAst): Set<string> {
  const out = new Set<string>();
  const walk = (body: readonly TaskStmt[]): void => {
    for (const s of body) {
      if (s.kind === 'query') out.add(s.key.text);
      else if (s.kind === 'repeat' || s.kind === 'critical') walk(s.body);
    }
  };
  for (const t of ast.tasks) walk(t.body);
  if (ast.nmi) walk(ast.nmi.body);
  if (ast.irq) walk(ast.irq.body);
  return out;
}

/** A key's static_call_key in data: its `func` word, pointer-sized (the kernel initialises it for the initial target). */
function funcWordSource(key: string): string {
  const sym = staticCallSymbols(key).key;
  return [`\t.pushsection .data.static_call_keys, "aw"`, `\t.balign 8`, `\t.globl ${sym}`, `${sym}:`, `\t.space 8`, `\t.popsection`, ''].join('\n');
}

/** Each `static_call` key's back end; reports a back end the arch lacks (or a layer that lacks them all). */
function keyBackends(ast: ScenarioAst, arch: ArchName, lib: PatchingLibrary, sink: DiagnosticSink): Map<string, StaticCallBackendApi> {
  const out = new Map<string, StaticCallBackendApi>();
  for (const k of ast.keys) {
    if (!k.backend) continue;
    const names = lib.staticCallBackends(arch);
    if (!Array.isArray(names)) {
      sink.report('PL7024', k.span, (names as { missing: string }).missing);
      continue;
    }
    const backend = names.includes(k.backend.text) ? lib.staticCallBackend(arch, k.backend.text) : undefined;
    if (!backend) sink.report('PL7012', k.backend.span, k.backend.text, arch, names.join(', ') || '(none)');
    else out.set(k.name.text, backend);
  }
  return out;
}
