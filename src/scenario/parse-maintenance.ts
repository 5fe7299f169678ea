// Patcher statements of cache maintenance and wide stores: `dc_cvau ADDR`, `dsb_ish`, `icbi ADDR`, …,
// `flush_icache_range START, END` and arm64's `stp ADDR, V1, V2`. Which arch each belongs to is lowering's business.

import { CACHE_OPS, CACHE_OPS_BY_ADDRESS, type CacheOpName, type PatcherStmt } from './ast.js';
import type { Line } from './reader.js';

export function isCacheOp(name: string): name is CacheOpName {
  return (CACHE_OPS as readonly string[]).includes(name);
}

/** `dc_cvau ADDR`, `ic_ivau ADDR`, `dcbst ADDR`, `icbi ADDR`, or a bare `dsb_ish`, `isb`, `sync`, `isync`. */
export function parseCacheOp(line: Line, op: CacheOpName): PatcherStmt | undefined {
  const { cursor: c, head } = line;
  if (!CACHE_OPS_BY_ADDRESS.includes(op)) {
    c.finish();
    return { kind: 'cache-op', op, span: head.span };
  }
  const address = c.expr('an address');
  c.finish();
  return address && { kind: 'cache-op', op, address, span: head.span };
}

/** `flush_icache_range START, END` (END exclusive, as the kernel's). */
export function parseFlushIcacheRange(line: Line): PatcherStmt | undefined {
  const { cursor: c, head } = line;
  const start = c.expr('a start address');
  const end = start && c.expectPunct(',') ? c.expr('an end address') : undefined;
  c.finish();
  return start && end && { kind: 'flush_icache_range', start, end, span: head.span };
}

/** `stp ADDR, V1, V2`: V1 at ADDR, V2 at ADDR+8. */
export function parseStp(line: Line): PatcherStmt | undefined {
  const { cursor: c, head } = line;
  const address = c.expr('an address');
  const first = address && c.expectPunct(',') ? c.expr('a 64-bit value') : undefined;
  const second = first && c.expectPunct(',') ? c.expr('a 64-bit value') : undefined;
  c.finish();
  return address && first && second && { kind: 'stp', address, first, second, span: head.span };
}
