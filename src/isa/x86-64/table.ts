// x86-64 as data: registers, prefixes, conditions, and the decoded-instruction type the forms produce.
//
// The instruction forms themselves are in table-forms.ts; everything here is what those forms refer to.

/**
 * Registers by the name objdump and GNU as give them.
 * Legend: `num` the 4-bit register number (REX bit + 3-bit field); `size` in bits; `rex`:
 * 'needs' (spl/bpl/sil/dil, r8–r15: only encodable with a REX prefix), 'forbids' (ah/ch/dh/bh: the
 * same codes mean spl… once a REX is present), 'any'.
 */
export const REGISTERS = Object.freeze({
  rax: { num: 0, size: 64, rex: 'any' }, rcx: { num: 1, size: 64, rex: 'any' }, rdx: { num: 2, size: 64, rex: 'any' },
  rbx: { num: 3, size: 64, rex: 'any' }, rsp: { num: 4, size: 64, rex: 'any' }, rbp: { num: 5, size: 64, rex: 'any' },
  rsi: { num: 6, size: 64, rex: 'any' }, rdi: { num: 7, size: 64, rex: 'any' }, r8: { num: 8, size: 64, rex: 'needs' },
  r9: { num: 9, size: 64, rex: 'needs' }, r10: { num: 10, size: 64, rex: 'needs' }, r11: { num: 11, size: 64, rex: 'needs' },
  r12: { num: 12, size: 64, rex: 'needs' }, r13: { num: 13, size: 64, rex: 'needs' }, r14: { num: 14, size: 64, rex: 'needs' },
  r15: { num: 15, size: 64, rex: 'needs' },
  eax: { num: 0, size: 32, rex: 'any' }, ecx: { num: 1, size: 32, rex: 'any' }, edx: { num: 2, size: 32, rex: 'any' },
  ebx: { num: 3, size: 32, rex: 'any' }, esp: { num: 4, size: 32, rex: 'any' }, ebp: { num: 5, size: 32, rex: 'any' },
  esi: { num: 6, size: 32, rex: 'any' }, edi: { num: 7, size: 32, rex: 'any' }, r8d: { num: 8, size: 32, rex: 'needs' },
  r9d: { num: 9, size: 32, rex: 'needs' }, r10d: { num: 10, size: 32, rex: 'needs' }, r11d: { num: 11, size: 32, rex: 'needs' },
  r12d: { num: 12, size: 32, rex: 'needs' }, r13d: { num: 13, size: 32, rex: 'needs' }, r14d: { num: 14, size: 32, rex: 'needs' },
  r15d: { num: 15, size: 32, rex: 'needs' },
  ax: { num: 0, size: 16, rex: 'any' }, cx: { num: 1, size: 16, rex: 'any' }, dx: { num: 2, size: 16, rex: 'any' },
  bx: { num: 3, size: 16, rex: 'any' }, sp: { num: 4, size: 16, rex: 'any' }, bp: { num: 5, size: 16, rex: 'any' },
  si: { num: 6, size: 16, rex: 'any' }, di: { num: 7, size: 16, rex: 'any' }, r8w: { num: 8, size: 16, rex: 'needs' },
  r9w: { num: 9, size: 16, rex: 'needs' }, r10w: { num: 10, size: 16, rex: 'needs' }, r11w: { num: 11, size: 16, rex: 'needs' },
  r12w: { num: 12, size: 16, rex: 'needs' }, r13w: { num: 13, size: 16, rex: 'needs' }, r14w: { num: 14, size: 16, rex: 'needs' },
  r15w: { num: 15, size: 16, rex: 'needs' },
  al: { num: 0, size: 8, rex: 'any' }, cl: { num: 1, size: 8, rex: 'any' }, dl: { num: 2, size: 8, rex: 'any' },
  bl: { num: 3, size: 8, rex: 'any' }, spl: { num: 4, size: 8, rex: 'needs' }, bpl: { num: 5, size: 8, rex: 'needs' },
  sil: { num: 6, size: 8, rex: 'needs' }, dil: { num: 7, size: 8, rex: 'needs' }, r8b: { num: 8, size: 8, rex: 'needs' },
  r9b: { num: 9, size: 8, rex: 'needs' }, r10b: { num: 10, size: 8, rex: 'needs' }, r11b: { num: 11, size: 8, rex: 'needs' },
  r12b: { num: 12, size: 8, rex: 'needs' }, r13b: { num: 13, size: 8, rex: 'needs' }, r14b: { num: 14, size: 8, rex: 'needs' },
  r15b: { num: 15, size: 8, rex: 'needs' },
  ah: { num: 4, size: 8, rex: 'forbids' }, ch: { num: 5, size: 8, rex: 'forbids' }, dh: { num: 6, size: 8, rex: 'forbids' },
  bh: { num: 7, size: 8, rex: 'forbids' },
} as const satisfies Record<string, { num: number; size: 8 | 16 | 32 | 64; rex: 'any' | 'needs' | 'forbids' }>);

