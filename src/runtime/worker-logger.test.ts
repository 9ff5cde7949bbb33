import { describe, expect, it } from 'vitest';
import { createConsoleLogger } from './worker-logger.ts';

function capture(level: Parameters<typeof createConsoleLogger>[0]) {
  const lines: { level: string; line: string }[] = [];
  const log = createConsoleLogger(level, (lvl, line) => lines.push({ level: lvl, line }));
  return { log, lines };
}

describe('worker console logger', () => {
  it('writes one JSON line per entry and redacts secret keys at any depth', () => {
    const { log, lines } = capture('info');
    log.info(
      {
        token: 'tw_supersecret',
        req: { headers: { Authorization: 'Bearer tw_supersecret', cookie: 'sid=abc' } },
        source: { config: { token: 'ghp_secret', url: 'https://example.com/feed' } },
        nested: [{ webhookUrl: 'https://hooks.slack.com/services/T/B/secret' }],
        hyperdrive: { connectionString: 'postgres://u:pw@db.internal/x' },
      },
      'hello',
    );
    expect(lines).toHaveLength(1);
    const line = lines[0]?.line ?? '';
    for (const secret of ['supersecret', 'ghp_secret', 'hooks.slack.com', 'sid=abc', 'pw@db']) {
      expect(line).not.toContain(secret);
    }
    const entry = JSON.parse(line);
    expect(entry).toMatchObject({ level: 30, service: 'trustwatch', msg: 'hello' });
    expect(entry.source.config.url).toBe('https://example.com/feed');
    expect(entry.source.config.token).toBe('[redacted]');
  });

  it('drops entries below the level and routes warnings and errors to their console methods', () => {
    const { log, lines } = capture('warn');
    log.debug('no');
    log.info({ a: 1 }, 'no');
    log.warn('careful');
    log.error({ err: new Error('boom') }, 'failed');
    expect(lines.map((l) => l.level)).toEqual(['warn', 'error']);
    expect(JSON.parse(lines[1]?.line ?? '{}').err).toEqual({ name: 'Error', message: 'boom' });
  });

  it('survives cycles', () => {
    const { log, lines } = capture('debug');
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    log.debug(a, 'cyclic');
    expect(JSON.parse(lines[0]?.line ?? '{}').self).toBe('[…]');
  });
});
