import { TrustwatchError } from '../../src/core/errors.ts';
import type { SourceItem } from '../../src/core/mention.ts';
import { NewsChannel } from './news.ts';
import { ReviewsChannel } from './reviews.ts';
import { SocialChannel } from './social.ts';
import { type DemoChannel, HOUR_MS } from './timeline.ts';

export interface DemoGenerateOptions {
  seed: number;
  channel: DemoChannel;
  /** Day 0 of the demo timeline (the episode is placed relative to it); normally a UTC midnight. */
  startAt: Date;
  /** Half-open range [from, to) of publication times to return. */
  from: Date;
  to: Date;
}

interface ChannelGenerator {
  hour(hourIndex: number): SourceItem[];
}

function channelGenerator(channel: DemoChannel, seed: number, startMs: number): ChannelGenerator {
  switch (channel) {
    case 'social':
      return new SocialChannel(seed, startMs);
    case 'reviews':
      return new ReviewsChannel(seed, startMs);
    case 'news':
      return new NewsChannel(seed, startMs);
  }
}

/**
 * The demo items of one channel published in [from, to), oldest first. Each hour since `startAt` is
 * generated from its own seed, so the result for an hour is the same however a range is split into
 * calls. Nothing is published before `startAt`; after the scripted 90 days, normal weeks go on.
 */
export function generateDemoItems(options: DemoGenerateOptions): SourceItem[] {
  const startMs = options.startAt.getTime();
  const toMs = options.to.getTime();
  const fromMs = Math.max(options.from.getTime(), startMs);
  if (![startMs, toMs, fromMs].every(Number.isFinite)) {
    throw new TrustwatchError('VALIDATION', 'demo generator needs valid startAt, from and to dates');
  }
  if (!Number.isInteger(options.seed)) {
    throw new TrustwatchError('VALIDATION', `demo seed must be an integer, got ${options.seed}`);
  }
  if (toMs <= fromMs) return [];

  const generator = channelGenerator(options.channel, options.seed, startMs);
  const firstHour = Math.floor((fromMs - startMs) / HOUR_MS);
  const lastHour = Math.ceil((toMs - startMs) / HOUR_MS) - 1;
  const items: SourceItem[] = [];
  for (let h = firstHour; h <= lastHour; h++) {
    for (const item of generator.hour(h)) {
      const at = (item.publishedAt as Date).getTime();
      if (at >= fromMs && at < toMs) items.push(item);
    }
  }
  return items.sort(
    (a, b) =>
      (a.publishedAt as Date).getTime() - (b.publishedAt as Date).getTime() ||
      (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0),
  );
}
