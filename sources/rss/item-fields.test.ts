import { describe, expect, it } from 'vitest';
import {
  authorName,
  contentHashId,
  languageCode,
  parseFeedDate,
  resolveLink,
  unwrapRedirect,
} from './item-fields.ts';

describe('feed item fields', () => {
  it('unwraps Google redirect links only', () => {
    expect(
      unwrapRedirect('https://www.google.com/url?rct=j&sa=t&url=https://a.example/x%3Fy%3D1&ct=ga'),
    ).toBe('https://a.example/x?y=1');
    expect(unwrapRedirect('https://www.google.co.uk/url?q=https://b.example/')).toBe('https://b.example/');
    expect(unwrapRedirect('https://www.google.com/url?url=javascript:alert(1)')).toBe(
      'https://www.google.com/url?url=javascript:alert(1)',
    );
    expect(unwrapRedirect('https://notgoogle.example/url?url=https://c.example/')).toBe(
      'https://notgoogle.example/url?url=https://c.example/',
    );
  });

  it('trims, resolves and filters links', () => {
    expect(resolveLink(' /a/b ', 'https://site.example/feed/')).toBe('https://site.example/a/b');
    expect(resolveLink('c', 'https://site.example/feed/')).toBe('https://site.example/feed/c');
    expect(resolveLink('javascript:alert(1)', 'https://site.example/')).toBeUndefined();
    expect(resolveLink('relative', undefined)).toBeUndefined();
  });

  it('parses feed dates and gives up quietly on garbage', () => {
    expect(parseFeedDate('Tue, 05 Mar 2024 10:00:00 GMT')).toEqual(new Date('2024-03-05T10:00:00Z'));
    expect(parseFeedDate('Mardi, 05 Mar 2024 10:00:00 +0100')).toEqual(new Date('2024-03-05T09:00:00Z'));
    expect(parseFeedDate('2024-03-05T10:00:00+02:00')).toEqual(new Date('2024-03-05T08:00:00Z'));
    expect(parseFeedDate('2024-03-05 10:00')).toEqual(new Date('2024-03-05T10:00:00Z'));
    expect(parseFeedDate('yesterday-ish')).toBeUndefined();
    expect(parseFeedDate({ _: '2024-03-05T10:00:00Z' })).toEqual(new Date('2024-03-05T10:00:00Z'));
  });

  it('extracts author names and language codes', () => {
    expect(authorName('jane@example.com (Jane Roe)')).toBe('Jane Roe');
    expect(authorName('Jane Roe')).toBe('Jane Roe');
    expect(authorName('   ')).toBeUndefined();
    expect(languageCode('en-US')).toBe('en');
    expect(languageCode('english')).toBeUndefined();
  });

  it('hashes ids stably and distinctly', () => {
    expect(contentHashId('a', 'b')).toBe(contentHashId('a', 'b'));
    expect(contentHashId('a', 'b')).not.toBe(contentHashId('ab', ''));
  });
});
