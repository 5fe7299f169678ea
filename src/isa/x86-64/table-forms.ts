// The x86-64 instruction forms: THE table that encoder, decoder, assembler and printer derive from.

import { assertNever } from '../../base/assert.js';
import type { GprSize } from './table.js';

/**
 * Operand kinds, as the Intel manual names them.
 * - `r`: a register in ModRM.reg (REX.R); `rm`: ModRM.rm, register or memory (REX.B, SIB with REX.X);
 *   `m`: ModRM.rm, memory only; `+r`: a register in the low 3 bits of the last opcode byte (REX.B);
 *   `acc`: al/ax/eax/rax, implied; `cl`: the shift count register, implied.
 * - `cr`: a control register in ModRM.reg (REX.R); `r64`: ModRM.rm as a 64-bit register whatever the
 *   operand size (patchlab decodes only mod 11 there; the CPU ignores mod); `sreg`: a segment register in
 *   ModRM.reg (es cs ss ds fs gs, REX.R ignored); `rreg`: ModRM.rm as a register only (mod 11).
 * - `imm8`: one byte as is; `simm8`: one byte sign-extended to the operand size; `imm16`: two bytes;
 *   `immz`: two bytes at 16-bit operand size, else four (sign-extended at 64); `immv`: operand size.
 * - `rel8`, `rel32`: branch displacement from the end of the instruction.
 * - `moffs`: an absolute address of the address size (8 bytes, or 4 under addr32) after the opcode.
 */
export type OperandKind = 'r' | 'rm' | 'm' | '+r' | 'acc' | 'cl' | 'cr' | 'sreg' | 'r64' | 'rreg' | 'imm8' | 'simm8' | 'imm16' | 'immz' | 'immv' | 'rel8' | 'rel32' | 'moffs';

/**
 * Operand size: `b` 8; `w` 16 (by a mandatory 0x66); `v` 16/32/64 (0x66 → 16, REX.W → 64, else 32);
 * `d64` 64, or 16 with 0x66 unless REX.W is there too (stack operations and branch targets); `none`.
 */
export type SizeClass = 'b' | 'w' | 'v' | 'd64' | 'none';

/**
 * When objdump writes a b/w/l/q suffix after the mnemonic: `never`; `mem` when no register operand
 * tells the size (`incl (%rax)`); `mem16` for 16-bit memory operands only (`callw *(%rax)`); `w16`
 * whenever the size is 16 (`retw`); `wq` at 16 and 64 (`iretw`, `iret`, `iretq`).
 */
export type SuffixRule = 'never' | 'mem' | 'mem16' | 'w16' | 'wq';

/**
 * How objdump names prefixes on branches: `near`/`ret`/`jcc`/`indirect` all print 0xf2 as `bnd`;
 * `indirect` prints 0x3e as `notrack`; `jcc` turns a lone cs or ds into the hint `,pn` / `,pt`.
 */
export type BranchKind = 'near' | 'ret' | 'jcc' | 'indirect';

type Digit = '/0' | '/1' | '/2' | '/3' | '/4' | '/5' | '/6' | '/7';

