import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeSignature, signatureHeader, verifySignature } from './signature.ts';

const secret = 'a-secret-that-is-long-enough-123';
const body = new TextEncoder().encode('{"externalId":"1","text":"hi"}');
const nowMs = 1_767_225_600_000;
const ts = String(nowMs / 1000);

describe('webhook signatures', () => {
  it('is HMAC-SHA256 over "<timestamp>.<raw body>", as documented for senders', () => {
    const expected = createHmac('sha256', secret)
      .update(`${ts}.{"externalId":"1","text":"hi"}`)
      .digest('hex');
    expect(computeSignature(secret, ts, body)).toBe(expected);
    expect(signatureHeader(secret, ts, '{"externalId":"1","text":"hi"}')).toBe(`sha256=${expected}`);
  });

  it('accepts a correct signature, and any one of several (secret rotation)', () => {
    const good = signatureHeader(secret, ts, body);
    const other = signatureHeader('the-previous-secret-0000000000', ts, body);
    expect(verifySignature({ secret, body, signature: good, timestamp: ts, nowMs })).toEqual({ ok: true });
    expect(verifySignature({ secret, body, signature: `${other}, ${good}`, timestamp: ts, nowMs }).ok).toBe(
      true,
    );
    expect(
      verifySignature({
        secret,
        body,
        signature: good.toUpperCase().replace('SHA256', 'sha256'),
        timestamp: ts,
        nowMs,
      }).ok,
    ).toBe(true);
  });

  it('refuses a signature made for another timestamp, body or secret', () => {
    const otherTs = String(Number(ts) - 1);
    const cases = [
      signatureHeader(secret, otherTs, body),
      signatureHeader(secret, ts, `${new TextDecoder().decode(body)} `),
      signatureHeader(`${secret}x`, ts, body),
    ];
    for (const signature of cases) {
      const out = verifySignature({ secret, body, signature, timestamp: ts, nowMs });
      expect(out).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match/) });
    }
  });

  it('refuses timestamps outside the tolerance window, both ways', () => {
    const sign = (t: number) => signatureHeader(secret, t, body);
    const at = (offset: number, tolerance?: number) =>
      verifySignature({
        secret,
        body,
        signature: sign(Number(ts) + offset),
        timestamp: String(Number(ts) + offset),
        nowMs,
        ...(tolerance ? { toleranceSeconds: tolerance } : {}),
      }).ok;
    expect(at(-300)).toBe(true);
    expect(at(300)).toBe(true);
    expect(at(-301)).toBe(false);
    expect(at(301)).toBe(false);
    expect(at(-900, 1000)).toBe(true);
  });

  it('explains missing and malformed headers', () => {
    const sig = signatureHeader(secret, ts, body);
    expect(verifySignature({ secret, body, signature: sig, timestamp: undefined, nowMs })).toMatchObject({
      reason: expect.stringMatching(/missing X-Trustwatch-Timestamp/),
    });
    expect(verifySignature({ secret, body, signature: sig, timestamp: '2026-01-01', nowMs })).toMatchObject({
      reason: expect.stringMatching(/Unix seconds/),
    });
    expect(verifySignature({ secret, body, signature: undefined, timestamp: ts, nowMs })).toMatchObject({
      reason: expect.stringMatching(/missing X-Trustwatch-Signature/),
    });
    expect(verifySignature({ secret, body, signature: 'sha1=abc', timestamp: ts, nowMs })).toMatchObject({
      reason: expect.stringMatching(/sha256=<64 hex/),
    });
  });
});
