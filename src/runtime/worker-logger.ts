import { redactSecrets } from '../core/log-redaction.ts';
import type { AppLogger } from '../core/logger.ts';

/**
 * The Workers logger: one JSON object per line on the console (Workers Logs and `wrangler tail` show
 * it), the same shape as pino's lines on Node (`level`, `time`, `service`, `msg`, fields). pino needs
 * Node streams, so it stays out of the worker bundle. Secret fields are redacted by key name at any
 * depth (src/core/log-redaction.ts), whatever object a caller passes.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = {
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  silent: Number.POSITIVE_INFINITY,
};

export function isLogLevel(value: string): value is LogLevel {
  return value in RANK;
}

/** Where lines go; console by default (injectable for tests). */
export type LogSink = (level: Exclude<LogLevel, 'silent'>, line: string) => void;

const consoleSink: LogSink = (level, line) => {
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
};

export function createConsoleLogger(level: LogLevel = 'info', sink: LogSink = consoleSink): AppLogger {
  const threshold = RANK[level];
  const write =
    (lvl: Exclude<LogLevel, 'silent'>) =>
    (obj: object | string, msg?: string): void => {
      if (RANK[lvl] < threshold) return;
      const fields = typeof obj === 'string' ? {} : (redactSecrets(obj) as Record<string, unknown>);
      const text = typeof obj === 'string' ? obj : msg;
      const entry = {
        level: RANK[lvl],
        time: new Date().toISOString(),
        service: 'trustwatch',
        ...fields,
        ...(text === undefined ? {} : { msg: text }),
      };
      sink(lvl, JSON.stringify(entry));
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