/** One encoding form. Field legend in the comments; unset optional fields mean "no". */
export interface FormSpec {
  /** objdump's mnemonic, which GNU as accepts too (with a size suffix where the size class has one). */
  readonly mnemonic: string;
  /** Opcode bytes after the prefixes and REX. */
  readonly opcode: readonly number[];
  /** The low 4 bits of the last opcode byte are the condition (jcc). */
  readonly cond?: true;
  /** ModRM: `/r` its reg field holds the `r` operand; `/0`–`/7` an opcode extension; a number, the whole byte. */
  readonly modrm?: '/r' | Digit | number;
  /** A prefix that belongs to the opcode (pause is f3 90, `xchg %ax,%ax` is 66 90). */
  readonly mandatory?: 0x66 | 0xf3;
  readonly size: SizeClass;
  /** In AT&T order: sources first, destination last. */
  readonly operands: readonly OperandKind[];
  readonly suffix: SuffixRule;
  readonly branch?: BranchKind;
  /** objdump prints `*` before the operand (indirect call and jmp). */
  readonly star?: true;
  /** objdump's mnemonic at 64-bit operand size, when it differs (`movabs`). */
  readonly mnemonic64?: string;
  /** objdump's mnemonic when the `moffs` address is 64-bit (`movabs`); GNU as takes it too. */
  readonly mnemonicWideAddress?: string;
  /**
   * A lock prefix is valid when the r/m operand (the destination) is memory; otherwise it is #UD.
   * With lock, a last f2 is the HLE hint xacquire and a last f3 xrelease.
   */
  readonly lockable?: true;
  /** A store: an f3 before it is xrelease when the destination is memory, even without lock (HLE). */
  readonly releases?: true;
  /** GNU as accepts the two operands in either order. */
  readonly commutes?: true;
  /** The size GNU as takes when neither a suffix nor a register gives one. */
  readonly defaultSize?: GprSize;
  /**
   * Always locked, with or without a lock prefix (xchg with memory): a last f2 before it is xacquire and
   * a last f3 xrelease when the r/m operand is memory.
   */
  readonly implicitLock?: true;
  /** objdump counts a 66 before byte 90 itself (90+r with r = 0, REX.B or not) as used even under REX.W: no `data16`. */
  readonly consumes66?: true;
  /** GNU as leaves REX.W out of its 64-bit form (`mov %ss,%rax` is 8c d0: the zero-extended selector is the same). */
  readonly noRexW?: true;
  /** A shift by one: GNU as also takes it written with a count of `$1` first, which objdump never shows. */
  readonly countOne?: true;
  /** Further mnemonics GNU as accepts for this form. */
  readonly aliases?: readonly string[];
  /**
   * Prefix bytes and REX bits that make these bytes a different instruction, one patchlab does not
   * have (66 e9 is a rel16 jmp; 41 90 is `xchg %eax,%r8d`): the decoder declines them.
   */
  readonly excludes?: { readonly prefixes?: readonly number[]; readonly rex?: number };
}

// The eight arithmetic operations share one layout: 00+8k … 05+8k, and 80/81/83 with /k.
type AluName = 'add' | 'or' | 'adc' | 'sbb' | 'and' | 'sub' | 'xor' | 'cmp';
type AluForm = 'rm8_r8' | 'rm_r' | 'r8_rm8' | 'r_rm' | 'rm_simm8' | 'al_imm8' | 'ax_immz' | 'rm8_imm8' | 'rm_immz';

/** The forms of one arithmetic operation, in the order GNU as tries them (short immediates first). */
function alu<N extends AluName>(mnemonic: N, k: number): Record<`${N}_${AluForm}`, FormSpec> {
  const ext = `/${k}` as Digit;
  const base = k * 8;
  const forms: Record<AluForm, FormSpec> = {
    rm_simm8: { mnemonic, opcode: [0x83], modrm: ext, size: 'v', operands: ['simm8', 'rm'], suffix: 'mem' },
    al_imm8: { mnemonic, opcode: [base + 4], size: 'b', operands: ['imm8', 'acc'], suffix: 'never' },
    ax_immz: { mnemonic, opcode: [base + 5], size: 'v', operands: ['immz', 'acc'], suffix: 'never' },
    rm8_imm8: { mnemonic, opcode: [0x80], modrm: ext, size: 'b', operands: ['imm8', 'rm'], suffix: 'mem' },
    rm_immz: { mnemonic, opcode: [0x81], modrm: ext, size: 'v', operands: ['immz', 'rm'], suffix: 'mem' },
    rm8_r8: { mnemonic, opcode: [base], modrm: '/r', size: 'b', operands: ['r', 'rm'], suffix: 'never' },
    rm_r: { mnemonic, opcode: [base + 1], modrm: '/r', size: 'v', operands: ['r', 'rm'], suffix: 'never' },
    r8_rm8: { mnemonic, opcode: [base + 2], modrm: '/r', size: 'b', operands: ['rm', 'r'], suffix: 'never' },
    r_rm: { mnemonic, opcode: [base + 3], modrm: '/r', size: 'v', operands: ['rm', 'r'], suffix: 'never' },
  };
  const out: Record<string, FormSpec> = {};
  const lockable = mnemonic !== 'cmp';
  for (const [form, spec] of Object.entries(forms)) {
    const writesRm = spec.operands[spec.operands.length - 1] === 'rm';
    out[`${mnemonic}_${form}`] = lockable && writesRm ? { ...spec, lockable: true } : spec;
  }
  return out as Record<`${N}_${AluForm}`, FormSpec>;
}

