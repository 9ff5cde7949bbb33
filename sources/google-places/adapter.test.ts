import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/core/redact-url.ts';
import type { FetchContext, HttpClient, HttpRequest } from '../../src/core/source.ts';
import { ownFixture, readJson } from '../../test/contract/fixtures.ts';
import { fakeJsonHttp } from '../../test/helpers/fake-http.ts';
import { publicConfig } from '../index.ts';
import { googlePlacesConfigSchema, googlePlacesSource } from './adapter.ts';

const MITTE = readJson<{ id: string; reviews: { name: string }[] }>(
  ownFixture('google-places/place-telvana-mitte.json'),
);
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function fakeHttp(answer: () => unknown, seen: HttpRequest[]): HttpClient {
  return fakeJsonHttp(answer, (req) => seen.push(req));
}

describe('google-places', () => {
  const config = googlePlacesConfigSchema.parse({
    apiKey: 'AIza-secret-key-1',
    placeIds: [MITTE.id],
    baseUrl: 'http://127.0.0.1:9/v1',
  });

  it('sends the key in a header, never in the URL; the key is a secret field', async () => {
    const seen: HttpRequest[] = [];
    const ctx: FetchContext = { http: fakeHttp(() => MITTE, seen), log: silent, now: () => new Date() };
    await googlePlacesSource.fetch(config, null, ctx);
    expect(seen[0]?.url).not.toContain('AIza-secret-key-1');
    expect(seen[0]?.headers?.['X-Goog-Api-Key']).toBe('AIza-secret-key-1');
    expect(publicConfig('google-places', config).apiKey).toBe('[redacted]');
    // Legacy Places URLs carry `key=`: the shared redaction covers them too.
    expect(
      redactUrl('https://maps.googleapis.com/maps/api/place/details/json?place_id=x&key=AIza-secret'),
    ).not.toContain('AIza-secret');
  });

  it('returns only reviews not seen before, whatever order Google gives them in', async () => {
    let reviews = MITTE.reviews.slice(0, 2);
    const ctx: FetchContext = {
      http: fakeHttp(() => ({ ...MITTE, reviews }), []),
      log: silent,
      now: () => new Date(),
    };
    const first = await googlePlacesSource.fetch(config, null, ctx);
    expect(first.items.map((i) => i.externalId)).toEqual(reviews.map((r) => r.name));
    reviews = [...MITTE.reviews].reverse();
    const second = await googlePlacesSource.fetch(config, first.nextCursor, ctx);
    expect(second.items.map((i) => i.externalId)).toEqual([MITTE.reviews[2]?.name]);
    expect(second.nextCursor?.seen[MITTE.id]).toHaveLength(3);
    expect(second.more).toBe(false);
  });

  it('forgets places removed from the config', async () => {
    const ctx: FetchContext = { http: fakeHttp(() => MITTE, []), log: silent, now: () => new Date() };
    const r = await googlePlacesSource.fetch(config, { next: 0, seen: { gone: ['x'] } }, ctx);
    expect(Object.keys(r.nextCursor?.seen ?? {})).toEqual([MITTE.id]);
  });
});
