import { z } from 'zod';
import { ValidationError } from '../../../core/errors.ts';
import { REVIEW_PRIORITIES, type ReviewState } from '../../../core/review.ts';
import { getMention } from '../../../store/repositories/mentions.ts';
import {
  BULK_ACTIONS,
  type ReviewItem,
  addReviewNote,
  bulkReview,
  getReviewItemDetail,
  listReviewItems,
  respondReviewItem,
  reviewStats,
  updateReviewItem,
} from '../../../store/repositories/review.ts';
import { actorOf, hasRole } from '../../context.ts';
import { type DashboardContext, type DashboardDeps, idParam } from '../context.ts';
import { count, signalLabel, utc } from '../format.ts';
import { CsrfField, ErrorSummary, Field, Notice, PostForm, readForm } from '../forms.tsx';
import { href, renderPage, watchScope } from '../layout.tsx';
import { type DashboardRouter, redirectAfter } from '../router.tsx';
import { Highlighted, mentionMarks } from './highlight.tsx';

const DAY_MS = 86_400_000;

/** The queue's tabs: "open" (everything still waiting) first, then each state. */
const TABS: { key: string; label: string; states: ReviewState[] }[] = [
  { key: 'open', label: 'Open', states: ['new', 'in_review', 'escalated'] },
  { key: 'new', label: 'New', states: ['new'] },
  { key: 'in_review', label: 'In review', states: ['in_review'] },
  { key: 'escalated', label: 'Escalated', states: ['escalated'] },
  { key: 'responded', label: 'Responded', states: ['responded'] },
  { key: 'dismissed', label: 'Dismissed', states: ['dismissed'] },
];

const STATE_LABEL: Record<ReviewState, string> = {
  new: 'new',
  in_review: 'in review',
  escalated: 'escalated',
  responded: 'responded',
  dismissed: 'dismissed',
};

/** The queue's keys (handled in client/review.js) and what they do, listed by the `?` help. */
const SHORTCUTS: [keys: string[], meaning: string][] = [
  [['j', 'k'], 'Next / previous item'],
  [['a'], 'Assign to me'],
  [['r'], 'Mark responded (asks for the reply link; Enter saves)'],
  [['e'], 'Escalate'],
  [['d'], 'Dismiss'],
  [['x'], 'Select for a bulk action'],
  [['o', 'Enter'], 'Open the item (notes, history)'],
  [['?'], 'Show this help'],
];

/** "3 h 20 min", "2 d 4 h": first-response times read at a glance. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Where a form goes back to: a queue page of this dashboard, never elsewhere (no open redirect). */
function backTo(value: unknown, fallback: string): string {
  if (typeof value !== 'string') return fallback;
  return /^\/review(?:[/?]|$)/.test(value) && !value.startsWith('//') ? value : fallback;
}

function me(c: DashboardContext): string {
  return c.get('principal').name;
}

const stateForm = z.object({
  state: z.enum(['in_review', 'escalated', 'dismissed']),
  back: z.string().optional(),
});
const assignForm = z.object({
  assignee: z.string().trim().max(200).optional(),
  back: z.string().optional(),
});
const respondForm = z.object({
  url: z.url({ protocol: /^https?$/, error: 'the link of your public reply (https://...)' }).max(2000),
  back: z.string().optional(),
});
const noteForm = z.object({ body: z.string().trim().min(1, 'write a note').max(10_000) });
const bulkForm = z.object({
  ids: z
    .union([z.uuid(), z.array(z.uuid())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.uuid()).min(1).max(500)),
  action: z.enum([...BULK_ACTIONS, 'assign_me']),
  priority: z.enum(REVIEW_PRIORITIES).optional(),
  tags: z.string().trim().max(500).optional(),
  back: z.string().optional(),
});

