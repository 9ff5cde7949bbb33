import type { Command } from 'commander';
import { ValidationError } from '../../core/errors.ts';
import { SIGNAL_KINDS } from '../../core/mention.ts';
import {
  OPEN_REVIEW_STATES,
  REVIEW_PRIORITIES,
  REVIEW_STATES,
  type ReviewPriority,
  type ReviewState,
} from '../../core/review.ts';
import {
  addReviewNote,
  bulkReview,
  getReviewItemDetail,
  listReviewItems,
  respondReviewItem,
  reviewStats,
} from '../../store/repositories/review.ts';
import { findWatch } from '../../store/repositories/watches.ts';
import { ago, listLimit, table } from '../output.ts';
import { type Services, openServices, resolveWorkspace } from '../services.ts';

const ACTOR = 'cli';

/** Parses a comma list option whose values must be among `allowed`. */
function csvOption<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  flag: string,
): T[] | undefined {
  if (!value) return undefined;
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const v of list) {
    if (!(allowed as readonly string[]).includes(v)) {
      throw new ValidationError(
        `--${flag} must be one or a comma list of ${allowed.join(', ')} (got "${v}")`,
        [{ path: flag, message: 'invalid' }],
      );
    }
  }
  return list as T[];
}

async function withWorkspace<T>(
  workspace: string | undefined,
  fn: (services: Services, workspaceId: string) => Promise<T>,
): Promise<T> {
  const services = await openServices({ logLevel: 'warn' });
  try {
    const ws = await resolveWorkspace(services.db, workspace);
    return await fn(services, ws.id);
  } finally {
    await services.close();
  }
}

