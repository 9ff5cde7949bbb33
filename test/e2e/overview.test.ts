import { beforeAll, expect, it } from 'vitest';
import { CSP } from '../../src/api/dashboard/router.tsx';
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

const DAY = 86_400_000;
const HOUR = 3_600_000;

describeBrowser('dashboard overview (Chromium)', () => {
  const dash = useDashboard();
  let outage: number;

  beforeAll(async () => {
    outage = dash.server.outageAt.getTime();
  }, 300_000);

  it(
    'shows the backlash spike with its alert marker; selecting it lists the alert and its mentions',
    { timeout: 90_000 },
    async () => {
      const page = await dash.browser.context.newPage();
      const errors = collectConsoleErrors(page);
      await signIn(page, dash.server, 'viewer', '/');
      await page.waitForSelector('#overview[data-ready="1"]');
      expect(await page.locator('h1').textContent()).toBe('Telvana: overview');

      // The reputation chart is drawn and the backlash shows: the spike's day has far more mentions.
      const spike = await page.evaluate(async (watch) => {
        const res = await fetch(`/api/v1/trends?watch=${watch}&bucket=day`);
        const t = (await res.json()) as { buckets: { start: string; mentions: number }[] };
        const top = t.buckets.reduce((a, b) => (b.mentions > a.mentions ? b : a));
        const median =
          t.buckets.map((b) => b.mentions).sort((a, b) => a - b)[Math.floor(t.buckets.length / 2)] ?? 0;
        return { day: top.start, top: top.mentions, median };
      }, dash.server.seed.brandWatchId);
      expect(new Date(spike.day).getTime()).toBe(Math.floor(outage / DAY) * DAY);
      expect(spike.top).toBeGreaterThan(3 * spike.median);
      expect(await page.locator('#chart-reputation canvas').count()).toBeGreaterThan(0);

      // Alert markers sit on the chart at the outage (alerts close together share one marker).
      const markers = page.locator('#chart-reputation button.marker:not([hidden])');
      expect(await markers.count()).toBeGreaterThan(0);
      const found = await markers.evaluateAll(
        (bs, at) =>
          bs
            .map((b, i) => ({
              i,
              t: Number((b as HTMLElement).dataset.at) * 1000,
              label: b.getAttribute('aria-label'),
            }))
            .filter((m) => m.t >= at && m.t <= at + 3 * 3_600_000),
        outage,
      );
      expect(found.length, JSON.stringify(found)).toBeGreaterThan(0);
      expect(found.map((m) => m.label).join(' ')).toContain('Telvana: Volume spike');
      await markers.nth(found[0]?.i ?? 0).click();
      await page.waitForSelector('#alert-panel ul.mentions li');
      const panel = page.locator('#alert-panel');
      const shown = `${await panel.locator('h2').textContent()} ${await panel.locator('.marker-list').allTextContents()}`;
      expect(shown).toContain('Volume spike');
      const items = await panel.locator('ul.mentions li').allTextContents();
      expect(items.length).toBeGreaterThan(2);
      expect(items.some((t) => /telvana/i.test(t))).toBe(true);
      expect(await panel.locator('a', { hasText: 'Open the alert' }).getAttribute('href')).toMatch(
        /^\/alerts\/[0-9a-f-]{36}$/,
      );

      // The red-flag table reads like a sentence for each flag that moved.
      expect(await page.locator('[data-flag="churn_intent"] td').last().textContent()).toMatch(
        /churn intent (up|down) \d+% this week|no change|new/,
      );
      expect(await page.locator('#h-voice').count()).toBe(1);
      expect(await page.locator('table').filter({ hasText: 'Brightwave' }).count()).toBe(1);
      await expectAccessible(page);
      await screenshot(page, 'overview');
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it(
    'loads in under 300 KB with the strict CSP and no console errors; works on a phone',
    { timeout: 90_000 },
    async () => {
      const load = await measureFirstLoad(dash.browser.context, `${dash.server.url}/`, async (p) => {
        await p.waitForSelector('#overview[data-ready="1"]');
      });
      expect(load.bytes).toBeGreaterThan(10_000);
      expect(load.bytes).toBeLessThan(FIRST_LOAD_BUDGET);
      expect(load.errors).toEqual([]);
      const res = await load.page.goto(`${dash.server.url}/?range=7d`);
      expect(res?.headers()['content-security-policy']).toBe(CSP);
      await load.page.waitForSelector('#overview[data-ready="1"]');
      await load.page.setViewportSize({ width: 390, height: 844 });
      await load.page.waitForTimeout(200);
      const overflow = await load.page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow).toBeLessThanOrEqual(1);
      await screenshot(load.page, 'overview-phone');
      expect(load.errors).toEqual([]);
      await load.page.close();
    },
  );
});
