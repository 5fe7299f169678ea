// The command line as scripts use it: output formats, exit statuses, diagnostics that point somewhere.

import { describe, expect, it } from 'vitest';
import { InternalError } from '../src/base/assert.js';
import { main } from '../src/cli/main.js';
import { runCli } from './support/cli.js';

const run = runCli;

describe('patchlab asm', () => {
  it('prints the first text section as lowercase hex pairs', async () => {
    const r = await run(['asm', '--arch', 'x86-64', '-'], { '-': 'jmp 1f; ud1 %esp,%ecx; 1: ret\n' });
    expect(r).toEqual({ status: 0, out: 'eb 03 0f b9 cc c3\n', err: '' });
  });

  it('assembles every shipped example on its arch', async () => {
    for (const arch of ['x86-64', 'arm64', 'ppc32', 'ppc64']) {
      const r = await run(['asm', '--arch', arch, `examples/asm/static-call-${arch}.s`]);
      expect(r.err).toBe('');
      expect(r.status).toBe(0);
      expect(r.out).toMatch(/^[0-9a-f]{2}( [0-9a-f]{2})+\n$/);
    }
  });

  it('lists sections, relocations and symbols', async () => {
    const r = await run(['asm', '--arch', 'arm64', '--format', 'listing', 'examples/asm/static-call-arm64.s']);
    expect(r.status).toBe(0);
    expect(r.out).toContain('R_AARCH64_ADR_PREL_PG_HI21');
    expect(r.out).toContain('.rodata');
    expect(r.out).toMatch(/tramp_a\s+\.text\+0x/);
  });

  it('reports an unknown mnemonic with file:line:col and exit 2', async () => {
    const r = await run(['asm', '--arch', 'arm64', 'bad.s'], { 'bad.s': 'nop\n  frobnicate x0\n' });
    expect(r.status).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^bad\.s:2:3: error PL2001: /);
  });

  it('reports a missing file and an unknown arch as diagnostics, exit 2', async () => {
    const missing = await run(['asm', '--arch', 'arm64', 'no/such/file.s']);
    expect(missing.status).toBe(2);
    expect(missing.err).toMatch(/^no\/such\/file\.s:1:1: error PL6002: .*ENOENT/);
    const arch = await run(['asm', '--arch', 'mips', 'x.s']);
    expect(arch.status).toBe(2);
    expect(arch.err).toBe('<command line>:1:12: error PL6001: unknown architecture `mips`: expected one of x86-64, arm64, ppc32, ppc64, riscv64\n');
  });

  it('reports an empty file name as a command-line diagnostic, exit 2', async () => {
    for (const argv of [['asm', '--arch', 'x86-64', ''], ['check', ''], ['run', ''], ['replay', '', '0,1'], ['disasm', '--arch', 'arm64', '--file', '']]) {
      const r = await run(argv);
      expect(r.status, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(/^<command line>:1:\d+: error PL6007: empty file name/);
    }
  });

  it('rejects an unknown format or option with exit 2, as a diagnostic', async () => {
    expect((await run(['asm', '--arch', 'arm64', '--format', 'elf', 'x.s'])).status).toBe(2);
    const frob = await run(['asm', '--arch', 'arm64', '--frob', 'x.s']);
    expect(frob.status).toBe(2);
    expect(frob.err).toBe("<command line>:1:18: error PL6008: invalid command line: unknown option '--frob'\n");
  });

  it('gives every error of the argument parser a PLnnnn code and exit 2', async () => {
    for (const argv of [['frob'], ['asm'], ['asm', '--arch'], ['check'], ['replay', 'a'], ['asm', '--arch', 'arm64', '--format', 'elf', 'x.s']]) {
      const r = await run(argv);
      expect(r.status, argv.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err, argv.join(' ')).toMatch(/^<command line>:1:\d+: error PL6008: invalid command line: \S.*\n$/);
    }
  });
});

describe('patchlab disasm', () => {
  it('prints address, bytes and text separated by tabs', async () => {
    const r = await run(['disasm', '--arch', 'ppc32', '--address', '0x1000', '4e800020', '60000000']);
    expect(r).toEqual({ status: 0, out: '1000:\t4e 80 00 20\tblr\n1004:\t60 00 00 00\tnop\n', err: '' });
  });

  it('reads raw bytes from a file', async () => {
    const r = await run(['disasm', '--arch', 'x86-64', '--file', 'b.bin'], { 'b.bin': Uint8Array.of(0xc3) });
    expect(r.out).toBe('0:\tc3\tret\n');
  });

  it('rejects bad hex and a bad address with exit 2', async () => {
    const hex = await run(['disasm', '--arch', 'arm64', 'zz']);
    expect(hex.status).toBe(2);
    expect(hex.err).toMatch(/^<command line>:1:\d+: error PL6003: invalid hex byte `zz`/);
    const addr = await run(['disasm', '--arch', 'arm64', '--address', 'twelve', 'd503201f']);
    expect(addr.status).toBe(2);
    expect(addr.err).toMatch(/PL6004/);
    const none = await run(['disasm', '--arch', 'arm64']);
    expect(none.status).toBe(2);
  });

  it('answers --help and --version with status 0', async () => {
    expect((await run(['--help'])).status).toBe(0);
    expect((await run(['--version'])).out).toBe('0.1.0\n');
  });

  it('prints the help of every command, defaults included (disasm --address defaults to a bigint)', async () => {
    for (const cmd of ['asm', 'disasm', 'exec', 'check', 'replay', 'run', 'cost']) {
      const r = await run([cmd, '--help']);
      expect(r.status, cmd).toBe(0);
      expect(r.out, cmd).toContain(`Usage: patchlab ${cmd}`);
    }
    expect((await run(['disasm', '--help'])).out).toContain('(default: 0)');
  });
});

describe('an internal error', () => {
  it('exits 70, not 1 (unsafe), with a diagnostic that asks for a report with the input', async () => {
    let err = '';
    const status = await main(['asm', '--arch', 'x86-64', '-'], {
      out: () => {
        throw new InternalError('assertion failed: a test');
      },
      err: (t) => void (err += t),
      readFile: () => new TextEncoder().encode('nop\n'),
    });
    expect(status).toBe(70);
    expect(err).toMatch(/^<command line>:1:1: error PL6009: internal error \(assertion failed: a test\): a bug in patchlab; please report it with this command line and its input files\n/);
    expect(err).toContain('InternalError: assertion failed: a test\n    at ');
  });
});
