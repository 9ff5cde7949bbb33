import { pino } from 'pino';

/**
 * The process logger: JSON lines (pino). Secrets are redacted by path as a second line of defence;
 * the first is that code never logs configs, tokens or headers unredacted.
 */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'config.token',
  'config.password',
  'config.secret',
  'config.webhookUrl',
  '*.config.token',
  '*.config.password',
  '*.config.secret',
  '*.config.webhookUrl',
  'databaseUrl',
  'DATABASE_URL',
];

export type AppLogger = pino.Logger;

export function createLogger(level = 'info', destination?: pino.DestinationStream): AppLogger {
  const opts: pino.LoggerOptions = {
    level,
    base: { service: 'trustwatch' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(opts, destination) : pino(opts, pino.destination(2));
}

/** A logger that drops everything (tests, quiet CLI commands). */
export function silentLogger(): AppLogger {
  return pino({ level: 'silent' });
}
