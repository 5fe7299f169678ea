// The `patchlab` command: argument parsing (commander), dispatch, exit statuses.

import { Command, CommanderError, Option } from 'commander';
import { ARCH_NAMES } from '../isa/types.js';
import { parseAddress, parseArch, parseCount, reportUsage, UsageError } from './args.js';
import { runAsm, runDisasm } from './commands/asm.js';
import { parseArg, runExec } from './commands/exec.js';
import { EXIT, nodeHost, type Host } from './host.js';

function program(host: Host, setStatus: (n: number) => void): Command {
  const archOption = () =>
    new Option('--arch <arch>', `target architecture (${ARCH_NAMES.join(', ')})`).makeOptionMandatory().argParser(parseArch);
  const p = new Command('patchlab')
    .description('Check code-patching protocols on a simulated SMP machine that runs real instruction encodings.')
    .version('0.1.0')
    .exitOverride()
    // Commander's own usage errors get the same `<command line>:1:1:` prefix as every other diagnostic.
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s.startsWith('error:') ? `<command line>:1:1: ${s}` : s) })
    .showHelpAfterError(false);

  p.command('asm')
    .description('assemble GNU as source (FILE, or - for standard input)')
    .addOption(archOption())
    .addOption(new Option('--format <format>', 'hex: the bytes of the first text section; listing: every section').choices(['hex', 'listing']).default('hex'))
    .argument('[file]', 'source file, or - for standard input')
    .action((file: string | undefined, opts) => setStatus(runAsm(host, opts, file)));

  p.command('disasm')
    .description('disassemble bytes given in hex, or a raw binary file')
    .addOption(archOption())
    .option('--address <n>', 'address of the first byte (decimal or 0x hex)', (v) => parseAddress(v, '--address'), 0n)
    .option('--file <file>', 'read raw bytes from FILE instead of the arguments')
    .argument('[hex...]', 'bytes in hex: e9 00 00 00 00, or e900000000')
    .action((hex: string[], opts) => setStatus(runDisasm(host, opts, hex)));

  p.command('exec')
    .description('assemble FILE and run one CPU from a label until that function returns')
    .addOption(archOption())
    .option('--entry <label>', 'the function to call', '_start')
    .option('--arg <n>', 'an argument, in the ABI argument registers in order (repeatable)', parseArg, [] as bigint[])
    .option('--json', 'print {"registers", "steps", "trap"} as JSON', false)
    .option('--max-steps <n>', 'stop (exit 3) after this many instructions', (v) => parseCount(v, '--max-steps'), 10_000_000)
    .argument('<file>', 'source file, or - for standard input')
    .action((file: string, opts) => setStatus(runExec(host, opts, file)));
  return p;
}

/** Runs the CLI; returns the exit status. Bad input never escapes as a stack trace. */
export async function main(argv: readonly string[], host: Host = nodeHost): Promise<number> {
  let status: number = EXIT.ok;
  try {
    await program(host, (n) => (status = n)).parseAsync([...argv], { from: 'user' });
    return status;
  } catch (e) {
    if (e instanceof UsageError) {
      reportUsage(host, argv, e);
      return EXIT.badInput;
    }
    if (e instanceof CommanderError) {
      // --help and --version end here with status 0; usage errors were already printed by commander.
      return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    throw e;
  }
}
