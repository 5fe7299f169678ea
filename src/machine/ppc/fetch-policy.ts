// How a ppc CPU fetches a word that is being changed under it (MODEL.md section 3, Power's rule).
//
// Power ISA Book II, "Concurrent Modification and Execution of Instructions": a word another CPU is
// changing is fetched as its old or its new value only when both are in the patch class (the I-form
// branches b, ba, bl, bla and the preferred no-op `ori 0,0,0`) and the new value was written by one
// atomic 4-byte store. Otherwise the result is undefined: `unpredictable`. The knob
// `power.wordAtomicFetch` widens the class to every instruction, still only for whole-word stores.

import { PPC_TABLE, type PpcInsn } from '../../isa/ppc/table.js';
import type { FetchKnobs, FetchPolicy } from '../fetch.js';

type Decode = (bytes: Uint8Array, offset: number) => PpcInsn | undefined;

/** In the patch class: the table's `patchClass` column. An undecodable word never is. */
function inPatchClass(decode: Decode, value: Uint8Array): boolean {
  const insn = decode(value, 0);
  return insn !== undefined && 'patchClass' in PPC_TABLE[insn.op];
}

export function ppcFetchPolicy(endian: 'big' | 'little', decode: Decode): FetchPolicy {
  return Object.freeze({
    unit: 4,
    exceptionSync: { entry: true, return: true },
    maxLength: 4,
    endian,
    length: (bytes: Uint8Array) => (decode(bytes, 0) === undefined ? undefined : 4),
    concurrentFetchDefined(values: readonly Uint8Array[], wholeAfterFirst: boolean, knobs: FetchKnobs): boolean {
      // A word assembled from pieces of several stores is no instruction anyone wrote: never defined.
      if (!wholeAfterFirst) return false;
      if (knobs.powerWordAtomicFetch) return true;
      return values.every((v) => inPatchClass(decode, v));
    },
  });
}
