import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The database schema as Kysely sees it. Kept in one place and matched by migrations/.
 * Timestamps are timestamptz (Date in and out); JSON columns are jsonb.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

export interface WorkspacesTable {
  id: Generated<string>;
  slug: string;
  name: string;
  created_at: CreatedAt;
}

export interface WatchesTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  kind: 'brand' | 'competitor';
  query: string;
  exclusions: Json<string[]>;
  owned_handles: Json<string[]>;
  competitor_of: string | null;
  /** The watch's own sentiment words, word or phrase -> weight in [-5, 5] (migration 0002). */
  lexicon: ColumnType<Record<string, number>, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SourcesTable {
  id: Generated<string>;
  workspace_id: string;
  /** Adapter id (`rss`, `import`, `demo`, ...). */
  type: string;
  name: string;
  config: Json<Record<string, unknown>>;
  /** When set, every item of this source belongs to this watch (no query needed, exclusions apply). */
  watch_id: string | null;
  enabled: Generated<boolean>;
  interval_seconds: number;
  cursor: Json<unknown> | null;
  next_poll_at: Timestamp;
  last_polled_at: Timestamp | null;
  last_success_at: Timestamp | null;
  last_error: string | null;
  last_error_code: string | null;
  last_error_at: Timestamp | null;
  consecutive_failures: Generated<number>;
  last_stats: Json<Record<string, unknown>> | null;
  /** Worker polling this source now (src/store/repositories/source-leases.ts); null when free. */
  lease_owner: string | null;
  /** The lease is the owner's until then (heartbeats extend it); an expired lease is taken over. */
  lease_expires_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Once-per-slot jobs (the hourly detection run) claimed by one process of many. */
export interface JobLeasesTable {
  job: string;
  slot: string;
  owner: string;
  lease_expires_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface MentionsTable {
  id: Generated<number>;
  workspace_id: string;
  source_id: string;
  external_id: string;
  url: string | null;
  canonical_url: string | null;
  author_name: string | null;
  author_handle: string | null;
  author_followers: number | null;
  title: string | null;
  text: string;
  /** sha256 of the normalized text, for near-duplicate detection within a watch. */
  text_hash: string;
  language: string | null;
  published_at: Timestamp;
  fetched_at: Timestamp;
  engagement: Json<Record<string, number>>;
  rating: number | null;
  rating_scale: number | null;
  parent_id: string | null;
  thread_id: string | null;
  sentiment_score: number;
  sentiment_label: 'positive' | 'neutral' | 'negative';
  signals: Json<unknown[]>;
  /** Bounded term list ("word", "#hashtag") extracted at ingest; null if stored before it existed. */
  terms: ColumnType<string[] | null, string | null | undefined, string | null>;
  duplicate_of: number | null;
  raw: Json<unknown> | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Which watches a mention matched. Denormalizes time and sentiment so rollups never touch mentions. */
export interface MentionWatchesTable {
  mention_id: number;
  watch_id: string;
  workspace_id: string;
  published_at: Timestamp;
  sentiment_score: number;
  sentiment_label: 'positive' | 'neutral' | 'negative';
  /** Posted by one of the watch's owned handles: stored, shown, not counted as customer voice. */
  owned: boolean;
  /** A repeat of another mention of this watch (same URL, or same text within 24 h): not counted. */
  duplicate: boolean;
  matched_terms: Json<string[]>;
}

export interface RollupsTable {
  watch_id: string;
  workspace_id: string;
  bucket_start: Timestamp;
  mentions: number;
  positive: number;
  negative: number;
  neutral: number;
  sentiment_sum: number;
  /** Mentions per signal kind (`{"churn_intent": 2}`); kinds with zero are absent. */
  signals: ColumnType<Record<string, number>, string | undefined, string>;
  /** Sum and count of ratings, each normalized to a 5-point scale (rating x 5 / rating_scale). */
  rating_sum: Generated<number>;
  rating_count: Generated<number>;
  /** Sum of author followers over the mentions whose followers are known, and how many those are. */
  followers_sum: Generated<number>;
  followers_count: Generated<number>;
  /** Sum of likes + replies + shares. */
  engagement_sum: Generated<number>;
  /** Mentions per source type (`{"rss": 4, "reviews": 1}`). */
  sources: ColumnType<Record<string, number>, string | undefined, string>;
  updated_at: Timestamp;
}

/** Term, hashtag and author counts per watch and hour (counted mentions only, like `rollups`). */
export interface TermRollupsTable {
  watch_id: string;
  workspace_id: string;
  kind: 'term' | 'hashtag' | 'author';
  bucket_start: Timestamp;
  term: string;
  mentions: number;
}

/** Custom metric series of a workspace (orders per day, tickets, NPS): one value per name and time. */
export interface MetricPointsTable {
  workspace_id: string;
  name: string;
  at: Timestamp;
  value: number;
  updated_at: Generated<Date>;
}

export interface AlertsTable {
  id: Generated<string>;
  workspace_id: string;
  watch_id: string | null;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  state: Generated<'open' | 'acknowledged' | 'resolved'>;
  dedupe_key: string;
  title: string;
  details: Json<Record<string, unknown>>;
  opened_at: Timestamp;
  updated_at: Timestamp;
  acknowledged_at: Timestamp | null;
  resolved_at: Timestamp | null;
  detection_count: Generated<number>;
  last_detected_at: Timestamp | null;
  last_bucket_start: Timestamp | null;
  acknowledged_by: string | null;
  resolved_by: string | null;
}

export interface DeliveriesTable {
  id: Generated<string>;
  workspace_id: string;
  alert_id: string | null;
  destination: string;
  payload: Json<Record<string, unknown>>;
  idempotency_key: string;
  state: Generated<'pending' | 'sending' | 'delivered' | 'dead'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: CreatedAt;
  delivered_at: Timestamp | null;
  /** The route it goes to; its URL and secret are read at send time (rotation applies to the backlog). */
  route_id: string | null;
  /** `alert.opened`, `alert.updated`, ..., `test`, `digest`. */
  event: string | null;
  /** The worker holding it while sending; an expired lease makes it claimable again (crash recovery). */
  lease_owner: string | null;
  lease_until: Timestamp | null;
  /** When it first became due (reset by a manual retry); the give-up deadline counts from here. */
  due_at: Timestamp | null;
  last_attempt_at: Timestamp | null;
  /** HTTP status of the last attempt (null: no response, e.g. a timeout). */
  last_status: number | null;
  dead_at: Timestamp | null;
  seq: Generated<number>;
}

/** Where alerts go: a Slack incoming webhook or a signed generic webhook. */
export interface AlertRoutesTable {
  id: Generated<string>;
  workspace_id: string;
  watch_id: string | null;
  name: string;
  type: 'slack' | 'webhook';
  /** `{ url, secret? }`: secrets, never shown. */
  config: Json<{ url: string; secret?: string }>;
  kinds: Json<string[]>;
  min_severity: 'info' | 'warning' | 'critical';
  cooldown_seconds: number;
  quiet_hours: Json<{ start: string; end: string }> | null;
  time_zone: string;
  digest: 'off' | 'daily' | 'weekly';
  enabled: boolean;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface AlertEventsTable {
  id: Generated<number>;
  alert_id: string;
  workspace_id: string;
  action: string;
  actor: string;
  details: Json<Record<string, unknown>>;
  at: CreatedAt;
}

export interface ApiTokensTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  role: 'viewer' | 'reviewer' | 'admin';
  /** sha256 of the token; the token itself is shown once and never stored. */
  token_hash: string;
  /** First characters of the token, to recognise it in lists. */
  prefix: string;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  workspace_id: string | null;
  actor: string;
  action: string;
  target_type: string;
  target_id: string | null;
  details: Json<Record<string, unknown>>;
  at: CreatedAt;
}

/** The comms review queue (migration 0005): one item per (mention, watch) that needs a human. */
export interface ReviewItemsTable {
  id: Generated<string>;
  workspace_id: string;
  mention_id: number;
  watch_id: string;
  state: 'new' | 'in_review' | 'responded' | 'escalated' | 'dismissed';
  assignee: string | null;
  tags: Json<string[]>;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  /** Why it entered: red-flag signals, negative high reach, matched rules. */
  reasons: Json<unknown[]>;
  signal_kinds: Json<string[]>;
  /** The post's publication time; first-response time counts from here. */
  published_at: Timestamp;
  created_at: CreatedAt;
  updated_at: Timestamp;
  responded_at: Timestamp | null;
  response_url: string | null;
  first_response_seconds: number | null;
}

export interface ReviewNotesTable {
  id: Generated<number>;
  item_id: string;
  workspace_id: string;
  author: string;
  body: string;
  created_at: CreatedAt;
}

export interface ReviewHistoryTable {
  id: Generated<number>;
  item_id: string;
  workspace_id: string;
  action: string;
  actor: string;
  details: Json<Record<string, unknown>>;
  at: CreatedAt;
}

export interface ReviewRulesTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  enabled: boolean;
  position: number;
  match: Json<Record<string, unknown>>;
  actions: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Dashboard sign-in sessions (migration 0008): the sha256 of the cookie's session id, never the id. */
export interface DashboardSessionsTable {
  id_hash: string;
  token_id: string;
  workspace_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface Database {
  workspaces: WorkspacesTable;
  watches: WatchesTable;
  sources: SourcesTable;
  mentions: MentionsTable;
  mention_watches: MentionWatchesTable;
  rollups: RollupsTable;
  term_rollups: TermRollupsTable;
  metric_points: MetricPointsTable;
  alerts: AlertsTable;
  deliveries: DeliveriesTable;
  alert_routes: AlertRoutesTable;
  alert_events: AlertEventsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  job_leases: JobLeasesTable;
  review_items: ReviewItemsTable;
  review_notes: ReviewNotesTable;
  review_history: ReviewHistoryTable;
  review_rules: ReviewRulesTable;
  dashboard_sessions: DashboardSessionsTable;
}

export type WatchRow = Selectable<WatchesTable>;
export type SourceRow = Selectable<SourcesTable>;
export type MentionRow = Selectable<MentionsTable>;
export type NewMention = Insertable<MentionsTable>;
export type SourceUpdate = Updateable<SourcesTable>;
export type RollupRow = Selectable<RollupsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type AlertRow = Selectable<AlertsTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type AlertRouteRow = Selectable<AlertRoutesTable>;
