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

/** The review queue on the demo data: keyboard triage, the item page, bulk actions, roles. */
describeBrowser('review queue (Chromium)', () => {
  const dash = useDashboard();

  const stateOf = async (id: string) =>
    await dash.server.store.db
      .selectFrom('review_items')
      .select(['state', 'assignee', 'response_url', 'first_response_seconds'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('assigns a mention, marks it responded and it leaves the queue, all by keyboard', async () => {
    const page = await dash.browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await signIn(page, dash.server, 'reviewer', `/review?watch=${dash.server.seed.brandWatchId}&state=new`);
    await page.locator('#review-list[data-ready]').waitFor();
    const first = page.locator('.review-item').first();
    const id = (await first.getAttribute('data-id')) as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await first.getAttribute('aria-current')).toBe('true');
    expect((await stateOf(id)).assignee).toBeNull();

    await expectAccessible(page);
    await screenshot(page, 'review');

    // j then k: back on the first item.
    await page.keyboard.press('j');
    expect(await page.locator('.review-item').nth(1).getAttribute('aria-current')).toBe('true');
    await page.keyboard.press('k');
    expect(await first.getAttribute('aria-current')).toBe('true');

    await Promise.all([page.waitForURL(/done=Assigned/), page.keyboard.press('a')]);
    expect(await page.getByRole('status').textContent()).toContain('Assigned to');
    const assigned = await stateOf(id);
    expect(assigned.assignee).toBeTruthy();
    const again = page.locator(`.review-item[data-id="${id}"]`);
    expect(await again.textContent()).toContain(`assigned to ${assigned.assignee}`);
    expect(await again.getAttribute('aria-current')).toBe('true');

    await page.keyboard.press('r');
    const url = page.locator(`#url-${id}`);
    expect(await url.evaluate((el) => el === document.activeElement)).toBe(true);
    await url.fill('https://social.example/telvana_help/status/1');
    await Promise.all([page.waitForURL(/done=Marked/), url.press('Enter')]);
    expect(await page.locator(`.review-item[data-id="${id}"]`).count()).toBe(0);
    const responded = await stateOf(id);
    expect(responded.state).toBe('responded');
    expect(responded.response_url).toBe('https://social.example/telvana_help/status/1');
    expect(responded.first_response_seconds).toBeGreaterThanOrEqual(0);

    // It shows under Responded, and the first-response table counts it.
    await page.goto(`${dash.server.url}/review?watch=${dash.server.seed.brandWatchId}&state=responded`);
    expect(await page.locator(`.review-item[data-id="${id}"]`).count()).toBe(1);
    const row = page.locator('#frt-h + .table-wrap tbody tr', { hasText: 'Telvana' }).first();
    expect(Number((await row.locator('td').first().textContent())?.replace(/,/g, ''))).toBeGreaterThanOrEqual(
      1,
    );

    // ? shows the shortcuts.
    await page.keyboard.press('?');
    expect(await page.locator('#shortcuts').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps notes and history on the item page, and bulk-dismisses selected items', async () => {
    const page = await dash.browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await signIn(page, dash.server, 'reviewer', `/review?watch=${dash.server.seed.brandWatchId}&state=new`);
    await page.locator('#review-list[data-ready]').waitFor();
    const ids = await page
      .locator('.review-item')
      .evaluateAll((els) => els.slice(0, 3).map((e) => e.getAttribute('data-id') as string));
    // x on the first two (j moves), then the bulk form.
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.getByLabel('Action').selectOption('dismiss');
    await Promise.all([page.waitForURL(/done=2(%20|\+)updated/), page.locator('#bulk-submit').click()]);
    expect((await stateOf(ids[0] as string)).state).toBe('dismissed');
    expect((await stateOf(ids[1] as string)).state).toBe('dismissed');
    expect((await stateOf(ids[2] as string)).state).toBe('new');

    await page.goto(`${dash.server.url}/review/${ids[2]}`);
    await page.getByLabel('Add a note (internal)').fill('Called the customer back.');
    await Promise.all([page.waitForURL(/done=Note/), page.getByRole('button', { name: 'Add note' }).click()]);
    expect(await page.locator('.note-body').first().textContent()).toBe('Called the customer back.');
    expect(await page.locator('#history-h + ol').textContent()).toContain('note');
    // The post shows its red-flag evidence or sentiment words highlighted.
    expect(await page.locator('.mention-text mark[title]').count()).toBeGreaterThan(0);
    // A bad reply link is shown next to its field, nothing is changed.
    await page.getByLabel('Link to our public reply').fill('not a link');
    await page.locator('#f-url').evaluate((el) => el.removeAttribute('required'));
    await page.locator('#f-url').evaluate((el) => el.setAttribute('type', 'text'));
    await page.getByRole('button', { name: 'Mark responded' }).click();
    expect(await page.locator('#f-url-error').textContent()).toContain('reply');
    expect((await stateOf(ids[2] as string)).state).toBe('new');
    await expectAccessible(page);
    await screenshot(page, 'review-item');
    // The refused form answers 400 on purpose (Chromium logs that status); nothing else may fail.
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    expect(errors.length).toBe(1);
    await page.close();
  });

  it('shows a viewer the queue without triage controls; fits a phone; first load fits the budget', async () => {
    const page = await dash.browser.context.newPage();
    await signIn(page, dash.server, 'viewer', '/review');
    expect(await page.locator('.review-item').count()).toBeGreaterThan(0);
    expect(await page.locator('.review-item button[data-key]').count()).toBe(0);
    // On a phone the page folds to one column: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/review', '/mentions', '/watches', '/sources', '/settings']) {
      await page.goto(`${dash.server.url}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(1);
    }
    await screenshot(page, 'review-phone');
    await page.close();
    const load = await measureFirstLoad(dash.browser.context, `${dash.server.url}/review`);
    expect(load.bytes).toBeLessThan(FIRST_LOAD_BUDGET);
    expect(load.errors).toEqual([]);
    await load.page.close();
  });
});
