// Every arm64 table entry executed, against values worked out by hand from the Arm ARM's pseudocode.
import { decodeOne, registerView } from '../../../tests/support/insn.js';
import { describe, expect, it } from 'vitest';
import { ARM64_TABLE, arm64Isa, type Arm64Insn, type Arm64Op } from '../../isa/arm64/index.js';
import type { ExecOutcome } from '../arch.js';
import { newCpu } from '../cpu.js';
import { dataBus } from '../load.js';
import { Memory } from '../memory.js';
import { classifyArm64 } from './execute.js';
import { arm64Machine } from './index.js';
import { ARM64_REGISTERS } from './registers.js';

const PC0 = 0x1000n;
const DATA = 0x2000n;
const NAMES = ARM64_REGISTERS.names;
const hex = (v: bigint) => '0x' + v.toString(16);

// NZCV register values: N bit 31, Z 30, C 29, V 28.
const N = 0x8000_0000n, Z = 0x4000_0000n, C = 0x2000_0000n, V = 0x1000_0000n;
const M64 = 0xffff_ffff_ffff_ffffn;
const MIN64 = 0x8000_0000_0000_0000n;
const MAX64 = 0x7fff_ffff_ffff_ffffn;

type Regs = Readonly<Record<string, bigint>>;
interface Extra {
  /** Bytes at DATA before, and the ones expected there after. */
  readonly mem?: readonly number[];
  readonly memAfter?: readonly number[];
  /** The outcome, when not `next`. */
  readonly out?: ExecOutcome;
  /** PSTATE.I as irqEnabled, before and after. */
  readonly irq?: readonly [boolean, boolean];
}
/**
 * [instruction (GNU as text assembled at address 0, or the decoded form), registers before, registers
 * after, extra]. The instruction runs at PC0 unless `pc` is named before; pc after is pc + 4 unless
 * named. Registers not named after keep their value.
 */
type Case = readonly [string | Arm64Insn, Regs, Regs, Extra?];

const UNDEFINED: Extra = { out: { kind: 'trap', trap: 'undefined', code: 0 } };
const STAY = { pc: PC0 };
const fault = (address: bigint, access: 'read' | 'write', reason: 'unmapped' | 'not-writable' | 'misaligned'): Extra =>
  ({ out: { kind: 'fault', fault: { kind: 'fault', address, access, reason } } });

const ADD_SUB_CASES: readonly Case[] = [
  // immediate: 64-bit wrap, W forms zero-extend and ignore the source's upper half, Rd/Rn 31 is SP
  ['add x0, x1, #1', { x1: M64 }, { x0: 0n }],
  ['add w0, w1, #1', { x1: M64 }, { x0: 0n }],
  ['add w0, w1, #1', { x1: 0x1_7fff_ffffn }, { x0: 0x8000_0000n }],
  ['add x0, x1, #1, lsl #12', { x1: 0n }, { x0: 0x1000n }],
  ['add sp, sp, #16', { sp: 0x8000n }, { sp: 0x8010n }],
  ['mov x0, sp', { sp: 0x8000n }, { x0: 0x8000n }],
  ['add w0, wsp, #4', { sp: 0xffff_ffff_0000_0010n }, { x0: 0x14n }],
  ['add wsp, w1, #0', { x1: 0xaaaa_bbbb_cccc_ddddn }, { sp: 0xcccc_ddddn }],
  ['sub sp, sp, #32', { sp: 0x8000n }, { sp: 0x7fe0n }],
  ['sub x0, x1, #4095, lsl #12', { x1: 0n }, { x0: 0xffff_ffff_ff00_1000n }],
  // adds/subs/cmp/cmn: every flag at its boundary, 64 and 32 bits
  ['cmp x1, #1', { x1: 1n }, { nzcv: Z | C }],
  ['cmp x1, #1', { x1: 0n }, { nzcv: N }],
  ['cmp x1, #1', { x1: MIN64 }, { nzcv: C | V }],
  ['cmp w1, #1', { x1: 0x8000_0000n }, { nzcv: C | V }],
  ['cmp w1, #1', { x1: 0x1_0000_0000n }, { nzcv: N }],
  ['adds x0, x1, #1', { x1: MAX64 }, { x0: MIN64, nzcv: N | V }],
  ['adds x0, x1, #1', { x1: M64 }, { x0: 0n, nzcv: Z | C }],
  ['adds w0, w1, #1', { x1: 0xffff_ffffn }, { x0: 0n, nzcv: Z | C }],
  ['adds w0, w1, #1', { x1: 0x7fff_ffffn }, { x0: 0x8000_0000n, nzcv: N | V }],
  ['cmn x1, #1', { x1: M64, nzcv: N | V }, { nzcv: Z | C }],
  ['subs x0, sp, #16', { sp: 0x10n }, { x0: 0n, nzcv: Z | C }],
  ['subs x0, x1, x2', { x1: 5n, x2: 7n }, { x0: 0xffff_ffff_ffff_fffen, nzcv: N }],
  ['subs x0, x1, x2', { x1: 7n, x2: 5n }, { x0: 2n, nzcv: C }],
  ['subs x0, x1, x2', { x1: MIN64, x2: MAX64 }, { x0: 1n, nzcv: C | V }],
  ['cmp x1, x2', { x1: MAX64, x2: M64 }, { nzcv: N | V }],
  ['cmp w1, w2', { x1: 0xffff_ffff_0000_0005n, x2: 5n }, { nzcv: Z | C }],
  ['negs x0, x1', { x1: 0n }, { x0: 0n, nzcv: Z | C }],
  ['negs x0, x1', { x1: MIN64 }, { x0: MIN64, nzcv: N | V }],
  ['adds x0, x1, x2', { x1: MIN64, x2: MIN64 }, { x0: 0n, nzcv: Z | C | V }],
  ['adds w0, w1, w2', { x1: 0xffff_ffffn, x2: 0xffff_ffffn }, { x0: 0xffff_fffen, nzcv: N | C }],
  ['cmn w1, w2', { x1: 0x8000_0000n, x2: 0x8000_0000n }, { nzcv: Z | C | V }],
  // shifted register operand: lsl, lsr, asr; register 31 is the zero register
  ['adds x0, x1, x2, lsl #1', { x1: 1n, x2: MIN64 }, { x0: 1n, nzcv: 0n }],
  ['add x0, x1, x2, asr #63', { x1: 5n, x2: MIN64 }, { x0: 4n }],
  ['add w0, w1, w2, asr #4', { x1: 0n, x2: 0x8000_0000n }, { x0: 0xf800_0000n }],
  ['sub w0, w1, w2, lsr #31', { x1: 10n, x2: 0xffff_ffffn }, { x0: 9n }],
  ['sub x0, x1, x2, lsr #60', { x1: 0n, x2: 0xf000_0000_0000_0000n }, { x0: 0xffff_ffff_ffff_fff1n }],
  ['neg w0, w1, lsl #31', { x1: 1n }, { x0: 0x8000_0000n }],
  // extended register operand: Rn may be SP, Rm is extended then shifted left 0..4
  ['add x0, sp, w1, uxtw #2', { sp: 0x8000n, x1: 0xffff_ffff_0000_0004n }, { x0: 0x8010n }],
  ['add x0, x1, w2, sxtw', { x1: 0x100n, x2: 0xffff_ffffn }, { x0: 0xffn }],
  ['sub x0, x1, w2, sxtb #1', { x1: 0n, x2: 0x80n }, { x0: 0x100n }],
  ['adds x0, x1, w2, uxth', { x1: 0xffff_ffff_ffff_0000n, x2: 0x1_ffffn }, { x0: M64, nzcv: N }],
  ['cmp sp, x1', { sp: 0x8000n, x1: 0x8000n }, { nzcv: Z | C }],
  ['add w0, w1, w2, uxtb #4', { x1: 0xffff_fff0n, x2: 0x1ffn }, { x0: 0xfe0n }],
  ['add sp, x1, x2', { x1: 0x100n, x2: 0x10n }, { sp: 0x110n }],
  ['subs x0, x1, w2, sxth', { x1: 0n, x2: 0x8000n }, { x0: 0x8000n, nzcv: 0n }],
  ['add x0, x1, x2, sxtx #3', { x1: 0n, x2: M64 }, { x0: 0xffff_ffff_ffff_fff8n }],
];

