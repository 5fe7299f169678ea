import { describe, expect, it } from 'vitest';
import { shellLines, wrap } from './check-mail.js';

/** What a POSIX shell makes of the lines: a backslash-newline is removed, then words split at blanks. */
const shellWords = (lines: readonly string[]) => lines.join('\n').replace(/\\\n/g, '').split(/\s+/).filter(Boolean);

describe('shellLines', () => {
  const cases: [string, string[]][] = [
    ['short', ['patchlab', 'replay', 'a.scn', '0,1,2']],
    ['long action list', ['patchlab', 'replay', 'examples/seeds/pvops-nmi-stale.scn', Array.from({ length: 300 }, (_, i) => i % 3).join(',')]],
    ['long path', ['patchlab', 'replay', `${'d/'.repeat(60)}x.scn`, '--knob', 'strictFetch=off', '0,1']],
    ['a word with no comma', ['patchlab', 'replay', 'x'.repeat(200), '0']],
  ];
  for (const [name, words] of cases) {
    it(`${name}: every line fits, and the shell reads the same words back`, () => {
      const lines = shellLines(words, 80);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
      expect(shellWords(lines)).toEqual(words);
    });
  }
});

describe('wrap', () => {
  it('breaks at blanks, prefers alternatives `a | b`, and cuts a word longer than the line', () => {
    expect(wrap('one two three', 8, '  ')).toEqual(['one two', '  three']);
    expect(wrap('fetch saw 1 of 3: aa bb cc | dd ee ff | 11 22 33', 30, '  ')).toEqual(['fetch saw 1 of 3: aa bb cc |', '  dd ee ff | 11 22 33']);
    const cut = wrap('x'.repeat(25), 10, '  ');
    expect(cut.every((l) => l.length <= 10)).toBe(true);
    expect(cut.join('').replace(/ /g, '')).toBe('x'.repeat(25));
  });
});
