import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SourceItem } from '../../src/core/mention.ts';
import type { FetchContext, Logger } from '../../src/core/source.ts';
import { failure } from '../../test/helpers/failure.ts';
import {
  type ImportConfig,
  type ImportCursor,
  fetchImportPage,
  importConfigSchema,
  importProgress,
  importSource,
} from './adapter.ts';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/import/', import.meta.url));
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const ctx = { http: undefined as never, log: silent, now: () => new Date() } satisfies FetchContext;

function config(input: Record<string, unknown>): ImportConfig {
  return importConfigSchema.parse(input);
}

/** Runs an import to the end, page by page, as the poller does. */
async function importAll(cfg: ImportConfig) {
  const items: SourceItem[] = [];
  const warnings: string[] = [];
  const cursors: ImportCursor[] = [];
  let cursor: ImportCursor | null = null;
  for (let page = 0; page < 1000; page++) {
    const result = await fetchImportPage(cfg, cursor, ctx);
    items.push(...result.items);
    warnings.push(...result.warnings);
    cursor = result.nextCursor;
    if (cursor) cursors.push(cursor);
    if (!result.more) return { items, warnings, cursors };
  }
  throw new Error('import never finished');
}

describe('import adapter: JSONL', () => {
  const posts = config({
    path: `${FIXTURES}social-posts.jsonl`,
    mapping: {
      externalId: 'id',
      text: 'text',
      publishedAt: 'created_at',
      authorName: 'user.name',
      authorHandle: 'user.screen_name',
      url: 'permalink',
      language: 'lang',
      parentId: 'in_reply_to',
    },
  });

  it('maps fields, including dotted paths, and reads every date form', async () => {
    const { items, warnings } = await importAll(posts);
    expect(warnings).toEqual([]);
    expect(items.map((i) => i.externalId)).toEqual(['1001', '1002', '1003', '1004', '1005', '1006']);
    expect(items[0]).toMatchObject({
      content: 'Just switched to @AcmeTelco and the signal is so much better!',
      contentType: 'text',
      author: { name: 'Dana K', handle: 'danak' },
      language: 'en',
    });
    expect(items[1]?.url).toBe('https://social.example/lee_writes/1002');
    expect(items[2]?.parentId).toBe('1002');
    expect(items[4]).toMatchObject({ author: { handle: 'berlin_ops' }, language: 'de' });
    expect(items[4]?.author?.name).toBeUndefined();
    expect(items.map((i) => (i.publishedAt as Date).toISOString())).toEqual([
      '2024-03-01T09:15:00.000Z', // ISO 8601
      '2024-03-01T10:15:00.000Z', // epoch seconds
      '2024-03-01T11:05:00.000Z', // YYYY-MM-DD HH:mm, read as UTC
      '2024-03-01T12:00:00.000Z', // epoch milliseconds
      '2024-03-02T08:00:00.000Z', // YYYY/MM/DD HH:mm:ss
      '2024-03-02T10:30:00.000Z', // RFC 2822
    ]);
    expect(items[0]?.raw).toMatchObject({ metrics: { likes: 12 } });
  });

  it('skips malformed lines with warnings naming file, line and cause', async () => {
    const path = `${FIXTURES}malformed.jsonl`;
    const { items, warnings } = await importAll(
      config({ path, mapping: { externalId: 'id', publishedAt: 'created_at' } }),
    );
    expect(items.map((i) => i.externalId)).toEqual(['m1', 'm5', 'm7']);
    expect(items[1]?.publishedAt).toBeUndefined();
    expect(warnings).toHaveLength(5);
    expect(warnings[0]).toMatch(new RegExp(`^${path}:2: skipped: invalid JSON`));
    expect(warnings[1]).toBe(`${path}:3: skipped: line is not a JSON object`);
    expect(warnings[2]).toMatch(new RegExp(`^${path}:4: skipped: missing text`));
    expect(warnings[3]).toBe(`${path}:6: date "sometime last week" not understood, ignored`);
    expect(warnings[4]).toMatch(new RegExp(`^${path}:7: skipped: missing text`));
  });

  it('gives rows without an id column the same content-hash id on every read', async () => {
    const noIds = config({ path: `${FIXTURES}social-posts.jsonl`, mapping: { text: 'text' } });
    const first = await importAll(noIds);
    const second = await importAll({ ...noIds, pageSize: 2 });
    const ids = first.items.map((i) => i.externalId);
    expect(ids.every((id) => /^row:[0-9a-f]{32}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(6);
    expect(second.items.map((i) => i.externalId)).toEqual(ids);
  });

  it('reads same-named fields when no mapping is given', async () => {
    const { items } = await importAll(config({ path: `${FIXTURES}social-posts.jsonl` }));
    expect(items).toHaveLength(6);
    expect(items[0]?.content).toMatch(/^Just switched/);
  });
});

describe('import adapter: pagination', () => {
  it('adds up to all rows exactly once over many pages, and resumes from any cursor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-import-'));
    const path = join(dir, 'big.jsonl');
    const lines = Array.from({ length: 250 }, (_, i) =>
      JSON.stringify({ id: `p${i}`, text: `post number ${i} — ünïcödé ${'x'.repeat(i % 7)}` }),
    );
    writeFileSync(path, `${lines.join('\n')}\n`);
    const cfg = config({ path, mapping: { externalId: 'id' }, pageSize: 17 });

    const { items, cursors } = await importAll(cfg);
    expect(items.map((i) => i.externalId)).toEqual(lines.map((_, i) => `p${i}`));
    expect(cursors).toHaveLength(Math.ceil(250 / 17));
    expect(cursors.at(-1)).toMatchObject({ line: 250 });

    // Resuming from a saved cursor (after a crash) yields exactly the rest.
    const saved = cursors[5] as ImportCursor;
    const rest: string[] = [];
    let cursor: ImportCursor | null = saved;
    for (;;) {
      const page = await fetchImportPage(cfg, cursor);
      rest.push(...page.items.map((i) => i.externalId));
      cursor = page.nextCursor;
      if (!page.more) break;
    }
    expect(rest).toEqual(lines.slice(6 * 17).map((_, i) => `p${i + 6 * 17}`));
  });

  it('paginates CSV with multiline quoted fields without splitting records', async () => {
    const cfg = config({
      path: `${FIXTURES}multiline.csv`,
      mapping: { externalId: 'id', authorName: 'author', publishedAt: 'published' },
      pageSize: 1,
    });
    const { items, warnings, cursors } = await importAll(cfg);
    expect(warnings).toEqual([]);
    expect(items.map((i) => i.content)).toEqual([
      'Line one\r\nLine two with "quotes", and a comma',
      'Simple, quoted',
      'Multi\nline\n\nwith a blank line inside and emoji 🎉',
      'Unquoted text',
    ]);
    expect(items.map((i) => i.author?.name)).toEqual(['Smith, Jane', 'Bob', 'Zoë', 'Ann']);
    expect(items.map((i) => (i.publishedAt as Date).toISOString())).toEqual([
      '2024-03-01T09:00:00.000Z',
      '2024-03-02T00:00:00.000Z',
      '2024-03-02T17:20:00.000Z',
      '2024-03-04T09:30:15.000Z',
    ]);
    // The header (with its BOM removed) travels in the cursor; line numbers count physical lines.
    expect(cursors[0]?.header).toEqual(['id', 'author', 'text', 'published']);
    expect(cursors.map((c) => c.line)).toEqual([3, 4, 8, 9]);

    // One page for the whole file gives the same rows.
    const whole = await importAll({ ...cfg, pageSize: 100 });
    expect(whole.items.map((i) => i.content)).toEqual(items.map((i) => i.content));
    expect(whole.cursors).toHaveLength(1);
  });

  it('reports progress from the cursor', async () => {
    const cfg = config({ path: `${FIXTURES}survey-nps.csv`, pageSize: 2, mapping: { text: 'comment' } });
    const first = await fetchImportPage(cfg, null);
    const progress = importProgress(cfg, first.nextCursor);
    expect(progress.totalBytes).toBe(479);
    expect(progress.bytesRead).toBeGreaterThan(0);
    expect(progress.bytesRead).toBeLessThan(479);
    expect(progress.lines).toBe(3);
    expect(importProgress(cfg, null)).toEqual({ bytesRead: 0, totalBytes: 479, lines: 0 });
  });
});