const LOGIC_CASES: readonly Case[] = [
  ['and x0, x1, #0xff', { x1: 0x1234n }, { x0: 0x34n }],
  ['and w0, w1, #0xff', { x1: M64 }, { x0: 0xffn }],
  ['orr w0, wzr, #0x80000001', { x0: M64 }, { x0: 0x8000_0001n }],
  ['eor x0, x1, #0x5555555555555555', { x1: M64 }, { x0: 0xaaaa_aaaa_aaaa_aaaan }],
  ['and sp, x1, #0xfffffffffffffff0', { x1: 0x1238n }, { sp: 0x1230n }],
  ['ands x0, x1, #0x8000000000000000', { x1: M64, nzcv: C | V }, { x0: MIN64, nzcv: N }],
  ['tst w1, #1', { x1: 2n, nzcv: N | Z | C | V }, { nzcv: Z }],
  ['tst w1, #0x80000000', { x1: 0xffff_ffffn }, { nzcv: N }],
  ['orr x0, x1, x2, lsl #4', { x1: 1n, x2: 0x10n }, { x0: 0x101n }],
  ['mov w0, w1', { x1: 0xffff_ffff_1234_5678n }, { x0: 0x1234_5678n }],
  ['mov x0, xzr', { x0: 5n }, { x0: 0n }],
  ['bic x0, x1, x2', { x1: 0xffn, x2: 0x0fn }, { x0: 0xf0n }],
  ['orn w0, w1, w2', { x1: 0n, x2: 0xffff_0000n }, { x0: 0xffffn }],
  ['mvn x0, x1', { x1: 0n }, { x0: M64 }],
  ['eon x0, x1, x2, ror #4', { x1: 0n, x2: 0xfn }, { x0: 0x0fff_ffff_ffff_ffffn }],
  ['eor w0, w1, w2, ror #1', { x1: 0n, x2: 1n }, { x0: 0x8000_0000n }],
  ['eor x0, x1, x2, lsr #63', { x1: 1n, x2: MIN64 }, { x0: 0n }],
  ['and w0, w1, w2, asr #31', { x1: 0x1234n, x2: 0x8000_0000n }, { x0: 0x1234n }],
  ['ands x0, x1, x2, asr #1', { x1: M64, x2: MIN64, nzcv: C | V }, { x0: 0xc000_0000_0000_0000n, nzcv: N }],
  ['bics w0, w1, w2', { x1: 0xfn, x2: 0xfn }, { x0: 0n, nzcv: Z }],
  ['tst x1, x2', { x1: 1n, x2: 2n }, { nzcv: Z }],
  // move wide: a W result is zero-extended; movk keeps the other chunks
  ['movz x0, #0x1234, lsl #48', {}, { x0: 0x1234_0000_0000_0000n }],
  ['movz w0, #0xffff, lsl #16', { x0: M64 }, { x0: 0xffff_0000n }],
  ['movn x0, #0', {}, { x0: M64 }],
  ['movn w0, #0', {}, { x0: 0xffff_ffffn }],
  ['movn w0, #0x1234, lsl #16', {}, { x0: 0xedcb_ffffn }],
  ['movk x0, #0xbeef, lsl #16', { x0: M64 }, { x0: 0xffff_ffff_beef_ffffn }],
  ['movk w0, #0x1', { x0: M64 }, { x0: 0xffff_0001n }],
  ['movk x0, #0x8000, lsl #48', { x0: 0n }, { x0: MIN64 }],
  // bitfield moves through their aliases
  ['lsl x0, x1, #4', { x1: 0xf000_0000_0000_000fn }, { x0: 0xf0n }],
  ['lsl w0, w1, #31', { x1: 3n }, { x0: 0x8000_0000n }],
  ['lsr w0, w1, #31', { x1: 0xffff_ffff_8000_0000n }, { x0: 1n }],
  ['lsr x0, x1, #33', { x1: M64 }, { x0: 0x7fff_ffffn }],
  ['asr x0, x1, #63', { x1: MIN64 }, { x0: M64 }],
  ['asr w0, w1, #4', { x1: 0x8000_0000n }, { x0: 0xf800_0000n }],
  ['asr x0, x1, #4', { x1: 0x7000_0000_0000_0000n }, { x0: 0x0700_0000_0000_0000n }],
  ['ubfx x0, x1, #8, #8', { x1: 0x1234_5678n }, { x0: 0x56n }],
  ['ubfx x0, x1, #32, #32', { x1: 0xdead_beef_0000_0001n }, { x0: 0xdead_beefn }],
  ['sbfx x0, x1, #8, #8', { x1: 0x8000n }, { x0: 0xffff_ffff_ffff_ff80n }],
  ['sbfx w0, w1, #28, #4', { x1: 0x8000_0000n }, { x0: 0xffff_fff8n }],
  ['ubfiz x0, x1, #60, #4', { x1: 0xffn }, { x0: 0xf000_0000_0000_0000n }],
  ['sbfiz x0, x1, #4, #4', { x1: 0x8n }, { x0: 0xffff_ffff_ffff_ff80n }],
  ['sbfiz w0, w1, #4, #4', { x1: 0x8n }, { x0: 0xffff_ff80n }],
  ['sbfiz x0, x1, #4, #4', { x1: 0x7n }, { x0: 0x70n }],
  ['bfi x0, x1, #8, #4', { x0: M64, x1: 0n }, { x0: 0xffff_ffff_ffff_f0ffn }],
  ['bfi w0, w1, #30, #2', { x0: 0n, x1: 0xffn }, { x0: 0xc000_0000n }],
  ['bfxil w0, w1, #4, #8', { x0: M64, x1: 0xab0n }, { x0: 0xffff_ffabn }],
  ['bfxil x0, x1, #60, #4', { x0: 0n, x1: 0xa000_0000_0000_0000n }, { x0: 0xan }],
  ['bfc w0, #28, #4', { x0: M64 }, { x0: 0x0fff_ffffn }],
  ['sxtb x0, w1', { x1: 0x80n }, { x0: 0xffff_ffff_ffff_ff80n }],
  ['sxth w0, w1', { x1: 0x8000n }, { x0: 0xffff_8000n }],
  ['sxtw x0, w1', { x1: 0x1_8000_0000n }, { x0: 0xffff_ffff_8000_0000n }],
  ['sxtw x0, w1', { x1: 0xffff_ffff_7fff_ffffn }, { x0: 0x7fff_ffffn }],
  ['uxtb w0, w1', { x1: 0x1ffn }, { x0: 0xffn }],
  ['uxth w0, w1', { x1: 0xffff_ffff_ffffn }, { x0: 0xffffn }],
  // adr/adrp (decoded: the assembler would compute the offset from address 0): page = pc & ~0xfff
  [{ op: 'adrp', imm21: -1, rd: 0 }, { pc: 0x12344n }, { x0: 0x11000n, pc: 0x12348n }],
  [{ op: 'adrp', imm21: 2, rd: 0 }, { pc: 0x12ffcn }, { x0: 0x14000n, pc: 0x13000n }],
  [{ op: 'adr', imm21: -4, rd: 3 }, { pc: 0x12344n }, { x3: 0x12340n, pc: 0x12348n }],
  [{ op: 'adr', imm21: 0xfffff, rd: 31 }, {}, {}],
];

