// What the fuzzer feeds `patchlab` (issue 12 item 3), as fast-check arbitraries of `FuzzInput`:
// 1. mutated examples: every shipped scenario, cut, duplicated, spliced with lines of other examples, with
//    numbers, bounds, knobs and bytes changed, through check / run / cost / replay with small limits;
// 2. scenarios made from the grammar's blocks: header lines, a code block, keys, a task and a patcher, each
//    filled with statements taken from the examples of the same arch (so most of them lower, and the kernel
//    sees worlds no example has);
// 3. assembler source: lines of the arch's words and punctuation, and mutated example sources;
// 4. `disasm` of random bytes, as arguments and as a raw file;
// 5. `replay` with tampered traces: action lists out of range, trace files with odd JSON and bounds;
// 6. option fuzzing: the commands with random options and values;
// 7. litmus tests mutated, and a check's other outputs (`--html`, `--format mail`, the catalogue).
// Limits (`--max-states`, `--steps`, `--max-steps`, `--max-memory`) keep each input to milliseconds; what
// they bound is itself under test (a limit that does not hold shows up as a slow input or runaway memory).

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { ARCH_NAMES, type ArchName } from '../../src/isa/types.js';
import type { FuzzInput } from './judge.js';

const ROOT = join(import.meta.dirname, '..', '..', 'examples');

