// The trace as a picture (`check --html`, `view`): one self-contained HTML page, no network, that shows a
// trace as a lane per CPU (the patcher's is CPU 0), each step with its instruction bytes and disassembly,
// what a fetch saw when it had a choice, the patcher's stores; beside it the state after the selected
// step (registers, open fetch windows, the kernel's state, the patched bytes) with what the step changed
// marked. Arrow keys (or j/k) step, Home/End jump, a click selects.
//
// Everything from the user's files (names, source text, messages) reaches the page as JSON data and is put
// into the document with `textContent` only: it is shown as text, never read as markup. The JSON sits in a
// <script type="application/json"> with every `<` escaped, so no string can close that element.

import type { KernelWorld } from '../kernel/world.js';
import type { WorldState } from '../kernel/state.js';
import { snapshotWorld, type StateSnapshot } from './state-snapshot.js';
import { describeWorldStep, laneNames, type TraceStep } from './world-model.js';

export interface TracePageInput {
  readonly name: string;
  readonly file: string;
  readonly arch: string;
  /** The report's first line (`unsafe: wrong-target — …`, `safe within bounds …`). */
  readonly headline: string;
  readonly bounds: string;
  readonly knobs: string;
  /** Action indices from the initial state; for a livelock, the trace then the loop. */
  readonly actions: readonly number[];
  /** For a livelock: where the loop's lead and cycle begin in `actions`. */
  readonly loop?: { readonly leadAt: number; readonly cycleAt: number };
}

export interface PatchedSite {
  readonly address: string;
  /** The site's bytes in each state (index 0: before the first step). */
  readonly bytes: readonly string[];
}

/** A step as the page shows it: an instruction also names the scenario line it was assembled from. */
export type PageStep = TraceStep & { readonly asmLine?: { readonly line: number; readonly text: string } };

export interface TracePageData {
  readonly schema: 'patchlab.trace-page/1';
  readonly input: Omit<TracePageInput, 'actions'>;
  readonly lanes: readonly string[];
  readonly steps: readonly PageStep[];
  /** states[k]: the state before step k (states[steps.length]: after the last). */
  readonly states: readonly StateSnapshot[];
  /** The step that reaches the violation (the last one), or -1. */
  readonly violationAt: number;
  readonly violation: string | null;
  readonly sites: readonly PatchedSite[];
}

/** Replay the actions and collect what the page shows. Throws on an action out of range (callers pass checked traces). */
export function tracePageData(world: KernelWorld, input: TracePageInput): TracePageData {
  let s: WorldState = world.initial();
  const steps: PageStep[] = [];
  const lines = new Map((world.spec.sourceLines ?? []).map((l) => [l.address, l]));
  const states: StateSnapshot[] = [snapshotWorld(world, s)];
  for (let i = 0; i < input.actions.length; i++) {
    const acts = world.actions(s);
    const a = acts[input.actions[i]];
    if (a === undefined) throw new RangeError(`trace page: step ${i + 1}: action ${input.actions[i]} out of range`);
    const step = describeWorldStep(world, s, a, i, input.actions[i]);
    // The line the instruction was assembled from, while its bytes are still the ones assembled (not patched).
    const at = step.insn ? lines.get(BigInt(step.insn.pc)) : undefined;
    steps.push(at && at.bytes === step.insn!.bytes ? { ...step, asmLine: { line: at.line, text: at.text } } : step);
    s = world.next(s, a);
    states.push(snapshotWorld(world, s));
  }
  const lanes = laneNames(world.spec);
  const { actions: _a, ...rest } = input;
  const violation = s.violation ? `${s.violation.kind}: ${s.violation.message}` : null;
  return { schema: 'patchlab.trace-page/1', input: rest, lanes, steps, states, violationAt: violation ? steps.length - 1 : -1, violation, sites: patchedSites(steps) };
}

/** Every address the patcher stored to, with its bytes before the first step and after each one. */
function patchedSites(steps: readonly PageStep[]): PatchedSite[] {
  const sites = new Map<string, string[]>();
  steps.forEach((st, k) => {
    if (!st.store) return;
    let bytes = sites.get(st.store.address);
    if (!bytes) {
      bytes = new Array<string>(steps.length + 1).fill(st.store.before);
      sites.set(st.store.address, bytes);
    }
    for (let j = k + 1; j <= steps.length; j++) bytes[j] = st.store.after;
  });
  return [...sites].map(([address, bytes]) => ({ address, bytes }));
}

