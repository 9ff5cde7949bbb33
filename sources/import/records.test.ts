import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecords } from './records.ts';

function file(content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tw-records-')), 'data');
  writeFileSync(path, content);
  return path;
}

describe('readRecords', () => {
  const csv = 'a,b\r\n1,"x\r\ny ""q"""\r\n\r\n2,"é,😀"\n3,plain';

  it.each([1, 2, 3, 5, 64 * 1024])(
    'splits CSV records the same way with %i-byte chunks',
    async (chunkBytes) => {
      const page = await readRecords(file(csv), {
        kind: 'csv',
        start: 0,
        startLine: 0,
        maxRecords: 100,
        chunkBytes,
      });
      expect(page.records).toEqual([
        { text: 'a,b', line: 1 },
        { text: '1,"x\r\ny ""q"""', line: 2 },
        { text: '2,"é,😀"', line: 5 },
        { text: '3,plain', line: 6 },
      ]);
      expect(page).toMatchObject({ eof: true, line: 5, end: Buffer.byteLength(csv) });
    },
  );

  it('stops after maxRecords at an exact byte offset, and resumes from it', async () => {
    const path = file(csv);
    const first = await readRecords(path, { kind: 'csv', start: 0, startLine: 0, maxRecords: 2 });
    expect(first.records.map((r) => r.line)).toEqual([1, 2]);
    expect(first.eof).toBe(false);
    expect(Buffer.from(csv).subarray(first.end).toString()).toBe('\r\n2,"é,😀"\n3,plain');
    const rest = await readRecords(path, {
      kind: 'csv',
      start: first.end,
      startLine: first.line,
      maxRecords: 10,
    });
    expect(rest.records.map((r) => [r.text, r.line])).toEqual([
      ['2,"é,😀"', 5],
      ['3,plain', 6],
    ]);
  });

  it('reads lines and strips a BOM at the start of the file only', async () => {
    const path = file(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\n\n{"a":"\\"x"}\n')]),
    );
    const page = await readRecords(path, {
      kind: 'lines',
      start: 0,
      startLine: 0,
      maxRecords: 10,
      chunkBytes: 4,
    });
    expect(page.records).toEqual([
      { text: '{"a":1}', line: 1 },
      { text: '{"a":"\\"x"}', line: 3 },
    ]);
  });

  it('reports a runaway record instead of buffering it, then carries on', async () => {
    const path = file(`short\n${'y'.repeat(5000)}\nafter\n`);
    const page = await readRecords(path, {
      kind: 'lines',
      start: 0,
      startLine: 0,
      maxRecords: 10,
      maxRecordBytes: 1000,
      chunkBytes: 256,
    });
    expect(page.records.map((r) => [r.line, r.error ?? r.text])).toEqual([
      [1, 'short'],
      [2, 'record longer than 1000 bytes'],
      [3, 'after'],
    ]);
  });

  it('reports a quoted field left open past the limit and resumes on the next line', async () => {
    const path = file(`id,t\n1,"open\n${'z,z\n'.repeat(200)}2,ok\n`);
    const page = await readRecords(path, {
      kind: 'csv',
      start: 0,
      startLine: 0,
      maxRecords: 1000,
      maxRecordBytes: 500,
      chunkBytes: 100,
    });
    const seen = page.records.map((r) => [r.line, r.error ?? r.text]);
    expect(seen.slice(0, 3)).toEqual([
      [1, 'id,t'],
      [2, 'quoted field still open after 500 bytes'],
      [3, 'z,z'],
    ]);
    expect(seen).toHaveLength(203);
    expect(seen.at(-1)).toEqual([203, '2,ok']);
  });
});
