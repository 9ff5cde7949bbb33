import { mulberry32 } from '../sources/demo/random.ts';
import type { SourceItem } from '../src/core/mention.ts';

/**
 * Deterministic synthetic mentions for benchmarks: brand and competitor posts of realistic length and
 * mood, every text unique (so deduplication does not collapse them), spread over the past year. They
 * declare no language, as most real feeds do not, so language detection is part of what is measured.
 */
const OPENERS = [
  'Telvana support',
  'My Telvana contract',
  'The Telvana app',
  'Telvana coverage in town',
  'Brightwave',
  'Switched from Telvana to Brightwave and',
  '@TelvanaCare',
  'Telvana billing',
];
const BODIES = [
  'is great, fixed my problem in minutes',
  'has been down for hours and nobody answers',
  'charged me twice this month, not happy',
  'works fine, nothing special',
  'is the best thing that happened to my phone plan',
  'is terrible, I will cancel',
  'keeps dropping calls on the train',
  'gave me a lovely surprise upgrade, thank you',
  'raised prices again without telling anyone',
  'answered my question politely',
];
const TAILS = ['', ' #telvanafail', ' !!', ' :(', ' :)', ' honestly.', ' anyone else?', ' #mobile'];

export function syntheticItems(count: number, seed = 7, end = Date.UTC(2026, 10, 1)): SourceItem[] {
  const rnd = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const span = 365 * 86_400_000;
  const items: SourceItem[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(end - Math.floor(rnd() * span));
    items.push({
      externalId: `bench-${seed}-${i}`,
      url: `https://social.example/p/${seed}/${i}`,
      content: `${pick(OPENERS)} ${pick(BODIES)}${pick(TAILS)} (post ${i})`,
      contentType: 'text',
      author: {
        name: `User ${i % 5000}`,
        handle: `user${i % 5000}`,
        followers: Math.floor(rnd() ** 4 * 100_000),
      },
      publishedAt: at,
      engagement: {
        likes: Math.floor(rnd() * 50),
        replies: Math.floor(rnd() * 5),
        shares: Math.floor(rnd() * 3),
      },
    });
  }
  return items;
}
