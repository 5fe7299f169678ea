// The table is consistent: layouts, operand coverage, decode precedence, aliases, the CMODX column.

import { describe, expect, it } from 'vitest';
import { decodeWord, isCmodx } from './index.js';
import { FORMS, compileTemplate, type Form, type Piece } from './table-layout.js';
import { SLOTS, type SlotName } from './table-names.js';
import { TABLE } from './table.js';

/** The fields each slot sets, as written in table-names.ts's legend (restated here, not derived). */
const SLOT_FIELDS: Readonly<Record<SlotName, readonly string[]>> = {
  Rd: ['rd'], 'Rd|SP': ['rd'], Rn: ['rn'], 'Rn|SP': ['rn'], Rm: ['rm'], Rt: ['rt'], Rt2: ['rt2'], 'Xn|SP': ['rn'], Xn: ['rn'], Xt: ['rt'],
  'Rt|bit': ['rt'], 'Rm|ext': ['rm'], 'Rm|ldst': ['rm'], label: ['imm26', 'imm19', 'imm14', 'imm21'], page: ['imm21'],
  imm16: ['imm16'], 'imm16|dec': ['imm16'], imm12: ['imm12'], imm: ['imm'], bit: ['bit'], imm6: ['imm6'], sh12: ['sh'], hw16: ['hw'],
  shift: ['shift'], 'shift|ror': ['shift'], extend: ['option', 'imm3'], 'ldst-extend': ['option', 's'], bitmask: ['n', 'immr', 'imms'],
  wide: ['hw', 'imm16'], 'wide-inverted': ['hw', 'imm16'], pimm: ['imm12'], simm9: ['imm9'], simm7: ['imm7'], barrier: ['crm'],
  'isb-option': ['crm'], targets: ['targets'], crm: ['crm'], Wn: ['rn'], immr: ['immr'], imms: ['imms'],
  Ws: ['rs'], zero: [], cond: ['cond'], 'cond-inv': ['cond'], sysreg: ['sysreg'],
  'lsl-amount': ['immr', 'imms'], 'lsr-amount': ['immr', 'imms'], 'ins-lsb': ['immr'], 'ins-width': ['imms'], 'ext-lsb': ['immr'], 'ext-width': ['imms'],
};

function slots(pieces: readonly Piece[]): SlotName[] {
  return pieces.flatMap((p) => (p.kind === 'slot' ? [p.slot] : p.kind === 'optional' ? slots(p.pieces) : []));
}

function covered(form: Form, pieces: readonly Piece[], when: Readonly<Record<string, number>>): Set<string> {
  const out = new Set<string>([...Object.keys(when), ...Object.keys(form.spec.sameAs ?? {})]);
  for (const s of slots(pieces)) for (const f of SLOT_FIELDS[s]) out.add(f);
  // A register of the entry's width sets sf.
  if ((form.spec.width ?? 'sf') === 'sf' && slots(pieces).some((s) => SLOTS[s].kind === 'reg' && 'width' in SLOTS[s] && SLOTS[s].width === 'entry')) out.add('sf');
  return out;
}

describe('the arm64 table', () => {
  it('compiles every entry', () => {
    expect(FORMS.map((f) => f.op)).toEqual(Object.keys(TABLE));
    expect(FORMS.length).toBeGreaterThanOrEqual(100);
  });

  it('gives every field of every entry an operand, in its own spelling and in each alias', () => {
    for (const form of FORMS) {
      const fields = form.fields.map((f) => f.name);
      // `b.<cond>` carries its field in the mnemonic.
      const own = covered(form, form.own.pieces, { ...form.spec.defaults, ...(form.own.mnemonic.includes('<cond>') ? { cond: 0 } : {}) });
      expect(fields.filter((f) => !own.has(f)), form.op).toEqual([]);
      for (const alias of form.aliases) {
        const c = covered(form, alias.pieces, { ...form.spec.defaults, ...alias.when, ...Object.fromEntries(Object.keys(alias.sameAs).map((k) => [k, 0])) });
        expect(fields.filter((f) => !c.has(f)), `${form.op} as ${alias.mnemonic}`).toEqual([]);
        for (const name of Object.keys(alias.when)) expect(fields, `${form.op} alias ${alias.mnemonic}`).toContain(name);
      }
    }
  });

  it('decides every overlap by specificity: the more specific entry fixes every bit the other fixes', () => {
    for (const a of FORMS) {
      for (const b of FORMS) {
        if (a === b || ((a.value ^ b.value) & a.mask & b.mask) !== 0) continue;
        const [general, specific] = a.specificity < b.specificity ? [a, b] : [b, a];
        expect(a.specificity, `${a.op} and ${b.op} overlap with the same specificity`).not.toBe(b.specificity);
        expect((specific.mask & general.mask) >>> 0, `${specific.op} over ${general.op}`).toBe(general.mask);
      }
    }
  });

  it('marks exactly Arm\'s concurrent-modification set as cmodx', () => {
    const cmodx = FORMS.filter((f) => f.spec.cmodx).map((f) => f.op).sort();
    expect(cmodx).toEqual(['b', 'bl', 'brk', 'hvc', 'isb', 'nop', 'smc', 'svc']);
  });

  it('parses templates into text, slots and optional groups', () => {
    expect(compileTemplate('<Rt>, [<Xn|SP>{, #<pimm>}]')).toEqual([
      { kind: 'slot', slot: 'Rt' }, { kind: 'text', text: ', [' }, { kind: 'slot', slot: 'Xn|SP' },
      { kind: 'optional', pieces: [{ kind: 'text', text: ', #' }, { kind: 'slot', slot: 'pimm' }] }, { kind: 'text', text: ']' },
    ]);
    expect(() => compileTemplate('<Nope>')).toThrow(/unknown slot/);
  });
});

describe('isCmodx', () => {
  it('answers for decoded instructions: nop is in the set, other hints are not', () => {
    expect(isCmodx(decodeWord(0xd503201f)!)).toBe(true); // nop
    expect(isCmodx(decodeWord(0xd503203f)!)).toBe(false); // yield
    expect(isCmodx(decodeWord(0xd50333df)!)).toBe(true); // isb #3
    expect(isCmodx(decodeWord(0x94000000)!)).toBe(true); // bl
    expect(isCmodx(decodeWord(0xd65f03c0)!)).toBe(false); // ret
  });
});
