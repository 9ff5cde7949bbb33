import iconv from 'iconv-lite';
import { charsetFromContentType } from '../../src/ingest/http/charset.ts';

/**
 * Feed bytes to text. Feeds lie about their encoding all the time, so we follow the order real
 * readers use: byte order mark, then the HTTP charset, then the XML declaration, then UTF-8 if the
 * bytes are valid UTF-8, then a small charset sniffer (windows-1252 for most Western text, KOI8-R,
 * Shift_JIS...). Unknown labels (`encoding="invalid"`) count as no label at all.
 */

export type CharsetSource = 'bom' | 'header' | 'declaration' | 'default' | 'sniffed';

export interface DecodedFeed {
  text: string;
  /** The iconv-lite label used. */
  encoding: string;
  source: CharsetSource;
}

/**
 * WHATWG Encoding maps these labels to windows-1252: documents labelled Latin-1 are nearly always
 * cp1252 in practice (curly quotes at 0x91-0x94), and cp1252 is a superset for the printable range.
 */
const LATIN1_LABELS = new Set([
  'iso-8859-1',
  'iso8859-1',
  'latin1',
  'latin-1',
  'l1',
  'us-ascii',
  'ascii',
  'cp819',
]);

/** The label we decode with, or undefined when iconv-lite does not know it. */
export function normalizeCharset(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const lower = label.trim().toLowerCase();
  if (LATIN1_LABELS.has(lower)) return 'windows-1252';
  // GB2312 and GBK documents routinely contain GBK-only characters; GB18030 reads all three.
  if (lower === 'gb2312' || lower === 'gbk' || lower === 'x-gbk') return 'gb18030';
  return iconv.encodingExists(lower) ? lower : undefined;
}

function isUtf8Label(label: string): boolean {
  return label === 'utf-8' || label === 'utf8';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function bomEncoding(b: Uint8Array): string | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  // No BOM but `<?` (or `<` + letter) spelled in UTF-16 (XML 1.0 appendix F).
  if (b[0] === 0x3c && b[1] === 0x00 && b[2] !== undefined && b[2] !== 0x00 && b[3] === 0x00)
    return 'utf-16le';
  if (b[0] === 0x00 && b[1] === 0x3c && b[2] === 0x00 && b[3] !== undefined && b[3] !== 0x00)
    return 'utf-16be';
  return undefined;
}

/** The `encoding` pseudo-attribute of an XML declaration at the start of the document. */
export function xmlDeclarationEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString(
    'latin1',
  );
  const match = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match?.[1];
}

const CP1252_C1 = new Map<number, string>();
for (let b = 0x80; b <= 0x9f; b++) {
  const ch = iconv.decode(Buffer.from([b]), 'windows-1252');
  CP1252_C1.set(b, ch === '\uFFFD' ? '' : ch);
}

/**
 * C1 control characters (U+0080-U+009F) never appear in real text; when they do, a windows-1252
 * byte was copied as a code point (`don\u0092t`). Replace them by the cp1252 character they meant.
 */
export function repairC1Controls(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252_C1.get(c.charCodeAt(0)) ?? '');
}

function decodeWith(bytes: Uint8Array, label: string): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), label);
}

export function decodeFeedBytes(bytes: Uint8Array, contentType?: string | null): DecodedFeed {
  const finish = (encoding: string, source: CharsetSource): DecodedFeed => ({
    text: repairC1Controls(decodeWith(bytes, encoding)),
    encoding,
    source,
  });

  const bom = bomEncoding(bytes);
  if (bom) return finish(bom, 'bom');

  const utf8Ok = isValidUtf8(bytes);
  const declared: Array<[string | undefined, CharsetSource]> = [
    [normalizeCharset(charsetFromContentType(contentType)), 'header'],
    [normalizeCharset(xmlDeclarationEncoding(bytes)), 'declaration'],
  ];
  for (const [label, source] of declared) {
    if (!label) continue;
    // A UTF-8 label on bytes that are not UTF-8 is a lie; look further rather than produce U+FFFDs.
    if (isUtf8Label(label) && !utf8Ok) continue;
    // Without a BOM a document we can read the ASCII declaration of is not UTF-16/32.
    if (/^utf-?(16|32)/.test(label)) continue;
    return finish(label, source);
  }
  if (utf8Ok) return finish('utf-8', 'default');
  return finish(sniffCharset(bytes), 'sniffed');
}

