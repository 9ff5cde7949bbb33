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

/**
 * Encodes batches of mentions as a byte stream, pulled: the next batch is fetched only when the
 * consumer (the HTTP response, a file) has taken the previous one, so memory holds about two batches
 * whatever the row count. A failure part-way ends the stream with an error marker line (`# error:
 * CODE` in CSV, `{"error": {...}}` in JSONL) instead of a silently short file. Cancelling the stream
 * (client gone) stops the source.
 */
export function exportStream(
  batches: AsyncIterable<MentionView[]>,
  opts: ExportStreamOptions,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const source = batches[Symbol.asyncIterator]();
  const encode = opts.format === 'csv' ? mentionCsvRecord : mentionJsonLine;
  let header = opts.format === 'csv' ? mentionCsvHeader() : '';
  let rows = 0;
  let bytes = 0;
  const emit = (controller: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    if (!text) return;
    const chunk = encoder.encode(text);
    bytes += chunk.byteLength;
    controller.enqueue(chunk);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let text = header;
        header = '';
        let next: IteratorResult<MentionView[], void>;
        try {
          next = await source.next();
        } catch (err) {
          const code = exportErrorCode(err);
          const message = isTrustwatchError(err)
            ? err.message
            : `The export stopped after ${rows} mentions: a database query failed`;
          emit(
            controller,
            text + (opts.format === 'csv' ? csvErrorLine(code) : jsonlErrorLine(code, message)),
          );
          controller.close();
          opts.onError?.(err, code, rows);
          return;
        }
        if (next.done) {
          emit(controller, text);
          controller.close();
          opts.onEnd?.(rows, bytes);
          return;
        }
        for (const m of next.value) text += encode(m);
        rows += next.value.length;
        emit(controller, text);
        opts.onProgress?.(rows, bytes);
      },
      async cancel() {
        await source.return?.();
      },
    },
    // One encoded batch waits in the queue while the consumer writes the previous one.
    { highWaterMark: 1 },
  );
}