/** ConditionHolds by hand, for each NZCV: the conditions that branch. AL and NV always do. */
const TAKEN: readonly (readonly [bigint, readonly string[]])[] = [
  [0n, ['ne', 'cc', 'pl', 'vc', 'ls', 'ge', 'gt']],
  [Z | C, ['eq', 'cs', 'pl', 'vc', 'ls', 'ge', 'le']],
  [C, ['ne', 'cs', 'pl', 'vc', 'hi', 'ge', 'gt']],
  [N, ['ne', 'cc', 'mi', 'vc', 'ls', 'lt', 'le']],
  [N | V, ['ne', 'cc', 'mi', 'vs', 'ls', 'ge', 'gt']],
  [V, ['ne', 'cc', 'pl', 'vs', 'ls', 'lt', 'le']],
  [N | Z | C | V, ['eq', 'cs', 'mi', 'vs', 'ls', 'ge', 'le']],
];
const CONDITIONS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];

const BRANCH_CASES: readonly Case[] = [
  ['b .+8', {}, { pc: 0x1008n }],
  ['b .-4', {}, { pc: 0xffcn }],
  ['b .', {}, STAY],
  ['bl .+0x100', {}, { pc: 0x1100n, x30: 0x1004n }],
  ['bl .-0x1000', { x30: 5n }, { pc: 0n, x30: 0x1004n }],
  ...TAKEN.flatMap(([nzcv, taken]) => CONDITIONS.map((cond): Case =>
    [{ op: 'b_cond', cond: CONDITIONS.indexOf(cond), imm19: 4 }, { nzcv }, { pc: taken.includes(cond) || cond === 'al' || cond === 'nv' ? 0x1010n : 0x1004n }])),
  ['b.eq .-8', { nzcv: Z }, { pc: 0xff8n }],
  ['cbz w1, .+8', { x1: 0x1_0000_0000n }, { pc: 0x1008n }],
  ['cbz x1, .+8', { x1: 0x1_0000_0000n }, {}],
  ['cbnz x1, .+8', { x1: 0x1_0000_0000n }, { pc: 0x1008n }],
  ['cbnz w1, .+8', { x1: 0x1_0000_0000n }, {}],
  ['cbz xzr, .+8', {}, { pc: 0x1008n }],
  ['cbnz wzr, .-4', {}, {}],
  ['tbz x1, #63, .+8', { x1: MIN64 }, {}],
  ['tbnz x1, #63, .+8', { x1: MIN64 }, { pc: 0x1008n }],
  ['tbnz w1, #31, .+8', { x1: 0x8000_0000n }, { pc: 0x1008n }],
  ['tbz x1, #32, .-8', { x1: 0xffff_ffffn }, { pc: 0xff8n }],
  ['tbnz x1, #0, .+12', { x1: 1n }, { pc: 0x100cn }],
  ['tbz xzr, #5, .+8', {}, { pc: 0x1008n }],
  ['br x1', { x1: 0x4000n }, { pc: 0x4000n }],
  ['blr x30', { x30: 0x4000n }, { pc: 0x4000n, x30: 0x1004n }],
  ['blr x1', { x1: 0x4000n }, { pc: 0x4000n, x30: 0x1004n }],
  ['ret', { x30: 0x5000n }, { pc: 0x5000n }],
  ['ret x2', { x2: 0x5004n, x30: 1n }, { pc: 0x5004n }],
  [{ op: 'br', rn: 31 }, {}, { pc: 0n }],
  ['eret', {}, STAY, { out: { kind: 'exception-return' } }],
];

