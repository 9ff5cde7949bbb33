import { pino } from 'pino';
import { REDACT_PATHS } from './log-redaction.ts';
import type { Logger } from './source.ts';

/**
 * The process logger: JSON lines (pino). Secrets are redacted by path as a second line of defence;
 * the first is that code never logs configs, tokens or headers unredacted.
 */
export { REDACT_PATHS } from './log-redaction.ts';

/**
 * What services take: the four levels, so the Workers runtime can hand them a console logger
 * (src/runtime/worker-logger.ts) where pino's Node destinations do not exist.
 */
export type AppLogger = Logger;

export function createLogger(level = 'info', destination?: pino.DestinationStream): pino.Logger {
  const opts: pino.LoggerOptions = {
    level,
    base: { service: 'trustwatch' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(opts, destination) : pino(opts, pino.destination(2));
}

/** A logger that drops everything (tests, quiet CLI commands). */
export function silentLogger(): pino.Logger {
  return pino({ level: 'silent' });
}