export type X86Reg = keyof typeof REGISTERS;

/** Is `name` a register (an own key of the table, so that `%constructor` is not one)? */
export function isRegister(name: string): name is X86Reg {
  return Object.hasOwn(REGISTERS, name);
}
export type GprSize = 8 | 16 | 32 | 64;

/** The register of `size` bits numbered `num`; `rex` picks spl… over ah… for byte registers 4–7. */
export function gprName(num: number, size: GprSize, rex: boolean): X86Reg {
  if (size === 8 && !rex && num >= 4 && num < 8) return HIGH_BYTE[num - 4];
  return GPR_BY_SIZE[size][num];
}

const namesOf = (size: GprSize): X86Reg[] =>
  (Object.keys(REGISTERS) as X86Reg[]).filter((r) => REGISTERS[r].size === size && REGISTERS[r].rex !== 'forbids');
const GPR_BY_SIZE: Readonly<Record<GprSize, readonly X86Reg[]>> = Object.freeze({
  8: namesOf(8), 16: namesOf(16), 32: namesOf(32), 64: namesOf(64),
});
const HIGH_BYTE: readonly X86Reg[] = ['ah', 'ch', 'dh', 'bh'];

/**
 * Pseudo registers of addressing: `rip`/`eip` (pc-relative) and `riz`/`eiz` (a SIB byte that names no
 * index; objdump prints it, GNU as accepts it only after `.allow_index_reg`, patchlab always).
 */
export const ADDRESS_PSEUDO = Object.freeze({ rip: 64, eip: 32, riz: 64, eiz: 32 } as const);

/**
 * Legacy prefixes, by the name objdump prints and GNU as accepts.
 * Legend: `byte` the prefix byte; `group` its kind, which also fixes the order GNU as emits a
 * statement's prefixes in (segment, address size, operand size, repeat, lock).
 */
export const PREFIXES = Object.freeze({
  cs: { byte: 0x2e, group: 'seg' }, ds: { byte: 0x3e, group: 'seg' }, es: { byte: 0x26, group: 'seg' },
  ss: { byte: 0x36, group: 'seg' }, fs: { byte: 0x64, group: 'seg' }, gs: { byte: 0x65, group: 'seg' },
  notrack: { byte: 0x3e, group: 'seg' },
  addr32: { byte: 0x67, group: 'addr' },
  data16: { byte: 0x66, group: 'data' },
  rep: { byte: 0xf3, group: 'rep' }, repe: { byte: 0xf3, group: 'rep' }, repz: { byte: 0xf3, group: 'rep' },
  repne: { byte: 0xf2, group: 'rep' }, repnz: { byte: 0xf2, group: 'rep' }, bnd: { byte: 0xf2, group: 'rep' },
  xacquire: { byte: 0xf2, group: 'rep' }, xrelease: { byte: 0xf3, group: 'rep' },
  lock: { byte: 0xf0, group: 'lock' },
} as const satisfies Record<string, { byte: number; group: 'seg' | 'addr' | 'data' | 'rep' | 'lock' }>);

export type PrefixName = keyof typeof PREFIXES;

export function prefixNamed(word: string): (typeof PREFIXES)[PrefixName] | undefined {
  return Object.hasOwn(PREFIXES, word) ? PREFIXES[word as PrefixName] : undefined;
}
export const PREFIX_GROUP_ORDER = Object.freeze(['seg', 'addr', 'data', 'rep', 'lock'] as const);

/** objdump's name for each legacy prefix byte when nothing consumes it. */
export const PREFIX_NAME_OF_BYTE: Readonly<Record<number, string>> = Object.freeze({
  0x2e: 'cs', 0x3e: 'ds', 0x26: 'es', 0x36: 'ss', 0x64: 'fs', 0x65: 'gs',
  0x66: 'data16', 0x67: 'addr32', 0xf0: 'lock', 0xf2: 'repnz', 0xf3: 'repz',
});

export const SEGMENT_BYTES: readonly number[] = Object.freeze([0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65]);
/** 1 at each legacy prefix byte: a typed array, as the decoder asks it of every byte it starts on. */
const LEGACY_PREFIX = (() => {
  const t = new Uint8Array(256);
  for (const b of Object.keys(PREFIX_NAME_OF_BYTE)) t[Number(b)] = 1;
  return t;
})();
export const isLegacyPrefix = (b: number): boolean => LEGACY_PREFIX[b] === 1;
export const isRex = (b: number): boolean => (b & 0xf0) === 0x40;

