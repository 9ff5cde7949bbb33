import { z } from 'zod';
import { TrustwatchError } from '../../src/core/errors.ts';
import type { SourceItem } from '../../src/core/mention.ts';
import { redactUrl } from '../../src/core/redact-url.ts';
import { defineSource } from '../../src/core/source.ts';
import { type WalkCursor, pageToRead, walkStep } from '../_api/walk.ts';
import { createOctokit } from './octokit.ts';
import {
  commentToItem,
  firstMaintainerReply,
  issueToItem,
  parseComments,
  parseSearch,
  repoOf,
} from './parse.ts';

/**
 * GitHub issues and pull requests matching a search, with their comments, through Octokit
 * (`GET /search/issues`, `sort=updated`). Incremental by `updated_at`: each poll adds
 * `updated:>=MARK` to the query. For issues opened by outsiders it records how long the first
 * reply by a maintainer (or an owned handle) took, in the issue's `raw.firstMaintainerReply`.
 */

export const githubConfigSchema = z.object({
  query: z
    .string()
    .trim()
    .min(1)
    .max(256)
    .describe('GitHub search query, e.g. `acme in:title,body` or `repo:acme/app is:open`.'),
  kind: z
    .enum(['issue', 'pr', 'both'])
    .default('both')
    .describe('Issues, pull requests, or both (adds `is:issue` / `is:pr`).'),
  token: z
    .string()
    .optional()
    .describe('Personal access token (fine-grained, read-only; public repos need no scope). Secret.'),
  maintainers: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'Handles that answer for you (support accounts); owners, members and collaborators count anyway.',
    ),
  comments: z
    .boolean()
    .default(true)
    .describe('Read the comments of updated issues (one request per issue, `maxCommentThreads` per page).'),
  maxCommentThreads: z
    .number()
    .int()
    .min(0)
    .max(50)
    .default(10)
    .describe('Most issues per page whose comments are read.'),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://api.github.com')
    .describe('API root: `https://HOST/api/v3` for GitHub Enterprise Server.'),
  perPage: z.number().int().min(1).max(100).default(50).describe('Results per search request (max 100).'),
  maxPages: z.number().int().min(1).max(10).default(3).describe('Most search pages per poll.'),
  searchIntervalMs: z
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(2000)
    .describe('Spacing of search requests (GitHub allows 30/min with a token, 10/min without: use 6000).'),
});

export type GithubConfig = z.infer<typeof githubConfigSchema>;
export type GithubCursor = WalkCursor<number>;

function notJson(url: string): TrustwatchError {
  const safe = redactUrl(url);
  return new TrustwatchError('FEED_MALFORMED', `${safe}: response is not valid JSON`, {
    details: { url: safe },
  });
}

export const githubSource = defineSource<GithubConfig, GithubCursor>({
  id: 'github',
  name: 'GitHub issues and pull requests',
  description:
    'Issues, pull requests and their comments matching a GitHub search; records time to first maintainer reply.',
  configSchema: githubConfigSchema,
  secretFields: ['token'],
  example: {
    query: 'acme in:title,body',
    kind: 'both',
    maintainers: ['acme-support'],
    comments: true,
    maxCommentThreads: 10,
    baseUrl: 'https://api.github.com',
    perPage: 50,
    maxPages: 3,
    searchIntervalMs: 2000,
  },
  defaultIntervalSeconds: 900,

  async fetch(config, cursor, ctx) {
    const { octokit, call } = createOctokit(ctx, config);
    const page = pageToRead(cursor, 1);
    const kind = config.kind === 'both' ? '' : ` is:${config.kind}`;
    // Inclusive (`>=`): GitHub times have one-second precision; walkStep tells same-second items apart.
    const since = cursor?.mark ? ` updated:>=${cursor.mark}` : '';
    const searchUrl = `${config.baseUrl}/search/issues`;
    const res = await call('GET /search/issues', () =>
      octokit.rest.search.issuesAndPullRequests({
        q: `${config.query}${kind}${since}`,
        sort: 'updated',
        order: 'desc',
        per_page: config.perPage,
        page,
      }),
    );
    if (typeof res.data === 'string') throw notJson(searchUrl);
    const search = parseSearch(res.data, searchUrl);
    const handles = new Set(config.maintainers.map((h) => h.toLowerCase()));
    const entries = search.items.map((issue) => ({ item: issueToItem(issue), key: issue.updated_at, issue }));
    const hasNext = /rel="next"/.test(res.headers.link ?? '');
    const step = walkStep(cursor, { entries, next: hasNext ? page + 1 : undefined }, config.maxPages);

    const items: SourceItem[] = [];
    const fresh = new Set(step.items.map((i) => i.externalId));
    let threads = 0;
    for (const { item, issue } of entries) {
      if (!fresh.has(item.externalId)) continue;
      if (!config.comments || issue.comments === 0 || threads >= config.maxCommentThreads) {
        items.push(
          issue.comments === 0 ? issueToItem(issue, firstMaintainerReply(issue, [], handles)) : item,
        );
        continue;
      }
      threads++;
      const [owner, repo] = repoOf(issue).split('/') as [string, string];
      const commentsUrl = `${config.baseUrl}/repos/${owner}/${repo}/issues/${issue.number}/comments`;
      // Oldest first: the first page holds the first replies, which is what the reply time needs.
      const list = await call(`GET ${commentsUrl}`, () =>
        octokit.rest.issues.listComments({ owner, repo, issue_number: issue.number, per_page: 100 }),
      );
      if (typeof list.data === 'string') throw notJson(commentsUrl);
      const comments = parseComments(list.data, commentsUrl);
      items.push(issueToItem(issue, firstMaintainerReply(issue, comments, handles)));
      // Only comments changed since the last poll: the others were returned before.
      for (const c of comments) {
        if (!cursor?.mark || c.updated_at >= cursor.mark) items.push(commentToItem(c, issue, handles));
      }
    }
    return { ...step, items };
  },
});
