import { EMOTICONS } from './lexicons.ts';

/** One token of a text, with its span in the original string (for highlighting). */
export interface Token {
  /** Lowercased text ("can't" with a straight apostrophe). */
  norm: string;
  start: number;
  end: number;
  kind: 'word' | 'emoji' | 'emoticon';
  /** Written in capitals (2+ letters), which adds emphasis when the text is not all capitals. */
  caps: boolean;
  /** Clause number: negation and intensifiers do not reach across punctuation. */
  clause: number;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const emoticonAlternatives = Object.keys(EMOTICONS)
  .sort((a, b) => b.length - a.length)
  .map(escapeRegExp)
  .join('|');

/**
 * URLs and @handles are skipped; hashtags give their word (#fail -> fail). Emoticons only count when
 * they stand alone, so "and:" or "http://" are not read as faces.
 */
const TOKEN_RE = new RegExp(
  [
    String.raw`(?<skip>https?:\/\/\S+|www\.\S+|@[\p{L}\p{N}_]+)`,
    String.raw`(?<emoticon>(?<=^|\s)(?:${emoticonAlternatives})(?:[()[\]dDpP/|])*(?=$|\s|[.,!?]))`,
    String.raw`(?<word>[\p{L}\p{N}]+(?:['’][\p{L}]+)*)`,
    String.raw`(?<emoji>\p{Extended_Pictographic})`,
    String.raw`(?<punct>[.,;:!?…]+)`,
  ].join('|'),
  'giu',
);

export function tokenize(text: string, splitElisions = false): Token[] {
  const tokens: Token[] = [];
  let clause = 0;
  for (const m of text.matchAll(TOKEN_RE)) {
    const g = m.groups;
    if (!g || g.skip !== undefined) continue;
    const start = m.index ?? 0;
    if (g.punct !== undefined) {
      clause++;
      continue;
    }
    if (g.emoticon !== undefined) {
      const raw = g.emoticon;
      // ":)))" is ":)" said louder; the lexicon knows the short form.
      tokens.push({
        norm: raw.toLowerCase().replace(/(.)\1+$/u, '$1'),
        start,
        end: start + raw.length,
        kind: 'emoticon',
        caps: false,
        clause,
      });
      continue;
    }
    if (g.emoji !== undefined) {
      tokens.push({ norm: g.emoji, start, end: start + g.emoji.length, kind: 'emoji', caps: false, clause });
      continue;
    }
    const raw = g.word ?? '';
    const caps = raw.length >= 2 && raw === raw.toUpperCase() && raw !== raw.toLowerCase();
    const norm = raw.toLowerCase().replace(/’/g, "'");
    const apostrophe = norm.indexOf("'");
    // French and Italian elisions (n'est, l'app, dell'app) are two words; English contractions are one.
    if (splitElisions && apostrophe > 0 && apostrophe <= 4) {
      tokens.push({
        norm: norm.slice(0, apostrophe),
        start,
        end: start + apostrophe,
        kind: 'word',
        caps,
        clause,
      });
      tokens.push({
        norm: norm.slice(apostrophe + 1),
        start: start + apostrophe + 1,
        end: start + raw.length,
        kind: 'word',
        caps,
        clause,
      });
      continue;
    }
    tokens.push({ norm, start, end: start + raw.length, kind: 'word', caps, clause });
  }
  return tokens;
}
