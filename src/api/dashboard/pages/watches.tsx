import { z } from 'zod';
import type { FieldIssue } from '../../../core/errors.ts';
import { QueryParseError } from '../../../core/query/index.ts';
import type { Watch } from '../../../core/watch.ts';
import { type PreviewResult, previewWatch } from '../../../ingest/preview.ts';
import { readRecentMentions } from '../../../store/repositories/mention-samples.ts';
import { createWatch, getWatch, listWatches, updateWatch } from '../../../store/repositories/watches.ts';
import { actorOf, hasRole } from '../../context.ts';
import { DEFAULT_PREVIEW_MENTIONS } from '../../routes/watch-preview.ts';
import { validateWatchQueries } from '../../routes/watches.ts';
import { type DashboardContext, type DashboardDeps, idParam } from '../context.ts';
import { count, utc } from '../format.ts';
import { ErrorSummary, Field, Notice, PostForm, readForm } from '../forms.tsx';
import { renderPage } from '../layout.tsx';
import { type DashboardRouter, redirectAfter } from '../router.tsx';
import { Highlighted, type Mark } from './highlight.tsx';

/** One entry per line (exclusions) or per comma/space (handles); blanks dropped. */
const lines = (s: string | undefined) =>
  (s ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
const handles = (s: string | undefined) =>
  (s ?? '')
    .split(/[\s,]+/)
    .map((h) => h.trim().replace(/^@/, ''))
    .filter(Boolean);

const watchForm = z.object({
  name: z.string().trim().min(1, 'give the watch a name').max(200),
  kind: z.enum(['brand', 'competitor']),
  competitorOf: z.string().optional(),
  query: z.string().trim().min(1, 'write a query, e.g. telvana OR "telvana mobile"').max(2000),
  exclusions: z.string().max(50_000).optional(),
  ownedHandles: z.string().max(20_000).optional(),
  intent: z.enum(['save', 'preview']).default('save'),
});

type WatchValues = Record<string, string>;

function valuesOf(w: Watch): WatchValues {
  return {
    name: w.name,
    kind: w.kind,
    competitorOf: w.competitorOf ?? '',
    query: w.query,
    exclusions: w.exclusions.join('\n'),
    ownedHandles: w.ownedHandles.map((h) => `@${h}`).join(' '),
  };
}

/** A query syntax error as a field issue, with where it is ("at character 12"). */
function queryIssue(err: QueryParseError): FieldIssue {
  const field = typeof err.details.field === 'string' ? err.details.field : 'query';
  // Exclusions are one textarea: point at it, saying which line.
  const m = /^exclusions\.(\d+)$/.exec(field);
  const where = `at character ${err.position + 1}`;
  if (m) return { path: 'exclusions', message: `line ${Number(m[1]) + 1}: ${err.message} (${where})` };
  return { path: 'query', message: `${err.message} (${where})` };
}

/** Watches: list, create and edit with a live preview of what the query catches in recent mentions. */
export function watchesPages(r: DashboardRouter): void {
  const { deps } = r;

  r.page('/watches', async (c) => {
    const ws = c.get('principal').workspaceId;
    const watches = await listWatches(deps.db, ws);
    const since = new Date((deps.now?.() ?? new Date()).getTime() - 7 * 86_400_000);
    const counts = await deps.db
      .selectFrom('mention_watches')
      .select(['watch_id', deps.db.fn.countAll<string>().as('n')])
      .where('workspace_id', '=', ws)
      .where('published_at', '>=', since)
      .where('duplicate', '=', false)
      .groupBy('watch_id')
      .execute();
    const perWatch = new Map(counts.map((r) => [r.watch_id, Number(r.n)]));
    const byId = new Map(watches.map((w) => [w.id, w]));
    const admin = hasRole(c.get('principal'), 'admin');
    return renderPage(
      c,
      deps,
      {
        title: 'Watches',
        nav: 'watches',
        watchPicker: false,
        actions: admin ? (
          <a class="button" href="/watches/new">
            New watch
          </a>
        ) : undefined,
      },
      <>
        <Notice text={c.req.query('done')} />
        {watches.length === 0 ? <p>No watches yet.</p> : null}
        <section class="table-wrap panel" tabindex={0} aria-label="Watches">
          <table>
            <caption class="visually-hidden">Watches of this workspace</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Query</th>
                <th scope="col" class="num">
                  Mentions, 7 days
                </th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {watches.map((w) => (
                <tr key={w.id}>
                  <th scope="row">
                    <a href={`/watches/${w.id}`}>{w.name}</a>
                  </th>
                  <td>
                    {w.kind}
                    {w.competitorOf ? ` of ${byId.get(w.competitorOf)?.name ?? 'a brand'}` : ''}
                  </td>
                  <td>
                    <code>{w.query}</code>
                    {w.exclusions.length ? (
                      <span class="meta"> · {w.exclusions.length} exclusions</span>
                    ) : null}
                  </td>
                  <td class="num">{count(perWatch.get(w.id) ?? 0)}</td>
                  <td>{utc(w.createdAt).slice(0, 10)}</td>
                  <td>{admin ? <a href={`/watches/${w.id}/edit`}>Edit {w.name}</a> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {admin ? null : <p class="muted">Admins create and edit watches.</p>}
      </>,
    );
  });

  r.page(
    '/watches/new',
    async (c) => {
      const watches = await listWatches(deps.db, c.get('principal').workspaceId);
      return watchFormPage(c, deps, { watches, values: { kind: 'brand' } });
    },
    'admin',
  );

  // Digest and alert links point here: a watch's page is its overview.
  r.page('/watches/:id', async (c) => {
    const watch = await getWatch(deps.db, c.get('principal').workspaceId, idParam(c));
    return c.redirect(`/?watch=${watch.id}`, 303);
  });

  r.page(
    '/watches/:id/edit',
    async (c) => {
      const ws = c.get('principal').workspaceId;
      const watch = await getWatch(deps.db, ws, idParam(c));
      const watches = await listWatches(deps.db, ws);
      return watchFormPage(c, deps, { watch, watches, values: valuesOf(watch) });
    },
    'admin',
  );

  const save = async (c: DashboardContext, id: string | undefined) => {
    const ws = c.get('principal').workspaceId;
    const watches = await listWatches(deps.db, ws);
    const watch = id ? await getWatch(deps.db, ws, id) : undefined;
    const form = await readForm(c, watchForm);
    if (!form.ok) {
      return watchFormPage(c, deps, { watch, watches, values: form.values, issues: form.issues }, 400);
    }
    const input = {
      name: form.data.name,
      kind: form.data.kind,
      query: form.data.query,
      exclusions: lines(form.data.exclusions),
      ownedHandles: handles(form.data.ownedHandles),
      competitorOf: form.data.kind === 'competitor' && form.data.competitorOf ? form.data.competitorOf : null,
    };
    try {
      validateWatchQueries(input);
    } catch (err) {
      if (!(err instanceof QueryParseError)) throw err;
      return watchFormPage(c, deps, { watch, watches, values: form.values, issues: [queryIssue(err)] }, 400);
    }
    if (form.data.intent === 'preview') {
      const mentions = await readRecentMentions(deps.db, ws, DEFAULT_PREVIEW_MENTIONS);
      const preview = previewWatch(input, mentions);
      return watchFormPage(c, deps, { watch, watches, values: form.values, preview });
    }
    const actor = actorOf(c.get('principal'));
    try {
      const saved = id
        ? await updateWatch(deps.db, ws, id, input, actor)
        : await createWatch(deps.db, ws, input, actor);
      return redirectAfter(c, '/watches', `Saved watch ${saved.name}`);
    } catch (err) {
      const e = err as { code?: string; message?: string };
      if (e.code !== 'CONFLICT') throw err;
      const issues = [{ path: 'name', message: e.message ?? 'taken' }];
      return watchFormPage(c, deps, { watch, watches, values: form.values, issues }, 409);
    }
  };
  // The editor's live preview (watches.js posts the form here): the same checks and matcher as
  // POST /api/v1/watches/preview, but a typo mid-query answers 200 with the error, so typing never
  // logs a failed request in the console.
  r.action('/watches/preview', 'viewer', async (c) => {
    // A preview needs no name yet.
    const form = await readForm(c, watchForm.extend({ name: z.string().max(200).optional() }));
    if (!form.ok) return c.json({ ok: false, issues: form.issues }, 200);
    const input = {
      query: form.data.query,
      exclusions: lines(form.data.exclusions),
      ownedHandles: handles(form.data.ownedHandles),
    };
    try {
      validateWatchQueries(input);
    } catch (err) {
      if (!(err instanceof QueryParseError)) throw err;
      return c.json({ ok: false, issues: [queryIssue(err)] }, 200);
    }
    const mentions = await readRecentMentions(
      deps.db,
      c.get('principal').workspaceId,
      DEFAULT_PREVIEW_MENTIONS,
    );
    const p = previewWatch(input, mentions);
    return c.json(
      {
        ok: true,
        scanned: p.scanned,
        matched: p.matched,
        owned: p.owned,
        excluded: p.excluded,
        samples: p.samples.map((s) => ({
          publishedAt: s.mention.publishedAt,
          sourceName: s.mention.sourceName ?? null,
          title: s.mention.title ?? null,
          text: s.mention.text,
          owned: s.owned,
          highlights: s.highlights,
        })),
      },
      200,
    );
  });
  r.action('/watches', 'admin', (c) => save(c, undefined));
  r.action('/watches/:id', 'admin', (c) => save(c, idParam(c)));
}

interface FormState {
  watch?: Watch | undefined;
  watches: Watch[];
  values: WatchValues;
  issues?: FieldIssue[] | undefined;
  preview?: PreviewResult | undefined;
}

function watchFormPage(
  c: DashboardContext,
  deps: DashboardDeps,
  s: FormState,
  status: 200 | 400 | 409 = 200,
): Promise<Response> {
  const v = s.values;
  const issues = s.issues;
  const brands = s.watches.filter((w) => w.kind === 'brand' && w.id !== s.watch?.id);
  const queryError = issues?.find((i) => i.path === 'query')?.message;
  const exclError = issues?.find((i) => i.path === 'exclusions')?.message;
  return renderPage(
    c,
    deps,
    {
      title: s.watch ? `Edit watch ${s.watch.name}` : 'New watch',
      nav: 'watches',
      watchPicker: false,
      scripts: ['watches.js'],
      status,
    },
    <div class="watch-editor">
      <PostForm c={c} action={s.watch ? `/watches/${s.watch.id}` : '/watches'} class="stack">
        <ErrorSummary issues={issues} />
        <Field name="name" label="Name" value={v.name} issues={issues} required />
        <Field name="kind" label="Kind" issues={issues}>
          <select id="f-kind" name="kind">
            <option value="brand" selected={v.kind !== 'competitor'}>
              Brand (ours)
            </option>
            <option value="competitor" selected={v.kind === 'competitor'}>
              Competitor
            </option>
          </select>
        </Field>
        <Field
          name="competitorOf"
          label="Compared with (competitors only)"
          hint="The brand watch this competitor is compared with in share of voice"
          issues={issues}
        >
          <select id="f-competitorOf" name="competitorOf">
            <option value="">None</option>
            {brands.map((b) => (
              <option key={b.id} value={b.id} selected={b.id === v.competitorOf}>
                {b.name}
              </option>
            ))}
          </select>
        </Field>
        <Field
          name="query"
          label="Query"
          hint='Words, "phrases", prefix*, #hashtags, @handles with AND, OR, NOT and parentheses'
          issues={issues}
        >
          <textarea
            id="f-query"
            name="query"
            rows={3}
            required
            spellcheck={false}
            aria-invalid={queryError ? 'true' : undefined}
            aria-describedby={`f-query-hint${queryError ? ' f-query-error' : ''}`}
          >
            {v.query ?? ''}
          </textarea>
        </Field>
        <Field
          name="exclusions"
          label="Exclusions"
          hint="One query per line; a mention any of them matches is left out"
          issues={issues}
        >
          <textarea
            id="f-exclusions"
            name="exclusions"
            rows={3}
            spellcheck={false}
            aria-invalid={exclError ? 'true' : undefined}
            aria-describedby={`f-exclusions-hint${exclError ? ' f-exclusions-error' : ''}`}
          >
            {v.exclusions ?? ''}
          </textarea>
        </Field>
        <Field
          name="ownedHandles"
          label="Our own handles"
          hint="@handles separated by spaces or commas: their posts are kept but not counted as customer voice"
          value={v.ownedHandles}
          issues={issues}
        />
        {s.watch ? (
          <p class="hint">
            A changed query applies to mentions collected from now on; stored ones keep their watches.
          </p>
        ) : null}
        <div class="actions">
          <button type="submit" name="intent" value="preview" class="secondary" id="preview-button">
            Preview matches
          </button>
          <button type="submit" name="intent" value="save">
            Save watch
          </button>
          <a href="/watches">Cancel</a>
        </div>
      </PostForm>
      <section
        class="panel"
        aria-labelledby="preview-h"
        aria-live="polite"
        id="preview"
        data-recent={DEFAULT_PREVIEW_MENTIONS}
      >
        <h2 id="preview-h">Preview</h2>
        {s.preview ? (
          <PreviewView preview={s.preview} />
        ) : (
          <p class="muted" id="preview-empty">
            Preview shows what the query catches among the {DEFAULT_PREVIEW_MENTIONS} most recent mentions,
            before you save.
          </p>
        )}
      </section>
    </div>,
  );
}

/** The server-rendered preview (no script): the same figures and samples the client script draws. */
function PreviewView(props: { preview: PreviewResult }) {
  const p = props.preview;
  return (
    <>
      <p class="preview-counts" id="preview-counts">
        {count(p.matched)} of {count(p.scanned)} recent mentions match
        {p.excluded ? `, ${count(p.excluded)} excluded` : ''}
        {p.owned ? `, ${count(p.owned)} from our own handles` : ''}.
      </p>
      <ol class="mentions">
        {p.samples.map((s) => {
          const marks = (field: 'title' | 'text'): Mark[] =>
            s.highlights
              .filter((h) => h.field === field)
              .map((h) => ({ start: h.start, end: h.end, kind: 'term', title: `Matched term: ${h.term}` }));
          return (
            <li key={s.mention.id}>
              <p class="meta">
                {s.mention.sourceName ?? ''} · {utc(s.mention.publishedAt)}
                {s.owned ? ' · our handle' : ''}
              </p>
              {s.mention.title ? (
                <h3>
                  <Highlighted text={s.mention.title} marks={marks('title')} />
                </h3>
              ) : null}
              <p class="mention-text">
                <Highlighted text={s.mention.text} marks={marks('text')} />
              </p>
            </li>
          );
        })}
      </ol>
    </>
  );
}
