// The arm64 golden cases: every table entry, in every spelling GNU as takes, at the edges of every field.
//
// One instruction per line, branch targets as `.+N` so that GNU as resolves them itself (adrp is the
// exception: GNU as always leaves its page to a relocation, and the bytes are zero there as ours are).
// llvm-mc-14 (-mattr=+bti) agrees with GNU as on the bytes of every case it assembles; it rejects 37:
// the SVE condition names (`b.none` … `b.tstop`, and as csel/cset operands), the register name `ip0`, `mov` with a shift, and
// what needs an extension it is not given (smc, sb, esb, psb/tsb csync, clearbhb, dc cvap).

import type { ArchName } from '../../src/isa/types.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const CONDS = ['eq', 'ne', 'cs', 'hs', 'cc', 'lo', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];
const SVE_CONDS = ['none', 'any', 'nlast', 'last', 'ul', 'first', 'nfrst', 'pmore', 'plast', 'tcont', 'tstop'];
const HINTS = ['yield', 'wfe', 'wfi', 'sev', 'sevl', 'dgh', 'xpaclri', 'pacia1716', 'pacib1716', 'autia1716', 'autib1716', 'esb',
  'psb csync', 'tsb csync', 'csdb', 'clearbhb', 'paciaz', 'paciasp', 'pacibz', 'pacibsp', 'autiaz', 'autiasp', 'autibz', 'autibsp'];
const BARRIERS = ['oshld', 'oshst', 'osh', 'nshld', 'nshst', 'nsh', 'ishld', 'ishst', 'ish', 'ld', 'st', 'sy'];
const EXTENDS = ['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx'];

function branches(): string[] {
  const out: string[] = [];
  for (const m of ['b', 'bl']) for (const t of ['.', '.+4', '.-4', '.+0x7fffffc', '.-0x8000000']) out.push(`${m} ${t}`);
  for (const c of CONDS) out.push(`b.${c} .+8`);
  for (const c of SVE_CONDS) out.push(`b.${c} .-8`);
  for (const c of ['eq', 'ne', 'hs', 'lo', 'gt']) out.push(`b${c} .+4`);
  out.push('b.eq .+0xffffc', 'b.ne .-0x100000');
  for (const m of ['cbz', 'cbnz']) {
    for (const r of ['w0', 'w30', 'wzr', 'x0', 'x30', 'xzr']) out.push(`${m} ${r}, .+8`);
    out.push(`${m} x1, .+0xffffc`, `${m} w2, .-0x100000`);
  }
  for (const m of ['tbz', 'tbnz']) {
    for (const [r, bit] of [['w0', 0], ['w30', 31], ['wzr', 5], ['x1', 32], ['x2', 63], ['x3', 7], ['xzr', 40]] as const) out.push(`${m} ${r}, #${bit}, .+8`);
    out.push(`${m} w4, 1, .+0x7ffc`, `${m} x5, #60, .-0x8000`);
  }
  for (const m of ['br', 'blr']) for (const r of ['x0', 'x16', 'x30', 'xzr']) out.push(`${m} ${r}`);
  out.push('ret', 'ret x0', 'ret x30', 'ret xzr', 'ret lr', 'br ip0', 'blr fp', 'eret');
  return out;
}

function system(): string[] {
  const out: string[] = [];
  for (const m of ['brk', 'svc', 'hvc', 'smc']) for (const v of ['#0', '#1', '#0x8000', '#0xffff', '12']) out.push(`${m} ${v}`);
  out.push('udf #0', 'udf #100', 'udf #65535');
  out.push('nop', 'sb', 'ssbb', 'pssbb', 'bti', 'bti c', 'bti j', 'bti jc', 'BTI C');
  out.push(...HINTS);
  for (const n of range(128)) out.push(`hint #${n}`);
  out.push('isb', 'isb sy');
  for (const n of range(16)) out.push(`isb #${n}`, `dsb #${n}`, `dmb #${n}`);
  for (const b of BARRIERS) out.push(`dsb ${b}`, `dmb ${b}`);
  for (const op of ['dc cvau', 'dc cvac', 'dc cvap', 'dc civac', 'dc ivac', 'ic ivau']) for (const r of ['x0', 'x17', 'xzr']) out.push(`${op}, ${r}`);
  out.push('ic iallu', 'ic ialluis');
  for (const v of ['#0', '#2', '#0xf', '15']) out.push(`msr daifset, ${v}`, `msr daifclr, ${v}`);
  return out;
}

