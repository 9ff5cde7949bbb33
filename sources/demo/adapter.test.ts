import { describe, expect, it } from 'vitest';
import type { SourceItem } from '../../src/core/mention.ts';
import type { FetchContext, HttpClient } from '../../src/core/source.ts';
import { DEMO_EPISODE, type DemoConfig, type DemoCursor, demoSource, demoStartAt } from './adapter.ts';
import { generateDemoItems } from './generate.ts';
import { DAY_MS, HOUR_MS } from './timeline.ts';

/** The demo never touches the network: any HTTP call fails the test. */
const offline: HttpClient = {
  request: () => Promise.reject(new Error('demo source must not use HTTP')),
  text: () => Promise.reject(new Error('demo source must not use HTTP')),
  json: () => Promise.reject(new Error('demo source must not use HTTP')),
};
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const ctxAt = (now: Date): FetchContext => ({ http: offline, log: silent, now: () => now });

const startAt = new Date('2025-03-03T00:00:00.000Z');
const config = (over: Partial<DemoConfig> = {}): DemoConfig =>
  demoSource.configSchema.parse({ channel: 'social', startAt: startAt.toISOString(), ...over });

/** Polls like the scheduler does: call again with the returned cursor while `more` is true. */
async function pollUntilCaughtUp(cfg: DemoConfig, cursor: DemoCursor | null, now: Date) {
  const items: SourceItem[] = [];
  let calls = 0;
  let current = cursor;
  for (;;) {
    const page = await demoSource.fetch(cfg, current, ctxAt(now));
    calls++;
    items.push(...page.items);
    current = page.nextCursor;
    if (!page.more) break;
    if (calls > 500) throw new Error('demo source never caught up');
  }
  return { items, calls, cursor: current };
}

describe('demoStartAt', () => {
  it('is midnight UTC the given number of days before now', () => {
    expect(demoStartAt(new Date('2025-06-01T15:30:00Z')).toISOString()).toBe('2025-03-03T00:00:00.000Z');
    expect(demoStartAt(new Date('2025-06-01T00:00:00Z'), 10).toISOString()).toBe('2025-05-22T00:00:00.000Z');
  });
});

describe('DEMO_EPISODE', () => {
  it('places the outage, the backlash and the quiet days inside the 90 days', () => {
    expect(DEMO_EPISODE).toEqual({
      outageDay: 62,
      outageHourUtc: 9,
      backlashDays: 5,
      quietStartDay: 76,
      quietEndDay: 83,
      hashtag: '#telvanafail',
    });
  });
});

describe('demoSource config', () => {
  it('accepts the example and fills defaults', () => {
    expect(demoSource.configSchema.parse(demoSource.example)).toEqual(demoSource.example);
    expect(config()).toEqual({ seed: 42, channel: 'social', startAt: startAt.toISOString(), days: 90 });
    expect(demoSource.id).toBe('demo');
    expect(demoSource.secretFields).toEqual([]);
    expect(demoSource.defaultIntervalSeconds).toBe(300);
  });

  it('rejects an unknown channel, a non-ISO start and a fractional seed', () => {
    const base = { channel: 'social', startAt: startAt.toISOString() };
    expect(demoSource.configSchema.safeParse({ ...base, channel: 'tiktok' }).success).toBe(false);
    expect(demoSource.configSchema.safeParse({ ...base, startAt: 'last monday' }).success).toBe(false);
    expect(demoSource.configSchema.safeParse({ ...base, seed: 1.5 }).success).toBe(false);
    expect(demoSource.configSchema.safeParse({ ...base, days: 0 }).success).toBe(false);
  });
});

