import iconv from 'iconv-lite';

/** The `charset` parameter of a Content-Type header, lower-cased and unquoted; undefined if absent. */
export function charsetFromContentType(contentType: string | null | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType);
  return match?.[2]?.toLowerCase();
}

/** True when iconv-lite knows the label (`utf-8`, `latin1`, `windows-1252`, `koi8-r`...). */
export function isKnownCharset(label: string): boolean {
  return iconv.encodingExists(label);
}

/**
 * Bytes to string with the given charset; an unknown or missing label means UTF-8, because a
 * wrong label is far more common on the web than a document we could not read at all.
 */
export function decodeBytes(bytes: Uint8Array, charset: string | undefined): string {
  const label = charset && isKnownCharset(charset) ? charset : 'utf-8';
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), label);
}
