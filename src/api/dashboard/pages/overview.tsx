import { RED_FLAG_KINDS } from '../../../core/review.ts';
import type { Watch } from '../../../core/watch.ts';
import { listAlerts, toAlert } from '../../../store/repositories/alerts.ts';
import { readTopTerms, readWatchSeries } from '../../../store/repositories/series.ts';
import { totalOf } from '../../../store/repositories/trends.ts';
import { alertMentionQuery } from '../alert-mentions.ts';
import type { DashboardContext, DashboardDeps } from '../context.ts';
import { change, count, day, figure, percent, signalLabel, utc } from '../format.ts';
import { href, renderPage, watchScope } from '../layout.tsx';
import type { DashboardRouter } from '../router.tsx';

const DAY_MS = 86_400_000;

/** The ranges the overview offers, and the bucket each is drawn with unless `res` says otherwise. */
export const RANGES = {
  '7d': { days: 7, label: '7 days' },
  '30d': { days: 30, label: '30 days' },
  '90d': { days: 90, label: '90 days' },
  '1y': { days: 365, label: '1 year' },
  '2y': { days: 730, label: '2 years' },
} as const;
export type RangeKey = keyof typeof RANGES;
export const DEFAULT_RANGE: RangeKey = '90d';

/**
 * Hourly points up to 8 days (a few hundred points: the shape of a day is visible), daily beyond, so
 * a chart never gets more points than it has pixels. `res=hour` forces hours (up to the API's 2 years).
 */
export function bucketFor(days: number, res: string | undefined): 'hour' | 'day' {
  if (res === 'hour' || res === 'day') return res;
  return days <= 8 ? 'hour' : 'day';
}

function rangeOf(c: DashboardContext): RangeKey {
  const r = c.req.query('range');
  return r && r in RANGES ? (r as RangeKey) : DEFAULT_RANGE;
}

