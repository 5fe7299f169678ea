// Static keys in the scenario language: the sites read from `__jump_table`, the statements, and every
// bad use reported at its line and column.

import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../base/diagnostics.js';
import { parseAndLower } from './lower.js';

/** One 5-byte static_branch_unlikely site of `sk` at f (line 7); the entry's `.long` is line 10, `.quad` line 11. */
const X86 = `scenario s
arch x86-64
expect safe
code
        .text
f:
1:      .byte 0x0f, 0x1f, 0x44, 0x00, 0x00
        .pushsection __jump_table, "aw"
        .balign 8
        .long 1b - ., .Lt - .
        .quad sk - .
        .popsection
        xor %eax, %eax
        ret
.Lt:    mov $1, %eax
        ret
        .size f, .-f
g:      ret
end
static_key sk = false
key k = g
`;

/** The same on ppc64, with a key that starts true: the site is `b` (line 7), the entry follows it. */
const PPC64 = `scenario s
arch ppc64
expect safe
code
        .text
f:
1:      b .Lt
        .pushsection __jump_table, "aw"
        .long 1b - ., .Lt - .
        .8byte sk - .
        .popsection
        li 3, 0
        blr
.Lt:    li 3, 1
        blr
end
static_key sk = true
`;

function lower(text: string) {
  const r = parseAndLower(text, 't.scn');
  return r.ok ? { spec: r.scenario.spec, diagnostics: [] as string[] } : { spec: undefined, diagnostics: r.diagnostics.map(formatDiagnostic) };
}

describe('static keys', () => {
  it('read their sites from __jump_table: site, target, length and branch bit', () => {
    const { spec, diagnostics } = lower(X86);
    expect(diagnostics).toEqual([]);
    const sk = spec!.keys.find((k) => k.name === 'sk')!;
    expect(sk.targets).toEqual(['false']);
    expect(sk.jumpEntries).toEqual([{ site: 0x10000n, target: 0x10008n, length: 5, branch: false }]);
    expect(spec!.image.symbols.has('sk')).toBe(true);
    expect(spec!.keys.find((k) => k.name === 'k')!.jumpEntries).toBeUndefined();
  });

  it('read a 2-byte x86 site and a likely one (the low bit of the key reference)', () => {
    const text = X86.replace('.byte 0x0f, 0x1f, 0x44, 0x00, 0x00', 'jmp .Lt').replace('.quad sk - .', '.quad sk + 1 - .');
    const { spec, diagnostics } = lower(text);
    expect(diagnostics).toEqual([]);
    expect(spec!.keys[0].jumpEntries).toEqual([{ site: 0x10000n, target: 0x10005n, length: 2, branch: true }]);
  });

  it('static_branch_enable on x86: update-begin, text_mutex, one text_poke_bp batch, update-end', () => {
    const { spec } = lower(`${X86}patcher\n  static_branch_enable sk\nend\n`);
    const steps = spec!.patchers[0].program.map((o) => o.op);
    expect(steps[0]).toBe('update-begin');
    expect(steps.at(-1)).toBe('update-end');
    expect(steps).toContain('bp-arm');
    expect(steps.filter((s) => s === 'sync-core')).toHaveLength(3);
    expect(spec!.keys[0].targets).toEqual(['false', 'true']);
    const poke = spec!.patchers[0].program.find((o) => o.op === 'bp-arm');
    expect(poke?.op === 'bp-arm' && Buffer.from(poke.insn).toString('hex')).toBe('e903000000');
    expect(spec!.patchers[0].program.every((o) => o.span?.line === 23)).toBe(true);
  });

  it('skip_sync leaves out text_poke_bp\'s sync after the tails', () => {
    const { spec } = lower(`${X86}patcher\n  static_branch_enable sk skip_sync\nend\n`);
    expect(spec!.patchers[0].program.filter((o) => o.op === 'sync-core')).toHaveLength(2);
  });

  it('a key already in that state: begin and end, nothing written (the kernel returns at once)', () => {
    const { spec } = lower(`${X86}patcher\n  static_branch_disable sk\nend\n`);
    expect(spec!.patchers[0].program.map((o) => o.op)).toEqual(['update-begin', 'update-end']);
  });

  it('in boot: each site written early, while nothing runs', () => {
    const { spec } = lower(`${X86}patcher\n  boot\n    static_branch_enable sk\n  end\nend\n`);
    expect(spec!.patchers[0].program.map((o) => o.op)).toEqual(['update-begin', 'store', 'store', 'update-end', 'boot-done']);
  });

  it('ppc64 static_branch_disable: patch_instruction of nop over the `b`', () => {
    const { spec, diagnostics } = lower(`${PPC64}patcher\n  static_branch_disable sk\nend\n`);
    expect(diagnostics).toEqual([]);
    expect(spec!.patchers[0].program.map((o) => o.op)).toEqual(['update-begin', 'store', 'maintain', 'update-end']);
    const store = spec!.patchers[0].program[1];
    expect(store.op === 'store' && Buffer.from(store.bytes).toString('hex')).toBe('00000060');
  });

  it('ppc32: 12-byte entries (a 4-byte key reference); static_branch_enable is patch_branch', () => {
    const text = PPC64.replace('arch ppc64', 'arch ppc32').replace('.8byte sk - .', '.long sk - .').replace('1:      b .Lt', '1:      nop')
      .replace('static_key sk = true', 'static_key sk = false');
    const { spec, diagnostics } = lower(`${text}patcher\n  static_branch_enable sk\nend\n`);
    expect(diagnostics).toEqual([]);
    expect(spec!.keys[0].jumpEntries).toEqual([{ site: 0x10000n, target: 0x1000cn, length: 4, branch: false }]);
    const store = spec!.patchers[0].program[1];
    expect(store.op === 'store' && Buffer.from(store.bytes).toString('hex')).toBe('4800000c');
  });

  it('a raw update of a static key names a value', () => {
    const { spec, diagnostics } = lower(`${X86}patcher\n  update sk -> true\n    text_poke_bp f, ".byte 0xe9, 3, 0, 0, 0"\n  end\nend\n`);
    expect(diagnostics).toEqual([]);
    expect(spec!.keys[0].targets).toEqual(['false', 'true']);
  });

  it('static_branch is a call that watches the key\'s sites', () => {
    const { spec } = lower(`${X86}task T\n  static_branch f key=sk expect=0\nend\n`);
    expect(spec!.tasks[0].program).toEqual([{ op: 'call', entry: 'f', args: [], branch: 'sk', expect: 0n, span: { file: 't.scn', line: 23, col: 3 } }]);
  });
});

