import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Signal } from '../../src/core/mention.ts';
import type { Store } from '../../src/store/connect.ts';
import { type MentionWrite, storeMentionBatch } from '../../src/store/repositories/mention-batch.ts';
import { rebuildRollups } from '../../src/store/repositories/rollups.ts';
import {
  meanRating,
  negativeShare,
  readTermCounts,
  readTopMentions,
  readTopTerms,
  readWatchSeries,
} from '../../src/store/repositories/series.ts';
import { createWatch } from '../../src/store/repositories/watches.ts';
import { ensureWorkspace } from '../../src/store/repositories/workspaces.ts';
import { makeSource } from '../helpers/ingest.ts';
import { storeTargets } from '../helpers/stores.ts';

const sig = (...kinds: Signal['kind'][]): Signal[] => kinds.map((kind) => ({ kind, evidence: kind }));

function write(
  id: string,
  text: string,
  at: string,
  watchId: string,
  extra: Partial<MentionWrite> = {},
): MentionWrite {
  const label = extra.sentimentLabel ?? 'neutral';
  return {
    externalId: id,
    url: null,
    canonicalUrl: null,
    title: null,
    text,
    textHash: `hash-${id}-${text.length}`,
    authorName: null,
    authorHandle: `user_${id}`,
    authorFollowers: null,
    publishedAt: new Date(at),
    engagement: {},
    rating: null,
    ratingScale: null,
    parentId: null,
    threadId: null,
    language: 'en',
    sentimentScore: label === 'negative' ? -0.6 : label === 'positive' ? 0.6 : 0,
    sentimentLabel: label,
    signals: [],
    raw: null,
    matches: [{ watchId, owned: false, terms: ['telvana'] }],
    ...extra,
  };
}

