import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readJson, sharedFixture } from '../../test/contract/fixtures.ts';
import {
  type GithubComment,
  type GithubIssue,
  firstMaintainerReply,
  issueToItem,
  parseSearch,
} from './parse.ts';

const RECORDED = sharedFixture('github/octokit_search-issues.normalized.json');

const issue = {
  id: 1,
  number: 9,
  html_url: 'https://github.com/acme/app/issues/9',
  repository_url: 'https://api.github.com/repos/acme/app',
  title: 'Login broken',
  body: 'Cannot log in since 2.3',
  user: { login: 'customer' },
  comments: 2,
  created_at: '2026-01-01T10:00:00Z',
  updated_at: '2026-01-02T10:00:00Z',
  author_association: 'NONE',
} as GithubIssue;

const comment = (login: string, at: string, assoc = 'NONE') =>
  ({
    id: at.length,
    html_url: `u#${at}`,
    user: { login },
    created_at: at,
    updated_at: at,
    author_association: assoc,
  }) as GithubComment;

describe('github parse', () => {
  it('measures the wait until the first maintainer reply (association or owned handle)', () => {
    const comments = [
      comment('bystander', '2026-01-01T10:05:00Z'),
      comment('Acme-Support', '2026-01-01T12:00:00Z'),
      comment('owner', '2026-01-01T11:00:00Z', 'OWNER'),
    ];
    expect(firstMaintainerReply(issue, comments, new Set(['acme-support']))).toEqual({
      at: '2026-01-01T11:00:00Z',
      by: 'owner',
      seconds: 3600,
    });
    expect(firstMaintainerReply(issue, comments.slice(1, 2), new Set(['acme-support']))?.seconds).toBe(7200);
    // Nobody from the team yet: null (still waiting), not undefined.
    expect(firstMaintainerReply(issue, comments.slice(0, 1), new Set())).toBeNull();
    // Opened by the team: not a customer waiting.
    expect(
      firstMaintainerReply({ ...issue, author_association: 'MEMBER' }, comments, new Set()),
    ).toBeUndefined();
  });

  it('names the repository and number in the title', () => {
    expect(issueToItem(issue)).toMatchObject({
      externalId: 'https://github.com/acme/app/issues/9',
      title: 'acme/app#9: Login broken',
      engagement: { replies: 2 },
    });
  });

  it.skipIf(!existsSync(RECORDED) && !process.env.CI)('parses the recorded octokit search scenario', () => {
    const [recorded] = readJson<{ response: unknown }[]>(RECORDED);
    const search = parseSearch(recorded?.response, 'u');
    expect(search.total_count).toBe(2);
    const item = issueToItem(search.items[0] as GithubIssue);
    expect(item.content).toContain('no pop');
    expect(item.author?.handle).toBe('octokit-fixture-user-b');
  });
});
