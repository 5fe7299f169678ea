import { describe, expect, it } from 'vitest';
import { readQuoted } from './quoted-string.js';

describe('readQuoted', () => {
  it.each([
    ['"abc" rest', { value: 'abc', end: 5, closed: true }],
    ['"a\\nb"', { value: 'a\nb', end: 6, closed: true }],
    ['"q\\"x\\\\"', { value: 'q"x\\', end: 8, closed: true }],
    ['"\\z"', { value: 'z', end: 4, closed: true }],
    ['"open', { value: 'open', end: 5, closed: false }],
  ])('%s', (text, want) => {
    expect(readQuoted(text, 0, { n: '\n' })).toEqual(want);
  });
});
