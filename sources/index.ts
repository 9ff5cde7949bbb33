import { TrustwatchError, ValidationError } from '../src/core/errors.ts';
import type { AnySourceAdapter } from '../src/core/source.ts';
import { appstoreSource } from './appstore/adapter.ts';
import { blueskySource } from './bluesky/adapter.ts';
import { demoSource } from './demo/adapter.ts';
import { githubSource } from './github/adapter.ts';
import { googlePlacesSource } from './google-places/adapter.ts';
import { hackernewsSource } from './hackernews/adapter.ts';
import { importSource } from './import/adapter.ts';
import { jsonHttpSource } from './json-http/adapter.ts';
import { mastodonSource } from './mastodon/adapter.ts';
import { redditSource } from './reddit/adapter.ts';
import { rssSource } from './rss/adapter.ts';
import { stackexchangeSource } from './stackexchange/adapter.ts';
import { webhookSource } from './webhook/adapter.ts';

// The adapter contract, re-exported so an adapter imports everything it needs from one place.
export {
  type AnySourceAdapter,
  defineSource,
  type FetchContext,
  type FetchResult,
  type HttpClient,
  type SourceAdapter,
} from '../src/core/source.ts';
export type { SourceItem } from '../src/core/mention.ts';

/**
 * The registry of source adapters. To add a source: create sources/<id>/adapter.ts exporting a
 * `defineSource({...})` descriptor, list it here, and document it in sources/README.md.
 */
export const sourceAdapters: readonly AnySourceAdapter[] = [
  rssSource,
  importSource,
  demoSource,
  hackernewsSource,
  stackexchangeSource,
  redditSource,
  mastodonSource,
  appstoreSource,
  googlePlacesSource,
  blueskySource,
  githubSource,
  webhookSource,
  jsonHttpSource,
];

const byId = new Map(sourceAdapters.map((a) => [a.id, a]));

export function getAdapter(type: string): AnySourceAdapter {
  const adapter = byId.get(type);
  if (!adapter) {
    throw new TrustwatchError(
      'SOURCE_UNKNOWN_TYPE',
      `Unknown source type "${type}" (known: ${[...byId.keys()].join(', ')})`,
      { details: { field: 'type' } },
    );
  }
  return adapter;
}

/** Validates a source config against its adapter's schema; errors name the field (`config.url`). */
export function parseSourceConfig(type: string, config: unknown): Record<string, unknown> {
  const adapter = getAdapter(type);
  const parsed = adapter.configSchema.safeParse(config);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: ['config', ...i.path.map(String)].join('.'),
      message: i.message,
    }));
    throw new ValidationError(
      `Invalid ${type} source config: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return parsed.data as Record<string, unknown>;
}

export const REDACTED = '[redacted]';

/** The config with the adapter's secret fields masked: the only form that reaches logs and API output. */
export function publicConfig(type: string, config: Record<string, unknown>): Record<string, unknown> {
  const secrets = byId.get(type)?.secretFields ?? [];
  const out: Record<string, unknown> = { ...config };
  for (const key of secrets) if (out[key] !== undefined && out[key] !== null) out[key] = REDACTED;
  return out;
}
