// From a chosen form to an InsnTemplate: prefixes, REX, ModRM/SIB/displacement sizes fixed at parse
// time as GNU as fixes them; symbol values and relocations filled in when the template is built.

import type { SourceSpan } from '../../base/diagnostics.js';
import { fitsSigned } from '../../base/bits.js';
import type { AsmValue, BuildEnv, BuildResult, Fixup, InsnTemplate, ParseContext } from '../types.js';
import type { MemSyntax, Operand } from './syntax-operands.js';
import { immediateFits, type Selection } from './syntax-select.js';
import { immediateBytes, type FormSpec, type OperandKind, type X86Op } from './table-forms.js';
import {
  PREFIX_GROUP_ORDER, PREFIXES, REGISTERS, REX, type X86Insn as X86InsnOf, type X86Mem, type X86Operand, type X86Reg,
} from './table.js';

type X86Insn = X86InsnOf<X86Op>;

type Group = (typeof PREFIX_GROUP_ORDER)[number];
type SymbolValue = AsmValue & { kind: 'symbol' };

/** What the statement said besides the mnemonic and operands. */
export interface Written {
  readonly prefixes: readonly { readonly byte: number; readonly group: Group; readonly span: SourceSpan }[];
  /** REX bits of a `rex…` prefix word, undefined when there is none. */
  readonly rex: number | undefined;
  /** `.d8` / `.d32` after the mnemonic: the displacement size asked for. */
  readonly disp: 1 | 4 | undefined;
  readonly span: SourceSpan;
}

/** The bytes of one form, sized: everything but the values of displacement and immediates. */
interface Layout {
  readonly sel: Selection;
  readonly prefixes: readonly number[];
  readonly rex: number;
  readonly dispSize: 0 | 1 | 4;
  /** Offsets from the instruction start of the displacement and of the first immediate. */
  readonly dispOffset: number;
  readonly immOffset: number;
  /** 32 under a written addr32: the size of a moffs address. */
  readonly addressSize: 32 | 64;
  readonly length: number;
}

const SEGMENT_BYTE: Readonly<Record<string, number>> = { cs: 0x2e, ds: 0x3e, es: 0x26, ss: 0x36, fs: 0x64, gs: 0x65 };
const num = (r: X86Reg | 'riz' | 'eiz' | undefined): number => (r === undefined || r === 'riz' || r === 'eiz' ? 0 : REGISTERS[r].num);
const ABS: SymbolValue = { kind: 'symbol', name: '*ABS*', section: undefined, offset: 0n, global: true, addend: 0n };

/** The memory operand (in ModRM.rm, or the moffs address), if there is one. */
function memOf(sel: Selection): MemSyntax | undefined {
  const i = sel.spec.operands.findIndex((k) => k === 'rm' || k === 'm' || k === 'moffs');
  const o = sel.operands[i];
  return o?.kind === 'mem' ? o.mem : undefined;
}

/** GNU as leaves out an override naming the segment the address uses anyway: ss for rsp/rbp bases, else ds. */
function defaultSegment(mem: MemSyntax): 'ds' | 'ss' {
  return mem.base !== undefined && (num(mem.base) === 4 || num(mem.base) === 5) ? 'ss' : 'ds';
}

/**
 * Prefix bytes: the written ones and the ones the operands imply (segment, addr32, 0x66, pause's f3).
 * GNU as emits them by group (segment, address, operand size, repeat, lock). A statement that repeats
 * a group (written, or written and implied), which GNU as rejects and patchlab accepts (`cs cs cs xor %eax,%eax`, objdump's
 * `data16 cs nopw …`), keeps its written order, each implied prefix going after the last written one of
 * its group: so objdump's text of such bytes assembles back to them.
 */
