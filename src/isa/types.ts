// The contract every arch of `isa/` fulfils: one frozen table per arch, from which these functions derive.
//
// An arch module knows encodings, operand syntax and objdump's spelling; it knows nothing of sections,
// labels or directives (that is `isa/asm/`), and nothing of what an instruction does (that is `machine/`).

import type { Endian } from '../base/bits.js';
import type { MessageCode, SourceSpan } from '../base/diagnostics.js';
import type { Expr, Token } from './asm/expr.js';

export type ArchName = 'x86-64' | 'arm64' | 'ppc32' | 'ppc64' | 'riscv64';
export const ARCH_NAMES: readonly ArchName[] = Object.freeze(['x86-64', 'arm64', 'ppc32', 'ppc64', 'riscv64']);

/** What objdump prints in its last column, split as it splits it (mnemonic, then operands). */
export interface PrintedInsn {
  readonly mnemonic: string;
  readonly operands: string;
}

/**
 * A value an operand expression has during assembly.
 * - `const`: a plain number.
 * - `symbol`: a symbol plus addend. `section`/`offset` are set when the symbol is defined in this
 *   file (offset is section-relative: sections start at 0 until linked); `global` when `.globl`.
 * - `reloc`: a relocation operator (`@ha`, `@toc@l`, `:lo12:` …) applied to a symbolic value; on a
 *   constant the operator is folded instead and the result is `const`.
 */
export type AsmValue =
  | { readonly kind: 'const'; readonly value: bigint }
  | {
      readonly kind: 'symbol';
      readonly name: string;
      readonly section: string | undefined;
      readonly offset: bigint;
      readonly global: boolean;
      /** `.weak`: may be overridden at link time, so never resolved here (GNU leaves a relocation). */
      readonly weak?: boolean;
      readonly addend: bigint;
      /**
       * Set for `sym - label` where label is in the current section and the difference is not a
       * constant (`.TOC.-0b`, `.long target - .`): the value is symbol + addend − (the section
       * offset `minus`). A pc-relative relocation at place P then takes addend + (P − minus).
       */
      readonly minus?: bigint;
    }
  | { readonly kind: 'reloc'; readonly op: string; readonly target: AsmValue & { kind: 'symbol' } };

/**
 * A relocation an instruction asks for: `type` is the ELF name (`R_X86_64_PLT32`, `R_AARCH64_CALL26`,
 * `R_PPC_ADDR16_HA` …), `offset` is from the start of the instruction to the relocated field (as ELF's
 * r_offset: the halfword of a ppc `@ha` field), `target` the symbolic value, `addend` the whole RELA
 * addend against `target.name` (target.addend plus any adjustment such as x86's −4). The front end
 * rewrites a reference to a non-global symbol defined here as section symbol + offset, as GNU as does.
 * The bytes under a relocation are left as GNU as leaves them for RELA targets: zero.
 */
export interface Fixup {
  readonly offset: number;
  readonly type: string;
  readonly target: AsmValue & { kind: 'symbol' };
  readonly addend: bigint;
}

/** One instruction statement as the line splitter hands it to the arch. */
export interface InsnStatement {
  /** As written (case kept); arches compare it lowercased. */
  readonly mnemonic: string;
  readonly span: SourceSpan;
  /** Every token after the mnemonic (for x86 prefixes such as `cs` or `lock`). */
  readonly tokens: readonly Token[];
  /** The same tokens split at top-level commas (commas inside () or [] do not split). */
  readonly operands: readonly (readonly Token[])[];
  /** Where the statement ends: for "missing operand" diagnostics. */
  readonly end: SourceSpan;
}

/** What an arch's parser may ask of the assembler while parsing one statement. */
export interface ParseContext {
  report(code: MessageCode, span: SourceSpan, ...args: (string | number | bigint)[]): void;
  /** Parse an expression starting at tokens[start]; stops before the first token that cannot continue it. */
  parseExpr(tokens: readonly Token[], start: number): { expr: Expr; next: number } | undefined;
  /** The value now, if the expression is a constant already (numbers, defined absolute equates). */
  constantNow(expr: Expr): bigint | undefined;
  /**
   * Whether the arch's compressed forms may be chosen here (riscv64: `.option rvc` / `.option norvc`,
   * with `.option push` / `.option pop`). Absent: the arch's default.
   */
  readonly compress?: boolean;
}