interface Example {
  readonly path: string;
  readonly text: string;
  readonly arch: ArchName | undefined;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

function load(ext: string): Example[] {
  return walk(ROOT).filter((p) => p.endsWith(ext)).map((p) => {
    const text = readFileSync(p, 'utf8');
    const arch = /^arch\s+(\S+)/m.exec(text)?.[1] ?? /--arch\s+(\S+)/.exec(text)?.[1];
    return { path: relative(ROOT, p), text, arch: ARCH_NAMES.find((a) => a === arch) };
  });
}

const SCENARIOS = load('.scn');
const SOURCES = load('.s');
/** Litmus tests of our own (tests/fixtures/litmus): the seeds of the litmus mutations. */
const LITMUS = walk(join(ROOT, '..', 'tests', 'fixtures', 'litmus')).filter((p) => p.endsWith('.litmus')).map((p) => readFileSync(p, 'utf8'));

/** A scenario cut into the grammar's blocks: what comes before the tasks, each task's head and statements, the patcher's. */
interface Parts {
  readonly arch: ArchName;
  /** Header, code block and keys: kept whole, since they define the symbols the statements name. */
  readonly prelude: string[];
  readonly tasks: { readonly head: string; readonly body: string[] }[];
  readonly patcher: string[];
}

/** Statements that open a block: the generator makes blocks itself, so that every one is closed. */
const OPENS = /^(repeat|critical|boot|update|stop_machine|text_poke_bp_batch|text_poke_late|task|nmi|irq|patcher|code)\b/;

function partsOf(ex: Example): Parts | undefined {
  if (ex.arch === undefined) return undefined;
  const prelude: string[] = [], tasks: Parts['tasks'] = [], patcher: string[] = [];
  let where: 'prelude' | 'code' | 'task' | 'patcher' = 'prelude';
  for (const raw of ex.text.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trimEnd();
    const t = line.trim();
    if (t === '') continue;
    // A block ends at an `end` in column 1; nested blocks (`repeat`, `update`, …) indent theirs.
    const closes = t === 'end' && !/^\s/.test(raw);
    if (where === 'prelude' || where === 'code') {
      if (where === 'prelude' && /^(task|nmi|irq)\b/.test(t)) { tasks.push({ head: t, body: [] }); where = 'task'; }
      else if (where === 'prelude' && t === 'patcher') where = 'patcher';
      else {
        prelude.push(raw);
        if (t === 'code') where = 'code';
        else if (closes) where = 'prelude';
      }
    } else if (closes) where = 'prelude';
    else if (!OPENS.test(t) && t !== 'end') (where === 'task' ? tasks[tasks.length - 1].body : patcher).push(t);
  }
  return { arch: ex.arch, prelude, tasks, patcher };
}

const PARTS = SCENARIOS.map(partsOf).filter((p): p is Parts => p !== undefined && p.tasks.length > 0);
/** Every task and patcher statement of the examples of one arch. */
const POOLS: ReadonlyMap<ArchName, { task: string[]; patcher: string[] }> = new Map(ARCH_NAMES.map((a) => {
  const own = PARTS.filter((p) => p.arch === a);
  return [a, { task: own.flatMap((p) => p.tasks.flatMap((t) => t.body)), patcher: own.flatMap((p) => p.patcher) }];
}));

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

/** One edit of a text's lines; `donor` lines come from another example. */
const lineEdit = fc.oneof(
  fc.record({ kind: fc.constant('drop'), at: fc.nat() }),
  fc.record({ kind: fc.constant('dup'), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap'), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('donor'), at: fc.nat(), from: fc.nat(), line: fc.nat() }),
  fc.record({ kind: fc.constant('number'), at: fc.nat(), value: fc.constantFrom('0', '1', '2', '3', '7', '31', '32', '33', '63', '64', '65', '4096', '0x7fffffff', '0xffffffffffffffff', '-1', '99999999999') }),
  fc.record({ kind: fc.constant('token'), at: fc.nat(), token: fc.constantFrom('end', 'repeat 3', 'stop_machine', 'boot', 'update sc -> NULL', '"', '\\', '(', ')', ',', '@ha', ':lo12:', '.', '$', '%rax', 'x0', 'r3', '1b', '2f', '#', 'visible=eventually', 'key=sc', 'expect=0') }),
  fc.record({ kind: fc.constant('truncate'), at: fc.nat(), col: fc.nat() }),
  fc.record({ kind: fc.constant('char'), at: fc.nat(), col: fc.nat(), char: fc.constantFrom('\0', '\t', '\r', '\u00e9', '\ufffd', ' ', '=', '-', '+', '*', ';') }),
  fc.record({ kind: fc.constant('header'), line: fc.constantFrom('bounds cpus=3 preemptions=1', 'bounds cpus=2 nmis=1 interrupts=1', 'bounds cpus=33', 'bounds cpus=65', 'bounds cpus=2 preemptions=2', 'knobs strictFetch', 'knobs power.wordAtomicFetch x86.alignedAtomicFetch', 'knobs nonsense', 'expect safe', 'expect unsafe livelock', 'arch arm64', 'arch x86-64') }),
);
type LineEdit = typeof lineEdit extends fc.Arbitrary<infer E> ? E : never;

function applyEdits(text: string, edits: readonly LineEdit[]): string {
  let lines = text.split('\n');
  for (const e of edits) {
    const at = 'at' in e ? e.at % Math.max(1, lines.length) : 0;
    switch (e.kind) {
      case 'drop': lines.splice(at, 1); break;
      case 'dup': lines.splice(at, 0, lines[at] ?? ''); break;
      case 'swap': {
        const to = e.to % Math.max(1, lines.length);
        [lines[at], lines[to]] = [lines[to], lines[at]];
        break;
      }
      case 'donor': {
        const donor = SCENARIOS[e.from % SCENARIOS.length].text.split('\n');
        lines.splice(at, 0, donor[e.line % donor.length]);
        break;
      }
      case 'number': lines[at] = (lines[at] ?? '').replace(/\b(0x[0-9a-f]+|\d+)\b/i, e.value); break;
      case 'token': {
        const l = lines[at] ?? '';
        const words = l.split(/(\s+)/);
        words.splice(Math.floor(words.length / 2), 0, ` ${e.token} `);
        lines[at] = words.join('');
        break;
      }
      case 'truncate': lines = [...lines.slice(0, at), (lines[at] ?? '').slice(0, e.col % 40)]; break;
      case 'char': {
        const l = lines[at] ?? '';
        const c = e.col % (l.length + 1);
        lines[at] = l.slice(0, c) + e.char + l.slice(c + 1);
        break;
      }
      case 'header': {
        const head = new RegExp(`^${e.line.split(' ')[0]}\\b`);
        const i = lines.findIndex((l) => head.test(l));
        if (i >= 0) lines[i] = e.line;
        else lines.splice(1, 0, e.line);
        break;
      }
    }
  }
  return lines.join('\n');
}

/** A scenario command with its limits; the scenario is `s.scn`. */
const scenarioCommand: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(20, 100, 300), fc.boolean(), fc.boolean()).map(([n, json, mem]) => ['check', 's.scn', '--max-states', String(n), '--no-timing', ...(json ? ['--json'] : []), ...(mem ? ['--max-memory', '144'] : [])]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('--no-por', '--no-symmetry', '--no-collapse', '--no-livelock'), fc.constantFrom(50, 200)).map(([o, n]) => ['check', 's.scn', o, '--max-states', String(n), '--no-timing']) },
  { weight: 2, arbitrary: fc.tuple(fc.nat({ max: 1000 }), fc.boolean()).map(([seed, trace]) => ['run', 's.scn', '--seed', String(seed), '--steps', '3000', ...(trace ? ['--trace'] : [])]) },
  { weight: 1, arbitrary: fc.constant<string[]>(['cost', 's.scn', '--max-steps', '3000']) },
  { weight: 1, arbitrary: fc.array(fc.nat({ max: 6 }), { maxLength: 40 }).map((t) => ['replay', 's.scn', t.join(',') || '0']) },
);

