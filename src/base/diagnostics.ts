// Every message a user can see, in one table with stable codes; and the Diagnostic value that carries one.

/**
 * Codes by range: PL1xxx assembler front end (lines, directives, expressions, symbols);
 * PL2xxx instruction operands, common to every arch; PL3xxx x86-64; PL4xxx arm64; PL5xxx ppc;
 * PL6xxx command line; PL7xxx scenario language; PL8xxx patching protocols. `{0}`, `{1}` … are replaced by the arguments.
 */
export const messages = {
  // --- assembler front end
  PL1001: 'unknown directive `{0}`',
  PL1002: 'unexpected `{0}`',
  PL1003: 'expected {0}, found `{1}`',
  PL1004: 'symbol `{0}` is already defined',
  PL1005: 'undefined symbol `{0}` in an expression that must be constant',
  PL1006: 'local label `{0}` has no definition {1}',
  PL1007: 'value {0} does not fit in {1} bytes',
  PL1008: 'alignment {0} is not a power of two',
  PL1009: 'expression is not constant',
  PL1010: 'division by zero',
  PL1011: 'unterminated string',
  PL1012: 'unterminated comment',
  PL1013: '`.popsection` without `.pushsection`',
  PL1014: 'invalid number `{0}`',
  PL1015: 'relocation operator `{0}` is not supported on {1}',
  PL1016: 'a relocation operator is not allowed here',
  PL1017: 'expression cannot be relocated: {0}',
  PL1018: 'layout did not converge after {0} passes',
  PL1019: 'unexpected character `{0}`',
  PL1020: 'symbol `{0}` is not defined',
  PL1021: 'a symbol cannot be defined in terms of itself: `{0}`',
  PL1022: 'invalid section flags `{0}`',
  PL1023: 'data directive in a section of no bytes',
  PL1024: '`.localentry` of `{0}` must be 0, 1, 4, 8, 16, 32 or 64, not {1}',
  PL1025: 'expression nested more than {0} levels deep (parentheses and operators)',
  PL1026: '`.option pop` without an `.option push` before it',
  // --- litmus tests (PL116x)
  PL1160: 'not a litmus test as herd7 reads it: {0}',
  PL1161: 'cannot assemble `{0}`: {1}',
  PL1162: 'cannot set `{0}` in the initial state: a register of a thread (`1:X2=0`, `0:X1=P1:L0`, `0:X0=NOP`) or a location (`[x]=1`, `x=1`), with an optional type (`ins_t *x`, `void *1:X1`)',
  PL1163: 'the condition: {0}',
  PL1165: 'the value in `{0}`: {1}',
  PL1166: 'page-table entry `{0}` is not supported: {1}',
  // PL1164 (fault handlers) and PL1167 (`fault(…)` atoms) refused what the runner now takes: retired.
  PL1170: 'fault handler column `{0}`: {1}',
  PL1171: 'the fault atom `{0}`: {1}',
  // --- instruction operands, every arch
  PL2001: 'unknown mnemonic `{0}`',
  PL2002: '`{0}` takes {1} operand(s), found {2}',
  PL2003: 'invalid operand for `{0}`: {1}',
  PL2004: 'unknown register `{0}`',
  PL2005: 'immediate {0} is out of range {1}',
  PL2006: 'branch target out of range: displacement {0} not within {1}',
  PL2007: 'branch target {0} is not aligned to {1} bytes',
  PL2008: 'displacement {0} is out of range {1}',
  PL2009: 'offset {0} must be a multiple of {1}',
  PL2010: 'operand size mismatch: {0}',
  PL2011: 'invalid condition `{0}`',
  PL2012: 'invalid shift or extend `{0}`',
  PL2013: 'invalid option `{0}` for `{1}`',
  PL2014: 'invalid memory operand: {0}',
  PL2015: 'instruction is not valid in {0} mode',
  PL2016: 'register `{0}` is not allowed here: {1}',
  PL2017: 'cannot encode: {0}',
  // --- x86-64
  PL3001: 'invalid prefix `{0}`',
  PL3002: 'invalid scale {0}: must be 1, 2, 4 or 8',
  PL3003: 'ambiguous operand size for `{0}`: add a suffix (b, w, l, q)',
  // --- arm64
  PL4001: 'invalid barrier option `{0}`',
  PL4002: 'immediate {0} cannot be encoded as a logical (bitmask) immediate',
  PL4003: 'immediate {0} cannot be moved by a single instruction (movz, movn or orr)',
  // --- ppc
  PL5001: 'invalid condition register field `{0}`',
  // --- command line
  PL6001: 'unknown architecture `{0}`: expected one of {1}',
  PL6002: 'cannot read `{0}`: {1}',
  PL6003: 'invalid hex byte `{0}`',
  PL6004: 'invalid number `{0}` for {1}',
  PL6005: 'no input: give a file, `-`, or bytes',
  PL6006: 'invalid value `{0}` for {1}: expected one of {2}',
  PL6007: 'empty file name: give a path, or `-` for standard input',
  PL6008: 'invalid command line: {0}',
  PL6009: 'internal error ({0}): a bug in patchlab; please report it with this command line and its input files',
  // --- command line: check, run, replay, cost (PL61xx)
  PL6101: 'invalid bound `{0}`: expected NAME=N with NAME one of {1}',
  PL6102: 'bound `{0}` must be {1}, not {2}',
  PL6103: 'unknown knob `{0}`: expected one of {1}',
  PL6104: 'invalid trace `{0}`: {1}',
  PL6105: 'the trace does not fit the scenario: {0}',
  PL6106: 'the trace was recorded for scenario `{0}`, not `{1}`',
  PL6107: 'cannot write `{0}`: {1}',
  PL6108: 'a worker stopped without a result: {0}',
  PL6109: '--trace-out `{0}` is the scenario file `{1}`: it would be overwritten',
  PL6110: '--workers {0} is more than {1}, the most this checker runs',
  PL6111: '`{0}` names no scenario file (it was written by an older patchlab, or from standard input): give the scenario file before it',
  PL6140: '--max-memory {0} is less than {1} MiB, the least a check runs in ({2})',
  PL6141: 'the code grows past {0} bytes here, more than a check can hold within its --max-memory: give it more, or the code less',
  // --- command line: check over many files (PL620x)
  PL6200: 'invalid knob setting `{0}`: expected NAME, NAME=on or NAME=off',
  PL6201: 'no scenario files (*.scn) in directory `{0}`',
  PL6202: '`{0}` takes one scenario file; {1} given',
  // --- scenario language (PL7xxx)
  PL7001: 'unknown statement `{0}` in {1}',
  PL7002: 'missing `end` for `{0}` opened at line {1}',
  PL7003: 'unknown architecture `{0}`: expected one of {1}',
  PL7004: 'unknown knob `{0}`: expected one of {1}',
  PL7005: 'unknown violation kind `{0}`: expected one of {1}',
  PL7006: 'expected {0}, found `{1}`',
  PL7007: 'invalid number `{0}`',
  PL7008: '{0} `{1}` is already declared',
  PL7009: 'unknown symbol `{0}`',
  PL7010: 'unknown key `{0}`',
  PL7011: 'unknown group `{0}`',
  PL7012: 'static call back end `{0}` does not exist for {1}: expected one of {2}',
  PL7013: 'missing `{0}` line: {1}',
  PL7014: '`{0}` is a {1} primitive; this scenario is {2}',
  PL7015: 'unknown bound `{0}`: expected one of {1}',
  PL7016: 'unterminated string',
  PL7017: 'unexpected character `{0}`',
  PL7018: '`end` without an open block',
  PL7019: 'invalid store width {0}: expected 1 to 64 bytes',
  PL7020: 'value {0} does not fit in {1} bytes',
  PL7021: 'cannot assemble `{0}` at {1}: {2}',
  PL7022: '`{0}` cannot be done here: {1}',
  PL7023: 'link error in section `{0}` at offset {1}: {2}',
  PL7024: 'the patching layer does not provide `{0}` yet',
  PL7025: 'key `{0}` is not a static call: change it with `update {0} -> TARGET … end`',
  PL7026: '`{0}` is not allowed {1}',
  PL7027: '{0} must be {1}, found {2}',
  PL7028: '`{0}` appears more than once',
  PL7029: 'key `{0}` is already in group `{1}`',
  PL7030: 'invalid handler `{0}`: expected {1}',
  PL7031: 'unexpected `{0}` after the statement',
  PL7032: 'address {0} is not inside any section',
  PL7033: '`{0}` is an instruction of {1} bytes; `{2}` writes one 4-byte word',
  PL7034: 'unknown module `{0}`',
  PL7035: 'section `{0}` is already in module `{1}`',
  PL7036: '`{0} {1}` is out of order: {2}',
  PL7037: '`{0}` needs {1}',
  PL7038: 'this step writes {0} byte(s) at {1}, past the end of `{2}` ({3}): a longer instruction than the code it replaces (a `jmp` assembled short?)',
  PL7039: 'expression nested more than {0} levels deep (parentheses and operators)',
  PL7040: '`{0}` nested more than {1} blocks deep',
  PL7041: 'section `{0}` ({1}..{2}) overlaps section `{3}` ({4}..{5})',
  PL7043: '`{0}` is not allowed here: only the first patcher boots (the others start once boot is over)',
  PL7045: '`{0} {1}`: module {1}\'s statements are in patcher {2} already; with several patchers all of one module\'s statements must be in one patcher, whose order says when it is loaded, its init freed and unloaded',
  PL7042: 'this step writes {0} byte(s) at {1}, ending {2} byte(s) into `{3}` at {4} in `{5}`, an instruction it does not replace whole: a longer instruction than the code it replaces (a `jmp` assembled short?)',
  // --- scenario language: static keys and jump labels (PL7100–PL7149)
  PL7100: 'key `{0}` is not a static key: {1}',
  PL7101: 'key `{0}` is a static key: {1}',
  PL7102: 'a `__jump_table` entry refers to key {0}, but {1}: the entry is `.long SITE - ., TARGET - .` then `.quad KEY + BRANCH - .` (`.long` on ppc32) of a `static_key`',
  PL7103: 'the `__jump_table` entry of `{0}` names site {1}, outside every section',
  PL7104: 'the static_branch site of `{0}` at {1} holds {2}: expected {3}',
  PL7105: 'the static_branch site of `{0}` at {1} is a {2}, but `{0}` starts {3} and the entry\'s branch bit is {4}: the site must start as a {5} (it jumps exactly when the key differs from the branch bit)',
  PL7106: 'the static_branch site of `{0}` at {1} jumps to the instruction after it: its two directions cannot be told apart',
  PL7107: '`__jump_table` is {0} bytes, not a whole number of {1}-byte entries',
  PL7108: 'a second `__jump_table` entry names the site at {0}',
  PL7109: '`skip_sync` is not allowed on {0}: {1}',
  // --- scenario language: cache maintenance, barriers and wide stores (PL715x)
  PL7150: '`{0}` needs an address aligned to {1} bytes, not {2}',
  PL7151: '`flush_icache_range` needs START below END, found {0}, {1}',
  PL7152: '`flush_icache_range` over {0} cache lines of {1} bytes: at most {2} (one step per line)',
  // --- scenario language: breakpoints as state (PL7200–PL7249)
  PL7200: '`{0}` arms the breakpoint handler at {1}, which {2} armed and nothing has disarmed since',
  PL7201: '`bp_disarm` of {0}: no breakpoint handler is armed there (a protocol such as `text_poke_bp` disarms its own sites)',
  PL7202: '`handler={0}` is x86-64 only; on {1} the breakpoint handler can `emulate`, `detour:SYM` or `wait-and-reexecute`',
  PL7203: '`nmi_sync` belongs to `handler=wait-and-reexecute`',
  // --- patching protocols and static call back ends (PL8xxx)
} as const satisfies Record<string, string>;

