import { beforeAll, describe, expect, it } from 'vitest';
import type { SourceItem } from '../../src/core/mention.ts';
import { DEMO_EPISODE, demoStartAt } from './adapter.ts';
import { generateDemoItems } from './generate.ts';
import { DAY_MS, DEMO_CHANNELS, HOUR_MS } from './timeline.ts';

/** The story the demo tells, checked the way a spike detector or a dashboard would see it. */

const startAt = demoStartAt(new Date('2025-06-01T08:00:00Z'));
const OUTAGE_HOUR = DEMO_EPISODE.outageDay * 24 + DEMO_EPISODE.outageHourUtc;
const raw = (item: SourceItem) => item.raw as Record<string, unknown>;
const hourOf = (item: SourceItem) =>
  Math.floor(((item.publishedAt as Date).getTime() - startAt.getTime()) / HOUR_MS);
const dayOf = (item: SourceItem) => Math.floor(hourOf(item) / 24);
const text = (item: SourceItem) => `${item.title ?? ''} ${item.content ?? ''}`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function generateAll(seed: number): SourceItem[] {
  return DEMO_CHANNELS.flatMap((channel) =>
    generateDemoItems({
      seed,
      channel,
      startAt,
      from: startAt,
      to: new Date(startAt.getTime() + 90 * DAY_MS),
    }),
  );
}

