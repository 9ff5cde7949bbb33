import type { Kysely } from 'kysely';
import type { PreviewMention } from '../../ingest/preview.ts';
import type { Database } from '../schema.ts';

/** Most mentions a watch preview may test: the query runs in the API process, per request. */
export const MAX_PREVIEW_MENTIONS = 2000;

/**
 * The workspace's most recent mentions (newest first, duplicates left out), with what the watch
 * matcher reads: text, title, language, source type and name, author handle. Feeds the watch preview.
 */
export async function readRecentMentions(
  db: Kysely<Database>,
  workspaceId: string,
  limit: number,
): Promise<PreviewMention[]> {
  const n = Math.max(0, Math.min(MAX_PREVIEW_MENTIONS, Math.floor(limit)));
  if (n === 0) return [];
  const rows = await db
    .selectFrom('mentions as m')
    .innerJoin('sources as s', 's.id', 'm.source_id')
    .select([
      'm.id',
      'm.published_at',
      'm.url',
      'm.title',
      'm.text',
      'm.language',
      'm.author_handle',
      'm.author_name',
      's.type as source_type',
      's.name as source_name',
    ])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.duplicate_of', 'is', null)
    .orderBy('m.published_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(n)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    publishedAt: r.published_at,
    url: r.url,
    title: r.title,
    text: r.text,
    language: r.language,
    authorHandle: r.author_handle,
    authorName: r.author_name,
    sourceType: r.source_type,
    sourceName: r.source_name,
  }));
}
