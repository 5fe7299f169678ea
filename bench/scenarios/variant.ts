// A seed scenario under other bounds, for the SPIN comparison: `npx tsx bench/scenarios/variant.ts SEED
// TASKS CALLS PREEMPTIONS [OUT]` writes examples/seeds/SEED.scn with tasks T1..TASKS (one CPU each, plus
// the patcher's), each making the seed's first call CALLS times, and `preemptions=PREEMPTIONS`; same code,
// keys and patcher. The big rows' files in this directory were written by it; the smaller variants
// bench/README.md's calibration table names are made the same way, into a scratch directory.
// The matching Promela: bench/spin/<model>.pml -DTASKS=.. -DCALLS=.. -DPREEMPT=.. (bench/spin.ts).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MODELS: Readonly<Record<string, string>> = {
  'x86-ool-text-poke-bp': 'x86-ool-text-poke-bp.pml',
  'two-slot-rcu-tasks': 'two-slot-rcu-tasks.pml',
};

export function variant(seed: string, tasks: number, calls: number, preemptions: number): { name: string; text: string } {
  const file = join(import.meta.dirname, '..', '..', 'examples', 'seeds', `${seed}.scn`);
  const src = readFileSync(file, 'utf8');
  const name = `${seed}-t${tasks}c${calls}p${preemptions}`;
  // Drop the seed's header comment; keep everything from its `scenario` line on.
  let body = src.slice(src.search(/^scenario /m));
  body = body.replace(/^scenario \S+/m, `scenario ${name}`);
  body = body.replace(/^bounds .*$/m, `bounds cpus=${tasks + 1} interrupts=0 preemptions=${preemptions} nmis=0`);
  const task = /^task T1\n([\s\S]*?)^end\n/m.exec(body);
  if (!task) throw new Error(`${seed}.scn: no \`task T1 … end\``);
  const call = task[1].trim().split('\n')[0].trim();
  const names = Array.from({ length: tasks }, (_, i) => `T${i + 1}`).join(' ');
  const program = calls === 1 ? `    ${call}\n` : `    repeat ${calls}\n        ${call}\n    end\n`;
  body = body.slice(0, task.index) + `task ${names}\n${program}end\n` + body.slice(task.index + task[0].length);
  const s = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const head = [
    `# Not a row of SEED-SCENARIOS.md: examples/seeds/${seed}.scn under bigger bounds, for the SPIN`,
    `# comparison (bench/spin.ts, bench/README.md): ${s(tasks, 'task')} × ${s(calls, 'call')} each, ${s(preemptions, 'preemption')}`,
    '# over all CPUs, one CPU per task plus the patcher\'s. The same code, key and patcher as the seed;',
    `# only the tasks and the bounds differ. Written by bench/scenarios/variant.ts. SPIN's model of it:`,
    `# bench/spin/${MODELS[seed] ?? '?'} -DTASKS=${tasks} -DCALLS=${calls} -DPREEMPT=${preemptions}.`,
    `# Verdict: ${/^expect (.*)$/m.exec(body)?.[1] ?? '?'}.`,
    '',
    '',
  ].join('\n');
  return { name, text: head + body };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const [seed, t, c, p, out] = process.argv.slice(2);
  if (!seed || !t || !c || !p) {
    console.error('usage: npx tsx bench/scenarios/variant.ts SEED TASKS CALLS PREEMPTIONS [OUT.scn]');
    process.exit(2);
  }
  const v = variant(seed, Number(t), Number(c), Number(p));
  if (out) writeFileSync(out, v.text);
  else process.stdout.write(v.text);
}
