import type { Context, Hono } from 'hono';
import type { Watch } from '../../core/watch.ts';
import type { AppEnv } from '../context.ts';
import type { AlertApiDeps } from '../routes/alerts.ts';
import type { DashboardAssets } from './assets.ts';
import type { DashboardSession } from './sessions.ts';

/** What the runtime hands the dashboard (ApiDeps.dashboard); without it the app serves the API only. */
export interface DashboardOptions {
  assets: DashboardAssets;
  /**
   * Mark the session cookie Secure. Default: when the request URL is https. Set it behind a TLS-ending
   * proxy (the Node service does when TRUSTWATCH_BASE_URL is https).
   */
  secureCookies?: boolean | undefined;
}

export type DashboardDeps = AlertApiDeps & { dashboard: DashboardOptions };

export interface DashboardEnv {
  Variables: AppEnv['Variables'] & {
    session: DashboardSession;
    /** Filled by `watchScope(c)` on first use. */
    watchScope?: WatchScope;
  };
}

export type DashboardContext = Context<DashboardEnv>;
export type DashboardHono = Hono<DashboardEnv>;

/** The watches of the signed-in workspace and the one the page is about (`?watch=`, else the first brand). */
export interface WatchScope {
  watches: Watch[];
  current: Watch | undefined;
}

/** The `:id` of the page's path ('' when the route has none, which no look-up then finds). */
export function idParam(c: DashboardContext): string {
  return c.req.param('id') ?? '';
}
