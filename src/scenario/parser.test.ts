import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../base/diagnostics.js';
import type { PatcherStmt, TaskStmt } from './ast.js';
import { parseScenario } from './parser.js';

const parse = (text: string) => parseScenario(text, 't.scn');
const task = (body: string) => parse(`task T1\n${body}\nend\n`);
const patcher = (body: string) => parse(`patcher\n${body}\nend\n`);
const taskStmts = (body: string): readonly TaskStmt[] => task(body).ast.tasks[0]?.body ?? [];
const patcherStmts = (body: string): readonly PatcherStmt[] => patcher(body).ast.patchers[0]?.body ?? [];

describe('header lines', () => {
  it.each([
    ['scenario ppc32-ool-4insn', (a: ReturnType<typeof parse>['ast']) => a.name?.text, 'ppc32-ool-4insn'],
    ['arch x86-64', (a: ReturnType<typeof parse>['ast']) => a.arch?.text, 'x86-64'],
    ['knobs strictFetch power.wordAtomicFetch', (a: ReturnType<typeof parse>['ast']) => a.knobs.map((k) => k.text), ['strictFetch', 'power.wordAtomicFetch']],
    ['bounds cpus=3 nmis=1', (a: ReturnType<typeof parse>['ast']) => a.bounds.map((b) => [b.name.text, b.value]), [['cpus', 3n], ['nmis', 1n]]],
    ['expect safe', (a: ReturnType<typeof parse>['ast']) => a.expect, { verdict: 'safe', span: { file: 't.scn', line: 1, col: 1 } }],
    ['expect unsafe', (a: ReturnType<typeof parse>['ast']) => a.expect?.verdict === 'unsafe' && a.expect.kinds.length, 0],
    ['expect unsafe fell-through|wrong-target', (a: ReturnType<typeof parse>['ast']) => a.expect?.verdict === 'unsafe' && a.expect.kinds.map((k) => k.text), ['fell-through', 'wrong-target']],
    ['expect unsafe fault | torn-group', (a: ReturnType<typeof parse>['ast']) => a.expect?.verdict === 'unsafe' && a.expect.kinds.map((k) => k.text), ['fault', 'torn-group']],
    ['section .text.far at 0x4000_000', (a: ReturnType<typeof parse>['ast']) => [a.sections[0]?.name.text, a.sections[0]?.address], ['.text.far', { kind: 'num', value: 0x4000000n, span: { file: 't.scn', line: 1, col: 22 } }]],
    ['key sc = NULL', (a: ReturnType<typeof parse>['ast']) => [a.keys[0]?.name.text, a.keys[0]?.initial.text, a.keys[0]?.backend], ['sc', 'NULL', undefined]],
    ['static_call sc2 = func_a ool', (a: ReturnType<typeof parse>['ast']) => [a.keys[0]?.name.text, a.keys[0]?.initial.text, a.keys[0]?.backend?.text], ['sc2', 'func_a', 'ool']],
    ['key sc = NULL', (a: ReturnType<typeof parse>['ast']) => a.keys[0] && 'visibility' in a.keys[0], false],
    ['key sc = NULL visible=eventually', (a: ReturnType<typeof parse>['ast']) => a.keys[0]?.visibility, 'eventually'],
    ['static_call sc2 = func_a ool visible=on-return', (a: ReturnType<typeof parse>['ast']) => [a.keys[0]?.backend?.text, a.keys[0]?.visibility], ['ool', 'on-return']],
    ['static_key sk = false', (a: ReturnType<typeof parse>['ast']) => [a.keys[0]?.name.text, a.keys[0]?.initial.text, a.keys[0]?.staticKey, a.keys[0]?.backend], ['sk', 'false', true, undefined]],
    ['static_key sk = true visible=eventually', (a: ReturnType<typeof parse>['ast']) => [a.keys[0]?.initial.text, a.keys[0]?.visibility], ['true', 'eventually']],
    ['group pv lock unlock', (a: ReturnType<typeof parse>['ast']) => [a.groups[0]?.name.text, a.groups[0]?.keys.map((k) => k.text)], ['pv', ['lock', 'unlock']]],
    ['task T1 T2\nend', (a: ReturnType<typeof parse>['ast']) => a.tasks[0]?.names.map((n) => n.text), ['T1', 'T2']],
    ['nmi\n  irq_disable\nend', (a: ReturnType<typeof parse>['ast']) => a.nmi?.body.length, 1],
    ['irq\nend', (a: ReturnType<typeof parse>['ast']) => a.irq?.body.length, 0],
    ['module m .text.m .data.m init .init.text.m', (a: ReturnType<typeof parse>['ast']) => [a.modules[0]?.name.text, a.modules[0]?.sections.map((w) => w.text), a.modules[0]?.init.map((w) => w.text)], ['m', ['.text.m', '.data.m'], ['.init.text.m']]],
    ['code\n  nop  # kept\n\n  blr\nend', (a: ReturnType<typeof parse>['ast']) => [a.code?.text, a.code?.firstLine], ['  nop  # kept\n\n  blr', 2]],
  ])('%s', (src, get, want) => {
    const { ast, diagnostics } = parse(src);
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(get(ast)).toEqual(want);
  });
});

