import type { SourceItem } from '../../src/core/mention.ts';
import {
  DEMO_BASE_URL,
  pickDistinct,
  pickLanguage,
  planHourSlots,
  randomInstant,
  slugify,
  weekdayName,
} from './common.ts';
import { NEWS_EPISODE, NEWS_FOREIGN, NEWS_NORMAL, NEWS_SWITCHED, type NewsTopic } from './corpus/news.ts';
import { type DemoLanguage, OUTLETS, type Outlet } from './corpus/people.ts';
import { brandVars, slotPools } from './corpus/slots.ts';
import { Rng, hashSeed } from './random.ts';
import { renderTemplate, tidy } from './template.ts';
import { DEMO_BRANDS, type DemoBrand, HOUR_MS, OUTAGE_START_HOUR, hourPlan, phaseOf } from './timeline.ts';

/**
 * The `news` channel: a few articles, blog posts and forum threads a day, each with a title, a
 * multi-paragraph body and a URL. During the outage the press follows the story as it unfolds:
 * first the outage, then the hashtag, the promo blunder, the leak rumours, the fix and the fallout.
 */

const NORMAL_TOPIC_WEIGHTS: Readonly<Record<string, number>> = {
  rollout: 2,
  prices: 1.5,
  results: 1,
  plan: 2,
  forum: 3,
  award: 0.7,
  store: 1,
};

export class NewsChannel {
  private readonly outageWeekday: string;

  constructor(
    private readonly seed: number,
    private readonly startMs: number,
  ) {
    this.outageWeekday = weekdayName(startMs + OUTAGE_START_HOUR * HOUR_MS);
  }

  hour(h: number): SourceItem[] {
    const rng = new Rng(hashSeed(this.seed, 'news', h));
    const slots = planHourSlots(rng, 'news', this.startMs, h);
    return slots.map((slot, i) => this.story(rng, h, i, slot.brand, slot.episode, slot.atMs));
  }

  private story(
    rng: Rng,
    h: number,
    n: number,
    brand: DemoBrand,
    episode: boolean,
    atMs: number,
  ): SourceItem {
    const since = (atMs - this.startMs) / HOUR_MS - OUTAGE_START_HOUR;
    const language = pickLanguage(rng);
    const foreign = language !== 'en' && rng.chance(0.8) ? language : null;

    let topicName: string;
    let topic: NewsTopic;
    if (foreign) {
      const set = NEWS_FOREIGN[foreign];
      const aboutEpisode = episode && brand === 'telvana';
      topicName = aboutEpisode ? 'outage' : 'general';
      topic = aboutEpisode ? set.episode : rng.pick(set.normal);
    } else if (episode && brand === 'telvana') {
      const open = Object.entries(NEWS_EPISODE).filter(([, t]) => t.fromHour <= since);
      topicName = rng.weighted(open.map(([name, t]) => [name, t.weight] as const));
      topic = NEWS_EPISODE[topicName] ?? NEWS_SWITCHED;
    } else if (episode && brand === 'brightwave' && since >= 14) {
      topicName = 'switched';
      topic = NEWS_SWITCHED;
    } else {
      topicName = rng.weighted(Object.entries(NORMAL_TOPIC_WEIGHTS));
      topic = NEWS_NORMAL[topicName] ?? NEWS_SWITCHED;
    }

    const lang: DemoLanguage = foreign ?? 'en';
    const outlet = pickOutlet(rng, lang, topic);
    const pools = slotPools(brand, lang);
    // Facts fixed per story, so the title and the lead agree on the town, the plan and the numbers.
    const vars = {
      ...brandVars(brand),
      weekday: this.outageWeekday,
      town: renderTemplate('{place}', rng, pools),
      plan: renderTemplate('{plan}', rng, pools),
      month: renderTemplate('{month}', rng, pools),
      growth: String(rng.int(2, 7)),
      adds: String(rng.int(20, 90)),
      rise: String(rng.int(3, 8)),
    };
    const render = (t: string): string => tidy(renderTemplate(t, rng, pools, vars));

    const title = render(rng.pick(topic.titles));
    const paragraphs = [
      render(rng.pick(topic.leads)),
      ...pickDistinct(rng, topic.body, rng.int(2, 4)).map(render),
    ];
    const when = new Date(atMs);
    const datePath = `${when.getUTCFullYear()}/${String(when.getUTCMonth() + 1).padStart(2, '0')}`;
    const externalId = `demo-news-${h}-${n}`;
    return {
      externalId,
      url: `${DEMO_BASE_URL}/news/${outlet.slug}/${datePath}/${slugify(title)}-${h}-${n}`,
      title,
      content: paragraphs.join('\n\n'),
      contentType: 'text',
      author: { name: rng.pick(outlet.writers) },
      publishedAt: when,
      language: lang,
      raw: {
        demo: true,
        channel: 'news',
        brand,
        phase: phaseOf(brand, h),
        tone: topic.tone,
        topic: topicName,
        outlet: outlet.name,
        kind: outlet.kind,
        hourIndex: h,
        seed: this.seed,
      },
    };
  }
}

function pickOutlet(rng: Rng, language: DemoLanguage, topic: NewsTopic): Outlet {
  const fitting = OUTLETS.filter((o) => o.language === language && topic.kinds.includes(o.kind));
  return rng.pick(fitting.length > 0 ? fitting : OUTLETS.filter((o) => o.language === language));
}