const d = Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const MEMORY_CASES: readonly Case[] = [
  // unsigned offset, scaled; W loads zero-extend, ldrsw sign-extends, register 31 as Rt is the zero register
  ['ldr x0, [x1]', { x1: DATA }, { x0: 0xa7a6_a5a4_a3a2_a1a0n }, { mem: d }],
  ['ldr w0, [x1, #4]', { x0: M64, x1: DATA }, { x0: 0xa7a6_a5a4n }, { mem: d }],
  ['ldr x0, [x1, #8]', { x1: DATA }, { x0: 0xafae_adac_abaa_a9a8n }, { mem: d }],
  ['ldrb w0, [x1, #1]', { x0: M64, x1: DATA }, { x0: 0xa1n }, { mem: d }],
  ['ldrh w0, [x1, #2]', { x1: DATA }, { x0: 0xa3a2n }, { mem: d }],
  ['ldrsw x0, [x1, #4]', { x1: DATA }, { x0: 0xffff_ffff_a7a6_a5a4n }, { mem: d }],
  ['ldrsw x0, [x1]', { x1: DATA }, { x0: 0x7f00_0001n }, { mem: [1, 0, 0, 0x7f] }],
  ['ldr xzr, [x1]', { x1: DATA }, {}, { mem: d }],
  ['str x0, [x1, #8]', { x0: 0x0807_0605_0403_0201n, x1: DATA }, {}, { memAfter: [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8] }],
  ['str w0, [x1]', { x0: 0xffff_ffff_0403_0201n, x1: DATA }, {}, { memAfter: [1, 2, 3, 4, 0] }],
  ['strb w0, [x1, #1]', { x0: 0x1234n, x1: DATA }, {}, { memAfter: [0, 0x34, 0] }],
  ['strh w0, [x1, #2]', { x0: 0x12_3456n, x1: DATA }, {}, { memAfter: [0, 0, 0x56, 0x34, 0] }],
  ['str xzr, [x1]', { x1: DATA }, {}, { mem: d, memAfter: [0, 0, 0, 0, 0, 0, 0, 0, 0xa8] }],
  ['ldr x0, [sp, #8]', { sp: DATA }, { x0: 0xafae_adac_abaa_a9a8n }, { mem: d }],
  // pre- and post-index write the base back; unscaled offsets may be negative or odd
  ['ldr x0, [x1, #-8]!', { x1: DATA + 16n }, { x0: 0xafae_adac_abaa_a9a8n, x1: DATA + 8n }, { mem: d }],
  ['ldr x0, [x1], #8', { x1: DATA }, { x0: 0xa7a6_a5a4_a3a2_a1a0n, x1: DATA + 8n }, { mem: d }],
  ['str x0, [sp, #-16]!', { x0: 0x0807_0605_0403_0201n, sp: DATA + 16n }, { sp: DATA }, { memAfter: [1, 2, 3, 4, 5, 6, 7, 8] }],
  ['ldr x0, [sp], #16', { sp: DATA }, { x0: 0xa7a6_a5a4_a3a2_a1a0n, sp: DATA + 16n }, { mem: d }],
  ['str w0, [x1], #-4', { x0: 0x0403_0201n, x1: DATA }, { x1: DATA - 4n }, { memAfter: [1, 2, 3, 4] }],
  ['ldrb w0, [x1, #1]!', { x1: DATA }, { x0: 0xa1n, x1: DATA + 1n }, { mem: d }],
  ['ldrb w0, [x1], #-1', { x1: DATA + 15n }, { x0: 0xafn, x1: DATA + 14n }, { mem: d }],
  ['strb w0, [x1, #-1]!', { x0: 0x5an, x1: DATA + 2n }, { x1: DATA + 1n }, { memAfter: [0, 0x5a, 0] }],
  ['ldrh w0, [x1, #4]!', { x1: DATA }, { x0: 0xa5a4n, x1: DATA + 4n }, { mem: d }],
  ['strh w0, [x1], #2', { x0: 0xffff_1234n, x1: DATA }, { x1: DATA + 2n }, { memAfter: [0x34, 0x12, 0] }],
  ['strb w0, [x1], #1', { x0: 0x1ffn, x1: DATA }, { x1: DATA + 1n }, { memAfter: [0xff, 0] }],
  ['ldrh w0, [x1], #2', { x1: DATA }, { x0: 0xa1a0n, x1: DATA + 2n }, { mem: d }],
  ['strh w0, [x1, #2]!', { x0: 0xbeefn, x1: DATA }, { x1: DATA + 2n }, { memAfter: [0, 0, 0xef, 0xbe] }],
  ['ldrsw x0, [x1, #4]!', { x1: DATA }, { x0: 0xffff_ffff_a7a6_a5a4n, x1: DATA + 4n }, { mem: d }],
  ['ldrsw x0, [x1], #4', { x1: DATA }, { x0: 0xffff_ffff_a3a2_a1a0n, x1: DATA + 4n }, { mem: d }],
  ['ldur x0, [x1, #-1]', { x1: DATA + 1n }, { x0: 0xa7a6_a5a4_a3a2_a1a0n }, { mem: d }],
  ['ldur w0, [x1, #3]', { x1: DATA }, { x0: 0xa6a5_a4a3n }, { mem: d }],
  ['stur x0, [x1, #-8]', { x0: 0x0807_0605_0403_0201n, x1: DATA + 9n }, {}, { memAfter: [0, 1, 2, 3, 4, 5, 6, 7, 8, 0] }],
  ['ldurb w0, [x1, #-1]', { x1: DATA + 3n }, { x0: 0xa2n }, { mem: d }],
  ['sturb w0, [x1, #-1]', { x0: 0x77n, x1: DATA + 1n }, {}, { memAfter: [0x77, 0] }],
  ['ldurh w0, [x1, #1]', { x1: DATA }, { x0: 0xa2a1n }, { mem: d }],
  ['sturh w0, [x1, #1]', { x0: 0x1122n, x1: DATA }, {}, { memAfter: [0, 0x22, 0x11, 0] }],
  ['ldursw x0, [x1, #-4]', { x1: DATA + 8n }, { x0: 0xffff_ffff_a7a6_a5a4n }, { mem: d }],
  // register offset: Rm extended (uxtw, lsl, sxtw, sxtx) and scaled by the size when shifted
  ['ldr x0, [x1, x2, lsl #3]', { x1: DATA, x2: 1n }, { x0: 0xafae_adac_abaa_a9a8n }, { mem: d }],
  ['ldr w0, [x1, w2, sxtw #2]', { x1: DATA + 8n, x2: 0xffff_ffffn }, { x0: 0xa7a6_a5a4n }, { mem: d }],
  ['ldr x0, [x1, w2, uxtw]', { x1: DATA, x2: 0xffff_ffff_0000_0008n }, { x0: 0xafae_adac_abaa_a9a8n }, { mem: d }],
  ['ldr x0, [x1, x2, sxtx]', { x1: DATA + 16n, x2: 0xffff_ffff_ffff_fff8n }, { x0: 0xafae_adac_abaa_a9a8n }, { mem: d }],
  ['str x0, [x1, x2]', { x0: 0x0807_0605_0403_0201n, x1: DATA, x2: 1n }, {}, { memAfter: [0, 1, 2, 3, 4, 5, 6, 7, 8, 0] }],
  ['ldrb w0, [x1, x2]', { x1: DATA, x2: 5n }, { x0: 0xa5n }, { mem: d }],
  ['strb w0, [x1, w2, uxtw]', { x0: 0x99n, x1: DATA, x2: 0x1_0000_0002n }, {}, { memAfter: [0, 0, 0x99, 0] }],
  ['ldrh w0, [x1, x2, lsl #1]', { x1: DATA, x2: 2n }, { x0: 0xa5a4n }, { mem: d }],
  ['strh w0, [x1, w2, sxtw #1]', { x0: 0xabcdn, x1: DATA + 4n, x2: 0xffff_ffffn }, {}, { memAfter: [0, 0, 0xcd, 0xab, 0] }],
  ['ldrsw x0, [x1, x2, lsl #2]', { x1: DATA, x2: 1n }, { x0: 0xffff_ffff_a7a6_a5a4n }, { mem: d }],
  ['ldr x0, [x1, xzr]', { x1: DATA }, { x0: 0xa7a6_a5a4_a3a2_a1a0n }, { mem: d }],
  // literals: a data load pc-relative (pc placed so that the literal lies in the data area)
  ['ldr x0, .+16', { pc: DATA - 8n }, { x0: 0xafae_adac_abaa_a9a8n, pc: DATA - 4n }, { mem: d }],
  ['ldr w0, .+12', { pc: DATA - 8n, x0: M64 }, { x0: 0xa7a6_a5a4n, pc: DATA - 4n }, { mem: d }],
  ['ldrsw x0, .+12', { pc: DATA - 8n }, { x0: 0xffff_ffff_a7a6_a5a4n, pc: DATA - 4n }, { mem: d }],
  // pairs
  ['ldp x0, x1, [x2]', { x2: DATA }, { x0: 0xa7a6_a5a4_a3a2_a1a0n, x1: 0xafae_adac_abaa_a9a8n }, { mem: d }],
  ['ldp w0, w1, [x2, #8]', { x2: DATA }, { x0: 0xabaa_a9a8n, x1: 0xafae_adacn }, { mem: d }],
  ['ldp x29, x30, [sp], #16', { sp: DATA }, { x29: 0xa7a6_a5a4_a3a2_a1a0n, x30: 0xafae_adac_abaa_a9a8n, sp: DATA + 16n }, { mem: d }],
  ['ldp w0, w1, [x2, #-8]!', { x2: DATA + 16n }, { x0: 0xabaa_a9a8n, x1: 0xafae_adacn, x2: DATA + 8n }, { mem: d }],
  ['stp x0, x1, [sp, #-16]!', { x0: 1n, x1: 2n, sp: DATA + 16n }, { sp: DATA }, { memAfter: [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0] }],
  ['stp w0, w1, [x2], #8', { x0: 0xffff_ffff_0000_0001n, x1: 2n, x2: DATA }, { x2: DATA + 8n }, { memAfter: [1, 0, 0, 0, 2, 0, 0, 0] }],
  ['stp xzr, xzr, [x2]', { x2: DATA }, {}, { mem: d, memAfter: [...new Array<number>(16).fill(0), 0] }],
  ['stnp x0, x1, [x2, #16]', { x0: 3n, x1: 4n, x2: DATA - 16n }, {}, { memAfter: [3, 0, 0, 0, 0, 0, 0, 0, 4, 0] }],
  ['ldnp w0, w1, [x2]', { x2: DATA }, { x0: 0xa3a2_a1a0n, x1: 0xa7a6_a5a4n }, { mem: d }],
  ['ldpsw x0, x1, [x2]', { x2: DATA }, { x0: 0xffff_ffff_a3a2_a1a0n, x1: 0xffff_ffff_a7a6_a5a4n }, { mem: d }],
  ['ldpsw x0, x1, [x2, #8]!', { x2: DATA }, { x0: 0xffff_ffff_abaa_a9a8n, x1: 0xffff_ffff_afae_adacn, x2: DATA + 8n }, { mem: d }],
  ['ldpsw x0, x1, [x2], #-8', { x2: DATA }, { x0: 0x7f00_0001n, x1: 0n, x2: DATA - 8n }, { mem: [1, 0, 0, 0x7f] }],
  // faults leave registers, memory and pc as they were; SP as a base must be 16-byte aligned
  ['ldr x0, [x1]', { x1: 0x9000n }, STAY, fault(0x9000n, 'read', 'unmapped')],
  ['str x0, [x1]', { x1: PC0 }, STAY, fault(PC0, 'write', 'not-writable')],
  ['ldr x0, [x1, #8]!', { x1: 0x9000n }, STAY, fault(0x9008n, 'read', 'unmapped')],
  ['ldr x0, [sp]', { sp: DATA + 8n }, STAY, fault(DATA + 8n, 'read', 'misaligned')],
  ['stp x0, x1, [sp, #-16]!', { sp: DATA + 4n }, STAY, fault(DATA + 4n, 'write', 'misaligned')],
  ['ldp x0, x1, [x2]', { x2: DATA + 0xff8n }, STAY, fault(DATA + 0x1000n, 'read', 'unmapped')],
  // writeback into a transferred register and ldp of one register twice: CONSTRAINED UNPREDICTABLE, taken as UNDEFINED
  [{ op: 'ldr_pre', sf: 1, imm9: 8, rn: 1, rt: 1 }, { x1: DATA }, STAY, UNDEFINED],
  [{ op: 'str_post', sf: 1, imm9: 8, rn: 1, rt: 1 }, { x1: DATA }, STAY, UNDEFINED],
  [{ op: 'ldp', sf: 1, imm7: 0, rt2: 0, rn: 1, rt: 0 }, { x1: DATA }, STAY, UNDEFINED],
  [{ op: 'stp_pre', sf: 1, imm7: 2, rt2: 1, rn: 1, rt: 0 }, { x1: DATA }, STAY, UNDEFINED],
  [{ op: 'ldp_post', sf: 1, imm7: 2, rt2: 2, rn: 2, rt: 0 }, { x2: DATA }, STAY, UNDEFINED],
];

