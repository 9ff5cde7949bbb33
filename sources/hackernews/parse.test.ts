import { describe, expect, it } from 'vitest';
import { failure } from '../../test/helpers/failure.ts';
import { hitToItem, parseSearchResponse } from './parse.ts';

const story = {
  objectID: '3078128',
  created_at: '2011-10-05T23:42:23.000Z',
  created_at_i: 1317858143,
  title: 'Steve Jobs has passed away.',
  url: 'http://www.apple.com/stevejobs/',
  author: 'patricktomas',
  points: 4271,
  story_text: '',
  comment_text: null,
  num_comments: 376,
  story_id: null,
  parent_id: null,
  _tags: ['story', 'author_patricktomas', 'story_3078128'],
  _highlightResult: { title: { value: 'x' } },
};

describe('hackernews parse', () => {
  it('maps a link story: title as text, points and comment count, no highlight noise in raw', () => {
    const item = hitToItem(parseSearchResponse({ hits: [story], page: 0, nbPages: 1 }, 'u').hits[0] as never);
    expect(item).toMatchObject({
      externalId: '3078128',
      url: 'https://news.ycombinator.com/item?id=3078128',
      title: 'Steve Jobs has passed away.',
      content: undefined,
      author: { handle: 'patricktomas' },
      engagement: { likes: 4271, replies: 376 },
      threadId: '3078128',
    });
    expect(item.publishedAt).toEqual(new Date('2011-10-05T23:42:23Z'));
    expect(item.raw).not.toHaveProperty('_highlightResult');
    expect(item.raw).toHaveProperty('linkedUrl', 'http://www.apple.com/stevejobs/');
  });

  it('maps a comment: HTML text, parent and story ids, no title', () => {
    const item = hitToItem({
      objectID: '6651926',
      created_at_i: 1383283092,
      author: 'pg',
      comment_text: 'It&#x27;s a little early<p>Apple used to be careful',
      story_id: 6651704,
      parent_id: 6651704,
      _tags: ['comment'],
    });
    expect(item).toMatchObject({
      contentType: 'html',
      parentId: '6651704',
      threadId: '6651704',
      title: undefined,
    });
    expect(item.content).toContain('Apple used to be careful');
    expect(item.publishedAt).toEqual(new Date(1383283092 * 1000));
  });

  it('refuses an answer that is not a search response, naming the field', async () => {
    const err = await failure(
      Promise.resolve().then(() => parseSearchResponse({ hits: [{}] }, 'http://x/s')),
    );
    expect(err.code).toBe('FEED_MALFORMED');
    expect(err.message).toMatch(/http:\/\/x\/s: not a Hacker News .*hits\.0\.objectID/);
  });
});
