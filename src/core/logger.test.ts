import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  it('writes JSON lines and redacts tokens, authorization headers and secret config fields', () => {
    const { lines, stream } = capture();
    const log = createLogger('info', stream);
    log.info(
      {
        token: 'tw_supersecret',
        req: { headers: { authorization: 'Bearer tw_supersecret', cookie: 'sid=abc' } },
        source: { config: { token: 'ghp_secret', url: 'https://example.com/feed' } },
        config: { webhookUrl: 'https://hooks.slack.com/services/T/B/secret' },
      },
      'hello',
    );
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '{}');
    expect(entry.msg).toBe('hello');
    expect(lines[0]).not.toContain('supersecret');
    expect(lines[0]).not.toContain('ghp_secret');
    expect(lines[0]).not.toContain('hooks.slack.com');
    expect(lines[0]).not.toContain('sid=abc');
    expect(entry.source.config.url).toBe('https://example.com/feed');
  });

  it('drops entries below the level', () => {
    const { lines, stream } = capture();
    const log = createLogger('warn', stream);
    log.info('quiet');
    log.warn('loud');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['loud']);
  });
});
