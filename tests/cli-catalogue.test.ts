// `patchlab check` over many files (a catalogue, as CI runs it): the table, the exit statuses, JUnit XML,
// the catalogue JSON, bad input among good files, and `--knob NAME=off`.

import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { parseXml, type XmlElement } from './support/xml.js';

const SEEDS = 'examples/seeds';
const seedFiles = readdirSync(SEEDS).filter((f) => f.endsWith('.scn')).sort();

/** The table's rows: the lines between the dashes under the header and the blank line before the summary. */
function tableRows(out: string): string[] {
  const lines = out.split('\n');
  const from = lines.findIndex((l) => /^-+ /.test(l)) + 1;
  const to = lines.indexOf('', from);
  return lines.slice(from, to);
}

/** A copy of the seeds in a temporary directory, with one file's `expect` line replaced. */
function seedsWithChangedExpect(file: string, expect: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'patchlab-catalogue-'));
  cpSync(SEEDS, dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, readFileSync(path, 'utf8').replace(/^expect .*$/m, expect));
  return dir;
}

const children = (e: XmlElement, name: string) => e.children.filter((c) => c.name === name);

/** A seed with an unknown arch on its line 13: one diagnostic, PL7003 at 13:6. */
const BROKEN = readFileSync(`${SEEDS}/ppc32-ool-4insn.scn`, 'utf8').replace('\narch ppc32\n', '\narch z80\n');

