// `npm run fuzz -- --minutes N`: the long fuzz run of issue 12 item 3.
//
// The inputs (inputs.ts) run in a child process, each through the real CLI in process (judge.ts). The child
// tells this process every input before running it, so that this process can tell what a child was doing
// when it stopped answering:
// 1. a failure the child sees (internal error, stack trace, exit 2 without a diagnostic, a throw, memory
//    past the limit) is shrunk by fast-check in the child and written to the output folder;
// 2. a child silent for `--hang-seconds` is killed, and the input it was on is written as a hang;
// 3. a child that dies (out of heap, a signal) has its last input written as a crash.
// After a hang or a crash a new child goes on with the next seed. At the end: inputs, inputs/s, per target,
// and the failures; the exit status is 1 when there was any. `--replay FILE` runs one written input again.

import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import fc from 'fast-check';
import { anyInput } from './inputs.js';
import { judge, runInput, type FuzzInput } from './judge.js';

type FromChild =
  | { readonly kind: 'input'; readonly input: FuzzInput }
  | { readonly kind: 'done'; readonly runs: number; readonly byTarget: Record<string, number>; readonly failure?: { readonly input: FuzzInput; readonly reason: string } };

/** Resident memory past which an input counts as runaway (the scenario limits keep a sound run far below). */
const RSS_LIMIT = 1536 * 2 ** 20;

async function child(seed: number, until: number): Promise<void> {
  const byTarget: Record<string, number> = {};
  let runs = 0;
  let reason = '';
  const send = (m: FromChild) => process.send!(m);
  const details = await fc.check(
    fc.asyncProperty(anyInput, async (input) => {
      send({ kind: 'input', input });
      const o = await runInput(input);
      runs++;
      byTarget[input.target] = (byTarget[input.target] ?? 0) + 1;
      const bad = judge(o) ?? (process.memoryUsage().rss > RSS_LIMIT ? `resident memory ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB after this input` : undefined);
      if (bad) reason = bad;
      return bad === undefined;
    }),
    { seed, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: Math.max(1, until - Date.now()), markInterruptAsFailure: false },
  );
  const failure = details.failed && details.counterexample ? { input: details.counterexample[0], reason } : undefined;
  send({ kind: 'done', runs, byTarget, ...(failure ? { failure } : {}) });
}

interface Failure {
  readonly kind: 'failure' | 'hang' | 'crash';
  readonly reason: string;
  readonly seed: number;
  readonly input: FuzzInput;
}

async function parent(opts: { minutes: number; seed: number; out: string; hangSeconds: number }): Promise<number> {
  const t0 = Date.now();
  const until = t0 + opts.minutes * 60_000;
  const byTarget: Record<string, number> = {};
  const failures: Failure[] = [];
  let runs = 0;
  let seed = opts.seed;
  let lastReport = t0;
  console.log(`fuzzing for ${opts.minutes} min from seed ${opts.seed} (failures to ${opts.out}/)`);
  while (Date.now() < until - 1000) {
    const ended = await new Promise<{ failure?: Failure }>((resolve) => {
      let last: FuzzInput | undefined;
      let timer: NodeJS.Timeout;
      let settled = false;
      const settle = (r: { failure?: Failure }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const c: ChildProcess = fork(import.meta.filename, ['--child', String(seed), String(until)], { execArgv: process.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      let stderr = '';
      c.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-2000)));
      // Loading the child (tsx, the whole CLI) is not an input: the first wait is at least a minute.
      const arm = () => {
        clearTimeout(timer);
        const wait = last === undefined ? Math.max(60, opts.hangSeconds) : opts.hangSeconds;
        timer = setTimeout(() => {
          c.kill('SIGKILL');
          settle({ failure: last && { kind: 'hang', reason: `no answer for ${wait} s`, seed, input: last } });
        }, wait * 1000);
      };
      arm();
      c.on('message', (m: FromChild) => {
        arm();
        if (m.kind === 'input') {
          last = m.input;
          runs++;
          byTarget[m.input.target] = (byTarget[m.input.target] ?? 0) + 1;
          if (Date.now() - lastReport > 10_000) {
            lastReport = Date.now();
            const s = (lastReport - t0) / 1000;
            console.log(`  ${Math.round(s)} s: ${runs} inputs, ${Math.round(runs / s)} inputs/s, ${failures.length} failures`);
          }
        } else settle(m.failure ? { failure: { kind: 'failure', reason: m.failure.reason, seed, input: m.failure.input } } : {});
      });
      c.on('exit', (code, signal) => settle({ failure: last && { kind: 'crash', reason: `the child ended (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`, seed, input: last } }));
    });
    if (ended.failure) {
      failures.push(ended.failure);
      mkdirSync(opts.out, { recursive: true });
      const file = join(opts.out, `${ended.failure.kind}-${ended.failure.input.target}-seed${seed}.json`);
      writeFileSync(file, JSON.stringify(ended.failure, null, 2) + '\n');
      console.log(`  ${ended.failure.kind}: ${ended.failure.reason}\n    written to ${file} (npm run fuzz -- --replay ${file})`);
    }
    seed++;
  }
  const secs = (Date.now() - t0) / 1000;
  console.log(`${runs} inputs in ${secs.toFixed(0)} s: ${Math.round(runs / secs)} inputs/s; ${failures.length} failures`);
  for (const [t, n] of Object.entries(byTarget).sort()) console.log(`  ${t.padEnd(18)} ${n}`);
  return failures.length > 0 ? 1 : 0;
}

async function replayOne(file: string): Promise<number> {
  const f = JSON.parse(readFileSync(file, 'utf8')) as Failure;
  console.log(`patchlab ${f.input.argv.map((a) => JSON.stringify(a)).join(' ')}   (${f.kind}: ${f.reason})`);
  for (const [name, body] of Object.entries(f.input.files)) console.log(`--- ${name}\n${typeof body === 'string' ? body : body.map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
  const o = await runInput(f.input);
  console.log(`--- exit ${o.status}\n${o.out}${o.err}${o.thrown ?? ''}`);
  const bad = judge(o);
  console.log(bad ? `still fails: ${bad}` : 'passes now');
  return bad ? 1 : 0;
}

if (process.argv[2] === '--child') await child(Number(process.argv[3]), Number(process.argv[4]));
else {
  const p = new Command('fuzz')
    .description('feed patchlab generated and mutated inputs; every one must end in a verdict, incomplete or a file:line:col diagnostic')
    .option('--minutes <n>', 'how long to run', (v) => Number(v), 1)
    .option('--seed <n>', 'the first seed (each restarted child takes the next)', (v) => Number(v), 1)
    .option('--out <dir>', 'where failures are written', 'fuzz-failures')
    .option('--hang-seconds <n>', 'an input that takes longer is a hang', (v) => Number(v), 30)
    .option('--replay <file>', 'run one written failure again');
  p.parse(process.argv.slice(2), { from: 'user' });
  const o = p.opts<{ minutes: number; seed: number; out: string; hangSeconds: number; replay?: string }>();
  process.exitCode = o.replay ? await replayOne(o.replay) : await parent(o);
}
