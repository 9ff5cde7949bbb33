import { beforeAll, expect, it } from 'vitest';
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

describeBrowser('dashboard alerts (Chromium)', () => {
  const dash = useDashboard();
  let openId: string;
  let openedAt: Date;

  beforeAll(async () => {
    // The replayed demo alerts all went quiet and were auto-resolved; reopen the volume spike, as a
    // fresh incident would be, so the open tab and the buttons have something to act on.
    const spike = await dash.server.store.db
      .selectFrom('alerts')
      .select(['id', 'opened_at'])
      .where('kind', '=', 'volume_spike')
      .where('watch_id', '=', dash.server.seed.brandWatchId)
      .orderBy('opened_at', 'desc')
      .executeTakeFirstOrThrow();
    openId = spike.id;
    openedAt = spike.opened_at;
    await dash.server.store.db
      .updateTable('alerts')
      .set({ state: 'open', resolved_at: null, resolved_by: null })
      .where('id', '=', openId)
      .execute();
  }, 300_000);

  it('lists alerts by state; the detail shows observed vs expected, the chart around it and its mentions', async () => {
    const page = await dash.browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await signIn(page, dash.server, 'reviewer', '/alerts');
    const open = await page
      .locator('#alerts-table tbody tr')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.alert));
    expect(open).toEqual([openId]);
    await expectAccessible(page);
    await screenshot(page, 'alerts');

    await page.getByRole('link', { name: /^Resolved/ }).click();
    const resolved = await page.locator('#alerts-table tbody tr').count();
    expect(resolved).toBeGreaterThan(3);
    const titles = await page.locator('#alerts-table tbody th a').allTextContents();
    expect(titles).toContain('Telvana: Negativity spike');
    expect(titles.some((t) => t.includes('#telvanafail'))).toBe(true);

    await page.goto(`${dash.server.url}/alerts/${openId}`);
    await page.waitForSelector('#chart-around[data-ready="1"]');
    expect(await page.locator('h1').textContent()).toBe('Telvana: Volume spike');
    const observed = Number((await page.locator('#observed').textContent())?.replace(/,/g, ''));
    const expected = Number((await page.locator('#expected').textContent())?.replace(/,/g, ''));
    expect(observed).toBeGreaterThan(3 * expected);
    expect(await page.locator('#chart-around canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#alert-mentions li').count()).toBeGreaterThan(0);
    // The replayed history is dated as the incident unfolded, not when the demo was seeded.
    expect(await page.locator('ol.history li').first().textContent()).toContain(
      openedAt.toISOString().slice(0, 16).replace('T', ' '),
    );
    expect(await page.getByRole('link', { name: 'All mentions of this alert' }).getAttribute('href')).toMatch(
      /^\/mentions\?from=.*&watch=/,
    );
    await expectAccessible(page);
    await screenshot(page, 'alert');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a reviewer acknowledges then resolves; a viewer gets no buttons and a refused post', async () => {
    const page = await dash.browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await signIn(page, dash.server, 'reviewer', `/alerts/${openId}`);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForURL(/done=Acknowledged/);
    expect(await page.locator('.page-head .state-acknowledged').count()).toBe(1);
    expect(await page.locator('dl.facts').textContent()).toContain('by e2e-reviewer');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.waitForURL(/done=Resolved/);
    const row = await dash.server.store.db
      .selectFrom('alerts')
      .select(['state', 'acknowledged_by', 'resolved_by'])
      .where('id', '=', openId)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('resolved');
    expect(row.resolved_by).toMatch(/^token:/);
    expect(await page.getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    expect(errors).toEqual([]);

    // A viewer sees the alert but no buttons, and a hand-made post with a valid CSRF token is refused.
    await signIn(page, dash.server, 'viewer', `/alerts/${openId}`);
    expect(await page.getByRole('button', { name: /Acknowledge|Resolve/ }).count()).toBe(0);
    const status = await page.evaluate(async (id) => {
      const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
      const res = await fetch(`/alerts/${id}/resolve`, {
        method: 'POST',
        body: new URLSearchParams({ _csrf: csrf }),
      });
      return res.status;
    }, openId);
    expect(status).toBe(403);
    await page.close();
  });

  it('loads under the transfer budget; an unknown alert is a 404 page', async () => {
    const load = await measureFirstLoad(
      dash.browser.context,
      `${dash.server.url}/alerts/${openId}`,
      async (p) => {
        await p.waitForSelector('#chart-around[data-ready="1"]');
      },
    );
    expect(load.bytes).toBeLessThan(FIRST_LOAD_BUDGET);
    expect(load.errors).toEqual([]);
    const list = await measureFirstLoad(dash.browser.context, `${dash.server.url}/alerts?state=all`);
    expect(list.bytes).toBeLessThan(FIRST_LOAD_BUDGET);
    expect(list.errors).toEqual([]);
    const res = await list.page.goto(`${dash.server.url}/alerts/00000000-0000-4000-8000-000000000000`);
    expect(res?.status()).toBe(404);
    expect(await list.page.getByRole('alert').textContent()).toContain('not found');
    await load.page.close();
    await list.page.close();
  });
});
