import { foldText } from './query/text.ts';

/**
 * The few terms of a mention that trend views and the emerging-term detector count: its hashtags and
 * its most frequent content words after stop words. Bounded per mention (at most MAX_HASHTAGS +
 * MAX_WORDS), so term rollups grow with vocabulary, not with text length.
 */

export const MAX_WORDS = 8;
export const MAX_HASHTAGS = 5;
/** Longer tokens are URLs fragments, ids or keyboard mashing, not words people trend on. */
const MAX_TERM_LENGTH = 40;

// English first (most feeds), then the commonest function words of the other languages the
// sentiment lexicons cover, and social-media filler. Folded (lower case, no accents) like the text.
const STOP_WORDS = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being
below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
each few for from further get got had hadn't has hasn't have haven't having he he'd he'll he's her here
here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
just let's like me more most mustn't my myself no nor not now of off on once only or other ought our ours
ourselves out over own really same shan't she she'd she'll she's should shouldn't so some still such than
that that's the their theirs them themselves then there there's these they they'd they'll they're they've
this those through to too under until up us very via was wasn't we we'd we'll we're we've were weren't what
what's when when's where where's which while who who's whom why why's will with won't would wouldn't yes yet
you you'd you'll you're you've your yours yourself yourselves im ive dont cant wont didnt doesnt isnt
thats u ur lol omg amp rt http https www com one two even much many every ever never always already
der die das und ist nicht ein eine einen dem den des mit von zu auf fur im ich sie wir es bei auch
als aber oder wie wenn noch nur schon mein meine kein keine sich hat habe sind war
le la les un une des du de et est pas pour dans sur avec que qui ce ces je il elle nous vous ils au aux
mais ou plus tres mon ma mes sont ete
el los las una unos unas del y es no por para con que en lo se su sus mi mis al pero como muy mas esta
este esto ya
het een en van ik je niet dat op te zijn met voor aan maar ook nog
il lo gli di da che non per con una sono mio`
    .split(/\s+/)
    .filter(Boolean),
);

const URL_RE = /\b(?:https?:\/\/|www\.)\S+/gu;
const MENTION_RE = /(?<![\p{L}\p{N}_])@[\p{L}\p{N}_.]+/gu;
const HASHTAG_RE = /(?<![\p{L}\p{N}_&])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu;
const WORD_RE = /\p{L}[\p{L}\p{M}\p{N}']*(?:-[\p{L}\p{N}]+)*/gu;

function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word) || STOP_WORDS.has(word.replace(/'s$/, ''));
}

/**
 * Hashtags (as `#tag`, in order of appearance) then the most frequent content words (ties keep
 * the order of first appearance). Folded so "#VodaFail" and "#vodafail" are one term.
 */
export function extractTerms(text: string): string[] {
  const folded = foldText(text).replace(/[’`]/g, "'").replace(URL_RE, ' ').replace(MENTION_RE, ' ');
  const hashtags: string[] = [];
  for (const m of folded.matchAll(HASHTAG_RE)) {
    const tag = `#${m[1]}`;
    if (tag.length <= MAX_TERM_LENGTH && !hashtags.includes(tag)) hashtags.push(tag);
    if (hashtags.length === MAX_HASHTAGS) break;
  }
  const words = new Map<string, { n: number; first: number }>();
  const body = folded.replace(HASHTAG_RE, ' ');
  let i = 0;
  for (const m of body.matchAll(WORD_RE)) {
    // Elided articles ("l'orange", "j'en") count as the word they precede.
    const word = m[0].replace(/'+$/, '').replace(/^\p{L}'/u, '');
    i++;
    if (word.length < 3 || word.length > MAX_TERM_LENGTH || isStopWord(word)) continue;
    const seen = words.get(word);
    if (seen) seen.n++;
    else words.set(word, { n: 1, first: i });
  }
  const top = [...words.entries()]
    .sort((a, b) => b[1].n - a[1].n || a[1].first - b[1].first)
    .slice(0, MAX_WORDS)
    .map(([w]) => w);
  return [...hashtags, ...top];
}

/**
 * A mention's terms as counted for one watch: the words the watch's query matched (the brand name
 * itself, which every mention of the watch carries) are left out; hashtags always count.
 */
export function termsForWatch(terms: readonly string[], matchedTerms: readonly string[]): string[] {
  if (matchedTerms.length === 0) return [...terms];
  const skip = new Set(matchedTerms.flatMap((t) => foldText(t).split(/[^\p{L}\p{N}'-]+/u)));
  return terms.filter((t) => t.startsWith('#') || !skip.has(t));
}

/** `#tag` terms are hashtags; everything else a word. */
export function termKind(term: string): 'hashtag' | 'term' {
  return term.startsWith('#') ? 'hashtag' : 'term';
}