function prefixBytes(sel: Selection, written: Written, mem: MemSyntax | undefined): number[] {
  const implied: { byte: number; group: Group }[] = [];
  const writtenBytes = written.prefixes.map((p) => p.byte);
  // An override the address needs anyway is left out, as is one a written prefix already gives (notrack is 3e).
  const seg = mem?.seg && mem.seg !== defaultSegment(mem) ? SEGMENT_BYTE[mem.seg] : undefined;
  if (seg !== undefined && !writtenBytes.includes(seg)) implied.push({ byte: seg, group: 'seg' });
  if (mem?.addressSize === 32 && !writtenBytes.includes(0x67)) implied.push({ byte: 0x67, group: 'addr' });
  const { spec, opsize } = sel;
  if (opsize === 16 && (spec.size === 'v' || spec.size === 'd64' || spec.size === 'w')) implied.push({ byte: 0x66, group: 'data' });
  if (spec.mandatory === 0xf3) implied.push({ byte: 0xf3, group: 'rep' });
  const rank = (g: Group) => PREFIX_GROUP_ORDER.indexOf(g);
  const groups = [...written.prefixes, ...implied].map((p) => p.group);
  if (new Set(groups).size === groups.length) {
    const all = [...written.prefixes, ...implied];
    return all.map((p, i) => ({ ...p, i })).sort((a, b) => rank(a.group) - rank(b.group) || a.i - b.i).map((p) => p.byte);
  }
  const out: { byte: number; group: Group }[] = [...written.prefixes];
  for (const p of implied) {
    const at = out.map((q) => q.group).lastIndexOf(p.group);
    const before = out.findIndex((q) => rank(q.group) > rank(p.group));
    out.splice(at >= 0 ? at + 1 : before >= 0 ? before : out.length, 0, p);
  }
  return out.map((p) => p.byte);
}

/** The REX byte the operands need (0 for none); reports a high-byte register that cannot live with one. */
function rexByte(sel: Selection, written: Written, mem: MemSyntax | undefined, ctx: ParseContext): number | undefined {
  let bits = sel.spec.size === 'v' && sel.opsize === 64 && !sel.spec.noRexW ? REX.W : 0;
  let needed = written.rex !== undefined;
  sel.operands.forEach((o, i) => {
    if (o.kind === 'cr' && o.num >= 8) bits |= REX.R;
    if (o.kind !== 'reg') return;
    const info = REGISTERS[o.reg];
    if (info.rex === 'needs') needed = true;
    if (info.num < 8) return;
    const kind = sel.spec.operands[i];
    bits |= kind === 'r' ? REX.R : kind === 'rm' || kind === '+r' || kind === 'r64' || kind === 'rreg' ? REX.B : 0;
  });
  if (mem && num(mem.base) >= 8) bits |= REX.B;
  if (mem && num(mem.index) >= 8) bits |= REX.X;
  const rex = bits || needed ? 0x40 | bits | (written.rex ?? 0) : 0;
  const high = sel.operands.find((o) => o.kind === 'reg' && REGISTERS[o.reg].rex === 'forbids');
  if (rex && high?.kind === 'reg') {
    ctx.report('PL2016', high.span, `%${high.reg}`, 'it cannot be encoded in an instruction that needs a REX prefix');
    return undefined;
  }
  return rex;
}

/** disp0/disp8/disp32 as GNU as chooses: by the value when it is constant now, else disp32. */
function dispSizeOf(mem: MemSyntax, sel: Selection, written: Written): 0 | 1 | 4 {
  if (mem.ripRelative || mem.base === undefined) return 4;
  const needsDisp = (num(mem.base) & 7) === 5; // rbp/r13 as base: mod 00 would mean no base
  if (written.disp === 4) return 4;
  if (mem.disp === undefined) return needsDisp || written.disp === 1 ? 1 : 0;
  const v = mem.dispNow;
  if (v === undefined) return 4;
  // As GNU as: a zero displacement is dropped even when written (`nopl 0x0(%rax,%rax,1)` is 4 bytes);
  // the kernel's 5-byte nop needs `{disp8}` or the `.d8` suffix.
  const keepZero = needsDisp || written.disp === 1;
  if (v === 0n && !keepZero) return 0;
  return fitsSigned(v, 8) ? 1 : 4;
}

function layoutOf(sel: Selection, written: Written, ctx: ParseContext): Layout | undefined {
  const mem = memOf(sel);
  const rex = rexByte(sel, written, mem, ctx);
  if (rex === undefined) return undefined;
  const prefixes = prefixBytes(sel, written, mem);
  const head = prefixes.length + (rex ? 1 : 0) + sel.spec.opcode.length;
  let dispSize: 0 | 1 | 4 = 0;
  let modrm = 0;
  if (sel.spec.modrm !== undefined) {
    modrm = 1;
    if (mem) {
      dispSize = dispSizeOf(mem, sel, written);
      const sib = !mem.ripRelative && (mem.index !== undefined || mem.base === undefined || (num(mem.base) & 7) === 4);
      modrm += sib ? 1 : 0;
    }
  }
  const dispOffset = head + modrm;
  const immOffset = dispOffset + dispSize;
  const addressSize = written.prefixes.some((p) => p.byte === PREFIXES.addr32.byte) ? 32 : 64;
  const imm = sel.spec.operands.reduce((n, k) => n + immediateBytes(k, sel.opsize, addressSize), 0);
  return { sel, prefixes, rex, dispSize, dispOffset, immOffset, addressSize, length: immOffset + imm };
}