const cache = (op: 'clean' | 'invalidate-icache', address: bigint): Extra => ({ out: { kind: 'cache', op, address } });
const SYSTEM_CASES: readonly Case[] = [
  ['nop', {}, {}],
  ['yield', {}, {}],
  ['hint #0x7f', {}, {}],
  ['paciasp', { x30: 0x1234n }, {}],
  ['bti c', {}, {}],
  ['sb', {}, {}],
  ['ssbb', {}, {}],
  ['pssbb', {}, {}],
  ['isb', {}, {}, { out: { kind: 'sync', what: 'context-sync' } }],
  ['dsb ish', {}, {}, { out: { kind: 'barrier', what: 'dsb' } }],
  ['dsb sy', {}, {}, { out: { kind: 'barrier', what: 'dsb' } }],
  ['dmb ishst', {}, {}, { out: { kind: 'barrier', what: 'dmb' } }],
  ['brk #0x800', {}, STAY, { out: { kind: 'trap', trap: 'breakpoint', code: 0x800 } }],
  ['udf #5', {}, STAY, { out: { kind: 'trap', trap: 'undefined', code: 5 } }],
  ['svc #0', {}, {}, { out: { kind: 'trap', trap: 'syscall', code: 0 } }],
  ['hvc #1', {}, {}, { out: { kind: 'trap', trap: 'syscall', code: 1 } }],
  ['smc #0xffff', {}, {}, { out: { kind: 'trap', trap: 'syscall', code: 0xffff } }],
  ['msr daifset, #2', {}, {}, { irq: [true, false] }],
  ['msr daifset, #0xf', {}, {}, { irq: [true, false] }],
  ['msr daifset, #1', {}, {}, { irq: [true, true] }],
  ['msr daifclr, #2', {}, {}, { irq: [false, true] }],
  ['msr daifclr, #0xd', {}, {}, { irq: [false, false] }],
  ['dc cvau, x1', { x1: DATA + 0x10n }, {}, cache('clean', DATA + 0x10n)],
  ['dc cvac, x1', { x1: PC0 + 4n }, {}, cache('clean', PC0 + 4n)],
  ['dc cvap, x1', { x1: DATA }, {}, cache('clean', DATA)],
  ['dc civac, x1', { x1: DATA }, {}, cache('clean', DATA)],
  ['dc ivac, x1', { x1: DATA }, {}],
  ['ic ivau, x1', { x1: PC0 }, {}, cache('invalidate-icache', PC0)],
  ['dc cvau, x1', { x1: 0x9000n }, STAY, fault(0x9000n, 'read', 'unmapped')],
  ['ic ivau, xzr', {}, STAY, fault(0n, 'read', 'unmapped')],
  ['ic iallu', {}, {}],
  ['ic ialluis', {}, {}, { out: { kind: 'cache', op: 'invalidate-icache-all' } }],
];

