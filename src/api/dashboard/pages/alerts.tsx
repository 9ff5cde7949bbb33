import { z } from 'zod';
import { transitionAlert } from '../../../alert/lifecycle.ts';
import { NotFoundError } from '../../../core/errors.ts';
import {
  type Alert,
  type AlertState,
  alertEvents,
  getAlert,
  listAlerts,
} from '../../../store/repositories/alerts.ts';
import { listDeliveries } from '../../../store/repositories/deliveries.ts';
import { actorOf, hasRole, tokenIdOfActor } from '../../context.ts';
import { transitionOptions } from '../../routes/alerts.ts';
import { alertMentionQuery } from '../alert-mentions.ts';
import { type DashboardContext, type DashboardDeps, idParam } from '../context.ts';
import { count, figure, signalLabel, utc } from '../format.ts';
import { Notice, PostForm } from '../forms.tsx';
import { href, renderPage, watchScope } from '../layout.tsx';
import { type DashboardRouter, redirectAfter } from '../router.tsx';

const STATES: { key: AlertState | 'all'; label: string }[] = [
  { key: 'open', label: 'Open' },
  { key: 'acknowledged', label: 'Acknowledged' },
  { key: 'resolved', label: 'Resolved' },
  { key: 'all', label: 'All' },
];

const KIND_LABELS: Record<string, string> = {
  volume_spike: 'Volume spike',
  volume_drop: 'Volume drop',
  negativity_spike: 'Negativity spike',
  signal_spike: 'Red-flag spike',
  rating_drop: 'Rating drop',
  emerging_term: 'Emerging term',
  viral_risk: 'Viral risk',
  metric_spike: 'Metric spike',
  metric_drop: 'Metric drop',
};

const listQuery = z.object({
  state: z.enum(['open', 'acknowledged', 'resolved', 'all']).catch('open'),
  watch: z.uuid().optional().catch(undefined),
  cursor: z.string().max(200).optional().catch(undefined),
});

/** Who did it, in words: `token:<id>` becomes the token's name; `auto`, `detector`, `slack:...` stay. */
async function actorNames(deps: DashboardDeps, workspaceId: string, actors: (string | null)[]) {
  const ids = [...new Set(actors.map(tokenIdOfActor))].filter(
    (id): id is string => id !== undefined && /^[0-9a-f-]{36}$/i.test(id),
  );
  const rows = ids.length
    ? await deps.db
        .selectFrom('api_tokens')
        .select(['id', 'name'])
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', ids)
        .execute()
    : [];
  const names = new Map(rows.map((r) => [actorOf({ tokenId: r.id }), r.name]));
  return (actor: string | null) => (actor ? (names.get(actor) ?? actor) : '–');
}

function StateBadge(props: { state: string }) {
  return <span class={`badge state-${props.state}`}>{props.state}</span>;
}
function SeverityBadge(props: { severity: string }) {
  return <span class={`badge sev-${props.severity}`}>{props.severity}</span>;
}

function kindLabel(a: Pick<Alert, 'kind' | 'details'>): string {
  const base = KIND_LABELS[a.kind] ?? a.kind;
  const subject = a.details.subject;
  if (!subject) return base;
  return `${base}: ${a.kind === 'signal_spike' ? signalLabel(subject) : subject}`;
}

