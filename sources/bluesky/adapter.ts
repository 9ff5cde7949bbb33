import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FetchError } from '../../src/core/errors.ts';
import { type FetchContext, defineSource } from '../../src/core/source.ts';
import { apiUrl, checkShape } from '../_api/shape.ts';
import { type WalkCursor, pageToRead, walkStep } from '../_api/walk.ts';
import { parseAtDate, parseSearchPosts, postToItem, sessionSchema } from './parse.ts';

/**
 * Bluesky posts matching a search (`app.bsky.feed.searchPosts`, `sort=latest`). Anonymous against
 * the public AppView, or with a handle and an app password (a session on the PDS, which proxies the
 * search) where the AppView refuses anonymous search. Incremental by `indexedAt`, sent as `since`.
 */

const PUBLIC_APPVIEW = 'https://public.api.bsky.app';
const DEFAULT_PDS = 'https://bsky.social';

export const blueskyConfigSchema = z
  .object({
    query: z
      .string()
      .trim()
      .min(1)
      .max(300)
      .describe('Search query (Lucene-like: words, "phrases", `from:`, `#tag`).'),
    lang: z
      .string()
      .regex(/^[a-z]{2}$/)
      .optional()
      .describe('Only posts in this language (ISO 639-1).'),
    identifier: z
      .string()
      .optional()
      .describe('Handle or email of the account, for an app-password session.'),
    appPassword: z
      .string()
      .optional()
      .describe(
        'App password (Settings → Privacy and security → App passwords), never the account password. Secret.',
      ),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        `Service: the public AppView (${PUBLIC_APPVIEW}) without a session, your PDS (${DEFAULT_PDS}) with one.`,
      ),
    limit: z.number().int().min(1).max(100).default(100).describe('Posts per request (max 100).'),
    maxPages: z.number().int().min(1).max(20).default(5).describe('Most pages read per poll.'),
  })
  .refine((c) => Boolean(c.identifier) === Boolean(c.appPassword), {
    message: '`identifier` and `appPassword` go together',
    path: ['appPassword'],
  });

export type BlueskyConfig = z.infer<typeof blueskyConfigSchema>;
export type BlueskyCursor = WalkCursor<string>;

const sessions = new Map<string, { accessJwt: string; expiresAt: number }>();
/** Access tokens live about two hours; renew well before. */
const SESSION_TTL_MS = 60 * 60_000;

async function accessToken(
  config: BlueskyConfig,
  base: string,
  ctx: FetchContext,
): Promise<string | undefined> {
  if (!config.identifier || !config.appPassword) return undefined;
  const key = createHash('sha256')
    .update(`${base}\n${config.identifier}\n${config.appPassword}`)
    .digest('hex');
  const now = ctx.now().getTime();
  const hit = sessions.get(key);
  if (hit && hit.expiresAt > now) return hit.accessJwt;
  const res = await ctx.http.json({
    url: apiUrl(base, 'xrpc/com.atproto.server.createSession'),
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ identifier: config.identifier, password: config.appPassword }),
  });
  const session = checkShape(sessionSchema, res.data, { url: res.url, what: 'Bluesky session' });
  sessions.set(key, { accessJwt: session.accessJwt, expiresAt: now + SESSION_TTL_MS });
  return session.accessJwt;
}

export const blueskySource = defineSource<BlueskyConfig, BlueskyCursor>({
  id: 'bluesky',
  name: 'Bluesky',
  description:
    'Bluesky posts matching a search (app.bsky.feed.searchPosts), optionally with an app-password session.',
  configSchema: blueskyConfigSchema,
  secretFields: ['appPassword'],
  example: { query: '"acme bank" OR #acmebank', limit: 100, maxPages: 5 },
  defaultIntervalSeconds: 300,

  async fetch(config, cursor, ctx) {
    const base = config.baseUrl ?? (config.identifier ? DEFAULT_PDS : PUBLIC_APPVIEW);
    const page = pageToRead(cursor, '');
    const url = apiUrl(base, 'xrpc/app.bsky.feed.searchPosts', {
      q: config.query,
      sort: 'latest',
      limit: config.limit,
      lang: config.lang,
      cursor: page || undefined,
      since: cursor?.mark ?? undefined,
    });
    const get = async () => {
      const token = await accessToken(config, base, ctx);
      return ctx.http.json({ url, headers: token ? { Authorization: `Bearer ${token}` } : {} });
    };
    let res: Awaited<ReturnType<typeof get>>;
    try {
      res = await get();
    } catch (err) {
      // An expired or revoked session: start a new one, once.
      if (!(err instanceof FetchError && err.status === 401 && config.identifier)) throw err;
      sessions.clear();
      res = await get();
    }
    const body = parseSearchPosts(res.data, res.url);
    const entries = body.posts.flatMap((view) => {
      const item = postToItem(view);
      const at = parseAtDate(view.indexedAt);
      return item && at ? [{ item, key: at.toISOString() }] : [];
    });
    return walkStep(cursor, { entries, next: body.cursor || undefined }, config.maxPages);
  },
});
