import { z } from 'zod';
import { defineSource } from '../../src/core/source.ts';
import { generateDemoItems } from './generate.ts';
import { DAY_MS, DEMO_BRANDS, DEMO_CHANNELS } from './timeline.ts';

export { DEMO_EPISODE } from './timeline.ts';

/**
 * The `demo` source: a deterministic, offline stream of mentions of the fictional telecom Telvana
 * and its competitor Brightwave, so a fresh install has something real to show. One source per
 * channel. The first poll backfills the history a day per call; later polls trickle in whatever
 * the timeline has "published" since.
 */

const configSchema = z.object({
  seed: z
    .number()
    .int()
    .default(42)
    .describe('Seed of the generator: the same seed always gives the same mentions.'),
  channel: z
    .enum(DEMO_CHANNELS)
    .describe('Which demo channel this source stands for: social, reviews or news.'),
  brand: z
    .enum(DEMO_BRANDS)
    .optional()
    .describe(
      "Keep only this brand's items: for a source dedicated to one watch, like the brand's app reviews.",
    ),
  startAt: z.iso
    .datetime({ offset: true })
    .describe('Day 0 of the demo timeline (ISO datetime, normally a UTC midnight); the outage is on day 62.'),
  days: z
    .number()
    .int()
    .positive()
    .default(90)
    .describe(
      'How many days of history the first poll backfills, counted back from now (never before startAt).',
    ),
});

export type DemoConfig = z.infer<typeof configSchema>;

export interface DemoCursor {
  /** Everything published before this instant (ISO) has been returned. */
  until: string;
}

/** Midnight UTC `days` days before `now`: the `startAt` that puts today at the end of the story. */
export function demoStartAt(now: Date, days = 90): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(midnight - days * DAY_MS);
}

export const demoSource = defineSource<DemoConfig, DemoCursor>({
  id: 'demo',
  name: 'Demo data',
  description:
    'Generated mentions of the fictional telecom Telvana and its rival Brightwave: 90 days with an outage and backlash. Works offline.',
  configSchema,
  secretFields: [],
  example: { seed: 42, channel: 'social', startAt: '2025-01-01T00:00:00.000Z', days: 90 },
  defaultIntervalSeconds: 300,
  async fetch(config, cursor, ctx) {
    const now = ctx.now().getTime();
    const startMs = new Date(config.startAt).getTime();
    const resumeMs = cursor ? new Date(cursor.until).getTime() : Number.NaN;
    // A missing or unreadable cursor means a first poll: backfill `days`, but not before day 0.
    const fromMs = Number.isFinite(resumeMs) ? resumeMs : Math.max(startMs, now - config.days * DAY_MS);
    if (now <= fromMs)
      return { items: [], nextCursor: { until: new Date(fromMs).toISOString() }, more: false };

    // One day per call keeps each page small; the poller calls again while `more` is true.
    const toMs = Math.min(fromMs + DAY_MS, now);
    const generated = generateDemoItems({
      seed: config.seed,
      channel: config.channel,
      startAt: new Date(startMs),
      from: new Date(fromMs),
      to: new Date(toMs),
    });
    const items = config.brand
      ? generated.filter((i) => (i.raw as { brand?: string } | undefined)?.brand === config.brand)
      : generated;
    ctx.log.debug(
      {
        channel: config.channel,
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        items: items.length,
      },
      'demo page generated',
    );
    return { items, nextCursor: { until: new Date(toMs).toISOString() }, more: toMs < now };
  },
});
