import type { MentionView } from '../../store/repositories/mentions.ts';

/** A mention as the list API gives it, for the encoders' unit tests. */
export const sampleMention = (over: Partial<MentionView> = {}): MentionView => ({
  id: 7,
  sourceId: 's-1',
  externalId: 'x-1',
  url: 'https://social.example/p/1',
  title: null,
  text: 'Telvana is fine',
  author: { name: 'Ana', handle: 'ana_l', followers: 120 },
  language: 'en',
  publishedAt: new Date('2026-03-01T10:00:00Z'),
  fetchedAt: new Date('2026-03-01T10:05:00Z'),
  engagement: { likes: 3 },
  rating: null,
  ratingScale: null,
  parentId: null,
  threadId: null,
  sentiment: { score: -0.25, label: 'negative' },
  signals: [{ kind: 'complaint', evidence: 'x' }, { kind: 'churn_intent' }, { kind: 'complaint' }],
  duplicateOf: null,
  ...over,
});
