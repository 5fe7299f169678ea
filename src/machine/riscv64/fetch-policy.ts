// How a riscv64 hart fetches code that is being changed under it (MODEL.md section 3, Zifencei).
//
// The fetch unit is the naturally aligned 16-bit parcel: an instruction is one parcel (the C extension)
// or two, and a 4-byte instruction's parcels are fetched each from its own window, so a hart may see
// one parcel old and the other new (fetch.ts). Nothing is CONSTRAINED UNPREDICTABLE: whatever mix
// decodes is what runs, and what does not decode is an illegal instruction. A hart becomes certain of
// the stores before it by executing FENCE.I (outcomes.ts), and only so: trap entry and return do not
// synchronize its instruction fetch, which is why Linux's flush_icache_all() sends FENCE.I to every
// hart. `riscv.ziccif` (fetch.ts) keeps an aligned instruction's parcels together; `riscv.ziccid`
// makes fetches monotonic and ordered across units by the global order of stores (below).

import { decode, parcelLength } from '../../isa/riscv64/decode.js';
import { BASE_OP } from '../../isa/riscv64/index.js';
import type { BaseOp } from '../../isa/riscv64/table.js';
import type { FetchKnobs, FetchPolicy } from '../fetch.js';

/** The instruction's length from its first parcel, or undefined when the bytes do not decode. */
function length(bytes: Uint8Array): number | undefined {
  if (bytes.length < 2) return undefined;
  const n = parcelLength(bytes[0] | (bytes[1] << 8));
  if (bytes.length < n) return n;
  return decode(bytes, 0) === undefined ? undefined : n;
}

/**
 * The instructions whose fetch the rems-project Ziccif-only model orders before nothing but their own effects:
 * no load, store or AMO (whose access the fetch precedes, `ir1`), no trap or CSR (the kernel's business). A
 * FENCE and a FENCE.I are in: what they order is other instructions' accesses (MP.FR+patched-fence.r.r,
 * MP.FF+patched-fence.i are allowed there).
 */
const ORDERED_BEFORE_NOTHING: ReadonlySet<BaseOp> = new Set<BaseOp>([
  'lui', 'auipc', 'jal', 'jalr', 'beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu',
  'addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'slli', 'srli', 'srai', 'addiw', 'slliw', 'srliw', 'sraiw',
  'add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'addw', 'subw', 'sllw', 'srlw', 'sraw',
  'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'mulw', 'divw', 'divuw', 'remw', 'remuw',
  'fence', 'fence_tso', 'fence_i',
]);

function orderedBeforeNothing(bytes: Uint8Array): boolean {
  const insn = decode(bytes, 0);
  if (insn === undefined || insn.op === 'c_unimp') return false;
  return ORDERED_BEFORE_NOTHING.has(BASE_OP[insn.op] as BaseOp);
}

export const riscv64FetchPolicy: FetchPolicy = Object.freeze({
  unit: 2,
  exceptionSync: { entry: false, return: false },
  // Without Ziccid nothing orders a hart's fetches of one parcel before its FENCE.I (the rems-project
  // models allow CoFF on Zifencei and Ziccif hardware); with it they follow the global order of stores.
  fetchesMonotonic: (knobs: FetchKnobs) => knobs.riscvZiccid,
  orderedFetch: (knobs: FetchKnobs) => knobs.riscvZiccid,
  // FENCE.I orders the hart's earlier explicit loads and stores before its later fetches (the rems-project
  // models' ir3), not its earlier fetches: without Ziccid, which orders those too, it makes the hart
  // certain only of the stores before its last data access (CoFF+fencei and MP.FF+fencei are allowed).
  syncAnchoredOnAccess: (knobs: FetchKnobs) => !knobs.riscvZiccid,
  // Without Ziccid the fetch of an instruction with no data access of its own is ordered before nothing of
  // the hart's but that instruction's effects (ir1): it may read a store that comes after the hart's later
  // loads and stores (CoFR, LB.FF, MP.FR allowed by the suite's Ziccif-only model). With Ziccid fetches are
  // in program order (ir2), each before its instruction's accesses: no late fetch.
  lateFetch: (knobs: FetchKnobs) => !knobs.riscvZiccid,
  orderedBeforeNothing,
  maxLength: 4,
  endian: 'little',
  length,
  concurrentFetchDefined: () => true,
});
