/**
 * Which log fields hold secrets. pino (Node) redacts them by path; the Workers console logger
 * (src/runtime/worker-logger.ts) has no paths and redacts these key names at any depth.
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

/** Every redacted path's last key, lower-cased, plus connection strings: redacted wherever they appear. */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  ...REDACT_PATHS.map((path) => (path.split('.').at(-1) ?? path).toLowerCase()),
  'connectionstring',
]);

/** `value` with every SECRET_KEYS field replaced by `censor`, at any depth (cycles and depth bounded). */
export function redactSecrets(
  value: unknown,
  censor = '[redacted]',
  depth = 0,
  seen = new WeakSet<object>(),
): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (depth > 8 || seen.has(value)) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, censor, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEYS.has(key.toLowerCase()) ? censor : redactSecrets(v, censor, depth + 1, seen);
  }
  return out;
}
