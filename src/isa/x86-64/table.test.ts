// The tables hold together: one decoding per byte pattern, complete register files, every spelling known.

import { describe, expect, it } from 'vitest';
import { lookupMnemonic } from './syntax-select.js';
import { modrmDigit, X86_FORMS, X86_OPS, type FormSpec } from './table-forms.js';
import { CONDITIONS, gprName, PREFIXES, REGISTERS, type GprSize } from './table.js';

/** The byte patterns a form claims: opcode map and byte, ModRM reg digit or fixed byte, mandatory prefix. */
function claims(spec: FormSpec): string[] {
  const last = spec.opcode[spec.opcode.length - 1];
  const span = spec.cond ? 16 : spec.operands.includes('+r') ? 8 : 1;
  const modrm = typeof spec.modrm === 'number' ? `=${spec.modrm}` : modrmDigit(spec) !== undefined ? `/${modrmDigit(spec)}` : '';
  // xchg's 90+r claims 90 only with REX.B (`xchg %eax,%r8d`), which nop excludes.
  const rexB = spec.operands.includes('acc') && spec.operands.includes('+r') ? 'B' : '';
  return Array.from({ length: span }, (_, j) => `${spec.opcode.length}:${last + j}${j === 0 ? rexB : ''}${modrm}|${spec.mandatory ?? ''}`);
}

describe('x86-64 tables', () => {
  it('gives every byte pattern to one form at most', () => {
    const owner = new Map<string, string>();
    for (const op of X86_OPS) {
      if (op === 'prefix') continue;
      for (const c of claims(X86_FORMS[op])) {
        expect(owner.get(c), `${op} and ${owner.get(c)} both claim ${c}`).toBeUndefined();
        owner.set(c, op);
      }
    }
  });

  it('has every general register of every size, numbered 0–15', () => {
    for (const size of [8, 16, 32, 64] as GprSize[]) {
      const names = Array.from({ length: 16 }, (_, n) => gprName(n, size, true));
      expect(new Set(names).size).toBe(16);
      names.forEach((r, n) => expect(REGISTERS[r]).toMatchObject({ num: n, size }));
    }
    expect(['ah', 'ch', 'dh', 'bh'].map((_, i) => gprName(4 + i, 8, false))).toEqual(['ah', 'ch', 'dh', 'bh']);
  });

  it('knows every mnemonic, alias and condition spelling of the table', () => {
    for (const op of X86_OPS) {
      const spec = X86_FORMS[op];
      if (op === 'prefix' || spec.cond) continue;
      for (const name of [spec.mnemonic, ...(spec.aliases ?? [])]) expect(lookupMnemonic(name)?.ops, name).toContain(op);
    }
    CONDITIONS.forEach((names, cond) => {
      for (const n of names) expect(lookupMnemonic(`j${n}`)).toMatchObject({ cond, ops: ['jcc_rel8', 'jcc_rel32'] });
    });
    expect(lookupMnemonic('addl')).toMatchObject({ suffix: 32 });
    expect(lookupMnemonic('jmpq')).toMatchObject({ suffix: 64 });
    expect(lookupMnemonic('callq')?.ops).toEqual(['call_rel32', 'call_rm']);
    expect(lookupMnemonic('int3l')).toBeUndefined();
    expect(lookupMnemonic('cs')).toBeUndefined();
  });

  it('keeps prefix words apart from mnemonics', () => {
    for (const p of Object.keys(PREFIXES)) expect(lookupMnemonic(p), p).toBeUndefined();
  });

  it('is frozen', () => {
    expect(Object.isFrozen(X86_FORMS)).toBe(true);
    expect(Object.isFrozen(REGISTERS)).toBe(true);
  });
});
