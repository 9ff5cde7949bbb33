import { beforeAll, describe, expect, it } from 'vitest';
import type { SourceItem } from '../../src/core/mention.ts';
import { demoStartAt } from './adapter.ts';
import { DEMO_BASE_URL } from './common.ts';
import { generateDemoItems } from './generate.ts';
import { DAY_MS, DEMO_CHANNELS, type DemoChannel, HOUR_MS } from './timeline.ts';

const startAt = demoStartAt(new Date('2025-06-01T12:34:00Z'));
const at = (hours: number) => new Date(startAt.getTime() + hours * HOUR_MS);
const raw = (item: SourceItem) => item.raw as Record<string, unknown>;
const time = (item: SourceItem) => (item.publishedAt as Date).getTime();
const dayOf = (item: SourceItem) => Math.floor((time(item) - startAt.getTime()) / DAY_MS);

function generate(channel: DemoChannel, fromHours: number, toHours: number, seed = 42): SourceItem[] {
  return generateDemoItems({ seed, channel, startAt, from: at(fromHours), to: at(toHours) });
}

/** Items compared as plain JSON (dates as ISO strings). */
const snapshot = (items: SourceItem[]) => JSON.parse(JSON.stringify(items));

/** Duplicate detection as the ingest pipeline does it: case, punctuation and emoji don't count. */
const fingerprint = (item: SourceItem) =>
  `${item.title ?? ''} ${item.content ?? ''}`
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\p{L}\p{N}#@]+/gu, ' ')
    .trim();

describe('generateDemoItems determinism', () => {
  it.each(DEMO_CHANNELS)('%s: a range gives the same items however it is split', (channel) => {
    // Around the outage, where replies reach back across hours and the promo is posted.
    const whole = generate(channel, 62 * 24, 63 * 24);
    expect(whole.length).toBeGreaterThan(channel === 'social' ? 500 : 5);
    const cuts = [62 * 24, 62 * 24 + 7.25, 62 * 24 + 9, 62 * 24 + 9.5, 62 * 24 + 13, 62 * 24 + 20.1, 63 * 24];
    const pieces = cuts.slice(1).flatMap((to, i) => generate(channel, cuts[i] ?? 0, to));
    expect(snapshot(pieces)).toEqual(snapshot(whole));
  });

  it('gives the same items on a second call and different items for another seed', () => {
    const a = generate('social', 100, 124, 42);
    expect(snapshot(generate('social', 100, 124, 42))).toEqual(snapshot(a));
    const b = generate('social', 100, 124, 43);
    expect(b.map((i) => i.content)).not.toEqual(a.map((i) => i.content));
  });

  it('returns nothing before startAt and nothing for an empty range', () => {
    const early = generateDemoItems({
      seed: 42,
      channel: 'social',
      startAt,
      from: new Date(startAt.getTime() - 5 * DAY_MS),
      to: at(6),
    });
    expect(early.length).toBeGreaterThan(0);
    expect(early.every((i) => time(i) >= startAt.getTime())).toBe(true);
    expect(generate('social', 10, 10)).toEqual([]);
    expect(generate('social', 12, 10)).toEqual([]);
  });

  it('rejects invalid dates and seeds', () => {
    expect(() => generateDemoItems({ seed: 1.5, channel: 'news', startAt, from: at(0), to: at(1) })).toThrow(
      /seed/,
    );
    expect(() =>
      generateDemoItems({ seed: 1, channel: 'news', startAt: new Date('nope'), from: at(0), to: at(1) }),
    ).toThrow(/valid/);
  });
});

