import { describe, expect, it } from 'vitest';
import { TrustwatchError } from '../../core/errors.ts';
import type { MentionView } from '../../store/repositories/mentions.ts';
import { sampleMention } from './sample-mention.ts';
import { EXPORT_CHUNK_CHARS, exportErrorCode, exportStream } from './stream.ts';

async function read(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

async function* batches(n: number, size: number, failAt?: number): AsyncGenerator<MentionView[]> {
  for (let b = 0; b < n; b++) {
    if (b === failAt) throw new Error('connection terminated unexpectedly');
    yield Array.from({ length: size }, (_, i) => sampleMention({ id: b * size + i + 1 }));
  }
}

describe('exportStream', () => {
  it('writes a CSV header and every row of every batch', async () => {
    let end: [number, number] | undefined;
    const text = await read(
      exportStream(batches(3, 4), {
        format: 'csv',
        onEnd: (r, b) => {
          end = [r, b];
        },
      }),
    );
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^id,publishedAt,/);
    expect(lines).toHaveLength(13);
    expect(end).toEqual([12, Buffer.byteLength(text)]);
  });

  it('writes only the header for no rows (CSV) and nothing for JSONL', async () => {
    expect((await read(exportStream(batches(0, 1), { format: 'csv' }))).split('\r\n')).toHaveLength(2);
    expect(await read(exportStream(batches(0, 1), { format: 'jsonl' }))).toBe('');
  });

  it('ends with an error line and reports the error when the source fails part-way', async () => {
    const failures: [string, number][] = [];
    const csv = await read(
      exportStream(batches(5, 2, 2), {
        format: 'csv',
        onError: (_e, code, rows) => failures.push([code, rows]),
      }),
    );
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(1 + 4 + 1);
    expect(lines.at(-1)).toBe('# error: DATABASE');
    const jsonl = await read(
      exportStream(batches(5, 2, 2), {
        format: 'jsonl',
        onError: (_e, code, rows) => failures.push([code, rows]),
      }),
    );
    const last = JSON.parse(jsonl.trim().split('\n').at(-1) ?? '');
    expect(last.error.code).toBe('DATABASE');
    // Driver text is not passed on to the client.
    expect(last.error.message).not.toMatch(/connection terminated/);
    expect(failures).toEqual([
      ['DATABASE', 4],
      ['DATABASE', 4],
    ]);
    expect(exportErrorCode(new TrustwatchError('NOT_FOUND', 'gone'))).toBe('NOT_FOUND');
  });

  it('hands out chunks of about EXPORT_CHUNK_CHARS, encoding a batch across several of them', async () => {
    const reader = exportStream(batches(2, 1000), { format: 'jsonl' }).getReader();
    const sizes: number[] = [];
    let text = '';
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      sizes.push(value.byteLength);
      text += decoder.decode(value, { stream: true });
    }
    const line = Buffer.byteLength(JSON.stringify(sampleMention({ id: 1000 }))) + 1;
    // 2 batches of 1,000 lines: more chunks than batches, none much over the target, rows whole.
    expect(sizes.length).toBeGreaterThan(2 * Math.floor((1000 * line) / EXPORT_CHUNK_CHARS));
    expect(Math.max(...sizes)).toBeLessThan(EXPORT_CHUNK_CHARS + 2 * line);
    const ids = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).id);
    expect(ids).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
  });

  it('pulls batches only as the reader takes them (backpressure) and stops the source on cancel', async () => {
    let produced = 0;
    let finished = false;
    async function* counting(): AsyncGenerator<MentionView[]> {
      try {
        for (let b = 0; b < 1000; b++) {
          produced++;
          yield [sampleMention({ id: b })];
        }
      } finally {
        finished = true;
      }
    }
    const stream = exportStream(counting(), { format: 'jsonl' });
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    await new Promise((r) => setTimeout(r, 20));
    // Two read, at most one more fetched ahead (the queue's high-water mark).
    expect(produced).toBeLessThanOrEqual(3);
    await reader.cancel();
    expect(finished).toBe(true);
  });
});