function loadsStores(): string[] {
  const out: string[] = [];
  for (const r of ['w0', 'x1', 'wzr', 'x30']) out.push(`ldr ${r}, .+8`, `ldr ${r}, .-0x100000`);
  out.push('ldr x2, .+0xffffc', 'ldrsw x3, .+4', 'ldrsw xzr, .-0x100000', 'ldrsw x4, .+0xffffc');
  const sized: [string, string, number][] = [
    ['ldr', 'x0', 8], ['str', 'x1', 8], ['ldr', 'w2', 4], ['str', 'w3', 4], ['ldrb', 'w4', 1], ['strb', 'w5', 1],
    ['ldrh', 'w6', 2], ['strh', 'w7', 2], ['ldrsw', 'x8', 4],
  ];
  for (const [m, r, size] of sized) {
    // unsigned offset, and the offsets GNU as turns into the unscaled form
    for (const off of [0, size, 4095 * size, -1, -256, 255, size + 1]) out.push(`${m} ${r}, [x9, #${off}]`);
    out.push(`${m} ${r}, [sp]`, `${m} ${r}, [x10]`, `${m} ${r.replace(/\d+/, size === 8 ? 'zr' : '30')}, [x11, ${size * 2}]`);
    for (const off of [-256, 255, 0]) out.push(`${m} ${r}, [x12, #${off}]!`, `${m} ${r}, [x13], #${off}`);
    out.push(`${m} ${r}, [sp, #16]!`, `${m} ${r}, [sp], #-16`);
    const u = m.replace(/^(ld|st)r/, '$1ur');
    for (const off of [-256, 255, 0, size]) out.push(`${u} ${r}, [x14, #${off}]`);
    out.push(`${u} ${r}, [sp]`);
    // register offset: every option, with and without the shift
    const shift = Math.log2(size);
    out.push(`${m} ${r}, [x15, x16]`, `${m} ${r}, [sp, xzr]`, `${m} ${r}, [x17, x18, lsl #${shift}]`);
    for (const ext of ['uxtw', 'sxtw']) out.push(`${m} ${r}, [x19, w20, ${ext}]`, `${m} ${r}, [x21, w22, ${ext} #${shift}]`);
    out.push(`${m} ${r}, [x23, x24, sxtx]`, `${m} ${r}, [x25, x26, sxtx #${shift}]`);
    if (shift > 0) out.push(`${m} ${r}, [x27, x28, lsl #0]`, `${m} ${r}, [x27, w28, uxtw #0]`);
  }
  for (const [m, r1, r2, size] of [['stp', 'x29', 'x30', 8], ['ldp', 'x0', 'x1', 8], ['stp', 'w2', 'w3', 4], ['ldp', 'w4', 'wzr', 4],
    ['stnp', 'x5', 'x6', 8], ['ldnp', 'w7', 'w8', 4], ['ldpsw', 'x9', 'x10', 4]] as const) {
    for (const off of [0, size, -64 * size, 63 * size]) out.push(`${m} ${r1}, ${r2}, [x11, #${off}]`);
    out.push(`${m} ${r1}, ${r2}, [sp]`);
    if (!m.endsWith('np')) {
      for (const off of [-64 * size, 63 * size, 0]) out.push(`${m} ${r1}, ${r2}, [sp, #${off}]!`, `${m} ${r1}, ${r2}, [x12], #${off}`);
    }
  }
  return out;
}

function addresses(): string[] {
  return [
    'adr x0, .', 'adr x1, .-1', 'adr x2, .+0xfffff', 'adr x3, .-0x100000', 'adr xzr, .+5', 'adr x30, .+4',
    'adrp x0, .', 'adrp x16, .+0x1000', 'adrp x30, .-0x1000', 'adrp xzr, .+0x12345',
  ];
}

