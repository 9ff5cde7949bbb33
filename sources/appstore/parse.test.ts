import { describe, expect, it } from 'vitest';
import { parseReviewsFeed, reviewToItem } from './parse.ts';

const review = {
  id: { label: '42' },
  updated: { label: '2023-01-12T17:05:59-07:00' },
  'im:rating': { label: '4' },
  title: { label: 'Fine' },
  content: { label: 'Works.', attributes: { type: 'text' } },
  author: { name: { label: 'Ann' }, uri: { label: 'https://itunes.apple.com/nl/reviews/id1' } },
  'im:voteSum': { label: '2' },
  'im:voteCount': { label: '3' },
};

describe('appstore parse', () => {
  it('accepts a single entry given as an object, and skips the app entry that has no rating', () => {
    expect(parseReviewsFeed({ feed: { entry: review } }, 'u').entries).toHaveLength(1);
    const appEntry = { id: { label: '1' }, updated: { label: '2023-01-01T00:00:00-07:00' } };
    expect(parseReviewsFeed({ feed: { entry: [appEntry, review] } }, 'u').entries).toHaveLength(1);
    expect(parseReviewsFeed({ feed: {} }, 'u')).toEqual({ entries: [], lastPage: 1 });
  });

  it('reads the last page from the `last` link', () => {
    const link = [
      {
        attributes: { rel: 'last', href: 'https://itunes.apple.com/nl/rss/customerreviews/page=7/id=1/json' },
      },
    ];
    expect(parseReviewsFeed({ feed: { link } }, 'u').lastPage).toBe(7);
  });

  it('maps a review with its star rating, author and helpful votes', () => {
    const item = reviewToItem(review, 'https://apps.apple.com/nl/app/id1?see-all=reviews');
    expect(item).toMatchObject({
      externalId: '42',
      title: 'Fine',
      content: 'Works.',
      rating: 4,
      ratingScale: 5,
      author: { name: 'Ann', url: 'https://itunes.apple.com/nl/reviews/id1' },
      engagement: { likes: 2 },
    });
    expect(item.publishedAt).toEqual(new Date('2023-01-13T00:05:59Z'));
    expect(reviewToItem({ ...review, 'im:rating': { label: '9' } }, 'u').rating).toBeUndefined();
  });
});
