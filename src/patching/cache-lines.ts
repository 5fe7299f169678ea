// The cache lines a by-address maintenance loop of the kernel visits (arm64 `dcache_by_line_op`, ppc
// `clean_dcache_range`): from the range's start rounded down to a line, one address per line.

import type { KernelOp } from '../kernel/spec.js';
import { LINE } from '../machine/maintenance.js';

/** Line addresses covering [start, end); none for an empty range. The model's line is MODEL.md's 64 bytes. */
export function linesOf(start: bigint, end: bigint): bigint[] {
  const line = BigInt(LINE);
  const out: bigint[] = [];
  for (let a = start - (start % line); a < end; a += line) out.push(a);
  return out;
}

/** A KernelOp before its label: each member of the union without `step`. */
type Unlabelled = KernelOp extends infer O ? (O extends KernelOp ? Omit<O, 'step'> : never) : never;

/** Label each op of a protocol `name i/n: …` in order, as the numbered comment above its code does. */
export function numbered(name: string, ops: readonly (Unlabelled & { readonly what: string })[]): KernelOp[] {
  return ops.map(({ what, ...op }, i) => ({ ...op, step: `${name} ${i + 1}/${ops.length}: ${what}` }) as KernelOp);
}