/** The JSON of `data`, safe inside a <script> element: no `<` survives, so nothing can end the element. */
export function scriptJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function renderTracePage(data: TracePageData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>patchlab trace</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1 id="headline"></h1>
  <p id="meta"></p>
  <nav>
    <button id="first" title="first step (Home)">first</button>
    <button id="prev" title="previous step (↑ or k)">prev</button>
    <span id="position"></span>
    <button id="next" title="next step (↓ or j)">next</button>
    <button id="last" title="last step (End)">last</button>
  </nav>
</header>
<main>
  <section id="trace-pane"><table id="trace"><thead><tr id="lanes"></tr></thead><tbody id="steps"></tbody></table></section>
  <aside id="state-pane"><h2 id="state-title"></h2><div id="state"></div></aside>
</main>
<script id="data" type="application/json">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
body { font: 13px/1.35 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: 0; color: #1d1d1f; background: #fff; }
header { position: sticky; top: 0; background: #f5f5f7; border-bottom: 1px solid #ccc; padding: 6px 12px; z-index: 2; }
h1 { font-size: 15px; margin: 2px 0; }
h1.unsafe { color: #b00020; } h1.safe { color: #0a7d32; } h1.incomplete { color: #8a6d00; }
h2 { font-size: 13px; margin: 6px 0; }
#meta { margin: 2px 0 6px; color: #555; }
nav button { font: inherit; padding: 1px 8px; }
main { display: flex; align-items: flex-start; }
#trace-pane { flex: 3; overflow-x: auto; }
#state-pane { flex: 2; position: sticky; top: 90px; max-height: calc(100vh - 100px); overflow: auto; border-left: 1px solid #ccc; padding: 0 10px; }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; background: #eee; padding: 3px 6px; position: sticky; top: 0; }
td { vertical-align: top; padding: 3px 6px; border-bottom: 1px solid #eee; }
td.n { color: #888; text-align: right; width: 3em; }
tr.step { cursor: pointer; }
tr.step.selected { background: #fff4c2; }
tr.step.violation td { background: #ffd9de; }
tr.step.violation.selected td { background: #ffb3bd; }
tr.mark td { color: #555; font-style: italic; background: #fafafa; }
.insn { color: #0b4f9c; } .bytes { color: #777; } .fetch { color: #8a3ffc; } .store { color: #a15c00; } .src { color: #888; }
.who { font-weight: bold; }
table.kv td { padding: 1px 6px; border: none; }
.regs { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 0 10px; }
.regs span.name { color: #666; margin-right: 6px; }
details summary { cursor: pointer; font-weight: bold; margin: 6px 0; }
.changed { background: #ffe08a; }
.violation-text { color: #b00020; font-weight: bold; margin: 6px 0; }
`;

// The page's own code: plain DOM, text only (see the file's header).
const SCRIPT = `
'use strict';
const data = JSON.parse(document.getElementById('data').textContent);
const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
const n = data.steps.length;
let selected = -1;

$('headline').textContent = data.input.headline;
$('headline').className = data.input.headline.split(/[: ]/)[0];
document.title = 'patchlab: ' + data.input.name;
$('meta').textContent = data.input.name + ' (' + data.input.file + ', ' + data.input.arch + ') · bounds ' + data.input.bounds + ' · knobs ' + data.input.knobs;
const head = $('lanes');
head.appendChild(el('th', null, '#'));
for (const l of data.lanes) head.appendChild(el('th', null, l));

function cell(st) {
  const td = el('td');
  td.appendChild(el('div', 'who', st.who));
  if (st.insn) {
    const d = el('div');
    d.appendChild(el('span', null, st.insn.pc + ': '));
    d.appendChild(el('span', 'bytes', st.insn.bytes + '  '));
    d.appendChild(el('span', 'insn', st.insn.text));
    td.appendChild(d);
    if (st.asmLine) td.appendChild(el('div', 'src', 'line ' + st.asmLine.line + ': ' + st.asmLine.text));
  } else td.appendChild(el('div', null, st.patcherStep || st.text));
  if (st.fetch) td.appendChild(el('div', 'fetch', 'fetch saw ' + (st.fetch.chosen + 1) + ' of ' + st.fetch.options.length + ': ' + st.fetch.options.map((o, i) => i === st.fetch.chosen ? '[' + o + ']' : o).join(' | ')));
  if (st.store) td.appendChild(el('div', 'store', 'store ' + st.store.address + ': ' + st.store.before + ' -> ' + st.store.after + (st.store.afterInsn ? '  (' + (st.store.beforeInsn || '?') + ' -> ' + st.store.afterInsn + ')' : '')));
  if (st.source) td.appendChild(el('div', 'src', 'line ' + st.source.line + (st.source.text ? ': ' + st.source.text : ', col ' + st.source.col)));
  return td;
}

const rows = [];
const body = $('steps');
const mark = (text) => { const tr = el('tr', 'mark'); const td = el('td', null, text); td.colSpan = data.lanes.length + 1; tr.appendChild(td); body.appendChild(tr); };
data.steps.forEach((st, k) => {
  const loop = data.input.loop;
  if (loop && k === loop.leadAt && loop.leadAt < loop.cycleAt) mark('from here no execution can finish; on to the loop:');
  if (loop && k === loop.cycleAt) mark('loop: the steps below come back to the state before the first of them, forever:');
  const tr = el('tr', 'step' + (k === data.violationAt ? ' violation' : ''));
  tr.dataset.index = String(k);
  tr.appendChild(el('td', 'n', String(k + 1)));
  for (let c = 0; c < data.lanes.length; c++) tr.appendChild(c === st.column ? cell(st) : el('td'));
  tr.addEventListener('click', () => select(k));
  body.appendChild(tr);
  rows.push(tr);
});

function kvTable(pairs, before) {
  const t = el('table', 'kv');
  const old = new Map(before || []);
  for (const [k, v] of pairs) {
    const tr = el('tr');
    tr.appendChild(el('td', null, k));
    tr.appendChild(el('td', before && old.get(k) !== v ? 'changed' : null, v));
    t.appendChild(tr);
  }
  return t;
}

function registerGrid(regs, before) {
  const g = el('div', 'regs');
  const old = new Map(before || []);
  for (const [name, value] of regs) {
    const d = el('div', before && old.get(name) !== value ? 'changed' : null);
    d.appendChild(el('span', 'name', name));
    d.appendChild(el('span', null, value));
    g.appendChild(d);
  }
  return g;
}

function showState(k) {
  const after = data.states[k + 1] || data.states[0];
  const before = k >= 0 ? data.states[k] : undefined;
  const box = $('state');
  box.replaceChildren();
  $('state-title').textContent = k >= 0 ? 'state after step ' + (k + 1) : 'initial state';
  if (k === data.violationAt && data.violation) box.appendChild(el('div', 'violation-text', 'violation: ' + data.violation));
  box.appendChild(el('h2', null, 'kernel'));
  box.appendChild(kvTable(after.kernel, before && before.kernel));
  box.appendChild(el('h2', null, 'open fetch windows'));
  if (after.windows.length === 0) box.appendChild(el('div', null, 'none: every CPU is certain of the code it fetches'));
  for (const w of after.windows) box.appendChild(el('div', null, w.address + ': ' + w.values.join(' → ') + '  (' + w.open.map((o) => 'CPU ' + o.cpu + ' may fetch from #' + (o.from + 1)).join(', ') + ')'));
  if (data.sites.length > 0) {
    box.appendChild(el('h2', null, 'patched bytes'));
    const idx = k + 1;
    box.appendChild(kvTable(data.sites.map((s) => [s.address, s.bytes[idx]]), k >= 0 ? data.sites.map((s) => [s.address, s.bytes[idx - 1]]) : undefined));
  }
  // The step's own CPU first and open; the others folded (the patcher's registers seldom matter).
  const acting = k >= 0 ? data.steps[k].column : 1;
  const order = after.cpus.map((c) => c.cpu).sort((a, b) => (a === acting ? -1 : b === acting ? 1 : a - b));
  for (const c of order) {
    const cpu = after.cpus[c];
    const d = el('details');
    d.open = c === acting;
    d.appendChild(el('summary', null, 'CPU ' + cpu.cpu + ' (' + cpu.who + '), interrupts ' + cpu.irq));
    d.appendChild(registerGrid(cpu.registers, before && before.cpus[c].registers));
    box.appendChild(d);
  }
}

function select(k) {
  if (n === 0) { selected = -1; $('position').textContent = 'no steps'; showState(-1); return; }
  selected = Math.max(0, Math.min(n - 1, k));
  rows.forEach((r, i) => r.classList.toggle('selected', i === selected));
  rows[selected].scrollIntoView({ block: 'nearest' });
  $('position').textContent = 'step ' + (selected + 1) + ' of ' + n;
  showState(selected);
}

$('first').addEventListener('click', () => select(0));
$('prev').addEventListener('click', () => select(selected - 1));
$('next').addEventListener('click', () => select(selected + 1));
$('last').addEventListener('click', () => select(n - 1));
document.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown' || e.key === 'j') { select(selected + 1); e.preventDefault(); }
  else if (e.key === 'ArrowUp' || e.key === 'k') { select(selected - 1); e.preventDefault(); }
  else if (e.key === 'Home') { select(0); e.preventDefault(); }
  else if (e.key === 'End') { select(n - 1); e.preventDefault(); }
});
select(0);
`;
