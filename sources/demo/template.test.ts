import { describe, expect, it } from 'vitest';
import { NEWS_EPISODE, NEWS_FOREIGN, NEWS_NORMAL, NEWS_SWITCHED } from './corpus/news.ts';
import type { DemoLanguage } from './corpus/people.ts';
import { REVIEW_EPISODE, REVIEW_NORMAL, REVIEW_SWITCHED } from './corpus/reviews.ts';
import { brandVars, slotPools } from './corpus/slots.ts';
import {
  CARE_REPLIES,
  SOCIAL_CLOSERS,
  SOCIAL_EPISODE,
  SOCIAL_EPISODE_NOTABLE,
  SOCIAL_HASHTAGS,
  SOCIAL_ME_TOO,
  SOCIAL_NORMAL,
  SOCIAL_OPENERS,
  SOCIAL_SWITCHED,
} from './corpus/social.ts';
import { Rng } from './random.ts';
import { joinParts, renderTemplate } from './template.ts';
import type { DemoBrand } from './timeline.ts';

const LANGUAGES: readonly DemoLanguage[] = ['en', 'es', 'fr', 'de'];

/** Every string inside a (nested) corpus structure. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

const EXTRA_VARS = {
  handle: 'someone',
  first: 'Sam',
  agent: 'Ana',
  weekday: 'Tuesday',
  town: 'Cork',
  plan: 'Flex 30',
  month: 'May',
  growth: '4',
  adds: '50',
  rise: '5',
};

describe('renderTemplate', () => {
  it('fills variables, pools, alternatives and number ranges', () => {
    const rng = new Rng(1);
    const pools = { city: ['Cork', 'Galway {#1-1}'] };
    for (let i = 0; i < 50; i++) {
      const out = renderTemplate('{greet} from {city}{|!} {#3-5}', rng, pools, { greet: 'Hi' });
      expect(out).toMatch(/^Hi from (Cork|Galway 1)!? [345]$/);
    }
  });

  it('resolves slots nested inside alternatives', () => {
    const rng = new Rng(2);
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++)
      seen.add(renderTemplate('{in {city}|nowhere}', rng, { city: ['Cork', 'Sligo'] }));
    expect(seen).toEqual(new Set(['in Cork', 'in Sligo', 'nowhere']));
  });

  it('names an unknown slot instead of leaving braces in a post', () => {
    expect(() => renderTemplate('hello {nope}', new Rng(1), {})).toThrow(/unknown slot \{nope\}/);
  });
});

describe('joinParts', () => {
  it('drops empty parts and punctuates a bare sentence before the next one', () => {
    expect(joinParts(['', 'telvana is down', 'Sort it out.', '#telvanafail'])).toBe(
      'Telvana is down. Sort it out. #telvanafail',
    );
    expect(joinParts(['Ugh.', 'no signal ', '', '🙄'])).toBe('Ugh. no signal 🙄');
  });
});

describe('the demo corpus', () => {
  const corpora = [
    SOCIAL_NORMAL,
    SOCIAL_OPENERS,
    SOCIAL_CLOSERS,
    SOCIAL_HASHTAGS,
    SOCIAL_EPISODE,
    SOCIAL_EPISODE_NOTABLE,
    SOCIAL_ME_TOO,
    SOCIAL_SWITCHED,
    CARE_REPLIES,
    REVIEW_NORMAL,
    REVIEW_EPISODE,
    REVIEW_SWITCHED,
    NEWS_NORMAL,
    NEWS_EPISODE,
    NEWS_SWITCHED,
    NEWS_FOREIGN,
  ];

  it('renders every template for both brands and all languages without leftover braces', () => {
    const templates = corpora.flatMap(strings);
    expect(templates.length).toBeGreaterThan(400);
    const rng = new Rng(5);
    for (const brand of ['telvana', 'brightwave'] as DemoBrand[]) {
      for (const language of LANGUAGES) {
        const pools = slotPools(brand, language);
        const vars = { ...brandVars(brand), ...EXTRA_VARS };
        for (const t of templates) {
          for (let i = 0; i < 3; i++) expect(renderTemplate(t, rng, pools, vars)).not.toMatch(/[{}]/);
        }
      }
    }
  });

  it('has every Telvana social template name the brand or its support handle', () => {
    const rng = new Rng(6);
    const vars = brandVars('telvana');
    const telvanaTemplates = strings([SOCIAL_NORMAL, SOCIAL_EPISODE, SOCIAL_EPISODE_NOTABLE, SOCIAL_ME_TOO]);
    for (const t of telvanaTemplates) {
      expect(renderTemplate(t, rng, slotPools('telvana', 'en'), vars), t).toMatch(
        /\btelvana\b|@telvanacare/i,
      );
    }
    // Brightwave's switcher posts name Brightwave (and usually Telvana).
    for (const t of strings(SOCIAL_SWITCHED)) {
      expect(renderTemplate(t, rng, slotPools('brightwave', 'en'), brandVars('brightwave'))).toMatch(
        /Brightwave/,
      );
    }
  });

  it('keeps the protest hashtag out of everything that can be posted before the outage', () => {
    const beforeOutage = strings([
      SOCIAL_NORMAL,
      SOCIAL_OPENERS,
      SOCIAL_CLOSERS,
      SOCIAL_HASHTAGS,
      REVIEW_NORMAL,
      NEWS_NORMAL,
    ]);
    beforeOutage.push(...Object.values(NEWS_FOREIGN).flatMap((f) => strings(f.normal)));
    expect(beforeOutage.filter((t) => t.toLowerCase().includes('telvanafail'))).toEqual([]);
  });
});
