import type { Kysely } from 'kysely';
import { silentLogger } from '../../src/core/logger.ts';
import type { SourceItem } from '../../src/core/mention.ts';
import { loadWatchMatcher } from '../../src/ingest/load-watches.ts';
import { type IngestSource, type IngestStats, ingestItems } from '../../src/ingest/pipeline.ts';
import { type SentimentScorer, lexiconScorer } from '../../src/score/sentiment.ts';
import { type SourceRecord, createSource } from '../../src/store/repositories/sources.ts';
import type { Database } from '../../src/store/schema.ts';

/** Ingests items for a source the way a poll does, with the workspace's current watches and the default scorer. */
export async function ingest(
  db: Kysely<Database>,
  source: IngestSource,
  items: SourceItem[],
  opts: { batchSize?: number; now?: Date; scorer?: SentimentScorer } = {},
): Promise<IngestStats> {
  const log = silentLogger();
  const matcher = await loadWatchMatcher(db, source.workspaceId, log);
  return ingestItems(
    {
      db,
      matcher,
      scorer: opts.scorer ?? lexiconScorer,
      batchSize: opts.batchSize ?? 500,
      now: () => opts.now ?? new Date(),
      log,
    },
    source,
    items,
  );
}

export async function makeSource(
  db: Kysely<Database>,
  workspaceId: string,
  name: string,
  extra: {
    type?: string;
    config?: Record<string, unknown>;
    watchId?: string | null;
    intervalSeconds?: number;
  } = {},
): Promise<SourceRecord> {
  const type = extra.type ?? 'rss';
  const config = extra.config ?? { url: `http://127.0.0.1/${encodeURIComponent(name)}.xml` };
  return createSource(
    db,
    workspaceId,
    { type, name, config, watchId: extra.watchId ?? null, intervalSeconds: extra.intervalSeconds ?? 900 },
    'test',
    config,
  );
}

export function post(id: string, text: string, at: string, extra: Partial<SourceItem> = {}): SourceItem {
  return { externalId: id, content: text, contentType: 'text', publishedAt: at, ...extra };
}
