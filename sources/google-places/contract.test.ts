import { expect } from 'vitest';
import { ownFixture, readJson } from '../../test/contract/fixtures.ts';
import { describeSourceContract } from '../../test/contract/source-contract.ts';
import { googlePlacesSource } from './adapter.ts';
import { FIELD_MASK } from './parse.ts';

const PLACES: Record<string, string> = {
  'ChIJ8UNwBh-9oRQR3Y1mdkU1Nic': ownFixture('google-places/place-telvana-mitte.json'),
  'ChIJrTLr-GyuEmsRBfy61i59si0': ownFixture('google-places/place-telvana-sydney.json'),
};
const KEY = 'AIzaSyTEST-places-key-0042';

describeSourceContract({
  adapter: googlePlacesSource,
  fixtures: Object.values(PLACES),
  secrets: [KEY],
  config: (baseUrl) => ({ apiKey: KEY, placeIds: Object.keys(PLACES), languageCode: 'en', baseUrl }),
  serve(req) {
    if (req.headers['x-goog-api-key'] !== KEY) {
      return { status: 403, body: { error: { code: 403, status: 'PERMISSION_DENIED' } } };
    }
    if (req.headers['x-goog-fieldmask'] !== FIELD_MASK)
      return { status: 400, body: { error: { code: 400 } } };
    const file = PLACES[decodeURIComponent(req.path.replace(/^\/places\//, ''))];
    return file ? { body: readJson(file) } : undefined;
  },
  checkFirstPage(items) {
    expect(items).toHaveLength(3);
    expect(items.map((i) => i.rating)).toEqual([1, 5, 2]);
    expect(items[0]).toMatchObject({
      language: 'de',
      ratingScale: 5,
      title: 'Review of Telvana Store Mitte',
    });
  },
});
