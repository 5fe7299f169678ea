// How an arm64 CPU fetches a word that is being changed under it (MODEL.md section 3, Arm's rule).
//
// Arm ARM B2.2.5, "Concurrent modification and execution of instructions": a word fetched while it
// is being changed behaves as its old or its new value only if both are among B, BL, NOP, BRK, SVC,
// HVC, SMC and ISB (the table's `cmodx` column). Otherwise the result is CONSTRAINED UNPREDICTABLE:
// `unpredictable`. The window holds every value the word had since this CPU was last certain of it,
// including the halves of a word written by two stores, so requiring *every* value to be in the set
// covers a sequence of modifications; a word never written whole passes only if each step is in it.

import { decodeWord, isCmodx } from '../../isa/arm64/index.js';
import type { FetchKnobs, FetchPolicy } from '../fetch.js';

function wordOf(bytes: Uint8Array): number {
  return (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
}

/** In Arm's permitted set? An undecodable word never is. */
function permittedForConcurrentModification(bytes: Uint8Array): boolean {
  const insn = decodeWord(wordOf(bytes));
  return insn !== undefined && isCmodx(insn);
}

export const arm64FetchPolicy: FetchPolicy = Object.freeze({
  unit: 4,
  exceptionSync: { entry: true, return: true },
  maxLength: 4,
  endian: 'little',
  length: (bytes: Uint8Array) => (bytes.length >= 4 && decodeWord(wordOf(bytes)) !== undefined ? 4 : undefined),
  concurrentFetchDefined: (values: readonly Uint8Array[]) => values.every(permittedForConcurrentModification),
  // With DIC, herd7 orders a CPU's fetches like coherent loads, across locations too: a fetch that a later
  // fetch of the same CPU misses a store for is ordered before that store (aarch64.cat: Instr-read-ordered-before
  // has `ca` under DIC, in IC-ob). Once a CPU fetched a value, no store up to it is missed by its later fetches.
  orderedFetch: (knobs: FetchKnobs) => knobs.strictFetch && knobs.arm64Dic,
  // herd7's IC-ob: of two fetches in program order, if the later one is ordered before an IC (it may still
  // see what that IC's maintenance replaced), so is the earlier one, and before everything after the IC's
  // DSB. So once a CPU fetched a value stored after an IC's maintenance completed, its later fetches of
  // the lines that IC invalidated see at least what the maintenance made visible (coFF+cachesync: Forbidden).
  maintenanceBindsFetch: (knobs: FetchKnobs) => knobs.strictFetch,
});
