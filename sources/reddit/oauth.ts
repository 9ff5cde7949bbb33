import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { HttpClient } from '../../src/core/source.ts';
import { apiUrl, checkShape } from '../_api/shape.ts';

/**
 * Reddit app-only OAuth (client_credentials): with a registered app's id and secret, requests go to
 * oauth.reddit.com with a bearer token (higher rate limits than the public .json pages). Tokens last
 * an hour; they are cached in memory per app so a poll every few minutes does not ask each time.
 */

const tokenSchema = z.looseObject({ access_token: z.string().min(1), expires_in: z.number().default(3600) });

const cache = new Map<string, { token: string; expiresAt: number }>();

export async function appToken(
  http: HttpClient,
  baseUrl: string,
  clientId: string,
  clientSecret: string,
  now: number,
): Promise<string> {
  // Keyed by a hash so the secret itself is not kept as a map key.
  const key = createHash('sha256').update(`${baseUrl}\n${clientId}\n${clientSecret}`).digest('hex');
  const hit = cache.get(key);
  if (hit && hit.expiresAt > now) return hit.token;
  const url = apiUrl(baseUrl, 'api/v1/access_token');
  const res = await http.json({
    url,
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const body = checkShape(tokenSchema, res.data, { url: res.url, what: 'Reddit OAuth token response' });
  // Renew a minute early so a token never expires mid-poll.
  cache.set(key, { token: body.access_token, expiresAt: now + (body.expires_in - 60) * 1000 });
  return body.access_token;
}

/** Forgets cached tokens (tests; a 401 with a revoked token). */
export function clearTokenCache(): void {
  cache.clear();
}