describe('import adapter: CSV', () => {
  it('reads a survey export with 0-10 scores as rating on scale 10', async () => {
    const cfg = config({
      path: `${FIXTURES}survey-nps.csv`,
      mapping: { externalId: 'response_id', text: 'comment', rating: 'score', publishedAt: 'submitted_at' },
      ratingScale: 10,
    });
    const { items, warnings } = await importAll(cfg);
    expect(warnings).toEqual([]);
    expect(items).toHaveLength(6);
    expect(items.map((i) => [i.externalId, i.rating, i.ratingScale])).toEqual([
      ['R-001', 10, 10],
      ['R-002', 3, 10],
      ['R-003', 7, 10],
      ['R-004', 9, 10],
      ['R-005', 0, 10],
      ['R-006', 8, 10],
    ]);
    // The language column is picked up by name without being mapped.
    expect(items.map((i) => i.language)).toEqual(['en', 'en', 'en', 'de', 'en', 'fr']);
    expect(items[0]?.publishedAt).toEqual(new Date('2024-02-28T14:02:00Z'));
    expect(items[0]?.raw).toMatchObject({ respondent: 'anna@example.com', score: '10' });
  });

  it('flags a score above the scale instead of storing it', async () => {
    const cfg = config({
      path: `${FIXTURES}survey-nps.csv`,
      mapping: { text: 'comment', rating: 'score' },
      ratingScale: 5,
    });
    const { items, warnings } = await importAll(cfg);
    expect(items).toHaveLength(6);
    expect(items[0]?.rating).toBeUndefined();
    expect(items[1]).toMatchObject({ rating: 3, ratingScale: 5 });
    expect(warnings.some((w) => w.endsWith(':2: rating 10 is outside 0..5 (ratingScale), ignored'))).toBe(
      true,
    );
  });

  it('skips malformed rows with warnings naming file, line and cause', async () => {
    const path = `${FIXTURES}malformed.csv`;
    const { items, warnings } = await importAll(
      config({ path, mapping: { externalId: 'id', rating: 'rating' } }),
    );
    expect(items.map((i) => i.externalId)).toEqual(['c1', 'c5', 'c6', 'c7']);
    // A quote inside an unquoted field is just a character (as spreadsheets read it).
    expect(items[1]?.content).toBe('The 5" screen is "too" small');
    expect(items[2]?.rating).toBeUndefined();
    expect(warnings).toEqual([
      `${path}:3: skipped: 6 columns where the header has 4`,
      `${path}:4: skipped: 3 columns where the header has 4`,
      expect.stringMatching(new RegExp(`^${path}:5: skipped: missing text`)),
      `${path}:7: rating "seven" is not a number, ignored`,
    ]);
  });

  it('gives stable hash ids to CSV rows across reads', async () => {
    const cfg = config({ path: `${FIXTURES}survey-nps.csv`, mapping: { text: 'comment' } });
    const a = await importAll(cfg);
    const b = await importAll({ ...cfg, pageSize: 4 });
    expect(a.items.map((i) => i.externalId)).toEqual(b.items.map((i) => i.externalId));
    expect(new Set(a.items.map((i) => i.externalId)).size).toBe(6);
  });

  it('keeps going after a quote that is never closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-import-'));
    const path = join(dir, 'open-quote.csv');
    writeFileSync(path, 'id,text\n1,first\n2,"never closed\n3,third\n4,fourth\n');
    const { items, warnings } = await importAll(config({ path, mapping: { externalId: 'id' } }));
    expect(items.map((i) => i.externalId)).toEqual(['1', '3', '4']);
    expect(warnings).toEqual([`${path}:3: skipped: quoted field is never closed`]);
  });

  it('refuses a mapping that names a column the header does not have', async () => {
    const cfg = config({ path: `${FIXTURES}survey-nps.csv`, mapping: { text: 'comment', rating: 'scroe' } });
    const err = await failure(fetchImportPage(cfg, null));
    expect(err.code).toBe('IMPORT_MALFORMED');
    expect(err.message).toContain('rating="scroe"');
  });
});

