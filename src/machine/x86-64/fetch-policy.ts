// How an x86-64 CPU fetches code that is being changed under it (MODEL.md section 3): byte by byte.
//
// Every byte has its own window, so an instruction may be decoded from a mix of old and new bytes: the
// fetcher tries each combination and asks `length` how many bytes the result takes. Nothing about the
// values makes a fetch undefined on x86 (no Arm or Power rule), so concurrentFetchDefined, which the
// fetcher asks only of 4-byte units, says yes.

import { decode } from '../../isa/x86-64/decode.js';
import type { FetchPolicy } from '../fetch.js';

export const x86_64FetchPolicy: FetchPolicy = Object.freeze({
  unit: 1,
  exceptionSync: { entry: false, return: true },
  maxLength: 15,
  endian: 'little',
  length: (bytes: Uint8Array) => decode(bytes, 0)?.length,
  concurrentFetchDefined: () => true,
});