function arithmetic(): string[] {
  const out: string[] = [];
  for (const m of ['add', 'adds', 'sub', 'subs']) {
    const rd = m.endsWith('s') ? 'x0' : 'sp';
    for (const imm of ['#0', '#1', '#4095', '#0x1000', '#0xfff000', '#1, lsl #12', '#4095, lsl #12', '#7, lsl #0', '#-1', '#-4096', '8']) {
      out.push(`${m} x1, x2, ${imm}`);
    }
    out.push(`${m} ${rd}, sp, #16`, `${m} w3, w4, #0x10`, `${m} w5, wsp, #4095`);
    for (const shift of ['', ', lsl #0', ', lsl #1', ', lsl #63', ', lsr #0', ', lsr #63', ', asr #0', ', asr #63']) out.push(`${m} x6, x7, x8${shift}`);
    out.push(`${m} w9, w10, w11, lsl #31`, `${m} w12, w13, w14, asr #31`, `${m} xzr, xzr, xzr`);
    for (const ext of EXTENDS) {
      const reg = ext.endsWith('x') ? 'x17' : 'w17';
      for (const amount of ['', ' #0', ' #1', ' #4']) out.push(`${m} x15, x16, ${reg}, ${ext}${amount}`, `${m} w18, w19, w20, ${ext}${amount}`);
    }
    out.push(`${m} x21, sp, x22`, `${m} ${rd}, x23, x24`, `${m} x25, sp, x26, lsl #3`, `${m} w27, wsp, w28`, `${m} x0, sp, w1, uxtw #2`);
  }
  out.push('mov x0, sp', 'mov sp, x1', 'mov wsp, w2', 'mov w3, wsp', 'mov sp, sp');
  for (const m of ['cmp', 'cmn']) {
    out.push(`${m} x0, #0`, `${m} x1, #4095`, `${m} sp, #1, lsl #12`, `${m} w2, #-1`, `${m} x3, #0x5000`);
    out.push(`${m} x4, x5`, `${m} w6, w7, asr #31`, `${m} x8, x9, lsl #63`, `${m} sp, x10`, `${m} x11, w12, sxtw #2`, `${m} w13, w14, uxtb`);
  }
  for (const m of ['neg', 'negs']) out.push(`${m} x0, x1`, `${m} w2, w3, lsr #31`, `${m} x4, xzr`, `${m} x5, x6, asr #0`);
  out.push('sub x0, xzr, x1', 'subs xzr, xzr, x1', 'subs x0, xzr, x1, lsl #2', 'adds xzr, sp, x1');
  return out;
}

const BITMASKS64 = ['0x1', '0x3', '0x5555555555555555', '0xaaaaaaaaaaaaaaaa', '0x3333333333333333', '0x0f0f0f0f0f0f0f0f',
  '0x00ff00ff00ff00ff', '0x0000ffff0000ffff', '0xffffffff', '0x7fffffffffffffff', '0x8000000000000000', '0xfffffffffffffffe',
  '0xffff0000ffff0000', '0x1ffff', '0xfff000', '0x8000000080000000', '0xc000000000000003', '-2', '-0x100000000'];
const BITMASKS32 = ['0x1', '0x55555555', '0x0f0f0f0f', '0x00ff00ff', '0xffff', '0x7fffffff', '0x80000000', '0xfffffffe',
  '0x1ffff', '0xc0000003', '-2', '-0xffffffff'];

function logical(): string[] {
  const out: string[] = [];
  for (const m of ['and', 'orr', 'eor', 'ands']) {
    for (const v of BITMASKS64) out.push(`${m} x0, x1, #${v}`);
    for (const v of BITMASKS32) out.push(`${m} w2, w3, #${v}`);
    out.push(`${m} ${m === 'ands' ? 'xzr' : 'sp'}, x4, #0xff`, `${m} x5, xzr, #0xf0`, `${m} w6, wzr, #0xffff0000`);
  }
  for (const v of BITMASKS64) out.push(`tst x7, #${v}`);
  for (const v of BITMASKS32) out.push(`tst w8, #${v}`);
  for (const m of ['and', 'bic', 'orr', 'orn', 'eor', 'eon', 'ands', 'bics']) {
    for (const shift of ['', ', lsl #0', ', lsl #5', ', lsr #63', ', asr #1', ', ror #0', ', ror #63']) out.push(`${m} x9, x10, x11${shift}`);
    out.push(`${m} w12, w13, w14, ror #31`, `${m} w15, wzr, w16`, `${m} xzr, xzr, xzr, asr #2`);
  }
  out.push('mov x0, x1, lsl #2', 'mov x2, x3, ror #63', 'mov w4, w5, asr #31', 'mov x6, xzr, lsr #0');
  out.push('mov x17, x18', 'mov w19, w20', 'mov x21, xzr', 'mov xzr, x22', 'mvn x23, x24', 'mvn w25, w26, ror #3', 'mvn x27, x28, lsl #63');
  out.push('tst x0, x1', 'tst w2, w3, lsr #4', 'tst x4, x5, ror #60');
  return out;
}