/** Review queue: tabs by state, filters, keyboard triage, bulk actions, an item's notes and history. */
export function reviewPages(r: DashboardRouter): void {
  const { deps } = r;

  r.page('/review', async (c) => {
    const scope = await watchScope(c, deps);
    const ws = c.get('principal').workspaceId;
    const tab = TABS.find((t) => t.key === c.req.query('state')) ?? (TABS[0] as (typeof TABS)[number]);
    const priority = REVIEW_PRIORITIES.find((p) => p === c.req.query('priority'));
    const who = c.req.query('assignee') ?? '';
    const cursor = c.req.query('cursor');
    const now = deps.now?.() ?? new Date();
    const [page, stats] = await Promise.all([
      listReviewItems(deps.db, ws, {
        states: tab.states,
        watchId: scope.current?.id,
        priorities: priority ? [priority] : undefined,
        assignee: who === 'me' ? me(c) : undefined,
        unassigned: who === 'none',
        limit: 50,
        cursor: cursor || undefined,
      }),
      reviewStats(deps.db, ws, { from: new Date(now.getTime() - 30 * DAY_MS), to: now }, now),
    ]);
    const filters = { state: tab.key, priority, assignee: who || undefined };
    const self = href('/review', scope, { ...filters, cursor });
    const triage = hasRole(c.get('principal'), 'reviewer');
    return renderPage(
      c,
      deps,
      {
        title: 'Review queue',
        nav: 'review',
        scripts: ['review.js'],
        actions: (
          <button type="button" class="secondary" id="shortcuts-open" aria-haspopup="dialog">
            Keyboard shortcuts (?)
          </button>
        ),
      },
      <>
        <Notice text={c.req.query('done')} />
        <nav aria-label="Queue states">
          <ul class="tabs review-tabs">
            {TABS.map((t) => (
              <li key={t.key}>
                <a
                  href={href('/review', scope, { ...filters, state: t.key })}
                  aria-current={t.key === tab.key ? 'page' : undefined}
                >
                  {t.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <form class="filters" method="get" action="/review">
          {scope.current ? <input type="hidden" name="watch" value={scope.current.id} /> : null}
          <input type="hidden" name="state" value={tab.key} />
          <div class="field">
            <label for="f-priority">Priority</label>
            <select id="f-priority" name="priority">
              <option value="">Any</option>
              {REVIEW_PRIORITIES.map((p) => (
                <option key={p} value={p} selected={p === priority}>
                  {p}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-assignee">Assignee</label>
            <select id="f-assignee" name="assignee">
              <option value="">Anyone</option>
              <option value="me" selected={who === 'me'}>
                Me ({me(c)})
              </option>
              <option value="none" selected={who === 'none'}>
                Nobody
              </option>
            </select>
          </div>
          <button type="submit" class="secondary">
            Filter
          </button>
        </form>
        <div class="review-layout">
          <section aria-labelledby="queue-h" class="panel">
            <h2 id="queue-h">
              {tab.label} items{scope.current ? ` · ${scope.current.name}` : ''}
            </h2>
            {page.items.length === 0 ? (
              <p class="muted">Nothing here. The queue is clear.</p>
            ) : (
              <ol class="review-list" id="review-list" data-self={self}>
                {page.items.map((item) => (
                  <QueueItem key={item.id} c={c} item={item} back={self} triage={triage} />
                ))}
              </ol>
            )}
            {page.nextCursor ? (
              <p>
                <a href={href('/review', scope, { ...filters, cursor: page.nextCursor })}>Older items</a>
              </p>
            ) : null}
            {triage && page.items.length > 0 ? (
              <form id="bulk-form" method="post" action="/review/bulk" class="bulk">
                <CsrfField token={c.get('session').csrf} />
                <input type="hidden" name="back" value={self} />
                <fieldset>
                  <legend>Bulk action on the selected items (x selects)</legend>
                  <div class="field">
                    <label for="f-action">Action</label>
                    <select id="f-action" name="action">
                      <option value="assign_me">Assign to me</option>
                      <option value="unassign">Unassign</option>
                      <option value="start">Start review</option>
                      <option value="escalate">Escalate</option>
                      <option value="dismiss">Dismiss</option>
                      <option value="reopen">Reopen</option>
                      <option value="priority">Set priority</option>
                      <option value="tag">Add tags</option>
                    </select>
                  </div>
                  <div class="field">
                    <label for="f-bulk-priority">Priority (for Set priority)</label>
                    <select id="f-bulk-priority" name="priority">
                      {REVIEW_PRIORITIES.map((p) => (
                        <option key={p} value={p} selected={p === 'normal'}>
                          {p}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div class="field">
                    <label for="f-tags">Tags (for Add tags, comma separated)</label>
                    <input id="f-tags" name="tags" type="text" />
                  </div>
                  <button type="submit" id="bulk-submit">
                    Apply to selected
                  </button>
                </fieldset>
              </form>
            ) : null}
          </section>
          <section aria-labelledby="frt-h" class="panel">
            <h2 id="frt-h">First-response time, last 30 days</h2>
            <section class="table-wrap" tabindex={0} aria-labelledby="frt-h">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Watch</th>
                    <th scope="col" class="num">
                      Responded
                    </th>
                    <th scope="col" class="num">
                      Median
                    </th>
                    <th scope="col" class="num">
                      p90
                    </th>
                    <th scope="col" class="num">
                      Waiting
                    </th>
                    <th scope="col" class="num">
                      Oldest waiting
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {stats.map((s) => (
                    <tr key={s.watchId}>
                      <th scope="row">{s.watchName}</th>
                      <td class="num">{count(s.responded)}</td>
                      <td class="num">{duration(s.medianSeconds)}</td>
                      <td class="num">{duration(s.p90Seconds)}</td>
                      <td class="num">{count(s.openBacklog)}</td>
                      <td class="num">{duration(s.oldestOpenSeconds)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </section>
        </div>
        <dialog id="shortcuts" aria-labelledby="shortcuts-h">
          <h2 id="shortcuts-h">Keyboard shortcuts</h2>
          <dl class="shortcuts">
            {SHORTCUTS.map(([keys, meaning]) => (
              <div key={meaning}>
                <dt>
                  {keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 ? ' / ' : ''}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </dt>
                <dd>{meaning}</dd>
              </div>
            ))}
          </dl>
          <form method="dialog">
            <button type="submit">Close</button>
          </form>
        </dialog>
      </>,
    );
  });

  r.page('/review/:id', async (c) => {
    const ws = c.get('principal').workspaceId;
    const item = await getReviewItemDetail(deps.db, ws, idParam(c));
    return renderItemPage(c, deps, item);
  });

  r.action('/review/bulk', 'reviewer', async (c) => {
    const form = await readForm(c, bulkForm);
    const back = backTo(form.values.back, '/review');
    if (!form.ok) {
      const first = form.issues[0];
      const text =
        first?.path === 'ids'
          ? 'Select items first (x, or the checkboxes)'
          : `${first?.path}: ${first?.message}`;
      return redirectAfter(c, back, text);
    }
    const { action, ids } = form.data;
    const tags = form.data.tags
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const result = await bulkReview(
      deps.db,
      c.get('principal').workspaceId,
      {
        ids,
        action: action === 'assign_me' ? 'assign' : action,
        assignee: action === 'assign_me' ? me(c) : undefined,
        priority: form.data.priority,
        tags: action === 'tag' ? tags : undefined,
      },
      actorOf(c.get('principal')),
      deps.now?.() ?? new Date(),
    );
    const skipped = result.skipped.length
      ? `, ${result.skipped.length} skipped (${result.skipped[0]?.reason})`
      : '';
    return redirectAfter(c, back, `${result.updated.length} updated${skipped}`);
  });

  r.action('/review/:id/assign', 'reviewer', async (c) => {
    const form = await readForm(c, assignForm);
    const id = idParam(c);
    const back = backTo(form.values.back, `/review/${id}`);
    if (!form.ok) throw new ValidationError('Invalid assignee', form.issues);
    // No assignee field: "assign to me" (the a key). An empty one unassigns.
    const assignee = form.data.assignee === undefined ? me(c) : form.data.assignee || null;
    await updateReviewItem(
      deps.db,
      c.get('principal').workspaceId,
      id,
      { assignee },
      actorOf(c.get('principal')),
      now(deps),
    );
    return redirectAfter(c, back, assignee ? `Assigned to ${assignee}` : 'Unassigned');
  });

  r.action('/review/:id/state', 'reviewer', async (c) => {
    const form = await readForm(c, stateForm);
    const id = idParam(c);
    const back = backTo(form.values.back, `/review/${id}`);
    if (!form.ok) throw new ValidationError('Invalid state', form.issues);
    await updateReviewItem(
      deps.db,
      c.get('principal').workspaceId,
      id,
      { state: form.data.state },
      actorOf(c.get('principal')),
      now(deps),
    );
    return redirectAfter(c, back, `Marked ${STATE_LABEL[form.data.state]}`);
  });

  r.action('/review/:id/respond', 'reviewer', async (c) => {
    const form = await readForm(c, respondForm);
    const id = idParam(c);
    const ws = c.get('principal').workspaceId;
    const back = backTo(form.values.back, `/review/${id}`);
    if (!form.ok) {
      const item = await getReviewItemDetail(deps.db, ws, id);
      return renderItemPage(c, deps, item, { respond: form.issues, values: form.values }, 400);
    }
    await respondReviewItem(deps.db, ws, id, { url: form.data.url }, actorOf(c.get('principal')), now(deps));
    return redirectAfter(c, back, 'Marked responded');
  });

  r.action('/review/:id/notes', 'reviewer', async (c) => {
    const form = await readForm(c, noteForm);
    const id = idParam(c);
    const ws = c.get('principal').workspaceId;
    if (!form.ok) {
      const item = await getReviewItemDetail(deps.db, ws, id);
      return renderItemPage(c, deps, item, { note: form.issues, values: form.values }, 400);
    }
    await addReviewNote(deps.db, ws, id, form.data.body, actorOf(c.get('principal')));
    return redirectAfter(c, `/review/${id}`, 'Note added');
  });
}

function now(deps: DashboardDeps): Date {
  return deps.now?.() ?? new Date();
}

function Signals(props: { kinds: string[] }) {
  if (props.kinds.length === 0) return null;
  return (
    <ul class="terms" aria-label="Signals">
      {props.kinds.map((k) => (
        <li key={k} class={k === 'praise' ? 'pos' : 'neg'}>
          {signalLabel(k)}
        </li>
      ))}
    </ul>
  );
}

function QueueItem(props: { c: DashboardContext; item: ReviewItem; back: string; triage: boolean }) {
  const { c, item, back, triage } = props;
  const m = item.mention;
  const open = item.state === 'new' || item.state === 'in_review' || item.state === 'escalated';
  const author = m.authorHandle ? `@${m.authorHandle}` : (m.authorName ?? 'unknown author');
  return (
    <li class="review-item" data-id={item.id} tabindex={-1}>
      <div class="review-head">
        {triage ? (
          <input
            type="checkbox"
            name="ids"
            value={item.id}
            form="bulk-form"
            class="pick"
            aria-label={`Select item by ${author}`}
          />
        ) : null}
        <span class={`badge prio-${item.priority}`}>{item.priority}</span>
        <span class={`badge rstate-${item.state}`}>{STATE_LABEL[item.state]}</span>
        <span class="meta">
          {author}
          {m.authorFollowers ? ` · ${count(m.authorFollowers)} followers` : ''} · {utc(item.publishedAt)}
        </span>
        <span class="meta">· {item.assignee ? `assigned to ${item.assignee}` : 'unassigned'}</span>
        {item.tags.length ? <span class="meta">· tags: {item.tags.join(', ')}</span> : null}
      </div>
      <p class="review-text">
        {m.title ? <strong>{m.title}. </strong> : null}
        {m.text.length > 600 ? `${m.text.slice(0, 600)}…` : m.text}
      </p>
      <Signals kinds={item.signalKinds} />
      <div class="actions">
        <a href={`/review/${item.id}`} class="open-item">
          Notes and history
        </a>
        <PostLinks url={m.url} responseUrl={item.responseUrl} />
      </div>
      {triage ? (
        <div class="actions triage">
          <PostForm c={c} action={`/review/${item.id}/assign`}>
            <input type="hidden" name="back" value={back} />
            <button type="submit" class="secondary" data-key="a">
              Assign to me <kbd>a</kbd>
            </button>
          </PostForm>
          {open ? (
            <PostForm c={c} action={`/review/${item.id}/state`}>
              <input type="hidden" name="back" value={back} />
              <input type="hidden" name="state" value="escalated" />
              <button type="submit" class="secondary" data-key="e" disabled={item.state === 'escalated'}>
                Escalate <kbd>e</kbd>
              </button>
            </PostForm>
          ) : null}
          {item.state !== 'dismissed' && item.state !== 'responded' ? (
            <PostForm c={c} action={`/review/${item.id}/state`}>
              <input type="hidden" name="back" value={back} />
              <input type="hidden" name="state" value="dismissed" />
              <button type="submit" class="secondary" data-key="d">
                Dismiss <kbd>d</kbd>
              </button>
            </PostForm>
          ) : null}
          {item.state !== 'dismissed' ? (
            <details class="respond" data-key="r">
              <summary>
                Responded… <kbd>r</kbd>
              </summary>
              <PostForm c={c} action={`/review/${item.id}/respond`} class="inline">
                <input type="hidden" name="back" value={back} />
                <label for={`url-${item.id}`}>Link to our public reply</label>
                <input id={`url-${item.id}`} name="url" type="url" required placeholder="https://" />
                <button type="submit">Save</button>
              </PostForm>
            </details>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

interface ItemIssues {
  respond?: { path: string; message: string }[];
  note?: { path: string; message: string }[];
  values?: Record<string, string>;
}

async function renderItemPage(
  c: DashboardContext,
  deps: DashboardDeps,
  item: Awaited<ReturnType<typeof getReviewItemDetail>>,
  issues: ItemIssues = {},
  status: 400 | 200 = 200,
): Promise<Response> {
  const ws = c.get('principal').workspaceId;
  const mention = await getMention(deps.db, ws, item.mentionId);
  const scope = await watchScope(c, deps);
  const watch = scope.watches.find((w) => w.id === item.watchId);
  const link = mention.watches.find((w) => w.watchId === item.watchId);
  const marks = mentionMarks(
    { title: mention.title, text: mention.text, language: mention.language, signals: mention.signals },
    watch && link ? { query: watch.query, terms: link.matchedTerms } : null,
  );
  const triage = hasRole(c.get('principal'), 'reviewer');
  const back = `/review/${item.id}`;
  return renderPage(
    c,
    deps,
    { title: 'Review item', nav: 'review', watchPicker: false, status },
    <>
      <Notice text={c.req.query('done')} />
      <p>
        <a href={href('/review', watch ? { watches: scope.watches, current: watch } : undefined)}>
          ← Back to the queue
        </a>
      </p>
      <div class="grid">
        <section class="panel span-8" aria-labelledby="post-h">
          <h2 id="post-h">The post</h2>
          <p class="meta">
            {mention.author.handle ? `@${mention.author.handle}` : (mention.author.name ?? 'unknown author')}{' '}
            · {utc(mention.publishedAt)} · {watch?.name ?? 'watch'} · sentiment {mention.sentiment.label} (
            {mention.sentiment.score.toFixed(2)})
          </p>
          {mention.title ? (
            <h3>
              <Highlighted text={mention.title} marks={marks.title} />
            </h3>
          ) : null}
          <p class="mention-text">
            <Highlighted text={mention.text} marks={marks.text} />
          </p>
          <Signals kinds={item.signalKinds} />
          <p class="actions">
            <PostLinks url={mention.url} responseUrl={item.responseUrl} />
          </p>
        </section>
        <section class="panel span-4" aria-labelledby="state-h">
          <h2 id="state-h">Triage</h2>
          <dl class="facts">
            <dt>State</dt>
            <dd>
              <span class={`badge rstate-${item.state}`}>{STATE_LABEL[item.state]}</span>
            </dd>
            <dt>Priority</dt>
            <dd>{item.priority}</dd>
            <dt>Assignee</dt>
            <dd>{item.assignee ?? 'nobody'}</dd>
            <dt>Tags</dt>
            <dd>{item.tags.length ? item.tags.join(', ') : 'none'}</dd>
            <dt>First response</dt>
            <dd>{duration(item.firstResponseSeconds)}</dd>
          </dl>
          {triage ? (
            <div class="stack">
              <PostForm c={c} action={`/review/${item.id}/assign`} class="stack">
                <input type="hidden" name="back" value={back} />
                <Field
                  name="assignee"
                  label="Assignee"
                  hint="Empty unassigns"
                  value={item.assignee ?? me(c)}
                />
                <button type="submit" class="secondary">
                  Save assignee
                </button>
              </PostForm>
              <div class="actions">
                {(['in_review', 'escalated', 'dismissed'] as const)
                  .filter((s) => s !== item.state)
                  .map((s) => (
                    <PostForm key={s} c={c} action={`/review/${item.id}/state`}>
                      <input type="hidden" name="back" value={back} />
                      <input type="hidden" name="state" value={s} />
                      <button type="submit" class="secondary">
                        {s === 'in_review'
                          ? item.state === 'new'
                            ? 'Start review'
                            : 'Reopen'
                          : s === 'escalated'
                            ? 'Escalate'
                            : 'Dismiss'}
                      </button>
                    </PostForm>
                  ))}
              </div>
              {item.state !== 'dismissed' ? (
                <PostForm c={c} action={`/review/${item.id}/respond`} class="stack">
                  <input type="hidden" name="back" value={back} />
                  <ErrorSummary issues={issues.respond} />
                  <Field
                    name="url"
                    type="url"
                    label="Link to our public reply"
                    value={issues.values?.url ?? item.responseUrl ?? ''}
                    issues={issues.respond}
                    required
                  />
                  <button type="submit">Mark responded</button>
                </PostForm>
              ) : null}
            </div>
          ) : (
            <p class="muted">Viewers read the queue; reviewers and admins triage it.</p>
          )}
        </section>
        <section class="panel span-6" aria-labelledby="notes-h">
          <h2 id="notes-h">Notes</h2>
          {item.notes.length === 0 ? <p class="muted">No notes yet.</p> : null}
          <ul class="mentions">
            {item.notes.map((n) => (
              <li key={n.id}>
                <p class="meta">
                  {n.author} · {utc(n.createdAt)}
                </p>
                <p class="note-body">{n.body}</p>
              </li>
            ))}
          </ul>
          {triage ? (
            <PostForm c={c} action={`/review/${item.id}/notes`} class="stack">
              <ErrorSummary issues={issues.note} />
              <Field name="body" label="Add a note (internal)" issues={issues.note}>
                <textarea id="f-body" name="body" rows={3} required>
                  {issues.values?.body ?? ''}
                </textarea>
              </Field>
              <button type="submit">Add note</button>
            </PostForm>
          ) : null}
        </section>
        <section class="panel span-6" aria-labelledby="history-h">
          <h2 id="history-h">History</h2>
          <ol class="mentions">
            {item.history.map((h) => (
              <li key={h.id}>
                <p class="meta">
                  {utc(h.at)} · {h.actor}
                </p>
                <p>
                  {h.action}
                  {Object.keys(h.details).length ? (
                    <>
                      {' '}
                      <code>{summarize(h.details)}</code>
                    </>
                  ) : null}
                </p>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </>,
  );
}

/** `state: new → in_review; assignee: – → Ana` from a history entry's changes. */
function summarize(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => {
      if (v && typeof v === 'object' && 'from' in v && 'to' in v) {
        const fv = (v as { from: unknown }).from;
        const tv = (v as { to: unknown }).to;
        return `${k}: ${fv === null ? '–' : JSON.stringify(fv)} → ${tv === null ? '–' : JSON.stringify(tv)}`;
      }
      return `${k}: ${JSON.stringify(v)}`;
    })
    .join('; ')
    .slice(0, 300);
}

/** The post on its own site and our reply to it, where known; both open in a new tab. */
function PostLinks(props: { url: string | null; responseUrl: string | null }) {
  return (
    <>
      {props.url ? (
        <a href={props.url} rel="noopener noreferrer" target="_blank">
          Original post
        </a>
      ) : null}
      {props.responseUrl ? (
        <a href={props.responseUrl} rel="noopener noreferrer" target="_blank">
          Our reply
        </a>
      ) : null}
    </>
  );
}