const MONITORED = (1n << 63n) | (8n << 56n) | DATA;
const MONITORED_W = (1n << 63n) | (4n << 56n) | DATA;
const SELECT_AND_ATOMIC_CASES: readonly Case[] = [
  // conditional select: the condition holds (Rn), or not (Rm, Rm + 1, NOT Rm, -Rm), within the width
  ['csel x0, x1, x2, eq', { x1: 1n, x2: 2n, nzcv: Z }, { x0: 1n }],
  ['csel x0, x1, x2, eq', { x1: 1n, x2: 2n }, { x0: 2n }],
  ['csel w0, w1, w2, ne', { x1: 0x1_0000_0001n, x2: 0x1_0000_0002n, nzcv: Z }, { x0: 2n }],
  ['csel x0, x1, x2, al', { x1: 1n, x2: 2n }, { x0: 1n }],
  ['csinc x0, x1, x2, nv', { x1: 1n, x2: 2n }, { x0: 1n }],
  ['csinc x0, x1, x2, ge', { x1: 1n, x2: M64, nzcv: N }, { x0: 0n }],
  ['csinc w0, w1, w2, ge', { x1: 1n, x2: 0xffff_ffffn, nzcv: N }, { x0: 0n }],
  ['csinv x0, x1, x2, hi', { x2: 0n, nzcv: C | Z }, { x0: M64 }],
  ['csinv w0, w1, w2, hi', { x2: 0n, nzcv: Z }, { x0: 0xffff_ffffn }],
  ['csinv x0, x1, x2, hi', { x1: 7n, nzcv: C }, { x0: 7n }],
  ['csneg x0, x1, x2, lt', { x2: 1n }, { x0: M64 }],
  ['csneg w0, w1, w2, lt', { x2: 1n }, { x0: 0xffff_ffffn }],
  ['csneg x0, x1, x2, lt', { x2: 0n }, { x0: 0n }],
  ['csneg x0, x1, x2, lt', { x1: 9n, x2: 1n, nzcv: N }, { x0: 9n }],
  ['cset w3, eq', { x3: M64, nzcv: Z }, { x3: 1n }],
  ['cset w3, eq', { x3: M64 }, { x3: 0n }],
  ['csetm x3, cs', { nzcv: C }, { x3: M64 }],
  ['cinc x1, x2, mi', { x2: 5n, nzcv: N }, { x1: 6n }],
  ['cinv x1, x2, mi', { x2: 5n }, { x1: 5n }],
  ['cneg w1, w2, vs', { x2: 5n, nzcv: V }, { x1: 0xffff_fffbn }],
  ['csel xzr, x1, x2, eq', { x1: 1n }, {}],
  // shifts by a register: the amount modulo the width
  ['lsl x0, x1, x2', { x1: 3n, x2: 65n }, { x0: 6n }],
  ['lsl w0, w1, w2', { x1: 0x8000_0001n, x2: 33n }, { x0: 2n }],
  ['lslv x0, x1, xzr', { x1: 3n }, { x0: 3n }],
  ['lsr x0, x1, x2', { x1: MIN64, x2: 63n }, { x0: 1n }],
  ['lsr w0, w1, w2', { x1: 0xffff_ffff_8000_0000n, x2: 31n }, { x0: 1n }],
  ['asr x0, x1, x2', { x1: MIN64, x2: 127n }, { x0: M64 }],
  ['asr w0, w1, w2', { x1: 0x8000_0000n, x2: 4n }, { x0: 0xf800_0000n }],
  ['ror x0, x1, x2', { x1: 1n, x2: 1n }, { x0: MIN64 }],
  ['ror w0, w1, w2', { x1: 0x1_0000_0001n, x2: 36n }, { x0: 0x1000_0000n }],
  // load-acquire and store-release: [Xn|SP], aligned to their size
  ['ldar x0, [x1]', { x1: DATA }, { x0: 0x0807_0605_0403_0201n }, { mem: [1, 2, 3, 4, 5, 6, 7, 8] }],
  ['ldar w0, [x1]', { x0: M64, x1: DATA }, { x0: 0x0403_0201n }, { mem: [1, 2, 3, 4, 5, 6, 7, 8] }],
  ['ldarb w0, [x1]', { x1: DATA + 1n }, { x0: 2n }, { mem: [1, 2, 3, 4] }],
  ['ldarh w0, [x1]', { x1: DATA + 2n }, { x0: 0x0403n }, { mem: [1, 2, 3, 4] }],
  ['stlr x0, [x1]', { x0: 0x0807_0605_0403_0201n, x1: DATA }, {}, { mem: [0, 0, 0, 0, 0, 0, 0, 0, 9], memAfter: [1, 2, 3, 4, 5, 6, 7, 8, 9] }],
  ['stlr wzr, [sp]', { sp: DATA }, {}, { mem: [1, 2, 3, 4, 5], memAfter: [0, 0, 0, 0, 5] }],
  ['stlrb w0, [x1]', { x0: 0x1ffn, x1: DATA }, {}, { mem: [1, 2], memAfter: [0xff, 2] }],
  ['stlrh w0, [x1]', { x0: 0x1_0203n, x1: DATA }, {}, { mem: [1, 2, 3], memAfter: [3, 2, 3] }],
  ['ldar x0, [x1]', { x1: DATA + 4n }, STAY, fault(DATA + 4n, 'read', 'misaligned')],
  ['stlrh w0, [x1]', { x1: DATA + 1n }, STAY, fault(DATA + 1n, 'write', 'misaligned')],
  ['ldar x0, [x1]', { x1: 0x9000n }, STAY, fault(0x9000n, 'read', 'unmapped')],
  // exclusives: ldxr marks the monitor with the value read; stxr stores only while memory still holds it
  ['ldxr x0, [x1]', { x1: DATA }, { x0: 0x0807_0605_0403_0201n, monitor: MONITORED, 'monitor.value': 0x0807_0605_0403_0201n }, { mem: [1, 2, 3, 4, 5, 6, 7, 8] }],
  ['ldaxr w0, [x1]', { x1: DATA }, { x0: 0x0403_0201n, monitor: MONITORED_W, 'monitor.value': 0x0403_0201n }, { mem: [1, 2, 3, 4] }],
  ['ldxrb w0, [x1]', { x1: DATA }, { x0: 1n, monitor: (1n << 63n) | (1n << 56n) | DATA, 'monitor.value': 1n }, { mem: [1, 2] }],
  ['ldaxrh w0, [x1]', { x1: DATA }, { x0: 0x201n, monitor: (1n << 63n) | (2n << 56n) | DATA, 'monitor.value': 0x201n }, { mem: [1, 2] }],
  ['stxr w2, x0, [x1]', { x0: 0x1122n, x1: DATA, x2: 7n, monitor: MONITORED, 'monitor.value': 0n }, { x2: 0n, monitor: 0n, 'monitor.value': 0n },
    { mem: [0, 0, 0, 0, 0, 0, 0, 0], memAfter: [0x22, 0x11, 0, 0, 0, 0, 0, 0] }],
  ['stlxr w2, x0, [x1]', { x0: 5n, x1: DATA, monitor: MONITORED, 'monitor.value': 9n }, { x2: 1n, monitor: 0n, 'monitor.value': 0n },
    { mem: [0, 0, 0, 0, 0, 0, 0, 0] }],
  ['stxr w2, x0, [x1]', { x0: 5n, x1: DATA }, { x2: 1n }, { mem: [0, 0, 0, 0, 0, 0, 0, 0] }],
  ['stxr w2, w0, [x1]', { x0: 5n, x1: DATA, monitor: MONITORED, 'monitor.value': 0n }, { x2: 1n, monitor: 0n }, { mem: [0, 0, 0, 0] }],
  ['stxrb w2, w0, [x1]', { x0: 0x1ffn, x1: DATA, monitor: (1n << 63n) | (1n << 56n) | DATA, 'monitor.value': 3n }, { x2: 0n, monitor: 0n, 'monitor.value': 0n },
    { mem: [3, 4], memAfter: [0xff, 4] }],
  ['stlxrh w2, w0, [x1]', { x0: 0x1_0203n, x1: DATA, monitor: (1n << 63n) | (2n << 56n) | DATA, 'monitor.value': 0x403n }, { x2: 0n, monitor: 0n, 'monitor.value': 0n },
    { mem: [3, 4], memAfter: [3, 2] }],
  ['ldxrh w0, [x1]', { x1: DATA }, { x0: 0x201n, monitor: (1n << 63n) | (2n << 56n) | DATA, 'monitor.value': 0x201n }, { mem: [1, 2] }],
  ['ldaxrb w0, [x1]', { x1: DATA + 1n }, { x0: 2n, monitor: (1n << 63n) | (1n << 56n) | (DATA + 1n), 'monitor.value': 2n }, { mem: [1, 2] }],
  ['stxrh w2, w0, [x1]', { x0: 0x1_0203n, x1: DATA, monitor: (1n << 63n) | (2n << 56n) | DATA, 'monitor.value': 0x403n }, { x2: 0n, monitor: 0n, 'monitor.value': 0n },
    { mem: [3, 4], memAfter: [3, 2] }],
  // the monitor marks the size too: a byte stxr after a word ldxr at the same address fails
  ['stlxrb w2, w0, [x1]', { x0: 9n, x1: DATA, monitor: MONITORED_W, 'monitor.value': 0n }, { x2: 1n, monitor: 0n }, { mem: [0, 0, 0, 0] }],
  ['stxr w2, x0, [x1]', { x1: DATA + 4n }, STAY, fault(DATA + 4n, 'write', 'misaligned')],
  // Ws the same as Rt or as the base: CONSTRAINED UNPREDICTABLE, taken as UNDEFINED
  [{ op: 'stxr', sf: 1, rs: 0, rt2: 31, rn: 1, rt: 0 }, { x1: DATA }, STAY, UNDEFINED],
  [{ op: 'stxr', sf: 1, rs: 1, rt2: 31, rn: 1, rt: 0 }, { x1: DATA }, STAY, UNDEFINED],
  // system registers: NZCV, DAIF's I, CurrentEL, CTR_EL0 (without the knobs: neither IDC nor DIC), ELR_EL1; others unsupported
  ['mrs x0, nzcv', { nzcv: N | C }, { x0: N | C }],
  ['msr nzcv, x0', { x0: M64 }, { nzcv: N | Z | C | V }],
  ['mrs x0, daif', { x0: 5n }, { x0: 0n }, { irq: [true, true] }],
  ['mrs x0, daif', {}, { x0: 0x80n }, { irq: [false, false] }],
  ['msr daif, x0', { x0: 0x80n }, {}, { irq: [true, false] }],
  ['msr daif, xzr', {}, {}, { irq: [false, true] }],
  ['mrs x0, currentel', {}, { x0: 4n }],
  ['mrs x1, ctr_el0', {}, { x1: 0x8444_c004n }],
  ['mrs x0, tpidr_el1', { x0: 3n }, STAY, { out: { kind: 'trap', trap: 'unsupported', code: 0 } }],
  ['msr elr_el1, x9', { x9: 0x1234n }, { elr_el1: 0x1234n }],
  ['mrs x3, elr_el1', { elr_el1: 0x88n }, { x3: 0x88n }],
  ['msr ctr_el0, x0', {}, STAY, { out: { kind: 'trap', trap: 'unsupported', code: 0 } }],
];

