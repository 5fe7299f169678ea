// GNU as's macros: `li` of any 64-bit constant, `la`/`lla` (AUIPC + ADDI), `call` and `tail` (AUIPC + JALR).

import type { BuildResult, InsnStatement, InsnTemplate, ParseContext } from '../types.js';
import type { RiscvCode } from './encode.js';
import type { Operand } from './syntax-operands.js';
import { CANDIDATES, finalInsn } from './syntax-spellings.js';
import { makeInsn } from './table-layout.js';
import type { BaseOp, RiscvInsn } from './table.js';

type Macro = (stmt: InsnStatement, operands: readonly Operand[], ctx: ParseContext) => InsnTemplate<RiscvCode> | undefined;

/** The instruction GNU as emits for `mnemonic syntax` with these fields (compressed where GNU compresses it). */
function emitted(mnemonic: string, syntax: string, op: BaseOp, fields: Partial<Record<'rd' | 'rs1' | 'imm', number>>, compress: boolean): RiscvInsn {
  if (!compress) return makeInsn(op, fields);
  const c = CANDIDATES.get(mnemonic)!.find((k) => k.syntax === syntax && k.op === op)!;
  return finalInsn(c, makeInsn(op, fields));
}

const sext12 = (v: bigint) => BigInt.asIntN(12, v);
const isSext32 = (v: bigint) => v === BigInt.asIntN(32, v);

/**
 * GNU as's `load_const`: a 32-bit value is LUI (of the upper part, rounded) then ADDIW of the lower
 * 12 bits; a wider one is the value shifted right past its trailing zeros, loaded so, then SLLI and ADDI.
 */
function loadConst(rd: number, v: bigint, out: RiscvInsn[], compress: boolean): void {
  const lower = sext12(v);
  let upper = BigInt.asIntN(64, v - lower);
  if (!isSext32(v)) {
    let shift = 12n;
    while (((upper >> shift) & 1n) === 0n) shift++;
    upper >>= shift;
    loadConst(rd, upper, out, compress);
    out.push(emitted('slli', '<rd>,<rs1>,<shamt>', 'slli', { rd, rs1: rd, imm: Number(shift) }, compress));
    if (lower !== 0n) out.push(emitted('addi', '<rd>,<rs1>,<imm>', 'addi', { rd, rs1: rd, imm: Number(lower) }, compress));
    return;
  }
  let hi = 0;
  if (upper !== 0n) {
    out.push(emitted('lui', '<rd>,<hi20>', 'lui', { rd, imm: Number(BigInt.asIntN(32, upper)) }, compress));
    hi = rd;
  }
  if (lower !== 0n || hi === 0) out.push(emitted('addiw', '<rd>,<rs1>,<imm>', 'addiw', { rd, rs1: hi, imm: Number(lower) }, compress));
}

/**
 * `li rd, value`: c.lui, c.li, addi, or load_const, the first that takes the value (GNU's order); under
 * `.option norvc` (`compress` false) the compressed forms are not candidates.
 */
export function loadImmediate(rd: number, value: bigint, compress = true): RiscvInsn[] {
  const v = BigInt.asIntN(64, value);
  const clui = v % 4096n === 0n ? v / 4096n : undefined;
  if (compress && rd !== 0 && rd !== 2 && clui !== undefined && clui !== 0n && clui >= -32n && clui <= 31n) return [makeInsn('c_lui', { rd, imm: Number(v) })];
  if (compress && rd !== 0 && v >= -32n && v <= 31n) return [makeInsn('c_li', { rd, imm: Number(v) })];
  if (v >= -2048n && v <= 2047n) return [makeInsn('addi', { rd, imm: Number(v) })];
  const out: RiscvInsn[] = [];
  loadConst(rd, v, out, compress);
  return out;
}

const code = (parts: readonly RiscvInsn[]): RiscvCode => (parts.length === 1 ? parts[0] : { op: 'sequence', parts });
const length = (parts: readonly RiscvInsn[]) => parts.reduce((n, i) => n + (i.op.startsWith('c_') ? 2 : 4), 0);

function operandCount(stmt: InsnStatement, operands: readonly Operand[], n: number, ctx: ParseContext): boolean {
  if (operands.length === n) return true;
  ctx.report('PL2002', stmt.span, stmt.mnemonic, n, operands.length);
  return false;
}

const li: Macro = (stmt, operands, ctx) => {
  if (!operandCount(stmt, operands, 2, ctx)) return undefined;
  const [rd, value] = operands;
  if (rd.kind !== 'reg' || value.kind !== 'value' || value.value.reloc) {
    ctx.report('PL2003', (rd.kind !== 'reg' ? rd : value).span, 'li', rd.kind !== 'reg' ? 'expected a register' : 'expected a constant');
    return undefined;
  }
  const v = ctx.constantNow(value.value.expr);
  if (v === undefined) {
    ctx.report('PL1009', value.span);
    return undefined;
  }
  if (v >= 1n << 64n || v < -(1n << 63n)) {
    ctx.report('PL2005', value.span, v, '64 bits');
    return undefined;
  }
  const parts = loadImmediate(rd.reg, v, ctx.compress !== false);
  return { sizes: [length(parts)], build: () => ({ insn: code(parts), fixups: [] }) };
};

/**
 * AUIPC rd + a second instruction, both relocated against a symbol: `la`/`lla` (ADDI, PCREL_HI20 and
 * PCREL_LO12_I), `call`/`tail` (JALR, one CALL_PLT for the pair). GNU as leaves both fields zero.
 */
function pcrelPair(kind: 'address' | 'call' | 'tail'): Macro {
  return (stmt, operands, ctx) => {
    const n = kind === 'address' ? 2 : 1;
    if (!operandCount(stmt, operands, n, ctx)) return undefined;
    const rd = kind === 'address' ? operands[0] : undefined;
    const target = operands[n - 1];
    if ((rd && rd.kind !== 'reg') || target.kind !== 'value' || target.value.reloc) {
      ctx.report('PL2003', (rd && rd.kind !== 'reg' ? rd : target).span, stmt.mnemonic, 'expected a register and a symbol');
      return undefined;
    }
    const reg = rd?.kind === 'reg' ? rd.reg : kind === 'call' ? 1 : 6;
    const parts = [
      makeInsn('auipc', { rd: reg }),
      kind === 'address' ? makeInsn('addi', { rd: reg, rs1: reg }) : makeInsn('jalr', { rd: kind === 'call' ? 1 : 0, rs1: reg }),
    ];
    return {
      sizes: [8],
      build: (env): BuildResult<RiscvCode> => {
        const v = env.evaluate(target.value.expr);
        if (!v) return env.final ? 'error' : { insn: code(parts), fixups: [] };
        if (v.kind !== 'symbol' || v.minus !== undefined) {
          env.report('PL1017', target.span, `\`${stmt.mnemonic}\` needs a symbol plus a constant`);
          return 'error';
        }
        const fixups = kind === 'address'
          ? [{ offset: 0, type: 'R_RISCV_PCREL_HI20', target: v, addend: v.addend }, { offset: 4, type: 'R_RISCV_PCREL_LO12_I', target: v, addend: v.addend + 4n }]
          : [{ offset: 0, type: 'R_RISCV_CALL_PLT', target: v, addend: v.addend }];
        return { insn: code(parts), fixups };
      },
    };
  };
}

export const MACROS: Readonly<Record<string, Macro>> = {
  li, la: pcrelPair('address'), lla: pcrelPair('address'), call: pcrelPair('call'), tail: pcrelPair('tail'),
};
