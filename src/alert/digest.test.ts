import { describe, expect, it } from 'vitest';
import { latestPeriodEnd } from './digest.ts';
import { renderDigestMessage } from './slack-message.ts';

describe('digest periods', () => {
  it('ends daily periods at 09:00 local time, the previous day before 09:00', () => {
    expect(latestPeriodEnd(new Date('2026-03-04T10:00:00Z'), 'daily', 'UTC').toISOString()).toBe(
      '2026-03-04T09:00:00.000Z',
    );
    expect(latestPeriodEnd(new Date('2026-03-04T08:59:00Z'), 'daily', 'UTC').toISOString()).toBe(
      '2026-03-03T09:00:00.000Z',
    );
    // 09:00 in Paris is 08:00 UTC in winter.
    expect(latestPeriodEnd(new Date('2026-03-04T08:30:00Z'), 'daily', 'Europe/Paris').toISOString()).toBe(
      '2026-03-04T08:00:00.000Z',
    );
  });

  it('ends weekly periods on Mondays', () => {
    // 2026-03-04 is a Wednesday; the Monday before is 2026-03-02.
    expect(latestPeriodEnd(new Date('2026-03-04T10:00:00Z'), 'weekly', 'UTC').toISOString()).toBe(
      '2026-03-02T09:00:00.000Z',
    );
    expect(latestPeriodEnd(new Date('2026-03-02T08:00:00Z'), 'weekly', 'UTC').toISOString()).toBe(
      '2026-02-23T09:00:00.000Z',
    );
  });
});

describe('digest message', () => {
  it('shows mood, volume change, red flags and mentions', () => {
    const msg = renderDigestMessage({
      type: 'digest',
      timestamp: '2026-03-02T09:00:00.000Z',
      data: {
        digest: {
          watchId: 'w',
          watchName: 'Telvana',
          period: 'daily',
          from: '2026-03-01T09:00:00.000Z',
          to: '2026-03-02T09:00:00.000Z',
          url: 'https://tw.example/watches/w',
          mentions: 150,
          previousMentions: 100,
          meanSentiment: -0.31,
          previousMeanSentiment: 0.05,
          negativeShare: 0.4,
          redFlags: [{ kind: 'security_fraud', count: 12 }],
          topMentions: [],
          alertsOpened: 2,
        },
      },
    });
    const text = JSON.stringify(msg);
    expect(msg.text).toContain('Daily digest: Telvana');
    expect(text).toContain('negative (-0.31, was +0.05)');
    expect(text).toContain('150 mentions (+50% vs previous)');
    expect(text).toContain('security fraud: 12');
  });
});
