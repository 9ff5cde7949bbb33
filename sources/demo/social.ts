import type { SourceItem } from '../../src/core/mention.ts';
import { type DemoAuthor, firstName, notableAuthor, notablesFor, randomCustomer } from './authors.ts';
import {
  DEMO_BASE_URL,
  EPISODE_HASHTAG,
  LINGERING_HASHTAG_CHANCE,
  engagementFor,
  hashtagChance,
  pickLanguage,
  planHourSlots,
  randomInstant,
} from './common.ts';
import { type DemoLanguage, SUPPORT_AGENTS } from './corpus/people.ts';
import { BRAND_VOCABULARY, brandVars, slotPools } from './corpus/slots.ts';
import {
  CARE_REPLIES,
  type CareSituation,
  type EpisodeTopic,
  PROMO_POST,
  SOCIAL_CLOSERS,
  SOCIAL_EPISODE,
  SOCIAL_EPISODE_NOTABLE,
  SOCIAL_EPISODE_OPENERS,
  SOCIAL_HASHTAGS,
  SOCIAL_ME_TOO,
  SOCIAL_NORMAL,
  SOCIAL_OPENERS,
  SOCIAL_SWITCHED,
  type Tone,
} from './corpus/social.ts';
import { Rng, hashSeed } from './random.ts';
import { joinParts, renderTemplate } from './template.ts';
import {
  DEMO_BRANDS,
  type DemoBrand,
  type DemoPhase,
  HOUR_MS,
  OUTAGE_HOURS,
  OUTAGE_START_HOUR,
  PROMO_DELAY_MS,
  hourPlan,
  phaseOf,
} from './timeline.ts';

/**
 * The `social` channel: short posts with authors, engagement, hashtags and threads. An hour's items
 * are its customer posts (seeded by the hour) plus the support replies whose reply time falls in
 * it. Support answers hours later, so replies look back at earlier hours' posts, which are
 * regenerated deterministically rather than remembered.
 */

type PostKind = 'post' | 'reply' | 'promo' | 'care_reply';

interface Post {
  item: SourceItem;
  brand: DemoBrand;
  tone: Tone;
  topic: string;
  kind: PostKind;
  language: DemoLanguage;
  phase: DemoPhase;
  author: DemoAuthor;
  atMs: number;
}

/** Replies can come up to this many hours after the post (the outage's backlog of unanswered posts). */
const MAX_REPLY_LAG_HOURS = 12;

const TONE_MIX: Record<DemoBrand, readonly (readonly [Tone, number])[]> = {
  telvana: [
    ['positive', 0.3],
    ['neutral', 0.42],
    ['negative', 0.28],
  ],
  brightwave: [
    ['positive', 0.35],
    ['neutral', 0.42],
    ['negative', 0.23],
  ],
};

const CARE_FOLLOWERS: Record<DemoBrand, number> = { telvana: 48_200, brightwave: 21_300 };

const PROMO_HOUR = OUTAGE_START_HOUR + Math.floor(PROMO_DELAY_MS / HOUR_MS);

export class SocialChannel {
  private readonly postsByHour = new Map<number, Post[]>();

  constructor(
    private readonly seed: number,
    private readonly startMs: number,
  ) {}

  hour(h: number): SourceItem[] {
    const posts = this.postsOf(h);
    return [...posts.map((p) => p.item), ...this.careRepliesIn(h, posts.length)];
  }

  private postsOf(h: number): Post[] {
    let posts = this.postsByHour.get(h);
    if (!posts) {
      posts = this.buildPosts(h);
      this.postsByHour.set(h, posts);
    }
    return posts;
  }

  private buildPosts(h: number): Post[] {
    const rng = new Rng(hashSeed(this.seed, 'social', h));
    const slots = planHourSlots(rng, 'social', this.startMs, h);

    const posts: Post[] = [];
    slots.forEach((slot, i) => {
      const post = this.buildPost(
        rng,
        h,
        `demo-social-${h}-${i}`,
        slot.brand,
        slot.episode,
        slot.atMs,
        posts,
      );
      posts.push(post);
    });
    if (h === PROMO_HOUR) posts.push(this.promo(h));
    return posts;
  }

