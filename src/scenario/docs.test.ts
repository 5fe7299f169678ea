// The complete examples in docs/scenario-language.md lower without a diagnostic.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../base/diagnostics.js';
import { parseAndLower } from './lower.js';

const doc = readFileSync(new URL('../../docs/scenario-language.md', import.meta.url), 'utf8');
const examples = [...doc.matchAll(/```\n(scenario [^\n]*\n[\s\S]*?)```/g)].map((m) => m[1]);

describe('docs/scenario-language.md', () => {
  it('has its two complete examples', () => expect(examples).toHaveLength(2));
  it.each(examples.map((e) => [e.split('\n')[0], e]))('%s lowers', (_name, text) => {
    const r = parseAndLower(text, 'doc.scn');
    expect(r.ok ? [] : r.diagnostics.map(formatDiagnostic)).toEqual([]);
  });
});