describe('import adapter: config and files', () => {
  it('raises IMPORT_FILE naming the path of a missing file', async () => {
    const path = join(tmpdir(), 'trustwatch-does-not-exist.csv');
    const err = await failure(importSource.fetch(config({ path }), null, ctx));
    expect(err.code).toBe('IMPORT_FILE');
    expect(err.message).toContain(path);
    expect(err.message).toContain('no such file');
  });

  it('raises IMPORT_FILE for a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-import-dir-'));
    const err = await failure(importSource.fetch(config({ path: dir, format: 'jsonl' }), null, ctx));
    expect(err.code).toBe('IMPORT_FILE');
  });

  it('takes the format from the extension and requires it otherwise', () => {
    expect(importConfigSchema.safeParse({ path: 'x.ndjson' }).success).toBe(true);
    expect(importConfigSchema.safeParse({ path: 'x.txt' }).success).toBe(false);
    expect(importConfigSchema.safeParse({ path: 'x.txt', format: 'csv' }).success).toBe(true);
    expect(importConfigSchema.safeParse({ path: 'x.csv', mapping: { txt: 'a' } }).success).toBe(false);
    expect(importConfigSchema.parse({ path: 'x.csv' })).toMatchObject({
      mapping: { text: 'text' },
      ratingScale: 5,
      pageSize: 1000,
    });
    expect(importConfigSchema.safeParse(importSource.example).success).toBe(true);
  });

  it('refuses a JSON array file with a hint instead of a warning per line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-import-'));
    const path = join(dir, 'export.json');
    writeFileSync(path, '[\n  {"text": "a"},\n  {"text": "b"}\n]\n');
    const err = await failure(fetchImportPage(config({ path }), null));
    expect(err.code).toBe('IMPORT_MALFORMED');
    expect(err.message).toContain("jq -c '.[]'");
  });

  it('starts over when the file became shorter than the cursor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-import-'));
    const path = join(dir, 'shrunk.jsonl');
    writeFileSync(path, '{"text":"only row"}\n');
    const page = await fetchImportPage(config({ path }), { offset: 10_000, line: 500 });
    expect(page.items).toHaveLength(1);
    expect(page.warnings[0]).toMatch(/shorter than the saved position/);
    expect(page.nextCursor).toMatchObject({ line: 1 });
  });
});