  private buildPost(
    rng: Rng,
    h: number,
    externalId: string,
    brand: DemoBrand,
    episode: boolean,
    atMs: number,
    earlier: readonly Post[],
  ): Post {
    const language = pickLanguage(rng);
    const phase = phaseOf(brand, h);
    const since = (atMs - this.startMs) / HOUR_MS - OUTAGE_START_HOUR;
    const pools = slotPools(brand, language);
    const vars = brandVars(brand);
    const heated = episode && brand === 'telvana';

    const notables = notablesFor(language);
    const notableChance = episode ? 0.03 : 0.006;
    const author =
      notables.length > 0 && rng.chance(notableChance)
        ? notableAuthor(rng.pick(notables))
        : randomCustomer(this.seed, language, rng);

    let tone: Tone;
    let topic: string;
    let text: string;
    let parent: { id: string; threadId: string } | undefined;

    if (heated) {
      // Smaller languages have fewer topics written; they talk about the ones they have.
      const byLanguage = SOCIAL_EPISODE[language];
      const episodeTopic = rng.weighted(
        episodeTopicWeights(since).filter(([t]) => byLanguage[t] !== undefined),
      );
      topic = episodeTopic;
      tone = episodeTone(episodeTopic, rng);
      const notableTemplates = author.notable ? SOCIAL_EPISODE_NOTABLE[episodeTopic] : undefined;
      let core = renderTemplate(
        rng.pick(notableTemplates ?? byLanguage[episodeTopic] ?? []),
        rng,
        pools,
        vars,
      );

      const meToo = (episodeTopic === 'outage' || episodeTopic === 'question') && rng.chance(0.12);
      const target = meToo ? lastCustomerPost(earlier, brand) : undefined;
      if (target) {
        core = `@${target.author.handle} ${renderTemplate(rng.pick(SOCIAL_ME_TOO[language]), rng, pools, vars)}`;
        parent = { id: target.item.externalId, threadId: target.item.threadId ?? target.item.externalId };
        tone = 'negative';
      } else if (episodeTopic === 'promo' && rng.chance(0.35)) {
        // Replies straight under the promo: the ratio that made it a story.
        if (!core.includes(vars.care ?? '')) core = `${vars.care} ${core}`;
        const promoId = promoExternalId();
        parent = { id: promoId, threadId: promoId };
      }
      const opener =
        language === 'en' && tone === 'negative' && !parent ? rng.pick(SOCIAL_EPISODE_OPENERS) : '';
      const tag = rng.chance(hashtagChance(since)) ? EPISODE_HASHTAG : '';
      const closer = tone === 'negative' ? rng.pick(SOCIAL_CLOSERS[language].negative) : '';
      // People tag where they are when the network is down; it also keeps posts distinct.
      const pin = !parent && rng.chance(0.2) ? renderTemplate('📍{place}', rng, pools) : '';
      text = joinParts([opener, core, closer, pin, tag]);
    } else if (episode && brand === 'brightwave' && since >= 2) {
      tone = 'positive';
      topic = 'switched';
      const core = renderTemplate(rng.pick(SOCIAL_SWITCHED[language]), rng, pools, vars);
      const tag = rng.chance(0.15 * hashtagChance(since)) ? EPISODE_HASHTAG : '';
      text = joinParts([core, tag]);
    } else {
      tone = rng.weighted(TONE_MIX[brand]);
      const byTopic = SOCIAL_NORMAL[language][tone];
      const topics = Object.keys(byTopic);
      topic = rng.weighted(topics.map((t) => [t, byTopic[t]?.length ?? 0] as const));
      const core = renderTemplate(rng.pick(byTopic[topic] ?? []), rng, pools, vars);
      const tags: string[] = [];
      if (language === 'en' && rng.chance(0.25))
        tags.push(renderTemplate(rng.pick(SOCIAL_HASHTAGS), rng, pools, vars));
      // The hashtag outlives the backlash in a few complaints, but never exists before the outage.
      if (brand === 'telvana' && tone === 'negative' && since >= 0 && rng.chance(LINGERING_HASHTAG_CHANCE)) {
        tags.push(EPISODE_HASHTAG);
      }
      text = joinParts([
        rng.pick(SOCIAL_OPENERS[language][tone]),
        core,
        rng.pick(SOCIAL_CLOSERS[language][tone]),
        ...tags,
      ]);
    }

    const kind: PostKind = parent ? 'reply' : 'post';
    const item: SourceItem = {
      externalId,
      url: `${DEMO_BASE_URL}/social/${author.handle}/status/${externalId}`,
      content: text,
      contentType: 'text',
      author: { name: author.name, handle: author.handle, followers: author.followers, url: author.url },
      publishedAt: new Date(atMs),
      engagement: engagementFor(rng, author.followers, heated && tone === 'negative'),
      parentId: parent?.id,
      threadId: parent?.threadId,
      language,
      raw: { demo: true, channel: 'social', brand, phase, tone, topic, kind, hourIndex: h, seed: this.seed },
    };
    return { item, brand, tone, topic, kind, language, phase, author, atMs };
  }