describe('patchlab check over a catalogue', () => {
  it('checks every seed: one table of a row per .scn file, a summary, exit 0 (unsafe as expected is a pass)', async () => {
    const r = await runCli(['check', SEEDS, '--no-timing']);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const rows = tableRows(r.out);
    expect(seedFiles.length).toBeGreaterThanOrEqual(38); // issue 13: "one table of 38 rows" when it was written
    expect(rows).toHaveLength(seedFiles.length);
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(seedFiles.map((f) => `${SEEDS}/${f}`));
    expect(rows.every((l) => / yes +\d+$/.test(l))).toBe(true);
    expect(r.out.split('\n')[0]).toMatch(/^file +verdict +kind +expected +matches +states$/);
    const unsafe = seedFiles.filter((f) => /^expect unsafe/m.test(readFileSync(`${SEEDS}/${f}`, 'utf8'))).length;
    const n = seedFiles.length;
    expect(r.out).toContain(`${n} files: ${n - unsafe} safe, ${unsafe} unsafe, 0 incomplete, 0 bad input; ${n} as expected, 0 not\n`);
    // Same input, same bytes.
    expect((await runCli(['check', SEEDS, '--no-timing'])).out).toBe(r.out);
  }, 120_000);

  it('exits 1 and names the file when one verdict contradicts its expect line', async () => {
    const dir = seedsWithChangedExpect('ppc32-ool-4insn.scn', 'expect safe');
    const r = await runCli(['check', dir, '--no-timing']);
    expect(r.status).toBe(1);
    const path = `${dir}/ppc32-ool-4insn.scn`;
    expect(tableRows(r.out).find((l) => l.startsWith(path + ' '))).toMatch(/unsafe +fell-through +safe +NO +24$/);
    expect(r.out).toContain(`NOT AS EXPECTED  ${path}: expected safe, found unsafe fell-through\n`);
    // An expected kind that is not the one found fails too.
    const kind = seedsWithChangedExpect('ppc32-ool-4insn.scn', 'expect unsafe wrong-target');
    const k = await runCli(['check', `${kind}/ppc32-ool-4insn.scn`, `${kind}/ppc32-ool-1insn.scn`, '--no-timing']);
    expect(k.status).toBe(1);
    expect(k.out).toContain('expected unsafe wrong-target, found unsafe fell-through');
  }, 120_000);

  it('reports bad input with file:line:col, still checks the others, and exits 2 over any other outcome', async () => {
    const dir = seedsWithChangedExpect('ppc32-ool-4insn.scn', 'expect safe');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    writeFileSync(join(dir, 'zz-broken.scn'), BROKEN);
    const r = await runCli(['check', dir, empty, join(dir, 'missing.scn'), '--no-timing']);
    expect(r.status).toBe(2);
    expect(r.err).toContain(`${dir}/zz-broken.scn:13:6: error PL7003: unknown architecture \`z80\``);
    expect(r.err).toContain(`${empty}:1:1: error PL6201: no scenario files (*.scn) in directory`);
    expect(r.err).toMatch(/missing\.scn:1:1: error PL6002: cannot read .*ENOENT/);
    expect(r.err).not.toMatch(/\n\s+at /);
    const rows = tableRows(r.out);
    expect(rows).toHaveLength(seedFiles.length + 3);
    expect(rows.filter((l) => / bad input /.test(l))).toHaveLength(3);
    expect(r.out).toContain(`0 incomplete, 3 bad input; ${seedFiles.length - 1} as expected, 1 not`);
    expect(r.out).toContain(`BAD INPUT        ${dir}/zz-broken.scn:13:6: error PL7003`);
  }, 120_000);

  it('exits 3 when a search is incomplete and nothing contradicts its expectation, 1 when something does', async () => {
    const safe = `${SEEDS}/pvops-stop-machine-2cpu.scn`, unsafe = `${SEEDS}/ppc32-ool-4insn.scn`;
    const r = await runCli(['check', safe, unsafe, '--max-states', '50', '--no-timing']);
    expect(r.status).toBe(3);
    expect(r.out).toMatch(/pvops-stop-machine-2cpu\.scn +incomplete +- +safe +- +\d+\n/);
    expect(r.out).toContain(`INCOMPLETE       ${safe}: `);
    const dir = seedsWithChangedExpect('ppc32-ool-4insn.scn', 'expect safe');
    expect((await runCli(['check', safe, `${dir}/ppc32-ool-4insn.scn`, '--max-states', '50'])).status).toBe(1);
  }, 120_000);

  it('writes JUnit XML that parses back: a test case per file, a failure naming the contradiction, every text escaped', async () => {
    const dir = seedsWithChangedExpect('ppc32-ool-4insn.scn', 'expect safe');
    const odd = join(dir, `a&b<c>"d'e.scn`);
    writeFileSync(odd, readFileSync(`${SEEDS}/ppc32-ool-1insn.scn`, 'utf8').replace('scenario ppc32-ool-1insn', 'scenario odd'));
    writeFileSync(join(dir, 'zz-ctl.scn'), 'scenario ctl\narch "\x01\x1b&<"\n');
    const junit = join(dir, 'out.xml');
    const r = await runCli(['check', dir, '--junit', junit, '--no-timing']);
    expect(r.status).toBe(2);
    const xml = readFileSync(junit, 'utf8');
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    const [suite] = children(root, 'testsuite');
    const cases = children(suite, 'testcase');
    expect(cases).toHaveLength(seedFiles.length + 2);
    expect(suite.attrs).toMatchObject({ tests: String(seedFiles.length + 2), failures: '1', errors: '1' });
    expect(cases.map((c) => c.attrs.name)).toContain(odd);
    const failed = cases.filter((c) => children(c, 'failure').length > 0);
    expect(failed.map((c) => c.attrs.name)).toEqual([`${dir}/ppc32-ool-4insn.scn`]);
    const failure = children(failed[0], 'failure')[0];
    expect(failure.attrs.message).toBe('expected safe, found unsafe fell-through');
    expect(failure.text).toContain('-> 3d 80 04 00 (lis r12,1024)');
    const error = children(cases.find((c) => c.attrs.name.endsWith('zz-ctl.scn'))!, 'error')[0];
    expect(error.attrs.type).toBe('bad-input');
    expect(error.text).toContain('zz-ctl.scn:2:');
    // --no-timing: no time attributes, so the file compares byte for byte.
    expect(xml).not.toContain('time=');
    await runCli(['check', dir, '--junit', junit + '2', '--no-timing']);
    expect(readFileSync(junit + '2', 'utf8')).toBe(xml);
  }, 120_000);

  it('prints one patchlab.catalogue/1 document with --json, each file with its check report or its diagnostics', async () => {
    const broken = 'broken.scn';
    const r = await runCli(['check', `${SEEDS}/ppc32-ool-4insn.scn`, `${SEEDS}/ppc32-ool-1insn.scn`, broken, '--json', '--no-timing'], { [broken]: BROKEN });
    expect(r.status).toBe(2);
    const doc = JSON.parse(r.out);
    expect(doc.schema).toBe('patchlab.catalogue/1');
    expect(doc.status).toBe(2);
    expect(doc.summary).toMatchObject({ files: 3, safe: 1, unsafe: 1, badInput: 1, asExpected: 2, notAsExpected: 0, seconds: null });
    expect(doc.files.map((f: { outcome: string }) => f.outcome)).toEqual(['pass', 'pass', 'bad-input']);
    expect(doc.files[0].report.schema).toBe('patchlab.check/1');
    expect(doc.files[0].report.violation.kind).toBe('fell-through');
    expect(doc.files[2]).toMatchObject({ file: broken, report: null, diagnostics: [{ file: broken, line: 13, col: 6, code: 'PL7003' }] });
  }, 120_000);

  it('gives one file with bad input its diagnostics as JSON with --json, and on standard error as text', async () => {
    const r = await runCli(['check', 'broken.scn', '--json'], { 'broken.scn': BROKEN });
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^broken\.scn:13:6: error PL7003: [^\n]*\n$/);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ schema: 'patchlab.diagnostics/1', diagnostics: [{ file: 'broken.scn', line: 13, col: 6, code: 'PL7003' }] });
    expect(doc.diagnostics[0].message).toMatch(/^unknown architecture `z80`/);
  });

  it('gives a bad command line of check --json as a diagnostics document too', async () => {
    const r = await runCli(['check', SEEDS, '--json', '--bound', 'cpus=x']);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^<command line>:1:\d+: error PL6101: /);
    expect(JSON.parse(r.out)).toMatchObject({ schema: 'patchlab.diagnostics/1', diagnostics: [{ file: '<command line>', line: 1, code: 'PL6101' }] });
  });

  it('takes directories recursively, .scn files sorted, each file once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchlab-tree-'));
    mkdirSync(join(dir, 'b', 'c'), { recursive: true });
    const text = readFileSync(`${SEEDS}/ppc32-ool-1insn.scn`, 'utf8');
    for (const f of ['b/c/z.scn', 'b/a.scn', 'a.scn', 'b/notes.txt']) writeFileSync(join(dir, f), text);
    const r = await runCli(['check', dir, join(dir, 'a.scn'), '--no-timing']);
    expect(r.status).toBe(0);
    expect(tableRows(r.out).map((l) => l.split(/\s+/)[0])).toEqual([`${dir}/a.scn`, `${dir}/b/a.scn`, `${dir}/b/c/z.scn`]);
  });

  it('refuses one-file options with several files, before checking anything', async () => {
    const two = [`${SEEDS}/ppc32-ool-4insn.scn`, `${SEEDS}/ppc32-ool-1insn.scn`];
    const t = await runCli(['check', ...two, '--trace-out', 'x.json']);
    expect(t.status).toBe(2);
    expect(t.err).toMatch(/^<command line>:1:\d+: error PL6202: `--trace-out` takes one scenario file; 2 were given/);
    const m = await runCli(['check', SEEDS, '--format', 'mail']);
    expect(m.status).toBe(2);
    expect(m.err).toContain('error PL6202: `--format mail` takes one scenario file');
    expect(m.out).toBe('');
  });

  it('writes JUnit XML for one file too, keeping its report and exit status as they are', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchlab-junit-'));
    const junit = join(dir, 'one.xml');
    const plain = await runCli(['check', `${SEEDS}/ppc32-ool-4insn.scn`, '--no-timing']);
    const r = await runCli(['check', `${SEEDS}/ppc32-ool-4insn.scn`, '--no-timing', '--junit', junit]);
    expect(r).toEqual(plain);
    const cases = children(children(parseXml(readFileSync(junit, 'utf8')), 'testsuite')[0], 'testcase');
    expect(cases.map((c) => [c.attrs.name, c.children.length])).toEqual([[`${SEEDS}/ppc32-ool-4insn.scn`, 0]]);
    const bad = await runCli(['check', 'broken.scn', '--junit', junit], { 'broken.scn': BROKEN });
    expect(bad.status).toBe(2);
    expect(children(children(children(parseXml(readFileSync(junit, 'utf8')), 'testsuite')[0], 'testcase')[0], 'error')[0].attrs.type).toBe('bad-input');
  });

  it('keeps an empty file name a command-line error among several files', async () => {
    const r = await runCli(['check', `${SEEDS}/ppc32-ool-1insn.scn`, '']);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^<command line>:1:\d+: error PL6007: empty file name/);
  });

  it('--catalogue gives one file the table and the exit status of its expectation', async () => {
    const r = await runCli(['check', `${SEEDS}/ppc32-ool-4insn.scn`, '--catalogue', '--no-timing']);
    expect(r.status).toBe(0);
    expect(tableRows(r.out)).toHaveLength(1);
  });
});