/** What an instruction's template may ask while it is built into an instruction. */
export interface BuildEnv {
  /** Last pass: range errors are reported. Earlier passes use provisional addresses. */
  readonly final: boolean;
  /** Section-relative address of this instruction. */
  readonly address: bigint;
  readonly section: string;
  /** Evaluate; undefined means a diagnostic has been reported (or will be, in the final pass). */
  evaluate(expr: Expr, extraSymbols?: ReadonlyMap<string, bigint>): AsmValue | undefined;
  /**
   * `value - from` if the assembler resolves it itself (a non-global symbol defined in this section,
   * or a constant), else undefined: the arch must then emit a pc-relative relocation.
   */
  pcDisplacement(value: AsmValue, from: bigint): bigint | undefined;
  report(code: MessageCode, span: SourceSpan, ...args: (string | number | bigint)[]): void;
}

export type BuildResult<I> =
  | { readonly insn: I; readonly fixups: readonly Fixup[] }
  /** This size cannot hold it (a short branch out of range): try the next size. */
  | 'grow'
  /** A diagnostic was reported. */
  | 'error';

/** A parsed instruction whose operands may still wait for symbol values. */
export interface InsnTemplate<I> {
  /** Candidate encoded lengths, smallest first. Relaxation only grows (as GNU as does). */
  readonly sizes: readonly number[];
  build(env: BuildEnv, size: number): BuildResult<I>;
}

/** Per-arch spelling of GNU as syntax that the common front end needs. */
export interface AsmSyntax {
  /** Start a comment anywhere on a line. */
  readonly lineComments: readonly string[];
  /** Start a comment only as the first non-blank character. */
  readonly lineStartComments: readonly string[];
  /** `.align N` means 2^N bytes (arm64, ppc) rather than N bytes (x86). */
  readonly alignIsPowerOfTwo: boolean;
  /** Size of `.word` in bytes. */
  readonly wordSize: 2 | 4;
  /** `$` alone stands for the location counter (ppc: `bcl 20,31,$+4`). */
  readonly dollarIsDot: boolean;
  /** Relocation operators this arch accepts: postfix `@ha` style, or prefix `:lo12:` style. */
  readonly postfixRelocOps: readonly string[];
  readonly prefixRelocOps: readonly string[];
  /**
   * GNU as pseudo-prefixes written before a mnemonic, `{disp8} nopw …`, and the mnemonic suffix each
   * means (x86: `{disp8}` is `.d8`, `{disp32}` is `.d32`). Others are rejected.
   */
  readonly pseudoPrefixes?: Readonly<Record<string, string>>;
  /** `.inst WORD, …` emits instruction words (arm64). */
  readonly instDirective?: boolean;
}

export interface Isa<I = unknown> {
  readonly arch: ArchName;
  readonly endian: Endian;
  readonly addressBits: 32 | 64;
  /** Every instruction starts at a multiple of this (1 on x86-64, 4 on arm64 and ppc). */
  readonly insnAlign: number;
  readonly maxInsnLength: number;
  readonly syntax: AsmSyntax;
  /**
   * GNU as resolves a pc-relative reference to a *global* symbol defined in the same section itself
   * (true: x86-64, where `jmp g` to a global g in .text becomes `eb fe`) or leaves a relocation for it
   * (false: arm64 and ppc emit `R_AARCH64_JUMP26 g` / `R_PPC_REL24 g`).
   */
  readonly resolvesGlobalPcrel: boolean;

  /** Decode the instruction at bytes[offset]; undefined when the bytes are not one we know. */
  decode(bytes: Uint8Array, offset: number): I | undefined;
  length(insn: I): number;
  encode(insn: I): Uint8Array;
  /** objdump's text for it, at `address` (branch targets print as absolute addresses). */
  print(insn: I, address: bigint): PrintedInsn;
  /** What objdump prints for bytes that do not decode: `(bad)`, `.inst 0x… ; undefined`, `.long 0x…`. */
  undecodable(bytes: Uint8Array, offset: number): { readonly length: number; readonly text: PrintedInsn };

  parseInstruction(stmt: InsnStatement, ctx: ParseContext): InsnTemplate<I> | undefined;
  /** Padding GNU as puts in a code section for `.align` and friends. */
  codeFill(length: number): Uint8Array;
  /** ELF relocation for a data directive of `size` bytes (`.long sym`, or `.long sym - .` if pcrel). */
  dataRelocation(size: 1 | 2 | 4 | 8, pcrel: boolean): string | undefined;
  /**
   * Apply relocation `type` at image[offset] (the instruction's or datum's byte), with S the symbol's
   * address, A the addend, P the place, tocBase the ppc64 `.TOC.` value. Returns an error message on
   * overflow or an unknown type.
   */
  applyRelocation(type: string, image: Uint8Array, offset: number, S: bigint, A: bigint, P: bigint, tocBase: bigint): string | undefined;
}
