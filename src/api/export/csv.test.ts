import { describe, expect, it } from 'vitest';
import {
  MENTION_CSV_COLUMNS,
  csvErrorLine,
  csvField,
  csvRecord,
  mentionCsvHeader,
  mentionCsvRecord,
} from './csv.ts';
import { sampleMention } from './sample-mention.ts';

/** A small RFC 4180 reader, to check that what we write reads back to what we meant. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) throw new Error('unterminated record');
  return rows;
}

describe('csvField', () => {
  it('quotes fields with comma, quote, CR or LF and doubles quotes', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
  });

  it('prefixes text that a spreadsheet would run as a formula with a single quote', () => {
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvField('+1 555')).toBe("'+1 555");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField('\rcmd')).toBe(`"'\rcmd"`);
    // Only the first character counts.
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField("'quoted")).toBe("'quoted");
  });

  it('writes numbers we produce as numbers (a negative score is not a formula) and null as empty', () => {
    expect(csvField(-0.25)).toBe('-0.25');
    expect(csvField(0)).toBe('0');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(true)).toBe('true');
    expect(csvField('')).toBe('');
  });

  it('keeps any UTF-8 text intact', () => {
    expect(csvField('Grüße, 東京 🚀')).toBe('"Grüße, 東京 🚀"');
  });
});

describe('mention CSV records', () => {
  it('has a header row and one CRLF record per mention that reads back field for field', () => {
    const header = mentionCsvHeader();
    expect(header).toBe(`${MENTION_CSV_COLUMNS.join(',')}\r\n`);
    const nasty = sampleMention({
      title: '=cmd|" /C calc"!A0',
      text: 'line one,\r\nline "two"\n-3 days',
      author: { name: '@admin', handle: null, followers: null },
    });
    const rows = parseCsv(header + mentionCsvRecord(sampleMention()) + mentionCsvRecord(nasty));
    expect(rows).toHaveLength(3);
    const [head, plain, hostile] = rows as [string[], string[], string[]];
    for (const r of rows) expect(r).toHaveLength(MENTION_CSV_COLUMNS.length);
    const col = (r: string[], name: (typeof MENTION_CSV_COLUMNS)[number]) => r[head.indexOf(name)];
    expect(col(plain, 'id')).toBe('7');
    expect(col(plain, 'publishedAt')).toBe('2026-03-01T10:00:00.000Z');
    expect(col(plain, 'sentimentScore')).toBe('-0.25');
    expect(col(plain, 'signals')).toBe('complaint;churn_intent');
    expect(col(plain, 'engagement')).toBe('{"likes":3}');
    expect(col(plain, 'rating')).toBe('');
    expect(col(hostile, 'title')).toBe(`'=cmd|" /C calc"!A0`);
    expect(col(hostile, 'text')).toBe('line one,\r\nline "two"\n-3 days');
    expect(col(hostile, 'authorName')).toBe("'@admin");
    expect(col(hostile, 'authorFollowers')).toBe('');
  });

  it('writes an error marker line that is not a record', () => {
    expect(csvErrorLine('DATABASE')).toBe('# error: DATABASE\r\n');
    expect(csvRecord(['a', 1])).toBe('a,1\r\n');
  });
});
