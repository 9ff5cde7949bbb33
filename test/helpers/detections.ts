import type { Detection } from '../../src/core/detection.ts';

/** A negativity-spike detection as src/detect hands it over; tests override what they vary. */
export function detection(workspaceId: string, watchId: string, over: Partial<Detection> = {}): Detection {
  return {
    kind: 'negativity_spike',
    workspaceId,
    watchId,
    subject: null,
    bucketStart: new Date('2026-03-01T10:00:00Z'),
    bucketSeconds: 3600,
    observed: 0.62,
    expected: 0.18,
    unit: 'share',
    pValue: 0.0004,
    score: 0.97,
    severity: 'warning',
    dedupeKey: `negativity_spike:${watchId}`,
    summary: '62% negative in the hour, 18% expected (p < 0.001)',
    topMentions: [
      {
        id: '1',
        url: 'https://social.example/p/1',
        text: 'Telvana leaked my data and support is silent',
        authorHandle: 'ana',
        sentimentScore: -0.8,
        publishedAt: new Date('2026-03-01T10:05:00Z'),
      },
    ],
    topTerms: ['leak', 'support'],
    ...over,
  };
}
