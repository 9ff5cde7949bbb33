import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { listWatches } from '../../store/repositories/watches.ts';
import type { DashboardContext, DashboardDeps, WatchScope } from './context.ts';
import { CsrfField } from './forms.tsx';

/** The sections of the main navigation; a page names the one it belongs to. */
export type NavKey = 'overview' | 'mentions' | 'review' | 'alerts' | 'sources' | 'watches' | 'settings';

const NAV: { key: NavKey; label: string; href: string; perWatch: boolean }[] = [
  { key: 'overview', label: 'Overview', href: '/', perWatch: true },
  { key: 'mentions', label: 'Mentions', href: '/mentions', perWatch: true },
  { key: 'review', label: 'Review', href: '/review', perWatch: true },
  { key: 'alerts', label: 'Alerts', href: '/alerts', perWatch: true },
  { key: 'sources', label: 'Sources', href: '/sources', perWatch: false },
  { key: 'watches', label: 'Watches', href: '/watches', perWatch: false },
  { key: 'settings', label: 'Settings', href: '/settings', perWatch: false },
];

export interface PageMeta {
  /** The document title and the page's <h1>. */
  title: string;
  nav: NavKey;
  /** Client scripts (logical asset names, e.g. `overview.js`), loaded as deferred ES modules. */
  scripts?: string[];
  /** Load uPlot (script and CSS) before the page's scripts. */
  charts?: boolean;
  /** Show the watch picker in the header (pages about one watch). Default: true. */
  watchPicker?: boolean;
  /** Short text or controls shown beside the <h1>. */
  actions?: Child;
  status?: ContentfulStatusCode;
}

/**
 * The watches of the signed-in workspace and the page's watch: `?watch=<id>` when it is one of them,
 * else the first brand watch. Loaded once per request.
 */
export async function watchScope(c: DashboardContext, deps: DashboardDeps): Promise<WatchScope> {
  const cached = c.get('watchScope');
  if (cached) return cached;
  const watches = await listWatches(deps.db, c.get('principal').workspaceId);
  const wanted = c.req.query('watch');
  const current =
    watches.find((w) => w.id === wanted) ?? watches.find((w) => w.kind === 'brand') ?? watches[0];
  const scope = { watches, current };
  c.set('watchScope', scope);
  return scope;
}

/** A dashboard link keeping the current watch (`href('/alerts', scope)` -> `/alerts?watch=...`). */
export function href(path: string, scope?: WatchScope, params: Record<string, string | undefined> = {}) {
  const q = new URLSearchParams();
  if (scope?.current) q.set('watch', scope.current.id);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

/** Renders a full dashboard page: header, navigation, watch picker, the page's body, scripts. */
export async function renderPage(
  c: DashboardContext,
  deps: DashboardDeps,
  meta: PageMeta,
  body: Child,
): Promise<Response> {
  const scope = await watchScope(c, deps);
  const assets = deps.dashboard.assets;
  const principal = c.get('principal');
  const session = c.get('session');
  const scripts = ['nav.js', ...(meta.scripts ?? [])];
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content={session.csrf} />
        <title>{`${meta.title} · trustwatch`}</title>
        {meta.charts ? <link rel="stylesheet" href={assets.get('uPlot.min.css').url} /> : null}
        <link rel="stylesheet" href={assets.get('dashboard.css').url} />
        <link rel="icon" href="data:," />
        {meta.charts ? <script defer src={assets.get('uPlot.iife.min.js').url} /> : null}
        {scripts.map((s) => (
          <script key={s} type="module" src={assets.get(s).url} />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href={href('/', scope)}>
            trustwatch
          </a>
          <nav aria-label="Main">
            <ul>
              {NAV.map((n) => (
                <li key={n.key}>
                  <a
                    href={n.perWatch ? href(n.href, scope) : n.href}
                    aria-current={n.key === meta.nav ? 'page' : undefined}
                  >
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          {meta.watchPicker !== false && scope.watches.length > 0 ? (
            <form class="picker" method="get" action={c.req.path}>
              <label for="watch-picker">Watch</label>
              <select id="watch-picker" name="watch" data-autosubmit="">
                {scope.watches.map((w) => (
                  <option key={w.id} value={w.id} selected={w.id === scope.current?.id}>
                    {w.kind === 'competitor' ? `${w.name} (competitor)` : w.name}
                  </option>
                ))}
              </select>
              <button type="submit">Show</button>
            </form>
          ) : null}
          <form class="signout" method="post" action="/sign-out">
            <CsrfField token={session.csrf} />
            <span class="who">
              {principal.name} · {principal.role}
            </span>
            <button type="submit">Sign out</button>
          </form>
        </header>
        <main id="main">
          <div class="page-head">
            <h1>{meta.title}</h1>
            {meta.actions ?? null}
          </div>
          {body}
        </main>
      </body>
    </html>
  );
  return c.html(html`<!doctype html>${page}`, meta.status ?? 200);
}

/** A bare page (sign-in, errors before a session exists): no navigation. */
export function renderBarePage(
  c: DashboardContext,
  deps: DashboardDeps,
  title: string,
  body: Child,
  status: ContentfulStatusCode = 200,
): Response | Promise<Response> {
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · trustwatch`}</title>
        <link rel="stylesheet" href={deps.dashboard.assets.get('dashboard.css').url} />
        <link rel="icon" href="data:," />
      </head>
      <body class="bare">
        <main id="main">
          <h1>{title}</h1>
          {body}
        </main>
      </body>
    </html>
  );
  return c.html(html`<!doctype html>${page}`, status);
}
