// objdump's text for a decoded instruction: its preferred alias, operands as objdump writes them.

import { assertNever } from '../../base/assert.js';
import type { PrintedInsn } from '../types.js';
import { ALIASES, holds } from './encode.js';
import { BRANCH_CONDITIONS, CR_BIT_NAMES, branchSpelling } from './table-branch.js';
import { PARAM_RANGE, ROTATE_MNEMONICS, rotateFields, type RotateMnemonic } from './table-rotate.js';
import { PPC_TABLE, type EntrySpec, type FieldName, type OperandKind, type OperandSpec, type PpcInsn } from './table.js';

/** An operand to print: its kind and field values (two for a memory operand: displacement, base). */
type Printable = readonly [OperandKind, number, number?];

/** CR bit as objdump writes it: `eq` in cr0, else `4*cr7+eq`. */
export function crBitText(bi: number): string {
  const name = CR_BIT_NAMES[bi & 3];
  return bi < 4 ? name : `4*cr${bi >> 2}+${name}`;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

function operandText(kind: OperandKind, v: number, base: number | undefined, address: bigint, mode: 32 | 64): string {
  switch (kind) {
    case 'gpr': return `r${v}`;
    case 'gpr0': return v === 0 ? '0' : `r${v}`;
    case 'crf': case 'crf?': return `cr${v}`;
    case 'crb': return crBitText(v);
    case 'bo': case 'to': case 'l': case 'bh?': case 'lev?': case 'l2?': case 'spr':
    case 'si': case 'sihi': case 'ui': case 'uicmp': case 'u5': case 'u6': case 'n5': case 'n6': case 'fxm': case 'l1?':
      return String(v);
    case 'sineg': return String(-v);
    case 'mem': case 'memds': return `${v}(${base === 0 ? '0' : `r${base}`})`;
    // Relative targets wrap at the address size; absolute ones print as 32-bit values in both modes.
    case 'rel': return hex(BigInt.asUintN(mode, address + BigInt(v)));
    case 'abs': return hex(BigInt.asUintN(32, BigInt(v)));
    default: return assertNever(kind, 'ppc operand kind');
  }
}

/** objdump leaves out an optional operand that is 0, unless an optional operand after it is printed. */
function operandsText(list: readonly Printable[], address: bigint, mode: 32 | 64, literal?: { at: number; text: string }): string {
  const texts: string[] = [];
  let laterOptional = false;
  for (let i = list.length - 1; i >= 0; i--) {
    const [kind, v, base] = list[i];
    const optional = kind.endsWith('?');
    if (optional && v === 0 && !laterOptional) continue;
    if (optional) laterOptional = true;
    texts.unshift(operandText(kind, v, base, address, mode));
  }
  if (literal) texts.splice(literal.at, 0, literal.text);
  return texts.join(',');
}

function printable(specs: readonly OperandSpec[], insn: PpcInsn): Printable[] {
  const v = insn as unknown as Readonly<Record<FieldName, number>>;
  return specs.map((s) => [s[0], v[s[1]], s.length > 2 ? v[s[2] as FieldName] : undefined] as Printable);
}

const conditionName = (bit: number, ifSet: boolean): string =>
  BRANCH_CONDITIONS.find(([, b, s]) => b === bit && s === ifSet)![0];

/** Conditional branches: spelled by BO (table-branch.ts), with the form's l/a/lr/ctr suffix before the hint. */
function printBranch(insn: PpcInsn & { bo: number; bi: number }, spec: EntrySpec, address: bigint, mode: 32 | 64): PrintedInsn {
  const form = spec.branch!;
  const s = branchSpelling(form, insn.bo, insn.bi)!;
  const lk = spec.fixed.lk ? 'l' : '';
  const suffix = form === 'b' ? lk + (spec.fixed.aa ? 'a' : '') : form + lk;
  const v = insn as unknown as Readonly<Record<string, number>>;
  const last: Printable = form === 'b' ? [spec.fixed.aa ? 'abs' : 'rel', v.bd] : ['bh?', v.bh];
  let mnemonic: string;
  let ops: Printable[];
  switch (s.stem) {
    case 'raw': mnemonic = insn.op; ops = [['bo', insn.bo], ['crb', insn.bi], last]; break;
    case 'f': case 't': mnemonic = `b${conditionName(insn.bi & 3, s.stem === 't')}${suffix}`; ops = [['crf?', insn.bi >> 2], last]; break;
    case 'always': mnemonic = `b${suffix}`; ops = [last]; break;
    case 'dnz': case 'dz': mnemonic = `b${s.stem}${suffix}`; ops = [last]; break;
    case 'dnzf': case 'dzf': case 'dnzt': case 'dzt': mnemonic = `b${s.stem}${suffix}`; ops = [['crb', insn.bi], last]; break;
    default: return assertNever(s.stem, 'branch stem');
  }
  return { mnemonic: mnemonic + s.hint, operands: operandsText(ops, address, mode) };
}

/** The rotate mnemonics objdump prints, per entry (record forms included), in its order. */
const ROTATE_PRINTS: ReadonlyMap<string, readonly RotateMnemonic[]> = (() => {
  const out = new Map<string, RotateMnemonic[]>();
  for (const m of ROTATE_MNEMONICS.filter((r) => r.print)) for (const op of [m.op, `${m.op}.`]) out.set(op, [...(out.get(op) ?? []), m]);
  return out;
})();

/** `slwi r3,r4,5` for `rlwinm r3,r4,5,0,26`: the first printed mnemonic whose expansion, for the smallest operand, is this word. */
function printRotate(insn: PpcInsn, mode: 32 | 64): PrintedInsn | undefined {
  const list = ROTATE_PRINTS.get(insn.op);
  if (!list) return undefined;
  const v = insn as unknown as Readonly<Record<string, number>>;
  const bits = (f: FieldName) => (f === 'sh' || f === 'mb' || f === 'me' ? 5 : 6);
  const dot = insn.op.endsWith('.') ? '.' : '';
  const regs: Printable[] = [['gpr', v.ra], ['gpr', v.rs]];
  for (const m of list) {
    const top = m.params.length ? PARAM_RANGE[m.params[0]] : 0;
    for (let n = 0; n <= top; n++) {
      const want = rotateFields(m, [n], bits);
      if (!(Object.keys(want) as FieldName[]).every((f) => want[f] === v[f])) continue;
      const ops: Printable[] = m.rb ? [...regs, ['gpr', v.rb]] : [...regs, [m.params[0], n]];
      return { mnemonic: m.mnemonic + dot, operands: operandsText(ops, 0n, mode) };
    }
  }
  return undefined;
}

export function printInsn(insn: PpcInsn, address: bigint, mode: 32 | 64): PrintedInsn {
  const spec: EntrySpec = PPC_TABLE[insn.op];
  if (spec.branch) return printBranch(insn as PpcInsn & { bo: number; bi: number }, spec, address, mode);
  const rotate = printRotate(insn, mode);
  if (rotate) return rotate;
  const alias = ALIASES[insn.op].find((a) => a.print && holds(a, insn));
  if (alias) return { mnemonic: alias.mnemonic, operands: operandsText(printable(alias.operands, insn), address, mode, alias.literal) };
  return { mnemonic: insn.op, operands: operandsText(printable(spec.operands, insn), address, mode) };
}

/** What objdump prints for a word no entry claims, and for a tail shorter than a word. */
export function undecodableText(bytes: Uint8Array, offset: number, word: number | undefined): { length: number; text: PrintedInsn } {
  if (word === undefined) {
    const rest = Array.from(bytes.subarray(offset, offset + 3), (b) => `0x${b.toString(16).padStart(2, '0')}`);
    return { length: Math.max(1, rest.length), text: { mnemonic: '.byte', operands: rest.join(',') } };
  }
  return { length: 4, text: { mnemonic: '.long', operands: `0x${word.toString(16)}` } };
}
