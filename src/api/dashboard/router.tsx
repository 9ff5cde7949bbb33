import { Hono, type MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isTrustwatchError } from '../../core/errors.ts';
import type { Role } from '../../store/repositories/tokens.ts';
import { hasRole } from '../context.ts';
import type { DashboardContext, DashboardDeps, DashboardEnv, DashboardHono } from './context.ts';
import { renderBarePage } from './layout.tsx';
import { CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE, csrfMatches, readSession } from './sessions.ts';

/**
 * Every dashboard page and form goes through this router: `page()` for GET pages (a session is
 * required, else a redirect to sign-in), `action()` for POST forms (session, CSRF token, same-origin
 * and role checked before the handler runs). Both set the security headers and turn typed errors into
 * an error page. Nothing is registered with `use('*')`, because the router is mounted at `/` beside
 * the JSON API and must not touch its requests.
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export type PageHandler = (c: DashboardContext) => Response | Promise<Response>;

export interface DashboardRouter {
  hono: DashboardHono;
  deps: DashboardDeps;
  /** A GET page for any signed-in role (or at least `role`). */
  page(path: string, handler: PageHandler, role?: Role): void;
  /** A POST form target; needs `role` (viewer, reviewer or admin). Answer with `redirectAfter(...)`. */
  action(path: string, role: Role, handler: PageHandler): void;
}

/** Security headers of every dashboard response (pages, forms, assets). */
export function securityHeaders(): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    c.header('X-Frame-Options', 'DENY');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  };
}

/**
 * Rejects a cross-site form post before any CSRF token is looked at: browsers send Sec-Fetch-Site and
 * Origin on POSTs; when present they must name this site.
 */
export function sameOrigin(c: DashboardContext): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = c.req.header('origin');
  if (origin && origin !== 'null') {
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    try {
      if (new URL(origin).host !== host) return false;
    } catch {
      return false;
    }
  } else if (origin === 'null') return false;
  return true;
}

function sessionGuard(
  deps: DashboardDeps,
  role: Role | undefined,
  isAction: boolean,
): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const now = deps.now?.() ?? new Date();
    const session = await readSession(deps.db, getCookie(c, SESSION_COOKIE), now);
    if (!session) {
      if (isAction) return errorPage(c, deps, 403, 'Your session has ended. Sign in again and retry.');
      const next = c.req.path + (new URL(c.req.url).search ?? '');
      return c.redirect(`/sign-in?next=${encodeURIComponent(next)}`, 303);
    }
    c.set('session', session);
    c.set('principal', session.principal);
    if (isAction) {
      if (!sameOrigin(c)) return errorPage(c, deps, 403, 'Cross-site form posts are refused.');
      const body = await c.req.parseBody();
      const presented = typeof body[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : c.req.header(CSRF_HEADER);
      if (!csrfMatches(session, presented)) {
        return errorPage(
          c,
          deps,
          403,
          'The form had expired or did not come from this site. Reload and retry.',
        );
      }
    }
    if (role && !hasRole(session.principal, role)) {
      return errorPage(
        c,
        deps,
        403,
        `This needs the ${role} role; you are signed in as ${session.principal.role}.`,
      );
    }
    await next();
  };
}

/** Typed errors become an error page with the API's status for their code (404, 409, 400...). */
function guarded(deps: DashboardDeps, handler: PageHandler): PageHandler {
  return async (c) => {
    try {
      return await handler(c);
    } catch (err) {
      if (isTrustwatchError(err)) {
        const status = STATUS[err.code];
        if (status) return errorPage(c, deps, status, err.message);
      }
      deps.log.error(
        { err: err instanceof Error ? err.message : String(err), path: c.req.path },
        'page failed',
      );
      return errorPage(c, deps, 500, 'Something went wrong on our side. The error was logged.');
    }
  };
}

const STATUS: Record<string, ContentfulStatusCode> = {
  VALIDATION: 400,
  QUERY_SYNTAX: 400,
  SOURCE_CONFIG_INVALID: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FORBIDDEN: 403,
};

export function errorPage(
  c: DashboardContext,
  deps: DashboardDeps,
  status: ContentfulStatusCode,
  message: string,
): Response | Promise<Response> {
  const titles: Record<number, string> = {
    400: 'Invalid request',
    403: 'Not allowed',
    404: 'Not found',
    409: 'Conflict',
  };
  return renderBarePage(
    c,
    deps,
    titles[status] ?? 'Error',
    <>
      <p role="alert">{message}</p>
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </>,
    status,
  );
}

/**
 * After a successful form post: back to `to` (303, so a reload does not resubmit), with an optional
 * notice the target page shows (`?done=`).
 */
export function redirectAfter(c: DashboardContext, to: string, notice?: string): Response {
  const target = notice ? `${to}${to.includes('?') ? '&' : '?'}done=${encodeURIComponent(notice)}` : to;
  return c.redirect(target, 303);
}

export function createDashboardRouter(deps: DashboardDeps): DashboardRouter {
  const hono = new Hono<DashboardEnv>();
  return {
    hono,
    deps,
    page(path, handler, role) {
      hono.get(path, securityHeaders(), sessionGuard(deps, role, false), guarded(deps, handler));
    },
    action(path, role, handler) {
      hono.post(path, securityHeaders(), sessionGuard(deps, role, true), guarded(deps, handler));
    },
  };
}
