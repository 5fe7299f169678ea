// The writer's cache maintenance: cleans and invalidates in flight per CPU, completed cleans machine-wide.
//
// arm64: `DC CVAU x; DSB ISH; IC IVAU x; DSB ISH`. ppc: `dcbst x; sync; icbi x; sync`. Both act on a
// whole line. A clean is complete at its CPU's next barrier, and then holds for the whole machine (the
// data reached the point of unification) for every fetch unit of the line, until a store to a unit
// makes that unit dirty again. An invalidate counts for the units clean at that moment, whichever CPU
// cleaned them, and is complete at its own CPU's next barrier. Only then may other CPUs become certain
// of those units (MODEL.md section 3). Cleanliness is per unit, as herd7 tracks it per location.

import type { Hasher } from '../base/hash.js';

/** Cache line size the model uses for maintenance by address. */
export const LINE = 64;

/** Feed one CPU's maintenance in flight to a fingerprint. */
export function hashMaintenance(h: Hasher, m: Maintenance): void {
  h.word(m.cleaning.length).word(m.invalidating.length);
  for (const l of m.cleaning) h.word(l);
  for (const l of m.invalidating) h.word(l);
}

export interface Maintenance {
  /** Lines this CPU cleaned, waiting for its barrier. */
  readonly cleaning: readonly number[];
  /** Units this CPU invalidated while they were clean, waiting for its barrier. */
  readonly invalidating: readonly number[];
}

export const NO_MAINTENANCE: Maintenance = Object.freeze({ cleaning: [], invalidating: [] });

/** `xs` (ascending) with `x` added in its place; `xs` itself when it has it. */
export function add(xs: readonly number[], x: number): readonly number[] {
  let i = 0;
  while (i < xs.length && xs[i] < x) i++;
  if (xs[i] === x) return xs;
  const out = xs.slice(0, i);
  out.push(x);
  for (; i < xs.length; i++) out.push(xs[i]);
  return out;
}

export function lineOf(phys: number): number {
  return phys - (phys % LINE);
}

export function clean(m: Maintenance, phys: number): Maintenance {
  return { ...m, cleaning: add(m.cleaning, lineOf(phys)) };
}

/** An instruction-cache invalidate of the line holding `phys` counts for its units that are clean now. */
export function invalidate(m: Maintenance, cleanUnits: readonly number[], phys: number): Maintenance {
  const line = lineOf(phys);
  let invalidating = m.invalidating;
  for (const u of cleanUnits) if (u >= line && u < line + LINE) invalidating = add(invalidating, u);
  return invalidating === m.invalidating ? m : { ...m, invalidating };
}

/** `ic ialluis`: an invalidate of every line, which counts for every unit clean now. */
export function invalidateAll(m: Maintenance, cleanUnits: readonly number[]): Maintenance {
  let invalidating = m.invalidating;
  for (const u of cleanUnits) invalidating = add(invalidating, u);
  return invalidating === m.invalidating ? m : { ...m, invalidating };
}

/**
 * A barrier on this CPU completes its cleans (every unit of those lines joins the machine-wide
 * `cleanUnits`) and its invalidates (returned as `completed`: units now maintained).
 */
export function barrier(
  m: Maintenance, cleanUnits: readonly number[], unitSize: number,
): { next: Maintenance; cleanUnits: readonly number[]; completed: readonly number[] } {
  let units = cleanUnits;
  for (const line of m.cleaning) for (let u = line; u < line + LINE; u += unitSize) units = add(units, u);
  return { next: NO_MAINTENANCE, cleanUnits: units, completed: m.invalidating };
}