function moves(): string[] {
  const out: string[] = [];
  for (const m of ['movz', 'movn', 'movk']) {
    for (const hw of [0, 16, 32, 48]) for (const imm of ['0', '1', '0xffff', '0x8000']) out.push(`${m} x0, #${imm}, lsl #${hw}`);
    for (const hw of [0, 16]) for (const imm of ['0', '0x1234', '0xffff']) out.push(`${m} w1, #${imm}, lsl #${hw}`);
    out.push(`${m} x2, #7`, `${m} wzr, #3`, `${m} xzr, 4`);
  }
  const values = ['0', '1', '0xffff', '0x10000', '0xffff0000', '0x100000000', '0xffff000000000000', '-1', '-2', '-0x10000',
    '0xfffffffffffeffff', '0xffffffff', '0x5555555555555555', '0x8000000000000000', '-0x80000000', '0x7fffffff00000000'];
  for (const v of values) out.push(`mov x3, #${v}`);
  for (const v of ['0', '1', '0xffff', '0x10000', '0xffff0000', '-1', '-2', '0xfffffffe', '0x55555555', '0x80000000', '-0x80000001', '0x7fffffff', '-0xffffffff']) {
    out.push(`mov w4, #${v}`);
  }
  out.push('mov sp, #16', 'mov wsp, #0x10', 'mov sp, #0xfffffffffffffffe', 'mov xzr, #5');
  return out;
}

function bitfields(): string[] {
  const out: string[] = [];
  for (const [r, top] of [['x', 63], ['w', 31]] as const) {
    const d = `${r}0`, n = `${r}1`;
    for (const m of ['sbfm', 'bfm', 'ubfm']) for (const [immr, imms] of [[0, 0], [0, top], [top, 0], [top, top], [1, 7], [7, 1], [0, 7], [0, 15], [0, 31], [4, 11]]) {
      out.push(`${m} ${d}, ${n}, #${immr}, #${imms}`);
    }
    for (const m of ['lsl', 'lsr', 'asr']) for (const s of [0, 1, top - 1, top]) out.push(`${m} ${d}, ${n}, #${s}`);
    for (const m of ['ubfiz', 'sbfiz', 'bfi', 'ubfx', 'sbfx', 'bfxil']) {
      for (const [lsb, width] of [[0, 1], [0, top + 1], [top, 1], [4, 8], [1, top]]) out.push(`${m} ${d}, ${n}, #${lsb}, #${width}`);
    }
    for (const [lsb, width] of [[0, 1], [top, 1], [8, 8]]) out.push(`bfc ${d}, #${lsb}, #${width}`);
    out.push(`sxtb ${d}, w2`, `sxth ${d}, w3`);
  }
  out.push('sxtw x4, w5', 'uxtb w6, w7', 'uxth w8, wzr', 'lsl xzr, xzr, #3', 'bfi x9, xzr, #4, #4');
  return out;
}

