// Static keys (jump labels): each key's data object, its sites read from the image's `__jump_table`, and
// static_branch_enable/disable lowered to the arch's protocol.
//
// A `__jump_table` entry is what the kernel's arch_static_branch asm emits (HAVE_ARCH_JUMP_LABEL_RELATIVE):
//   .long SITE - ., TARGET - .        the site and its jump target (`l_yes`), relative to the field
//   .quad KEY + BRANCH - .            the key, relative (`.long` on ppc32); its low bit is the branch bit
// The branch bit is the kernel's jump_entry_is_branch: 0 at a static_branch_unlikely site, 1 at a
// static_branch_likely one, whatever the key's initial value; the site is a jump exactly when the key's
// value differs from it (jump_label_type = enabled ^ branch). Bit 1 of the key reference is the kernel's
// own (init text, objtool) and must be clear. Entries are read from the start of the section, one after
// another, as the kernel walks them.

import { bytesToHex, readUint } from '../base/bits.js';
import type { SourceSpan } from '../base/diagnostics.js';
import type { JumpEntry, KernelOp, Target } from '../kernel/spec.js';
import { jumpLabelForms, type JumpLabelSite } from '../patching/jump-label.js';
import { sameBytes, textPokeEarly } from '../patching/text-poke.js';
import type { CodeBlock, KeyDecl, PatcherStmt, Word } from './ast.js';
import type { LowerContext } from './lower-context.js';
import type { KeyState } from './lower-keys.js';

export const JUMP_TABLE = '__jump_table';
const hex = (v: bigint) => `0x${v.toString(16)}`;

/** A static key's value as written: `true` or `false` (reported otherwise). */
export function staticKeyValue(ctx: LowerContext, w: Word): 'true' | 'false' | undefined {
  if (w.text === 'true' || w.text === 'false') return w.text;
  ctx.sink.report('PL7006', w.span, '`true` or `false` (a static key\'s value)', w.text);
  return undefined;
}

/**
 * The key's `struct static_key` in data, named as DEFINE_STATIC_KEY_FALSE(NAME) names it: 8-aligned, so
 * the low bits of a reference to it are free for the entry's flags; its first word is `enabled`.
 */
export function staticKeySource(key: KeyDecl): string {
  const name = key.name.text;
  const enabled = key.initial.text === 'true' ? 1 : 0;
  return [`\t.pushsection .data.static_keys, "aw"`, `\t.balign 8`, `\t.globl ${name}`, `${name}:`, `\t.long ${enabled}, 0`, `\t.quad 0`, `\t.popsection`, ''].join('\n');
}

/** Where entry `offset` of the table was written in the file: the line of its `.long`. */
function entrySpan(ctx: LowerContext, code: CodeBlock, offset: number): SourceSpan {
  // The first statement that put bytes there (not an alignment directive that put none).
  const line = ctx.built.object.listing.find((l) => l.section === JUMP_TABLE && offset >= l.offset && offset < l.offset + l.bytes.length)?.line;
  const codeLines = code.text.split('\n').length;
  return line !== undefined && line <= codeLines ? { file: code.span.file, line: code.firstLine + line - 1, col: 1 } : code.span;
}

/**
 * Every static key's sites, by key name, from the image's `__jump_table`. Each entry must name a static key,
 * a site inside the image whose bytes are the arch's nop or jump to the entry's target (2 or 5 bytes on
 * x86), in the form the key's initial value and the branch bit give; its two successors must differ.
 */
export function readJumpTable(ctx: LowerContext, code: CodeBlock, keys: readonly KeyDecl[]): Map<string, JumpEntry[]> {
  const out = new Map<string, JumpEntry[]>(keys.filter((k) => k.staticKey).map((k) => [k.name.text, []]));
  const { image } = ctx.built;
  const section = image.sections.find((s) => s.name === JUMP_TABLE);
  if (!section) return out;
  const ptr = ctx.isa.addressBits / 8;
  const size = 8 + ptr;
  if (section.bytes.length % size !== 0) ctx.sink.report('PL7107', entrySpan(ctx, code, 0), section.bytes.length, size);
  const byAddress = new Map(keys.filter((k) => k.staticKey).map((k) => [image.symbols.get(k.name.text), k] as const));
  const seen = new Set<bigint>();
  for (let off = 0; off + size <= section.bytes.length; off += size) {
    const at = section.address + BigInt(off);
    const span = entrySpan(ctx, code, off);
    const rel = (o: number, n: number) => at + BigInt(o) + BigInt.asIntN(8 * n, readUint(section.bytes, off + o, n, ctx.isa.endian));
    const site = rel(0, 4), target = rel(4, 4);
    const keyRef = BigInt.asUintN(ctx.isa.addressBits, rel(8, ptr));
    const key = byAddress.get(keyRef & ~3n);
    if (!key || (keyRef & 2n) !== 0n) {
      ctx.sink.report('PL7102', span, hex(keyRef), key ? 'bit 1 is set (the kernel keeps it for init text)' : 'no static key is there');
      continue;
    }
    if (seen.has(site)) ctx.sink.report('PL7108', span, hex(site));
    seen.add(site);
    const entry = checkSite(ctx, span, key, site, target, (keyRef & 1n) === 1n);
    if (entry) out.get(key.name.text)!.push(entry);
  }
  return out;
}

