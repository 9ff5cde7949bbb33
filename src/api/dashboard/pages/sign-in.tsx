import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { authenticateToken } from '../../../store/repositories/tokens.ts';
import type { DashboardContext, DashboardDeps } from '../context.ts';
import { ErrorSummary, Field, readForm } from '../forms.tsx';
import { renderBarePage } from '../layout.tsx';
import { type DashboardRouter, errorPage, sameOrigin, securityHeaders } from '../router.tsx';
import {
  CSRF_FIELD,
  CSRF_HEADER,
  SESSION_COOKIE,
  createSession,
  csrfMatches,
  deleteSession,
  readSession,
} from '../sessions.ts';

/** Only a local path is a sign-in's `next` (never `//host` or a full URL: no open redirect). */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[^\s\\]*$/.test(next) ? next : '/';
}

const signInForm = z.object({
  token: z.string().trim().min(1, 'enter an API token').max(512),
  next: z.string().max(2048).optional(),
});

function SignInForm(props: { next: string; issues?: { path: string; message: string }[] }) {
  return (
    <>
      <p>
        Sign in with an API token: the one <code>npm start</code> prints for the demo, or one made with{' '}
        <code>trustwatch token create</code>.
      </p>
      <ErrorSummary issues={props.issues} />
      <form method="post" action="/sign-in" class="sign-in">
        <input type="hidden" name="next" value={props.next} />
        <Field
          name="token"
          label="API token"
          type="password"
          hint="The token is exchanged for a session cookie and never stored in the browser."
          required
          issues={props.issues}
        />
        <button type="submit">Sign in</button>
      </form>
    </>
  );
}

function isSecure(c: DashboardContext, deps: DashboardDeps): boolean {
  return deps.dashboard.secureCookies ?? new URL(c.req.url).protocol === 'https:';
}

export function signInPages(r: DashboardRouter): void {
  const { hono, deps } = r;
  const now = () => deps.now?.() ?? new Date();

  hono.get('/sign-in', securityHeaders(), async (c) => {
    const next = safeNext(c.req.query('next'));
    // Already signed in: straight on.
    if (await readSession(deps.db, getCookie(c, SESSION_COOKIE), now())) return c.redirect(next, 303);
    return renderBarePage(c, deps, 'Sign in to trustwatch', <SignInForm next={next} />);
  });

  hono.post('/sign-in', securityHeaders(), async (c) => {
    // No session yet, so no CSRF token: a cross-site sign-in (login CSRF) is refused by origin instead.
    if (!sameOrigin(c)) return errorPage(c, deps, 403, 'Cross-site sign-in is refused.');
    const form = await readForm(c, signInForm);
    const next = safeNext(form.values.next);
    if (!form.ok)
      return renderBarePage(
        c,
        deps,
        'Sign in to trustwatch',
        <SignInForm next={next} issues={form.issues} />,
        400,
      );
    const principal = await authenticateToken(deps.db, form.data.token);
    if (!principal) {
      deps.log.info({ path: c.req.path }, 'dashboard sign-in refused');
      const issues = [{ path: 'token', message: 'unknown or revoked API token' }];
      return renderBarePage(
        c,
        deps,
        'Sign in to trustwatch',
        <SignInForm next={next} issues={issues} />,
        401,
      );
    }
    const session = await createSession(deps.db, principal, now());
    setCookie(c, SESSION_COOKIE, session.id, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: isSecure(c, deps),
      path: '/',
      expires: session.expiresAt,
    });
    return c.redirect(next, 303);
  });

  // Sign-out is a form post (CSRF-checked), so a cross-site link cannot sign anyone out.
  hono.post('/sign-out', securityHeaders(), async (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    const session = await readSession(deps.db, id, now());
    if (session) {
      const body = await c.req.parseBody();
      const presented = typeof body[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : c.req.header(CSRF_HEADER);
      if (!sameOrigin(c) || !csrfMatches(session, presented)) {
        return errorPage(c, deps, 403, 'The form did not come from this site. Reload and retry.');
      }
      await deleteSession(deps.db, id);
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isSecure(c, deps) });
    return c.redirect('/sign-in', 303);
  });
}
