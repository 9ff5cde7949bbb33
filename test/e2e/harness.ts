import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { DEMO_EPISODE, demoStartAt } from '../../sources/demo/adapter.ts';
import {
  type DemoSeed,
  backfillDemo,
  replayDemoDetections,
  seedDemoWorkspace,
} from '../../src/cli/commands/demo.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createHttpClient } from '../../src/ingest/http/client.ts';
import { type NodeService, startNodeService } from '../../src/runtime/node.ts';
import { lexiconScorer } from '../../src/score/sentiment.ts';
import { type Store, connect } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { type Role, createToken } from '../../src/store/repositories/tokens.ts';
import { type BrowserSession, CHROMIUM, launchBrowser } from '../helpers/chromium.ts';

/**
 * The browser test harness: the Node service on 127.0.0.1 over an in-memory PGlite seeded with the
 * demo (outage, backlash and their alerts), Debian's Chromium through playwright-core, and checks
 * every page test makes: console errors, axe-core, first-load transfer, a screenshot.
 */

export const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/**
 * `describe` when Chromium is installed; otherwise skipped, except in CI (CI=true) where a missing
 * browser must fail the run, not hide it.
 */
export function describeBrowser(name: string, fn: () => void): void {
  if (existsSync(CHROMIUM) || process.env.CI) describe(name, fn);
  else describe.skip(`${name} (no ${CHROMIUM})`, fn);
}

export interface DemoServer {
  url: string;
  store: Store;
  service: NodeService;
  seed: DemoSeed;
  /** Plain API tokens of the demo workspace, one per role. */
  tokens: Record<Role, string>;
  /** The demo's history: `days` days ending at `seededAt`. */
  seededAt: Date;
  days: number;
  /** Start of the demo's outage hour (the backlash follows). */
  outageAt: Date;
  close(): Promise<void>;
}

interface DemoTemplate {
  dir: string;
  seed: DemoSeed;
  tokens: Record<Role, string>;
  /** The clock the demo was seeded at (its history ends there). */
  seededAt: string;
}

const ROOT = join(import.meta.dirname, '..', '..');
const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
/** What the seeded database is made from: a change to any of these seeds afresh. */
const SEED_INPUTS = [
  'sources/demo',
  'migrations',
  'src/ingest',
  'src/score',
  'src/detect',
  'src/alert',
  'src/store',
];

/** The UTC day (the demo ends "now") and a hash of the code that writes the seeded database. */
function seedKey(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts')) hash.update(p).update(readFileSync(p));
    }
  };
  for (const d of SEED_INPUTS) walk(join(ROOT, d));
  hash.update(readFileSync(join(ROOT, 'src/cli/commands/demo.ts')));
  return `v2-${new Date().toISOString().slice(0, 10)}-${hash.digest('hex').slice(0, 12)}`;
}

/**
 * Seeds the demo once per test run into a PGlite data directory (the backfill and detector replay take
 * about a minute) that every browser test file then copies. Built by the first file that needs it, under
 * a lock directory; kept in the temp dir for the day while the code that writes it is unchanged.
 */