  /** The tone-deaf scheduled promo, two hours into the outage; it draws a pile-on of replies. */
  private promo(h: number): Post {
    const v = BRAND_VOCABULARY.telvana;
    const author: DemoAuthor = {
      name: v.careSign,
      handle: v.careHandle,
      followers: CARE_FOLLOWERS.telvana,
      url: `${DEMO_BASE_URL}/social/${v.careHandle}`,
    };
    const atMs = this.startMs + OUTAGE_START_HOUR * HOUR_MS + PROMO_DELAY_MS;
    const externalId = promoExternalId();
    const item: SourceItem = {
      externalId,
      url: `${DEMO_BASE_URL}/social/${v.careHandle}/status/${externalId}`,
      content: PROMO_POST,
      contentType: 'text',
      author,
      publishedAt: new Date(atMs),
      engagement: { likes: 41, replies: 1240, shares: 615 },
      language: 'en',
      raw: {
        demo: true,
        channel: 'social',
        brand: 'telvana',
        phase: 'outage',
        tone: 'positive',
        topic: 'promo',
        kind: 'promo',
        owned: true,
        hourIndex: h,
        seed: this.seed,
      },
    };
    return {
      item,
      brand: 'telvana',
      tone: 'positive',
      topic: 'promo',
      kind: 'promo',
      language: 'en',
      phase: 'outage',
      author,
      atMs,
    };
  }

  /** Support replies published in hour `h`, numbered after the hour's `postCount` posts. */
  private careRepliesIn(h: number, postCount: number): SourceItem[] {
    const replies: { parent: Post; atMs: number }[] = [];
    for (let k = MAX_REPLY_LAG_HOURS; k >= 0; k--) {
      if (h - k < 0) continue;
      for (const parent of this.postsOf(h - k)) {
        const atMs = this.careReplyTime(parent);
        if (atMs !== null && Math.floor((atMs - this.startMs) / HOUR_MS) === h)
          replies.push({ parent, atMs });
      }
    }
    replies.sort((a, b) => a.atMs - b.atMs);
    return replies.map(({ parent, atMs }, j) =>
      this.careReply(h, `demo-social-${h}-${postCount + j}`, parent, atMs),
    );
  }

  /**
   * Whether and when support answers a post: a third of complaints and questions within the hour
   * normally; during the outage almost nobody, and hours late ("still waiting for a reply").
   */
  private careReplyTime(parent: Post): number | null {
    if (parent.kind !== 'post' && parent.kind !== 'reply') return null;
    if (parent.author.notable) return null;
    if (parent.tone !== 'negative' && parent.topic !== 'question') return null;
    const rng = new Rng(hashSeed(this.seed, 'care', parent.item.externalId));
    const telvana = parent.brand === 'telvana';
    const p = !telvana ? 0.25 : parent.phase === 'outage' ? 0.05 : parent.phase === 'backlash' ? 0.15 : 0.35;
    if (!rng.chance(p)) return null;
    let delayMs: number;
    if (telvana && parent.phase === 'outage') delayMs = rng.int(3 * 60, 11 * 60) * 60_000;
    else if (telvana && parent.phase === 'backlash') delayMs = rng.lognormal(Math.log(3 * HOUR_MS), 0.6);
    else delayMs = rng.lognormal(Math.log(40 * 60_000), 0.8);
    delayMs = Math.min(Math.max(delayMs, 3 * 60_000), 11.5 * HOUR_MS);
    return Math.round((parent.atMs + delayMs) / 1000) * 1000;
  }

