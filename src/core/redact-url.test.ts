import { describe, expect, it } from 'vitest';
import { isSecretParamName, redactUrl, scrubUrl } from './redact-url.ts';

describe('redactUrl', () => {
  it('redacts credential-like query values and keeps the rest byte for byte', () => {
    expect(
      redactUrl('https://api.example.com/search?q=a%20b&access_token=abc&api_key=k&sig=s&page=2#frag'),
    ).toBe(
      'https://api.example.com/search?q=a%20b&access_token=[redacted]&api_key=[redacted]&sig=[redacted]&page=2',
    );
  });

  it('redacts the password of userinfo', () => {
    expect(redactUrl('https://bob:hunter2@example.com/feed')).toBe('https://bob:[redacted]@example.com/feed');
  });

  it('leaves URLs without secrets alone', () => {
    const url = 'https://example.com/feed.xml?category=news&keyword=acme';
    expect(redactUrl(url)).toBe(url);
  });

  it('drops the query of something that is not a URL', () => {
    expect(redactUrl('not a url?token=x')).toBe('not a url');
  });
});

describe('isSecretParamName', () => {
  it.each([
    'token',
    'access_token',
    'api_key',
    'apiKey',
    'APIKEY',
    'client_secret',
    'password',
    'X-Amz-Signature',
    'sig',
    'key',
  ])('%s is secret', (name) => {
    expect(isSecretParamName(name)).toBe(true);
  });

  it.each(['q', 'keyword', 'monkey', 'page', 'signal', 'tokenizer'])('%s is not', (name) => {
    expect(isSecretParamName(name)).toBe(false);
  });
});

describe('scrubUrl', () => {
  it('replaces the raw url inside a message', () => {
    expect(scrubUrl('failed to GET https://x.test/?token=t1 (boom)', 'https://x.test/?token=t1')).toBe(
      'failed to GET https://x.test/?token=[redacted] (boom)',
    );
  });
});