/** Conditional selects and their aliases, under every condition name, with al/nv where GNU as takes them. */
function conditionalSelects(): string[] {
  const out: string[] = [];
  for (const m of ['csel', 'csinc', 'csinv', 'csneg']) {
    for (const c of CONDS) out.push(`${m} x0, x1, x2, ${c}`);
    out.push(`${m} w3, w4, w5, none`, `${m} wzr, wzr, wzr, gt`, `${m} x6, x7, x7, eq`, `${m} x8, xzr, xzr, le`, `${m} w9, w10, w10, nv`);
  }
  for (const m of ['cset', 'csetm']) for (const c of CONDS.filter((c) => c !== 'al' && c !== 'nv')) out.push(`${m} ${m === 'cset' ? 'w' : 'x'}0, ${c}`);
  out.push('cset xzr, tcont', 'csetm w30, lo');
  for (const m of ['cinc', 'cinv', 'cneg']) {
    for (const c of ['eq', 'ne', 'hs', 'lo', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le']) out.push(`${m} x1, x2, ${c}`);
    out.push(`${m} w3, w4, pmore`, `${m} x5, xzr, eq`, `${m} wzr, w6, ne`);
  }
  return out;
}

/** Shifts by a register, in both spellings. */
function registerShifts(): string[] {
  const out: string[] = [];
  for (const m of ['lsl', 'lsr', 'asr', 'ror']) out.push(`${m} x0, x1, x2`, `${m}v w3, w4, w5`, `${m} xzr, xzr, x30`, `${m}v x6, x7, xzr`, `${m} w8, wzr, w9`);
  return out;
}

/** Exclusives and load-acquire/store-release of every size; the status register at its edges. */
function exclusives(): string[] {
  const out: string[] = [];
  for (const s of ['', 'b', 'h']) {
    const regs = s === '' ? ['x0', 'w1', 'xzr', 'w30'] : ['w0', 'wzr', 'w30'];
    for (const m of ['ldxr', 'ldaxr', 'ldar', 'stlr']) for (const r of regs) out.push(`${m}${s} ${r}, [x2]`, `${m}${s} ${r}, [sp]`);
    for (const m of ['stxr', 'stlxr']) {
      for (const r of regs) out.push(`${m}${s} w3, ${r}, [x4]`, `${m}${s} w5, ${r}, [sp]`);
      out.push(`${m}${s} wzr, w6, [x7]`, `${m}${s} w30, w8, [x9, #0]`);
    }
    out.push(`ldxr${s} w10, [x11, #0]`, `stlr${s} w12, [sp, 0]`, `ldar${s} w13, [x14, #0]`);
  }
  return out;
}

/** mrs/msr of every system register patchlab names, by name and by generic name, and some it does not name. */
function systemRegisters(): string[] {
  const named = ['midr_el1', 'mpidr_el1', 'sctlr_el1', 'ttbr0_el1', 'ttbr1_el1', 'spsr_el1', 'elr_el1', 'sp_el0', 'spsel', 'currentel',
    'esr_el1', 'far_el1', 'vbar_el1', 'contextidr_el1', 'tpidr_el1', 'ctr_el0', 'dczid_el0', 'nzcv', 'daif', 'fpcr', 'fpsr', 'tpidr_el0',
    'tpidrro_el0', 'cntfrq_el0', 'cntpct_el0', 'cntvct_el0', 'elr_el2', 'tpidr_el2', 'mdscr_el1'];
  const writable = named.filter((r) => !['midr_el1', 'mpidr_el1', 'currentel', 'ctr_el0', 'dczid_el0', 'cntpct_el0', 'cntvct_el0'].includes(r));
  const out: string[] = [];
  for (const r of named) out.push(`mrs x0, ${r}`);
  for (const r of writable) out.push(`msr ${r}, x1`);
  out.push('mrs xzr, CTR_EL0', 'MRS X30, DAIF', 'msr NZCV, xzr', 'msr TPIDR_EL1, x30');
  for (const g of ['s3_3_c0_c0_1', 's3_3_c4_c2_1', 's3_0_c13_c0_4', 's3_3_c15_c15_7', 's2_0_c0_c0_0', 's3_7_c11_c9_3', 's2_7_c15_c0_0', 's3_4_c15_c2_6']) {
    out.push(`mrs x2, ${g}`, `msr ${g}, x3`);
  }
  return out;
}

export function goldenCases(_arch: ArchName): string[] {
  return [...branches(), ...system(), ...loadsStores(), ...addresses(), ...arithmetic(), ...bitfields(), ...logical(), ...moves(),
    ...conditionalSelects(), ...registerShifts(), ...exclusives(), ...systemRegisters()];
}
