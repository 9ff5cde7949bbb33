import { expect, it } from 'vitest';
import {
  FIRST_LOAD_BUDGET,
  collectConsoleErrors,
  describeBrowser,
  expectAccessible,
  measureFirstLoad,
  screenshot,
  signIn,
  useDashboard,
} from './harness.ts';

/** Sources (health, add/edit with validation, secrets never echoed, pause) and settings (routes, tokens). */
describeBrowser('sources and settings (Chromium)', () => {
  const dash = useDashboard();

  const sourceNamed = (name: string) =>
    dash.server.store.db
      .selectFrom('sources')
      .select(['id', 'config', 'enabled'])
      .where('name', '=', name)
      .executeTakeFirst();

  it('lists source health, validates a new source by its schema, keeps secrets, pauses', async () => {
    const page = await dash.browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await signIn(page, dash.server, 'admin', '/sources');
    const rows = page.locator('table.sources tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    expect(await rows.first().textContent()).toMatch(/healthy|waiting|failing|paused/);
    await expectAccessible(page);
    await screenshot(page, 'sources');

    // The adapter's schema refuses a bad URL; the error sits by the field.
    await page.goto(`${dash.server.url}/sources/new?type=rss`);
    await page.getByLabel('Name', { exact: true }).fill('Status feed');
    await page.getByLabel('url', { exact: true }).fill('not a url');
    await page.getByRole('button', { name: 'Save source' }).click();
    expect(await page.locator('[id="f-config.url-error"]').textContent()).toBeTruthy();
    expect(await sourceNamed('Status feed')).toBeUndefined();
    await expectAccessible(page);
    await screenshot(page, 'sources-new');
    await page.getByLabel('url', { exact: true }).fill('http://127.0.0.1:9/status.xml');
    await Promise.all([
      page.waitForURL(/\/sources\?done=/),
      page.getByRole('button', { name: 'Save source' }).click(),
    ]);
    expect((await sourceNamed('Status feed'))?.config).toMatchObject({
      url: 'http://127.0.0.1:9/status.xml',
    });

    // A secret is stored, never sent back, and kept when the edit leaves it blank.
    await page.goto(`${dash.server.url}/sources/new?type=stackexchange`);
    await page.getByLabel('Name', { exact: true }).fill('SE support');
    await page.getByLabel('query', { exact: true }).fill('telvana');
    await page.getByLabel('key (optional)').fill('se-secret-key-123');
    await Promise.all([
      page.waitForURL(/\/sources\?done=/),
      page.getByRole('button', { name: 'Save source' }).click(),
    ]);
    const se = await sourceNamed('SE support');
    expect(se?.config).toMatchObject({ key: 'se-secret-key-123', query: 'telvana' });
    await page.getByRole('link', { name: 'Edit SE support' }).click();
    expect(await page.content()).not.toContain('se-secret-key-123');
    await page.getByLabel('query', { exact: true }).fill('telvana refund');
    await Promise.all([
      page.waitForURL(/\/sources\?done=/),
      page.getByRole('button', { name: 'Save source' }).click(),
    ]);
    expect((await sourceNamed('SE support'))?.config).toMatchObject({
      key: 'se-secret-key-123',
      query: 'telvana refund',
    });

    await Promise.all([
      page.waitForURL(/paused/),
      page.getByRole('button', { name: 'Pause Status feed' }).click(),
    ]);
    expect((await sourceNamed('Status feed'))?.enabled).toBe(false);
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    await page.close();
  }, 120_000);

  it('adds a Slack route shown redacted, sends a test, and manages tokens (roles = members)', async () => {
    const page = await dash.browser.context.newPage();
    const errors = collectConsoleErrors(page);
    page.on('dialog', (d) => d.accept());
    await signIn(page, dash.server, 'admin', '/settings');
    await page.getByLabel('Name', { exact: true }).fill('Comms Slack');
    await page
      .getByLabel('URL', { exact: true })
      .fill('https://hooks.slack.com/services/T0001/B0001/SECRETPART');
    await Promise.all([page.waitForURL(/done=/), page.getByRole('button', { name: 'Add route' }).click()]);
    const html = await page.content();
    expect(html).toContain('Comms Slack');
    expect(html).not.toContain('SECRETPART');

    const before = await dash.server.store.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    await Promise.all([
      page.waitForURL(/Test(%20|\+)message/),
      page.getByRole('button', { name: 'Send test to Comms Slack' }).click(),
    ]);
    const after = await dash.server.store.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);

    // A token is shown once; its role is the member's role.
    await page.getByLabel('Whose token').fill('Ana (comms)');
    await page.getByLabel('Role', { exact: true }).selectOption('reviewer');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.locator('#once-value').textContent())?.trim() ?? '';
    expect(token).toMatch(/^tw_/);
    await page.goto(`${dash.server.url}/settings`);
    expect(await page.content()).not.toContain(token);
    expect(await page.getByText("a member's role is their token's role").count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'settings');

    const ana = await dash.server.store.db
      .selectFrom('api_tokens')
      .select('id')
      .where('name', '=', 'Ana (comms)')
      .executeTakeFirstOrThrow();
    await page.getByLabel('Role of Ana (comms)').selectOption('viewer');
    await Promise.all([
      page.waitForURL(/now(%20|\+)viewer/),
      page.getByRole('button', { name: 'Set role of Ana (comms)' }).click(),
    ]);
    const roleNow = await dash.server.store.db
      .selectFrom('api_tokens')
      .select(['role', 'revoked_at'])
      .where('id', '=', ana.id)
      .executeTakeFirstOrThrow();
    expect(roleNow.role).toBe('viewer');
    await Promise.all([
      page.waitForURL(/revoked/),
      page.getByRole('button', { name: 'Revoke Ana (comms)' }).click(),
    ]);
    const revoked = await dash.server.store.db
      .selectFrom('api_tokens')
      .select('revoked_at')
      .where('id', '=', ana.id)
      .executeTakeFirstOrThrow();
    expect(revoked.revoked_at).not.toBeNull();
    expect(errors).toEqual([]);
    await page.close();

    // A viewer sees the routes, not the tokens, and cannot post to the admin forms.
    const viewer = await dash.browser.context.newPage();
    await signIn(viewer, dash.server, 'viewer', '/settings');
    expect(await viewer.locator('#routes-h').count()).toBe(1);
    expect(await viewer.getByRole('button', { name: 'Create token' }).count()).toBe(0);
    await viewer.close();

    await signIn(await dash.browser.context.newPage(), dash.server, 'admin', '/settings');
    for (const path of ['/settings', '/sources', '/sources/new?type=rss']) {
      const load = await measureFirstLoad(dash.browser.context, `${dash.server.url}${path}`);
      expect(load.bytes, path).toBeLessThan(FIRST_LOAD_BUDGET);
      expect(load.errors, path).toEqual([]);
      await load.page.close();
    }
  }, 120_000);
});