// The shifts share one layout: d0/d1 by one, d2/d3 by cl, c0/c1 by an immediate, with /k.
type ShiftName = 'shl' | 'shr' | 'sar';
type ShiftForm = 'rm8_1' | 'rm_1' | 'rm8_cl' | 'rm_cl' | 'rm8_imm8' | 'rm_imm8';

/** The forms of one shift, in GNU's order; `sal` is GNU's other name of shl (the same /4). */
function shift<N extends ShiftName>(mnemonic: N, k: number): Record<`${N}_${ShiftForm}`, FormSpec> {
  const ext = `/${k}` as Digit;
  const aliases = mnemonic === 'shl' ? { aliases: ['sal'] } : {};
  const forms: Record<ShiftForm, FormSpec> = {
    rm8_1: { mnemonic, opcode: [0xd0], modrm: ext, size: 'b', operands: ['rm'], suffix: 'mem', countOne: true, ...aliases },
    rm_1: { mnemonic, opcode: [0xd1], modrm: ext, size: 'v', operands: ['rm'], suffix: 'mem', countOne: true, ...aliases },
    rm8_cl: { mnemonic, opcode: [0xd2], modrm: ext, size: 'b', operands: ['cl', 'rm'], suffix: 'mem', ...aliases },
    rm_cl: { mnemonic, opcode: [0xd3], modrm: ext, size: 'v', operands: ['cl', 'rm'], suffix: 'mem', ...aliases },
    rm8_imm8: { mnemonic, opcode: [0xc0], modrm: ext, size: 'b', operands: ['imm8', 'rm'], suffix: 'mem', ...aliases },
    rm_imm8: { mnemonic, opcode: [0xc1], modrm: ext, size: 'v', operands: ['imm8', 'rm'], suffix: 'mem', ...aliases },
  };
  return Object.fromEntries(Object.entries(forms).map(([f, spec]) => [`${mnemonic}_${f}`, spec])) as Record<`${N}_${ShiftForm}`, FormSpec>;
}

// bt, bts, btr: 0f a3/ab/b3 with the bit offset in a register, 0f ba /4 /5 /6 with an imm8; bts and btr lock.
type BitName = 'bt' | 'bts' | 'btr';

function bitTest<N extends BitName>(mnemonic: N, opcode: number, k: number): Record<`${N}_rm_r` | `${N}_rm_imm8`, FormSpec> {
  const lock: { lockable?: true } = mnemonic === 'bt' ? {} : { lockable: true };
  const byReg: FormSpec = { mnemonic, opcode: [0x0f, opcode], modrm: '/r', size: 'v', operands: ['r', 'rm'], suffix: 'never', ...lock };
  const byImm: FormSpec = { mnemonic, opcode: [0x0f, 0xba], modrm: `/${k}` as Digit, size: 'v', operands: ['imm8', 'rm'], suffix: 'mem', ...lock };
  return { [`${mnemonic}_rm_r`]: byReg, [`${mnemonic}_rm_imm8`]: byImm } as Record<`${N}_rm_r` | `${N}_rm_imm8`, FormSpec>;
}

/** 66, f2 and f3 before these name other instructions (xsusldtrk is f2 0f 01 e8). */
const FENCE_EXCLUDES = { prefixes: [0x66, 0xf2, 0xf3] } as const;

