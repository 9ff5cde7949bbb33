import type { Command } from 'commander';
import { type Kysely, sql } from 'kysely';
import { demoStartAt } from '../../../sources/demo/adapter.ts';
import { recordDetections, transitionAlert } from '../../alert/lifecycle.ts';
import { alertSettings } from '../../alert/settings.ts';
import { byClosingHour, replayDetectors } from '../../detect/replay.ts';
import { type PollDeps, pollSource } from '../../ingest/poll.ts';
import { closeOnSignals, startNodeService } from '../../runtime/node.ts';
import { createSource, listSources } from '../../store/repositories/sources.ts';
import { createToken } from '../../store/repositories/tokens.ts';
import { createWatch, listWatches } from '../../store/repositories/watches.ts';
import { ensureWorkspace } from '../../store/repositories/workspaces.ts';
import type { Database } from '../../store/schema.ts';
import { openServices } from '../services.ts';

export const DEMO_WORKSPACE = 'demo';

export interface DemoSeed {
  workspaceId: string;
  brandWatchId: string;
  competitorWatchId: string;
  created: boolean;
}

/**
 * Creates the demo workspace: the Telvana brand watch, the Brightwave competitor watch and one demo
 * source per channel. Idempotent: an existing demo workspace is left as it is.
 */
export async function seedDemoWorkspace(
  db: Kysely<Database>,
  opts: { seed: number; days: number; now: Date },
): Promise<DemoSeed> {
  const ws = await ensureWorkspace(db, DEMO_WORKSPACE, 'Demo: Telvana vs Brightwave');
  const existing = await listWatches(db, ws.id);
  const brand = existing.find((w) => w.name === 'Telvana');
  const rival = existing.find((w) => w.name === 'Brightwave');
  if (brand && rival) {
    return { workspaceId: ws.id, brandWatchId: brand.id, competitorWatchId: rival.id, created: false };
  }
  const telvana =
    brand ??
    (await createWatch(
      db,
      ws.id,
      {
        name: 'Telvana',
        query: 'telvana OR @telvanacare OR #telvanafail OR "telvana my account"',
        exclusions: ['"job offer" OR hiring'],
        ownedHandles: ['TelvanaCare', 'Telvana'],
      },
      'demo',
    ));
  const brightwave =
    rival ??
    (await createWatch(
      db,
      ws.id,
      {
        name: 'Brightwave',
        kind: 'competitor',
        query: 'brightwave OR @brightwave',
        competitorOf: telvana.id,
        ownedHandles: ['Brightwave'],
      },
      'demo',
    ));
  const startAt = demoStartAt(opts.now, opts.days).toISOString();
  const base = { seed: opts.seed, startAt, days: opts.days };
  const sources = [
    { name: 'Demo social', config: { ...base, channel: 'social' }, watchId: null },
    { name: 'Demo news and forums', config: { ...base, channel: 'news' }, watchId: null },
    {
      name: 'Telvana My Account app reviews',
      config: { ...base, channel: 'reviews', brand: 'telvana' },
      watchId: telvana.id,
    },
    {
      name: 'Brightwave app reviews',
      config: { ...base, channel: 'reviews', brand: 'brightwave' },
      watchId: brightwave.id,
    },
  ];
  for (const s of sources) {
    await createSource(
      db,
      ws.id,
      { type: 'demo', name: s.name, config: s.config, watchId: s.watchId, intervalSeconds: 300 },
      'demo',
      s.config,
    );
  }
  return { workspaceId: ws.id, brandWatchId: telvana.id, competitorWatchId: brightwave.id, created: true };
}