export type MessageCode = keyof typeof messages;

/** Where in the user's input a diagnostic points: 1-based line and column. */
export interface SourceSpan {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface Diagnostic {
  readonly code: MessageCode;
  readonly message: string;
  readonly span: SourceSpan;
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * User text a message quotes with its control characters (C0, DEL, C1) spelled as escapes: a string from a
 * scenario (`"\n"`, NUL, ESC) must not reach the terminal raw, nor break the one-line shape of a diagnostic.
 */
function escapeControls(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => NAMED_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function makeDiagnostic(code: MessageCode, span: SourceSpan, ...args: (string | number | bigint)[]): Diagnostic {
  const message = messages[code].replace(/\{(\d+)\}/g, (_, i: string) => escapeControls(String(args[Number(i)] ?? '')));
  return { code, message, span };
}

/** `file:line:col: error PL2001: message`, the shape editors and CI annotators parse. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${escapeControls(d.span.file)}:${d.span.line}:${d.span.col}: error ${d.code}: ${d.message}`;
}

/** Collects diagnostics; parsers report and keep going instead of throwing. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  report(code: MessageCode, span: SourceSpan, ...args: (string | number | bigint)[]): void {
    this.list.push(makeDiagnostic(code, span, ...args));
  }
  get count(): number {
    return this.list.length;
  }
}