/** A lock prefix needs a lockable form writing memory (GNU as: "expecting lockable instruction"). */
function checkLock(sel: Selection, written: Written, ctx: ParseContext): boolean {
  // GNU as drops addr32 before a relative branch (with a warning), and data16 makes it a rel16
  // branch that patchlab does not have: both are refused.
  const sizePrefix = written.prefixes.find((p) => p.byte === PREFIXES.addr32.byte || p.byte === PREFIXES.data16.byte);
  if (sizePrefix && sel.spec.operands.some((k) => k === 'rel8' || k === 'rel32')) {
    ctx.report('PL3001', sizePrefix.span, sizePrefix.byte === PREFIXES.addr32.byte ? 'addr32' : 'data16');
    return false;
  }
  const lock = written.prefixes.find((p) => p.byte === PREFIXES.lock.byte);
  if (!lock) return true;
  const dest = sel.operands[sel.operands.length - 1];
  if (sel.spec.lockable && dest?.kind === 'mem') return true;
  ctx.report('PL3001', lock.span, 'lock');
  return false;
}

/**
 * The template of a statement: one form, or a short and a long branch form that relaxation chooses
 * between (`jmp`/`jcc` to a label: rel8 while it reaches, else rel32).
 */
export function makeTemplate(
  sel: Selection, written: Written, long: Selection | undefined, ctx: ParseContext,
): InsnTemplate<X86Insn> | undefined {
  if (!checkLock(sel, written, ctx)) return undefined;
  const short = layoutOf(sel, written, ctx);
  if (!short) return undefined;
  const far = long && layoutOf(long, written, ctx);
  const layouts = far ? [short, far] : [short];
  return {
    sizes: layouts.map((l) => l.length),
    build: (env, size) => {
      const l = layouts.find((x) => x.length === size) ?? layouts[layouts.length - 1];
      return buildInsn(l, env, far !== undefined && l === short);
    },
  };
}

function buildInsn(l: Layout, env: BuildEnv, mayGrow: boolean): BuildResult<X86Insn> {
  const fixups: Fixup[] = [];
  const operands: X86Operand[] = [];
  const seg = lastSegment(l.prefixes);
  let immAt = l.immOffset;
  for (let i = 0; i < l.sel.operands.length; i++) {
    const o = l.sel.operands[i];
    const kind = l.sel.spec.operands[i];
    let built: X86Operand | 'grow' | undefined;
    if (kind === 'rel8' || kind === 'rel32') built = branch(o, l, env, mayGrow, fixups);
    else if (kind === 'moffs' && o.kind === 'mem') built = moffs(o.mem, seg, l, immAt, env, fixups, o.span);
    else if (o.kind === 'reg') built = { kind: 'reg', reg: o.reg };
    else if (o.kind === 'cr' || o.kind === 'sreg') built = { kind: o.kind, num: o.num };
    else if (o.kind === 'imm') built = immediate(o, kind, l, immAt, env, fixups);
    else built = memory(o.mem, seg, l, env, fixups, o.span);
    if (built === 'grow') return 'grow';
    if (!built) return 'error';
    operands.push(built);
    immAt += immediateBytes(kind, l.sel.opsize, l.addressSize);
  }
  const insn: X86Insn = {
    op: l.sel.op, prefixes: l.prefixes, rex: l.rex, opsize: l.sel.opsize, cond: l.sel.cond, operands, length: l.length,
  };
  return { insn, fixups };
}

function lastSegment(prefixes: readonly number[]): 'fs' | 'gs' | undefined {
  let seg: 'fs' | 'gs' | undefined;
  for (const b of prefixes) if (b === 0x64 || b === 0x65) seg = b === 0x64 ? 'fs' : 'gs';
  return seg;
}

