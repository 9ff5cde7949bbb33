import type { DashboardDeps, DashboardHono } from './context.ts';
import { alertPages } from './pages/alerts.tsx';
import { mentionsPages } from './pages/mentions.tsx';
import { overviewPage } from './pages/overview.tsx';
import { reviewPages } from './pages/review.tsx';
import { settingsPages } from './pages/settings.tsx';
import { signInPages } from './pages/sign-in.tsx';
import { sourcesPages } from './pages/sources.tsx';
import { watchesPages } from './pages/watches.tsx';
import { createDashboardRouter } from './router.tsx';
import { securityHeaders } from './router.tsx';

export type { DashboardOptions } from './context.ts';

/**
 * The web dashboard: server-rendered pages (hono/jsx) with small client scripts, mounted at `/` by
 * createApp when the runtime provides `ApiDeps.dashboard`. One module per page under ./pages; each
 * registers its routes on the shared router (see router.tsx for the session, CSRF and role checks).
 */
export function dashboardRoutes(deps: DashboardDeps): DashboardHono {
  const r = createDashboardRouter(deps);
  const { hono } = r;

  // Static files under content-hashed names: cached for a year. The plain name (for ES module imports
  // between client scripts) revalidates with the hash as ETag.
  hono.get('/assets/:file', securityHeaders(), (c) => {
    const file = c.req.param('file');
    const assets = deps.dashboard.assets;
    const hashed = assets.byFile(file);
    const asset = hashed ?? assets.list().find((a) => a.name === file);
    if (!asset) return c.text('Not found', 404);
    const etag = `"${asset.hash}"`;
    c.header('Content-Type', asset.type);
    c.header('ETag', etag);
    c.header('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    return c.body(asset.body);
  });

  signInPages(r);
  overviewPage(r);
  alertPages(r);
  reviewPages(r);
  mentionsPages(r);
  watchesPages(r);
  sourcesPages(r);
  settingsPages(r);
  return hono;
}
