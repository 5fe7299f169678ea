// The `patchlab` command: argument parsing (commander), dispatch, exit statuses.

import { Command, CommanderError, Option } from 'commander';
import { formatDiagnostic, makeDiagnostic, type Diagnostic } from '../base/diagnostics.js';
import { diagnosticsJson } from './catalogue-report.js';
import { ARCH_NAMES } from '../isa/types.js';
import { parseAddress, parseArch, parseCount, reportUsage, UsageError } from './args.js';
import { runAsm, runDisasm } from './commands/asm.js';
import { runCheck } from './commands/check.js';
import { runCost } from './commands/cost.js';
import { parseArg, runExec } from './commands/exec.js';
import { runLitmusFiles } from './commands/litmus.js';
import { runReplay } from './commands/replay.js';
import { runRun } from './commands/run.js';
import { EXIT, nodeHost, type Host } from './host.js';
import { parseBound, parseKnob } from './scenario-input.js';

function program(host: Host, setStatus: (n: number) => void): Command {
  const archOption = () =>
    new Option('--arch <arch>', `target architecture (${ARCH_NAMES.join(', ')})`).makeOptionMandatory().argParser(parseArch);
  const p = new Command('patchlab')
    .description('Check code-patching protocols on a simulated SMP machine that runs real instruction encodings.')
    .version('0.1.0')
    .exitOverride()
    // Commander's own usage errors are not printed here: main() reports them as diagnostics (PL6008).
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s), outputError: () => {} })
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
    // A bigint default needs its own description: commander's help prints a default with JSON.stringify.
    .addOption(new Option('--address <n>', 'address of the first byte (decimal or 0x hex)').argParser((v) => parseAddress(v, '--address')).default(0n, '0'))
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

  // The scenario commands share --bound and --knob: they change the scenario before anything runs.
  const scenarioOptions = (c: Command) =>
    c
      // Commander prints a default with JSON.stringify (`{}`): these say what the default means instead.
      .addOption(new Option('--bound <name=n>', 'override a bound of the scenario: cpus, interrupts, preemptions, nmis (repeatable)').argParser(parseBound).default({}, "the file's"))
      .addOption(new Option('--knob <name[=off]>', 'turn a knob on (NAME or NAME=on) or off (NAME=off): strictFetch, power.wordAtomicFetch, x86.alignedAtomicFetch, arm64.idc, arm64.dic, riscv.ziccif, riscv.ziccid (repeatable)')
        .argParser(parseKnob).default({}, "the file's"));

  p.command('litmus')
    .description('run herd7-style AArch64 litmus tests (FILE…) on the machine model and tell each in herd7\'s words: exit 0, 2 on bad input, 3 when some execution could not go on')
    .option('--json', 'print every result as JSON (schema patchlab.litmus/1)', false)
    .addOption(new Option('--knob <name[=off]>', 'turn a knob on or off after the test\'s CacheType set arm64.idc/arm64.dic (strictFetch is always on) (repeatable)').argParser(parseKnob).default({}, "the test's"))
    .argument('<file...>', 'litmus files')
    .action((files: string[], opts) => setStatus(runLitmusFiles(host, opts, files)));

  scenarioOptions(p.command('check'))
    .description('explore every interleaving within the bounds: exit 0 safe, 1 unsafe (with the shortest trace), 3 incomplete; ' +
      'several files or a directory: a table, exit 0 when every verdict is what its file expects, 1 when one is not, 3 when one is incomplete, 2 on bad input')
    .option('--json', 'print the report as JSON (schema patchlab.check/1; several files: patchlab.catalogue/1; docs/check-json.md)', false)
    .addOption(new Option('--format <format>', 'text: the report; mail: at most 80 columns, addresses as symbol+offset, for a mailing-list reply (one file)').choices(['text', 'mail']).default('text'))
    .option('--junit <file>', 'also write JUnit XML: one test case per scenario file, failing when its verdict is not what it expects')
    .option('--catalogue', 'print the table and use its exit statuses even for one file', false)
    .option('--max-states <n>', 'stop (exit 3) after this many distinct states', (v) => parseCount(v, '--max-states'))
    .option('--max-memory <mb>', 'a budget in MiB for the whole process: the search stops (exit 3) where what it stores fills what a reserve for Node, the code and the model leaves; at least 144, 48 more for each further worker (docs/memory.md; default: no bound, the search stores up to 2048)', (v) => parseCount(v, '--max-memory'))
    .option('--no-por', 'turn off partial-order reduction')
    .option('--no-symmetry', 'turn off symmetry reduction of identical tasks')
    .option('--no-collapse', 'turn off collapsing of invisible steps')
    .option('--no-livelock', 'do not look for livelocks: lets partial-order reduction run, but a spin that never ends is then safe')
    .option('--workers <n>', 'expand each level of the search with N worker threads sharing one visited set (same answer as one)', parseWorkers, 1)
    .option('--trace-out <file>', 'write the trace (and bounds, knobs) as JSON for `patchlab replay`')
    .option('--html <file>', 'write the trace as a self-contained HTML page (- for standard output, instead of the report)')
    .option('--no-timing', 'leave out seconds and states/s, so that two reports compare byte for byte')
    .argument('<file...>', 'scenario files, or directories (every .scn file under them, sorted)')
    .action(async (files: string[], opts) => setStatus(await runCheck(host, opts, files)));

  scenarioOptions(p.command('replay'))
    .description('re-execute a trace of FILE: exit 1 when it reaches a violation, 0 when it does not')
    .option('--json', 'print the report as JSON (schema patchlab.check/1)', false)
    .addOption(new Option('--format <format>', 'text: the report; mail: at most 80 columns, addresses as symbol+offset').choices(['text', 'mail']).default('text'))
    .argument('<file>', 'scenario file')
    .option('--html <file>', 'also write the trace as a self-contained HTML page (- for standard output, instead of the report)')
    .argument('<trace>', 'a file written by `check --trace-out`, or action indices such as 0,0,2,1')
    .action(async (file: string, trace: string, opts) => setStatus(await runReplay(host, opts, file, trace)));

  scenarioOptions(p.command('view'))
    .description('write a trace as a self-contained HTML page: a lane per CPU, the state after each step')
    .option('--html <file>', 'where to write the page (- for standard output)', '-')
    .argument('<file>', 'scenario file; or, alone, a trace file written by `check --trace-out` (it names its scenario file)')
    .argument('[trace]', 'a file written by `check --trace-out`, or action indices such as 0,0,2,1')
    .action(async (file: string, trace: string | undefined, opts) =>
      setStatus(await runReplay(host, { ...opts, json: false }, trace === undefined ? undefined : file, trace ?? file)));

  scenarioOptions(p.command('run'))
    .description('one execution with a seeded random schedule: exit 0 completed, 1 violation, 3 out of steps')
    .option('--seed <n>', 'seed of the schedule', (v) => parseSeed(v), 1)
    .option('--steps <n>', 'stop (exit 3) after this many steps', (v) => parseCount(v, '--steps'), 100_000)
    .option('--json', 'print what happened as JSON (schema patchlab.run/1)', false)
    .option('--trace', 'also print every step, a column per CPU', false)
    .option('--cost', 'also print the cost of calls and updates (as `patchlab cost`)', false)
    .argument('<file>', 'scenario file')
    .action((file: string, opts) => setStatus(runRun(host, opts, file)));

  scenarioOptions(p.command('cost'))
    .description('what a call through each call site costs, and what each update costs')
    .option('--json', 'print as JSON (schema patchlab.cost/1)', false)
    .option('--max-steps <n>', 'give up on a call that has not returned after this many steps of its task (exit 3)', (v) => parseCount(v, '--max-steps'), 1_000_000)
    .argument('<file>', 'scenario file')
    .action((file: string, opts) => setStatus(runCost(host, opts, file)));
  return p;
}

