// The patcher CPU's cache maintenance, barriers and flush_icache_range, and arm64's `stp`: statements to
// KernelOps, with the checks of their arch and operands. Each instruction is one transition.

import { writeUint } from '../base/bits.js';
import type { ArchName } from '../isa/types.js';
import type { CacheInsn, KernelOp } from '../kernel/spec.js';
import { LINE } from '../machine/maintenance.js';
import type { StorePiece } from '../machine/store.js';
import type { CacheOpName, Expr, PatcherStmt } from './ast.js';
import { evaluate, type LowerContext } from './lower-context.js';

const ARM64 = { family: 'arm64', arches: ['arm64'] } as const;
const POWERPC = { family: 'powerpc', arches: ['ppc32', 'ppc64'] } as const;

/**
 * Each statement: its arch, the instruction it is (by what it does: kernel/spec.ts CacheInsn), and its
 * name in traces. arm64 by-address maintenance is by virtual address to the point of unification.
 */
const CACHE_OPS = Object.freeze({
  dc_cvau: { ...ARM64, kind: 'clean', mnemonic: 'dc cvau' },
  dsb_ish: { ...ARM64, kind: 'barrier', mnemonic: 'dsb ish' },
  ic_ivau: { ...ARM64, kind: 'invalidate', mnemonic: 'ic ivau' },
  isb: { ...ARM64, kind: 'context-sync', mnemonic: 'isb' },
  dcbst: { ...POWERPC, kind: 'clean', mnemonic: 'dcbst' },
  sync: { ...POWERPC, kind: 'barrier', mnemonic: 'sync' },
  icbi: { ...POWERPC, kind: 'invalidate', mnemonic: 'icbi' },
  isync: { ...POWERPC, kind: 'context-sync', mnemonic: 'isync' },
} as const satisfies Record<CacheOpName, { family: string; arches: readonly ArchName[]; kind: CacheInsn['kind']; mnemonic: string }>);

/** flush_icache_range exists on both maintenance arches (on x86-64 the kernel's is empty: nothing to model). */
export const FLUSH_ICACHE_RANGE_ARCHES = { family: 'arm64 and powerpc', arches: ['arm64', 'ppc32', 'ppc64'] } as const;

/** Lines one flush_icache_range may cover: each is two steps, and a whole page would only slow the search. */
export const MAX_FLUSH_LINES = 16;

/** An address that must lie inside the image for `size` bytes (PL7032 otherwise), as the patcher checks it. */
export type AddressCheck = (e: Expr, size: number) => bigint | undefined;

/** `dc_cvau ADDR`, `dsb_ish`, …: one `cache` op, or none after a diagnostic. */
export function lowerCacheOp(ctx: LowerContext, s: Extract<PatcherStmt, { kind: 'cache-op' }>, address: AddressCheck): KernelOp[] {
  const row = CACHE_OPS[s.op];
  if (!(row.arches as readonly ArchName[]).includes(ctx.isa.arch)) {
    ctx.sink.report('PL7014', s.span, s.op, row.family, ctx.isa.arch);
    return [];
  }
  if (row.kind === 'barrier' || row.kind === 'context-sync') return [{ op: 'cache', insn: { kind: row.kind }, step: row.mnemonic, span: s.span }];
  const at = s.address && address(s.address, 1);
  if (at === undefined) return [];
  return [{ op: 'cache', insn: { kind: row.kind, address: at }, step: `${row.mnemonic} 0x${at.toString(16)}`, span: s.span }];
}

/** START and END of `flush_icache_range`, checked: inside the image, START below END, not too many lines. */
export function flushRange(ctx: LowerContext, s: Extract<PatcherStmt, { kind: 'flush_icache_range' }>, address: AddressCheck): { start: bigint; end: bigint } | undefined {
  const start = evaluate(ctx, s.start);
  const end = evaluate(ctx, s.end);
  if (start === undefined || end === undefined) return undefined;
  if (end <= start) {
    ctx.sink.report('PL7151', s.end.span, `0x${BigInt.asUintN(64, start).toString(16)}`, `0x${BigInt.asUintN(64, end).toString(16)}`);
    return undefined;
  }
  const line = BigInt(LINE);
  const lines = Number((end + line - 1n) / line - start / line);
  if (lines > MAX_FLUSH_LINES) {
    ctx.sink.report('PL7152', s.span, lines, LINE, MAX_FLUSH_LINES);
    return undefined;
  }
  return address(s.start, Number(end - start)) === undefined ? undefined : { start, end };
}

/**
 * `stp ADDR, V1, V2` (MODEL.md section 2): V1 at ADDR and V2 at ADDR+8, little-endian, as the two atomic
 * 8-byte pieces of an arm64 store pair, left to right. Each piece is single-copy atomic only when aligned,
 * so ADDR must be 8-aligned (PL7150).
 */
export function stpPieces(ctx: LowerContext, s: Extract<PatcherStmt, { kind: 'stp' }>, address: AddressCheck): StorePiece[] | undefined {
  const at = address(s.address, 16);
  const values = [s.first, s.second].map((e) => {
    const v = evaluate(ctx, e);
    if (v !== undefined && (v < -(1n << 63n) || v >= 1n << 64n)) {
      ctx.sink.report('PL7020', e.span, v, 8);
      return undefined;
    }
    return v;
  });
  if (at === undefined || values.some((v) => v === undefined)) return undefined;
  if (at % 8n !== 0n) {
    ctx.sink.report('PL7150', s.address.span, 'stp', 8, `0x${at.toString(16)}`);
    return undefined;
  }
  return values.map((v, i) => {
    const bytes = new Uint8Array(8);
    writeUint(bytes, 0, 8, BigInt.asUintN(64, v!), 'little');
    return { address: Number(at) + 8 * i, bytes };
  });
}
