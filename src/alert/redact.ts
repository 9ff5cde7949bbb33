import { REDACTED_VALUE } from '../core/redact-url.ts';

/**
 * A destination URL safe to show: Slack and most webhook URLs carry their credential in the path
 * (`/services/T000/B000/XXXX`), so only the origin and, for long paths, the first two segments are
 * kept: `https://hooks.slack.com/services/T000/…[redacted]`. Query strings never survive.
 */
export function redactDestinationUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return REDACTED_VALUE;
  }
  const segments = parsed.pathname.split('/').filter(Boolean);
  const kept = segments.length >= 3 ? `/${segments.slice(0, 2).join('/')}` : '';
  return `${parsed.protocol}//${parsed.host}${kept}/…${REDACTED_VALUE}`;
}