describe.each(storeTargets())('trend series from rollups [$name]', (target) => {
  let store: Store;
  let workspaceId: string;
  let watchId: string;
  let sourceId: string;
  let reviewSourceId: string;

  const store1 = (source: string, writes: MentionWrite[]) =>
    store.db.transaction().execute((trx) => storeMentionBatch(trx, workspaceId, source, writes, new Date()));
  const range = (from: string, to: string, bucket: 'hour' | 'day' | 'week' = 'hour', tz?: string) => ({
    workspaceId,
    watchId,
    from: new Date(from),
    to: new Date(to),
    bucket,
    tz,
  });

  beforeAll(async () => {
    store = await target.open();
    workspaceId = (await ensureWorkspace(store.db, 'series')).id;
    watchId = (await createWatch(store.db, workspaceId, { name: 'Telvana', query: 'telvana' }, 'test')).id;
    sourceId = (await makeSource(store.db, workspaceId, 'social')).id;
    reviewSourceId = (await makeSource(store.db, workspaceId, 'reviews', { type: 'import', config: {} })).id;
    await store1(sourceId, [
      write('s1', 'Telvana billing scam, I am leaving #TelvanaFail', '2026-03-01T10:05:00Z', watchId, {
        sentimentLabel: 'negative',
        signals: sig('churn_intent', 'security_fraud', 'churn_intent'),
        authorFollowers: 12000,
        engagement: { likes: 40, replies: 5, shares: 15 },
      }),
      write('s2', 'Telvana billing error again #telvanafail', '2026-03-01T10:40:00Z', watchId, {
        sentimentLabel: 'negative',
        signals: sig('complaint'),
        authorFollowers: 30,
      }),
      write('s3', 'Telvana fixed my billing quickly, thanks', '2026-03-01T11:10:00Z', watchId, {
        sentimentLabel: 'positive',
        signals: sig('praise'),
      }),
    ]);
    await store1(reviewSourceId, [
      write('r1', 'Telvana coverage review', '2026-03-01T10:30:00Z', watchId, { rating: 4, ratingScale: 5 }),
      write('r2', 'Telvana survey answer', '2026-03-01T10:50:00Z', watchId, { rating: 8, ratingScale: 10 }),
      write('r3', 'Telvana poor coverage', '2026-03-01T11:20:00Z', watchId, { rating: 1.5, ratingScale: 5 }),
    ]);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('counts signals (once per mention and kind), ratings on a 5-point scale, reach and sources per hour', async () => {
    const s = await readWatchSeries(store.db, range('2026-03-01T10:00:00Z', '2026-03-01T12:00:00Z'));
    expect(s.map((p) => p.start.toISOString())).toEqual([
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T11:00:00.000Z',
    ]);
    const [h10, h11] = s;
    expect(h10).toMatchObject({
      mentions: 4,
      negative: 2,
      neutral: 2,
      signals: { churn_intent: 1, security_fraud: 1, complaint: 1 },
      ratingCount: 2,
      followersSum: 12030,
      followersCount: 2,
      engagementSum: 60,
      sources: { rss: 2, import: 2 },
    });
    expect(meanRating(h10 as NonNullable<typeof h10>)).toBeCloseTo(4, 6);
    expect(negativeShare(h10 as NonNullable<typeof h10>)).toBe(0.5);
    expect(h11).toMatchObject({ mentions: 2, positive: 1, signals: { praise: 1 }, ratingCount: 1 });
    expect(meanRating(h11 as NonNullable<typeof h11>)).toBeCloseTo(1.5, 6);
  });

  it('counts hashtags and words per hour, leaving out the brand word the query matched', async () => {
    const terms = await readTermCounts(store.db, range('2026-03-01T10:00:00Z', '2026-03-01T12:00:00Z'));
    const at10 = terms.filter((t) => t.start.toISOString() === '2026-03-01T10:00:00.000Z');
    expect(at10.find((t) => t.term === '#telvanafail')).toMatchObject({ kind: 'hashtag', mentions: 2 });
    expect(at10.find((t) => t.term === 'billing')).toMatchObject({ kind: 'term', mentions: 2 });
    expect(terms.some((t) => t.term === 'telvana')).toBe(false);
    const only = await readTermCounts(store.db, {
      ...range('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', 'day'),
      terms: ['billing'],
    });
    expect(only).toEqual([
      { start: new Date('2026-03-01T00:00:00Z'), kind: 'term', term: 'billing', mentions: 3 },
    ]);
    const top = await readTopTerms(store.db, {
      workspaceId,
      watchId,
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-02T00:00:00Z'),
      kind: 'term',
      limit: 1,
    });
    expect(top).toEqual([{ term: 'billing', mentions: 3 }]);
    const authors = await readTopTerms(store.db, {
      workspaceId,
      watchId,
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-02T00:00:00Z'),
      kind: 'author',
      limit: 10,
    });
    expect(authors).toHaveLength(6);
  });

  it('moves every figure when a mention changes hour, signals and text', async () => {
    await store1(sourceId, [
      write('s1', 'Telvana refunded me, staying after all', '2026-03-01T11:30:00Z', watchId, {
        sentimentLabel: 'positive',
        signals: sig('praise'),
        authorFollowers: 12000,
      }),
    ]);
    const [h10, h11] = await readWatchSeries(store.db, range('2026-03-01T10:00:00Z', '2026-03-01T12:00:00Z'));
    expect(h10).toMatchObject({
      mentions: 3,
      negative: 1,
      signals: { complaint: 1 },
      followersSum: 30,
      engagementSum: 0,
    });
    expect(h11).toMatchObject({ mentions: 3, positive: 2, signals: { praise: 2 }, followersSum: 12000 });
    const terms = await readTermCounts(store.db, range('2026-03-01T10:00:00Z', '2026-03-01T12:00:00Z'));
    expect(terms.filter((t) => t.term === '#telvanafail').map((t) => t.mentions)).toEqual([1]);
    expect(terms.find((t) => t.term === 'refunded')?.start.toISOString()).toBe('2026-03-01T11:00:00.000Z');
  });

  it('re-storing unchanged mentions leaves every rollup as it was', async () => {
    const before = await readWatchSeries(store.db, range('2026-03-01T10:00:00Z', '2026-03-01T12:00:00Z'));
    const outcome = await store1(reviewSourceId, [
      write('r1', 'Telvana coverage review', '2026-03-01T10:30:00Z', watchId, { rating: 4, ratingScale: 5 }),
    ]);
    expect(outcome).toMatchObject({ unchanged: 1, updated: 0 });
    expect(await readWatchSeries(store.db, range('2026-03-01T10:00:00Z', '2026-03-01T12:00:00Z'))).toEqual(
      before,
    );
  });

  it('re-stores a mention whose signals changed (a scorer upgrade) and moves its signal counts', async () => {
    const outcome = await store1(reviewSourceId, [
      write('r1', 'Telvana coverage review', '2026-03-01T10:30:00Z', watchId, {
        rating: 4,
        ratingScale: 5,
        signals: sig('question'),
      }),
    ]);
    expect(outcome).toMatchObject({ unchanged: 0, updated: 1 });
    const [h10] = await readWatchSeries(store.db, range('2026-03-01T10:00:00Z', '2026-03-01T11:00:00Z'));
    expect(h10).toMatchObject({ mentions: 3, signals: { complaint: 1, question: 1 }, ratingCount: 2 });
  });

  it('buckets days and weeks in a time zone, following daylight saving', async () => {
    // 23:30 UTC on 1 March is 00:30 on 2 March in Berlin (UTC+1).
    await store1(sourceId, [write('tz1', 'Telvana late night post', '2026-03-01T23:30:00Z', watchId)]);
    const utc = await readWatchSeries(store.db, range('2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z', 'day'));
    expect(utc.map((p) => p.mentions)).toEqual([7, 0]);
    const berlin = await readWatchSeries(
      store.db,
      range('2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z', 'day', 'Europe/Berlin'),
    );
    expect(berlin.map((p) => p.start.toISOString())).toEqual([
      '2026-02-28T23:00:00.000Z',
      '2026-03-01T23:00:00.000Z',
      '2026-03-02T23:00:00.000Z',
    ]);
    expect(berlin.map((p) => p.mentions)).toEqual([6, 1, 0]);
    // Summer time starts on 29 March 2026 in Berlin: that local day has 23 hours.
    const dst = await readWatchSeries(
      store.db,
      range('2026-03-28T12:00:00Z', '2026-03-31T00:00:00Z', 'day', 'Europe/Berlin'),
    );
    expect(dst.map((p) => p.start.toISOString())).toEqual([
      '2026-03-27T23:00:00.000Z',
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
      '2026-03-30T22:00:00.000Z',
    ]);
    const weeks = await readWatchSeries(
      store.db,
      range('2026-02-23T00:00:00Z', '2026-03-09T00:00:00Z', 'week'),
    );
    expect(weeks.map((p) => [p.start.toISOString().slice(0, 10), p.mentions])).toEqual([
      ['2026-02-23', 7],
      ['2026-03-02', 0],
    ]);
    await expect(
      readWatchSeries(store.db, range('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', 'day', 'Mars/Olympus')),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('finds the mentions behind a bucket range: most negative, widest reach, by term or signal', async () => {
    const q = {
      workspaceId,
      watchId,
      from: new Date('2026-03-01T10:00:00Z'),
      to: new Date('2026-03-01T12:00:00Z'),
    };
    const negative = await readTopMentions(store.db, { ...q, order: 'negative', limit: 1 });
    expect(negative[0]?.text).toBe('Telvana billing error again #telvanafail');
    const reach = await readTopMentions(store.db, { ...q, order: 'reach', limit: 2 });
    expect(reach.map((m) => m.authorFollowers)).toEqual([12000, 30]);
    const tagged = await readTopMentions(store.db, { ...q, term: '#telvanafail' });
    expect(tagged.map((m) => m.authorHandle)).toEqual(['user_s2']);
    const praised = await readTopMentions(store.db, { ...q, signal: 'praise', order: 'recent' });
    expect(praised.map((m) => m.authorHandle)).toEqual(['user_s1', 'user_s3']);
  });

  it('rebuilds rollups and term rollups to the incremental numbers, extracting terms of older mentions', async () => {
    const snapshot = async () => ({
      rollups: (
        await store.db.selectFrom('rollups').selectAll().orderBy('watch_id').orderBy('bucket_start').execute()
      ).map(({ updated_at: _u, sentiment_sum, rating_sum, ...r }) => ({
        ...r,
        sentiment_sum: Math.round(sentiment_sum * 1e4),
        rating_sum: Math.round(rating_sum * 1e6),
      })),
      terms: await store.db
        .selectFrom('term_rollups')
        .selectAll()
        .orderBy('watch_id')
        .orderBy('kind')
        .orderBy('bucket_start')
        .orderBy('term')
        .execute(),
    });
    const before = await snapshot();
    expect(before.terms.length).toBeGreaterThan(10);
    // As if stored before term extraction existed.
    await sql`update mentions set terms = null where workspace_id = ${workspaceId}::uuid`.execute(store.db);
    const stats = await rebuildRollups(store.db);
    expect(stats.termsExtracted).toBe(7);
    expect(stats.termRows).toBe(before.terms.length);
    expect(await snapshot()).toEqual(before);
    const one = await rebuildRollups(store.db, watchId);
    expect(one).toMatchObject({ termsExtracted: 0, termRows: before.terms.length });
    expect(await snapshot()).toEqual(before);
  });
});
