import { describe, expect, it } from 'vitest';
import { redactDestinationUrl } from './redact.ts';

describe('redactDestinationUrl', () => {
  it('keeps the Slack workspace segment and hides the rest of the path', () => {
    const shown = redactDestinationUrl('https://hooks.slack.com/services/T000/B111/abcdefSECRET');
    expect(shown).toBe('https://hooks.slack.com/services/T000/…[redacted]');
    expect(shown).not.toContain('SECRET');
    expect(shown).not.toContain('B111');
  });

  it('hides short paths, query strings and credentials entirely', () => {
    const shown = redactDestinationUrl('https://user:pw@example.com/hook?token=SECRET');
    expect(shown).toBe('https://example.com/…[redacted]');
    expect(redactDestinationUrl('not a url SECRET')).toBe('[redacted]');
  });
});
