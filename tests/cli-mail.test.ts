// `patchlab check --format mail`: a report short and narrow enough for a mailing-list reply, over every unsafe
// seed; and the symbols and source lines the default report and the JSON trace now carry.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const SEEDS = 'examples/seeds';
const unsafeSeeds = readdirSync(SEEDS)
  .filter((f) => f.endsWith('.scn') && /^expect unsafe/m.test(readFileSync(`${SEEDS}/${f}`, 'utf8')))
  .sort();

/** Columns as a terminal or a mail reader counts them: code points (`—` and `…` are one each). */
const columns = (line: string) => [...line].length;

describe('check --format mail', () => {
  it('covers the unsafe seeds', () => expect(unsafeSeeds.length).toBeGreaterThanOrEqual(18));

  for (const file of unsafeSeeds) {
    it(`fits 80 columns: ${file}`, async () => {
      const path = `${SEEDS}/${file}`;
      const r = await runCli(['check', path, '--format', 'mail']);
      expect(r.status).toBe(1);
      expect(r.err).toBe('');
      const lines = r.out.split('\n');
      const wide = lines.filter((l) => columns(l) > 80);
      expect(wide, 'lines wider than 80 columns').toEqual([]);
      expect(r.out).toMatch(/^unsafe: /);
      expect(r.out).toContain(`trace (`);
      // The patcher's first step (when the trace has one) names the scenario line it came from.
      if (/^ *\d+(-\d+)? cpu0 /m.test(r.out)) expect(r.out).toMatch(/^ *\d+ cpu0 {2}\S[^\n]*\n +line \d+: /m);
      // The replay command at the end, joined back from its shell continuations, runs the trace again.
      const replay = r.out.slice(r.out.lastIndexOf('\npatchlab replay ') + 1).replace(/\\\n/g, '').trim();
      const again = await runCli(replay.split(/\s+/).slice(1));
      expect(again.status).toBe(1);
      const kind = (out: string) => /^unsafe: (\S+) —/.exec(out)?.[1];
      expect(kind(again.out)).toBe(kind(r.out));
      // No timing in a mail: the same input gives the same bytes.
      expect((await runCli(['check', path, '--format', 'mail'])).out).toBe(r.out);
    }, 120_000);
  }

  it('names addresses as symbol+offset, gives each statement its source line, folds what changes nothing', async () => {
    const r = await runCli(['check', `${SEEDS}/ppc32-ool-4insn.scn`, '--format', 'mail']);
    expect(r.out).toContain(`
  1 cpu0  update sc -> far_a: begin
            line 45: update sc -> far_a
  2 cpu0  patch_instruction 1/2: store through the alias
            line 46: patch_instruction tramp+0, "lis 12, far_a@ha"
            tramp: 4e 80 00 20 (blr)
              -> 3d 80 04 00 (lis r12,1024)
  3 cpu1  T1 tramp: lis r12,1024
            fetch saw 2 of 2: 4e 80 00 20 | [3d 80 04 00]
4-5 cpu1  T1 2 instructions, tramp+0x4 to tramp+0x8: nop; nop
  6 cpu1  T1 tramp+0xc: nop
`);
    const p = await runCli(['check', `${SEEDS}/pvops-nmi-stale.scn`, '--format', 'mail']);
    // A store of the bytes already there is one line; an address in an instruction or a message gets its symbol.
    expect(p.out).toContain('do_lock+0x1: f3 (unchanged)\n');
    expect(p.out).toContain('-> e8 (call 0x1000000 <pv_lock>: e8 f3 ff fe 00)');
    expect(p.out.split('\n')[0]).toBe('unsafe: fault — NMI on CPU 1 hit a breakpoint at 0x10008 <do_lock> where no');
  });

  it('replay --format mail tells the same trace', async () => {
    const file = `${SEEDS}/ppc32-ool-4insn.scn`;
    const check = await runCli(['check', file, '--format', 'mail']);
    const replay = await runCli(['replay', file, '0,0,2,1,1,1', '--format', 'mail']);
    expect(replay.status).toBe(1);
    const trace = (out: string) => out.slice(out.indexOf('\ntrace ('));
    expect(trace(replay.out)).toBe(trace(check.out));
  });

  it('reports a safe file in a few lines', async () => {
    const r = await runCli(['check', `${SEEDS}/ppc32-ool-1insn.scn`, '--format', 'mail']);
    expect(r.status).toBe(0);
    expect(r.out).not.toContain('trace');
    expect(r.out.split('\n').every((l) => columns(l) <= 80)).toBe(true);
  });
});

describe('symbols and source lines in the default report and the JSON trace', () => {
  it('the text report names the symbol of each address and the scenario line of each patcher statement', async () => {
    const r = await runCli(['check', `${SEEDS}/ppc32-ool-4insn.scn`, '--no-timing']);
    expect(r.out).toContain('  line 46: patch_instruction tramp+0, "lis 12, far_a@ha"\n');
    expect(r.out).toContain('0x10000 <tramp>: 4e 80 00 20 (blr)');
    expect(r.out).toContain('T1 0x10004 <tramp+0x4>: 60 00 00 00  nop');
  });

  it('each patcher step of the JSON trace carries its file:line:col and the line; instructions and stores their symbol', async () => {
    const file = `${SEEDS}/ppc32-ool-4insn.scn`;
    const r = JSON.parse((await runCli(['check', file, '--json', '--no-timing'])).out);
    const patcher = r.trace.filter((s: { kind: string }) => s.kind === 'patcher');
    expect(patcher.length).toBeGreaterThan(0);
    for (const s of patcher) expect(s.source).toMatchObject({ file, line: expect.any(Number), col: expect.any(Number), text: expect.any(String) });
    expect(patcher[1].source).toEqual({ file, line: 46, col: 9, text: 'patch_instruction tramp+0, "lis 12, far_a@ha"' });
    expect(patcher[1].store.symbol).toBe('tramp');
    expect(r.trace.find((s: { kind: string }) => s.kind === 'step').insn.symbol).toBe('tramp');
    // A comment after the statement is not part of its text.
    const commented = readFileSync(file, 'utf8').replace('patch_instruction tramp+0, "lis 12, far_a@ha"', 'patch_instruction tramp+0, "lis 12, far_a@ha"   # the # in "a string" is not one');
    const c = JSON.parse((await runCli(['check', 'c.scn', '--json'], { 'c.scn': commented })).out);
    expect(c.trace.filter((s: { kind: string }) => s.kind === 'patcher')[1].source.text).toBe('patch_instruction tramp+0, "lis 12, far_a@ha"');
  });

  it('tells a violation in the initial state (no steps) without an internal error (found by npm run fuzz)', async () => {
    const text = readFileSync(`${SEEDS}/two-slot-rcu-tasks.scn`, 'utf8').replace(/^section \.text\.fara at .*$/m, 'section .text.fara at 99999999999');
    const r = await runCli(['check', 'far.scn', '--format', 'mail', '--no-timing'], { 'far.scn': text });
    expect(r.err).toBe('');
    expect(r.status).toBe(1);
    expect(r.out.split('\n')[0]).toMatch(/^unsafe: fault — T1: cannot set up the call to tramp: unmapped/);
  });
});
