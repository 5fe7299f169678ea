// Breakpoints as state in the patcher's program: `bp_arm` and `bp_disarm` to KernelOps, and the check
// that every statement (a protocol's steps included) arms only a site no handler holds and disarms only
// an armed one. The program is one straight line, so which sites are armed is known at every statement.

import type { SourceSpan } from '../base/diagnostics.js';
import type { BreakpointHandler, KernelOp } from '../kernel/spec.js';
import type { Expr, InsnText, PatcherStmt } from './ast.js';
import type { LowerContext } from './lower-context.js';
import type { AddressCheck } from './lower-maintenance.js';

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** How lowering resolves what a `bp_arm` names: the site's instruction, and its handler's detour symbol. */
export interface BreakpointOperands {
  readonly address: AddressCheck;
  readonly assemble: (insn: InsnText, address: bigint) => Uint8Array | undefined;
  readonly handler: (s: Extract<PatcherStmt, { kind: 'bp_arm' }>) => BreakpointHandler | undefined;
}

/**
 * `bp_arm ADDR, "insn" [handler=H] [nmi_sync=on|off]`: one bp-arm step. A detour through %rax (seed 001's
 * rax- and sti-trampoline) exists only on x86-64; `emulate`, `detour:SYM` and `wait-and-reexecute` (seed
 * 004's handler: nothing in it is x86's but the name of the sync) on every arch.
 */
export function lowerBpArm(ctx: LowerContext, s: Extract<PatcherStmt, { kind: 'bp_arm' }>, on: BreakpointOperands): KernelOp[] {
  const h = s.handler;
  if ((h.kind === 'rax-trampoline' || h.kind === 'sti-trampoline') && ctx.isa.arch !== 'x86-64') {
    // At the handler's value: the trampoline's span less `KIND:`.
    ctx.sink.report('PL7202', { ...h.trampoline.span, col: h.trampoline.span.col - h.kind.length - 1 }, `${h.kind}:${h.trampoline.text}`, ctx.isa.arch);
    return [];
  }
  const address = on.address(s.site.address, 1);
  const insn = address === undefined ? undefined : on.assemble(s.site.insn, address);
  const handler = on.handler(s);
  if (address === undefined || !insn || !handler) return [];
  const does = handler.kind === 'emulate' ? `emulates ${s.site.insn.text}`
    : handler.kind === 'wait-and-reexecute' ? `waits, acking the PATCH_SYNC states${handler.syncInNmi ? '' : ' (from an NMI without a sync)'}, then re-executes`
    : h.kind === 'detour' ? `calls ${handler.trampoline} for the site` : `${h.kind}:${handler.trampoline}`;
  const desc = s.descriptor ? { descriptor: s.descriptor.text } : {};
  return [{ op: 'bp-arm', address, insn, handler, ...desc, step: `bp_arm ${hex(address)}: the breakpoint handler ${does}`, span: s.span }];
}

/** `bp_disarm ADDR`: one bp-disarm step. */
export function lowerBpDisarm(s: Extract<PatcherStmt, { kind: 'bp_disarm' }>, address: AddressCheck): KernelOp[] {
  const a = address(s.address, 1);
  const desc = s.descriptor ? { descriptor: s.descriptor.text } : {};
  return a === undefined ? [] : [{ op: 'bp-disarm', address: a, ...desc, step: `bp_disarm ${hex(a)}`, span: s.span }];
}

/**
 * The sites armed so far, in program order. A site armed twice (a `bp_arm` over a protocol's own, a
 * `text_poke_bp` of a site the scenario holds) would leave the kernel's table ambiguous; a disarm of a
 * site nobody armed is a mistake of the scenario's. Both are diagnostics at the statement (at its
 * address for `bp_arm` / `bp_disarm`).
 */
export class ArmedSites {
  private readonly armed = new Map<bigint, SourceSpan>();

  constructor(private readonly ctx: LowerContext) {}

  /** The steps of one statement `what` at `span`, in order; `at`: the span of its address, if it names one. */
  note(ops: readonly KernelOp[], what: string, span: SourceSpan, at?: Expr): void {
    for (const op of ops) {
      if (op.op === 'bp-arm') {
        const before = this.armed.get(op.address);
        if (before) this.ctx.sink.report('PL7200', at?.span ?? span, what, hex(op.address), `line ${before.line}`);
        else this.armed.set(op.address, span);
      } else if (op.op === 'bp-disarm') {
        if (!this.armed.delete(op.address)) this.ctx.sink.report('PL7201', at?.span ?? span, hex(op.address));
      }
    }
  }
}
