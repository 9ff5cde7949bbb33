import { expect, it } from 'vitest';
import { CSP } from '../../src/api/dashboard/router.tsx';
import {
  collectConsoleErrors,
  describeBrowser,
  expectAccessible,
  screenshot,
  signIn,
  useDashboard,
} from './harness.ts';

describeBrowser('dashboard sign-in, session cookie, CSP and CSRF (Chromium)', () => {
  const dash = useDashboard();

  it('sends a signed-out visitor to the sign-in form and refuses a bad token', async () => {
    const page = await dash.browser.context.newPage();
    const errors = collectConsoleErrors(page);
    const res = await page.goto(`${dash.server.url}/alerts`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/alerts');
    expect(res?.headers()['content-security-policy']).toBe(CSP);
    await expectAccessible(page);
    await screenshot(page, 'sign-in');

    await page.getByLabel('API token').fill('tw_not-a-real-token');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/sign-in') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    expect(refused.status()).toBe(401);
    expect(await page.getByRole('alert').textContent()).toContain('unknown or revoked API token');
    expect(await dash.browser.context.cookies(dash.server.url)).toEqual([]);
    await page.close();
    // The refused sign-in answers 401; Chromium logs that load as a console error, which is expected.
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  it('signs in with a token: HttpOnly SameSite cookie, back to the page asked for, no console errors', async () => {
    const page = await dash.browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await signIn(page, dash.server, 'viewer', '/alerts');
    expect(new URL(page.url()).pathname).toBe('/alerts');
    const cookie = (await dash.browser.context.cookies(dash.server.url)).find((c) => c.name === 'tw_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The session id is stored only hashed.
    const stored = await dash.server.store.db.selectFrom('dashboard_sessions').select('id_hash').execute();
    expect(stored.map((s) => s.id_hash)).not.toContain(cookie?.value);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses a form post without the CSRF token, and one from another site', async () => {
    const page = await dash.browser.context.newPage();
    await signIn(page, dash.server, 'admin', '/alerts');
    // Same-origin fetch carrying the session cookie but no CSRF field: refused.
    const status = await page.evaluate(async () => {
      const res = await fetch('/sign-out', { method: 'POST', body: new URLSearchParams({}) });
      return res.status;
    });
    expect(status).toBe(403);
    // A wrong token is refused too; the session survives both.
    const wrong = await page.evaluate(async () => {
      const res = await fetch('/sign-out', {
        method: 'POST',
        body: new URLSearchParams({ _csrf: 'x'.repeat(43) }),
      });
      return res.status;
    });
    expect(wrong).toBe(403);
    // Cross-site: a post with the right cookie but a foreign Origin.
    const cookie = (await dash.browser.context.cookies(dash.server.url)).find((c) => c.name === 'tw_session');
    const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
    const foreign = await fetch(`${dash.server.url}/sign-out`, {
      method: 'POST',
      headers: {
        cookie: `tw_session=${cookie?.value}`,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: csrf ?? '' }),
      redirect: 'manual',
    });
    expect(foreign.status).toBe(403);
    // The JSON API accepts the cookie for GET, and for writes only with the CSRF header.
    const apiGet = await page.evaluate(async () => (await fetch('/api/v1/watches')).status);
    expect(apiGet).toBe(200);
    const apiPost = await page.evaluate(async () => {
      const res = await fetch('/api/v1/watches', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return res.status;
    });
    expect(apiPost).toBe(403);
    await page.reload();
    expect(new URL(page.url()).pathname).toBe('/alerts');
    await page.close();
  });

  it('signs out: the session ends server-side, the old cookie no longer works', async () => {
    const page = await dash.browser.context.newPage();
    await signIn(page, dash.server, 'viewer', '/alerts');
    const cookie = (await dash.browser.context.cookies(dash.server.url)).find((c) => c.name === 'tw_session');
    await Promise.all([page.waitForURL(/\/sign-in/), page.getByRole('button', { name: 'Sign out' }).click()]);
    const replay = await fetch(`${dash.server.url}/api/v1/watches`, {
      headers: { cookie: `tw_session=${cookie?.value}` },
    });
    expect(replay.status).toBe(401);
    await page.close();
  });

  it('ends sessions when their token is revoked', async () => {
    const page = await dash.browser.context.newPage();
    await signIn(page, dash.server, 'reviewer', '/alerts');
    await dash.server.store.db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('name', '=', 'e2e-reviewer')
      .execute();
    await page.reload();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.close();
  });
});