/** Worker threads: more than this only divides the memory budget into slivers (and each costs a heap). */
export const MAX_WORKERS = 16;

function parseWorkers(v: string): number {
  const n = parseCount(v, '--workers');
  if (n > MAX_WORKERS) throw new UsageError('PL6110', [String(n), String(MAX_WORKERS)], v);
  return n;
}

/** A seed: any integer from 0 to 2^32-1. */
function parseSeed(v: string): number {
  const t = v.trim();
  if (!/^[0-9]+$/.test(t) || Number(t) > 0xffffffff) throw new UsageError('PL6004', [v, '--seed'], v);
  return Number(t);
}

/**
 * Commander's error (`error: unknown option '--frob'`) as our diagnostic, pointing at the last quoted
 * word of its message that is on the command line (`--format <format>` is looked for as `--format`).
 */
function commanderUsageError(argv: readonly string[], e: CommanderError): UsageError {
  const text = e.message.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ');
  const quoted = [...text.matchAll(/'([^']+)'/g)].map((m) => m[1].split(' ')[0]).reverse();
  const value = quoted.find((q) => argv.includes(q)) ?? '';
  return new UsageError('PL6008', [text], value);
}

/** Runs the CLI; returns the exit status. Bad input never escapes as a stack trace; an internal error exits 70. */
export async function main(argv: readonly string[], host: Host = nodeHost): Promise<number> {
  let status: number = EXIT.ok;
  try {
    await program(host, (n) => (status = n)).parseAsync([...argv], { from: 'user' });
    return status;
  } catch (e) {
    // `check --json` promises JSON on standard output: a bad command line is a patchlab.diagnostics/1 document there too.
    const asJson = (d: Diagnostic) => {
      if (argv[0] === 'check' && argv.includes('--json')) host.out(diagnosticsJson([d]));
    };
    if (e instanceof UsageError) {
      asJson(reportUsage(host, argv, e));
      return EXIT.badInput;
    }
    if (e instanceof CommanderError) {
      // --help and --version end here with status 0; `patchlab` alone printed the help and fails.
      if (e.exitCode === 0) return EXIT.ok;
      if (e.code !== 'commander.help') asJson(reportUsage(host, argv, commanderUsageError(argv, e)));
      return EXIT.badInput;
    }
    // Anything else is our bug (an InternalError of an assertion, or worse): its own status, never 1 (unsafe),
    // and the stack for the report.
    const err = e instanceof Error ? e : new Error(String(e));
    host.err(formatDiagnostic(makeDiagnostic('PL6009', { file: '<command line>', line: 1, col: 1 }, err.message)) + '\n' + (err.stack ?? '') + '\n');
    return EXIT.internal;
  }
}