describe('90 days of demo data', () => {
  const byChannel = {} as Record<DemoChannel, SourceItem[]>;
  let all: SourceItem[] = [];
  let elapsedMs = 0;

  beforeAll(() => {
    const t0 = performance.now();
    for (const channel of DEMO_CHANNELS) byChannel[channel] = generate(channel, 0, 90 * 24);
    elapsedMs = performance.now() - t0;
    all = DEMO_CHANNELS.flatMap((c) => byChannel[c]);
  });

  it('is a sensible amount of data, generated quickly', () => {
    expect(all.length).toBeGreaterThan(8_000);
    expect(all.length).toBeLessThan(20_000);
    expect(elapsedMs).toBeLessThan(3_000);
  });

  it('gives Telvana 60–120 mentions on a normal day and Brightwave about half', () => {
    const normalDays = (brand: string) =>
      all.filter((i) => raw(i).brand === brand && dayOf(i) < 60).length / 60;
    const telvana = normalDays('telvana');
    const brightwave = normalDays('brightwave');
    expect(telvana).toBeGreaterThan(60);
    expect(telvana).toBeLessThan(120);
    expect(brightwave / telvana).toBeGreaterThan(0.35);
    expect(brightwave / telvana).toBeLessThan(0.65);
  });

  it('has weekly and daily seasonality', () => {
    const normal = all.filter((i) => raw(i).phase === 'normal' && dayOf(i) < 60);
    const weekday = normal.filter((i) => ![0, 6].includes((i.publishedAt as Date).getUTCDay())).length / 5;
    const weekend = normal.filter((i) => [0, 6].includes((i.publishedAt as Date).getUTCDay())).length / 2;
    expect(weekday / weekend).toBeGreaterThan(1.15);
    // 08–22 local (UTC+1) is 07–21 UTC.
    const busy = normal.filter((i) => {
      const h = (i.publishedAt as Date).getUTCHours();
      return h >= 7 && h <= 21;
    }).length;
    expect(busy / normal.length).toBeGreaterThan(0.8);
  });

  it('gives every item a stable id, a demo url, a time inside its hour and a demo raw payload', () => {
    for (const channel of DEMO_CHANNELS) {
      const items = byChannel[channel];
      expect(new Set(items.map((i) => i.externalId)).size).toBe(items.length);
      expect(new Set(items.map((i) => i.url)).size).toBe(items.length);
      // Collect the offenders rather than asserting per item: 15k items × 10 checks is slow in expect().
      const bad = items.filter((item) => {
        const r = raw(item);
        const hour = r.hourIndex as number;
        return !(
          item.externalId.startsWith(`demo-${channel}-${hour}-`) &&
          item.url?.startsWith(`${DEMO_BASE_URL}/${channel}/`) &&
          Math.floor((time(item) - startAt.getTime()) / HOUR_MS) === hour &&
          item.contentType === 'text' &&
          (item.content?.length ?? 0) > 10 &&
          /^(en|es|fr|de)$/.test(item.language ?? '') &&
          r.demo === true &&
          ['normal', 'outage', 'backlash', 'quiet'].includes(r.phase as string) &&
          ['positive', 'neutral', 'negative'].includes(r.tone as string)
        );
      });
      expect(bad.slice(0, 3)).toEqual([]);
    }
  });

  it('is sorted by publication time', () => {
    for (const channel of DEMO_CHANNELS) {
      const times = byChannel[channel].map(time);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('is about 10% Spanish, French and German', () => {
    const foreign = all.filter((i) => i.language !== 'en').length / all.length;
    expect(foreign).toBeGreaterThan(0.06);
    expect(foreign).toBeLessThan(0.14);
    for (const lang of ['es', 'fr', 'de']) expect(all.some((i) => i.language === lang)).toBe(true);
  });

  it('names the brand so the watch queries find the items', () => {
    const telvanaQuery = /\btelvana\b|@telvanacare|#telvanafail/i;
    const text = (i: SourceItem) => `${i.title ?? ''} ${i.content ?? ''}`;
    const telvana = (c: DemoChannel) => byChannel[c].filter((i) => raw(i).brand === 'telvana');
    for (const item of [...telvana('social'), ...telvana('news')]) expect(text(item)).toMatch(telvanaQuery);
    const reviews = telvana('reviews');
    const named = reviews.filter((i) => /telvana/i.test(text(i))).length / reviews.length;
    expect(named).toBeGreaterThan(0.6);
    expect(named).toBeLessThan(0.95);
    for (const item of all.filter((i) => raw(i).brand === 'brightwave'))
      expect(text(item)).toMatch(/brightwave/i);
  });

  it('has heavy-tailed audiences: most authors under 1k followers, a few with 50k–500k', () => {
    const customers = byChannel.social.filter((i) => raw(i).kind === 'post' || raw(i).kind === 'reply');
    const followers = customers.map((i) => i.author?.followers ?? 0);
    expect(followers.filter((f) => f < 1000).length / followers.length).toBeGreaterThan(0.8);
    const big = customers.filter((i) => (i.author?.followers ?? 0) >= 50_000);
    expect(big.length).toBeGreaterThan(10);
    expect(big.every((i) => (i.author?.followers ?? 0) <= 500_000)).toBe(true);
    // Big accounts get more engagement than the typical customer.
    const likes = (items: SourceItem[]) =>
      items.reduce((s, i) => s + (i.engagement?.likes ?? 0), 0) / items.length;
    expect(likes(big)).toBeGreaterThan(20 * likes(customers));
  });

  it('threads support replies under the post they answer, after it', () => {
    const social = byChannel.social;
    const byId = new Map(social.map((i) => [i.externalId, i]));
    const careReplies = social.filter((i) => raw(i).kind === 'care_reply');
    expect(careReplies.length).toBeGreaterThan(300);
    for (const reply of careReplies) {
      expect(reply.author?.handle).toMatch(/^(TelvanaCare|BrightwaveHelp)$/);
      const parent = byId.get(reply.parentId ?? '');
      expect(parent, reply.externalId).toBeDefined();
      if (!parent) continue;
      expect(time(reply)).toBeGreaterThan(time(parent));
      expect(reply.content).toContain(`@${parent.author?.handle}`);
    }
  });

  it('has enough variety that duplicate detection does not collapse the volume', () => {
    // The pipeline treats the same text within 24 h as a duplicate: check day by day.
    for (let day = 0; day < 90; day++) {
      const items = all.filter((i) => dayOf(i) === day);
      const distinct = new Set(items.map(fingerprint)).size / items.length;
      expect(distinct, `day ${day}`).toBeGreaterThan(day === 62 || day === 63 ? 0.95 : 0.97);
    }
    const month = byChannel.social.filter((i) => dayOf(i) < 30);
    expect(new Set(month.map(fingerprint)).size / month.length).toBeGreaterThan(0.95);
  });

  it('keeps generating normal weeks after day 90', () => {
    const later = generate('social', 90 * 24, 97 * 24).filter((i) => raw(i).brand === 'telvana');
    expect(later.every((i) => raw(i).phase === 'normal')).toBe(true);
    const perDay = later.length / 7;
    const normalPerDay =
      byChannel.social.filter((i) => raw(i).brand === 'telvana' && dayOf(i) < 60).length / 60;
    expect(perDay / normalPerDay).toBeGreaterThan(0.8);
    expect(perDay / normalPerDay).toBeLessThan(1.25);
  });
});
