import { detect } from 'tinyld';

/**
 * Language tagging with tinyld (offline, no model download). Short texts are unreliable, so below a
 * minimum length we return null ("unknown") rather than a guess.
 */
const MIN_CHARS = 20;

export function detectLanguage(text: string, declared?: string | null): string | null {
  if (declared) return declared;
  const sample = text
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[#@][\p{L}\p{N}_]+/gu, ' ')
    .slice(0, 1000);
  if (sample.replace(/\s+/g, '').length < MIN_CHARS) return null;
  const lang = detect(sample);
  return lang ? lang.slice(0, 2) : null;
}
