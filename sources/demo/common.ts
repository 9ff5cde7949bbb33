import type { Engagement } from '../../src/core/mention.ts';
import type { DemoLanguage } from './corpus/people.ts';
import { BRAND_VOCABULARY } from './corpus/slots.ts';
import type { Rng } from './random.ts';
import {
  DEMO_BRANDS,
  DEMO_EPISODE,
  type DemoBrand,
  type DemoChannel,
  HOUR_MS,
  OUTAGE_HOURS,
  hourPlan,
} from './timeline.ts';

/** Demo URLs live under a reserved TLD so nothing ever tries to reach them. */
export const DEMO_BASE_URL = 'https://demo.trustwatch.invalid';

/** ~90% English, the rest Spanish, French and German. */
const LANGUAGE_WEIGHTS: readonly (readonly [DemoLanguage, number])[] = [
  ['en', 0.9],
  ['es', 0.04],
  ['fr', 0.03],
  ['de', 0.03],
];

export function pickLanguage(rng: Rng): DemoLanguage {
  return rng.weighted(LANGUAGE_WEIGHTS);
}

/** Random second within the hour, so items spread over it. */
export function randomInstant(rng: Rng, hourStartMs: number): number {
  return hourStartMs + rng.int(0, 3599) * 1000;
}

/** One item to generate in an hour: whose it is, whether it belongs to the episode, and when. */
export interface HourSlot {
  brand: DemoBrand;
  episode: boolean;
  atMs: number;
}

/**
 * The items of one hour of a channel, for both brands, in time order: the baseline draw (some of it
 * episode-flavoured, by the plan's mood) plus the episode's extra volume. Every channel plans its
 * hour this way; only what it writes for each slot differs.
 */
export function planHourSlots(rng: Rng, channel: DemoChannel, startMs: number, h: number): HourSlot[] {
  const hourStart = startMs + h * HOUR_MS;
  const slots: HourSlot[] = [];
  for (const brand of DEMO_BRANDS) {
    const plan = hourPlan(channel, brand, startMs, h);
    const nBase = rng.poisson(plan.base);
    const nExcess = rng.poisson(plan.excess);
    for (let i = 0; i < nBase; i++)
      slots.push({ brand, episode: rng.chance(plan.mood), atMs: randomInstant(rng, hourStart) });
    for (let i = 0; i < nExcess; i++)
      slots.push({ brand, episode: true, atMs: randomInstant(rng, hourStart) });
  }
  return slots.sort((a, b) => a.atMs - b.atMs);
}

/**
 * How likely an outage-related post carries the protest hashtag, `since` hours after the outage
 * began: nobody uses it in the first minutes, it catches on within a few hours, then fades slowly.
 */
export function hashtagChance(since: number): number {
  if (since < 0) return 0;
  if (since < OUTAGE_HOURS) return Math.min(0.5, 0.04 + 0.11 * since);
  return 0.1 + 0.4 * Math.exp(-(since - OUTAGE_HOURS) / 48);
}

/** After the backlash, a few complaints still invoke the hashtag ("#telvanafail all over again"). */
export const LINGERING_HASHTAG_CHANCE = 0.04;
export const EPISODE_HASHTAG = DEMO_EPISODE.hashtag;

/**
 * Likes, replies, shares. Engagement scales with the audience; angry posts during the episode are
 * shared more, which is what makes a journalist's outage post the loudest item of the day.
 */
export function engagementFor(rng: Rng, followers: number, heated: boolean): Engagement {
  const virality = rng.lognormal(heated ? 0.7 : 0, 0.9);
  const mean = 0.3 + followers * 0.004 * virality;
  return {
    likes: rng.poisson(mean),
    replies: rng.poisson(0.1 + mean * 0.12),
    shares: rng.poisson(mean * (heated ? 0.35 : 0.12)),
  };
}

/** Whether a text names the brand the way a watch query would find it. */
export function mentionsBrand(brand: DemoBrand, text: string): boolean {
  const v = BRAND_VOCABULARY[brand];
  const lower = text.toLowerCase();
  return new RegExp(`\\b${v.brand.toLowerCase()}\\b`).test(lower) || lower.includes(v.care.toLowerCase());
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export function weekdayName(ms: number): string {
  return WEEKDAYS[new Date(ms).getUTCDay()] ?? 'Monday';
}

/** `n` different entries (fewer if the list is shorter), in random order. */
export function pickDistinct<T>(rng: Rng, items: readonly T[], n: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length > 0) {
    const [picked] = pool.splice(rng.int(0, pool.length - 1), 1);
    if (picked !== undefined) out.push(picked);
  }
  return out;
}
