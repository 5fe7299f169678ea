// `patchlab check` and `patchlab replay` end to end on small scenarios: verdicts, exit statuses, the JSON
// report, determinism, trace files, and worker threads agreeing with one thread.

import { copyFileSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const dir = 'tests/fixtures/scenarios';
const UNSAFE = `${dir}/ppc32-4insn.scn`;
const SAFE = `${dir}/ppc32-1insn.scn`;

describe('patchlab check', () => {
  it('finds the 4-instruction rewrite unsafe: fell-through, with a trace a column per CPU', async () => {
    const r = await runCli(['check', UNSAFE]);
    expect(r.status).toBe(1);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^unsafe: fell-through — T1 ran past the end of tramp/);
    expect(r.out).toContain('bounds    cpus=2 interrupts=0 preemptions=0 nmis=0');
    expect(r.out).toContain('knobs     power.wordAtomicFetch');
    expect(r.out).toContain('expected  unsafe fell-through: matches');
    expect(r.out).toMatch(/CPU 0 \(patcher\) +CPU 1/);
    // The store's bytes before and after, and what the other CPU's fetch saw.
    expect(r.out).toContain('4e 80 00 20 (blr)');
    expect(r.out).toContain('-> 3d 80 00 01 (lis r12,1)');
    expect(r.out).toMatch(/fetch saw 2 of 2: 4e 80 00 20 \| \[3d 80 00 01\]/);
  });

  it('finds the single-word update safe within its bounds', async () => {
    const r = await runCli(['check', SAFE]);
    expect(r.status).toBe(0);
    expect(r.out.split('\n')[0]).toBe('safe within bounds cpus=2 interrupts=0 preemptions=0 nmis=0 calls=2 updates=1, knobs power.wordAtomicFetch');
    expect(r.out).toContain('expected  safe: matches');
  });

  it('reports bad input as file:line:col diagnostics, exit 2, no stack trace', async () => {
    const r = await runCli(['check', `${dir}/malformed.scn`]);
    expect(r.status).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^tests\/fixtures\/scenarios\/malformed\.scn:\d+:\d+: error PL\d{4}: /);
    const missing = await runCli(['check', `${dir}/no-such.scn`]);
    expect(missing.status).toBe(2);
    expect(missing.err).toMatch(/no-such\.scn:1:1: error PL6002/);
  });

  it('reports blocks and expressions nested thousands deep as diagnostics, exit 2, no stack trace', async () => {
    const base = readFileSync(SAFE, 'utf8');
    const blocks = base.replace('    call_cond tramp(2) key=sc\n', `${'repeat 1\n'.repeat(3000)}call_cond tramp(2) key=sc\n${'end\n'.repeat(3000)}`);
    const parens = base.replace('tramp(2)', `tramp(${'('.repeat(2000)}2${')'.repeat(2000)})`);
    for (const [text, code] of [[blocks, 'PL7040'], [parens, 'PL7039']]) {
      const r = await runCli(['check', 'deep.scn'], { 'deep.scn': text });
      expect(r.status).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(new RegExp(`^deep\\.scn:\\d+:\\d+: error ${code}: [^\\n]*\\n$`));
    }
  });

  it('reports a section placed inside another, exit 2, instead of loading one over the other', async () => {
    const text = readFileSync(SAFE, 'utf8')
      .replace('\ncode\n', '\nsection .text.far at 0x10008\ncode\n')
      .replace('end\n\nkey', '    .section .text.far, "ax"\nfar: blr\n    .fill 0x100000, 1, 0\nend\n\nkey');
    const r = await runCli(['check', 'over.scn'], { 'over.scn': text });
    expect(r.status).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^over\.scn:\d+:1: error PL7041: section `\.text\.far` \(0x10008\.\.[0-9a-fx]+\) overlaps section `\.text` /);
  });

  it('reports a poke that cuts the next instruction (PL7042) at its statement, exit 2; the same bytes by raw `store` check', async () => {
    const text = (stmt: string) => [
      'scenario cut', 'arch x86-64', 'expect safe', 'section .text.far at 0x1000000', 'code',
      'f:      jmp g', '        lea 1(%rdi), %rax', '        ret', '        .size f, .-f',
      'g:      ret', '        .size g, .-g', '        .section .text.far, "ax"', 'h:      ret', 'end',
      'task T1', '    call f(1)', 'end', 'patcher', stmt, 'end', '',
    ].join('\n');
    const r = await runCli(['check', 'cut.scn'], { 'cut.scn': text('    text_poke_bp f, "jmp h"') });
    expect(r.status).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^cut\.scn:19:5: error PL7042: this step writes 5 byte\(s\) at 0x[0-9a-f]+, ending 3 byte\(s\) into `lea 0x1\(%rdi\),%rax`/);
    const raw = await runCli(['check', 'raw.scn'], { 'raw.scn': text('    store f, "jmp h"') });
    expect(raw.err).toBe('');
    expect([0, 1]).toContain(raw.status);
  });

  it('points bad options into the command line', async () => {
    const bound = await runCli(['check', SAFE, '--bound', 'cpu=3']);
    expect(bound.status).toBe(2);
    expect(bound.err).toMatch(/^<command line>:1:\d+: error PL6101: invalid bound `cpu=3`/);
    const knob = await runCli(['check', SAFE, '--knob', 'fast']);
    expect(knob.err).toMatch(/^<command line>:1:\d+: error PL6103: unknown knob `fast`/);
    const one = await runCli(['check', SAFE, '--bound', 'cpus=1']);
    expect(one.status).toBe(2);
    expect(one.err).toContain('PL6102');
  });

  it('stops at --max-states: incomplete, exit 3, and says what it covered', async () => {
    const r = await runCli(['check', SAFE, '--max-states', '5']);
    expect(r.status).toBe(3);
    expect(r.out.split('\n')[0]).toMatch(/^incomplete: state limit of 5 reached: 5 states explored/);
    expect(r.out).toContain('expected  safe: not decided');
  });

  it('--max-states bounds the whole check with --workers 2 too', async () => {
    for (const n of [1, 10, 30, 100]) {
      const r = await runCli(['check', 'examples/seeds/two-slot-rcu-tasks.scn', '--workers', '2', '--max-states', String(n), '--json', '--no-timing']);
      const j = JSON.parse(r.out);
      expect({ n, status: r.status, stop: j.stop?.reason }).toEqual({ n, status: 3, stop: 'max-states' });
      expect(j.stats.states).toBeLessThanOrEqual(n);
    }
  });

  it('--bound and --knob change the scenario, and the report says so', async () => {
    const r = await runCli(['check', SAFE, '--bound', 'cpus=3', '--bound', 'interrupts=1', '--knob', 'strictFetch', '--json', '--no-timing']);
    const j = JSON.parse(r.out);
    expect(j.bounds).toEqual({ cpus: 3, interrupts: 1, preemptions: 0, nmis: 0, calls: 2, updates: 1 });
    expect(j.knobs).toEqual(['strictFetch', 'power.wordAtomicFetch']);
  });

  it('reports the stop_machine livelock with its shortest trace and the loop, as text and as JSON', async () => {
    const file = 'examples/livelock/stop-machine-livelock.scn';
    const t = await runCli(['check', file]);
    expect(t.status).toBe(1);
    expect(t.out.split('\n')[0]).toMatch(/^unsafe: livelock — T1 on CPU 1 \(interrupts off\) loops forever; the patcher waits in stop_machine/);
    expect(t.out).toContain('expected  unsafe livelock: matches');
    expect(t.out).toMatch(/-- loop: steps \d+-\d+ come back to the state before step \d+, forever:/);
    const r = await runCli(['check', file, '--json']);
    const j = JSON.parse(r.out);
    expect(j.violation).toMatchObject({ kind: 'livelock', cpu: 1, task: 'T1' });
    expect(j.actions).toHaveLength(1);
    expect(j.loop.cycle.length).toBeGreaterThan(0);
    expect(j.loop.steps).toHaveLength(j.loop.lead.length + j.loop.cycle.length);
    expect(j.loop.steps.at(-1).who).toBe('T1');
    // The replay command it prints walks the trace and the loop; a replay cannot decide a livelock and says so.
    const cmd = t.out.match(/replay: patchlab replay (\S+) ([\d,]+)\)/)!;
    expect(cmd[2].split(',')).toHaveLength(1 + j.loop.lead.length + j.loop.cycle.length);
    const again = await runCli(['replay', cmd[1], cmd[2]]);
    expect(again.status).toBe(0);
    expect(again.out).toContain('expected  unsafe livelock: not decided by a replay');
    // Without the livelock check the spin is not seen, sleep sets run, and the report says what was left out.
    const off = await runCli(['check', file, '--no-livelock', '--json']);
    expect(off.status).toBe(0);
    expect(JSON.parse(off.out)).toMatchObject({ verdict: 'safe', livelocks: false, reductions: { por: true }, expected: { matches: false } });
    expect((await runCli(['check', file, '--no-livelock'])).out).toMatch(/^stats .*por on.*, livelocks not checked$/m);
    expect(j).toMatchObject({ livelocks: true, reductions: { por: false } });
    const safe = await runCli(['check', 'examples/livelock/stop-machine-spin-irq-on.scn']);
    expect(safe.status).toBe(0);
  });

  it('--json carries every field of patchlab.check/1', async () => {
    const r = await runCli(['check', UNSAFE, '--json']);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['schema', 'mode', 'scenario', 'verdict', 'violation', 'expected', 'bounds', 'knobs', 'reductions', 'livelocks', 'workers', 'stats', 'stop', 'actions', 'trace', 'loop']);
    expect(j.schema).toBe('patchlab.check/1');
    expect(j.scenario).toEqual({ name: 'ppc32-ool-4insn', file: UNSAFE, arch: 'ppc32' });
    expect(j.violation).toMatchObject({ kind: 'fell-through', cpu: 1, task: 'T1' });
    expect(j.expected).toEqual({ verdict: 'unsafe', kinds: ['fell-through'], matches: true });
    expect(typeof j.stats.seconds).toBe('number');
    expect(j.trace.length).toBe(j.actions.length);
    const store = j.trace.find((s: { store?: unknown }) => s.store);
    expect(store).toMatchObject({ column: 0, who: 'patcher', store: { before: '4e 80 00 20', after: '3d 80 00 01', beforeInsn: 'blr' } });
    const fetch = j.trace.find((s: { fetch?: unknown }) => s.fetch);
    expect(fetch).toMatchObject({ column: 1, who: 'T1', kind: 'step', fetch: { options: ['4e 80 00 20', '3d 80 00 01'] } });
  });

  it('is deterministic: two runs are byte-identical with --no-timing', async () => {
    for (const args of [['check', UNSAFE, '--no-timing'], ['check', UNSAFE, '--json', '--no-timing'], ['check', SAFE, '--no-timing']]) {
      const a = await runCli(args), b = await runCli(args);
      expect(a.out).toBe(b.out);
      expect(a.out).not.toMatch(/states\/s/);
    }
  });

  it('writes a trace file that `replay` re-executes to the same violation', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'patchlab-')), 'trace.json');
    const c = await runCli(['check', UNSAFE, '--trace-out', out, '--no-timing']);
    expect(c.status).toBe(1);
    const tf = JSON.parse(readFileSync(out, 'utf8'));
    expect(tf).toMatchObject({ schema: 'patchlab.trace/1', scenario: 'ppc32-ool-4insn', knobs: ['power.wordAtomicFetch'], violation: 'fell-through' });
    const r = await runCli(['replay', UNSAFE, out]);
    expect(r.status).toBe(1);
    expect(r.out.split('\n')[0]).toBe(c.out.split('\n')[0]);
    // The same trace table as check printed.
    expect(r.out.slice(r.out.indexOf('      CPU 0'))).toBe(c.out.slice(c.out.indexOf('      CPU 0')));
    const list = await runCli(['replay', UNSAFE, tf.trace.join(','), '--json']);
    expect(list.status).toBe(1);
    expect(JSON.parse(list.out)).toMatchObject({ mode: 'replay', verdict: 'unsafe', violation: { kind: 'fell-through' }, stats: null });
  });

  it('`view TRACE.json` alone finds the scenario the trace file names (relative to the trace file), and says when it names none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchlab-'));
    const out = join(dir, 'trace.json');
    await runCli(['check', UNSAFE, '--trace-out', out, '--no-timing']);
    const tf = JSON.parse(readFileSync(out, 'utf8'));
    expect(join(dir, tf.file)).toBe(join(process.cwd(), UNSAFE));
    const alone = await runCli(['view', out, '--html', '-']);
    const both = await runCli(['view', UNSAFE, out, '--html', '-']);
    expect(alone.status).toBe(1);
    expect(alone.err).toBe('');
    expect(alone.out).toMatch(/^<!doctype html>/i);
    // The page names the file as found: the same page but for that path.
    expect(alone.out.replaceAll(join(dir, tf.file), UNSAFE)).toBe(both.out);
    const old = await runCli(['view', 'old.json'], { 'old.json': JSON.stringify({ trace: tf.trace }) });
    expect(old.status).toBe(2);
    expect(old.err).toMatch(/^old\.json:1:1: error PL6111: `old\.json` names no scenario file/);
    const indices = await runCli(['view', '0,1']);
    expect(indices.status).toBe(2);
    expect(indices.err).toMatch(/PL6111/);
  });

  it('refuses a --trace-out that is the scenario file (by real path), before it is overwritten', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'patchlab-'));
    const scn = join(tmp, 'x.scn');
    copyFileSync(SAFE, scn);
    symlinkSync(scn, join(tmp, 'link.scn'));
    for (const out of [scn, join(tmp, '.', 'x.scn'), join(tmp, 'link.scn')]) {
      const r = await runCli(['check', scn, '--trace-out', out]);
      expect(r.status, out).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^<command line>:1:\d+: error PL6109: /);
      expect(readFileSync(scn, 'utf8')).toBe(readFileSync(SAFE, 'utf8'));
    }
  });

  it('prints a replay command that carries the --bound and --knob options the check ran with', async () => {
    const c = await runCli(['check', UNSAFE, '--bound', 'cpus=3', '--knob', 'strictFetch', '--no-timing']);
    expect(c.status).toBe(1);
    const cmd = /replay: patchlab (replay [^)]*)\)/.exec(c.out)![1];
    expect(cmd).toMatch(/ --bound cpus=3 --knob strictFetch /);
    const r = await runCli(cmd.split(' '));
    expect(r.status).toBe(1);
    const lines = (out: string) => out.split('\n').filter((l) => /^(unsafe:|bounds |knobs )/.test(l));
    expect(lines(r.out)).toEqual(lines(c.out));
    // Without overrides the command is as before (the golden reports hold it).
    expect((await runCli(['check', UNSAFE])).out).toMatch(/replay: patchlab replay \S+ [0-9,]+\)/);
  });

  it('replay: a trace that stops short of the violation exits 0; one that does not fit is a diagnostic', async () => {
    const short = await runCli(['replay', UNSAFE, '0,0']);
    expect(short.status).toBe(0);
    expect(short.out.split('\n')[0]).toMatch(/^no violation on this trace/);
    const bad = await runCli(['replay', UNSAFE, '0,0,9']);
    expect(bad.status).toBe(2);
    expect(bad.err).toMatch(/^<command line>:1:\d+: error PL6105: the trace does not fit the scenario: step 3: action 9 is out of range/);
    const other = await runCli(['replay', SAFE, 'trace.json'], { 'trace.json': JSON.stringify({ schema: 'patchlab.trace/1', scenario: 'ppc32-ool-4insn', trace: [0] }) });
    expect(other.status).toBe(2);
    expect(other.err).toMatch(/^trace\.json:1:1: error PL6106/);
    const junk = await runCli(['replay', SAFE, 'trace.json'], { 'trace.json': '{"trace": "x"}' });
    expect(junk.status).toBe(2);
    expect(junk.err).toMatch(/^trace\.json:1:1: error PL6104/);
  });

  it("replay: a trace file's bounds are held to --bound's limits", async () => {
    for (const [bounds, msg] of [[{ cpus: 65 }, 'bound `cpus` must be at most 64, not 65'], [{ nmis: -1 }, 'bound `nmis` must be at least 0, not -1']] as const) {
      const r = await runCli(['replay', SAFE, 'trace.json'], { 'trace.json': JSON.stringify({ schema: 'patchlab.trace/1', scenario: 'ppc32-ool-1insn', bounds, trace: [0] }) });
      expect(r.status).toBe(2);
      expect(r.err).toBe(`trace.json:1:1: error PL6102: ${msg}\n`);
    }
  });

  it('escapes the control characters of a scenario string that a diagnostic quotes', async () => {
    const text = readFileSync(SAFE, 'utf8').replace('"b func_a"', '"frob\\n\x1b[2J\r"');
    const r = await runCli(['check', 'x.scn'], { 'x.scn': text });
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^x\.scn:\d+:\d+: error PL7021: cannot assemble `frob\\n\\x1b\[2J\\r`/);
    expect(r.err.trimEnd()).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });

  it('stops at --max-memory at the same state every run, with the search\'s share used up by what it stores', async () => {
    // 144 MiB is the least a check runs in: the checker's share is 16 MiB. The heap of this process (the test
    // runner's) is far over that: it must not decide.
    // Without symmetry: with it the search now completes within 16 MiB (115 168 states).
    const args = ['check', 'bench/scenarios/two-slot-rcu-tasks-t3c1p2.scn', '--max-memory', '144', '--no-symmetry', '--no-timing', '--json'];
    const runs = [await runCli(args), await runCli(args)];
    expect(runs.map((r) => r.status)).toEqual([3, 3]);
    expect(runs[1].out).toBe(runs[0].out);
    const j = JSON.parse(runs[0].out);
    expect(j.stop.reason).toBe('memory');
    expect(j.stop.message).not.toContain('measured');
    expect(j.stats.memoryBytes).toBeLessThanOrEqual(16 * 2 ** 20);
    expect(j.stats.memoryBytes).toBeGreaterThan(0.9 * 16 * 2 ** 20);
  }, 60_000);

  it('refuses a --max-memory under the least a check runs in, naming it (PL6140, exit 2)', async () => {
    for (const [extra, least] of [[[], 144], [['--workers', '2'], 192]] as const) {
      const r = await runCli(['check', SAFE, '--max-memory', '100', ...extra]);
      expect(r.status).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(new RegExp(`^<command line>:1:\\d+: error PL6140: --max-memory 100 is less than ${least} MiB, the least a check runs in`));
    }
    expect((await runCli(['check', SAFE, '--max-memory', '144', '--no-timing'])).status).toBe(0);
  });

  it('stops the assembler at the statement that takes the image past what --max-memory can hold (PL6141, exit 2)', async () => {
    // Before, such a scenario was assembled in full (a 4 MB image peaked at 333 MiB under --max-memory 144)
    // and only then refused.
    const text = readFileSync(SAFE, 'utf8').replace(/^code\n/m, 'code\n        .section .data.big, "aw"\n        .skip 4000000\n');
    const line = text.split('\n').findIndex((l) => l.includes('.skip 4000000')) + 1;
    expect(line).toBeGreaterThan(0);
    const r = await runCli(['check', 'big.scn', '--max-memory', '144'], { 'big.scn': text });
    expect(r.status).toBe(2);
    expect(r.err).toBe(`big.scn:${line}:9: error PL6141: the code grows past 65536 bytes here, more than a check can hold within its --max-memory: give it more, or the code less\n`);
  });

  it('raises the least --max-memory for a model larger than the reserve covers, and names the file', async () => {
    const text = readFileSync(SAFE, 'utf8').replace(/^task .*$/m, (line) => `task ${Array.from({ length: 300 }, (_, i) => `T${i + 1}`).join(' ')}`);
    expect(text).toContain('T300');
    const r = await runCli(['check', 'many.scn', '--max-memory', '144', '--max-states', '10'], { 'many.scn': text });
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/error PL6140: --max-memory 144 is less than \d+ MiB, the least a check runs in \(\d+ MiB for Node, the code and the model of many.scn, 16 for the search\)/);
  });

  it('clamps a --max-memory the heap cannot hold, and says so', async () => {
    const r = await runCli(['check', SAFE, '--max-memory', '1000000', '--no-timing']);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^memory    budget \d+ MiB, not 1000000: V8's heap limit is \d+ MiB$/m);
    expect((await runCli(['check', SAFE, '--no-timing'])).out).not.toContain('memory    budget');
  });

  it('refuses more than 16 workers with a diagnostic, exit 2', async () => {
    const r = await runCli(['check', SAFE, '--workers', '17']);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^<command line>:1:\d+: error PL6110: --workers 17 is more than 16/);
  });

  it('a worker out of heap makes the check incomplete (memory), not a stack trace', async () => {
    const { outOfMemory } = await import('../src/cli/check-workers.js');
    expect(outOfMemory()).toMatchObject({ verdict: 'incomplete', stop: 'memory', reason: 'the worker ran out of heap before its memory budget' });
  });

  it('--workers 2 gives the verdict, kind and trace length of one worker', async () => {
    for (const [file, status] of [[`${dir}/ppc32-4insn-smp.scn`, 1], [`${dir}/ppc32-1insn-2cpu.scn`, 0]] as const) {
      const one = await runCli(['check', file, '--json', '--no-timing']);
      const two = await runCli(['check', file, '--json', '--no-timing', '--workers', '2']);
      expect(one.status).toBe(status);
      expect(two.status).toBe(status);
      const [a, b] = [JSON.parse(one.out), JSON.parse(two.out)];
      expect(b.verdict).toBe(a.verdict);
      expect(b.violation?.kind).toBe(a.violation?.kind);
      expect(b.actions.length).toBe(a.actions.length);
      // Two CPUs and no twin tasks: no symmetry, and sleep sets are off for the livelock check, so both worked.
      expect(b.workers).toEqual({ count: 2, used: 2 });
      expect(b.stats.states).toBe(a.stats.states);
      if (status === 1) expect((await runCli(['replay', file, b.actions.join(',')])).status).toBe(1);
    }
  });
});