/** A pc-relative field to a symbol: resolved here when GNU as resolves it, else a relocation. */
function branch(o: Operand, l: Layout, env: BuildEnv, mayGrow: boolean, fixups: Fixup[]): X86Operand | 'grow' | undefined {
  if (o.kind !== 'mem' || !o.mem.disp) return undefined;
  const v = env.evaluate(o.mem.disp);
  if (!v) return undefined;
  const end = env.address + BigInt(l.length);
  const field = l.length - 4;
  if (mayGrow) {
    const d = v.kind === 'symbol' && v.minus === undefined ? env.pcDisplacement(v, end) : undefined;
    return d !== undefined && fitsSigned(d, 8) ? { kind: 'rel', disp: Number(d) } : 'grow';
  }
  const width = l.sel.spec.operands.includes('rel8') ? 8 : 32;
  if (v.kind === 'const') {
    if (width === 8) return 'grow';
    fixups.push({ offset: field, type: 'R_X86_64_PC32', target: ABS, addend: v.value - 4n });
    return { kind: 'rel', disp: 0 };
  }
  if (v.kind === 'reloc') {
    if (v.op !== 'plt' || width === 8) return relocOperatorNotAllowed(o.span, env);
    fixups.push({ offset: field, type: 'R_X86_64_PLT32', target: v.target, addend: v.target.addend - 4n });
    return { kind: 'rel', disp: 0 };
  }
  // GNU as resolves jmp and jcc to a global symbol of this section, but leaves a call to one to the
  // linker (it may be preempted): R_X86_64_PLT32.
  const resolvable = v.minus === undefined && !(l.sel.op === 'call_rel32' && v.global);
  const d = resolvable ? env.pcDisplacement(v, end) : undefined;
  if (d !== undefined) {
    if (fitsSigned(d, width)) return { kind: 'rel', disp: Number(d) };
    env.report('PL2006', o.span, d, width === 8 ? '-128..127' : '-0x80000000..0x7fffffff');
    return undefined;
  }
  if (v.minus !== undefined) {
    env.report('PL2017', o.span, 'a branch target cannot be a difference with `.`');
    return undefined;
  }
  if (width === 8) {
    env.report('PL2017', o.span, 'a short branch cannot reach a symbol outside this section');
    return undefined;
  }
  const type = v.global || v.section === undefined ? 'R_X86_64_PLT32' : 'R_X86_64_PC32';
  fixups.push({ offset: field, type, target: v, addend: v.addend - 4n });
  return { kind: 'rel', disp: 0 };
}

function relocOperatorNotAllowed(span: SourceSpan, env: BuildEnv): undefined {
  env.report('PL1016', span);
  return undefined;
}

const IMM_RELOC: Readonly<Record<number, string>> = { 1: 'R_X86_64_8', 2: 'R_X86_64_16', 4: 'R_X86_64_32', 8: 'R_X86_64_64' };
const PC_RELOC: Readonly<Record<number, string>> = { 1: 'R_X86_64_PC8', 2: 'R_X86_64_PC16', 4: 'R_X86_64_PC32', 8: 'R_X86_64_PC64' };

function immediate(
  o: Operand & { kind: 'imm' }, kind: OperandKind, l: Layout, at: number, env: BuildEnv, fixups: Fixup[],
): X86Operand | undefined {
  const v = env.evaluate(o.expr);
  if (!v) return undefined;
  const { opsize } = l.sel;
  const bytes = immediateBytes(kind, opsize, l.addressSize);
  if (v.kind === 'const') {
    const f = immediateFits(kind, v.value, opsize);
    if (!f.fits) {
      env.report('PL2005', o.span, v.value, f.range);
      return undefined;
    }
    const width = kind === 'simm8' || (kind === 'immz' && opsize === 64) ? opsize : bytes * 8;
    return { kind: 'imm', value: BigInt.asUintN(width, v.value) };
  }
  if (v.kind === 'reloc') return relocOperatorNotAllowed(o.span, env);
  if (v.minus !== undefined) {
    fixups.push({ offset: at, type: PC_RELOC[bytes], target: v, addend: v.addend + (env.address + BigInt(at) - v.minus) });
  } else {
    const type = bytes === 4 && opsize === 64 ? 'R_X86_64_32S' : IMM_RELOC[bytes];
    fixups.push({ offset: at, type, target: v, addend: v.addend });
  }
  return { kind: 'imm', value: 0n };
}