/** Text (read-execute) at 0x1000, data (read-write) at 0x2000, each 4 KiB. */
function memory(): Memory {
  return Memory.create([
    { name: 'text', kind: 'text', base: Number(PC0), size: 0x1000, phys: 0, perms: { read: true, write: false, exec: true } },
    { name: 'data', kind: 'data', base: Number(DATA), size: 0x1000, phys: 0x1000, perms: { read: true, write: true, exec: false } },
  ], 0x2000);
}

function instruction(src: string | Arm64Insn): Arm64Insn {
  return typeof src === 'string' ? decodeOne(arm64Isa, src) : src;
}

const view = (regs: BigUint64Array, pc: bigint) => registerView(NAMES, regs, pc);

function runCase([src, before, after, extra = {}]: Case): void {
  const mem = memory();
  if (extra.mem) mem.writePhys(0x1000, Uint8Array.from(extra.mem));
  const pc = before.pc ?? PC0;
  const cpu = newCpu(NAMES.length, pc);
  const want = newCpu(NAMES.length, pc + 4n);
  for (const [target, values] of [[cpu, before], [want, before], [want, after]] as const) {
    for (const [name, v] of Object.entries(values)) {
      if (name === 'pc') target.pc = target === cpu || values === after ? v : pc + 4n;
      else {
        expect(NAMES).toContain(name);
        target.regs[NAMES.indexOf(name)] = v;
      }
    }
  }
  if (extra.irq) cpu.irqEnabled = extra.irq[0];
  const out = arm64Machine.execute(cpu, instruction(src), 4, dataBus(mem, 'little'));
  expect(out).toEqual(extra.out ?? { kind: 'next' });
  expect(view(cpu.regs, cpu.pc)).toEqual(view(want.regs, want.pc));
  if (extra.irq) expect(cpu.irqEnabled).toBe(extra.irq[1]);
  if (extra.memAfter) expect(Array.from(mem.readPhysBytes(0x1000, extra.memAfter.length))).toEqual(extra.memAfter);
  else if (extra.mem) expect(Array.from(mem.readPhysBytes(0x1000, extra.mem.length))).toEqual(extra.mem);
}