describe('--knob NAME=off', () => {
  const file = `${SEEDS}/ppc32-ool-4insn.scn`;

  it('turns off a knob the file sets, says so in the replay command, and the replay agrees', async () => {
    const on = await runCli(['check', file, '--no-timing']);
    expect(on.out).toContain('knobs     power.wordAtomicFetch');
    const off = await runCli(['check', file, '--knob', 'power.wordAtomicFetch=off', '--no-timing']);
    expect(off.out).toContain('knobs     none');
    const replay = /replay: patchlab (replay [^)]*)\)/.exec(off.out)?.[1];
    expect(replay).toMatch(/--knob power\.wordAtomicFetch=off /);
    const again = await runCli(replay!.split(' '));
    expect(again.out).toContain('knobs     none');
    expect(again.out.split('\n')[0]).toBe(off.out.split('\n')[0]);
    // The last setting wins; NAME=on is NAME.
    const last = await runCli(['check', file, '--knob', 'power.wordAtomicFetch=off', '--knob', 'power.wordAtomicFetch=on', '--no-timing']);
    expect(last.out).toBe(on.out);
  });

  it('turns off a knob for a trace file too: replay sets the knobs the trace was found with', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchlab-knob-'));
    const trace = join(dir, 't.json');
    const off = await runCli(['check', file, '--knob', 'power.wordAtomicFetch=off', '--trace-out', trace, '--no-timing']);
    const r = await runCli(['replay', file, trace]);
    expect(r.out).toContain('knobs     none');
    expect(r.status).toBe(off.status);
  });

  it('rejects a setting other than on and off, and an unknown knob', async () => {
    const bad = await runCli(['check', file, '--knob', 'strictFetch=maybe']);
    expect(bad.status).toBe(2);
    expect(bad.err).toMatch(/^<command line>:1:\d+: error PL6200: invalid knob setting `strictFetch=maybe`: expected NAME, NAME=on or NAME=off/);
    const unknown = await runCli(['check', file, '--knob', 'frob=off']);
    expect(unknown.err).toContain('error PL6103: unknown knob `frob`');
  });
});