/** One entry's site: its length, its bytes against the arch's two forms and the key's initial value. */
function checkSite(ctx: LowerContext, span: SourceSpan, key: KeyDecl, site: bigint, target: bigint, branch: boolean): JumpEntry | undefined {
  const name = key.name.text;
  const bytes = imageBytes(ctx, site, 16);
  if (!bytes) {
    ctx.sink.report('PL7103', span, name, hex(site));
    return undefined;
  }
  const insn = ctx.isa.decode(bytes, 0);
  const length = insn === undefined ? Math.min(bytes.length, ctx.isa.arch === 'x86-64' ? 1 : 4) : ctx.isa.length(insn);
  const forms = jumpLabelForms(ctx.isa.arch, { address: site, target, length });
  const here = bytes.slice(0, length);
  if ('error' in forms || !(sameBytes(here, forms.jump) || sameBytes(here, forms.nop))) {
    ctx.sink.report('PL7104', span, name, hex(site), bytesToHex(here), 'error' in forms ? forms.error : `the ${ctx.isa.arch} nop or jump to ${hex(target)} of the site's length`);
    return undefined;
  }
  if (target === site + BigInt(length)) {
    ctx.sink.report('PL7106', span, name, hex(site));
    return undefined;
  }
  const isJump = sameBytes(here, forms.jump);
  // jump_label_type: the site jumps exactly when the key's value differs from the branch bit.
  const wantJump = (key.initial.text === 'true') !== branch;
  if (isJump !== wantJump) {
    ctx.sink.report('PL7105', span, name, hex(site), isJump ? 'jump' : 'nop', key.initial.text, branch ? 1 : 0, wantJump ? 'jump' : 'nop');
    return undefined;
  }
  return { site, target, length, branch };
}

function imageBytes(ctx: LowerContext, address: bigint, max: number): Uint8Array | undefined {
  for (const s of ctx.built.image.sections) {
    const off = address - s.address;
    if (off >= 0n && off < BigInt(s.bytes.length)) return s.bytes.slice(Number(off), Math.min(s.bytes.length, Number(off) + max));
  }
  return undefined;
}

/**
 * static_branch_enable(KEY) / static_branch_disable(KEY), the generic part (kernel/jump_label.c):
 *   1. a key already in that state: nothing is written (the kernel returns at once);
 *   2. update-begin: passes from now may see the old or the new value;
 *   3. jump_label_update: every site (in loaded code) whose type changes, by the arch's protocol
 *      (early, in `boot`: each site written while nothing runs, as at jump_label_init);
 *   4. update-end: a pass that begins from now must see the new value.
 */
export function staticBranchUpdate(
  ctx: LowerContext, key: KeyState, s: Extract<PatcherStmt, { kind: 'static_branch' }>, inBoot: boolean, live: (address: bigint) => boolean,
): { ops: KernelOp[] } | { error: string } {
  const name = key.decl.name.text;
  const value = s.op === 'enable' ? 'true' : 'false';
  const what = `static_branch_${s.op}(${name})`;
  const begin: KernelOp = { op: 'update-begin', key: name, target: value, step: `${what}: begin` };
  const end: KernelOp = { op: 'update-end', key: name, step: `${what}: return` };
  // 1.
  if (key.current === value) return { ops: [begin, end] };
  // 3.
  const sites: JumpLabelSite[] = (key.jumpEntries ?? []).filter((e) => live(e.site)).map((e) => ({
    address: e.site, target: e.target, length: e.length, type: (value === 'true') !== e.branch ? 'jump' : 'nop',
  }));
  let body: KernelOp[];
  if (inBoot) {
    body = [];
    for (const site of sites) {
      const f = jumpLabelForms(ctx.isa.arch, site);
      if ('error' in f) return f;
      body.push(...textPokeEarly(site.address, site.type === 'jump' ? f.jump : f.nop));
    }
  } else {
    const r = ctx.lib.jumpLabelTransform(ctx.isa.arch, sites, s.skipSync !== undefined);
    if (!('ops' in r)) return 'error' in r ? r : { error: `the patching layer does not provide ${r.missing}` };
    body = [...r.ops];
  }
  // 2. 4.
  return { ops: [begin, ...body, end] };
}

/**
 * jump_label_add_module: a loading module's sites of `key` were built for its initial value; where the key
 * has changed since, each is written for the current value, early (nothing runs in the module yet).
 */
export function jumpLabelAddModule(ctx: LowerContext, key: KeyState, inModule: (address: bigint) => boolean, current: Target = key.current): { ops: KernelOp[] } | { error: string } {
  if (current === key.initial) return { ops: [] };
  const ops: KernelOp[] = [];
  for (const e of (key.jumpEntries ?? []).filter((x) => inModule(x.site))) {
    const f = jumpLabelForms(ctx.isa.arch, { address: e.site, target: e.target, length: e.length });
    if ('error' in f) return f;
    ops.push(...textPokeEarly(e.site, (current === 'true') !== e.branch ? f.jump : f.nop));
  }
  return { ops };
}
