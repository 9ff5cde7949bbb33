import { describe, expect, it } from 'vitest';
import {
  HIGH_REACH_ENGAGEMENT,
  HIGH_REACH_FOLLOWERS,
  type ReviewCandidate,
  type ReviewRule,
  canTransition,
  compileReviewRule,
  decideReview,
  validateReviewRule,
} from './review.ts';

const base: ReviewCandidate = {
  watchId: 'w1',
  text: 'Telvana support has been useless',
  title: null,
  authorHandle: 'jane',
  authorFollowers: 120,
  engagement: 3,
  sentimentLabel: 'negative',
  signalKinds: [],
  owned: false,
  duplicate: false,
};
const cand = (extra: Partial<ReviewCandidate>): ReviewCandidate => ({ ...base, ...extra });
const rule = (r: Partial<ReviewRule> & Pick<ReviewRule, 'match' | 'actions'>): ReviewRule => ({
  id: r.id ?? `r-${Math.random()}`,
  name: r.name ?? 'rule',
  enabled: r.enabled ?? true,
  match: r.match,
  actions: r.actions,
});
const compiled = (...rules: ReviewRule[]) => rules.map(compileReviewRule);

describe('decideReview', () => {
  it('queues red flags with their kinds, never praise alone', () => {
    const d = decideReview(cand({ signalKinds: ['complaint', 'praise'] }), []);
    expect(d?.reasons).toEqual([{ type: 'signal', kinds: ['complaint'] }]);
    expect(d?.state).toBe('new');
    expect(d?.priority).toBe('normal');
    expect(decideReview(cand({ signalKinds: ['praise'], sentimentLabel: 'positive' }), [])).toBeNull();
    expect(decideReview(cand({ signalKinds: [] }), [])).toBeNull();
  });

  it('queues negative posts with reach by followers or engagement, at high priority', () => {
    const byFollowers = decideReview(cand({ authorFollowers: HIGH_REACH_FOLLOWERS }), []);
    expect(byFollowers?.reasons[0]?.type).toBe('negative_high_reach');
    expect(byFollowers?.priority).toBe('high');
    expect(decideReview(cand({ engagement: HIGH_REACH_ENGAGEMENT }), [])?.priority).toBe('high');
    expect(decideReview(cand({ authorFollowers: HIGH_REACH_FOLLOWERS - 1 }), [])).toBeNull();
    expect(
      decideReview(cand({ authorFollowers: HIGH_REACH_FOLLOWERS * 10, sentimentLabel: 'neutral' }), []),
    ).toBeNull();
  });

  it('keeps owned-handle posts and duplicates out, whatever they say', () => {
    const rules = compiled(rule({ match: { query: 'useless' }, actions: { tags: ['x'] } }));
    expect(decideReview(cand({ signalKinds: ['complaint'], owned: true }), rules)).toBeNull();
    expect(decideReview(cand({ signalKinds: ['complaint'], duplicate: true }), rules)).toBeNull();
  });

  it('auto-dismisses known spam authors (case and @ ignored) and records the rule', () => {
    const spam = rule({
      id: 'spam',
      name: 'spam',
      match: { authors: ['@SpamBot'] },
      actions: { dismiss: true },
    });
    const d = decideReview(cand({ authorHandle: 'spambot', signalKinds: ['complaint'] }), compiled(spam));
    expect(d?.state).toBe('dismissed');
    expect(d?.ruleIds).toEqual(['spam']);
    expect(d?.reasons).toContainEqual({ type: 'rule', ruleId: 'spam', name: 'spam' });
    expect(
      decideReview(cand({ authorHandle: 'jane', signalKinds: ['complaint'] }), compiled(spam))?.state,
    ).toBe('new');
  });

  it('a rule alone makes a mention enter (a post addressed to our handle), first assignee wins', () => {
    const rules = compiled(
      rule({ id: 'a', match: { query: '"@telvana_help"' }, actions: { assign: 'maria' } }),
      rule({ id: 'b', match: { query: 'telvana' }, actions: { assign: 'li', tags: ['b', 'a'] } }),
    );
    const d = decideReview(
      cand({ text: 'hey @telvana_help my order?', sentimentLabel: 'neutral', signalKinds: [] }),
      rules,
    );
    expect(d?.assignee).toBe('maria');
    expect(d?.tags).toEqual(['a', 'b']);
    expect(d?.ruleIds).toEqual(['a', 'b']);
    expect(decideReview(cand({ text: 'nothing here', sentimentLabel: 'neutral' }), rules)).toBeNull();
  });

  it('all conditions of a rule must hold; disabled rules and other watches do not match', () => {
    const both = rule({
      id: 'both',
      match: { signals: ['security_fraud'], negativeHighReach: true },
      actions: { priority: 'urgent' },
    });
    const rules = compiled(both);
    expect(decideReview(cand({ signalKinds: ['security_fraud'] }), rules)?.priority).toBe('high');
    expect(
      decideReview(cand({ signalKinds: ['security_fraud'], authorFollowers: 50_000 }), rules)?.priority,
    ).toBe('urgent');
    const off = compiled({ ...both, enabled: false });
    expect(
      decideReview(cand({ signalKinds: ['security_fraud'], authorFollowers: 50_000 }), off)?.priority,
    ).toBe('high');
    const otherWatch = compiled(
      rule({ match: { watchId: 'w2', authors: ['jane'] }, actions: { dismiss: true } }),
    );
    expect(decideReview(cand({ signalKinds: ['complaint'] }), otherWatch)?.state).toBe('new');
  });
});

describe('validateReviewRule', () => {
  it('needs a condition and an action, and a query that parses', () => {
    expect(() => validateReviewRule({}, { dismiss: true })).toThrow(/at least one condition/);
    expect(() => validateReviewRule({ authors: ['x'] }, {})).toThrow(/at least one action/);
    expect(() => validateReviewRule({ query: '(telvana' }, { dismiss: true })).toThrow(/Invalid rule query/);
    expect(() => validateReviewRule({ query: 'telvana' }, { tags: ['t'] })).not.toThrow();
  });
});

describe('canTransition', () => {
  it('allows the review flow and re-opening, never back to new', () => {
    expect(canTransition('new', 'in_review')).toBe(true);
    expect(canTransition('in_review', 'responded')).toBe(true);
    expect(canTransition('dismissed', 'in_review')).toBe(true);
    expect(canTransition('dismissed', 'responded')).toBe(false);
    expect(canTransition('responded', 'dismissed')).toBe(false);
    expect(canTransition('in_review', 'new')).toBe(false);
  });
});