/**
 * Every form patchlab knows. Within one mnemonic the entries are in the order GNU as tries them: the
 * first that fits the operands wins (so `add $1,%eax` is 83 /0 ib and `add $0x80,%eax` is 05 id).
 */
const FORMS = Object.freeze({
  // --- control transfer
  call_rel32: { mnemonic: 'call', opcode: [0xe8], size: 'none', operands: ['rel32'], suffix: 'never', branch: 'near', excludes: { prefixes: [0x66] } },
  call_rm: { mnemonic: 'call', opcode: [0xff], modrm: '/2', size: 'd64', operands: ['rm'], suffix: 'mem16', branch: 'indirect', star: true, defaultSize: 64 },
  jmp_rel8: { mnemonic: 'jmp', opcode: [0xeb], size: 'none', operands: ['rel8'], suffix: 'never', branch: 'near' },
  jmp_rel32: { mnemonic: 'jmp', opcode: [0xe9], size: 'none', operands: ['rel32'], suffix: 'never', branch: 'near', excludes: { prefixes: [0x66] } },
  jmp_rm: { mnemonic: 'jmp', opcode: [0xff], modrm: '/4', size: 'd64', operands: ['rm'], suffix: 'mem16', branch: 'indirect', star: true, defaultSize: 64 },
  jcc_rel8: { mnemonic: 'j', opcode: [0x70], cond: true, size: 'none', operands: ['rel8'], suffix: 'never', branch: 'jcc' },
  jcc_rel32: { mnemonic: 'j', opcode: [0x0f, 0x80], cond: true, size: 'none', operands: ['rel32'], suffix: 'never', branch: 'jcc', excludes: { prefixes: [0x66] } },
  ret: { mnemonic: 'ret', opcode: [0xc3], size: 'd64', operands: [], suffix: 'w16', branch: 'ret', defaultSize: 64 },
  ret_imm16: { mnemonic: 'ret', opcode: [0xc2], size: 'd64', operands: ['imm16'], suffix: 'w16', branch: 'ret', defaultSize: 64 },
  iret: { mnemonic: 'iret', opcode: [0xcf], size: 'v', operands: [], suffix: 'wq', defaultSize: 32 },
  // IBT's landing pad: a no-op hint (objdump reads 0f 1e fa without f3, or with f2 last, as another hint nop).
  endbr64: { mnemonic: 'endbr64', opcode: [0x0f, 0x1e], modrm: 0xfa, mandatory: 0xf3, size: 'none', operands: [], suffix: 'never', excludes: { prefixes: [0xf2] } },
  // --- traps, serialization, barriers
  int3: { mnemonic: 'int3', opcode: [0xcc], size: 'none', operands: [], suffix: 'never' },
  ud2: { mnemonic: 'ud2', opcode: [0x0f, 0x0b], size: 'none', operands: [], suffix: 'never', aliases: ['ud2a'] },
  ud1: { mnemonic: 'ud1', opcode: [0x0f, 0xb9], modrm: '/r', size: 'v', operands: ['rm', 'r'], suffix: 'never', aliases: ['ud2b'], excludes: { prefixes: [0xf2] } },
  hlt: { mnemonic: 'hlt', opcode: [0xf4], size: 'none', operands: [], suffix: 'never' },
  cli: { mnemonic: 'cli', opcode: [0xfa], size: 'none', operands: [], suffix: 'never' },
  sti: { mnemonic: 'sti', opcode: [0xfb], size: 'none', operands: [], suffix: 'never' },
  cld: { mnemonic: 'cld', opcode: [0xfc], size: 'none', operands: [], suffix: 'never' },
  std: { mnemonic: 'std', opcode: [0xfd], size: 'none', operands: [], suffix: 'never' },
  // mov to and from control registers: decoded and printed, not run (the model has none).
  mov_r64_cr: { mnemonic: 'mov', opcode: [0x0f, 0x20], modrm: '/r', size: 'none', operands: ['cr', 'r64'], suffix: 'never' },
  mov_cr_r64: { mnemonic: 'mov', opcode: [0x0f, 0x22], modrm: '/r', size: 'none', operands: ['r64', 'cr'], suffix: 'never' },
  // mov from a segment register: sync_core()'s IRET-to-self reads ss and cs so (to memory, 16 bits, not decoded).
  mov_rreg_sreg: { mnemonic: 'mov', opcode: [0x8c], modrm: '/r', size: 'v', operands: ['sreg', 'rreg'], suffix: 'never', noRexW: true },
  swapgs: { mnemonic: 'swapgs', opcode: [0x0f, 0x01], modrm: 0xf8, size: 'none', operands: [], suffix: 'never', excludes: { prefixes: [0xf2] } },
  cpuid: { mnemonic: 'cpuid', opcode: [0x0f, 0xa2], size: 'none', operands: [], suffix: 'never' },
  serialize: { mnemonic: 'serialize', opcode: [0x0f, 0x01], modrm: 0xe8, size: 'none', operands: [], suffix: 'never', excludes: FENCE_EXCLUDES },
  lfence: { mnemonic: 'lfence', opcode: [0x0f, 0xae], modrm: 0xe8, size: 'none', operands: [], suffix: 'never', excludes: FENCE_EXCLUDES },
  mfence: { mnemonic: 'mfence', opcode: [0x0f, 0xae], modrm: 0xf0, size: 'none', operands: [], suffix: 'never', excludes: FENCE_EXCLUDES },
  sfence: { mnemonic: 'sfence', opcode: [0x0f, 0xae], modrm: 0xf8, size: 'none', operands: [], suffix: 'never', excludes: FENCE_EXCLUDES },
  pause: { mnemonic: 'pause', opcode: [0x90], mandatory: 0xf3, size: 'none', operands: [], suffix: 'never', excludes: { prefixes: [0xf2], rex: 1 } },
  // --- no-ops
  nop: { mnemonic: 'nop', opcode: [0x90], size: 'none', operands: [], suffix: 'never', excludes: { prefixes: [0x66, 0xf3], rex: 1 } },
  nop_rm: { mnemonic: 'nop', opcode: [0x0f, 0x1f], modrm: '/0', size: 'v', operands: ['rm'], suffix: 'mem' },
  xchg_ax_ax: { mnemonic: 'xchg', opcode: [0x90], mandatory: 0x66, size: 'w', operands: ['acc', 'acc'], suffix: 'never', excludes: { prefixes: [0xf3], rex: 9 } },
  // --- stack
  push_r: { mnemonic: 'push', opcode: [0x50], size: 'd64', operands: ['+r'], suffix: 'never' },
  pop_r: { mnemonic: 'pop', opcode: [0x58], size: 'd64', operands: ['+r'], suffix: 'never' },
  push_simm8: { mnemonic: 'push', opcode: [0x6a], size: 'd64', operands: ['simm8'], suffix: 'w16' },
  push_immz: { mnemonic: 'push', opcode: [0x68], size: 'd64', operands: ['immz'], suffix: 'w16' },
  // ff /6 with a register is what GNU as never emits (it takes 50+r): memory only here.
  push_m: { mnemonic: 'push', opcode: [0xff], modrm: '/6', size: 'd64', operands: ['m'], suffix: 'mem16', defaultSize: 64 },
  pushf: { mnemonic: 'pushf', opcode: [0x9c], size: 'd64', operands: [], suffix: 'w16' },
  popf: { mnemonic: 'popf', opcode: [0x9d], size: 'd64', operands: [], suffix: 'w16' },
  // --- exchanges: xchg with memory is locked whether or not it says so
  // 90+r with r = 0 is nop (unless REX.B): the decoder finds nop first; GNU as writes `xchg %eax,%eax` as 87 c0.
  xchg_acc_r: { mnemonic: 'xchg', opcode: [0x90], size: 'v', operands: ['acc', '+r'], suffix: 'never', commutes: true, consumes66: true, excludes: { prefixes: [0xf3] } },
  xchg_rm8_r8: { mnemonic: 'xchg', opcode: [0x86], modrm: '/r', size: 'b', operands: ['r', 'rm'], suffix: 'never', commutes: true, lockable: true, implicitLock: true },
  xchg_rm_r: { mnemonic: 'xchg', opcode: [0x87], modrm: '/r', size: 'v', operands: ['r', 'rm'], suffix: 'never', commutes: true, lockable: true, implicitLock: true },
  xadd_rm8_r8: { mnemonic: 'xadd', opcode: [0x0f, 0xc0], modrm: '/r', size: 'b', operands: ['r', 'rm'], suffix: 'never', lockable: true },
  xadd_rm_r: { mnemonic: 'xadd', opcode: [0x0f, 0xc1], modrm: '/r', size: 'v', operands: ['r', 'rm'], suffix: 'never', lockable: true },
  cmpxchg_rm8_r8: { mnemonic: 'cmpxchg', opcode: [0x0f, 0xb0], modrm: '/r', size: 'b', operands: ['r', 'rm'], suffix: 'never', lockable: true },
  cmpxchg_rm_r: { mnemonic: 'cmpxchg', opcode: [0x0f, 0xb1], modrm: '/r', size: 'v', operands: ['r', 'rm'], suffix: 'never', lockable: true },
  // --- moves
  mov_r8_imm8: { mnemonic: 'mov', opcode: [0xb0], size: 'b', operands: ['imm8', '+r'], suffix: 'never' },
  mov_r_immv: { mnemonic: 'mov', opcode: [0xb8], size: 'v', operands: ['immv', '+r'], suffix: 'never', mnemonic64: 'movabs' },
  mov_rm8_imm8: { mnemonic: 'mov', opcode: [0xc6], modrm: '/0', size: 'b', operands: ['imm8', 'rm'], suffix: 'mem', releases: true },
  mov_rm_immz: { mnemonic: 'mov', opcode: [0xc7], modrm: '/0', size: 'v', operands: ['immz', 'rm'], suffix: 'mem', releases: true },
  // a0–a3 with a 64-bit address, which GNU as picks for `movabs`, for an address beyond ±2 GiB, or under addr32.
  mov_al_moffs: { mnemonic: 'mov', opcode: [0xa0], size: 'b', operands: ['moffs', 'acc'], suffix: 'never', mnemonicWideAddress: 'movabs' },
  mov_ax_moffs: { mnemonic: 'mov', opcode: [0xa1], size: 'v', operands: ['moffs', 'acc'], suffix: 'never', mnemonicWideAddress: 'movabs' },
  mov_moffs_al: { mnemonic: 'mov', opcode: [0xa2], size: 'b', operands: ['acc', 'moffs'], suffix: 'never', mnemonicWideAddress: 'movabs' },
  mov_moffs_ax: { mnemonic: 'mov', opcode: [0xa3], size: 'v', operands: ['acc', 'moffs'], suffix: 'never', mnemonicWideAddress: 'movabs' },
  mov_rm8_r8: { mnemonic: 'mov', opcode: [0x88], modrm: '/r', size: 'b', operands: ['r', 'rm'], suffix: 'never', releases: true },
  mov_rm_r: { mnemonic: 'mov', opcode: [0x89], modrm: '/r', size: 'v', operands: ['r', 'rm'], suffix: 'never', releases: true },
  mov_r8_rm8: { mnemonic: 'mov', opcode: [0x8a], modrm: '/r', size: 'b', operands: ['rm', 'r'], suffix: 'never' },
  mov_r_rm: { mnemonic: 'mov', opcode: [0x8b], modrm: '/r', size: 'v', operands: ['rm', 'r'], suffix: 'never' },
  lea: { mnemonic: 'lea', opcode: [0x8d], modrm: '/r', size: 'v', operands: ['m', 'r'], suffix: 'never' },
  // --- arithmetic
  ...alu('add', 0), ...alu('or', 1), ...alu('adc', 2), ...alu('sbb', 3),
  ...alu('and', 4), ...alu('sub', 5), ...alu('xor', 6), ...alu('cmp', 7),
  test_al_imm8: { mnemonic: 'test', opcode: [0xa8], size: 'b', operands: ['imm8', 'acc'], suffix: 'never' },
  test_ax_immz: { mnemonic: 'test', opcode: [0xa9], size: 'v', operands: ['immz', 'acc'], suffix: 'never' },
  test_rm8_imm8: { mnemonic: 'test', opcode: [0xf6], modrm: '/0', size: 'b', operands: ['imm8', 'rm'], suffix: 'mem' },
  test_rm_immz: { mnemonic: 'test', opcode: [0xf7], modrm: '/0', size: 'v', operands: ['immz', 'rm'], suffix: 'mem' },
  test_rm8_r8: { mnemonic: 'test', opcode: [0x84], modrm: '/r', size: 'b', operands: ['r', 'rm'], suffix: 'never', commutes: true },
  test_rm_r: { mnemonic: 'test', opcode: [0x85], modrm: '/r', size: 'v', operands: ['r', 'rm'], suffix: 'never', commutes: true },
  inc_rm8: { mnemonic: 'inc', opcode: [0xfe], modrm: '/0', size: 'b', operands: ['rm'], suffix: 'mem', lockable: true },
  inc_rm: { mnemonic: 'inc', opcode: [0xff], modrm: '/0', size: 'v', operands: ['rm'], suffix: 'mem', lockable: true },
  dec_rm8: { mnemonic: 'dec', opcode: [0xfe], modrm: '/1', size: 'b', operands: ['rm'], suffix: 'mem', lockable: true },
  dec_rm: { mnemonic: 'dec', opcode: [0xff], modrm: '/1', size: 'v', operands: ['rm'], suffix: 'mem', lockable: true },
  ...shift('shl', 4), ...shift('shr', 5), ...shift('sar', 7),
  ...bitTest('bt', 0xa3, 4), ...bitTest('bts', 0xab, 5), ...bitTest('btr', 0xb3, 6),
  // --- a prefix on its own: GNU as emits `lock` or `cs` alone; objdump shows a prefix the bytes end after.
  prefix: { mnemonic: '', opcode: [], size: 'none', operands: [], suffix: 'never' },
} as const satisfies Record<string, FormSpec>);