const title = (c: Case) => `${typeof c[0] === 'string' ? c[0] : JSON.stringify(c[0])} ${JSON.stringify(c[1], (_, v) => (typeof v === 'bigint' ? hex(v) : v))}`;
const cases = (list: readonly Case[]) => list.forEach((c) => it(title(c), () => runCase(c)));

describe('arm64 add, sub and their flags', () => cases(ADD_SUB_CASES));
describe('arm64 logic, move wide, bitfield moves, adr', () => cases(LOGIC_CASES));
describe('arm64 branches', () => cases(BRANCH_CASES));
describe('arm64 loads and stores', () => cases(MEMORY_CASES));
describe('arm64 hints, barriers, exceptions, DAIF, cache maintenance', () => cases(SYSTEM_CASES));
describe('arm64 conditional select, acquire/release, exclusives, system registers', () => cases(SELECT_AND_ATOMIC_CASES));

describe('arm64 mrs ctr_el0', () => {
  it.each([[false, false, 0x8444_c004n], [true, false, 0x9444_c004n], [true, true, 0xb444_c004n]] as const)(
    'reads IDC %s, DIC %s from the bus (the arm64.idc/arm64.dic knobs): %s', (idc, dic, value) => {
      const inner = dataBus(memory(), 'little');
      const bus = { load: inner.load.bind(inner), store: inner.store.bind(inner), cacheType: { idc, dic } };
      const cpu = newCpu(NAMES.length, PC0);
      expect(arm64Machine.execute(cpu, instruction('mrs x2, ctr_el0'), 4, bus)).toEqual({ kind: 'next' });
      expect(cpu.regs[2]).toBe(value);
    });
});

describe('arm64 coverage', () => {
  it('runs every table entry in some case', () => {
    const ran = new Set<Arm64Op>();
    for (const c of [...ADD_SUB_CASES, ...LOGIC_CASES, ...BRANCH_CASES, ...MEMORY_CASES, ...SYSTEM_CASES, ...SELECT_AND_ATOMIC_CASES]) ran.add(instruction(c[0]).op);
    expect(Object.keys(ARM64_TABLE).filter((op) => !ran.has(op as Arm64Op))).toEqual([]);
  });
});

describe('arm64 classify', () => {
  it.each([
    ['b .+8', 'direct', false], ['b.ne .+8', 'direct', false], ['cbz x0, .+8', 'direct', false], ['tbnz x0, #3, .+8', 'direct', false],
    ['bl .+8', 'direct', true], ['br x16', 'indirect', false], ['blr x1', 'indirect', true], ['ret', 'return', false],
    ['eret', 'return', false], ['add x0, x0, #1', 'none', false], ['svc #0', 'none', false],
  ] as const)('%s is %s, call %s', (src, branch, call) => {
    expect(classifyArm64(instruction(src))).toEqual({ branch, call });
  });
});
