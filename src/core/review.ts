import { ValidationError } from './errors.ts';
import { SIGNAL_KINDS, type SentimentLabel, type SignalKind } from './mention.ts';
import {
  type CompiledQuery,
  type PreparedTarget,
  compileQuery,
  foldHandle,
  prepareTarget,
} from './query/index.ts';

/**
 * The comms review queue, as pure functions: which mentions enter it and why, and what the
 * workspace's rules do to them. The store layer (src/store/repositories/review.ts) calls these inside
 * the ingest transaction; they never touch the database so they can be tested alone.
 */

export const REVIEW_STATES = ['new', 'in_review', 'responded', 'escalated', 'dismissed'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** States that still need someone: the backlog. */
export const OPEN_REVIEW_STATES: readonly ReviewState[] = ['new', 'in_review', 'escalated'];

export const REVIEW_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type ReviewPriority = (typeof REVIEW_PRIORITIES)[number];

/** Every signal kind but praise is a red flag: a post that praises needs no answer from comms. */
export const RED_FLAG_KINDS: readonly SignalKind[] = SIGNAL_KINDS.filter((k) => k !== 'praise');

/** A negative post reaches many people when its author has this many followers... */
export const HIGH_REACH_FOLLOWERS = 10_000;
/** ...or when it already drew this many likes, replies and shares together. */
export const HIGH_REACH_ENGAGEMENT = 500;

/**
 * Which transitions a reviewer may make. Every state can be re-opened to in_review (a dismissal was
 * wrong, a response needs a follow-up); `new` is only ever the state an item enters with.
 */
const TRANSITIONS: Record<ReviewState, readonly ReviewState[]> = {
  new: ['in_review', 'responded', 'escalated', 'dismissed'],
  in_review: ['responded', 'escalated', 'dismissed'],
  escalated: ['in_review', 'responded', 'dismissed'],
  responded: ['in_review', 'escalated'],
  dismissed: ['in_review'],
};

export function canTransition(from: ReviewState, to: ReviewState): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

/** Why an item entered the queue. */
export type ReviewReason =
  | { type: 'signal'; kinds: SignalKind[] }
  | { type: 'negative_high_reach'; followers: number | null; engagement: number }
  | { type: 'rule'; ruleId: string; name: string };

/** What a rule looks at; every condition given must hold (AND). At least one is required. */
export interface ReviewRuleMatch {
  /** Any of these signal kinds. */
  signals?: SignalKind[] | undefined;
  /** Any of these author handles (without @, case-insensitive). */
  authors?: string[] | undefined;
  /** The post is negative and reaches many (see HIGH_REACH_*). */
  negativeHighReach?: boolean | undefined;
  /** A query in the watch query language, against the title and text (`"@telvana_help" OR refund`). */
  query?: string | undefined;
  /** Only mentions of this watch. */
  watchId?: string | undefined;
}

export interface ReviewRuleActions {
  assign?: string | undefined;
  dismiss?: boolean | undefined;
  priority?: ReviewPriority | undefined;
  tags?: string[] | undefined;
}

export interface ReviewRule {
  id: string;
  name: string;
  enabled: boolean;
  match: ReviewRuleMatch;
  actions: ReviewRuleActions;
}

/** One (mention, watch) pair the ingest just stored, as the rules see it. */
export interface ReviewCandidate {
  watchId: string;
  text: string;
  title: string | null;
  authorHandle: string | null;
  authorFollowers: number | null;
  engagement: number;
  sentimentLabel: SentimentLabel;
  signalKinds: readonly string[];
  /** Posted by one of the watch's own handles. */
  owned: boolean;
  /** Repeats a mention already stored. */
  duplicate: boolean;
}

/** What to store for a candidate that enters the queue. */
export interface ReviewDecision {
  reasons: ReviewReason[];
  state: ReviewState;
  assignee: string | null;
  priority: ReviewPriority;
  tags: string[];
  signalKinds: SignalKind[];
  /** Rules that matched, in order, for the item's history. */
  ruleIds: string[];
}

/** A rule compiled once per batch: its query parsed, its handles folded. */
export interface CompiledReviewRule {
  rule: ReviewRule;
  query: CompiledQuery | null;
  authors: Set<string> | null;
}

export function compileReviewRule(rule: ReviewRule): CompiledReviewRule {
  return {
    rule,
    query: rule.match.query ? compileQuery(rule.match.query) : null,
    authors: rule.match.authors?.length
      ? new Set(rule.match.authors.map((a) => foldHandle(a.replace(/^@/, ''))))
      : null,
  };
}

/** Checks a rule definition; throws a ValidationError naming the field (bad query, no condition). */
export function validateReviewRule(match: ReviewRuleMatch, actions: ReviewRuleActions): void {
  const hasCondition =
    (match.signals?.length ?? 0) > 0 ||
    (match.authors?.length ?? 0) > 0 ||
    match.negativeHighReach === true ||
    (match.query !== undefined && match.query.trim() !== '');
  if (!hasCondition) {
    throw new ValidationError(
      'A rule needs at least one condition: signals, authors, negativeHighReach or query',
      [{ path: 'match', message: 'no condition' }],
    );
  }
  const hasAction =
    actions.assign !== undefined ||
    actions.dismiss === true ||
    actions.priority !== undefined ||
    (actions.tags?.length ?? 0) > 0;
  if (!hasAction) {
    throw new ValidationError('A rule needs at least one action: assign, dismiss, priority or tags', [
      { path: 'actions', message: 'no action' },
    ]);
  }
  if (match.query !== undefined && match.query.trim() !== '') {
    try {
      compileQuery(match.query);
    } catch (err) {
      throw new ValidationError(`Invalid rule query: ${err instanceof Error ? err.message : String(err)}`, [
        { path: 'match.query', message: err instanceof Error ? err.message : 'invalid' },
      ]);
    }
  }
}

export function isNegativeHighReach(c: ReviewCandidate): boolean {
  return (
    c.sentimentLabel === 'negative' &&
    ((c.authorFollowers ?? 0) >= HIGH_REACH_FOLLOWERS || c.engagement >= HIGH_REACH_ENGAGEMENT)
  );
}

export function ruleMatches(r: CompiledReviewRule, c: ReviewCandidate, prepared?: PreparedTarget): boolean {
  const m = r.rule.match;
  if (!r.rule.enabled) return false;
  if (m.watchId && m.watchId !== c.watchId) return false;
  if (m.signals?.length && !m.signals.some((k) => c.signalKinds.includes(k))) return false;
  if (r.authors && !(c.authorHandle && r.authors.has(foldHandle(c.authorHandle.replace(/^@/, ''))))) {
    return false;
  }
  if (m.negativeHighReach && !isNegativeHighReach(c)) return false;
  if (r.query) {
    const target = prepared ?? prepareTarget({ text: c.text, title: c.title, authorHandle: c.authorHandle });
    if (!r.query.matches(target)) return false;
  }
  return true;
}

const PRIORITY_RANK: Record<ReviewPriority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/**
 * Decides whether a candidate enters the queue and how. Owned-handle posts (our own voice) and
 * duplicates (the original is already there) never enter. Rules apply in order: the first rule that
 * assigns wins, any rule that dismisses dismisses, the highest priority wins, tags add up.
 * Returns null when the candidate stays out.
 */
export function decideReview(
  c: ReviewCandidate,
  rules: readonly CompiledReviewRule[],
): ReviewDecision | null {
  if (c.owned || c.duplicate) return null;
  const reasons: ReviewReason[] = [];
  const redFlags = RED_FLAG_KINDS.filter((k) => c.signalKinds.includes(k));
  if (redFlags.length) reasons.push({ type: 'signal', kinds: redFlags });
  const highReach = isNegativeHighReach(c);
  if (highReach) {
    reasons.push({ type: 'negative_high_reach', followers: c.authorFollowers, engagement: c.engagement });
  }
  const prepared = rules.some((r) => r.query)
    ? prepareTarget({ text: c.text, title: c.title, authorHandle: c.authorHandle })
    : undefined;
  const matched = rules.filter((r) => ruleMatches(r, c, prepared));
  for (const r of matched) reasons.push({ type: 'rule', ruleId: r.rule.id, name: r.rule.name });
  if (reasons.length === 0) return null;

  // Fraud and data-leak talk and pile-ons spread fastest; so does anything negative with reach.
  let priority: ReviewPriority =
    highReach || redFlags.includes('security_fraud') || redFlags.includes('backlash') ? 'high' : 'normal';
  const rulePriorities = matched.map((r) => r.rule.actions.priority).filter((p) => p !== undefined);
  if (rulePriorities.length) {
    priority = rulePriorities.reduce((a, b) => (PRIORITY_RANK[b] > PRIORITY_RANK[a] ? b : a));
  }
  const assignee = matched.find((r) => r.rule.actions.assign)?.rule.actions.assign ?? null;
  const dismissed = matched.some((r) => r.rule.actions.dismiss);
  const tags = [...new Set(matched.flatMap((r) => r.rule.actions.tags ?? []))].sort();
  return {
    reasons,
    state: dismissed ? 'dismissed' : 'new',
    assignee,
    priority,
    tags,
    signalKinds: SIGNAL_KINDS.filter((k) => c.signalKinds.includes(k)),
    ruleIds: matched.map((r) => r.rule.id),
  };
}