/** The name of a form: what a decoded instruction's `op` says. */
export type X86Op = keyof typeof FORMS;
export const X86_FORMS: Readonly<Record<X86Op, FormSpec>> = FORMS;

export const X86_OPS: readonly X86Op[] = Object.freeze(Object.keys(X86_FORMS) as X86Op[]);

/** The ModRM extension digit of a form, or undefined. */
export function modrmDigit(spec: FormSpec): number | undefined {
  return typeof spec.modrm === 'string' && spec.modrm !== '/r' ? Number(spec.modrm.slice(1)) : undefined;
}

/** Does the form have a ModRM byte (of any kind)? */
export const hasModrm = (spec: FormSpec): boolean => spec.modrm !== undefined;

/**
 * Bytes an immediate, branch displacement or moffs address of `kind` takes at operand size `opsize`
 * and address size `addressSize`; 0 for the operands in ModRM or the opcode.
 */
export function immediateBytes(kind: OperandKind, opsize: number, addressSize: number): number {
  switch (kind) {
    case 'moffs': return addressSize / 8;
    case 'imm8': case 'simm8': case 'rel8': return 1;
    case 'imm16': return 2;
    case 'immz': return opsize === 16 ? 2 : 4;
    case 'immv': return opsize / 8;
    case 'rel32': return 4;
    case 'r': case 'rm': case 'm': case '+r': case 'acc': case 'cl': case 'cr': case 'sreg': case 'r64': case 'rreg': return 0;
    default: return assertNever(kind, 'operand kind');
  }
}