/** The absolute address of a0–a3: any 64-bit value (R_X86_64_64), or 32-bit under addr32 (R_X86_64_32). */
function moffs(
  m: MemSyntax, seg: 'fs' | 'gs' | undefined, l: Layout, at: number, env: BuildEnv, fixups: Fixup[], span: SourceSpan,
): X86Operand | undefined {
  const v = env.evaluate(m.disp!);
  if (!v) return undefined;
  const addressSize = l.addressSize;
  if (v.kind === 'const') {
    if (addressSize === 32 && !(fitsSigned(v.value, 32) || (v.value >= 0n && v.value < 1n << 32n))) {
      env.report('PL2008', span, v.value, '-0x80000000..0xffffffff');
      return undefined;
    }
    return { kind: 'moffs', seg, address: BigInt.asUintN(addressSize, v.value), addressSize };
  }
  if (v.kind === 'reloc') return relocOperatorNotAllowed(span, env);
  if (v.minus !== undefined) {
    fixups.push({ offset: at, type: PC_RELOC[addressSize / 8], target: v, addend: v.addend + (env.address + BigInt(at) - v.minus) });
  } else {
    fixups.push({ offset: at, type: IMM_RELOC[addressSize / 8], target: v, addend: v.addend });
  }
  return { kind: 'moffs', seg, address: 0n, addressSize };
}

/** GNU as's relaxable GOT loads: mov, test and the load forms of arithmetic, call and jmp. */
function gotType(op: X86Op, rex: number): string {
  if (op === 'call_rm' || op === 'jmp_rm') return 'R_X86_64_GOTPCRELX';
  if (op === 'mov_r_rm' || op === 'test_rm_r' || /^(add|or|adc|sbb|and|sub|xor|cmp)_r_rm$/.test(op)) {
    return rex ? 'R_X86_64_REX_GOTPCRELX' : 'R_X86_64_GOTPCRELX';
  }
  return 'R_X86_64_GOTPCREL';
}

function memory(
  m: MemSyntax, seg: 'fs' | 'gs' | undefined, l: Layout, env: BuildEnv, fixups: Fixup[], span: SourceSpan,
): X86Operand | undefined {
  const canonicalIndex = (m.index === 'riz' || m.index === 'eiz') && m.scale === 1 && (m.base === undefined || (num(m.base) & 7) === 4);
  const index = canonicalIndex ? undefined : m.index;
  const base: Omit<X86Mem, 'disp'> = {
    kind: 'mem', seg, base: m.base, index, scale: index === undefined ? 1 : m.scale, dispSize: l.dispSize,
    ripRelative: m.ripRelative, addressSize: m.addressSize,
  };
  if (!m.disp) return { ...base, disp: 0 };
  const v = env.evaluate(m.disp);
  if (!v) return undefined;
  const tail = BigInt(l.length - l.dispOffset);
  if (v.kind === 'const') {
    const ok = l.dispSize === 1 ? fitsSigned(v.value, 8)
      : m.addressSize === 32 && !m.ripRelative ? fitsSigned(v.value, 32) || (v.value >= 0n && v.value < 1n << 32n)
        : fitsSigned(v.value, 32);
    if (!ok) {
      env.report('PL2008', span, v.value, '-0x80000000..0x7fffffff');
      return undefined;
    }
    return { ...base, disp: Number(BigInt.asIntN(32, v.value)) };
  }
  if (v.kind === 'reloc') {
    if (v.op !== 'gotpcrel') return relocOperatorNotAllowed(span, env);
    const type = m.ripRelative ? gotType(l.sel.op, l.rex) : 'R_X86_64_GOTPCREL';
    fixups.push({ offset: l.dispOffset, type, target: v.target, addend: v.target.addend - (m.ripRelative ? tail : 0n) });
    return { ...base, disp: 0 };
  }
  if (m.ripRelative) {
    const local = !v.global && v.minus === undefined && v.section === env.section;
    const d = local ? env.pcDisplacement(v, env.address + BigInt(l.length)) : undefined;
    if (d !== undefined) {
      if (fitsSigned(d, 32)) return { ...base, disp: Number(d) };
      env.report('PL2008', span, d, '-0x80000000..0x7fffffff');
      return undefined;
    }
    if (v.minus !== undefined) {
      env.report('PL1017', span, 'a difference with `.` as a %rip-relative address');
      return undefined;
    }
    fixups.push({ offset: l.dispOffset, type: 'R_X86_64_PC32', target: v, addend: v.addend - tail });
    return { ...base, disp: 0 };
  }
  if (v.minus !== undefined) {
    fixups.push({ offset: l.dispOffset, type: 'R_X86_64_PC32', target: v, addend: v.addend + (env.address + BigInt(l.dispOffset) - v.minus) });
  } else {
    fixups.push({ offset: l.dispOffset, type: m.addressSize === 32 ? 'R_X86_64_32' : 'R_X86_64_32S', target: v, addend: v.addend });
  }
  return { ...base, disp: 0 };
}
