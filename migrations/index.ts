import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.ts';
import * as m0002 from './0002_watch_lexicon.ts';
import * as m0003 from './0003_trends.ts';
import * as m0004 from './0004_alerts.ts';
import * as m0005 from './0005_review_queue.ts';
import * as m0006 from './0006_source_leases.ts';
import * as m0007 from './0007_partitioned_mentions.ts';
import * as m0008 from './0008_dashboard_sessions.ts';

/**
 * Every migration, in order. Listed statically (not read from disk) so that the same set runs from
 * the CLI, in tests and in a bundled Cloudflare Worker. Add new files as `NNNN_name.ts` and list them here.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_watch_lexicon': m0002,
  '0003_trends': m0003,
  '0004_alerts': m0004,
  '0005_review_queue': m0005,
  '0006_source_leases': m0006,
  '0007_partitioned_mentions': m0007,
  '0008_dashboard_sessions': m0008,
};
