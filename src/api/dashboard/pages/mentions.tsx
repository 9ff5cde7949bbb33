import { SIGNAL_KINDS } from '../../../core/mention.ts';
import { MENTION_SORTS, listMentions } from '../../../store/repositories/mentions.ts';
import { listSources } from '../../../store/repositories/sources.ts';
import { mentionFilterOf, mentionQuerySchema } from '../../routes/mentions.ts';
import type { DashboardContext } from '../context.ts';
import { count, signalLabel, utc } from '../format.ts';
import { ErrorSummary, Notice } from '../forms.tsx';
import { renderPage, watchScope } from '../layout.tsx';
import type { DashboardRouter } from '../router.tsx';
import { Highlighted, mentionMarks } from './highlight.tsx';

/** The API's filters the explorer offers, as query parameters (the same names as GET /api/v1/mentions). */
const SINGLE = [
  'source',
  'from',
  'to',
  'sentimentMin',
  'sentimentMax',
  'ratingMin',
  'ratingMax',
  'q',
  'author',
];
const MULTI = ['label', 'signal', 'language'];
const SORT_LABELS: Record<string, string> = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  most_negative: 'Most negative first',
};
const LABELS = ['positive', 'neutral', 'negative'] as const;

/** The filters in the page's URL, as the API reads them (empty fields dropped). */
function filterParams(c: DashboardContext, watchId: string | undefined): URLSearchParams {
  const p = new URLSearchParams();
  if (watchId) p.set('watch', watchId);
  for (const k of SINGLE) {
    const v = c.req.query(k)?.trim();
    if (v) p.set(k, v);
  }
  for (const k of MULTI) {
    for (const v of c.req.queries(k) ?? []) if (v.trim()) p.append(k, v.trim());
  }
  const sort = c.req.query('sort');
  if (sort && sort !== 'newest') p.set('sort', sort);
  if (c.req.query('include_duplicates') === 'true') p.set('include_duplicates', 'true');
  return p;
}

/** Query parameters to the object zod reads (repeated ones as arrays). */
function toInput(p: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const k of new Set(p.keys())) {
    const all = p.getAll(k);
    out[k] = MULTI.includes(k) ? all : (all[0] as string);
  }
  return out;
}

