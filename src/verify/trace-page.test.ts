import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bfs } from '../checker/bfs.js';
import { KernelWorld } from '../kernel/world.js';
import { parseAndLower } from '../scenario/lower.js';
import { renderTracePage, scriptJson, tracePageData } from './trace-page.js';

function world(path: string): KernelWorld {
  const r = parseAndLower(readFileSync(path, 'utf8'), path);
  if (!r.ok) throw new Error('does not lower');
  return new KernelWorld(r.scenario.spec);
}

describe('the trace page', () => {
  it('holds a state before every step and after the last, the violation at the last step, and each patched site over time', () => {
    const w = world('examples/seeds/ppc32-ool-4insn.scn');
    const r = bfs(w);
    const d = tracePageData(w, { name: 'n', file: 'f', arch: 'ppc32', headline: 'h', bounds: 'b', knobs: 'k', actions: r.trace });
    expect(d.steps).toHaveLength(r.trace.length);
    expect(d.states).toHaveLength(r.trace.length + 1);
    expect(d.violationAt).toBe(r.trace.length - 1);
    expect(d.violation).toMatch(/^fell-through: /);
    const store = d.steps.findIndex((s) => s.store);
    const site = d.sites.find((s) => s.address === d.steps[store].store!.address)!;
    expect(site.bytes[store]).toBe(d.steps[store].store!.before);
    expect(site.bytes[store + 1]).toBe(d.steps[store].store!.after);
    // An instruction still as assembled names its scenario line; the patched one at tramp does not.
    const nop = d.steps.find((s) => s.insn?.text === 'nop')!;
    expect(nop.asmLine).toMatchObject({ text: 'nop' });
    expect(readFileSync('examples/seeds/ppc32-ool-4insn.scn', 'utf8').split('\n')[nop.asmLine!.line - 1].trim()).toBe('nop');
    expect(d.steps.find((s) => s.insn?.text.startsWith('lis'))!.asmLine).toBeUndefined();
    // The CPU that ran a step: its pc moved.
    const k = d.steps.findIndex((s) => s.insn);
    const pc = (i: number) => d.states[i].cpus[d.steps[k].column].registers[0];
    expect(pc(k)).not.toEqual(pc(k + 1));
  });

  it('embeds its data so that no string can end the script element or start markup', () => {
    const hostile = '</script><script>alert(1)</script>\u2028<!--';
    const json = scriptJson({ s: hostile });
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual({ s: hostile });
    const w = world('examples/seeds/x86-ool-text-poke-bp.scn');
    const html = renderTracePage(tracePageData(w, { name: hostile, file: hostile, arch: 'x86-64', headline: hostile, bounds: '', knobs: '', actions: [] }));
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the data's and the code's own
    expect(html).not.toContain('alert(1)</script>');
  });
});
