import { describe, expect, it } from 'vitest';
import { slackSignature, verifySlackRequest } from './slack-signature.ts';
import { generateWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from './standard-webhooks.ts';

describe('Slack request signatures (v0)', () => {
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const now = new Date('2026-05-01T12:00:00Z');
  const ts = String(now.getTime() / 1000);
  const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D';

  it('accepts a valid signature', () => {
    const sig = slackSignature(secret, ts, body);
    expect(sig).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(verifySlackRequest(secret, { timestamp: ts, signature: sig }, body, now)).toEqual({ ok: true });
  });

  it('rejects a wrong secret, a tampered body, a replayed old timestamp and missing headers', () => {
    const sig = slackSignature(secret, ts, body);
    expect(verifySlackRequest('other-secret', { timestamp: ts, signature: sig }, body, now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifySlackRequest(secret, { timestamp: ts, signature: sig }, `${body}x`, now).ok).toBe(false);
    const old = String(now.getTime() / 1000 - 301);
    expect(
      verifySlackRequest(secret, { timestamp: old, signature: slackSignature(secret, old, body) }, body, now),
    ).toEqual({ ok: false, reason: 'stale' });
    expect(verifySlackRequest(secret, { timestamp: ts, signature: undefined }, body, now).ok).toBe(false);
    expect(verifySlackRequest(secret, { timestamp: ts, signature: 'v0=abc' }, body, now).ok).toBe(false);
  });
});

describe('Standard Webhooks signatures', () => {
  // The example from the Standard Webhooks specification's reference implementations.
  it('matches the specification test vector', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const sig = signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(sig).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies its own headers and rejects tampering, old timestamps and other secrets', () => {
    const secret = generateWebhookSecret();
    const now = new Date('2026-05-01T12:00:00Z');
    const body = '{"type":"alert.opened"}';
    const h = webhookHeaders(secret, 'msg_1', now, body);
    const headers = {
      id: h['webhook-id'],
      timestamp: h['webhook-timestamp'],
      signature: h['webhook-signature'],
    };
    expect(verifyWebhook(secret, headers, body, now)).toBe(true);
    expect(verifyWebhook(secret, headers, `${body} `, now)).toBe(false);
    expect(verifyWebhook(generateWebhookSecret(), headers, body, now)).toBe(false);
    expect(verifyWebhook(secret, headers, body, new Date(now.getTime() + 600_000))).toBe(false);
    expect(verifyWebhook(secret, { ...headers, id: 'msg_2' }, body, now)).toBe(false);
  });
});
