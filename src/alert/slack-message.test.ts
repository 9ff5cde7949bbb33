import { describe, expect, it } from 'vitest';
import type { AlertPayload } from './payload.ts';
import { SLACK_LIMITS, escapeMrkdwn, renderAlertMessage, truncate } from './slack-message.ts';

function payload(
  over: Partial<AlertPayload['data']['alert']> = {},
  type: AlertPayload['type'] = 'alert.opened',
): AlertPayload {
  return {
    type,
    timestamp: '2026-03-01T11:00:00.000Z',
    data: {
      alert: {
        id: 'a1',
        url: 'https://tw.example/alerts/a1',
        workspaceId: 'w',
        watchId: 'x',
        watchName: 'Telvana',
        kind: 'volume_spike',
        subject: null,
        severity: 'critical',
        state: 'open',
        title: 'Telvana: Volume spike',
        summary: '312 mentions in the hour, 40 expected (7.8x, p < 0.001)',
        observed: 312,
        expected: 40,
        unit: 'count',
        pValue: 0.0001,
        score: 0.99,
        bucketStart: '2026-03-01T10:00:00.000Z',
        bucketSeconds: 3600,
        trend: '▁▁▂▁▃▇',
        detectionCount: 1,
        openedAt: '2026-03-01T11:00:00.000Z',
        updatedAt: '2026-03-01T11:00:00.000Z',
        acknowledgedAt: null,
        acknowledgedBy: null,
        resolvedAt: null,
        topMentions: [],
        topTerms: [],
        ...over,
      },
    },
  };
}

describe('Slack alert message', () => {
  it('has a headline, severity, observed vs expected, trend and both buttons', () => {
    const msg = renderAlertMessage(payload());
    const text = JSON.stringify(msg);
    expect(msg.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Telvana: Volume spike', emoji: true },
    });
    expect(text).toContain('*CRITICAL*');
    expect(text).toContain('*Observed*\\n312');
    expect(text).toContain('*Expected*\\n40');
    expect(text).toContain('▁▁▂▁▃▇');
    const actions = msg.blocks.at(-1) as { elements: { text: { text: string } }[] };
    expect(actions.elements.map((e) => e.text.text)).toEqual(['Acknowledge', 'Open in trustwatch']);
  });

  it('drops the Acknowledge button once acknowledged or resolved, and names who acknowledged', () => {
    const msg = renderAlertMessage(
      payload({ state: 'acknowledged', acknowledgedBy: 'slack:maria' }, 'alert.acknowledged'),
    );
    const actions = msg.blocks.at(-1) as { elements: { text: { text: string } }[] };
    expect(actions.elements.map((e) => e.text.text)).toEqual(['Open in trustwatch']);
    expect(msg.text.startsWith('Acknowledged: ')).toBe(true);
    expect(JSON.stringify(msg)).toContain('acknowledged by slack:maria');
  });

  it('stays within Slack limits whatever the input size, cutting at words', () => {
    const long = 'terrible service '.repeat(2000);
    const msg = renderAlertMessage(
      payload({
        title: `Telvana ${'x'.repeat(400)}`,
        summary: long,
        topMentions: Array.from({ length: 3 }, (_, i) => ({
          id: String(i),
          url: `https://s.example/${i}`,
          text: long,
          authorHandle: 'ana',
          sentimentScore: -0.9,
          publishedAt: '2026-03-01T10:00:00.000Z',
        })),
        topTerms: Array.from({ length: 500 }, (_, i) => `term${i}`),
      }),
    );
    expect(msg.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(msg.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    for (const b of msg.blocks as { type: string; text?: { text: string } }[]) {
      const t = b.text?.text ?? '';
      if (b.type === 'header') expect(Array.from(t).length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
      if (b.type === 'section') expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      if (b.type === 'section') expect(t.endsWith('…') || t.length < 3000).toBe(true);
    }
    expect(JSON.stringify(msg)).toContain('<https://s.example/0|@ana: terrible service');
  });

  it('escapes Slack control characters and refuses link-breaking URLs', () => {
    expect(escapeMrkdwn('a <b> & c')).toBe('a &lt;b&gt; &amp; c');
    const msg = renderAlertMessage(
      payload({
        topMentions: [
          {
            id: '1',
            url: 'https://evil.example/x|<!channel>',
            text: '<!channel> hi',
            authorHandle: null,
            sentimentScore: 0,
            publishedAt: '2026-03-01T10:00:00.000Z',
          },
        ],
      }),
    );
    const text = JSON.stringify(msg);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('evil.example');
  });

  it('truncates at a word boundary with an ellipsis', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('the quick brown fox jumps', 12)).toBe('the quick…');
    expect(truncate('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