  private careReply(h: number, externalId: string, parent: Post, atMs: number): SourceItem {
    const rng = new Rng(hashSeed(this.seed, 'care-text', parent.item.externalId));
    const v = BRAND_VOCABULARY[parent.brand];
    const phase = phaseOf(parent.brand, h);
    const situation: CareSituation =
      parent.brand === 'telvana' && (phase === 'outage' || phase === 'backlash')
        ? phase
        : parent.topic === 'question'
          ? 'question'
          : 'normal';
    const template = rng.pick(CARE_REPLIES[parent.language][situation]);
    const text = renderTemplate(template, rng, slotPools(parent.brand, parent.language), {
      ...brandVars(parent.brand),
      handle: parent.author.handle,
      first: firstName(parent.author),
      agent: rng.pick(SUPPORT_AGENTS),
    });
    return {
      externalId,
      url: `${DEMO_BASE_URL}/social/${v.careHandle}/status/${externalId}`,
      content: text,
      contentType: 'text',
      author: {
        name: v.careSign,
        handle: v.careHandle,
        followers: CARE_FOLLOWERS[parent.brand],
        url: `${DEMO_BASE_URL}/social/${v.careHandle}`,
      },
      publishedAt: new Date(atMs),
      engagement: { likes: rng.poisson(0.4), replies: rng.poisson(0.3), shares: 0 },
      parentId: parent.item.externalId,
      threadId: parent.item.threadId ?? parent.item.externalId,
      language: parent.language,
      raw: {
        demo: true,
        channel: 'social',
        brand: parent.brand,
        phase,
        tone: 'neutral',
        topic: parent.topic,
        kind: 'care_reply',
        owned: true,
        hourIndex: h,
        seed: this.seed,
      },
    };
  }
}

export function promoExternalId(): string {
  return `demo-social-${PROMO_HOUR}-promo`;
}

function lastCustomerPost(posts: readonly Post[], brand: DemoBrand): Post | undefined {
  for (let i = posts.length - 1; i >= 0; i--) {
    const p = posts[i];
    if (p && p.brand === brand && p.kind === 'post') return p;
  }
  return undefined;
}

/** What the outage conversation is about, `since` hours in: confusion first, then anger, then exits. */
function episodeTopicWeights(since: number): readonly (readonly [EpisodeTopic, number])[] {
  const s = since;
  const during = s < OUTAGE_HOURS;
  return [
    ['question', s < 1 ? 4 : s < 3 ? 2 : during ? 0.8 : 0.2],
    ['outage', during ? 5 : s < 24 ? 1.5 : 0.4],
    ['support', s < 1 ? 0.3 : s < 48 ? (during ? 2.5 : 1.5) : 0.8],
    ['churn', s < 2 ? 0.2 : during ? 1.5 : s < 72 ? 2.5 : 1.5],
    // The promo goes out at +2h17m; nobody can react to it before.
    ['promo', s < PROMO_DELAY_MS / HOUR_MS ? 0 : during ? 2.5 : s < 48 ? 1 : 0.3],
    ['leak', s < 6 ? 0 : s < 24 ? 1.2 : s < 72 ? 1.5 : 0.6],
    ['compensation', s < 10 ? 0.2 : s < 72 ? 1.5 : 1],
    ['restored', during ? 0 : s < 30 ? 3 : s < 48 ? 0.8 : 0],
    ['joke', 0.6],
    ['sympathy', 0.3],
  ];
}

function episodeTone(topic: EpisodeTopic, rng: Rng): Tone {
  switch (topic) {
    case 'question':
      return 'neutral';
    case 'restored':
      return rng.chance(0.5) ? 'neutral' : 'negative';
    case 'joke':
      return rng.chance(0.6) ? 'negative' : 'neutral';
    case 'sympathy':
      return 'positive';
    default:
      return 'negative';
  }
}