/** Polls every demo source until it has caught up with now, printing progress. */
export async function backfillDemo(
  deps: PollDeps,
  workspaceId: string,
  out: NodeJS.WritableStream,
): Promise<number> {
  let total = 0;
  for (const source of await listSources(deps.db, workspaceId)) {
    if (source.type !== 'demo') continue;
    const started = Date.now();
    const outcome = await pollSource({ ...deps, maxPages: 10_000 }, source, (p) => {
      if (p.page % 30 === 0) out.write(`  ${source.name}: ${p.page} days, ${p.stats.inserted} mentions\n`);
    });
    total += outcome.stats.inserted;
    out.write(
      `  ${source.name}: ${outcome.ok ? 'done' : `failed [${outcome.error?.code}] ${outcome.error?.message}`}, ${outcome.stats.inserted} new mentions in ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
    );
  }
  return total;
}

const REPLAY_JOB = 'demo-replay';
const HOUR_MS = 3_600_000;

export interface ReplayOutcome {
  hours: number;
  detections: number;
  opened: number;
  resolved: number;
}

/**
 * Turns the demo's history into the alerts a running service would have raised: the hourly detection
 * loop only judges hours as they close, so a backfilled history has none. Every closed hour since the
 * last replay (the first time: since the demo's first bucket) is judged by `replayDetectors` (one read
 * per series, detectors in memory) and recorded hour by hour through the alert lifecycle, resolving
 * alerts that went quiet for `autoResolveMs` as the live loop does. The watermark (the last hour
 * judged) is kept per workspace in `job_leases`, so a restart judges only the hours since.
 */
export async function replayDemoDetections(
  db: Kysely<Database>,
  opts: { workspaceId: string; now: Date; baseUrl: string; reopenWindowMs?: number; autoResolveMs?: number },
): Promise<ReplayOutcome> {
  const to = new Date(Math.floor(opts.now.getTime() / HOUR_MS) * HOUR_MS);
  const mark = await db
    .selectFrom('job_leases')
    .select('lease_expires_at')
    .where('job', '=', REPLAY_JOB)
    .where('slot', '=', opts.workspaceId)
    .executeTakeFirst();
  const first = await db
    .selectFrom('rollups')
    .select((eb) => eb.fn.min('bucket_start').as('first'))
    .where('workspace_id', '=', opts.workspaceId)
    .executeTakeFirst();
  const firstBucket = first?.first ? new Date(first.first) : undefined;
  const from = mark ? new Date(mark.lease_expires_at) : firstBucket;
  const out: ReplayOutcome = { hours: 0, detections: 0, opened: 0, resolved: 0 };
  if (!from || from >= to) return out;
  out.hours = Math.round((to.getTime() - from.getTime()) / HOUR_MS);

  // The first replay starts at the first bucket with data: history before it would be read as weeks
  // of silence, and the first hours of the demo as a spike out of nothing.
  const detections = await replayDetectors(db, {
    workspaceId: opts.workspaceId,
    from,
    to,
    historyDays: mark ? 28 : 0,
  });
  out.detections = detections.length;
  const quietMs = opts.autoResolveMs ?? 24 * HOUR_MS;
  const lifecycle = {
    baseUrl: opts.baseUrl,
    ...(opts.reopenWindowMs !== undefined ? { reopenWindowMs: opts.reopenWindowMs } : {}),
  };
  for (const hour of byClosingHour(detections)) {
    if (hour.closedAt > to) break;
    out.resolved += await resolveQuiet(db, opts.workspaceId, hour.closedAt, quietMs, opts.baseUrl);
    const since = await lastEventId(db);
    const r = await recordDetections(db, hour.detections, { ...lifecycle, now: () => hour.closedAt });
    await backdateEvents(db, opts.workspaceId, since, hour.closedAt);
    out.opened += r.opened + r.reopened;
  }
  out.resolved += await resolveQuiet(db, opts.workspaceId, to, quietMs, opts.baseUrl);

  await db
    .insertInto('job_leases')
    .values({ job: REPLAY_JOB, slot: opts.workspaceId, owner: 'demo', lease_expires_at: to, finished_at: to })
    .onConflict((oc) => oc.columns(['job', 'slot']).doUpdateSet({ lease_expires_at: to, finished_at: to }))
    .execute();
  return out;
}

/**
 * The live loop's auto-resolve, limited to one workspace and dated at `at`: a replay must not touch
 * other workspaces' alerts. Each alert is resolved at the hour its quiet period ran out.
 */
async function resolveQuiet(
  db: Kysely<Database>,
  workspaceId: string,
  at: Date,
  quietMs: number,
  baseUrl: string,
): Promise<number> {
  if (quietMs <= 0) return 0;
  const stale = await db
    .selectFrom('alerts')
    .select(['id', 'last_detected_at'])
    .where('workspace_id', '=', workspaceId)
    .where('state', '<>', 'resolved')
    .where('last_detected_at', '<', new Date(at.getTime() - quietMs))
    .execute();
  for (const a of stale) {
    const due = (a.last_detected_at as Date).getTime() + quietMs;
    const when = new Date(Math.ceil(due / HOUR_MS) * HOUR_MS);
    const since = await lastEventId(db);
    await transitionAlert(db, workspaceId, a.id, 'resolved', 'auto', { baseUrl, now: () => when });
    await backdateEvents(db, workspaceId, since, when);
  }
  return stale.length;
}

async function lastEventId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('alert_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/**
 * Alert events are stamped by the database clock; a replayed hour's events get the hour they would
 * have happened in, so an alert's history reads as the incident unfolded.
 */
async function backdateEvents(db: Kysely<Database>, workspaceId: string, afterId: number, at: Date) {
  await sql`update alert_events set at = ${at.toISOString()}::timestamptz
    where workspace_id = ${workspaceId}::uuid and id > ${afterId}`.execute(db);
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Seed a demo workspace (90 days of a fictional telecom brand with an outage and a backlash) and serve it.',
    )
    .option('--seed <n>', 'generator seed', (v) => Number.parseInt(v, 10), 42)
    .option('--days <n>', 'days of history', (v) => Number.parseInt(v, 10), 90)
    .option('--no-serve', 'seed only, then exit')
    .option('--host <host>', 'interface to listen on (env HOST)')
    .option('--port <port>', 'port to listen on (env PORT)', (v) => Number.parseInt(v, 10))
    .action(async (opts: { seed: number; days: number; serve: boolean; host?: string; port?: number }) => {
      const services = await openServices({ logLevel: process.env.LOG_LEVEL ?? 'warn' });
      const { config, db } = services;
      const out = process.stdout;
      out.write(`trustwatch demo: database ${services.store.location}\n`);
      const seed = await seedDemoWorkspace(db, { seed: opts.seed, days: opts.days, now: new Date() });
      out.write(
        seed.created
          ? 'Seeding the demo workspace (first run only)...\n'
          : 'Catching up the demo workspace...\n',
      );
      const added = await backfillDemo(services.pollDeps, seed.workspaceId, out);
      // The hourly detection loop only judges hours as they close; the history just filled in gets
      // the alerts it would have raised (the outage and the backlash).
      const host = opts.host ?? config.HOST;
      const port = opts.port ?? config.PORT;
      const alerts = alertSettings(config, `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`);
      const started = Date.now();
      const replay = await replayDemoDetections(db, {
        workspaceId: seed.workspaceId,
        now: new Date(),
        baseUrl: alerts.baseUrl,
        reopenWindowMs: alerts.reopenWindowMs,
        autoResolveMs: alerts.autoResolveMs,
      });
      if (replay.hours > 0) {
        out.write(
          `  Detectors over ${replay.hours} hours: ${replay.detections} detections, ${replay.opened} alerts opened, ${replay.resolved} resolved in ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
        );
      }
      out.write(`Demo ready: ${added} new mentions.\n`);

      // Tokens are stored hashed, so each start issues a fresh one and revokes the previous demo token.
      await db
        .updateTable('api_tokens')
        .set({ revoked_at: new Date() })
        .where('workspace_id', '=', seed.workspaceId)
        .where('name', '=', 'demo')
        .where('revoked_at', 'is', null)
        .execute();
      const { token } = await createToken(
        db,
        seed.workspaceId,
        {
          name: 'demo',
          role: 'admin',
          ...(config.TRUSTWATCH_DEMO_TOKEN ? { token: config.TRUSTWATCH_DEMO_TOKEN } : {}),
        },
        'demo',
      );
      if (!opts.serve) {
        out.write(`API token (admin, workspace "demo"): ${token}\n`);
        await services.close();
        return;
      }
      const service = await startNodeService({
        db,
        log: services.log,
        storage: services.store.dialect,
        host,
        port,
        maxBodyBytes: config.TRUSTWATCH_API_MAX_BODY_BYTES,
        scorer: services.pollDeps.scorer,
        scheduler: config.TRUSTWATCH_SCHEDULER
          ? { deps: services.pollDeps, tickMs: config.TRUSTWATCH_SCHEDULER_TICK_MS }
          : undefined,
      });
      const u = (config.TRUSTWATCH_BASE_URL ?? service.url).replace(/\/+$/, '');
      out.write(
        [
          '',
          `trustwatch is running at ${u}`,
          `  Dashboard: ${u}/ (sign in with the API token)`,
          `  API token (admin, workspace "demo"): ${token}`,
          `  Telvana watch id:    ${seed.brandWatchId}`,
          `  Brightwave watch id: ${seed.competitorWatchId}`,
          '',
          'Try:',
          `  curl ${u}/healthz`,
          `  curl -H "Authorization: Bearer ${token}" "${u}/api/v1/trends?watch=${seed.brandWatchId}&bucket=day"`,
          `  curl -H "Authorization: Bearer ${token}" "${u}/api/v1/mentions?watch=${seed.brandWatchId}&sentiment=negative&limit=5"`,
          `  curl -H "Authorization: Bearer ${token}" ${u}/api/v1/sources`,
          '',
          'Press Ctrl+C to stop. Data stays in the database for the next start.',
          '',
        ].join('\n'),
      );
      closeOnSignals(async () => {
        await service.close();
        await services.close();
      }, services.log);
    });
}
