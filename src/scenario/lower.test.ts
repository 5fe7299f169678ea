import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../base/diagnostics.js';
import type { KernelOp } from '../kernel/spec.js';
import { MAX_EXPR_DEPTH } from './cursor.js';
import { parseAndLower, type LoweredScenario } from './lower.js';
import { patchingLibrary, type PatchingLibrary } from './patching-bridge.js';
import { MAX_BLOCK_DEPTH } from './reader.js';

const PPC32 = `scenario ppc32-ool-4insn
arch ppc32
knobs power.wordAtomicFetch
expect unsafe fell-through | wrong-target
section .text.far at 0x4000000

code
        .text
        .globl func_a
        .type func_a, @function
func_a: addi 3,3,1
        blr
        .size func_a, .-func_a
tramp:  blr
        nop
        nop
        nop
        .size tramp, .-tramp
caller: mflr 0
        bl tramp
        mtlr 0
        blr
        .section .text.far, "ax"
far_a:  addi 3,3,2
        blr
end

key sc = NULL

task T1
    set r2 = func_a+4
    repeat 2
        call caller(5) key=sc expect=-1
    end
end

patcher
    update sc -> far_a
        patch_instruction tramp+4, "addi 12, 12, far_a@l"
        patch_instruction tramp+8, "mtctr 12"
        store tramp+12, 4, 0x4e800420
        patch_instruction tramp, "lis 12, far_a@ha"
    end
end
`;

const X86 = `scenario x86-ool-text-poke-bp
arch x86-64
bounds cpus=3 interrupts=1
expect safe

code
        .text
        .globl func_a, func_b
func_a: lea 1(%rdi), %rax
        ret
        .size func_a, .-func_a
func_b: lea 2(%rdi), %rax
        ret
        .size func_b, .-func_b
        .p2align 3
tramp:  {disp32} jmp func_a
        .size tramp, .-tramp
caller: call tramp
        ret
end

key sc = func_a

task T1 T2
    call caller(1) key=sc
end

patcher
    mutex_lock text_mutex
    update sc -> func_b
        text_poke_bp tramp, "jmp func_b"
    end
    mutex_unlock text_mutex
end
`;

function lowered(text: string, lib?: PatchingLibrary): LoweredScenario {
  const r = parseAndLower(text, 't.scn', lib);
  if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  return r.scenario;
}
const ops = (patcher: readonly KernelOp[]) => patcher.map((o) => [o.op, o.span?.line]);

