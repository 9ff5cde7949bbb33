import { Hono } from 'hono';
import { webhookConfigSchema } from '../../../sources/webhook/adapter.ts';
import { parsePushBody } from '../../../sources/webhook/payload.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../../sources/webhook/signature.ts';
import { ValidationError } from '../../core/errors.ts';
import { loadWatchMatcher } from '../../ingest/load-watches.ts';
import { type IngestStats, ingestItems } from '../../ingest/pipeline.ts';
import { type SentimentScorer, lexiconScorer } from '../../score/sentiment.ts';
import { isUuid } from '../../store/ids.ts';
import { type SourceRecord, recordPollSuccess, toSource } from '../../store/repositories/sources.ts';
import type { ApiDeps, AppEnv } from '../context.ts';
import { problem } from '../problem.ts';

/**
 * POST /api/v1/ingest/:sourceId — the webhook source's door. Mounted outside the token middleware:
 * the caller proves itself with the source's HMAC signature instead of an API token, so a sending
 * system only ever holds the one secret that lets it add mentions to one source.
 */

export interface IngestRouteOptions {
  /** Defaults to the scorer the pollers use (src/cli/services.ts), so pushed and polled mentions score alike. */
  scorer?: SentimentScorer;
  batchSize?: number;
}

/** A pushed source is never polled: its next poll is pushed this far out after every push. */
const NEVER_MS = 365 * 86_400_000;

async function findWebhookSource(deps: ApiDeps, id: string): Promise<SourceRecord | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await deps.db
    .selectFrom('sources')
    .selectAll()
    .where('id', '=', id)
    .where('type', '=', 'webhook')
    .executeTakeFirst();
  return row ? toSource(row) : undefined;
}

export function ingestRoutes(deps: ApiDeps, opts: IngestRouteOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const now = deps.now ?? (() => new Date());

  app.post('/:sourceId', async (c) => {
    const declared = Number(c.req.header('content-length'));
    if (Number.isFinite(declared) && declared > deps.maxBodyBytes) {
      return problem(c, 413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${deps.maxBodyBytes} bytes`);
    }
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (body.byteLength > deps.maxBodyBytes) {
      return problem(c, 413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${deps.maxBodyBytes} bytes`);
    }

    const sourceId = c.req.param('sourceId');
    const source = await findWebhookSource(deps, sourceId);
    if (!source) return problem(c, 404, 'NOT_FOUND', `No webhook source with id ${sourceId}`);
    const config = webhookConfigSchema.safeParse(source.config);
    if (!config.success) {
      return problem(
        c,
        409,
        'SOURCE_CONFIG_INVALID',
        `Webhook source ${sourceId} has no valid secret configured`,
      );
    }

    const verdict = verifySignature({
      secret: config.data.secret,
      body,
      signature: c.req.header(SIGNATURE_HEADER),
      timestamp: c.req.header(TIMESTAMP_HEADER),
      nowMs: now().getTime(),
      toleranceSeconds: config.data.toleranceSeconds,
    });
    if (!verdict.ok) {
      deps.log.warn({ sourceId, reason: verdict.reason }, 'webhook push refused');
      return problem(c, 401, 'UNAUTHORIZED', `Push to source ${sourceId} refused: ${verdict.reason}`);
    }
    if (!source.enabled) {
      return problem(c, 403, 'FORBIDDEN', `Source ${sourceId} ("${source.name}") is disabled`);
    }

    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body).toString('utf8'));
    } catch (err) {
      throw new ValidationError(
        `Request body is not valid JSON (${err instanceof Error ? err.message : err})`,
        [{ path: 'body', message: 'invalid JSON' }],
      );
    }
    const items = parsePushBody(json);

    const matcher = await loadWatchMatcher(deps.db, source.workspaceId, deps.log);
    const stats: IngestStats = await ingestItems(
      {
        db: deps.db,
        matcher,
        scorer: opts.scorer ?? lexiconScorer,
        batchSize: opts.batchSize ?? 500,
        now,
        log: deps.log,
      },
      source,
      items,
    );
    const at = now();
    const { scoringMs: _scoring, ...counts } = stats;
    await recordPollSuccess(deps.db, source.id, at, new Date(at.getTime() + NEVER_MS), {
      ...counts,
      pushed: true,
    });
    deps.log.info({ sourceId, source: source.name, ...counts }, 'webhook push ingested');
    return c.json({ sourceId: source.id, ...counts });
  });

  return app;
}
