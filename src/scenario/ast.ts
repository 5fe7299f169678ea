// The syntax tree of a scenario file: what the parser recognised, with a span on everything a later
// diagnostic may point at. Names and numbers are kept as written; lowering resolves and checks them.

import type { SourceSpan } from '../base/diagnostics.js';
import type { KeyVisibility } from '../kernel/spec.js';

/** A name as written (`x86-64`, `fell-through`, `power.wordAtomicFetch`, `tramp`). */
export interface Word {
  readonly text: string;
  readonly span: SourceSpan;
}

/** ADDR / VALUE / TARGET expressions over code symbols and numbers, evaluated after linking. */
export type Expr =
  | { readonly kind: 'num'; readonly value: bigint; readonly span: SourceSpan }
  | { readonly kind: 'sym'; readonly name: string; readonly span: SourceSpan }
  | { readonly kind: 'neg'; readonly operand: Expr; readonly span: SourceSpan }
  | { readonly kind: 'binary'; readonly op: '+' | '-' | '*' | '&' | '|' | '<<' | '>>'; readonly left: Expr; readonly right: Expr; readonly span: SourceSpan };

/** An instruction in quotes, assembled at its address when the scenario is lowered. */
export interface InsnText {
  readonly text: string;
  readonly span: SourceSpan;
}

export interface Bound {
  readonly name: Word;
  readonly value: bigint;
  readonly span: SourceSpan;
}

export type Expectation =
  | { readonly verdict: 'safe'; readonly span: SourceSpan }
  | { readonly verdict: 'unsafe'; readonly kinds: readonly Word[]; readonly span: SourceSpan };

/**
 * `key NAME = TARGET` (raw) or `static_call NAME = TARGET BACKEND`, either with `visible=on-return|eventually`.
 * Targets are symbols, NULL or RET0.
 */
export interface KeyDecl {
  readonly name: Word;
  readonly initial: Word;
  readonly backend?: Word;
  /** As checked by the parser; absent: on-return. */
  readonly visibility?: KeyVisibility;
  /** `static_key NAME = false|true`: a jump label key, whose `initial` is its value. */
  readonly staticKey?: boolean;
  readonly span: SourceSpan;
}

/** `module NAME SECTION… [init SECTION…]`: a loadable module made of sections of the code. */
export interface ModuleDecl {
  readonly name: Word;
  readonly sections: readonly Word[];
  readonly init: readonly Word[];
  readonly span: SourceSpan;
}

export interface GroupDecl {
  readonly name: Word;
  readonly keys: readonly Word[];
  readonly span: SourceSpan;
}

export type TaskStmt =
  | { readonly kind: 'set'; readonly reg: Word; readonly value: Expr; readonly span: SourceSpan }
  | {
      readonly kind: 'call';
      readonly entry: Word;
      readonly args: readonly Expr[];
      readonly key?: Word;
      readonly expect?: Expr;
      /** `call_cond`: a static_call_cond() site (a NULL target makes the call a no-op). */
      readonly cond: boolean;
      /** `static_branch`: the call passes static_branch sites of `key`, a static key. */
      readonly branch?: boolean;
      readonly span: SourceSpan;
    }
  /** `query KEY [expect=TARGET]`: static_call_query(KEY). */
  | { readonly kind: 'query'; readonly key: Word; readonly expect?: Word; readonly span: SourceSpan }
  /** `wait_module MODULE`: wait between calls until MODULE is loaded. */
  | { readonly kind: 'wait_module'; readonly module: Word; readonly span: SourceSpan }
  | { readonly kind: 'repeat'; readonly count: number; readonly body: readonly TaskStmt[]; readonly span: SourceSpan }
  | { readonly kind: 'critical'; readonly group: Word; readonly body: readonly TaskStmt[]; readonly span: SourceSpan }
  | { readonly kind: 'plain'; readonly op: PlainTaskOp; readonly span: SourceSpan }
  /** `wait_update KEY N`: wait between calls until KEY has had N updates return. */
  | { readonly kind: 'wait_update'; readonly key: Word; readonly count: number; readonly span: SourceSpan };