async function demoTemplate(days: number): Promise<DemoTemplate> {
  const base = join(tmpdir(), `tw-e2e-demo-${days}-${seedKey()}`);
  const meta = join(base, 'meta.json');
  const lock = `${base}.lock`;
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    if (existsSync(meta)) return { dir: join(base, 'db'), ...JSON.parse(readFileSync(meta, 'utf8')) };
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    rmSync(base, { recursive: true, force: true });
    const now = new Date();
    const store = await connect({ dataDir: join(base, 'db') });
    await migrateToLatest(store.db);
    const seed = await seedDemoWorkspace(store.db, { seed: 42, days, now });
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;
    const pollDeps = {
      db: store.db,
      http: createHttpClient(),
      scorer: lexiconScorer,
      log: silentLogger(),
      batchSize: 500,
      now: () => now,
    };
    await backfillDemo(pollDeps, seed.workspaceId, sink);
    await replayDemoDetections(store.db, { workspaceId: seed.workspaceId, now, baseUrl: 'http://127.0.0.1' });
    const tokens = {} as Record<Role, string>;
    for (const role of ['viewer', 'reviewer', 'admin'] as const) {
      tokens[role] = (
        await createToken(store.db, seed.workspaceId, { name: `e2e-${role}`, role }, 'e2e')
      ).token;
    }
    await store.close();
    const seededAt = now.toISOString();
    writeFileSync(meta, JSON.stringify({ seed, tokens, seededAt }));
    return { dir: join(base, 'db'), seed, tokens, seededAt };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Starts the service on a free port over a private copy of the seeded demo: `days` of history ending
 * about now (the outage is on day 62, so keep days > 62), the detectors replayed so the alerts exist,
 * and one API token per role.
 */
export async function startDemoServer(opts: { days?: number } = {}): Promise<DemoServer> {
  const days = opts.days ?? 70;
  const template = await demoTemplate(days);
  const dataDir = mkdtempSync(join(tmpdir(), 'tw-e2e-db-'));
  cpSync(template.dir, dataDir, { recursive: true });
  const store = await connect({ dataDir });
  const service = await startNodeService({
    db: store.db,
    log: silentLogger(),
    storage: 'pglite',
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: 1 << 20,
    rateLimitPerMinute: 0,
  });
  return {
    url: service.url,
    store,
    service,
    seed: template.seed,
    tokens: template.tokens,
    seededAt: new Date(template.seededAt),
    days,
    outageAt: new Date(
      demoStartAt(new Date(template.seededAt), days).getTime() +
        DEMO_EPISODE.outageDay * 86_400_000 +
        DEMO_EPISODE.outageHourUtc * 3_600_000,
    ),
    async close() {
      await service.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the form (after dropping any session) and lands on `next` (default the overview). */
export async function signIn(
  page: Page,
  server: DemoServer,
  role: Role = 'admin',
  next = '/',
): Promise<void> {
  // A signed-in browser skips the form, so start from no session.
  await page.context().clearCookies();
  await page.goto(`${server.url}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('API token').fill(server.tokens[role]);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/sign-in')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

/** Collects console errors and uncaught page errors (CSP violations show up here too). */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the page's CSP (rightly) blocks an injected <script>.
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const result = (await page.evaluate(
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page at run time.
    async () => (window as any).axe.run(document, { resultTypes: ['violations'] }),
  )) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails with a readable list when axe finds serious or critical problems. */
export async function expectAccessible(page: Page): Promise<void> {
  const v = await seriousA11yViolations(page);
  const text = v.map(
    (x) => `${x.impact} ${x.id}: ${x.help} at ${JSON.stringify(x.nodes.slice(0, 3).map((n) => n.target))}`,
  );
  expect(text).toEqual([]);
}

/**
 * Loads `url` in a fresh page with an empty cache and returns the bytes transferred (encoded body plus
 * headers, from the DevTools protocol) until the network is idle, with the page.
 */
export async function measureFirstLoad(
  context: BrowserContext,
  url: string,
  ready?: (page: Page) => Promise<void>,
): Promise<{ page: Page; bytes: number; requests: number; errors: string[] }> {
  const page = await context.newPage();
  const errors = collectConsoleErrors(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
    bytes += e.encodedDataLength;
    requests += 1;
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  if (ready) await ready(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.detach();
  return { page, bytes, requests, errors };
}

/** Full-page screenshot to test/artifacts/<name>.png (the folder is git-ignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The first-load budget of every page (issue: under 300 KB of transfer). */
export const FIRST_LOAD_BUDGET = 300 * 1024;

/** What a browser test file works with: the seeded demo service and a Chromium session. */
export interface Dashboard {
  server: DemoServer;
  browser: BrowserSession;
}

/**
 * Starts the seeded demo service and Chromium before the file's tests and closes both after them.
 * The fields are filled in by the time the first test (or a later `beforeAll`) runs.
 */
export function useDashboard(): Dashboard {
  const dash = {} as Dashboard;
  beforeAll(async () => {
    dash.server = await startDemoServer();
    dash.browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await dash.browser?.close();
    await dash.server?.close();
  });
  return dash;
}
