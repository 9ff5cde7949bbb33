import { describe, expect, it } from 'vitest';
import { getPath, mapRow, parseImportDate, parseRating } from './row-mapping.ts';

describe('parseImportDate', () => {
  it.each([
    ['2024-03-01T10:00:00Z', '2024-03-01T10:00:00.000Z'],
    ['2024-03-01T10:00:00+02:00', '2024-03-01T08:00:00.000Z'],
    ['2024-03-01', '2024-03-01T00:00:00.000Z'],
    ['2024-03-01 10:00', '2024-03-01T10:00:00.000Z'],
    ['2024-03-01 10:00:05.25', '2024-03-01T10:00:05.250Z'],
    ['2024/3/1 7:05', '2024-03-01T07:05:00.000Z'],
    ['1709287200', '2024-03-01T10:00:00.000Z'],
    ['1709287200000', '2024-03-01T10:00:00.000Z'],
    [1709287200, '2024-03-01T10:00:00.000Z'],
    ['Fri, 01 Mar 2024 10:00:00 GMT', '2024-03-01T10:00:00.000Z'],
  ])('%s', (input, iso) => {
    expect(parseImportDate(input)?.toISOString()).toBe(iso);
  });

  it.each(['', 'soon', '1 May', '2024-02-31', '2024-13-01 10:00', -5])('rejects %s', (input) => {
    expect(parseImportDate(input)).toBeUndefined();
  });
});

describe('row mapping helpers', () => {
  it('parses ratings with a decimal comma', () => {
    expect(parseRating('4,5')).toBe(4.5);
    expect(parseRating(' 3 ')).toBe(3);
    expect(parseRating('3 stars')).toBeUndefined();
  });

  it('follows dotted paths and prefers literal dotted keys', () => {
    const row = { user: { name: 'A', tags: ['x', 'y'] }, 'a.b': 1 };
    expect(getPath(row, 'user.name')).toBe('A');
    expect(getPath(row, 'user.tags.1')).toBe('y');
    expect(getPath(row, 'a.b')).toBe(1);
    expect(getPath(row, 'user.missing.deep')).toBeUndefined();
  });

  it('keeps a row with a non-http url but notes it', () => {
    const row: Record<string, unknown> = { t: 'hello', u: 'javascript:alert(1)' };
    const mapped = mapRow(
      (k) => row[k],
      { text: 't', url: 'u' },
      { ratingScale: 5, hashSource: 'x', raw: row },
    );
    expect(mapped.item?.url).toBeUndefined();
    expect(mapped.notes).toEqual(['url "javascript:alert(1)" is not http(s), ignored']);
  });
});
