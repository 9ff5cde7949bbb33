import { z } from 'zod';
import { defineSource } from '../../src/core/source.ts';
import { apiUrl } from '../_api/shape.ts';
import { FIELD_MASK, parsePlace, reviewToItem } from './parse.ts';

/**
 * Google reviews of one or more places (shops, branches, offices) through the Places API (New).
 * The API returns at most five reviews per place, chosen by relevance, with no paging and no
 * "newest" sort, so each place is one page and a review is new when its id was not seen before.
 */

export const googlePlacesConfigSchema = z.object({
  apiKey: z
    .string()
    .min(10)
    .describe('Google Maps Platform API key with the Places API (New) enabled. Secret.'),
  placeIds: z
    .array(z.string().regex(/^[\w-]+$/, 'a place id such as ChIJN1t_tDeuEmsRUsoyG83frY4'))
    .min(1)
    .max(50)
    .describe('Place ids to watch (find them with the Place ID finder); one request per place per poll.'),
  languageCode: z
    .string()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/)
    .optional()
    .describe(
      'Language for place names and translated texts (`en`, `de`...); reviews keep their original text.',
    ),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://places.googleapis.com/v1')
    .describe('API root; change only for a test server.'),
});

export type GooglePlacesConfig = z.infer<typeof googlePlacesConfigSchema>;
export interface GooglePlacesCursor {
  /** Index in `placeIds` of the next place to read in this poll. */
  next: number;
  /** Review ids seen per place (the newest 50): Google's five can change order or come back. */
  seen: Record<string, string[]>;
}

const SEEN_PER_PLACE = 50;

export const googlePlacesSource = defineSource<GooglePlacesConfig, GooglePlacesCursor>({
  id: 'google-places',
  name: 'Google reviews (Places API)',
  description:
    'Google Maps reviews and star ratings of your places, via the Places API (New) with an API key.',
  configSchema: googlePlacesConfigSchema,
  secretFields: ['apiKey'],
  example: {
    apiKey: 'AIza...your-key',
    placeIds: ['ChIJN1t_tDeuEmsRUsoyG83frY4'],
    baseUrl: 'https://places.googleapis.com/v1',
  },
  defaultIntervalSeconds: 21600,

  async fetch(config, cursor, ctx) {
    const index = cursor && cursor.next < config.placeIds.length ? cursor.next : 0;
    const placeId = config.placeIds[index] as string;
    const url = apiUrl(config.baseUrl, `places/${encodeURIComponent(placeId)}`, {
      languageCode: config.languageCode,
    });
    // The key goes in a header, never in the URL: nothing to redact from logs and errors.
    const res = await ctx.http.json({
      url,
      headers: { 'X-Goog-Api-Key': config.apiKey, 'X-Goog-FieldMask': FIELD_MASK },
    });
    const place = parsePlace(res.data, res.url);
    const known = new Set(cursor?.seen[placeId] ?? []);
    const fresh = place.reviews.filter((r) => !known.has(r.name));
    const items = fresh.map((r) => reviewToItem(r, place));
    const seen = {
      ...cursor?.seen,
      [placeId]: [...fresh.map((r) => r.name), ...known].slice(0, SEEN_PER_PLACE),
    };
    // Forget places removed from the config.
    for (const id of Object.keys(seen)) if (!config.placeIds.includes(id)) delete seen[id];
    const more = index + 1 < config.placeIds.length;
    return { items, nextCursor: { next: more ? index + 1 : 0, seen }, more };
  },
});