describe('bad uses of static keys', () => {
  const patcher = (body: string) => `${X86}patcher\n${body}\nend\n`;
  const task = (body: string) => `${X86}task T\n${body}\nend\n`;
  it.each([
    ['a value that is not true or false', X86.replace('static_key sk = false', 'static_key sk = maybe'), 'PL7006', 20, 17],
    ['an entry for something that is no static key', X86.replace('.quad sk - .', '.quad g - .'), 'PL7102', 10, 1],
    ['an entry with bit 1 set', X86.replace('.quad sk - .', '.quad sk + 2 - .'), 'PL7102', 10, 1],
    ['a site outside every section', X86.replace('.long 1b - ., .Lt - .', '.long -0x80000, .Lt - .'), 'PL7103', 10, 1],
    ['a site that is neither nop nor jump', X86.replace('.byte 0x0f, 0x1f, 0x44, 0x00, 0x00', 'mov $0, %eax'), 'PL7104', 10, 1],
    ['a jump to somewhere else', X86.replace('.byte 0x0f, 0x1f, 0x44, 0x00, 0x00', '{disp32} jmp g'), 'PL7104', 10, 1],
    ['a nop where the initial value needs the jump', X86.replace('static_key sk = false', 'static_key sk = true'), 'PL7105', 10, 1],
    ['a jump to the next instruction', X86.replace('.long 1b - ., .Lt - .', '.long 1b - ., 1b + 5 - .'), 'PL7106', 10, 1],
    ['a table that is not whole entries', X86.replace('.quad sk - .', '.quad sk - .\n        .long 0').replace('\ng:      ret', ''), 'PL7107', 10, 1],
    ['two entries for one site', X86.replace('        .popsection\n        xor', '        .long 1b - ., .Lt - .\n        .quad sk - .\n        .popsection\n        xor'), 'PL7108', 12, 1],
    ['static_branch through a raw key', task('  static_branch f key=k'), 'PL7100', 23, 23],
    ['static_branch without a key', task('  static_branch f'), 'PL7037', 23, 3],
    ['a plain call through a static key', task('  call f key=sk'), 'PL7101', 23, 14],
    ['query of a static key', task('  query sk'), 'PL7101', 23, 9],
    ['static_branch_enable of a raw key', patcher('  static_branch_enable k'), 'PL7100', 23, 24],
    ['static_branch_enable of an unknown key', patcher('  static_branch_enable q'), 'PL7010', 23, 24],
    ['static_call_update of a static key', patcher('  static_call_update sk, g'), 'PL7101', 23, 22],
    ['a raw update to a value that is no value', patcher('  update sk -> g\n  end'), 'PL7006', 23, 16],
    ['static_branch_enable inside an update', patcher('  update k -> g\n    static_branch_enable sk\n  end'), 'PL7026', 24, 5],
    ['an unknown option', patcher('  static_branch_enable sk frob'), 'PL7006', 23, 27],
    ['skip_sync in boot', patcher('  boot\n    static_branch_enable sk skip_sync\n  end'), 'PL7109', 24, 29],
    ['skip_sync on powerpc', `${PPC64}patcher\n  static_branch_disable sk skip_sync\nend\n`, 'PL7109', 19, 28],
    ['static_branch_enable on another arch\'s form', PPC64.replace('1:      b .Lt', '1:      li 3, 0'), 'PL7104', 9, 1],
  ])('%s', (_what, text, code, line, col) => {
    const { diagnostics } = lower(text);
    expect(diagnostics.find((d) => d.includes(code)), diagnostics.join('\n')).toMatch(new RegExp(`^t\\.scn:${line}:${col}: error ${code}: `));
  });
});