/** 1. A shipped scenario, mutated. */
export const mutatedScenario: fc.Arbitrary<FuzzInput> = fc
  .tuple(fc.nat({ max: SCENARIOS.length - 1 }), fc.oneof({ weight: 3, arbitrary: fc.array(lineEdit, { minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: fc.array(lineEdit, { minLength: 2, maxLength: 4 }) }), scenarioCommand)
  .map(([i, edits, argv]) => ({ target: 'mutated-scenario', argv, files: { 's.scn': applyEdits(SCENARIOS[i].text, edits) } }));

/** Statements for a block: mostly the base example's own, some from other examples of its arch, some wrapped in a block. */
function statements(own: readonly string[], pool: readonly string[], wrap: readonly string[]): fc.Arbitrary<string[]> {
  const one = fc.oneof({ weight: 4, arbitrary: pick(own.length > 0 ? own : pool) }, { weight: 1, arbitrary: pick(pool.length > 0 ? pool : own) });
  const item = fc.oneof(
    { weight: 6, arbitrary: one.map((l) => [l]) },
    { weight: 1, arbitrary: fc.tuple(pick(wrap), fc.array(one, { minLength: 1, maxLength: 3 })).map(([w, ls]) => [w, ...ls, 'end']) },
  );
  return fc.array(item, { minLength: 0, maxLength: 6 }).map((xs) => xs.flat());
}

/** 2. A shipped scenario's code and keys, with task and patcher programs made anew from the grammar's statements. */
export const grammarScenario: fc.Arbitrary<FuzzInput> = fc.constantFrom(...PARTS).chain((base) => {
  const pool = POOLS.get(base.arch)!;
  const emptyOk = (xs: readonly string[], none: string) => (xs.length > 0 ? xs : [none]);
  return fc.record({
    bounds: pick(['bounds cpus=2', 'bounds cpus=2 preemptions=1', 'bounds cpus=3 interrupts=1', 'bounds cpus=2 nmis=1', 'bounds cpus=4 preemptions=2']),
    tasks: fc.tuple(...base.tasks.map((t) => statements(emptyOk(t.body, 'preempt_disable'), emptyOk(pool.task, 'preempt_disable'), ['repeat 2', 'repeat 3']).map((body) => [t.head, ...body, 'end']))),
    patcher: statements(emptyOk(base.patcher, 'sync_core'), emptyOk(pool.patcher, 'sync_core'), ['stop_machine']),
    argv: scenarioCommand,
  }).map((r) => ({
    target: 'grammar-scenario',
    argv: r.argv,
    files: {
      's.scn': [
        ...base.prelude.map((l) => (/^bounds\b/.test(l) ? r.bounds : l)),
        ...r.tasks.flat(), 'patcher', ...r.patcher, 'end', '',
      ].join('\n'),
    },
  }));
});

const ASM_WORDS: Readonly<Record<ArchName, string[]>> = {
  'x86-64': ['jmp', 'call', 'mov', 'movq', 'lea', 'nopl', 'ret', 'int3', 'push', 'pop', 'add', 'cmp', 'je', 'jne', '%rax', '%eax', '%r12', '%rip', '%rsp', '$0x10', '$-1', '*%rax', '0x8(%rbp)', '(,%rax,8)'],
  arm64: ['b', 'bl', 'b.eq', 'cbz', 'tbz', 'br', 'ret', 'nop', 'dsb', 'ish', 'dc', 'cvau', 'ic', 'ivau', 'ldr', 'str', 'ldp', 'stp', 'adrp', 'add', 'movk', 'x0', 'w1', 'x16', 'sp', 'xzr', '#1', '#0x1000'],
  ppc32: ['b', 'bl', 'bc', 'beq', 'bdnz', 'blr', 'bctr', 'mtctr', 'mflr', 'li', 'lis', 'addi', 'ori', 'nop', 'lwz', 'stwu', 'sync', 'isync', 'r0', 'r12', 'r32', 'cr7', '8(r1)'],
  riscv64: ['j', 'jal', 'jalr', 'jr', 'ret', 'call', 'tail', 'beqz', 'bne', 'li', 'la', 'lla', 'mv', 'addi', 'lui', 'auipc', 'ld', 'sd',
    'fence', 'fence.i', 'csrr', 'amoadd.w.aqrl', 'a0', 't0', 'sp', 'zero', 'x31', 'x32', 'sstatus', '%hi(x)', '%lo(x)', '8(sp)', '(a0)', 'rw'],
  ppc64: ['b', 'bl', 'blr', 'bctrl', 'mtctr', 'ld', 'std', 'addis', 'addi', 'nop', 'r2', 'r12', '.localentry', '@toc@ha', '@toc@l', '.TOC.'],
};
const ASM_COMMON = ['.text', '.data', '.section', '.pushsection', '.popsection', '.align', '.p2align', '.byte', '.short', '.long', '.quad', '.globl', '.type', '.size', '.set', '.ascii', '.skip', 'foo', 'foo:', '1:', '1b', '1f', '.', ',', '(', ')', '+', '-', '<<', '"s"', '0x', '-1', '65536', '/*', ';'];

/** 3. Assembler source: word salad of the arch, or an example source mutated. */
export const assemblerSource: fc.Arbitrary<FuzzInput> = fc.constantFrom(...ARCH_NAMES).chain((arch) => {
  const word = fc.oneof({ weight: 6, arbitrary: pick([...ASM_WORDS[arch], ...ASM_COMMON]) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) });
  const line = fc.array(word, { minLength: 1, maxLength: 7 }).chain((ws) => pick([' ', ',', '']).map((sep) => ws.join(sep)));
  const own = SOURCES.filter((s) => s.arch === arch);
  const text = fc.oneof(
    fc.array(line, { minLength: 1, maxLength: 12 }).map((ls) => ls.join('\n')),
    ...(own.length > 0 ? [fc.tuple(pick(own), fc.array(lineEdit, { minLength: 1, maxLength: 3 })).map(([s, e]) => applyEdits(s.text, e))] : []),
  );
  const cmd = pick([['asm', '--arch', arch, 'a.s'], ['asm', '--arch', arch, '--format', 'listing', 'a.s'], ['exec', '--arch', arch, 'a.s', '--max-steps', '2000'], ['exec', '--arch', arch, 'a.s', '--entry', 'func_a', '--arg', '3', '--max-steps', '2000', '--json']]);
  return fc.tuple(text, cmd).map(([t, argv]) => ({ target: 'assembler', argv, files: { 'a.s': t } }));
});

/** 4. Random bytes to disassemble. */
export const disasmBytes: fc.Arbitrary<FuzzInput> = fc.tuple(pick(ARCH_NAMES), fc.array(fc.nat({ max: 255 }), { minLength: 0, maxLength: 48 }), fc.boolean(), fc.constantFrom('0', '0x1000', '0xfffffffffffffff0', '3'))
  .map(([arch, bytes, asFile, address]) => ({
    target: 'disasm',
    argv: asFile ? ['disasm', '--arch', arch, '--address', address, '--file', 'b.bin'] : ['disasm', '--arch', arch, '--address', address, ...bytes.map((b) => b.toString(16).padStart(2, '0'))],
    files: { 'b.bin': bytes },
  }));

const jsonValue = fc.oneof(fc.integer({ min: -2, max: 1 << 20 }), fc.string({ maxLength: 8 }), fc.constant(null), fc.boolean(), fc.constant(1e308), fc.array(fc.nat({ max: 9 }), { maxLength: 4 }));

/** 5. A trace file for a shipped scenario, tampered with. */
export const tamperedTrace: fc.Arbitrary<FuzzInput> = fc.tuple(
  fc.nat({ max: SCENARIOS.length - 1 }),
  fc.array(fc.oneof({ weight: 30, arbitrary: fc.nat({ max: 1 }) }, { weight: 5, arbitrary: fc.nat({ max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1e9, 0.5, 7) }), { maxLength: 60 }),
  fc.record({
    schema: fc.constantFrom('patchlab.trace/1', 'patchlab.trace/1', 'patchlab.trace/9', undefined),
    scenario: fc.oneof({ weight: 3, arbitrary: fc.constant<string | undefined>(undefined) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }),
    bounds: fc.option(fc.dictionary(fc.constantFrom('cpus', 'interrupts', 'preemptions', 'nmis', 'calls', 'bogus'), fc.oneof({ weight: 3, arbitrary: fc.nat({ max: 3 }) }, { weight: 1, arbitrary: jsonValue }), { maxKeys: 2 }), { nil: undefined, freq: 2 }),
    knobs: fc.option(fc.array(fc.constantFrom('strictFetch', 'power.wordAtomicFetch', 'x86.alignedAtomicFetch', 'strictFetch', 'nope', ''), { maxLength: 2 }), { nil: undefined, freq: 3 }),
  }),
  fc.constantFrom('json', 'json', 'json', 'garbage', 'truncated'),
).map(([i, trace, extra, form]) => {
  // Without a name the trace fits any scenario; with one, mostly the scenario's own.
  const name = extra.scenario === undefined ? undefined : trace.length % 2 === 0 ? /^scenario\s+(\S+)/m.exec(SCENARIOS[i].text)?.[1] : extra.scenario;
  const doc = JSON.stringify({ ...extra, scenario: name, trace });
  const text = form === 'json' ? doc : form === 'garbage' ? doc.replace(/[[\]]/g, '') : doc.slice(0, Math.floor(doc.length / 2));
  return { target: 'replay', argv: ['replay', 's.scn', 't.json'], files: { 's.scn': SCENARIOS[i].text, 't.json': text } };
});

/** 6. Commands with random options and values. */
export const randomOptions: fc.Arbitrary<FuzzInput> = fc.tuple(
  pick(['check', 'replay', 'run', 'cost', 'asm', 'disasm', 'exec', 'litmus', 'view', 'bogus', '']),
  fc.array(fc.oneof(
    pick(['--bound', '--knob', '--max-states', '--max-memory', '--workers', '--seed', '--steps', '--arch', '--format', '--json', '--trace-out', '--address', '--entry', '--arg', '--max-steps', '--help', '-', '--']),
    pick(['cpus=2', 'cpus=99999', 'nmis=-1', 'x=1', 'strictFetch', 'nope', '0', '-5', '1e3', '0x10', 'x86-64', 'arm64', 'hex', 'listing', 's.scn', 'missing.scn', '', ' ', '99999999999999999999']),
  ), { maxLength: 6 }),
).map(([cmd, rest]) => ({ target: 'options', argv: [cmd, ...rest.flatMap((r) => (r === '--workers' || r === '--trace-out' ? [] : [r]))], files: { 's.scn': SCENARIOS[0].text } }));

/** 7. Litmus tests mutated (lines and characters, as the scenarios), and the other outputs of a check: the trace page, the catalogue, mail. */
export const otherOutputs: fc.Arbitrary<FuzzInput> = fc.oneof(
  fc.tuple(fc.nat({ max: LITMUS.length - 1 }), fc.array(lineEdit, { minLength: 1, maxLength: 3 }), fc.boolean())
    .map(([i, edits, json]) => ({ target: 'litmus', argv: ['litmus', 't.litmus', ...(json ? ['--json'] : [])], files: { 't.litmus': applyEdits(LITMUS[i], edits) } })),
  fc.tuple(fc.nat({ max: SCENARIOS.length - 1 }), fc.array(lineEdit, { maxLength: 2 }), fc.constantFrom(['--html', '-'], ['--format', 'mail'], ['--catalogue'], ['--catalogue', '--json']))
    .map(([i, edits, opt]) => ({ target: 'check-outputs', argv: ['check', 's.scn', '--max-states', '100', '--no-timing', ...opt], files: { 's.scn': applyEdits(SCENARIOS[i].text, edits) } })),
);

/** Every target, weighted towards the scenarios: they reach the most code. */
export const anyInput: fc.Arbitrary<FuzzInput> = fc.oneof(
  { weight: 5, arbitrary: mutatedScenario },
  { weight: 3, arbitrary: grammarScenario },
  { weight: 3, arbitrary: assemblerSource },
  { weight: 2, arbitrary: disasmBytes },
  { weight: 2, arbitrary: tamperedTrace },
  { weight: 1, arbitrary: randomOptions },
  { weight: 2, arbitrary: otherOutputs },
);

export const TARGETS = { mutatedScenario, grammarScenario, assemblerSource, disasmBytes, tamperedTrace, randomOptions, otherOutputs } as const;
