import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import { MAX_ITEMS_PER_PUSH, parsePushBody } from './payload.ts';

function issuesOf(body: unknown): string[] {
  try {
    parsePushBody(body);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues.map((i) => i.path);
  }
  throw new Error('expected a ValidationError');
}

describe('parsePushBody', () => {
  it('maps one item to a SourceItem, keeping the sent object as raw', () => {
    const sent = {
      externalId: 'z-1',
      text: '<p>Hi</p>',
      contentType: 'html',
      title: 'T',
      url: 'https://help.example/t/1',
      author: { name: 'Ana', handle: 'ana', followers: 10 },
      publishedAt: '2026-03-01T10:00:00+01:00',
      rating: 2,
      ratingScale: 5,
      language: 'PT',
      parentId: 'z-0',
      engagement: { likes: 3 },
      ticketPriority: 'high',
    };
    const [item] = parsePushBody(sent);
    expect(item).toEqual({
      externalId: 'z-1',
      content: '<p>Hi</p>',
      contentType: 'html',
      title: 'T',
      url: 'https://help.example/t/1',
      author: { name: 'Ana', handle: 'ana', followers: 10 },
      publishedAt: new Date('2026-03-01T09:00:00Z'),
      rating: 2,
      ratingScale: 5,
      language: 'pt',
      parentId: 'z-0',
      engagement: { likes: 3 },
      raw: sent,
    });
  });

  it('accepts an array or {items}, numeric ids, a plain author name and epoch dates', () => {
    const items = parsePushBody({
      items: [
        { externalId: 7, text: 'a', author: 'Bo', publishedAt: 1_767_225_600 },
        { externalId: 'b', text: 'b' },
      ],
    });
    expect(items.map((i) => i.externalId)).toEqual(['7', 'b']);
    expect(items[0]?.author).toEqual({ name: 'Bo' });
    expect(items[0]?.publishedAt).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(items[0]?.contentType).toBe('text');
    expect(parsePushBody([{ externalId: 'c', text: 'c' }])).toHaveLength(1);
    expect(parsePushBody({ items: [] })).toEqual([]);
  });

  it('names every invalid field by its path', () => {
    expect(issuesOf({ text: 'no id' })).toEqual(['externalId']);
    expect(issuesOf([{ externalId: 'a' }, { externalId: '' }])).toEqual(['1.externalId']);
    expect(
      issuesOf({ items: [{ externalId: 'a', url: 'ftp://x', rating: 'five', language: 'english' }] }),
    ).toEqual(['items.0.url', 'items.0.rating', 'items.0.language']);
    expect(issuesOf('just text')).toEqual(['body']);
    expect(issuesOf(null)).toEqual(['body']);
  });

  it(`refuses more than ${MAX_ITEMS_PER_PUSH} items in one push`, () => {
    const many = Array.from({ length: MAX_ITEMS_PER_PUSH + 1 }, (_, i) => ({
      externalId: String(i),
      text: 'x',
    }));
    expect(issuesOf(many)).toEqual(['items']);
  });
});
