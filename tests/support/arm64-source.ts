// An arm64 instruction as GNU as source, written apart from print.ts: the entry's own spelling, every optional operand explicit.
//
// Branch targets become `.+N`, immediates decimal, optional groups always written out (`ret x30`,
// `add x0, x1, #5, lsl #0`, `isb #15`), so GNU as parses what objdump would abbreviate. Also the
// strict objdump comparison arm64 needs (normalizeDisasm drops everything after the first `#`).

import { decodeBitmask } from '../../src/isa/arm64/table-bitmask.js';
import { FORM_BY_OP, accessSize, entryIsX, type Arm64Insn, type Fields, type Form, type Piece } from '../../src/isa/arm64/table-layout.js';
import { BARRIER_OPTIONS, BTI_TARGETS, CONDITIONS, EXTENDS, SHIFTS, SLOTS, type SlotName } from '../../src/isa/arm64/table-names.js';

function reg(n: number, x: boolean, sp: boolean): string {
  if (n === 31) return sp ? (x ? 'sp' : 'wsp') : x ? 'xzr' : 'wzr';
  return `${x ? 'x' : 'w'}${n}`;
}

const rel = (bytes: number): string => (bytes < 0 ? `.-${-bytes}` : `.+${bytes}`);

function slotSource(name: SlotName, form: Form, f: Fields): string {
  const slot = SLOTS[name];
  switch (slot.kind) {
    case 'reg': {
      const x = slot.width === 'x' ? true
        : slot.width === 'w' ? false
        : slot.width === 'entry' ? entryIsX(form, f)
          : slot.width === 'bit' ? f.bit >= 32
            : slot.width === 'ext' ? f.sf === 1 && (f.option & 3) === 3
              : (f.option & 1) === 1;
      return reg(f[slot.field], x, slot.sp);
    }
    case 'imm': return String(f[slot.field]);
    case 'label': {
      if ('imm21' in f) return rel(f.imm21);
      const offset = f.imm26 ?? f.imm19 ?? f.imm14;
      return rel(offset * 4);
    }
    case 'page': return rel(f.imm21 * 4096);
    case 'lsl': return String(f[slot.field] * slot.unit);
    case 'shift': return SHIFTS[f.shift];
    case 'extend': return `${EXTENDS[f.option]} #${f.imm3}`;
    case 'ldst-extend': {
      const amount = Math.log2(accessSize(form, f));
      if (f.s === 0) return f.option === 3 ? '' : EXTENDS[f.option];
      return `${f.option === 3 ? 'lsl' : EXTENDS[f.option]} #${amount}`;
    }
    case 'bitmask': return `0x${decodeBitmask({ n: f.n, immr: f.immr, imms: f.imms }, f.sf === 1 ? 64 : 32)!.toString(16)}`;
    case 'wide': return '';
    case 'offset': return String(f[slot.field] * (slot.scaled ? accessSize(form, f) : 1));
    case 'barrier': return BARRIER_OPTIONS[f.crm] ?? `#${f.crm}`;
    case 'isb-option': return `#${f.crm}`;
    case 'targets': return BTI_TARGETS[f.targets];
    case 'zero': return '0';
    case 'cond': return CONDITIONS[slot.inverted ? f.cond ^ 1 : f.cond].name;
    // Every system register by its generic name, which GNU as takes for any.
    case 'sysreg': return `s${2 + (f.sysreg >> 14)}_${(f.sysreg >> 11) & 7}_c${(f.sysreg >> 7) & 15}_c${(f.sysreg >> 3) & 15}_${f.sysreg & 7}`;
    // Only aliases use these; the source is written in the entry's own spelling.
    case 'bitfield': return '';
  }
}

function render(pieces: readonly Piece[], form: Form, f: Fields): string {
  let out = '';
  for (const p of pieces) {
    if (p.kind === 'text') out += p.text;
    else if (p.kind === 'slot') out += slotSource(p.slot, form, f);
    else out += render(p.pieces, form, f);
  }
  // A register offset without its shift leaves `, ]`.
  return out.replace(/, \]/, ']');
}

/** GNU as source for the instruction, in the entry's own (not alias) spelling. */
export function arm64Source(insn: Arm64Insn): string {
  const form = FORM_BY_OP[insn.op];
  const f = insn as unknown as Fields;
  const mnemonic = form.own.mnemonic.replace('<cond>', CONDITIONS[f.cond]?.name ?? '');
  return `${mnemonic} ${render(form.own.pieces, form, f)}`.trim();
}

/** objdump's text without comments (`// #16`, `; undefined`) and symbol annotations (`<g+0x4>`), keeping `#` immediates. */
export function strictDisasm(mnemonic: string, operands: string): string {
  return `${mnemonic} ${operands.replace(/\s+<[^>]*>/g, '').replace(/\s*(\/\/|;).*$/, '')}`.replace(/\s+/g, ' ').trim();
}