describe('long lines', () => {
  it('take time linear in 200 000 spaces before a statement, an instruction and an `end`', () => {
    const sp = ' '.repeat(200_000);
    const text = MINIMAL.replace('expect safe', `${sp}expect safe${sp}`).replace('g: nop', `g:${sp}nop${sp}`).replace('blr\nend', `blr\n${sp}end${sp}# c`);
    const t0 = performance.now();
    expect(lowered(text).name).toBe('s');
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('a ppc32 four-instruction rewrite', () => {
  const s = lowered(PPC32);
  it('has the header', () => {
    expect(s.name).toBe('ppc32-ool-4insn');
    expect(s.expect).toEqual({ verdict: 'unsafe', kinds: ['fell-through', 'wrong-target'] });
    expect(s.spec.knobs.powerWordAtomicFetch).toBe(true);
    expect(s.spec.bounds).toEqual({ cpus: 2, interrupts: 0, preemptions: 0, nmis: 0 });
    expect(s.spec.aliasOffset).toBe(0x4000_0000n);
  });
  it('cuts code objects from symbols and .size, in every section', () => {
    expect(s.spec.objects).toEqual([
      { name: 'func_a', start: 0x10000n, end: 0x10008n },
      { name: 'tramp', start: 0x10008n, end: 0x10018n },
      { name: 'caller', start: 0x10018n, end: 0x10028n },
      { name: 'far_a', start: 0x4000000n, end: 0x4000008n },
    ]);
  });
  it('unrolls the task program and evaluates its values', () => {
    const call = { op: 'call', entry: 'caller', args: [5n], key: 'sc', expect: 0xffffffffn };
    expect(s.spec.tasks).toHaveLength(1);
    expect(s.spec.tasks[0].program).toMatchObject([{ op: 'set', reg: 'r2', value: 0x10004n }, call, call]);
  });
  it('collects the key targets', () => {
    expect(s.spec.keys).toEqual([{ name: 'sc', initial: 'NULL', targets: ['NULL', 'far_a'] }]);
  });
  it('lowers the patcher, each op at its statement', () => {
    expect(ops(s.spec.patchers[0].program)).toEqual([
      ['update-begin', 38], ['store', 39], ['maintain', 39], ['store', 40], ['maintain', 40], ['store', 41], ['store', 42], ['maintain', 42], ['update-end', 38],
    ]);
    const stores = s.spec.patchers[0].program.filter((o) => o.op === 'store');
    expect(stores.map((o) => o.op === 'store' && [o.address, Buffer.from(o.bytes).toString('hex')])).toEqual([
      [0x1000cn, '398c0000'], [0x10010n, '7d8903a6'], [0x10014n, '4e800420'], [0x10008n, '3d800400'],
    ]);
  });
});

describe('an x86 text_poke_bp update', () => {
  const s = lowered(X86);
  it('gives identical tasks for `task T1 T2` and the stated bounds', () => {
    expect(s.spec.tasks.map((t) => t.name)).toEqual(['T1', 'T2']);
    expect(s.spec.tasks[0].program).toEqual(s.spec.tasks[1].program);
    expect(s.spec.bounds).toEqual({ cpus: 3, interrupts: 1, preemptions: 0, nmis: 0 });
  });
  it('a 5-byte trampoline object', () => {
    expect(s.spec.objects.find((o) => o.name === 'tramp')).toEqual({ name: 'tramp', start: 0x10010n, end: 0x10015n });
  });
  it('wraps the INT3 protocol in the update', () => {
    const kinds = s.spec.patchers[0].program.map((o) => o.op);
    expect(kinds[0]).toBe('mutex-lock');
    expect(kinds.slice(1, 4)).toEqual(['update-begin', 'bp-arm', 'store']);
    expect(kinds.slice(-3)).toEqual(['bp-disarm', 'update-end', 'mutex-unlock']);
    expect(kinds.filter((k) => k === 'sync-core')).toHaveLength(3);
    const begin = s.spec.patchers[0].program[2];
    expect(begin.op === 'bp-arm' && Buffer.from(begin.insn).toString('hex')).toBe('e9f0ffffff');
    expect(s.spec.patchers[0].program.every((o) => o.span?.file === 't.scn')).toBe(true);
  });
});

/** A library whose static call back end is a plain `b` trampoline (ppc32), to test key and group lowering. */
const fakeStaticCalls: PatchingLibrary = {
  ...patchingLibrary,
  staticCallBackends: () => ['ool'],
  staticCallBackend: () => ({
    inline: false,
    trampolineSource: (key, initial) => `__SCT__${key}: ${initial === 'NULL' || initial === 'RET0' ? 'blr' : `b ${initial}`}`,
    update: (_ctx, key, _from, to) => ({ ops: [{ op: 'store', step: `retarget ${key} to ${to}`, address: 0n, bytes: new Uint8Array(4) }] }),
    addModule: () => ({ ops: [] }),
  }),
};

const GROUPED = `scenario pv
arch ppc32
expect unsafe torn-group
code
lock_a: blr
lock_b: blr
unlock_a: blr
unlock_b: blr
end
static_call lock = lock_a ool
static_call unlock = unlock_a ool
group pv lock unlock
task T1
  critical pv
    call __SCT__lock key=lock
    call __SCT__unlock key=unlock
  end
end
patcher
  boot
    static_call_update lock, lock_a
  end
  static_call_update lock, lock_b
  static_call_update unlock, unlock_b
  static_call_update lock, lock_a
end
`;

describe('static call keys and groups', () => {
  const s = lowered(GROUPED, fakeStaticCalls);
  it('appends each key\'s trampoline to the code', () => {
    expect(s.spec.image.symbols.get('__SCT__lock')).toBeDefined();
    expect(s.spec.objects.map((o) => o.name)).toContain('__SCT__unlock');
  });
  it('numbers group generations by completed rounds', () => {
    const [lock, unlock] = s.spec.keys;
    expect(lock).toMatchObject({ name: 'lock', group: 'pv', targets: ['lock_a', 'lock_b'] });
    expect([...lock.generation!]).toEqual([['lock_a', 0], ['lock_b', 1]]);
    expect([...unlock.generation!]).toEqual([['unlock_a', 0], ['unlock_b', 1]]);
  });
  it('wraps a back end update without its own update-begin, and ends boot with boot-done', () => {
    expect(s.spec.patchers[0].program.map((o) => o.op)).toEqual([
      'update-begin', 'store', 'update-end', 'boot-done', 'update-begin', 'store', 'update-end',
      'update-begin', 'store', 'update-end', 'update-begin', 'store', 'update-end',
    ]);
  });
  it('gives a key its visibility: on return unless the key says `visible=eventually`', () => {
    const keys = lowered(`${MINIMAL}key e = f visible=eventually\nkey r = f visible=on-return\n`).spec.keys;
    expect(keys.map((k) => [k.name, k.visibility])).toEqual([['k', undefined], ['e', 'eventually'], ['r', undefined]]);
  });

  it('brackets a critical section', () => {
    expect(s.spec.tasks[0].program.map((o) => o.op)).toEqual(['critical-begin', 'call', 'call', 'critical-end']);
  });
});

const MINIMAL = 'scenario s\narch ppc32\nexpect safe\ncode\nf: blr\ng: nop\n  blr\nend\nkey k = f\n';
/** MINIMAL with a module `m` (line 12) made of section .text.m. */
const MODCODE = 'scenario s\narch ppc32\nexpect safe\ncode\nf: blr\ng: nop\n  blr\n  .section .text.m, "ax"\nh: blr\nend\nkey k = f\n';
const MOD = `${MODCODE}module m .text.m\n`;

describe('lowering errors point into the file', () => {
  it.each([
    ['arch ppc33', 'scenario s\narch ppc33\nexpect safe\ncode\nend\n', 'PL7003', 2, 6],
    ['knob', `${MINIMAL}knobs frob`, 'PL7004', 10, 7],
    ['kind', MINIMAL.replace('expect safe', 'expect unsafe frob'), 'PL7005', 3, 15],
    ['missing arch', 'scenario s\nexpect safe\ncode\nend\n', 'PL7013', 1, 1],
    ['duplicate key', `${MINIMAL}key k = g\n`, 'PL7008', 10, 5],
    ['unknown initial target', MINIMAL.replace('key k = f', 'key k = nowhere'), 'PL7009', 9, 9],
    ['assembler error in code', MINIMAL.replace('g: nop', 'g: frob 1'), 'PL2001', 6, 4],
    ['unknown symbol called', `${MINIMAL}task T\n  call h\nend\n`, 'PL7009', 11, 8],
    ['unknown key', `${MINIMAL}task T\n  call f key=q\nend\n`, 'PL7010', 11, 14],
    ['unknown group', `${MINIMAL}task T\n  critical q\n  end\nend\n`, 'PL7011', 11, 12],
    ['bad bound', `${MINIMAL}bounds cpus=1\ntask T\nend\n`, 'PL7027', 10, 8],
    ['unknown bound', `${MINIMAL}bounds cpu=2`, 'PL7015', 10, 8],
    ['x86 primitive on ppc', `${MINIMAL}patcher\n  text_poke_bp f, "nop"\nend\n`, 'PL7014', 11, 3],
    ['static_call_update of a raw key', `${MINIMAL}patcher\n  static_call_update k, g\nend\n`, 'PL7025', 11, 22],
    ['store width', `${MINIMAL}patcher\n  store f, 0, 0\nend\n`, 'PL7019', 11, 12],
    ['store value', `${MINIMAL}patcher\n  store f, 1, 256\nend\n`, 'PL7020', 11, 15],
    ['address outside the image', `${MINIMAL}patcher\n  patch_instruction 0x10, "nop"\nend\n`, 'PL7032', 11, 21],
    ['instruction that does not assemble', `${MINIMAL}patcher\n  patch_instruction f, "frob"\nend\n`, 'PL7021', 11, 24],
    ['branch out of range', `${MINIMAL}patcher\n  patch_branch f, 0x8000000\nend\n`, 'PL7022', 11, 3],
    ['misaligned patch_instruction', `${MINIMAL}patcher\n  patch_instruction f+2, "nop"\nend\n`, 'PL7022', 11, 3],
    ['boot not first', `${MINIMAL}patcher\n  sync_core\n  boot\n  end\nend\n`, 'PL7026', 12, 3],
    ['nested update', `${MINIMAL}patcher\n  update k -> g\n    update k -> f\n    end\n  end\nend\n`, 'PL7026', 12, 5],
    ['static call back end missing for the arch', MINIMAL.replace('key k = f', 'static_call k = f turbo'), 'PL7012', 9, 19],
    ['unknown section placed', `${MINIMAL}section .far at 0x100000`, 'PL7006', 10, 1],
    ['key in two groups', `${MINIMAL}group a k\ngroup b k\n`, 'PL7029', 11, 9],
    ['unknown module loaded', `${MOD}patcher\n  module_load q\nend\n`, 'PL7034', 14, 15],
    ['init done before the load', `${MOD}patcher\n  module_init_done m\nend\n`, 'PL7036', 14, 3],
    ['loaded twice', `${MOD}patcher\n  module_load m\n  module_load m\nend\n`, 'PL7036', 15, 3],
    ['unloaded before the load', `${MOD}patcher\n  module_unload m\nend\n`, 'PL7036', 14, 3],
    ['a module statement inside a block', `${MOD}patcher\n  stop_machine\n    module_load m\n  end\nend\n`, 'PL7026', 15, 5],
    ['a module section that is not in the code', `${MINIMAL}module m .text.q\n`, 'PL7006', 10, 10],
    ['a section in two modules', `${MOD}module n .text.m\n`, 'PL7035', 13, 10],
    ['a module declared twice', `${MOD}module m .text.m\n`, 'PL7008', 13, 8],
    ['a module of init sections only', `${MODCODE}module n init .text.m\n`, 'PL7037', 12, 1],
    ['waiting for an unknown module', `${MOD}task T\n  wait_module q\nend\n`, 'PL7034', 14, 15],
    ['call_cond without a key', `${MOD}task T\n  call_cond f\nend\n`, 'PL7037', 14, 3],
    ['call_cond with expect', `${MOD}task T\n  call_cond f key=k expect=1\nend\n`, 'PL7026', 14, 28],
    ['query of an unknown key', `${MOD}task T\n  query q\nend\n`, 'PL7010', 14, 9],
    ['query expecting an unknown target', `${MOD}task T\n  query k expect=nowhere\nend\n`, 'PL7009', 14, 18],
    ['a write past the end of the code it patches', `${MINIMAL.replace('f: blr', 'f: blr\n  .size f, 4')}patcher\n  text_poke f, ".long 0, 0"\nend\n`, 'PL7038', 12, 3],
  ])('%s', (_what, text, code, line, col) => {
    const r = parseAndLower(text, 't.scn', fakeStaticCalls);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]).toMatchObject({ code, span: { file: 't.scn', line, col } });
  });

  it('points at the static_call line for an error in a generated trampoline', () => {
    const r = parseAndLower(MINIMAL.replace('key k = f', 'static_call k = f ool'), 't.scn', {
      ...fakeStaticCalls,
      staticCallBackend: () => ({ inline: false, trampolineSource: () => 'frob', update: () => ({ ops: [] }), addModule: () => ({ ops: [] }) }),
    });
    expect(!r.ok && r.diagnostics[0]).toMatchObject({ code: 'PL2001', span: { line: 9, col: 1 } });
  });
});

describe('modules, call_cond and query', () => {
  const s = lowered(`${MOD}task T\n  wait_module m\n  call_cond h key=k\n  query k expect=f\nend\npatcher\n  module_load m\n  module_init_done m\n  module_unload m\nend\n`, fakeStaticCalls);
  it('lowers the module to a ModuleSpec and its statements to map ops', () => {
    expect(s.spec.modules).toEqual([{ name: 'm', sections: ['.text.m'], init: [] }]);
    expect(s.spec.patchers[0].program.map((o) => (o.op === 'map' ? `${o.on ? 'map' : 'unmap'} ${o.regions.join(' ')}` : o.op))).toEqual([
      'map .text.m@alias', 'map .text.m', 'unmap ', 'unmap .text.m .text.m@alias',
    ]);
  });
  it('lowers call_cond, query and wait_module', () => {
    expect(s.spec.tasks[0].program).toMatchObject([{ op: 'wait-module', module: 'm' }, { op: 'call', entry: 'h', key: 'k', cond: true }, { op: 'query', key: 'k', expect: 'f' }]);
    expect(s.spec.keys[0].funcAddress).toBe(s.spec.image.symbols.get('__SCK__k'));
  });
});

describe('expressions', () => {
  it('take C operators with C precedence: | below & below << >> below + -', () => {
    const r = parseAndLower(`${MINIMAL}patcher\n  store f, 4, 0x12345678 >> 8 & 0xff | 1 << 8\nend\n`, 't.scn', fakeStaticCalls);
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    const store = r.scenario.spec.patchers[0].program.find((op) => op.op === 'store');
    // (0x12345678 >> 8) & 0xff = 0x56, | 0x100: ppc32 stores it big-endian.
    expect(store && store.op === 'store' && [...store.bytes]).toEqual([0x00, 0x00, 0x01, 0x56]);
  });
});

describe('nesting past the limits is reported, not a stack overflow', () => {
  const nest = (opener: string, inner: string, n: number) => `${`  ${opener}\n`.repeat(n)}  ${inner}\n${'  end\n'.repeat(n)}`;
  const task = (body: string) => `${MINIMAL}task T\n${body}end\n`;
  const patcher = (body: string) => `${MINIMAL}patcher\n${body}end\n`;
  // The task or patcher block is the first level: the 256th nested opener, on line 10 + 256, is one too many.
  const tooDeep = 10 + MAX_BLOCK_DEPTH;
  it.each([
    ['parentheses', task(`  call f(${'('.repeat(2000)}1${')'.repeat(2000)})\n`), 'PL7039', 11, 10 + MAX_EXPR_DEPTH],
    ['unary minus', task(`  call f(${'-'.repeat(2000)}1)\n`), 'PL7039', 11, 10 + MAX_EXPR_DEPTH],
    ['a chain of +', task(`  call f(1${'+1'.repeat(50_000)})\n`), 'PL7039', 11, 9 + 2 * MAX_EXPR_DEPTH],
    ['repeat', task(nest('repeat 1', 'call f', 3000)), 'PL7040', tooDeep, 3],
    ['stop_machine', patcher(nest('stop_machine', 'sync_core', 3000)), 'PL7040', tooDeep, 3],
    ['boot', patcher(nest('boot', 'sync_core', 1000)), 'PL7040', tooDeep, 3],
    ['update', patcher(nest('update k -> g', 'sync_core', 2000)), 'PL7040', tooDeep, 3],
  ])('%s', (_, text, code, line, col) => {
    const r = parseAndLower(text, 'deep.scn');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // One diagnostic: the blocks left open are not also "missing end".
    expect(r.diagnostics.map((d) => `${d.code}@${d.span.line}:${d.span.col}`)).toEqual([`${code}@${line}:${col}`]);
  });

  it('accepts nesting up to the limits', () => {
    const sum = Array.from({ length: MAX_EXPR_DEPTH }, () => '1').join('+');
    const text = task(nest('repeat 1', `call f(${'('.repeat(MAX_EXPR_DEPTH)}${sum}${')'.repeat(MAX_EXPR_DEPTH)})`, MAX_BLOCK_DEPTH - 1));
    expect(lowered(text).name).toBe('s');
  });
});

describe('sections placed over each other', () => {
  // MODCODE's .text (f, g: 12 bytes at 0x10000) and .text.m, placed by line 4.
  const placed = (at: string, fill = 0) =>
    MODCODE.replace('expect safe\n', `expect safe\nsection .text.m at ${at}\n`).replace('h: blr\n', `h: blr\n  .fill ${fill}, 1, 0\n`);
  it.each([
    ['inside .text', placed('0x10004'), 'section `.text.m` (0x10004..0x10008) overlaps section `.text` (0x10000..0x1000c)'],
    ['at the same address', placed('0x10000'), 'section `.text.m` (0x10000..0x10004) overlaps section `.text` (0x10000..0x1000c)'],
    ['a large section over .text', placed('0x10008', 0x100000), 'section `.text.m` (0x10008..0x11000c) overlaps section `.text` (0x10000..0x1000c)'],
    ['starting below .text', placed('0xfff0', 0x20), 'section `.text` (0x10000..0x1000c) overlaps section `.text.m` (0xfff0..0x10014)'],
  ])('%s: both named, at the `section` line', (_, text, message) => {
    const r = parseAndLower(text, 'over.scn');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => [d.code, d.span.line, d.span.col, d.message])).toEqual([['PL7041', 4, 1, message]]);
  });

  it('accepts a section placed right after another', () => {
    expect(lowered(placed('0x1000c')).name).toBe('s');
  });
});
