// The table's own consistency: what the derived encoder, decoder, printer and parser rely on.

import { describe, expect, it } from 'vitest';
import { assemble } from '../asm/assembler.js';
import { ALIASES, LAYOUTS, encodeWord } from './encode.js';
import { ppc32Isa, ppc64Isa } from './index.js';
import { BRANCH_SPELLINGS, validBo } from './table-branch.js';
import { PPC_TABLE, type EntrySpec, type PpcOp } from './table.js';

const OPS = Object.keys(PPC_TABLE) as PpcOp[];

describe('ppc table', () => {
  it('marks exactly the patch class of Power ISA Book II: b, ba, bl, bla and the preferred no-op', () => {
    const marked = OPS.filter((op) => (PPC_TABLE[op] as EntrySpec).patchClass);
    expect(marked).toEqual(['b', 'ba', 'bl', 'bla', 'nop']);
    expect(encodeWord({ op: 'nop' })).toBe(0x60000000);
  });

  it('gives no two entries the same bits', () => {
    const seen = new Map<string, PpcOp>();
    for (const op of OPS) {
      const key = `${LAYOUTS[op].match}/${LAYOUTS[op].mask}`;
      expect(seen.get(key), `${op} and ${seen.get(key)}`).toBeUndefined();
      seen.set(key, op);
    }
  });

  it('has aliases that only name fields of their entry', () => {
    for (const op of OPS) {
      const fields = new Set(LAYOUTS[op].fields);
      for (const a of ALIASES[op]) {
        for (const f of [...Object.keys(a.when ?? {}), ...(a.same ?? []), ...a.operands.flatMap((o) => o.slice(1))]) {
          expect(fields.has(f as never), `${a.mnemonic}: ${f} of ${op}`).toBe(true);
        }
      }
    }
  });

  it('has a spelling for every BO the assembler accepts, and none for those it never does', () => {
    for (let bo = 0; bo < 32; bo++) {
      const somewhere = validBo(bo, 32) || validBo(bo, 64);
      expect(BRANCH_SPELLINGS.b[bo] !== undefined, `BO ${bo}`).toBe(somewhere);
    }
  });

  it('assembles every alias the table says GNU as takes, in the modes it says', () => {
    for (const op of OPS) {
      for (const a of ALIASES[op]) {
        for (const [mode, isa] of [[32, ppc32Isa], [64, ppc64Isa]] as const) {
          const operands = a.operands.map((o) => (o[0] === 'mem' || o[0] === 'memds' ? '8(1)' : o[0] === 'crf?' ? 'cr1' : '3'));
          const src = `${a.mnemonic} ${operands.join(',')}`;
          const ok = assemble(src, isa, 't.s').diagnostics.length === 0;
          const want = a.asm === 'both' || (a.asm === '64' && mode === 64);
          expect(ok, `${src} in ppc${mode}`).toBe(want);
        }
      }
    }
  });
});
