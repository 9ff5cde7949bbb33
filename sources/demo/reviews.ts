import type { SourceItem } from '../../src/core/mention.ts';
import { randomCustomer } from './authors.ts';
import { DEMO_BASE_URL, pickDistinct, pickLanguage, planHourSlots, randomInstant } from './common.ts';
import type { DemoLanguage } from './corpus/people.ts';
import {
  REVIEW_EPISODE,
  REVIEW_NORMAL,
  REVIEW_SWITCHED,
  type ReviewEpisodeTopic,
  type ReviewMood,
} from './corpus/reviews.ts';
import { brandVars, slotPools } from './corpus/slots.ts';
import type { Tone } from './corpus/social.ts';
import { Rng, hashSeed } from './random.ts';
import { type SlotPools, type TemplateVars, capitalize, joinParts, renderTemplate } from './template.ts';
import { DEMO_BRANDS, type DemoBrand, HOUR_MS, OUTAGE_START_HOUR, hourPlan, phaseOf } from './timeline.ts';

/**
 * The `reviews` channel: app-store reviews of Telvana's "Telvana My Account" app and of
 * Brightwave's app, with a 1–5 star rating. Normal weeks average about 3.8 stars; the outage
 * brings a wave of one-star reviews that lasts several days.
 */

const APPS: Record<DemoBrand, { name: string; slug: string }> = {
  telvana: { name: 'Telvana My Account', slug: 'telvana-my-account' },
  brightwave: { name: 'Brightwave', slug: 'brightwave-app' },
};

/** Star distributions for ordinary weeks: mean ≈ 3.75 (Telvana) and ≈ 3.9 (Brightwave). */
const NORMAL_STARS: Record<DemoBrand, readonly (readonly [number, number])[]> = {
  telvana: [
    [1, 0.13],
    [2, 0.08],
    [3, 0.12],
    [4, 0.25],
    [5, 0.42],
  ],
  brightwave: [
    [1, 0.1],
    [2, 0.07],
    [3, 0.12],
    [4, 0.28],
    [5, 0.43],
  ],
};

const EPISODE_STARS: readonly (readonly [number, number])[] = [
  [1, 0.78],
  [2, 0.15],
  [3, 0.05],
  [4, 0.01],
  [5, 0.01],
];

/** Most Telvana reviews open by naming the brand or app; the rest dive straight into details. */
const TELVANA_LEAD_CHANCE = 0.72;

export class ReviewsChannel {
  constructor(
    private readonly seed: number,
    private readonly startMs: number,
  ) {}

  hour(h: number): SourceItem[] {
    const rng = new Rng(hashSeed(this.seed, 'reviews', h));
    const slots = planHourSlots(rng, 'reviews', this.startMs, h);
    return slots.map((slot, i) =>
      this.review(rng, h, `demo-reviews-${h}-${i}`, slot.brand, slot.episode, slot.atMs),
    );
  }

  private review(
    rng: Rng,
    h: number,
    externalId: string,
    brand: DemoBrand,
    episode: boolean,
    atMs: number,
  ): SourceItem {
    const language = pickLanguage(rng);
    const pools = slotPools(brand, language);
    const vars = brandVars(brand);
    const since = (atMs - this.startMs) / HOUR_MS - OUTAGE_START_HOUR;
    const author = randomCustomer(this.seed, language, rng);
    const render = (t: string): string => renderTemplate(t, rng, pools, vars);

    let rating: number;
    let topic: string;
    let title: string;
    let sentences: string[];
    if (episode && brand === 'telvana') {
      rating = rng.weighted(EPISODE_STARS);
      topic = rng.weighted(episodeReviewTopics(since));
      const corpus = REVIEW_EPISODE[language];
      const leads = corpus.leads[topic as ReviewEpisodeTopic] ?? corpus.leads.outage ?? [];
      title = render(rng.pick(corpus.titles));
      sentences = [render(rng.pick(leads)), ...pickDistinct(rng, corpus.details, rng.int(1, 2)).map(render)];
    } else if (episode && brand === 'brightwave' && since >= 2) {
      rating = rng.chance(0.8) ? 5 : 4;
      topic = 'switched';
      title = render(rng.pick(REVIEW_SWITCHED.titles));
      sentences = [
        render(rng.pick(REVIEW_SWITCHED.leads)),
        ...pickDistinct(rng, REVIEW_SWITCHED.details, 1).map(render),
      ];
    } else {
      rating = rng.weighted(NORMAL_STARS[brand]);
      const mood: ReviewMood = rating >= 4 ? 'positive' : rating === 3 ? 'mixed' : 'negative';
      topic = `app-${mood}`;
      ({ title, sentences } = normalReview(rng, REVIEW_NORMAL[language][mood], brand, pools, vars));
    }

    const tone: Tone = rating >= 4 ? 'positive' : rating === 3 ? 'neutral' : 'negative';
    const app = APPS[brand];
    return {
      externalId,
      url: `${DEMO_BASE_URL}/reviews/${app.slug}/${externalId}`,
      title: capitalize(title),
      content: joinParts(sentences),
      contentType: 'text',
      author: { name: author.name },
      publishedAt: new Date(atMs),
      rating,
      ratingScale: 5,
      language,
      raw: {
        demo: true,
        channel: 'reviews',
        brand,
        app: app.name,
        phase: phaseOf(brand, h),
        tone,
        topic,
        hourIndex: h,
        seed: this.seed,
      },
    };
  }
}

function normalReview(
  rng: Rng,
  corpus: (typeof REVIEW_NORMAL)[DemoLanguage][ReviewMood],
  brand: DemoBrand,
  pools: SlotPools,
  vars: TemplateVars,
): { title: string; sentences: string[] } {
  const render = (t: string): string => renderTemplate(t, rng, pools, vars);
  const title = render(rng.pick(corpus.titles));
  // Brightwave reviews always name the brand (its source is shared); Telvana's usually do.
  const withLead = brand === 'brightwave' || rng.chance(TELVANA_LEAD_CHANCE);
  const details = pickDistinct(rng, corpus.details, withLead ? rng.int(0, 2) : rng.int(1, 3)).map(render);
  const sentences = withLead ? [render(rng.pick(corpus.leads)), ...details] : details;
  sentences.push(render(rng.pick(corpus.closers)));
  return { title, sentences };
}

function episodeReviewTopics(since: number): readonly (readonly [ReviewEpisodeTopic, number])[] {
  return [
    ['outage', since < 24 ? 4 : 1.5],
    ['support', 2],
    ['churn', since < 4 ? 0.5 : 2],
    ['leak', since < 6 ? 0 : 1.2],
    ['compensation', since < 20 ? 0 : 1.5],
    ['app', 1.5],
  ];
}
