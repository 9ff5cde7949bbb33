import { describe, expect, it } from 'vitest';
import { jsonLine, jsonlErrorLine, mentionJsonLine } from './jsonl.ts';
import { sampleMention } from './sample-mention.ts';

describe('JSON Lines', () => {
  it('writes one mention per line, the list item with ISO dates', () => {
    const m = sampleMention({ text: 'two\nlines\r\nand a \u2028 separator' });
    const line = mentionJsonLine(m);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\r\n\u2028\u2029]/);
    const back = JSON.parse(line);
    expect(back).toEqual(JSON.parse(JSON.stringify(m)));
    expect(back.publishedAt).toBe('2026-03-01T10:00:00.000Z');
    expect(back.text).toBe(m.text);
  });

  it('ends a failed export with an error object', () => {
    expect(JSON.parse(jsonlErrorLine('DATABASE', 'stopped'))).toEqual({
      error: { code: 'DATABASE', message: 'stopped' },
    });
    expect(jsonLine([1])).toBe('[1]\n');
  });
});
