import { z } from 'zod';
import type { SourceItem } from '../../src/core/mention.ts';
import { checkShape, toDate } from '../_api/shape.ts';

/** The fields of GitHub's issue search results and issue comments that we read. */
const userSchema = z.looseObject({
  login: z.string(),
  html_url: z.string().optional(),
  type: z.string().optional(),
});

const reactionsSchema = z.looseObject({ total_count: z.number(), '+1': z.number().optional() }).optional();

export const issueSchema = z.looseObject({
  id: z.number(),
  number: z.number(),
  html_url: z.string(),
  repository_url: z.string(),
  comments_url: z.string().optional(),
  title: z.string(),
  body: z.string().nullish(),
  user: userSchema.nullish(),
  state: z.string().optional(),
  comments: z.number().default(0),
  created_at: z.string(),
  updated_at: z.string(),
  closed_at: z.string().nullish(),
  author_association: z.string().optional(),
  pull_request: z.looseObject({}).nullish(),
  reactions: reactionsSchema,
});

export const searchSchema = z.looseObject({
  total_count: z.number(),
  incomplete_results: z.boolean().optional(),
  items: z.array(issueSchema),
});

export const commentSchema = z.looseObject({
  id: z.number(),
  html_url: z.string(),
  body: z.string().nullish(),
  user: userSchema.nullish(),
  created_at: z.string(),
  updated_at: z.string(),
  author_association: z.string().optional(),
  reactions: reactionsSchema,
});

export type GithubIssue = z.infer<typeof issueSchema>;
export type GithubComment = z.infer<typeof commentSchema>;

export function parseSearch(data: unknown, url: string) {
  return checkShape(searchSchema, data, { url, what: 'GitHub issue search response' });
}

export function parseComments(data: unknown, url: string): GithubComment[] {
  return checkShape(z.array(commentSchema), data, { url, what: 'GitHub issue comment list' });
}

/** `https://api.github.com/repos/OWNER/REPO` (or a GHES `/api/v3/repos/...`) -> `OWNER/REPO`. */
export function repoOf(issue: GithubIssue): string {
  const m = /\/repos\/([^/]+\/[^/]+)$/.exec(issue.repository_url);
  return m?.[1] ?? issue.repository_url;
}

/** Associations GitHub gives people who speak for the project. */
const MAINTAINER_ASSOCIATIONS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

export function isMaintainer(
  who: { user?: { login: string } | null; author_association?: string | undefined },
  handles: ReadonlySet<string>,
): boolean {
  const login = who.user?.login?.toLowerCase();
  if (login && handles.has(login)) return true;
  return who.author_association !== undefined && MAINTAINER_ASSOCIATIONS.has(who.author_association);
}

export interface FirstReply {
  at: string;
  by: string;
  seconds: number;
}

/**
 * The first reply by a maintainer (or an owned handle) to an issue opened by someone else: how long
 * a customer waited for an answer. Null when nobody answered yet; undefined when the question does
 * not apply (the issue was opened by a maintainer).
 */
export function firstMaintainerReply(
  issue: GithubIssue,
  comments: GithubComment[],
  handles: ReadonlySet<string>,
): FirstReply | null | undefined {
  if (isMaintainer(issue, handles)) return undefined;
  const opened = Date.parse(issue.created_at);
  const reply = comments
    .filter((c) => isMaintainer(c, handles) && c.user?.login !== issue.user?.login)
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at))[0];
  if (!reply?.user) return null;
  return {
    at: reply.created_at,
    by: reply.user.login,
    seconds: Math.max(0, Math.round((Date.parse(reply.created_at) - opened) / 1000)),
  };
}

export function issueToItem(issue: GithubIssue, reply?: FirstReply | null): SourceItem {
  const repo = repoOf(issue);
  return {
    externalId: issue.html_url,
    url: issue.html_url,
    title: `${repo}#${issue.number}: ${issue.title}`,
    content: issue.body ?? undefined,
    contentType: 'text',
    author: issue.user ? { handle: issue.user.login, url: issue.user.html_url } : undefined,
    publishedAt: toDate(issue.created_at),
    engagement: { likes: issue.reactions?.total_count, replies: issue.comments },
    threadId: issue.html_url,
    raw: reply === undefined ? issue : { ...issue, firstMaintainerReply: reply },
  };
}

export function commentToItem(
  comment: GithubComment,
  issue: GithubIssue,
  handles: ReadonlySet<string>,
): SourceItem {
  return {
    externalId: comment.html_url,
    url: comment.html_url,
    content: comment.body ?? undefined,
    contentType: 'text',
    author: comment.user ? { handle: comment.user.login, url: comment.user.html_url } : undefined,
    publishedAt: toDate(comment.created_at),
    engagement: { likes: comment.reactions?.total_count },
    parentId: issue.html_url,
    threadId: issue.html_url,
    raw: { ...comment, byMaintainer: isMaintainer(comment, handles) },
  };
}