function printBulk(verb: string, result: Awaited<ReturnType<typeof bulkReview>>): void {
  const lines = [
    `${verb}: ${result.updated.length} updated, ${result.unchanged.length} already so, ${result.skipped.length} skipped.`,
    ...result.skipped.map((s) => `  ${s.id}: [${s.code}] ${s.reason}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (result.skipped.length && result.updated.length + result.unchanged.length === 0) process.exitCode = 1;
}

function formatSeconds(s: number | null): string {
  if (s === null) return '-';
  if (s < 90) return `${Math.round(s)}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${(s / 3600).toFixed(1)}h`;
  return `${(s / 86_400).toFixed(1)}d`;
}

export function registerReview(program: Command): void {
  const review = program
    .command('review')
    .description('The comms review queue: red-flag and high-reach negative mentions that need a reply.');

  review
    .command('list')
    .description('Queue items, newest posts first (by default the open ones: new, in_review, escalated).')
    .option('--state <states>', `one or a comma list of ${REVIEW_STATES.join(', ')}`)
    .option('--all', 'every state')
    .option('--watch <watch>', 'only this watch (id or name)')
    .option('--assignee <name>', 'only items assigned to this person')
    .option('--signal <kinds>', `only items with any of these signal kinds (${SIGNAL_KINDS.join(', ')})`)
    .option('--priority <p>', `one or a comma list of ${REVIEW_PRIORITIES.join(', ')}`)
    .option('--limit <n>', 'how many (1-500)', (v) => Number.parseInt(v, 10), 50)
    .option('--json', 'print JSON')
    .option('-w, --workspace <slug>', 'workspace')
    .action(
      async (opts: {
        state?: string;
        all?: boolean;
        watch?: string;
        assignee?: string;
        signal?: string;
        priority?: string;
        limit: number;
        json?: boolean;
        workspace?: string;
      }) => {
        const states = opts.all
          ? undefined
          : (csvOption(opts.state, REVIEW_STATES, 'state') ?? [...OPEN_REVIEW_STATES]);
        const signals = csvOption(opts.signal, SIGNAL_KINDS, 'signal');
        const priorities = csvOption(opts.priority, REVIEW_PRIORITIES, 'priority');
        await withWorkspace(opts.workspace, async (services, ws) => {
          const watchId = opts.watch ? (await findWatch(services.db, ws, opts.watch)).id : undefined;
          const { items } = await listReviewItems(services.db, ws, {
            states: states as ReviewState[] | undefined,
            watchId,
            assignee: opts.assignee,
            signals,
            priorities: priorities as ReviewPriority[] | undefined,
            limit: listLimit(opts.limit),
          });
          if (opts.json) {
            process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
            return;
          }
          const now = new Date();
          process.stdout.write(
            `${table(
              items.map((i) => ({
                id: i.id,
                state: i.state,
                priority: i.priority,
                assignee: i.assignee,
                posted: ago(i.publishedAt, now),
                why: [
                  ...i.signalKinds.filter((k) => k !== 'praise'),
                  ...i.reasons
                    .filter((r) => r.type !== 'signal')
                    .map((r) => (r.type === 'rule' ? `rule:${r.name}` : 'high reach')),
                ].join(','),
                post: `${i.mention.authorHandle ? `@${i.mention.authorHandle}: ` : ''}${i.mention.text}`,
              })),
              ['id', 'state', 'priority', 'assignee', 'posted', 'why', 'post'],
            )}\n`,
          );
        });
      },
    );

  review
    .command('show <id>')
    .description('One item: the post and its link, why it is here, notes and history.')
    .option('--json', 'print JSON')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (id: string, opts: { json?: boolean; workspace?: string }) => {
      await withWorkspace(opts.workspace, async (services, ws) => {
        const item = await getReviewItemDetail(services.db, ws, id);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(item, null, 2)}\n`);
          return;
        }
        const m = item.mention;
        process.stdout.write(
          [
            `${item.state} · ${item.priority}${item.assignee ? ` · assigned to ${item.assignee}` : ''}${item.tags.length ? ` · tags ${item.tags.join(', ')}` : ''}`,
            `${m.authorHandle ? `@${m.authorHandle}` : (m.authorName ?? 'unknown author')}${m.authorFollowers !== null ? ` (${m.authorFollowers} followers)` : ''}, ${item.publishedAt.toISOString()}, ${m.sentimentLabel}`,
            m.title ? `${m.title}\n${m.text}` : m.text,
            `link: ${m.url ?? '(none)'}`,
            `why: ${item.reasons.map((r) => (r.type === 'signal' ? r.kinds.join(', ') : r.type === 'rule' ? `rule "${r.name}"` : 'negative post with high reach')).join('; ')}`,
            item.respondedAt
              ? `responded ${item.respondedAt.toISOString()} (${formatSeconds(item.firstResponseSeconds)} after the post): ${item.responseUrl ?? ''}`
              : 'not responded yet',
            '',
            'Notes:',
            table(
              item.notes.map((n) => ({ at: n.createdAt, author: n.author, note: n.body })),
              ['at', 'author', 'note'],
            ),
            '',
            'History:',
            table(
              item.history.map((h) => ({ at: h.at, action: h.action, actor: h.actor, details: h.details })),
              ['at', 'action', 'actor', 'details'],
            ),
            '',
          ].join('\n'),
        );
      });
    });

  review
    .command('assign <ids...>')
    .description('Assign items to someone (or --none to unassign).')
    .option('--to <name>', 'who works on it')
    .option('--none', 'unassign')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (ids: string[], opts: { to?: string; none?: boolean; workspace?: string }) => {
      if (!opts.to && !opts.none) {
        throw new ValidationError('Say who with --to NAME, or --none to unassign', [
          { path: 'to', message: 'required' },
        ]);
      }
      await withWorkspace(opts.workspace, async (services, ws) => {
        const result = await bulkReview(
          services.db,
          ws,
          opts.none ? { ids, action: 'unassign' } : { ids, action: 'assign', assignee: opts.to },
          ACTOR,
        );
        printBulk(opts.none ? 'Unassigned' : `Assigned to ${opts.to}`, result);
      });
    });

  review
    .command('respond <id>')
    .description('Record the public reply (its link and time); the first one sets the first-response time.')
    .requiredOption('--url <url>', 'link to the public reply')
    .option('--at <time>', 'when the reply was posted (ISO 8601; default now)')
    .option('--note <text>', 'add an internal note as well')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (id: string, opts: { url: string; at?: string; note?: string; workspace?: string }) => {
      if (!/^https?:\/\/\S+$/i.test(opts.url)) {
        throw new ValidationError('--url must be an http(s) link to the reply', [
          { path: 'url', message: 'invalid' },
        ]);
      }
      const at = opts.at ? new Date(opts.at) : undefined;
      if (at && Number.isNaN(at.getTime())) {
        throw new ValidationError('--at must be an ISO 8601 time', [{ path: 'at', message: 'invalid' }]);
      }
      await withWorkspace(opts.workspace, async (services, ws) => {
        const { item, changed } = await respondReviewItem(services.db, ws, id, { url: opts.url, at }, ACTOR);
        if (opts.note) await addReviewNote(services.db, ws, id, opts.note, ACTOR);
        process.stdout.write(
          changed
            ? `Responded; first response ${formatSeconds(item.firstResponseSeconds)} after the post.\n`
            : 'Already recorded as responded with this link.\n',
        );
      });
    });

  review
    .command('dismiss <ids...>')
    .description('Dismiss items that need no reply (spam, off topic).')
    .option('--note <text>', 'why (kept as an internal note on each)')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (ids: string[], opts: { note?: string; workspace?: string }) => {
      await withWorkspace(opts.workspace, async (services, ws) => {
        const result = await bulkReview(services.db, ws, { ids, action: 'dismiss' }, ACTOR);
        if (opts.note) {
          for (const id of result.updated) await addReviewNote(services.db, ws, id, opts.note, ACTOR);
        }
        printBulk('Dismissed', result);
      });
    });

  review
    .command('stats')
    .description('First-response time per watch (median, p90) and the open backlog.')
    .option('--days <n>', 'window: the last N days', (v) => Number.parseInt(v, 10), 30)
    .option('--json', 'print JSON')
    .option('-w, --workspace <slug>', 'workspace')
    .action(async (opts: { days: number; json?: boolean; workspace?: string }) => {
      if (!Number.isInteger(opts.days) || opts.days < 1 || opts.days > 366) {
        throw new ValidationError('--days must be 1-366', [{ path: 'days', message: 'invalid' }]);
      }
      await withWorkspace(opts.workspace, async (services, ws) => {
        const to = new Date();
        const from = new Date(to.getTime() - opts.days * 86_400_000);
        const rows = await reviewStats(services.db, ws, { from, to });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ from, to, watches: rows }, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          `${table(
            rows.map((r) => ({
              watch: r.watchName,
              responded: r.responded,
              median: formatSeconds(r.medianSeconds),
              p90: formatSeconds(r.p90Seconds),
              open: r.openBacklog,
              'oldest open': formatSeconds(r.oldestOpenSeconds),
            })),
            ['watch', 'responded', 'median', 'p90', 'open', 'oldest open'],
          )}\n`,
        );
      });
    });
}
