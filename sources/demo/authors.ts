import type { Author } from '../../src/core/mention.ts';
import {
  type DemoLanguage,
  FIRST_NAMES,
  LAST_NAMES,
  NOTABLE_ACCOUNTS,
  type NotableAccount,
} from './corpus/people.ts';
import { Rng, hashSeed } from './random.ts';

/**
 * The demo's customers. Author number `i` of a language is a pure function of (seed, language, i),
 * so the same person keeps the same name, handle and follower count wherever they turn up, and
 * regulars appear again across the 90 days without anyone storing a list.
 */

export interface DemoAuthor extends Author {
  name: string;
  handle: string;
  followers: number;
  notable?: NotableAccount['kind'] | undefined;
}

/** How many distinct customers post in each language. */
const POOL_SIZE: Record<DemoLanguage, number> = { en: 6000, es: 700, fr: 600, de: 600 };

/** Customer number `index` (taken modulo the pool size) of a language. */
export function customer(seed: number, language: DemoLanguage, index: number): DemoAuthor {
  const i = ((index % POOL_SIZE[language]) + POOL_SIZE[language]) % POOL_SIZE[language];
  const rng = new Rng(hashSeed(seed, 'author', language, i));
  const first = rng.pick(FIRST_NAMES[language]);
  const last = rng.pick(LAST_NAMES[language]);
  const name = rng.chance(0.2) ? `${first} ${last.charAt(0)}.` : `${first} ${last}`;
  const f = ascii(first);
  const l = ascii(last);
  const handle = rng.pick([
    `${f}${l}`,
    `${f}_${l}`,
    `${f}${l.charAt(0)}${rng.int(1, 99)}`,
    `${l}${rng.int(1, 99)}`,
    `${l}${f.charAt(0)}`,
    `the_${f}`,
    `${f}${rng.int(70, 2005)}`,
  ]);
  // Heavy tail: median ~180 followers, ~90% under 1,000, a few thousand at most for customers.
  const followers = Math.min(40_000, Math.round(rng.lognormal(Math.log(180), 1.3)));
  return { name, handle, followers, url: `https://demo.trustwatch.invalid/social/${handle}` };
}

/** Picks one of the language's customers at random (regulars recur across the timeline). */
export function randomCustomer(seed: number, language: DemoLanguage, rng: Rng): DemoAuthor {
  return customer(seed, language, rng.int(0, POOL_SIZE[language] - 1));
}

export function notableAuthor(account: NotableAccount): DemoAuthor {
  return {
    name: account.name,
    handle: account.handle,
    followers: account.followers,
    url: `https://demo.trustwatch.invalid/social/${account.handle}`,
    notable: account.kind,
  };
}

export function notablesFor(language: DemoLanguage): readonly NotableAccount[] {
  return NOTABLE_ACCOUNTS.filter((a) => a.language === language);
}

/** Handle-safe lower-case ASCII: "Dáithí O'Brien" → "daithiobrien". */
function ascii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export function firstName(author: Author): string {
  return (author.name ?? '').split(' ')[0] || 'there';
}
