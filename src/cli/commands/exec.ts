// `patchlab exec`: assemble a file, run one CPU from a label until that function returns, print the registers.

import { formatDiagnostic, makeDiagnostic } from '../../base/diagnostics.js';
import { assemble } from '../../isa/asm/assembler.js';
import { link } from '../../isa/asm/link.js';
import { isaFor } from '../../isa/registry.js';
import type { ArchName } from '../../isa/types.js';
import { defaultLayout } from '../../machine/load.js';
import { machineFor } from '../../machine/registry.js';
import { runFunction, type ExecResult } from '../../machine/run.js';
import { UsageError } from '../args.js';
import { EXIT, type Host } from '../host.js';
import { readInput } from '../input.js';

export interface ExecCliOptions {
  readonly arch: ArchName;
  readonly entry: string;
  readonly arg: readonly bigint[];
  readonly json: boolean;
  readonly maxSteps: number;
}

const hex64 = (v: bigint) => '0x' + BigInt.asUintN(64, v).toString(16);

function report(result: ExecResult, names: readonly string[], pcName: string, json: boolean): string {
  const registers: Record<string, string> = {};
  names.forEach((n, i) => (registers[n] = hex64(result.cpu.regs[i])));
  registers[pcName] = hex64(result.cpu.pc);
  const s = result.stop;
  const trap = s.kind === 'returned' || s.kind === 'max-steps' ? null
    : s.kind === 'trap' ? { kind: s.trap, address: hex64(s.address), bytes: s.bytes }
    : { kind: 'fault', address: hex64(s.address), pc: hex64(s.pc), reason: s.reason, bytes: s.bytes };
  if (json) return JSON.stringify({ registers, steps: result.steps, trap, stopped: s.kind }) + '\n';
  const lines = Object.entries(registers).map(([n, v]) => `${n.padEnd(6)} ${v}`);
  const cols: string[] = [];
  for (let i = 0; i < lines.length; i += 4) cols.push(lines.slice(i, i + 4).map((l) => l.padEnd(28)).join('').trimEnd());
  let tail = `steps  ${result.steps}\n`;
  if (s.kind === 'max-steps') tail += `stopped: no return after ${result.steps} steps (raise --max-steps)\n`;
  else if (s.kind === 'trap') tail += `trap: ${s.trap} at ${hex64(s.address)} (bytes ${s.bytes})\n`;
  else if (s.kind === 'fault') tail += `fault: ${s.reason} at ${hex64(s.address)}, pc ${hex64(s.pc)} (bytes ${s.bytes})\n`;
  return cols.join('\n') + '\n' + tail;
}

export function runExec(host: Host, opts: ExecCliOptions, file: string): number {
  const input = readInput(host, file);
  if (input === undefined) return EXIT.badInput;
  const isa = isaFor(opts.arch);
  const asm = assemble(input.text, isa, input.name);
  if (asm.diagnostics.length > 0) {
    for (const d of asm.diagnostics) host.err(formatDiagnostic(d) + '\n');
    return EXIT.badInput;
  }
  const { image, errors } = link(asm.object, isa, defaultLayout(asm.object));
  const span = { file: input.name, line: 1, col: 1 };
  if (errors.length > 0) {
    for (const e of errors) host.err(formatDiagnostic(makeDiagnostic('PL1017', span, `${e.section}+0x${e.offset.toString(16)}: ${e.message}`)) + '\n');
    return EXIT.badInput;
  }
  const entry = image.symbols.get(opts.entry);
  if (entry === undefined) {
    host.err(formatDiagnostic(makeDiagnostic('PL1020', span, opts.entry)) + '\n');
    return EXIT.badInput;
  }
  const machine = machineFor(opts.arch);
  const result = runFunction(machine, image, { entry, args: opts.arg, maxSteps: opts.maxSteps });
  host.out(report(result, machine.registers.names, machine.registers.pcName, opts.json));
  if (result.stop.kind === 'max-steps') {
    if (!opts.json) host.err(`patchlab: the program did not return within ${opts.maxSteps} steps\n`);
    return EXIT.incomplete;
  }
  return result.stop.kind === 'returned' ? EXIT.ok : EXIT.unsafe;
}

export function parseArg(v: string, prev: bigint[] = []): bigint[] {
  const t = v.trim().toLowerCase();
  const m = /^(-)?(0x[0-9a-f]+|[0-9]+)$/.exec(t);
  if (!m) throw new UsageError('PL6004', [v, '--arg'], v);
  const n = BigInt(m[2]) * (m[1] ? -1n : 1n);
  return [...prev, BigInt.asUintN(64, n)];
}