/** REX bits, and objdump's name of a REX byte that the instruction does not use fully (`rex.WB`). */
export const REX = Object.freeze({ W: 8, R: 4, X: 2, B: 1 } as const);
export function rexName(rex: number): string {
  const bits = (['W', 'R', 'X', 'B'] as const).filter((b) => rex & REX[b]).join('');
  return bits ? `rex.${bits}` : 'rex';
}

/** GNU as's spellings of REX as a prefix word: `rex`, `rex64`, `rex.W`, `rex.WRXB` … */
export function rexPrefixBits(word: string): number | undefined {
  if (word === 'rex') return 0;
  if (word === 'rex64') return REX.W;
  const m = /^rex\.([wrxb]+)$/.exec(word);
  if (!m) return undefined;
  let bits = 0;
  for (const c of m[1]) bits |= REX[c.toUpperCase() as 'W' | 'R' | 'X' | 'B'];
  return bits;
}

/**
 * Condition codes by their 4-bit number: objdump's spelling first, then every other spelling GNU as
 * accepts after `j`.
 */
export const CONDITIONS = Object.freeze([
  ['o'], ['no'], ['b', 'c', 'nae'], ['ae', 'nb', 'nc'], ['e', 'z'], ['ne', 'nz'], ['be', 'na'], ['a', 'nbe'],
  ['s'], ['ns'], ['p', 'pe'], ['np', 'po'], ['l', 'nge'], ['ge', 'nl'], ['le', 'ng'], ['g', 'nle'],
] as const satisfies readonly (readonly string[])[]);

/** The segment registers by their number in ModRM.reg (6 and 7 name none). */
export const SEGMENT_REGISTER_NAMES = Object.freeze(['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const);

/** The effective segment of a memory operand: in 64-bit mode only fs and gs override anything. */
export type X86Segment = 'fs' | 'gs';

/** A memory operand as the instruction encodes it; enough to re-encode the same bytes. */
export interface X86Mem {
  readonly kind: 'mem';
  readonly seg: X86Segment | undefined;
  /** A register of `addressSize` bits, or undefined (absolute, or pc-relative). */
  readonly base: X86Reg | undefined;
  /** A register of `addressSize` bits; `riz`/`eiz` for a SIB byte that names no index; or undefined. */
  readonly index: X86Reg | 'riz' | 'eiz' | undefined;
  readonly scale: 1 | 2 | 4 | 8;
  /** Signed displacement (pc-relative: from the end of the instruction). */
  readonly disp: number;
  /** Bytes of displacement in the encoding: 0, 1 (disp8) or 4 (disp32). */
  readonly dispSize: 0 | 1 | 4;
  readonly ripRelative: boolean;
  /** 32 under an `addr32` (0x67) prefix. */
  readonly addressSize: 32 | 64;
}

export type X86Operand =
  | { readonly kind: 'reg'; readonly reg: X86Reg }
  /** The value the instruction uses: extended to the operand size, as an unsigned number of that size. */
  | { readonly kind: 'imm'; readonly value: bigint }
  | X86Mem
  /** Branch displacement from the end of the instruction. */
  | { readonly kind: 'rel'; readonly disp: number }
  /** A segment register by its number in ModRM.reg: SEGMENT_REGISTER_NAMES. */
  | { readonly kind: 'sreg'; readonly num: number }
  /** A control register, cr0–cr15 (mov to and from control registers). */
  | { readonly kind: 'cr'; readonly num: number }
  /** The absolute address of a0–a3 (`movabs 0x1122334455667788,%al`), of `addressSize` bits. */
  | { readonly kind: 'moffs'; readonly seg: X86Segment | undefined; readonly address: bigint; readonly addressSize: 32 | 64 };

/**
 * One decoded instruction: plain data that re-encodes to exactly the bytes it came from.
 * Operands are in AT&T order (sources first), as the form's `operands` list them.
 */
export interface X86Insn<Op extends string = string> {
  /** The table-forms.ts entry. */
  readonly op: Op;
  /** Legacy prefix bytes in encoding order, repeats kept. */
  readonly prefixes: readonly number[];
  /** The REX byte (0x40–0x4f), 0 when there is none. */
  readonly rex: number;
  /** Operand size in bits; 0 for instructions without one. */
  readonly opsize: 0 | GprSize;
  /** The condition number (0–15) of a jcc; undefined otherwise. */
  readonly cond: number | undefined;
  readonly operands: readonly X86Operand[];
  /** Encoded length in bytes. */
  readonly length: number;
}

/**
 * The nops GNU as 2.40 pads code with, by length 1–11 (`.p2align` in .text): a run longer than 11
 * is 11-byte nops then one of the rest; from 88 bytes on, a jmp over nops (see encode.ts codeFill).
 */
export const NOP_FILL: readonly (readonly number[])[] = Object.freeze([
  [],
  [0x90],
  [0x66, 0x90],
  [0x0f, 0x1f, 0x00],
  [0x0f, 0x1f, 0x40, 0x00],
  [0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
  [0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
]);
