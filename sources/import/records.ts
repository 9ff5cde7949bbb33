import { open } from 'node:fs/promises';

/**
 * Reads a text file record by record from a byte offset, so an import can stop after any page and
 * resume exactly where it stopped (after a crash too). A record is a line (JSONL) or a CSV record,
 * which may span lines inside quoted fields. Byte offsets are exact because the only bytes we
 * look for ('\n', '"', the delimiter) are ASCII and never occur inside a UTF-8 multi-byte sequence.
 */

export type RecordKind = 'lines' | 'csv';

export interface RawRecord {
  /** Decoded text without its line terminator. */
  text: string;
  /** 1-based line where the record starts. */
  line: number;
  /** Why the record could not be delimited (too long, unterminated quote); the text is then partial. */
  error?: string | undefined;
}

export interface RecordPage {
  records: RawRecord[];
  /** Byte offset just after the last consumed record: where the next page starts. */
  end: number;
  /** Lines consumed from the start of the file up to `end`. */
  line: number;
  /** True when `end` reached the end of the file. */
  eof: boolean;
  size: number;
}

export interface ReadRecordsOptions {
  kind: RecordKind;
  /** CSV field delimiter (one ASCII character). */
  delimiter?: string | undefined;
  start: number;
  /** Lines before `start` (so that line numbers stay true after a resume). */
  startLine: number;
  maxRecords: number;
  /** A record longer than this is reported, not buffered (protects memory from a runaway quote). */
  maxRecordBytes?: number | undefined;
  chunkBytes?: number | undefined;
}

const NL = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** Where the record starting at `from` ends: index of its '\n', or -1 if `buf` does not hold all of it. */
function csvRecordEnd(
  buf: Buffer,
  from: number,
  delimiter: number,
  eof: boolean,
): { end: number; inQuote: boolean } {
  let inQuote = false;
  let fieldStart = true;
  for (let i = from; i < buf.length; i++) {
    const b = buf[i];
    if (inQuote) {
      if (b !== QUOTE) continue;
      if (i + 1 >= buf.length && !eof) return { end: -1, inQuote: true }; // `""` may straddle chunks.
      if (buf[i + 1] === QUOTE) i++;
      else inQuote = false;
      continue;
    }
    if (b === NL) return { end: i, inQuote: false };
    if (b === QUOTE && fieldStart) {
      inQuote = true;
      fieldStart = false;
      continue;
    }
    fieldStart = b === delimiter;
  }
  return { end: -1, inQuote };
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(NL, from); i !== -1 && i < to; i = buf.indexOf(NL, i + 1)) n++;
  return n;
}

function decode(buf: Buffer, from: number, to: number, atFileStart: boolean): string {
  let end = to;
  if (end > from && buf[end - 1] === CR) end--;
  const text = buf.toString('utf8', from, end);
  return atFileStart ? text.replace(/^\uFEFF/, '') : text;
}

export async function readRecords(path: string, opts: ReadRecordsOptions): Promise<RecordPage> {
  const maxRecordBytes = opts.maxRecordBytes ?? 8 * 1024 * 1024;
  const chunkBytes = opts.chunkBytes ?? 64 * 1024;
  const delimiter = (opts.delimiter ?? ',').charCodeAt(0);
  const handle = await open(path, 'r');
  try {
    let { size } = await handle.stat();
    const records: RawRecord[] = [];
    let buf = Buffer.alloc(0);
    let bufOffset = opts.start; // File offset of buf[0].
    let filePos = opts.start; // Next byte to read from the file.
    let line = opts.startLine;

    const readMore = async (): Promise<boolean> => {
      if (filePos >= size) return false;
      const chunk = Buffer.alloc(Math.min(chunkBytes, size - filePos));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, filePos);
      if (bytesRead === 0) {
        // The file shrank while we read it: what we have is all there is.
        size = filePos;
        return false;
      }
      filePos += bytesRead;
      buf = Buffer.concat([buf, chunk.subarray(0, bytesRead)]);
      return true;
    };
    /** Drops consumed bytes from the buffer. */
    const consume = (upTo: number) => {
      bufOffset += upTo;
      buf = buf.subarray(upTo);
    };
    /** Skips to just after the next newline (or to the end of the file), reading as needed. */
    const skipLine = async (): Promise<void> => {
      for (;;) {
        const nl = buf.indexOf(NL);
        if (nl !== -1) {
          line += 1;
          consume(nl + 1);
          return;
        }
        consume(buf.length);
        if (!(await readMore())) return;
      }
    };

    while (records.length < opts.maxRecords) {
      const eof = filePos >= size;
      if (buf.length === 0 && eof) break;
      const atFileStart = bufOffset === 0;
      let end: number;
      let inQuote = false;
      if (opts.kind === 'csv') ({ end, inQuote } = csvRecordEnd(buf, 0, delimiter, eof));
      else end = buf.indexOf(NL);

      if (end === -1 && !eof) {
        if (buf.length <= maxRecordBytes) {
          await readMore();
          continue;
        }
        // Runaway record: report its first line and go on after it.
        const firstNl = buf.indexOf(NL);
        const reason = inQuote
          ? `quoted field still open after ${maxRecordBytes} bytes`
          : `record longer than ${maxRecordBytes} bytes`;
        records.push({
          text: decode(buf, 0, Math.min(firstNl === -1 ? 200 : firstNl, 200), atFileStart),
          line: line + 1,
          error: reason,
        });
        await skipLine();
        continue;
      }

      if (end === -1 && inQuote) {
        // End of file inside a quote: only the first line is bad; the following rows may be fine.
        const firstNl = buf.indexOf(NL);
        const stop = firstNl === -1 ? buf.length : firstNl;
        records.push({
          text: decode(buf, 0, stop, atFileStart),
          line: line + 1,
          error: 'quoted field is never closed',
        });
        line += firstNl === -1 ? 0 : 1;
        consume(firstNl === -1 ? buf.length : firstNl + 1);
        continue;
      }

      const stop = end === -1 ? buf.length : end;
      const text = decode(buf, 0, stop, atFileStart);
      const startLine = line + 1;
      line += countNewlines(buf, 0, stop) + (end === -1 ? 0 : 1);
      consume(end === -1 ? buf.length : end + 1);
      // Blank lines separate nothing in either format; skip them without counting a row.
      if (text.trim() !== '') records.push({ text, line: startLine });
    }

    return { records, end: bufOffset, line, eof: bufOffset >= size, size };
  } finally {
    await handle.close();
  }
}
