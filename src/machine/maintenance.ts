// The writer's cache maintenance as a per-CPU state machine: clean, barrier, invalidate, barrier.
//
// arm64: `DC CVAU x; DSB ISH; IC IVAU x; DSB ISH`. ppc: `dcbst x; sync; icbi x; sync`. A clean is
// complete at the CPU's next barrier; an invalidate of a cleaned line, at the barrier after it. Only then
// do other CPUs become certain of the words in that line (MODEL.md section 3, without strictFetch).

/** Cache line size the model uses for maintenance by address. */
export const LINE = 64;

export interface Maintenance {
  /** Lines cleaned, waiting for a barrier. */
  readonly cleaning: readonly number[];
  /** Lines whose clean completed. */
  readonly clean: readonly number[];
  /** Lines invalidated after their clean, waiting for a barrier. */
  readonly invalidating: readonly number[];
}

export const NO_MAINTENANCE: Maintenance = Object.freeze({ cleaning: [], clean: [], invalidating: [] });

const add = (xs: readonly number[], x: number): readonly number[] => (xs.includes(x) ? xs : [...xs, x].sort((a, b) => a - b));

export function lineOf(phys: number): number {
  return phys - (phys % LINE);
}

export function clean(m: Maintenance, phys: number): Maintenance {
  return { ...m, cleaning: add(m.cleaning, lineOf(phys)) };
}

/** An instruction-cache invalidate counts only for a line whose clean has completed. */
export function invalidate(m: Maintenance, phys: number): Maintenance {
  const line = lineOf(phys);
  return m.clean.includes(line) ? { ...m, invalidating: add(m.invalidating, line) } : m;
}

/** A barrier completes pending cleans and invalidates; returns the lines now certain everywhere. */
export function barrier(m: Maintenance): { next: Maintenance; completed: readonly number[] } {
  let cleanLines = m.clean;
  for (const l of m.cleaning) cleanLines = add(cleanLines, l);
  const completed = m.invalidating;
  const next = { cleaning: [], clean: cleanLines.filter((l) => !completed.includes(l)), invalidating: [] };
  return { next, completed };
}

export function isIdle(m: Maintenance): boolean {
  return m.cleaning.length === 0 && m.clean.length === 0 && m.invalidating.length === 0;
}
