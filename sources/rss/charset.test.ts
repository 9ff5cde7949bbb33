import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  decodeFeedBytes,
  normalizeCharset,
  repairC1Controls,
  sniffCharset,
  xmlDeclarationEncoding,
} from './charset.ts';

const enc = (text: string, charset: string) => new Uint8Array(iconv.encode(text, charset));

describe('decodeFeedBytes', () => {
  it('lets a BOM win over every label', () => {
    const bytes = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...Buffer.from('<?xml version="1.0" encoding="koi8-r"?><a>é</a>'),
    ]);
    expect(decodeFeedBytes(bytes, 'text/xml; charset=windows-1251')).toMatchObject({
      encoding: 'utf-8',
      source: 'bom',
      text: '<?xml version="1.0" encoding="koi8-r"?><a>é</a>',
    });
    const utf16 = new Uint8Array(iconv.encode('\uFEFF<rss>ü</rss>', 'utf-16le'));
    expect(decodeFeedBytes(utf16).text).toBe('<rss>ü</rss>');
  });

  it('prefers the HTTP charset to the XML declaration', () => {
    const bytes = enc('<?xml version="1.0" encoding="utf-8"?><a>Привет</a>', 'windows-1251');
    expect(decodeFeedBytes(bytes, 'application/xml; charset="windows-1251"')).toMatchObject({
      source: 'header',
      text: '<?xml version="1.0" encoding="utf-8"?><a>Привет</a>',
    });
  });

  it('uses the XML declaration when the header has no charset', () => {
    const bytes = enc('<?xml version="1.0" encoding="ISO-8859-1"?><a>Mãe</a>', 'latin1');
    expect(decodeFeedBytes(bytes, 'application/xml')).toMatchObject({
      source: 'declaration',
      text: expect.stringContaining('Mãe'),
    });
  });

  it('does not trust a UTF-8 label on bytes that are not UTF-8', () => {
    const bytes = enc('<a>café crème brûlée</a>', 'latin1');
    expect(decodeFeedBytes(bytes, 'text/xml; charset=utf-8')).toMatchObject({
      source: 'sniffed',
      encoding: 'windows-1252',
      text: '<a>café crème brûlée</a>',
    });
  });

  it('treats an unknown label as no label', () => {
    const bytes = enc('<?xml version="1.0" encoding="bogus-42"?><a>한국어</a>', 'utf-8');
    expect(decodeFeedBytes(bytes)).toMatchObject({
      source: 'default',
      text: expect.stringContaining('한국어'),
    });
  });

  it('repairs windows-1252 code points that arrived as C1 controls', () => {
    expect(repairC1Controls('don\u0092t \u0093quoted\u0094 \u0080 \u0081')).toBe('don’t “quoted” € ');
  });
});

describe('sniffCharset', () => {
  it.each([
    ['windows-1252', 'Les élèves étaient très fâchés à cause de la réforme, dit-on à Orléans.'],
    ['koi8-r', 'Наверное, единственное, во что сегодня можно верить безоговорочно.'],
    ['windows-1251', 'Наверное, единственное, во что сегодня можно верить безоговорочно.'],
    ['shift_jis', 'ブログに記事を投稿しましたが、反映されないようです。'],
  ])('recognises %s text', (charset, text) => {
    expect(sniffCharset(enc(`<title>${text}</title>`, charset))).toBe(charset);
  });
});

describe('labels', () => {
  it('maps Latin-1 to windows-1252 and GB2312 to GB18030, drops unknown labels', () => {
    expect(normalizeCharset('ISO-8859-1')).toBe('windows-1252');
    expect(normalizeCharset('gb2312')).toBe('gb18030');
    expect(normalizeCharset('invalid')).toBeUndefined();
    expect(normalizeCharset('KOI8-R')).toBe('koi8-r');
  });

  it('reads the encoding of an XML declaration', () => {
    expect(xmlDeclarationEncoding(Buffer.from(`  <?xml version='1.0' encoding='Shift_JIS' ?><a/>`))).toBe(
      'Shift_JIS',
    );
    expect(xmlDeclarationEncoding(Buffer.from('<rss encoding="x">'))).toBeUndefined();
  });
});
