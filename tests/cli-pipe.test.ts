// The real process: a reader that stops early (`patchlab asm big.s | head -1`) ends it quietly, not with an EPIPE stack trace.

import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const ENTRY = "import { main } from './src/cli/main.ts'; process.exitCode = await main(process.argv.slice(1));";

/** Runs the CLI in a child process, reads the first chunk of stdout, then closes the pipe. */
function runAndCloseEarly(argv: string[], stdin: string | Uint8Array): Promise<{ status: number | null; err: string; first: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', ENTRY, ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '', first = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString();
      child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, err, first }));
    child.stdin.end(stdin);
  });
}

describe('a closed output pipe', () => {
  it('ends asm quietly', async () => {
    const r = await runAndCloseEarly(['asm', '--arch', 'x86-64', '-'], 'nop\n'.repeat(60_000));
    expect(r.first).toMatch(/^90 90/);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);

  it('ends disasm quietly', async () => {
    const r = await runAndCloseEarly(['disasm', '--arch', 'x86-64', '--file', '-'], new Uint8Array(50_000).fill(0x90));
    expect(r.first).toMatch(/^0:\t90\tnop\n/);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);
});