// ---------------------------------------------------------------------------------------------
// Charset sniffing for bytes that are not UTF-8 and carry no usable label.

/** Tried in this order; ties go to the earlier one (Western European text is the common case). */
const CANDIDATES = [
  'windows-1252',
  'windows-1251',
  'koi8-r',
  'shift_jis',
  'gb18030',
  'euc-kr',
  'big5',
  'euc-jp',
];

const SNIFF_SAMPLE_BYTES = 256 * 1024;

type Kind =
  | 'ascii-letter'
  | 'ascii-other'
  | 'latin'
  | 'cased'
  | 'kana'
  | 'cjk'
  | 'hangul'
  | 'bad'
  | 'odd'
  | 'other';

function kindOf(code: number): Kind {
  if (code < 0x80) {
    return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) ? 'ascii-letter' : 'ascii-other';
  }
  if (code === 0xfffd || code <= 0x9f || (code >= 0xe000 && code <= 0xf8ff)) return 'bad';
  if (
    (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7) ||
    (code >= 0x1e00 && code <= 0x1eff)
  ) {
    return 'latin';
  }
  if (code >= 0x370 && code <= 0x52f) return 'cased'; // Greek, Cyrillic
  if (code >= 0x3040 && code <= 0x30ff) return 'kana';
  if (code >= 0x4e00 && code <= 0x9fff) return 'cjk';
  if (code >= 0xac00 && code <= 0xd7af) return 'hangul';
  // Half-width katakana, box drawing and block elements: what mis-decoded bytes typically become.
  if ((code >= 0xff61 && code <= 0xff9f) || (code >= 0x2500 && code <= 0x259f)) return 'odd';
  return 'other';
}

function isUpper(ch: string): boolean {
  return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

function isLower(ch: string): boolean {
  return ch !== ch.toUpperCase() && ch === ch.toLowerCase();
}

/**
 * How much a decoding looks like human text. Right decodings give letters of one script in
 * words, mostly lower case; wrong ones give replacement characters, box drawing, half-width
 * katakana, Cyrillic glued to ASCII letters, or inverted case (KOI8-R read as windows-1251).
 */
export function plausibility(text: string): number {
  const chars = Array.from(text);
  let score = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) continue;
    const kind = kindOf(code);
    const prev = i > 0 ? kindOf(chars[i - 1]?.codePointAt(0) ?? 0) : 'ascii-other';
    const next = i + 1 < chars.length ? kindOf(chars[i + 1]?.codePointAt(0) ?? 0) : 'ascii-other';
    const touchesAscii = prev === 'ascii-letter' || next === 'ascii-letter';
    switch (kind) {
      case 'bad':
        score -= 20;
        break;
      case 'odd':
        score -= 5;
        break;
      case 'latin':
        // Accented letters sit inside ASCII words; long runs of them are another script misread.
        score += touchesAscii ? 1 : -1;
        if (isUpper(ch) && i > 0 && isLower(chars[i - 1] as string)) score -= 3;
        break;
      case 'cased':
        score += touchesAscii ? -3 : isLower(ch) ? 1 : 0.3;
        if (isUpper(ch) && i > 0 && isLower(chars[i - 1] as string)) score -= 3;
        break;
      case 'kana':
        score += 2;
        break;
      case 'cjk':
      case 'hangul':
        score += touchesAscii ? 0 : 1;
        break;
      case 'other':
        score -= 0.5;
        break;
      default:
        break;
    }
  }
  return score;
}

/** The candidate charset whose decoding of `bytes` is most plausible; windows-1252 when unsure. */
export function sniffCharset(bytes: Uint8Array): string {
  const sample = bytes.byteLength > SNIFF_SAMPLE_BYTES ? bytes.subarray(0, SNIFF_SAMPLE_BYTES) : bytes;
  let best = 'windows-1252';
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const label of CANDIDATES) {
    const score = plausibility(decodeWith(sample, label));
    if (score > bestScore) {
      best = label;
      bestScore = score;
    }
  }
  return best;
}