export const PLAIN_TASK_OPS = ['preempt_disable', 'preempt_enable', 'irq_disable', 'irq_enable', 'rcu_read_lock', 'rcu_read_unlock'] as const;
export type PlainTaskOp = (typeof PLAIN_TASK_OPS)[number];

export interface TaskDecl {
  /** `task T1 T2` declares identical tasks. */
  readonly names: readonly Word[];
  readonly body: readonly TaskStmt[];
  readonly span: SourceSpan;
}

/** `ADDR, "insn"`: one site of a batch. */
export interface PokeSite {
  readonly address: Expr;
  readonly insn: InsnText;
  readonly span: SourceSpan;
}

/** How a site's breakpoint handler (text_poke_bp's, or `bp_arm`'s) treats a CPU that traps there (see kernel/spec.ts BreakpointHandler). */
export type HandlerChoice =
  | { readonly kind: 'emulate' }
  | { readonly kind: 'detour' | 'rax-trampoline' | 'sti-trampoline'; readonly trampoline: Word }
  /** Seed 004's handler (`bp_arm` only): wait in it, acking the PATCH_SYNC states, then re-execute the site. */
  | { readonly kind: 'wait-and-reexecute'; readonly nmiSync: boolean; readonly span: SourceSpan };

export const WAIT_OPS = ['sync_core', 'kick_all_cpus_sync', 'flush_icache_all', 'synchronize_rcu', 'synchronize_rcu_tasks'] as const;
export type WaitOp = (typeof WAIT_OPS)[number];

/** Primitives that write one instruction (`ADDR, "insn"`). */
export const INSN_WRITES = ['memcpy', 'text_poke', 'text_poke_early', 'patch_instruction', 'aarch64_insn_patch_text_nosync', 'patch_insn_write', 'patch_text_nosync', 'patch_text'] as const;
export type InsnWrite = (typeof INSN_WRITES)[number];

/** Primitives that write one value (`ADDR, VALUE`). */
export const VALUE_WRITES = ['patch_branch', 'patch_ulong', 'aarch64_insn_write_literal_u64'] as const;
export type ValueWrite = (typeof VALUE_WRITES)[number];

/** The patcher CPU's own cache maintenance and barriers, by the kernel's names; the first four take an address. */
export const CACHE_OPS = ['dc_cvau', 'ic_ivau', 'dcbst', 'icbi', 'dsb_ish', 'isb', 'sync', 'isync'] as const;
export type CacheOpName = (typeof CACHE_OPS)[number];
export const CACHE_OPS_BY_ADDRESS: readonly CacheOpName[] = ['dc_cvau', 'ic_ivau', 'dcbst', 'icbi'];