/** Alerts by state, an alert's detail with observed vs expected, acknowledge and resolve. */
export function alertPages(r: DashboardRouter): void {
  const { deps } = r;

  r.page('/alerts', async (c) => {
    const q = listQuery.parse(c.req.query());
    const workspaceId = c.get('principal').workspaceId;
    const scope = await watchScope(c, deps);
    const watchNames = new Map(scope.watches.map((w) => [w.id, w.name]));
    const [page, counts] = await Promise.all([
      listAlerts(deps.db, workspaceId, {
        state: q.state === 'all' ? undefined : q.state,
        watchId: q.watch,
        limit: 50,
        cursor: q.cursor,
      }),
      countByState(deps, workspaceId, q.watch),
    ]);
    const link = (params: Record<string, string | undefined>) =>
      href('/alerts', undefined, { state: q.state, watch: q.watch, ...params });
    return renderPage(
      c,
      deps,
      { title: 'Alerts', nav: 'alerts', watchPicker: false },
      <>
        <Notice text={c.req.query('done')} />
        <form class="actions filters-inline" method="get" action="/alerts">
          <input type="hidden" name="state" value={q.state} />
          <label for="alert-watch">Watch</label>
          <select id="alert-watch" name="watch" data-autosubmit="">
            <option value="" selected={!q.watch}>
              All watches
            </option>
            {scope.watches.map((w) => (
              <option key={w.id} value={w.id} selected={w.id === q.watch}>
                {w.name}
              </option>
            ))}
          </select>
          <button type="submit" class="secondary">
            Filter
          </button>
        </form>
        <nav aria-label="Alert states">
          <ul class="tabs">
            {STATES.map((s) => (
              <li key={s.key}>
                <a
                  href={link({ state: s.key, cursor: undefined })}
                  aria-current={s.key === q.state ? 'page' : undefined}
                >
                  {s.label} <span class="muted">({count(counts[s.key])})</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {page.items.length === 0 ? (
          <p class="muted" id="no-alerts">
            {q.state === 'open'
              ? 'No open alerts: nothing needs attention right now.'
              : `No ${q.state === 'all' ? '' : `${q.state} `}alerts.`}
          </p>
        ) : (
          <div class="table-wrap panel">
            <table id="alerts-table">
              <caption class="visually-hidden">
                {STATES.find((s) => s.key === q.state)?.label} alerts, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Alert</th>
                  <th scope="col">Severity</th>
                  <th scope="col">State</th>
                  <th scope="col">Watch</th>
                  <th scope="col">Opened</th>
                  <th scope="col" class="num">
                    Detections
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((a) => (
                  <tr key={a.id} data-alert={a.id}>
                    <th scope="row">
                      <a href={`/alerts/${a.id}`}>{a.title}</a>
                      <br />
                      <span class="muted">{a.details.summary ?? kindLabel(a)}</span>
                    </th>
                    <td>
                      <SeverityBadge severity={a.severity} />
                    </td>
                    <td>
                      <StateBadge state={a.state} />
                    </td>
                    <td>{a.watchId ? (watchNames.get(a.watchId) ?? '–') : 'Metrics'}</td>
                    <td>{utc(a.openedAt)}</td>
                    <td class="num">{count(a.detectionCount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {page.nextCursor ? (
          <p>
            <a href={link({ cursor: page.nextCursor })}>Older alerts</a>
          </p>
        ) : null}
      </>,
    );
  });

  r.page('/alerts/:id', async (c) => {
    const workspaceId = c.get('principal').workspaceId;
    const alert = await getAlert(deps.db, workspaceId, idParam(c));
    return renderAlert(c, deps, alert);
  });

  for (const [path, to, verb] of [
    ['acknowledge', 'acknowledged', 'Acknowledged'],
    ['resolve', 'resolved', 'Resolved'],
  ] as const) {
    r.action(`/alerts/:id/${path}`, 'reviewer', async (c) => {
      const principal = c.get('principal');
      const id = idParam(c);
      const { changed } = await transitionAlert(
        deps.db,
        principal.workspaceId,
        id,
        to,
        actorOf(principal),
        transitionOptions(deps),
      );
      return redirectAfter(c, `/alerts/${id}`, changed ? verb : `Already ${to}`);
    });
  }
}

async function countByState(deps: DashboardDeps, workspaceId: string, watchId: string | undefined) {
  let q = deps.db
    .selectFrom('alerts')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .groupBy('state');
  if (watchId) q = q.where('watch_id', '=', watchId);
  const rows = await q.execute();
  const out = { open: 0, acknowledged: 0, resolved: 0, all: 0 };
  for (const r of rows) {
    out[r.state] = Number(r.n);
    out.all += Number(r.n);
  }
  return out;
}

async function renderAlert(c: DashboardContext, deps: DashboardDeps, alert: Alert) {
  const principal = c.get('principal');
  const scope = await watchScope(c, deps);
  const watch = scope.watches.find((w) => w.id === alert.watchId);
  if (alert.watchId && !watch) throw new NotFoundError('Watch', alert.watchId);
  const [events, deliveries] = await Promise.all([
    alertEvents(deps.db, alert.id),
    listDeliveries(deps.db, principal.workspaceId, { alertId: alert.id, limit: 20 }),
  ]);
  const who = await actorNames(deps, principal.workspaceId, [
    alert.acknowledgedBy,
    alert.resolvedBy,
    ...events.map((e) => e.actor),
  ]);
  const d = alert.details;
  const canAct = hasRole(principal, 'reviewer');
  const mentionQuery = new URLSearchParams(alertMentionQuery(alert)).toString();
  const ratio = d.expected && d.observed !== undefined && d.expected > 0 ? d.observed / d.expected : null;
  // The chart spans the incident: from a day before the bucket that opened it to a day after the
  // latest one detected (at most a week, never past now).
  const bucketMs = (d.bucketSeconds ?? 3600) * 1000;
  const openedBucket = new Date(alert.openedAt.getTime() - bucketMs);
  const latest = d.bucketStart ? new Date(d.bucketStart) : openedBucket;
  const now = deps.now?.() ?? new Date();
  const chartFrom = new Date(openedBucket.getTime() - 24 * 3_600_000);
  const chartTo = new Date(
    Math.min(
      now.getTime(),
      latest.getTime() + bucketMs + 24 * 3_600_000,
      chartFrom.getTime() + 7 * 86_400_000,
    ),
  );

  return renderPage(
    c,
    deps,
    {
      title: alert.title,
      nav: 'alerts',
      watchPicker: false,
      charts: Boolean(watch),
      scripts: watch ? ['alert.js'] : [],
      actions: (
        <p class="actions">
          <SeverityBadge severity={alert.severity} />
          <StateBadge state={alert.state} />
        </p>
      ),
    },
    <div class="grid" id="alert" data-alert={alert.id}>
      <div class="panel">
        <Notice text={c.req.query('done')} />
        <p class="lead">{d.summary ?? alert.title}</p>
        <dl class="figures">
          <div>
            <dt>Observed</dt>
            <dd id="observed">{d.observed === undefined ? '–' : figure(d.observed, d.unit)}</dd>
          </div>
          <div>
            <dt>Expected</dt>
            <dd id="expected">{d.expected === undefined ? '–' : figure(d.expected, d.unit)}</dd>
          </div>
          <div>
            <dt>Observed ÷ expected</dt>
            <dd>{ratio === null ? '–' : `${ratio.toFixed(1)}×`}</dd>
          </div>
          <div>
            <dt>p-value</dt>
            <dd>{d.pValue === undefined ? '–' : d.pValue < 0.001 ? '< 0.001' : d.pValue.toFixed(3)}</dd>
          </div>
          <div>
            <dt>Detections</dt>
            <dd>{count(alert.detectionCount)}</dd>
          </div>
        </dl>
        {canAct && alert.state !== 'resolved' ? (
          <div class="actions">
            {alert.state === 'open' ? (
              <PostForm c={c} action={`/alerts/${alert.id}/acknowledge`}>
                <button type="submit">Acknowledge</button>
              </PostForm>
            ) : null}
            <PostForm c={c} action={`/alerts/${alert.id}/resolve`}>
              <button type="submit" class={alert.state === 'open' ? 'secondary' : undefined}>
                Resolve
              </button>
            </PostForm>
          </div>
        ) : !canAct ? (
          <p class="muted">Reviewers and admins can acknowledge or resolve alerts.</p>
        ) : null}
      </div>

      <section class="panel span-8" aria-labelledby="h-around">
        <h2 id="h-around">Around the alert</h2>
        {watch ? (
          <>
            <div
              class="chart"
              id="chart-around"
              role="img"
              aria-label={`${d.unit === 'share' ? 'Negative share' : 'Mentions'} per hour around the alert, from a day before it opened to a day after its latest detection`}
              data-watch={watch.id}
              data-from={chartFrom.toISOString()}
              data-to={chartTo.toISOString()}
              data-opened={openedBucket.toISOString()}
              data-at={latest.toISOString()}
              data-kind={alert.kind}
              data-unit={d.unit ?? ''}
              data-subject={d.subject ?? ''}
            />
            <p class="chart-legend">
              Per hour, UTC. Dashed line: the hour that opened the alert ({utc(openedBucket)}); solid line:
              the latest hour detected ({utc(latest)}). Observed and expected above are over the detector's
              window for that hour.
            </p>
          </>
        ) : (
          <p class="muted">This alert has no watch series to chart.</p>
        )}
      </section>

      <section class="panel span-4" aria-labelledby="h-facts">
        <h2 id="h-facts">Facts</h2>
        <dl class="facts">
          <dt>Kind</dt>
          <dd>{kindLabel(alert)}</dd>
          <dt>Watch</dt>
          <dd>{watch ? <a href={href('/', undefined, { watch: watch.id })}>{watch.name}</a> : 'Metrics'}</dd>
          <dt>Opened</dt>
          <dd>{utc(alert.openedAt)}</dd>
          <dt>Last detected</dt>
          <dd>{utc(alert.lastDetectedAt)}</dd>
          <dt>Acknowledged</dt>
          <dd>
            {alert.acknowledgedAt ? `${utc(alert.acknowledgedAt)} by ${who(alert.acknowledgedBy)}` : '–'}
          </dd>
          <dt>Resolved</dt>
          <dd>{alert.resolvedAt ? `${utc(alert.resolvedAt)} by ${who(alert.resolvedBy)}` : '–'}</dd>
          {d.topTerms?.length ? (
            <>
              <dt>Top terms</dt>
              <dd>{d.topTerms.slice(0, 10).join(', ')}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section class="panel span-8" aria-labelledby="h-mentions">
        <h2 id="h-mentions">Top mentions</h2>
        {d.topMentions?.length ? (
          <ul class="mentions" id="alert-mentions">
            {d.topMentions.map((m) => (
              <li key={m.id}>
                <p>{m.text}</p>
                <p class="meta">
                  {m.authorHandle ? `@${m.authorHandle}` : 'unknown author'} · {utc(m.publishedAt)} ·{' '}
                  <span class={m.sentimentScore < 0 ? 'neg' : m.sentimentScore > 0 ? 'pos' : undefined}>
                    sentiment {m.sentimentScore.toFixed(2)}
                  </span>
                  {m.url && /^https?:\/\//i.test(m.url) ? (
                    <>
                      {' · '}
                      <a href={m.url} rel="noopener noreferrer">
                        original
                      </a>
                    </>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">No evidence mentions were kept for this alert.</p>
        )}
        <p>
          <a href={`/mentions?${mentionQuery}`}>All mentions of this alert</a>
        </p>
      </section>

      <section class="panel span-4" aria-labelledby="h-history">
        <h2 id="h-history">History</h2>
        <ol class="history">
          {events.map((e) => (
            <li key={e.id}>
              <strong>{e.action}</strong> by {who(e.actor)}
              <br />
              <span class="muted">{utc(e.at)}</span>
            </li>
          ))}
        </ol>
        {deliveries.length ? (
          <>
            <h3>Deliveries</h3>
            <ul class="history">
              {deliveries.map((x) => (
                <li key={x.id}>
                  {x.destination}: {x.state}
                  {x.attempts > 1 ? ` after ${x.attempts} attempts` : ''}
                  <br />
                  <span class="muted">
                    {x.event} · {utc(x.createdAt)}
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </div>,
  );
}
