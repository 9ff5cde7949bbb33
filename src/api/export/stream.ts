import { isTrustwatchError } from '../../core/errors.ts';
import type { MentionView } from '../../store/repositories/mentions.ts';
import { csvErrorLine, mentionCsvHeader, mentionCsvRecord } from './csv.ts';
import { jsonlErrorLine, mentionJsonLine } from './jsonl.ts';

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

export interface ExportStreamOptions {
  format: ExportFormat;
  /** After each batch is encoded: rows and bytes so far (progress output). */
  onProgress?: (rows: number, bytes: number) => void;
  /** Once, when every row is out. */
  onEnd?: (rows: number, bytes: number) => void;
  /** Once, when the source failed part-way; the error marker line has been written by then. */
  onError?: (err: unknown, code: string, rows: number) => void;
}

/** The stable code an export's error marker carries: the typed error's, else DATABASE (the batch query failed). */
export function exportErrorCode(err: unknown): string {
  return isTrustwatchError(err) ? err.code : 'DATABASE';
}

/** Characters of encoded text per chunk handed to the consumer: large enough for few writes, small enough that a chunk never matters. */
export const EXPORT_CHUNK_CHARS = 64 * 1024;

/**
 * Encodes batches of mentions as a byte stream, pulled: the next batch is fetched only when the
 * consumer (the HTTP response, a file) has taken the previous one's bytes, so memory holds about one
 * batch whatever the row count. A batch is encoded row by row into chunks of about
 * EXPORT_CHUNK_CHARS, as soon as it arrives: its row objects die young (they never outlive the pull
 * that fetched them, so V8 does not promote them to the old generation, which it lets grow before a
 * full GC) and its text never exists whole. A failure part-way ends the stream with an error marker
 * line (`# error: CODE` in CSV, `{"error": {...}}` in JSONL) instead of a silently short file.
 * Cancelling the stream (client gone) stops the source.
 */
export function exportStream(
  batches: AsyncIterable<MentionView[]>,
  opts: ExportStreamOptions,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const source = batches[Symbol.asyncIterator]();
  const encode = opts.format === 'csv' ? mentionCsvRecord : mentionJsonLine;
  let text = opts.format === 'csv' ? mentionCsvHeader() : '';
  let rows = 0;
  let bytes = 0;
  const emit = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (!text) return;
    const chunk = encoder.encode(text);
    text = '';
    bytes += chunk.byteLength;
    controller.enqueue(chunk);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: IteratorResult<MentionView[], void>;
        try {
          next = await source.next();
        } catch (err) {
          const code = exportErrorCode(err);
          const message = isTrustwatchError(err)
            ? err.message
            : `The export stopped after ${rows} mentions: a database query failed`;
          text += opts.format === 'csv' ? csvErrorLine(code) : jsonlErrorLine(code, message);
          emit(controller);
          controller.close();
          opts.onError?.(err, code, rows);
          return;
        }
        if (next.done) {
          emit(controller);
          controller.close();
          opts.onEnd?.(rows, bytes);
          return;
        }
        for (const m of next.value) {
          text += encode(m);
          rows++;
          if (text.length >= EXPORT_CHUNK_CHARS) emit(controller);
        }
        emit(controller);
        opts.onProgress?.(rows, bytes);
      },
      async cancel() {
        await source.return?.();
      },
    },
    // One batch's chunks wait in the queue while the consumer writes the previous ones.
    { highWaterMark: 1 },
  );
}
