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

/** The watch editor (preview before saving) and the mentions explorer, on the demo data. */
describeBrowser('watches and mentions (Chromium)', () => {
  const dash = useDashboard();

  it('previews a watch query (syntax error inline, then matches) and saves it', async () => {
    const page = await dash.browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await signIn(page, dash.server, 'admin', '/watches/new');
    await page.locator('.watch-editor[data-ready]').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Telvana outage talk');
    const query = page.getByLabel('Query', { exact: true });
    await query.fill('telvana AND (outage OR "down again"');
    await page.locator('#f-query-live-error').waitFor();
    expect(await page.locator('#f-query-live-error').textContent()).toMatch(/character \d+/);
    expect(await query.getAttribute('aria-invalid')).toBe('true');

    await query.fill('telvana AND (outage OR down)');
    await page.getByRole('button', { name: 'Preview matches' }).click();
    await page.locator('#preview-counts').waitFor();
    const counts = (await page.locator('#preview-counts').textContent()) ?? '';
    const matched = Number(/^(\d+) of (\d+)/.exec(counts.replace(/,/g, ''))?.[1]);
    expect(matched).toBeGreaterThan(0);
    expect(await page.locator('#f-query-live-error').count()).toBe(0);
    expect(await page.locator('#preview mark.hl-term').count()).toBeGreaterThan(0);
    expect((await page.locator('#preview mark.hl-term').first().textContent())?.toLowerCase()).toMatch(
      /telvana|outage|down/,
    );
    await expectAccessible(page);
    await screenshot(page, 'watches-edit');

    await Promise.all([
      page.waitForURL(/\/watches\?done=/),
      page.getByRole('button', { name: 'Save watch' }).click(),
    ]);
    const saved = await dash.server.store.db
      .selectFrom('watches')
      .select(['id', 'query'])
      .where('name', '=', 'Telvana outage talk')
      .executeTakeFirstOrThrow();
    expect(saved.query).toBe('telvana AND (outage OR down)');
    expect(await page.getByRole('status').textContent()).toContain('Telvana outage talk');
    await expectAccessible(page);
    await screenshot(page, 'watches');

    // A watch's page is its overview.
    await page.goto(`${dash.server.url}/watches/${saved.id}`);
    expect(new URL(page.url()).search).toBe(`?watch=${saved.id}`);
    expect(errors).toEqual([]);

    // Without the script: a broken query on save is refused with the error next to the field.
    const plain = await dash.browser.context.newPage();
    await plain.route('**/assets/watches*.js', (route) => route.fulfill({ status: 200, body: '' }));
    await plain.goto(`${dash.server.url}/watches/${saved.id}/edit`);
    await plain.getByLabel('Query', { exact: true }).fill('telvana AND');
    await plain.getByRole('button', { name: 'Save watch' }).click();
    expect(await plain.locator('#f-query-error').textContent()).toMatch(/character/);
    const after = await dash.server.store.db
      .selectFrom('watches')
      .select('query')
      .where('id', '=', saved.id)
      .executeTakeFirstOrThrow();
    expect(after.query).toBe('telvana AND (outage OR down)');
    // ...and the no-script preview renders on the dash.server.
    await plain.getByLabel('Query', { exact: true }).fill('brightwave');
    await plain.getByRole('button', { name: 'Preview matches' }).click();
    expect(await plain.locator('#preview-counts').textContent()).toMatch(/^\d[\d,]* of \d/);
    await plain.close();
    await page.close();
  }, 120_000);

  it('explores mentions with filters, highlights, paging and an export link', async () => {
    const page = await dash.browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await signIn(
      page,
      dash.server,
      'viewer',
      `/mentions?watch=${dash.server.seed.brandWatchId}&label=negative`,
    );
    const items = page.locator('#mention-list > li');
    expect(await items.count()).toBe(25);
    // Every listed mention is negative, and the words behind it are marked with why.
    const tones = await page.locator('#mention-list .meta span').allTextContents();
    expect(tones.every((t) => t.startsWith('negative'))).toBe(true);
    expect(await page.locator('#mention-list mark.hl-neg[title^="Sentiment -"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#mention-list mark.hl-term[title^="Matched term"]').count()).toBeGreaterThan(
      0,
    );
    const exportHref = (await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')) ?? '';
    expect(exportHref).toContain('label=negative');
    expect(exportHref).toContain('format=csv');
    const res = await page.request.get(`${dash.server.url}${exportHref}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('text/csv');

    const firstIds = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    await page.locator('#next-page').click();
    const nextIds = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(nextIds.length).toBeGreaterThan(0);
    expect(nextIds.some((id) => firstIds.includes(id))).toBe(false);
    expect(new URL(page.url()).searchParams.get('label')).toBe('negative');

    // The form: a red-flag filter narrows the list to mentions carrying it.
    await page.goto(`${dash.server.url}/mentions?watch=${dash.server.seed.brandWatchId}`);
    await page.getByText('Filters').click();
    await page.getByLabel('Churn intent').check();
    await page.getByRole('button', { name: 'Apply' }).click();
    expect(new URL(page.url()).searchParams.getAll('signal')).toEqual(['churn_intent']);
    const flagged = await page.locator('#mention-list > li').count();
    expect(flagged).toBeGreaterThan(0);
    expect(await page.locator('#mention-list > li', { hasText: 'Churn intent' }).count()).toBe(flagged);
    await expectAccessible(page);
    await screenshot(page, 'mentions');

    // A bad filter is named, not a crash.
    await page.goto(`${dash.server.url}/mentions?ratingMin=9`);
    expect(await page.locator('.error-summary').textContent()).toContain('ratingMin');
    expect(errors).toEqual([]);
    // First loads as an admin (the new-watch form needs the role).
    await signIn(page, dash.server, 'admin', '/watches');
    await page.close();
    for (const path of ['/mentions', '/watches', '/watches/new']) {
      const load = await measureFirstLoad(dash.browser.context, `${dash.server.url}${path}`);
      expect(load.bytes, path).toBeLessThan(FIRST_LOAD_BUDGET);
      expect(load.errors, path).toEqual([]);
      await load.page.close();
    }
  }, 120_000);
});