/** Overview of one watch: reputation, sentiment, volume, share of voice, red flags, terms, ratings. */
export function overviewPage(r: DashboardRouter): void {
  const { deps } = r;
  r.page('/', async (c) => {
    const scope = await watchScope(c, deps);
    const watch = scope.current;
    if (!watch) {
      return renderPage(
        c,
        deps,
        { title: 'Overview', nav: 'overview' },
        <p>
          No watches yet. <a href="/watches">Create a watch</a> to start collecting mentions.
        </p>,
      );
    }
    const range = rangeOf(c);
    const days = RANGES[range].days;
    const res = c.req.query('res');
    const bucket = bucketFor(days, res);
    const now = deps.now?.() ?? new Date();
    const to = now;
    const from = new Date(to.getTime() - days * DAY_MS);
    const body = await overviewBody(c, deps, watch, { range, from, to, bucket, now });
    const tabs = (
      <nav aria-label="Time range">
        <ul class="tabs">
          {(Object.keys(RANGES) as RangeKey[]).map((k) => (
            <li key={k}>
              <a
                href={href('/', scope, { range: k === DEFAULT_RANGE ? undefined : k, res })}
                aria-current={k === range ? 'page' : undefined}
              >
                {RANGES[k].label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    );
    return renderPage(
      c,
      deps,
      {
        title: `${watch.name}: overview`,
        nav: 'overview',
        charts: true,
        scripts: ['overview.js'],
        actions: tabs,
      },
      body,
    );
  });
}

async function overviewBody(
  c: DashboardContext,
  deps: DashboardDeps,
  watch: Watch,
  w: { range: RangeKey; from: Date; to: Date; bucket: 'hour' | 'day'; now: Date },
) {
  const workspaceId = c.get('principal').workspaceId;
  const q = { workspaceId, watchId: watch.id };
  const weekAgo = new Date(w.now.getTime() - 7 * DAY_MS);
  const termsFrom = new Date(Math.max(w.from.getTime(), w.to.getTime() - 90 * DAY_MS));
  const [fortnight, windowSeries, terms, hashtags, alerts, open] = await Promise.all([
    readWatchSeries(deps.db, {
      ...q,
      from: new Date(w.now.getTime() - 14 * DAY_MS),
      to: w.now,
      bucket: 'day',
    }),
    readWatchSeries(deps.db, { ...q, from: w.from, to: w.to, bucket: 'day' }),
    readTopTerms(deps.db, { ...q, from: termsFrom, to: w.to, kind: 'term', limit: 15 }),
    readTopTerms(deps.db, { ...q, from: termsFrom, to: w.to, kind: 'hashtag', limit: 10 }),
    deps.db
      .selectFrom('alerts')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('watch_id', '=', watch.id)
      .where('opened_at', '>=', w.from)
      .where('opened_at', '<', w.to)
      .orderBy('opened_at')
      .limit(200)
      .execute()
      .then((rows) => rows.map(toAlert)),
    listAlerts(deps.db, workspaceId, { state: 'open', watchId: watch.id, limit: 100 }),
  ]);
  const thisWeek = totalOf(fortnight.filter((p) => p.start >= weekAgo));
  const lastWeek = totalOf(fortnight.filter((p) => p.start < weekAgo));
  const total = totalOf(windowSeries);
  const mood = change(thisWeek.mentions, lastWeek.mentions);
  const flags = RED_FLAG_KINDS.map((k) => ({
    kind: k,
    now: thisWeek.signals[k] ?? 0,
    before: lastWeek.signals[k] ?? 0,
  })).sort((a, b) => b.now - a.now || b.before - a.before);
  const apiRange = { watch: watch.id, from: w.from.toISOString(), to: w.to.toISOString(), bucket: w.bucket };

  return (
    <div
      id="overview"
      class="grid"
      data-watch={watch.id}
      data-from={apiRange.from}
      data-to={apiRange.to}
      data-bucket={w.bucket}
    >
      <section class="panel" aria-labelledby="h-figures">
        <h2 id="h-figures">
          {RANGES[w.range].label} at a glance{' '}
          <span class="muted">
            ({day(w.from)} to {day(w.to)})
          </span>
        </h2>
        <dl class="figures">
          <div>
            <dt>Mentions</dt>
            <dd>{count(total.mentions)}</dd>
          </div>
          <div>
            <dt>Reputation index</dt>
            <dd>{total.reputationIndex.toFixed(0)}</dd>
          </div>
          <div>
            <dt>Negative share</dt>
            <dd>{percent(total.negativeShare)}</dd>
          </div>
          <div>
            <dt>Mean sentiment</dt>
            <dd>{total.meanSentiment === null ? '–' : total.meanSentiment.toFixed(2)}</dd>
          </div>
          <div>
            <dt>Average rating</dt>
            <dd>
              {total.rating.mean === null ? '–' : `${total.rating.mean.toFixed(2)} / 5`}
              <span class="muted"> ({count(total.rating.count)})</span>
            </dd>
          </div>
          <div>
            <dt>Mentions this week</dt>
            <dd>
              {count(thisWeek.mentions)} <span class={mood.direction}>{mood.text}</span>
            </dd>
          </div>
          <div>
            <dt>Open alerts</dt>
            <dd>
              <a href={href('/alerts', undefined, { state: 'open', watch: watch.id })}>{open.items.length}</a>
            </dd>
          </div>
        </dl>
      </section>

      <section class="panel span-8" aria-labelledby="h-reputation">
        <h2 id="h-reputation">Reputation index and sentiment</h2>
        <p class="chart-legend">
          Reputation index (0–100, 50 = balanced) and mean sentiment (−1 to 1) per {w.bucket}; markers are
          alerts (select one to see it and its mentions).
        </p>
        <div
          class="chart"
          id="chart-reputation"
          role="group"
          aria-label="Reputation index and mean sentiment over time, with a button per alert"
        />
        <h3 class="visually-hidden" id="h-markers">
          Alerts in this range
        </h3>
        {alerts.length ? (
          <ul class="marker-list" aria-labelledby="h-markers">
            {alerts.map((a) => (
              <li key={a.id}>
                <button
                  type="button"
                  class={`marker-button sev-${a.severity}`}
                  data-alert={a.id}
                  data-at={a.openedAt.toISOString()}
                  data-severity={a.severity}
                  data-mentions={new URLSearchParams(alertMentionQuery(a)).toString()}
                  aria-controls="alert-panel"
                  aria-pressed="false"
                >
                  {a.title} · {utc(a.openedAt)}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">No alerts in this range.</p>
        )}
      </section>

      <section class="panel span-4" id="alert-panel" aria-live="polite" aria-labelledby="h-alert-panel">
        <h2 id="h-alert-panel">Alert</h2>
        <p class="muted" data-placeholder="">
          Select an alert marker to see what was detected and the mentions behind it.
        </p>
      </section>

      <section class="panel span-6" aria-labelledby="h-flags">
        <h2 id="h-flags">Red flags this week</h2>
        <p class="chart-legend">Mentions with each red flag in the last 7 days, against the 7 days before.</p>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Red flag</th>
                <th scope="col" class="num">
                  This week
                </th>
                <th scope="col" class="num">
                  Last week
                </th>
                <th scope="col">Trend</th>
              </tr>
            </thead>
            <tbody>
              {flags.map((f) => {
                const ch = change(f.now, f.before);
                return (
                  <tr key={f.kind} data-flag={f.kind}>
                    <th scope="row">{signalLabel(f.kind)}</th>
                    <td class="num">{count(f.now)}</td>
                    <td class="num">{count(f.before)}</td>
                    <td class={ch.direction}>
                      {ch.direction === 'flat'
                        ? ch.text
                        : `${signalLabel(f.kind).toLowerCase()} ${ch.text} this week`}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section class="panel span-6" aria-labelledby="h-terms">
        <h2 id="h-terms">Top terms and hashtags</h2>
        <p class="chart-legend">Since {day(termsFrom)}; select one to see its mentions.</p>
        <h3>Hashtags</h3>
        {hashtags.length ? (
          <ul class="terms">
            {hashtags.map((t) => (
              <li key={t.term}>
                <a href={href('/mentions', undefined, { watch: watch.id, q: t.term })}>{t.term}</a>{' '}
                <span class="muted">{count(t.mentions)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">No hashtags.</p>
        )}
        <h3>Terms</h3>
        {terms.length ? (
          <ul class="terms">
            {terms.map((t) => (
              <li key={t.term}>
                <a href={href('/mentions', undefined, { watch: watch.id, q: t.term })}>{t.term}</a>{' '}
                <span class="muted">{count(t.mentions)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">No terms.</p>
        )}
      </section>

      <section class="panel span-6" aria-labelledby="h-sources">
        <h2 id="h-sources">Volume by source</h2>
        <div class="chart" id="chart-sources" role="img" aria-label="Mentions per source type over time" />
        <ul class="bars">
          {Object.entries(total.sources)
            .sort((a, b) => b[1] - a[1])
            .map(([type, n]) => (
              <li key={type}>
                <span>{type}</span>
                <meter min={0} max={Math.max(1, total.mentions)} value={n} aria-label={`${type} share`} />
                <span class="num">{percent(total.mentions ? n / total.mentions : null)}</span>
              </li>
            ))}
        </ul>
      </section>

      <section class="panel span-6" aria-labelledby="h-voice">
        <h2 id="h-voice">Share of voice and mood vs competitors</h2>
        <div class="chart" id="chart-voice" role="img" aria-label="Share of voice per watch over time" />
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Watch</th>
                <th scope="col" class="num">
                  Mentions
                </th>
                <th scope="col" class="num">
                  Share of voice
                </th>
                <th scope="col" class="num">
                  Negative
                </th>
                <th scope="col" class="num">
                  Reputation
                </th>
              </tr>
            </thead>
            {/* Filled by overview.js from the share-of-voice answer it already loads for the chart. */}
            <tbody id="voice-rows" />
          </table>
        </div>
      </section>

      <section class="panel" aria-labelledby="h-rating">
        <h2 id="h-rating">Average rating over time (review sources)</h2>
        <div class="chart" id="chart-rating" role="img" aria-label="Average rating per bucket, 1 to 5" />
        <p class="chart-legend">
          Mean rating on a 5-point scale per {w.bucket}, from {count(total.rating.count)} ratings in the range
          {total.rating.mean === null ? '' : ` (mean ${figure(total.rating.mean)})`}.
        </p>
      </section>
    </div>
  );
}
