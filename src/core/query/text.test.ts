import { describe, expect, it } from 'vitest';
import { buildTextPattern, foldHandle, foldLabel, foldText } from './text.ts';

describe('foldText', () => {
  it.each([
    ['Télévision', 'television'],
    ['ＴＥＬＶＡＮＡ', 'telvana'],
    ['ﬁle', 'file'],
    ['Straße', 'strasse'],
    ['Øre Łódź', 'ore lodz'],
    ['İSTANBUL', 'istanbul'],
    ['ΣΟΦΟΣ', 'σοφοσ'],
    ['❤️', '❤'],
    ['tel\u00advana', 'telvana'],
    ['가', '가'],
    ['が', 'が'],
  ])('%j -> %j', (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it('replaces lone surrogates instead of passing them on', () => {
    expect(foldText('a\ud800b')).toBe('a\ufffdb');
    expect(foldText('😀')).toBe('😀');
  });
});

describe('foldHandle / foldLabel', () => {
  it('drop the @ and fold case', () => {
    expect(foldHandle(' @Telvana_Help ')).toBe('telvana_help');
    expect(foldLabel('  Hacker   News ')).toBe('hacker news');
  });
});

describe('buildTextPattern', () => {
  it('returns null when there is nothing to match', () => {
    expect(buildTextPattern('!!!', false)).toBeNull();
    expect(buildTextPattern('   ', false)).toBeNull();
  });

  it('uses the longest word as the quick-reject needle', () => {
    expect(buildTextPattern('"a customer of"', false)?.needle).toBe('customer');
    expect(buildTextPattern('🔥', false)?.needle).toBe('🔥');
  });

  it('escapes regex syntax in values', () => {
    const p = buildTextPattern('a.b$(c)[d]{2}|e+?*^/\\', false);
    expect(p?.regex.test('a.b$(c)[d]{2}|e+?*^/\\')).toBe(true);
    expect(buildTextPattern('$$$', false)?.regex.test('win $$$ now')).toBe(true);
    expect(buildTextPattern('$$$', false)?.regex.test('win $ now')).toBe(false);
  });
});