describe('task statements', () => {
  it.each<[string, object]>([
    ['set r2 = toc_a', { kind: 'set', reg: { text: 'r2' }, value: { kind: 'sym', name: 'toc_a' } }],
    ['call tramp(2) key=sc', { kind: 'call', entry: { text: 'tramp' }, args: [{ kind: 'num', value: 2n }], key: { text: 'sc' } }],
    ['call caller(2, f+4) key=sc2 expect=3', { kind: 'call', args: [{ kind: 'num' }, { kind: 'binary', op: '+' }], expect: { kind: 'num', value: 3n } }],
    ['call lock_site', { kind: 'call', entry: { text: 'lock_site' }, args: [], key: undefined }],
    ['call f() expect=-1', { kind: 'call', args: [], expect: { kind: 'neg' } }],
    ['repeat 2\n call f\n end', { kind: 'repeat', count: 2, body: [{ kind: 'call' }] }],
    ['critical pv\n call f key=lock\n call g key=unlock\n end', { kind: 'critical', group: { text: 'pv' }, body: [{ kind: 'call' }, { kind: 'call' }] }],
    ['wait_update sc 2', { kind: 'wait_update', key: { text: 'sc' }, count: 2 }],
    ['static_branch f(1) key=sk expect=1', { kind: 'call', entry: { text: 'f' }, key: { text: 'sk' }, cond: false, branch: true, expect: { kind: 'num', value: 1n } }],
    ['static_branch f', { kind: 'call', entry: { text: 'f' }, key: undefined, branch: true }],
    ['call tramp(2) key=sc', { kind: 'call', cond: false }],
    ['call_cond tramp(2) key=sc', { kind: 'call', entry: { text: 'tramp' }, key: { text: 'sc' }, cond: true }],
    ['query sc', { kind: 'query', key: { text: 'sc' }, expect: undefined }],
    ['query sc expect=NULL', { kind: 'query', key: { text: 'sc' }, expect: { text: 'NULL' } }],
    ['wait_module m', { kind: 'wait_module', module: { text: 'm' } }],
    ...['preempt_disable', 'preempt_enable', 'irq_disable', 'irq_enable', 'rcu_read_lock', 'rcu_read_unlock'].map((op): [string, object] => [op, { kind: 'plain', op }]),
  ])('%s', (src, want) => {
    const { diagnostics } = task(src);
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(taskStmts(src)[0]).toMatchObject(want);
  });
});

describe('patcher statements', () => {
  it.each<[string, object]>([
    ['boot\n static_call_update sc2, func_b\nend', { kind: 'boot', body: [{ kind: 'static_call_update', key: { text: 'sc2' }, target: { text: 'func_b' } }] }],
    ['update sc -> far_a\n patch_instruction tramp+0, "lis 12, far_a@ha"\nend', { kind: 'update', changes: [{ key: { text: 'sc' }, target: { text: 'far_a' } }], body: [{ kind: 'insn-write', primitive: 'patch_instruction', insn: { text: 'lis 12, far_a@ha' } }] }],
    ['update lock -> pv_lock, unlock -> pv_unlock\nend', { kind: 'update', changes: [{ key: { text: 'lock' } }, { key: { text: 'unlock' }, target: { text: 'pv_unlock' } }] }],
    ['wait_calls T1 2', { kind: 'wait_calls', task: { text: 'T1' }, count: 2 }],
    ['static_branch_enable sk', { kind: 'static_branch', op: 'enable', key: { text: 'sk' } }],
    ['static_branch_disable sk skip_sync', { kind: 'static_branch', op: 'disable', key: { text: 'sk' }, skipSync: { text: 'skip_sync', span: { col: 26 } } }],
    ['module_load m', { kind: 'module', op: 'module_load', name: { text: 'm' } }],
    ['module_init_done m', { kind: 'module', op: 'module_init_done', name: { text: 'm' } }],
    ['module_unload m', { kind: 'module', op: 'module_unload', name: { text: 'm' } }],
    ['store lit, 8, func_b', { kind: 'store-value', width: { kind: 'num', value: 8n }, value: { kind: 'sym', name: 'func_b' } }],
    ['store tramp+1, "jmp func_b"', { kind: 'store-insn', insn: { text: 'jmp func_b' } }],
    ['memcpy tramp, "jmp func_b"', { kind: 'insn-write', primitive: 'memcpy' }],
    ['text_poke tramp, "nop"', { kind: 'insn-write', primitive: 'text_poke' }],
    ['text_poke_early tramp, "nop"', { kind: 'insn-write', primitive: 'text_poke_early' }],
    ['text_poke_bp tramp, "jmp func_b"', { kind: 'text_poke_bp', sites: [{ insn: { text: 'jmp func_b' } }], handler: { kind: 'emulate' }, skipSync: false }],
    ['text_poke_bp tramp, "jmp f" handler=rax-trampoline:rt skip_sync', { kind: 'text_poke_bp', handler: { kind: 'rax-trampoline', trampoline: { text: 'rt', span: { col: 52 } } }, skipSync: true }],
    ['text_poke_bp_batch handler=sti-trampoline:st\n site1, "call f"\n site2+5, "nop"\nend', { kind: 'text_poke_bp', sites: [{ insn: { text: 'call f' } }, { insn: { text: 'nop' } }], handler: { kind: 'sti-trampoline' } }],
    ['text_poke_late nmi_sync=off\n lock_site, "call f"\nend', { kind: 'text_poke_late', nmiSync: false, sites: [{}] }],
    ['text_poke_late\nend', { kind: 'text_poke_late', nmiSync: true, sites: [] }],
    ['patch_branch tramp, far_a', { kind: 'value-write', primitive: 'patch_branch' }],
    ['patch_ulong lit, func_b', { kind: 'value-write', primitive: 'patch_ulong' }],
    ['aarch64_insn_patch_text_nosync tramp, "b func_b"', { kind: 'insn-write', primitive: 'aarch64_insn_patch_text_nosync' }],
    ['aarch64_insn_write_literal_u64 lit, func_b', { kind: 'value-write', primitive: 'aarch64_insn_write_literal_u64' }],
    ...['sync_core', 'synchronize_rcu', 'synchronize_rcu_tasks'].map((op): [string, object] => [op, { kind: 'wait', op }]),
    ['mutex_lock text_mutex', { kind: 'mutex', op: 'lock', name: { text: 'text_mutex' } }],
    ['mutex_unlock text_mutex', { kind: 'mutex', op: 'unlock' }],
    ['stop_machine\n sync_core\nend', { kind: 'stop_machine', body: [{ kind: 'wait' }] }],
  ])('%s', (src, want) => {
    const { diagnostics } = patcher(src);
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(patcherStmts(src)[0]).toMatchObject(want);
  });
});