describe.each([42, 7])('the episode (seed %i)', (seed) => {
  let all: SourceItem[] = [];
  let telvana: SourceItem[] = [];
  beforeAll(() => {
    all = generateAll(seed);
    telvana = all.filter((i) => raw(i).brand === 'telvana');
  });

  it('jumps to at least 5× the usual volume in the first hours of the outage', () => {
    const perHour = new Map<number, number>();
    for (const i of telvana) perHour.set(hourOf(i), (perHour.get(hourOf(i)) ?? 0) + 1);
    const count = (hourIndex: number) => perHour.get(hourIndex) ?? 0;
    /** Median count at this UTC hour over the four weeks before the outage day. */
    const usualAt = (hour: number) =>
      median(Array.from({ length: 28 }, (_, k) => count((DEMO_EPISODE.outageDay - 28 + k) * 24 + hour)));
    for (const hour of [9, 10, 11]) {
      expect(usualAt(hour)).toBeGreaterThan(0);
      expect(count(DEMO_EPISODE.outageDay * 24 + hour), `hour ${hour}`).toBeGreaterThanOrEqual(
        5 * usualAt(hour),
      );
    }
    // Nothing happens before 09:00: the hour before is ordinary.
    expect(count(OUTAGE_HOUR - 1)).toBeLessThan(2 * usualAt(DEMO_EPISODE.outageHourUtc - 1) + 4);
  });

  it('turns overwhelmingly negative during the outage, then decays over the backlash', () => {
    const negativeShare = (items: SourceItem[]) =>
      items.filter((i) => raw(i).tone === 'negative').length / items.length;
    const normal = telvana.filter((i) => raw(i).phase === 'normal' && dayOf(i) < DEMO_EPISODE.outageDay);
    const outage = telvana.filter((i) => raw(i).phase === 'outage');
    expect(negativeShare(normal)).toBeLessThan(0.35);
    expect(negativeShare(outage)).toBeGreaterThan(0.75);
    const backlashDay = (d: number) =>
      telvana.filter((i) => raw(i).phase === 'backlash' && dayOf(i) === DEMO_EPISODE.outageDay + d);
    expect(negativeShare(backlashDay(1))).toBeGreaterThan(negativeShare(backlashDay(4)));
    // Volume decays over about five days and is back to normal after.
    const daily = (d: number) => telvana.filter((i) => dayOf(i) === d).length;
    const usualDay = median(Array.from({ length: 28 }, (_, k) => daily(DEMO_EPISODE.outageDay - 28 + k)));
    const episodeDays = [0, 1, 2, 3, 4].map((d) => daily(DEMO_EPISODE.outageDay + d));
    for (let d = 1; d < episodeDays.length; d++) expect(episodeDays[d]).toBeLessThan(episodeDays[d - 1] ?? 0);
    expect(episodeDays[0]).toBeGreaterThan(4 * usualDay);
    expect(daily(DEMO_EPISODE.outageDay + DEMO_EPISODE.backlashDays + 1)).toBeLessThan(1.6 * usualDay);
  });

  it('labels the phases from the episode timing', () => {
    const phases = new Set(telvana.filter((i) => hourOf(i) < OUTAGE_HOUR).map((i) => raw(i).phase));
    expect(phases).toEqual(new Set(['normal']));
    expect(telvana.filter((i) => hourOf(i) === OUTAGE_HOUR).every((i) => raw(i).phase === 'outage')).toBe(
      true,
    );
    const quiet = telvana.filter((i) => raw(i).phase === 'quiet');
    expect(
      quiet.every((i) => dayOf(i) >= DEMO_EPISODE.quietStartDay && dayOf(i) < DEMO_EPISODE.quietEndDay),
    ).toBe(true);
    expect(quiet.length).toBeGreaterThan(0);
  });

  it('never uses the protest hashtag before the outage, and uses it a lot after', () => {
    const tagged = all.filter((i) => text(i).toLowerCase().includes(DEMO_EPISODE.hashtag));
    expect(tagged.filter((i) => hourOf(i) < OUTAGE_HOUR)).toEqual([]);
    expect(tagged.length).toBeGreaterThan(200);
    // It spreads: more uses in the second half of the outage day than in its first hour.
    const inHour = (h: number) => tagged.filter((i) => hourOf(i) === OUTAGE_HOUR + h).length;
    expect(inHour(0)).toBeLessThan(inHour(5));
    expect(
      tagged.filter((i) => raw(i).channel === 'social' && raw(i).brand === 'telvana').length,
    ).toBeGreaterThan(150);
  });

  it('goes quiet on days 76–82 (under half the normal volume) and then recovers', () => {
    const daily = (d: number) => telvana.filter((i) => dayOf(i) === d).length;
    const normal = median(Array.from({ length: 56 }, (_, d) => daily(d)));
    const quietDays = Array.from({ length: DEMO_EPISODE.quietEndDay - DEMO_EPISODE.quietStartDay }, (_, k) =>
      daily(DEMO_EPISODE.quietStartDay + k),
    );
    expect(mean(quietDays) / normal).toBeLessThan(0.5);
    expect(mean(quietDays) / normal).toBeGreaterThan(0.15);
    const after = [0, 1, 2, 3, 4, 5, 6].map((k) => daily(DEMO_EPISODE.quietEndDay + k));
    expect(mean(after) / normal).toBeGreaterThan(0.75);
    // Only Telvana's customers go quiet.
    const bw = (d: number) => all.filter((i) => raw(i).brand === 'brightwave' && dayOf(i) === d).length;
    const bwNormal = median(Array.from({ length: 56 }, (_, d) => bw(d)));
    expect(mean(quietDays.map((_, k) => bw(DEMO_EPISODE.quietStartDay + k))) / bwNormal).toBeGreaterThan(
      0.75,
    );
  });

  it('rates the Telvana app about 3.8 normally and under 2.5 in the three days after the outage', () => {
    const reviews = telvana.filter((i) => raw(i).channel === 'reviews');
    const normal = reviews.filter((i) => hourOf(i) < OUTAGE_HOUR).map((i) => i.rating ?? 0);
    expect(mean(normal)).toBeGreaterThan(3.5);
    expect(mean(normal)).toBeLessThan(4.2);
    const after = reviews
      .filter((i) => hourOf(i) >= OUTAGE_HOUR && hourOf(i) < OUTAGE_HOUR + 72)
      .map((i) => i.rating ?? 0);
    expect(after.length).toBeGreaterThan(50);
    expect(mean(after)).toBeLessThan(2.5);
    for (const item of reviews) {
      expect(item.ratingScale).toBe(5);
      expect([1, 2, 3, 4, 5]).toContain(item.rating);
    }
  });

  it('has the brand post a tone-deaf promo during the outage, which draws angry replies', () => {
    const promos = telvana.filter((i) => raw(i).kind === 'promo');
    expect(promos).toHaveLength(1);
    const [promo] = promos;
    if (!promo) return;
    expect(raw(promo).phase).toBe('outage');
    expect(promo.author?.handle).toBe('TelvanaCare');
    const replies = telvana.filter((i) => i.parentId === promo.externalId);
    expect(replies.length).toBeGreaterThan(10);
    for (const r of replies) {
      expect(hourOf(r)).toBeGreaterThanOrEqual(hourOf(promo));
      expect(raw(r).tone).toBe('negative');
    }
    // Nobody talks about the promo before it exists.
    const promoTime = (promo.publishedAt as Date).getTime();
    const reactions = telvana.filter((i) => raw(i).topic === 'promo' && raw(i).kind !== 'promo');
    expect(reactions.every((i) => (i.publishedAt as Date).getTime() > promoTime)).toBe(true);
  });

  it('spreads data-leak rumours and churn talk only after the outage', () => {
    const leak = telvana.filter((i) => /leak/i.test(text(i)));
    expect(leak.length).toBeGreaterThan(20);
    expect(leak.every((i) => hourOf(i) >= OUTAGE_HOUR)).toBe(true);
    const churn = telvana.filter((i) =>
      /cancel(l)?ing my .*contract|switching to brightwave|port my number/i.test(text(i)),
    );
    expect(churn.filter((i) => hourOf(i) >= OUTAGE_HOUR).length).toBeGreaterThan(
      5 * churn.filter((i) => hourOf(i) < OUTAGE_HOUR).length,
    );
  });

  it('leaves support replies slow during the outage', () => {
    const social = all.filter((i) => raw(i).channel === 'social');
    const byId = new Map(social.map((i) => [i.externalId, i]));
    const time = (i: SourceItem) => (i.publishedAt as Date).getTime();
    const delayHours = (phase: string) =>
      social
        .filter((i) => raw(i).kind === 'care_reply' && raw(i).brand === 'telvana')
        .flatMap((reply) => {
          const parent = byId.get(reply.parentId ?? '');
          return parent && raw(parent).phase === phase ? [(time(reply) - time(parent)) / HOUR_MS] : [];
        });
    const normal = delayHours('normal');
    const outage = delayHours('outage');
    expect(outage.length).toBeGreaterThan(5);
    expect(median(outage)).toBeGreaterThan(3 * median(normal));
  });

  it('gives Brightwave a small lift of "switched to Brightwave" posts', () => {
    const switched = all.filter((i) => raw(i).brand === 'brightwave' && raw(i).topic === 'switched');
    expect(switched.length).toBeGreaterThan(10);
    expect(switched.every((i) => hourOf(i) >= OUTAGE_HOUR && raw(i).tone === 'positive')).toBe(true);
    const bwDay = (d: number) => all.filter((i) => raw(i).brand === 'brightwave' && dayOf(i) === d).length;
    const usual = median(Array.from({ length: 28 }, (_, k) => bwDay(DEMO_EPISODE.outageDay - 28 + k)));
    // A lift, not a spike of its own.
    expect(bwDay(DEMO_EPISODE.outageDay) + bwDay(DEMO_EPISODE.outageDay + 1)).toBeGreaterThan(2 * usual);
    expect(bwDay(DEMO_EPISODE.outageDay)).toBeLessThan(3 * usual);
  });
});
