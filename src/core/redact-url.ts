/**
 * URLs end up in error messages, logs and source health records. Upstream APIs often take
 * credentials in the query string (`?access_token=`, `?api_key=`, signed `X-Amz-Signature`), so
 * every URL we report goes through `redactUrl` first.
 */

export const REDACTED_VALUE = '[redacted]';

/** Name parts that mark a query parameter as a credential. Matched per word, not as substrings. */
const SECRET_WORDS = new Set([
  'token',
  'tokens',
  'key',
  'apikey',
  'secret',
  'password',
  'passwd',
  'pwd',
  'pass',
  'sig',
  'signature',
  'auth',
  'accesstoken',
  'credential',
  'credentials',
]);

/**
 * True when a parameter name looks like it carries a secret: `token`, `api_key`, `apiKey`,
 * `access_token`, `X-Amz-Signature`, `client_secret`... but not `keyword` or `monkey`.
 */
export function isSecretParamName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  return SECRET_WORDS.has(words.join(''));
}

/**
 * The URL with credential-like query values and any userinfo password replaced by `[redacted]`.
 * Works on the raw string so that everything else stays exactly as the user wrote it; a string that
 * is not a URL is returned with its query string dropped, to be safe.
 */
export function redactUrl(url: string): string {
  const hashAt = url.indexOf('#');
  const withoutHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const queryAt = withoutHash.indexOf('?');
  let base = queryAt === -1 ? withoutHash : withoutHash.slice(0, queryAt);
  const query = queryAt === -1 ? null : withoutHash.slice(queryAt + 1);

  // https://user:password@host/ -> https://user:[redacted]@host/
  base = base.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, `$1:${REDACTED_VALUE}@`);

  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(base)) return base;
  if (query === null) return base;
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // Keep the raw name: a bad escape is no reason to leak the value.
      }
      return isSecretParamName(name) && eq !== -1 ? `${rawName}=${REDACTED_VALUE}` : pair;
    })
    .join('&');
  return `${base}?${redacted}`;
}

/** Replaces every occurrence of `url` in `text` by its redacted form (for messages of lower layers). */
export function scrubUrl(text: string, url: string): string {
  const safe = redactUrl(url);
  return safe === url ? text : text.split(url).join(safe);
}