describe('errors: reported where they are, parsing goes on', () => {
  it.each([
    ['frob 1', 'PL7001', 1, 1],
    ['task T1\n  frob\nend', 'PL7001', 2, 3],
    ['patcher\n  call f\nend', 'PL7001', 2, 3],
    ['task T1\n  call f\n', 'PL7002', 1, 1],
    ['patcher\n  update k -> f\n  sync_core\nend', 'PL7002', 1, 1],
    ['task T1\n  call f\npatcher\nend', 'PL7002', 1, 1],
    ['code\n nop\n', 'PL7002', 1, 1],
    ['end', 'PL7018', 1, 1],
    ['bounds cpus=0x', 'PL7007', 1, 13],
    ['bounds cpus', 'PL7006', 1, 12],
    ['expect maybe', 'PL7006', 1, 8],
    ['arch x86-64\narch ppc32', 'PL7028', 2, 1],
    ['key sc NULL', 'PL7006', 1, 8],
    ['key sc = NULL extra', 'PL7006', 1, 15],
    ['key sc = NULL visible=soon', 'PL7006', 1, 23],
    ['key sc = NULL visible=eventually visible=on-return', 'PL7028', 1, 34],
    ['static_call sc = f ool visible=never', 'PL7006', 1, 32],
    ['key sc = NULL visible', 'PL7006', 1, 22],
    ['task T1\n call f(1,\nend', 'PL7006', 2, 11],
    ['task T1\n call f key=\nend', 'PL7006', 2, 13],
    ['task T1\n call f frob=1\nend', 'PL7006', 2, 9],
    ['task T1\n repeat 0\n end\nend', 'PL7027', 2, 9],
    ['patcher\n store x, 4\nend', 'PL7006', 2, 12],
    ['patcher\n text_poke_bp x, "nop" handler=magic\nend', 'PL7030', 2, 32],
    ['patcher\n text_poke_late nmi_sync=maybe\n end\nend', 'PL7006', 2, 26],
    ['patcher\n text_poke x, "nop\nend', 'PL7016', 2, 15],
    ['scenario a ~ b', 'PL7017', 1, 12],
    ['group g', 'PL7006', 1, 8],
    ['static_key sk = maybe', 'PL7006', 1, 17],
    ['static_key sk false', 'PL7006', 1, 15],
    ['static_key sk = false visible=soon', 'PL7006', 1, 31],
    ['patcher\n static_branch_enable\nend', 'PL7006', 2, 22],
    ['patcher\n static_branch_enable sk skip\nend', 'PL7006', 2, 26],
    ['task T1\n static_branch f key=\nend', 'PL7006', 2, 22],
  ])('%s → %s at %i:%i', (src, code, line, col) => {
    const { diagnostics } = parse(src as string);
    expect(diagnostics[0]).toMatchObject({ code, span: { file: 't.scn', line, col } });
  });

  it('keeps parsing after an error: every bad line is reported', () => {
    const { diagnostics, ast } = parse('frob\ntask T1\n  wibble\n  call f\nend\nfrob2\n');
    expect(diagnostics.map((d) => [d.code, d.span.line])).toEqual([['PL7001', 1], ['PL7001', 3], ['PL7001', 6]]);
    expect(ast.tasks[0].body).toHaveLength(1);
  });
});