describe('demoSource.fetch', () => {
  const now = new Date(startAt.getTime() + 90 * DAY_MS);

  it('backfills 90 days a day per call, then reports it is caught up', async () => {
    const cfg = config({ channel: 'reviews' });
    const { items, calls, cursor } = await pollUntilCaughtUp(cfg, null, now);
    expect(calls).toBe(90);
    expect(cursor).toEqual({ until: now.toISOString() });
    const expected = generateDemoItems({ seed: 42, channel: 'reviews', startAt, from: startAt, to: now });
    expect(items.map((i) => i.externalId)).toEqual(expected.map((i) => i.externalId));
    expect(new Set(items.map((i) => i.externalId)).size).toBe(items.length);
  });

  it('returns more: true on every backfill page but the last', async () => {
    const cfg = config({ channel: 'news' });
    const first = await demoSource.fetch(cfg, null, ctxAt(now));
    expect(first.more).toBe(true);
    expect(first.nextCursor).toEqual({ until: new Date(startAt.getTime() + DAY_MS).toISOString() });
    const last = await demoSource.fetch(
      cfg,
      { until: new Date(now.getTime() - 3 * HOUR_MS).toISOString() },
      ctxAt(now),
    );
    expect(last.more).toBe(false);
    expect(last.nextCursor).toEqual({ until: now.toISOString() });
  });

  it('trickles in only the new items on later polls', async () => {
    const cfg = config();
    // Caught up at noon on day 90 (after the scripted days: normal weeks go on), polled 2h17m later.
    const noon = new Date(now.getTime() + 12 * HOUR_MS);
    const caughtUp: DemoCursor = { until: noon.toISOString() };
    const later = new Date(noon.getTime() + 2 * HOUR_MS + 17 * 60_000);
    const { items, calls, cursor } = await pollUntilCaughtUp(cfg, caughtUp, later);
    expect(calls).toBe(1);
    expect(cursor).toEqual({ until: later.toISOString() });
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      const t = (item.publishedAt as Date).getTime();
      expect(t).toBeGreaterThanOrEqual(noon.getTime());
      expect(t).toBeLessThan(later.getTime());
    }
    // Polling again at the same instant finds nothing new.
    const again = await demoSource.fetch(cfg, cursor, ctxAt(later));
    expect(again).toEqual({ items: [], nextCursor: { until: later.toISOString() }, more: false });
  });

  it('keeps only one brand when `brand` is set (a review source dedicated to one watch)', async () => {
    const from = new Date(startAt.getTime() + 10 * DAY_MS);
    const cursor: DemoCursor = { until: from.toISOString() };
    const at = new Date(from.getTime() + DAY_MS);
    const all = await demoSource.fetch(config({ channel: 'reviews' }), cursor, ctxAt(at));
    const telvana = await demoSource.fetch(
      config({ channel: 'reviews', brand: 'telvana' }),
      cursor,
      ctxAt(at),
    );
    const brandOf = (i: SourceItem) => (i.raw as { brand: string }).brand;
    expect(new Set(all.items.map(brandOf))).toEqual(new Set(['telvana', 'brightwave']));
    expect(telvana.items.length).toBeGreaterThan(0);
    expect(telvana.items.every((i) => brandOf(i) === 'telvana')).toBe(true);
    expect(telvana.items.map((i) => i.externalId)).toEqual(
      all.items.filter((i) => brandOf(i) === 'telvana').map((i) => i.externalId),
    );
  });

  it('splits into the same items whatever the poll times', async () => {
    const cfg = config();
    const from = new Date(now.getTime() - 6 * HOUR_MS);
    const oneGo = await pollUntilCaughtUp(cfg, { until: from.toISOString() }, now);
    const pieces: SourceItem[] = [];
    let cursor: DemoCursor | null = { until: from.toISOString() };
    for (let m = 37; m <= 360; m += 37) {
      const page = await pollUntilCaughtUp(cfg, cursor, new Date(from.getTime() + m * 60_000));
      pieces.push(...page.items);
      cursor = page.cursor;
    }
    pieces.push(...(await pollUntilCaughtUp(cfg, cursor, now)).items);
    expect(pieces.map((i) => i.externalId)).toEqual(oneGo.items.map((i) => i.externalId));
  });

  it('backfills only `days` days on the first poll, never before startAt', async () => {
    const short = await pollUntilCaughtUp(config({ channel: 'news', days: 10 }), null, now);
    expect(short.calls).toBe(10);
    const tenDaysAgo = now.getTime() - 10 * DAY_MS;
    expect(short.items.every((i) => (i.publishedAt as Date).getTime() >= tenDaysAgo)).toBe(true);

    const young = await pollUntilCaughtUp(
      config({ channel: 'news' }),
      null,
      new Date(startAt.getTime() + 3.5 * DAY_MS),
    );
    expect(young.calls).toBe(4);
  });

  it('returns nothing before startAt', async () => {
    const page = await demoSource.fetch(config(), null, ctxAt(new Date(startAt.getTime() - HOUR_MS)));
    expect(page.items).toEqual([]);
    expect(page.more).toBe(false);
  });
});