/** Mentions explorer: the API's filters, highlighted terms and sentiment words, originals, paging, export. */
export function mentionsPages(r: DashboardRouter): void {
  const { deps } = r;
  r.page('/mentions', async (c) => {
    const scope = await watchScope(c, deps);
    const ws = c.get('principal').workspaceId;
    const watch = scope.current;
    const params = filterParams(c, watch?.id);
    const cursor = c.req.query('cursor');
    const parsed = mentionQuerySchema.safeParse({ ...toInput(params), ...(cursor ? { cursor } : {}) });
    const sources = await listSources(deps.db, ws);
    const sourceName = new Map(sources.map((s) => [s.id, s.name]));
    let page: Awaited<ReturnType<typeof listMentions>> = { items: [], nextCursor: null };
    let issues = parsed.success
      ? []
      : parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'form', message: i.message }));
    if (parsed.success) {
      const q = parsed.data;
      try {
        page = await listMentions(deps.db, { ...mentionFilterOf(ws, q), limit: 25, cursor: q.cursor });
      } catch (err) {
        // A stale or foreign cursor is the user's input, not our failure: say so by the form.
        const e = err as { code?: string; message?: string; details?: { issues?: unknown } };
        if (e.code !== 'VALIDATION') throw err;
        issues = [{ path: 'cursor', message: e.message ?? 'invalid cursor' }];
      }
    }
    // The terms each mention matched for this watch (stored at ingest), highlighted with its query.
    const terms = new Map<number, string[]>();
    if (watch && page.items.length > 0) {
      const rows = await deps.db
        .selectFrom('mention_watches')
        .select(['mention_id', 'matched_terms'])
        .where('workspace_id', '=', ws)
        .where('watch_id', '=', watch.id)
        .where(
          'mention_id',
          'in',
          page.items.map((m) => m.id),
        )
        .execute();
      for (const row of rows) terms.set(Number(row.mention_id), row.matched_terms);
    }
    const exportParams = new URLSearchParams(params);
    exportParams.set('format', 'csv');
    const csv = `/api/v1/mentions/export?${exportParams}`;
    exportParams.set('format', 'jsonl');
    const jsonl = `/api/v1/mentions/export?${exportParams}`;
    const next = new URLSearchParams(params);
    if (page.nextCursor) next.set('cursor', page.nextCursor);
    const labels = new Set(c.req.queries('label') ?? []);
    const signals = new Set(c.req.queries('signal') ?? []);
    const value = (k: string) => c.req.query(k) ?? '';
    return renderPage(
      c,
      deps,
      {
        title: 'Mentions',
        nav: 'mentions',
        actions: (
          <p class="actions">
            <a class="button secondary" href={csv}>
              Export CSV
            </a>
            <a class="button secondary" href={jsonl}>
              Export JSON Lines
            </a>
          </p>
        ),
      },
      <>
        <Notice text={c.req.query('done')} />
        <ErrorSummary issues={issues} />
        <details class="panel filter-panel" open={params.size > (watch ? 1 : 0) || undefined}>
          <summary>Filters</summary>
          <form method="get" action="/mentions" class="filters mention-filters">
            {watch ? <input type="hidden" name="watch" value={watch.id} /> : null}
            <div class="field">
              <label for="f-q">Words</label>
              <input id="f-q" name="q" type="search" value={value('q')} />
            </div>
            <div class="field">
              <label for="f-author">Author</label>
              <input
                id="f-author"
                name="author"
                type="text"
                value={value('author')}
                placeholder="@handle or name"
              />
            </div>
            <div class="field">
              <label for="f-source">Source</label>
              <select id="f-source" name="source">
                <option value="">Any</option>
                {sources.map((s) => (
                  <option key={s.id} value={s.id} selected={s.id === value('source')}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="f-from">From</label>
              <input id="f-from" name="from" type="date" value={value('from').slice(0, 10)} />
            </div>
            <div class="field">
              <label for="f-to">To</label>
              <input id="f-to" name="to" type="date" value={value('to').slice(0, 10)} />
            </div>
            <div class="field">
              <label for="f-language">Language</label>
              <input
                id="f-language"
                name="language"
                type="text"
                size={6}
                value={value('language')}
                placeholder="en"
              />
            </div>
            <div class="field">
              <label for="f-ratingMin">Stars from</label>
              <input
                id="f-ratingMin"
                name="ratingMin"
                type="number"
                min="0"
                max="5"
                step="0.5"
                value={value('ratingMin')}
              />
            </div>
            <div class="field">
              <label for="f-ratingMax">Stars to</label>
              <input
                id="f-ratingMax"
                name="ratingMax"
                type="number"
                min="0"
                max="5"
                step="0.5"
                value={value('ratingMax')}
              />
            </div>
            <div class="field">
              <label for="f-sort">Order</label>
              <select id="f-sort" name="sort">
                {MENTION_SORTS.map((s) => (
                  <option key={s} value={s} selected={s === (value('sort') || 'newest')}>
                    {SORT_LABELS[s] ?? s}
                  </option>
                ))}
              </select>
            </div>
            <fieldset class="checks">
              <legend>Sentiment</legend>
              {LABELS.map((l) => (
                <label key={l}>
                  <input type="checkbox" name="label" value={l} checked={labels.has(l)} /> {l}
                </label>
              ))}
            </fieldset>
            <fieldset class="checks">
              <legend>Signals</legend>
              {SIGNAL_KINDS.map((k) => (
                <label key={k}>
                  <input type="checkbox" name="signal" value={k} checked={signals.has(k)} /> {signalLabel(k)}
                </label>
              ))}
            </fieldset>
            <label class="check">
              <input
                type="checkbox"
                name="include_duplicates"
                value="true"
                checked={c.req.query('include_duplicates') === 'true'}
              />{' '}
              Include duplicates
            </label>
            <div class="actions">
              <button type="submit">Apply</button>
              <a href={`/mentions${watch ? `?watch=${watch.id}` : ''}`}>Clear</a>
            </div>
          </form>
        </details>
        <section aria-labelledby="list-h" class="panel">
          <h2 id="list-h">
            {cursor ? 'More mentions' : 'Mentions'}
            {watch ? ` of ${watch.name}` : ''}
          </h2>
          <p class="legend muted">
            Highlights: <mark class="hl-term">matched term</mark> <mark class="hl-neg">negative word</mark>{' '}
            <mark class="hl-pos">positive word</mark> <mark class="hl-signal">red flag</mark> (hover or focus
            for why)
          </p>
          {page.items.length === 0 ? <p class="muted">No mentions match these filters.</p> : null}
          <ol class="mentions mention-list" id="mention-list">
            {page.items.map((m) => {
              const marks = mentionMarks(
                { title: m.title, text: m.text, language: m.language, signals: m.signals },
                watch && terms.get(m.id)?.length
                  ? { query: watch.query, terms: terms.get(m.id) ?? [] }
                  : null,
              );
              const kinds = (m.signals as { kind: string }[]).map((s) => s.kind);
              const tone =
                m.sentiment.label === 'negative' ? 'neg' : m.sentiment.label === 'positive' ? 'pos' : 'muted';
              return (
                <li key={m.id} data-id={m.id}>
                  <p class="meta">
                    {sourceName.get(m.sourceId) ?? 'source'} ·{' '}
                    {m.author.handle ? `@${m.author.handle}` : (m.author.name ?? 'unknown author')}
                    {m.author.followers ? ` (${count(m.author.followers)} followers)` : ''} ·{' '}
                    {utc(m.publishedAt)}
                    {m.language ? ` · ${m.language}` : ''}
                    {m.rating !== null ? ` · ${m.rating}/${m.ratingScale ?? 5} stars` : ''} ·{' '}
                    <span class={tone}>
                      {m.sentiment.label} {m.sentiment.score.toFixed(2)}
                    </span>
                    {m.duplicateOf ? ' · duplicate' : ''}
                  </p>
                  {m.title ? (
                    <h3>
                      <Highlighted text={m.title} marks={marks.title} />
                    </h3>
                  ) : null}
                  <p class="mention-text">
                    <Highlighted text={m.text} marks={marks.text} />
                  </p>
                  <div class="actions">
                    {kinds.length ? (
                      <ul class="terms" aria-label="Signals">
                        {kinds.map((k) => (
                          <li key={k}>{signalLabel(k)}</li>
                        ))}
                      </ul>
                    ) : null}
                    {(terms.get(m.id) ?? []).length ? (
                      <span class="meta">matched: {(terms.get(m.id) ?? []).join(', ')}</span>
                    ) : null}
                    {m.url ? (
                      <a href={m.url} rel="noopener noreferrer" target="_blank">
                        Original
                      </a>
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ol>
          <nav aria-label="Pages" class="actions">
            {cursor ? <a href={`/mentions?${params}`}>First page</a> : null}
            {page.nextCursor ? (
              <a href={`/mentions?${next}`} rel="next" id="next-page">
                Next page
              </a>
            ) : null}
          </nav>
        </section>
      </>,
    );
  });
}