export type PatcherStmt =
  | { readonly kind: 'boot'; readonly body: readonly PatcherStmt[]; readonly span: SourceSpan }
  /** `update K -> T [, K2 -> T2 …] … end`: one logical update of one key, or of several switched together. */
  | { readonly kind: 'update'; readonly changes: readonly { readonly key: Word; readonly target: Word }[]; readonly body: readonly PatcherStmt[]; readonly span: SourceSpan }
  | { readonly kind: 'static_call_update'; readonly key: Word; readonly target: Word; readonly span: SourceSpan }
  /** `static_branch_enable KEY [skip_sync]`, `static_branch_disable KEY [skip_sync]`. */
  | { readonly kind: 'static_branch'; readonly op: 'enable' | 'disable'; readonly key: Word; readonly skipSync?: Word; readonly span: SourceSpan }
  /** `wait_calls TASK N`: the patcher waits until TASK has completed N calls. */
  | { readonly kind: 'wait_calls'; readonly task: Word; readonly count: number; readonly span: SourceSpan }
  | { readonly kind: 'store-value'; readonly address: Expr; readonly width: Expr; readonly value: Expr; readonly span: SourceSpan }
  | { readonly kind: 'store-insn'; readonly address: Expr; readonly insn: InsnText; readonly span: SourceSpan }
  /** arm64 `stp ADDR, V1, V2`: two 64-bit registers stored as two atomic 8-byte pieces. */
  | { readonly kind: 'stp'; readonly address: Expr; readonly first: Expr; readonly second: Expr; readonly span: SourceSpan }
  /** `dc_cvau ADDR`, `dsb_ish`, `icbi ADDR`, `isync`, …: one instruction of the patcher's CPU. */
  | { readonly kind: 'cache-op'; readonly op: CacheOpName; readonly address?: Expr; readonly span: SourceSpan }
  | { readonly kind: 'flush_icache_range'; readonly start: Expr; readonly end: Expr; readonly span: SourceSpan }
  | { readonly kind: 'insn-write'; readonly primitive: InsnWrite; readonly address: Expr; readonly insn: InsnText; readonly span: SourceSpan }
  | { readonly kind: 'value-write'; readonly primitive: ValueWrite; readonly address: Expr; readonly value: Expr; readonly span: SourceSpan }
  | {
      readonly kind: 'text_poke_bp';
      readonly sites: readonly PokeSite[];
      readonly handler: HandlerChoice;
      readonly skipSync: boolean;
      readonly span: SourceSpan;
    }
  /** `bp_arm ADDR, "insn" [handler=H]`: arm the site's breakpoint handler (for `insn`); `bp_disarm ADDR`. */
  /** `desc=NAME`: armed in a shared descriptor (text_poke_bp's `bp_desc`) rather than the site's own handler. */
  | { readonly kind: 'bp_arm'; readonly site: PokeSite; readonly handler: HandlerChoice; readonly descriptor?: Word; readonly span: SourceSpan }
  | { readonly kind: 'bp_disarm'; readonly address: Expr; readonly descriptor?: Word; readonly span: SourceSpan }
  /** `patch_sync STATE`: seed 004's step: publish a PATCH_SYNC state, wait until every stopped CPU acked it. */
  | { readonly kind: 'patch_sync'; readonly state: Word; readonly span: SourceSpan }
  | { readonly kind: 'text_poke_late'; readonly sites: readonly PokeSite[]; readonly nmiSync: boolean; readonly span: SourceSpan }
  | { readonly kind: 'wait'; readonly op: WaitOp; readonly span: SourceSpan }
  | { readonly kind: 'mutex'; readonly op: 'lock' | 'unlock'; readonly name: Word; readonly span: SourceSpan }
  | { readonly kind: 'stop_machine'; readonly body: readonly PatcherStmt[]; readonly span: SourceSpan }
  /** `module_load M`, `module_init_done M`, `module_unload M`. */
  | { readonly kind: 'module'; readonly op: ModuleOp; readonly name: Word; readonly span: SourceSpan };

export const MODULE_OPS = ['module_load', 'module_init_done', 'module_unload'] as const;
export type ModuleOp = (typeof MODULE_OPS)[number];

export interface PatcherDecl {
  /** Absent for `patcher` alone (named `patcher`). */
  readonly name?: Word;
  readonly body: readonly PatcherStmt[];
  readonly span: SourceSpan;
}

export interface CodeBlock {
  /** The source between `code` and `end`, lines joined with `\n`; its first line is `firstLine` of the file. */
  readonly text: string;
  readonly firstLine: number;
  readonly span: SourceSpan;
}

export interface SectionPlacement {
  readonly name: Word;
  readonly address: Expr;
  readonly span: SourceSpan;
}

/** A whole scenario file. Header lines absent from the file are undefined (lowering reports what it needs). */
export interface ScenarioAst {
  readonly file: string;
  readonly name?: Word;
  readonly arch?: Word;
  readonly knobs: readonly Word[];
  readonly bounds: readonly Bound[];
  readonly expect?: Expectation;
  readonly sections: readonly SectionPlacement[];
  readonly code?: CodeBlock;
  readonly keys: readonly KeyDecl[];
  readonly groups: readonly GroupDecl[];
  readonly modules: readonly ModuleDecl[];
  readonly tasks: readonly TaskDecl[];
  readonly nmi?: { readonly body: readonly TaskStmt[]; readonly span: SourceSpan };
  readonly irq?: { readonly body: readonly TaskStmt[]; readonly span: SourceSpan };
  /** `patcher [NAME] … end` blocks, in file order: patcher i runs on CPU i. */
  readonly patchers: readonly PatcherDecl[];
}
